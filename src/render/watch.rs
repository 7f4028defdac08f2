//! The words of `asyncwork watch`: its messages, the exercise list and the footer under every
//! run.

use console::style;

use super::marks;
use crate::course::Counts;
use crate::progress::Status;

/// The keys watch mode reads.
pub const KEYS: &str = "n next · h hint · l list · c check all · x reset · q quit";

/// The keys, dimmed, on a line of their own.
pub fn keys() -> String {
    style(KEYS).dim().to_string()
}

/// Watch started with nothing left to do.
pub fn all_done() -> String {
    marks::done("Every exercise is done.")
}

/// `n` with nothing left to do.
pub fn all_done_q_quits() -> String {
    marks::done("Every exercise is done. Well played. (q quits)")
}

/// Off a terminal, after the pass of the last exercise not done.
pub fn all_done_well_played() -> String {
    marks::done("Every exercise is done. Well played.")
}

/// Off a terminal, a pass and the exercise watch moves on to.
pub fn passes_next(passed: &str, next: &str, title: &str) -> String {
    marks::done(&format!("{passed} passes. Next: {next} ({title})\n"))
}

/// No file watcher could be set up.
pub fn no_file_events() -> String {
    style("File events are not available here; checking for changes every second instead.")
        .yellow()
        .to_string()
}

/// The poll saw a change that no file event announced.
pub fn events_not_arriving() -> String {
    style("File change events are not arriving (a network drive, a container or WSL path?); checking for changes every second instead.").yellow().to_string()
}

/// A row of the `l` list: the exercise's mark and name.
pub fn exercise_label(status: Status, name: &str) -> String {
    format!("{} {name}", super::marks::status_glyph(status))
}

/// Above the `l` list.
pub fn pick_header() -> String {
    format!("{}\n\n", style("Jump to an exercise").bold())
}

/// `c`: before grading them all.
pub fn checking_all(count: usize) -> String {
    style(format!("checking all {count} exercises…"))
        .dim()
        .to_string()
}

/// Before grading one.
pub fn checking(exercise: &str) -> String {
    style(format!("checking {exercise}…")).dim().to_string()
}

/// `x`: the question before a reset.
pub fn reset_question(exercise: &str) -> String {
    format!(
        "\nReset {} to its shipped files? Your versions are moved to .asyncwork/trash/, not \
         deleted. {} ",
        style(exercise).bold(),
        style("y/N").bold()
    )
}

/// In a terminal, after a pass.
pub fn exercise_done(exercise: &str) -> String {
    marks::done(&format!("{} is done.", style(exercise).bold()))
}

/// In a terminal, after a pass: the key to move on, wrapped to `width`.
pub fn press_n_for_next(next: &str, title: &str, width: usize) -> String {
    super::wrap(
        &format!(
            "Press {} for the next exercise, {next} ({title}), when you are ready.",
            style("n").bold(),
        ),
        width,
        "",
        "",
    )
}

/// Under every run in a terminal: the verdict again (a long report scrolls its first line
/// away), the course's bar, the file to edit, the keys.
pub fn footer(
    exercise: &str,
    passed: bool,
    message: &str,
    counts: &Counts,
    lib: &str,
    width: usize,
) -> String {
    let bar_width = width.saturating_sub(22).clamp(10, 50);
    let verdict = format!(
        "{} {}: {}",
        if passed {
            marks::done_mark()
        } else {
            marks::failed_mark()
        },
        style(exercise).bold(),
        message.lines().next().unwrap_or_default()
    );
    format!(
        "\n{}{} {}\n{} {}\n{}\n",
        super::wrap(&verdict, width, "", "  "),
        super::screen::bar(counts.done, counts.attempted, counts.total(), bar_width),
        style(format!("{} of {} done", counts.done, counts.total())).bold(),
        style("Current file:").dim(),
        style(lib).bold(),
        style(super::wrap(KEYS, width, "", "").trim_end()).dim()
    )
}

#[cfg(test)]
mod tests {
    /// Issue 25, defect 10: `x` says where the learner's code goes, as `reset` does (the
    /// trash), not that it "will be lost".
    #[test]
    fn the_reset_question_says_where_the_code_goes() {
        console::set_colors_enabled(false);
        let q = super::reset_question("01_coroutines");
        assert!(q.contains("moved to .asyncwork/trash/, not deleted"), "{q}");
        assert!(!q.contains("lost"), "{q}");
    }
}
