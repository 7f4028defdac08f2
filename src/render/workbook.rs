//! The words of the workbook's commands: `init`, `reset`, `task`.

use console::style;

use super::marks;

/// `init`: the workbook written (`exercises` counts them: "15 exercises").
pub fn written(exercises: &str, dir: &str) -> String {
    marks::done(&format!("wrote a workbook with {exercises} to {dir}"))
}

/// `init`: what to run next, each command beside what it does, wrapped to `width` columns (a
/// note that does not fit continues under itself). `warming`: the first build started in the
/// background; `first`: the first exercise's name.
pub fn next_steps(dir: &str, first: Option<&str>, warming: bool, width: usize) -> String {
    let check = if warming {
        "grade the first exercise"
    } else {
        "grade the first exercise (the first build compiles tokio once)"
    };
    let hint = first.map(|f| format!("asyncwork hint {f}"));
    let mut rows: Vec<(String, &str)> = vec![
        (format!("cd {dir}"), ""),
        (
            "asyncwork".into(),
            "the course: lessons, demos and exercises in order",
        ),
        (
            "asyncwork task".into(),
            "what to write in the first exercise, and why",
        ),
        ("asyncwork check".into(), check),
        ("asyncwork watch".into(), "re-check on every save"),
    ];
    if let Some(h) = hint {
        rows.push((h, "when stuck"));
    }
    let col = rows
        .iter()
        .filter(|(_, note)| !note.is_empty())
        .map(|(cmd, _)| cmd.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("\nNext:\n");
    for (cmd, note) in &rows {
        if note.is_empty() {
            out.push_str(&format!("  {cmd}\n"));
            continue;
        }
        let lead = format!("  {cmd:<col$}  # ");
        let rest = " ".repeat(lead.chars().count());
        out.push_str(&super::wrap(note, width, &lead, &rest));
    }
    if warming {
        let why = "(Compiling tokio and the support crate in the background, at low priority, \
                   so your first check takes seconds, not half a minute. Its log: \
                   .asyncwork/warm.log)";
        let why = super::wrap(why, width, "", "");
        out.push_str(&format!("\n{}\n", style(why.trim_end()).dim()));
    }
    out
}

/// `init --repair`: what it restored (`files` counts them: "2 files").
pub fn repaired(root: &str, files: &str) -> String {
    marks::done(&format!("repaired {root}: restored {files}:"))
}

/// `init --repair`: after the list of files put back.
pub fn repair_touched_nothing_else() -> String {
    "Your code in src/ and your record were not touched.".into()
}

/// `reset` and `watch`: the learner said no.
pub fn nothing_changed() -> String {
    "Nothing changed.".into()
}

/// `reset` with nothing to put back.
pub fn already_as_shipped() -> String {
    "Already as shipped: nothing to restore.".into()
}

/// `reset`, `init --repair`: one file put back, or moved aside.
pub fn file_line(path: &str) -> String {
    format!("  {path}")
}

/// `reset`, `init --repair`: where the learner's own versions went (`trash`).
pub fn moved_aside(trash: &str) -> String {
    format!("Your versions were moved aside, not deleted: {trash} (same paths):")
}

/// `task`: the three commands to use on exercise `name`, under [`your_turn`] and [`edit_line`].
pub fn commands_for(name: &str) -> String {
    format!(
        "  grade     asyncwork check {name}\n  on save   asyncwork watch\n  stuck?    asyncwork hint {name}"
    )
}

/// `reset`: the files are back but the record could not note it (`error` says why).
pub fn reset_not_recorded(error: &str) -> String {
    marks::warning(&format!(
        "the files are restored, but the record could not note it: {error}"
    ))
}

/// `reset`: what it restored (`files` counts them: "2 files").
pub fn restored(files: &str) -> String {
    marks::done(&format!("restored {files}:"))
}

/// `task` with nothing left to do.
pub fn task_all_done() -> String {
    marks::done(
        "Every exercise is done. Name one to read its task again: `asyncwork task 03_gather`.",
    )
}

/// `task`: the heading over the commands to use.
pub fn your_turn() -> String {
    style("Your turn").bold().to_string()
}

/// `task`: the file to edit.
pub fn edit_line(lib: &str) -> String {
    format!("  edit      {}", style(lib).bold())
}

#[cfg(test)]
mod next_steps_tests {
    use super::next_steps;

    /// At 70 columns every line fits, no word is cut, and a note that wraps continues under
    /// itself rather than under the command.
    #[test]
    fn the_next_steps_fit_a_narrow_terminal() {
        for warming in [false, true] {
            let text = next_steps("lw", Some("01_coroutines"), warming, 70);
            let text = console::strip_ansi_codes(&text);
            for line in text.lines() {
                assert!(line.chars().count() <= 70, "{line:?}");
            }
            let words = |t: &str| t.split_whitespace().map(String::from).collect::<Vec<_>>();
            assert!(words(&text).contains(&"priority,".to_string()) == warming);
            // Issue 25, defect 7: the task is among the first steps.
            assert!(text.contains("asyncwork task "), "{text}");
            let lines: Vec<&str> = text.lines().collect();
            let course = lines.iter().position(|l| l.contains("the course")).unwrap();
            let column = lines[course].find('#').unwrap() + 2;
            assert_eq!(lines[course + 1].find(|c: char| c != ' '), Some(column));
        }
    }
}
