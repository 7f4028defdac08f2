//! `asyncwork lesson show`: a lesson rendered for reading in a terminal.
//!
//! Prose is re-flowed to the width; code is never wrapped (a wrapped line of code is a different
//! line of code). Python and Rust stand side by side when both fit, one after the other otherwise.

use std::fmt::Write as _;

use console::{Alignment, measure_text_width, pad_str, style};

use super::plural;
use crate::lesson::model::{CodePair, CompileFail, Lesson, Section};

/// Prose is hard to read past about 100 columns, however wide the terminal.
const MAX_PROSE_WIDTH: usize = 100;

/// What the reader can do after this lesson, worked out by the caller.
#[derive(Debug, Default)]
pub struct Context<'a> {
    pub total_lessons: usize,
    pub next_lesson: Option<&'a Lesson>,
    /// The `--lessons DIR` the lesson was read with: the commands it suggests carry it, or
    /// they would read the built-in lessons instead.
    pub lessons: Option<&'a str>,
    /// Run inside an exercise workbook: `check` can grade there; outside, `init` comes first.
    pub in_workbook: bool,
}

pub fn render(lesson: &Lesson, cx: &Context<'_>, width: usize) -> String {
    let prose_width = width.clamp(20, MAX_PROSE_WIDTH);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style(format!(
            "Lesson {} · {} · {} in this course",
            lesson.position,
            lesson.id,
            plural(cx.total_lessons, "lesson")
        ))
        .dim()
    );
    let _ = writeln!(out, "{}", style(&lesson.title).bold().underlined());
    out.push_str(&wrap(&lesson.summary, prose_width, ""));
    for section in &lesson.sections {
        out.push_str(&section_text(section, width));
        for demo in section.demo_names() {
            let command = format!(
                "asyncwork lesson run {}{} --demo {demo}",
                lesson.id,
                lessons_flag(cx)
            );
            // A command is never wrapped: when it does not fit beside the label, it gets its own line.
            let sep = if "▶ See it live: ".chars().count() + command.chars().count() > width {
                "\n  "
            } else {
                " "
            };
            let _ = writeln!(
                out,
                "\n{}{sep}{}",
                style("▶ See it live:").green().bold(),
                style(command).bold()
            );
        }
    }
    out.push('\n');
    out.push_str(&footer(lesson, cx, width));
    out
}

/// One section: its heading, its prose re-flowed, its Python | Rust code. `lesson step` shows
/// one of these per screen; `lesson show` all of them.
pub fn section_text(section: &Section, width: usize) -> String {
    let prose_width = width.clamp(20, MAX_PROSE_WIDTH);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{}",
        style(format!("## {}", section.heading)).cyan().bold()
    );
    for paragraph in paragraphs(&section.body) {
        out.push('\n');
        out.push_str(&wrap(&paragraph, prose_width, ""));
    }
    if let Some(code) = &section.code {
        out.push('\n');
        out.push_str(&render_code(code, width));
    }
    for rejected in &section.compile_fail {
        out.push('\n');
        out.push_str(&render_code(&rejected.code_pair(), width));
        out.push_str(&rustc_says(rejected, width));
    }
    out
}

/// rustc's words under a compile-fail block, as rustc prints them (captured by the snippets
/// test, so they match the toolchain the course was checked with).
fn rustc_says(rejected: &CompileFail, width: usize) -> String {
    let headline = rejected.headline();
    let headline = if rejected.warning.is_some() {
        style(headline).yellow()
    } else {
        style(headline).red()
    };
    let mut lines = vec![format!("{} {headline}", style("rustc:").dim())];
    if let Some(label) = &rejected.label {
        lines.push(format!("  ^ {label}"));
    }
    if let Some(note) = &rejected.note {
        lines.push(format!("  = note: {note}"));
    }
    let mut out = String::new();
    for line in lines {
        let options = textwrap::Options::new(width.max(20)).subsequent_indent("    ");
        out.push_str(&textwrap::fill(&line, options));
        out.push('\n');
    }
    out
}

/// ` --lessons DIR` when the lesson was read from `--lessons DIR`, else nothing. DIR is quoted
/// for the shell when it has anything but plain path characters.
fn lessons_flag(cx: &Context<'_>) -> String {
    let Some(dir) = cx.lessons else {
        return String::new();
    };
    let plain = !dir.is_empty()
        && dir
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:=@%~".contains(c));
    if plain {
        format!(" --lessons {dir}")
    } else {
        format!(" --lessons '{}'", dir.replace('\'', r"'\''"))
    }
}

fn footer(lesson: &Lesson, cx: &Context<'_>, width: usize) -> String {
    let mut out = String::new();
    out.push_str(&hints(lesson, width));
    let mut steps: Vec<(String, String)> = Vec::new();
    if !lesson.demos.is_empty() {
        let demos = plural(lesson.demos.len(), "demo");
        steps.push((
            format!("asyncwork lesson run {}{}", lesson.id, lessons_flag(cx)),
            format!("watch the {demos} live"),
        ));
    }
    let written: Vec<_> = lesson.exercises.iter().filter(|e| !e.planned).collect();
    if !written.is_empty() && !cx.in_workbook {
        // `check` grades inside a workbook only: outside one it would fail.
        steps.push((
            "asyncwork init".into(),
            "write the exercise workbook, to solve the exercise".into(),
        ));
    }
    for ex in &lesson.exercises {
        if ex.planned {
            steps.push((
                format!("exercise {}", ex.name),
                "planned, not written yet".into(),
            ));
        } else if cx.in_workbook {
            steps.push((
                format!("asyncwork check {}", ex.name),
                "solve the exercise".into(),
            ));
        }
    }
    if let Some(next) = cx.next_lesson {
        steps.push((
            format!("asyncwork lesson show {}{}", next.id, lessons_flag(cx)),
            format!("next: {}", next.title),
        ));
    }
    out.push_str(&next_steps(&steps, width));
    out
}

/// "Next:" and its commands, each with why, the whys aligned in one column. A line wider than
/// `width` is never cut (a command cut short cannot be copied): its why goes under it, further
/// indented. Nothing at all when there is no step.
fn next_steps(steps: &[(String, String)], width: usize) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let column = steps
        .iter()
        .map(|(command, _)| command.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!("{}\n", style("Next:").bold());
    for (command, why) in steps {
        let pad = column - command.chars().count();
        let line = format!("  {command}{}    {why}", " ".repeat(pad));
        if line.chars().count() <= width {
            let _ = writeln!(
                out,
                "  {command}{}    {}",
                " ".repeat(pad),
                style(why).dim()
            );
        } else {
            let _ = writeln!(out, "  {command}");
            let why = textwrap::fill(
                why,
                textwrap::Options::new(width.max(20))
                    .initial_indent("      ")
                    .subsequent_indent("      "),
            );
            let _ = writeln!(out, "{}", style(why).dim());
        }
    }
    out
}

/// The lesson's hints, numbered and wrapped, from gentle to specific; then where the exercise's
/// own hints are (one at a time, counted in the record).
pub fn hints(lesson: &Lesson, width: usize) -> String {
    let prose_width = width.clamp(20, MAX_PROSE_WIDTH);
    let mut out = String::new();
    if lesson.hints.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{} {}",
        style("Hints").bold(),
        style("(from gentle to specific; try without them first)").dim()
    );
    for (i, hint) in lesson.hints.iter().enumerate() {
        out.push_str(&super::wrap(
            &format!("{}. {hint}", i + 1),
            prose_width,
            "  ",
            "     ",
        ));
    }
    if let Some(ex) = lesson.main_exercise().filter(|e| !e.planned) {
        out.push_str(
            &style(super::wrap(
                &format!(
                    "Hints for the exercise, one at a time: asyncwork hint {}",
                    ex.name
                ),
                prose_width,
                "  ",
                "  ",
            ))
            .dim()
            .to_string(),
        );
    }
    out.push('\n');
    out
}

/// Paragraphs are separated by blank lines; inside one, line breaks are re-flowed.
/// Lines starting with `- ` or `* ` stay separate, so authors can write lists.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in body.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let mut current = String::new();
        for line in block.lines().map(str::trim) {
            let item = line.starts_with("- ") || line.starts_with("* ");
            if item && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
        out.push(current);
    }
    out
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let hanging = if text.starts_with("- ") || text.starts_with("* ") {
        "  "
    } else {
        ""
    };
    let subsequent = format!("{indent}{hanging}");
    let options = textwrap::Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(&subsequent);
    let mut out = textwrap::fill(text, options);
    out.push('\n');
    out
}

/// Code lines, trimmed of the blank first/last lines TOML multi-line strings leave.
fn code_lines(code: &str) -> Vec<String> {
    code.trim_matches('\n')
        .lines()
        .map(|l| l.replace('\t', "    "))
        .collect()
}

fn render_code(code: &CodePair, width: usize) -> String {
    let mut out = String::new();
    if let Some(caption) = &code.caption {
        out.push_str(
            &style(wrap(caption, width.min(MAX_PROSE_WIDTH), ""))
                .italic()
                .to_string(),
        );
    }
    let blocks: Vec<(&str, Vec<String>)> = [("Python", &code.python), ("Rust", &code.rust)]
        .into_iter()
        .filter_map(|(label, text)| text.as_deref().map(|t| (label, code_lines(t))))
        .collect();
    let inner = |lines: &[String], label: &str| {
        lines
            .iter()
            .map(|l| measure_text_width(l))
            .max()
            .unwrap_or(0)
            .max(label.len() + 2)
    };
    let side_by_side = blocks.len() == 2 && {
        let total: usize = blocks
            .iter()
            .map(|(label, lines)| inner(lines, label) + 4)
            .sum();
        total < width
    };
    if side_by_side {
        let boxes: Vec<Vec<String>> = blocks
            .iter()
            .map(|(label, lines)| boxed(label, lines, inner(lines, label)))
            .collect();
        let rows = boxes.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..rows {
            let left = boxes[0]
                .get(i)
                .cloned()
                .unwrap_or_else(|| " ".repeat(inner(&blocks[0].1, blocks[0].0) + 4));
            let right = boxes[1].get(i).cloned().unwrap_or_default();
            let _ = writeln!(out, "{left} {right}");
        }
    } else {
        for (label, lines) in &blocks {
            let fit = inner(lines, label).min(width.saturating_sub(4).max(20));
            for line in boxed(label, &soft_wrap(lines, fit), fit) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

/// Code lines cut to `width` columns, the rest of a long line continued on the next with `↪`,
/// so a box never overflows the terminal (`lesson validate` warns about such lines).
fn soft_wrap(lines: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        if chars.len() <= width || width < 4 {
            out.push(line.clone());
            continue;
        }
        out.push(chars[..width].iter().collect());
        for chunk in chars[width..].chunks(width - 2) {
            out.push(format!("↪ {}", chunk.iter().collect::<String>()));
        }
    }
    out
}

/// A box with the language name in its top border.
fn boxed(label: &str, lines: &[String], width: usize) -> Vec<String> {
    let color = |s: String| match label {
        "Python" => style(s).yellow().to_string(),
        _ => style(s).color256(208).to_string(),
    };
    let top = format!(
        "┌─ {label} {}┐",
        "─".repeat(width.saturating_sub(label.len() + 1))
    );
    let mut out = vec![color(top)];
    for line in lines {
        let padded = pad_str(line, width, Alignment::Left, None);
        out.push(format!(
            "{} {padded} {}",
            color("│".into()),
            color("│".into())
        ));
    }
    out.push(color(format!("└{}┘", "─".repeat(width + 2))));
    out
}

/// Where the lessons come from, dimmed, wrapped to `width` (`lesson list`, the menu).
pub fn source_line(source: &crate::lesson::Source, width: usize) -> String {
    faint(&source.to_string(), width)
}

/// `text` wrapped to `width` (later lines indented), dimmed, without the last line end.
fn faint(text: &str, width: usize) -> String {
    style(super::wrap(text, width, "", "  ").trim_end())
        .dim()
        .to_string()
}

/// After a bad lesson file's first problem: how many it has and how to list them.
pub fn more_problems_in(file: &str, total: usize) -> String {
    format!(
        "  {} `asyncwork lesson validate {file}` lists them",
        style(format!("({} in this file)", plural(total, "problem"))).dim()
    )
}

/// After the problems of the lesson files: how many, and how to list them all.
pub fn problems_warning(problems: usize, files: usize) -> String {
    super::marks::warning(&format!(
        "{} in {}; `asyncwork lesson validate` lists them all",
        plural(problems, "problem"),
        plural(files, "lesson file")
    ))
}

/// `lesson list`: a lesson's exercise, not written yet.
pub fn planned(exercise: &str) -> String {
    format!("{exercise} {}", style("(planned)").dim())
}

/// `lesson list`: a lesson without an exercise.
pub fn no_exercise() -> String {
    style("-").dim().to_string()
}

/// `lesson list`, narrow: a lesson's number and title.
pub fn list_title(position: u32, title: &str) -> String {
    format!("{position:>2}  {}", style(title).bold())
}

/// `lesson list`: a lesson's id.
pub fn list_id(id: &str) -> String {
    style(id).bold().to_string()
}

/// Under `lesson list`.
pub fn read_one_hint() -> String {
    format!(
        "\n{}\n",
        style("Read one with: asyncwork lesson show ID").dim()
    )
}

/// `lesson show`: the learner's exercises of the lesson (`lines`), under their heading.
pub fn your_progress(lines: &str) -> String {
    format!("\n{}\n{lines}", style("Your progress").bold())
}

/// `lesson step`: the top line of a screen.
pub fn step_title(lesson: &Lesson, at: usize, screens: usize, width: usize) -> String {
    let line = format!(
        "Lesson {} · {} · screen {} of {}",
        lesson.position,
        lesson.title,
        at + 1,
        screens
    );
    format!("{}\n", faint(&line, width))
}

/// `lesson step`: the bottom line, the keys.
pub fn step_keys(keys: &[&str]) -> String {
    format!("\n{}", style(keys.join(" · ")).dim())
}

/// `lesson step`: the heading of the last screen.
pub fn lesson_finished(lesson: &Lesson) -> String {
    format!(
        "\n{}\n\n",
        style(format!(
            "That was lesson {}: {}.",
            lesson.position, lesson.title
        ))
        .green()
        .bold()
    )
}

/// `lesson step`: the command for the next lesson.
pub fn next_lesson(id: &str) -> String {
    format!(
        "\nNext lesson: {}\n",
        style(format!("asyncwork lesson step {id}")).bold()
    )
}

/// `lesson validate`: a file without problems.
pub fn valid_file(file: &str) -> String {
    format!("{} {file}\n", style("ok").green().bold())
}

/// `lesson validate --explain`: the heading of a demo's forecasts.
pub fn forecast_heading(lesson: &str, demo: &str, max_speed: f64) -> String {
    format!(
        "\n{} {}\n",
        style(format!("{lesson} / {demo}")).bold(),
        style(format!("(plays at most {max_speed}x)")).dim()
    )
}

/// `lesson validate --explain`: one claim, marked with its forecast's verdict.
pub fn forecast_claim(
    verdict: &crate::demo::predict::Verdict,
    file: &str,
    line: usize,
    claim: &str,
) -> String {
    use crate::demo::predict::Verdict;
    let mark = match verdict {
        Verdict::Safe => style("ok").green(),
        Verdict::Open => style("--").dim(),
        Verdict::Thin { .. } => style("thin").yellow(),
        Verdict::Impossible { .. } => style("no").red(),
    };
    format!("  {mark:>4} {file}:{line}: {claim}\n")
}

/// `lesson validate --explain`: what the model predicts, and the margin the claim leaves.
pub fn forecast_prediction(predicted: &str, margin: &str) -> String {
    let margin = if margin.is_empty() {
        String::new()
    } else {
        format!("; {margin}")
    };
    format!("       {}\n", style(format!("{predicted}{margin}")).dim())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, defect 10: no "Next:" over nothing; a line too long keeps its command whole.
    #[test]
    fn next_steps_print_nothing_for_none_and_never_cut_a_command() {
        console::set_colors_enabled(false);
        assert_eq!(next_steps(&[], 70), "");
        let long = (
            "asyncwork lesson show x --lessons /a/very/long/path/to/lessons".to_string(),
            "next: a title long enough to go past seventy columns".to_string(),
        );
        let text = next_steps(std::slice::from_ref(&long), 70);
        assert!(text.contains(&format!("  {}\n", long.0)), "{text}");
        assert!(text.contains(&long.1), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 70), "{text}");
    }

    fn pair() -> CodePair {
        CodePair {
            caption: None,
            python: Some("await asyncio.sleep(1)\n".into()),
            rust: Some("sleep(Duration::from_secs(1)).await;\n".into()),
        }
    }

    /// A compile-fail block shows its code, then rustc's headline, label and note as rustc
    /// prints them.
    #[test]
    fn a_compile_fail_block_shows_what_rustc_says() {
        let section = Section {
            heading: "Mistakes the compiler stops".into(),
            body: "Some do not compile.".into(),
            code: None,
            demo: None,
            demos: Vec::new(),
            compile_fail: vec![CompileFail {
                caption: Some("A future used as its result".into()),
                python: None,
                rust: "let user: User = fetch_user(id);\n".into(),
                error: Some("E0308".into()),
                warning: None,
                message: "mismatched types".into(),
                label: Some("expected `User`, found future".into()),
                note: Some("calling an async function returns a future".into()),
            }],
        };
        let text = console::strip_ansi_codes(&section_text(&section, 100)).into_owned();
        let code = text.find("let user: User").expect("the code is shown");
        let rustc = text
            .find("rustc: error[E0308]: mismatched types")
            .unwrap_or_else(|| panic!("no headline in:\n{text}"));
        assert!(code < rustc, "rustc's words come under the code:\n{text}");
        assert!(
            text.contains("  ^ expected `User`, found future\n"),
            "{text}"
        );
        assert!(
            text.contains("  = note: calling an async function returns a future\n"),
            "{text}"
        );
    }

    #[test]
    fn code_goes_side_by_side_when_wide() {
        let text = console::strip_ansi_codes(&render_code(&pair(), 120)).into_owned();
        let first = text.lines().next().unwrap();
        assert!(first.contains("Python") && first.contains("Rust"), "{text}");
    }

    #[test]
    fn code_stacks_when_narrow() {
        let text = console::strip_ansi_codes(&render_code(&pair(), 50)).into_owned();
        let python = text.lines().position(|l| l.contains("Python")).unwrap();
        let rust = text.lines().position(|l| l.contains("Rust")).unwrap();
        assert!(rust > python + 2, "{text}");
        for line in text.lines() {
            assert!(measure_text_width(line) <= 50, "too wide: {line}");
        }
    }

    #[test]
    fn paragraphs_reflow_and_keep_list_items() {
        let body = "one\ntwo\n\n- a\n- b";
        assert_eq!(paragraphs(body), vec!["one two", "- a", "- b"]);
    }
}
