//! The words of the course menu (`asyncwork` with no command) and of its outline off a terminal.

use console::style;

use super::wrap;
use crate::course::{Course, LessonStanding};
use crate::lesson::Source;

/// One mark per lesson (defined with the exercises' in `marks`).
pub use super::marks::lesson_mark as mark;

/// Above the menu: the name, where the lessons come from, and the course's bar.
pub fn header(source: &Source, course: &Course, width: usize) -> String {
    let mut out = format!(
        "{} {}\n",
        style("asyncwork").bold(),
        style("· async Rust for asyncio developers").dim()
    );
    out.push_str(&super::lesson::source_line(source, width));
    out.push('\n');
    if course.has_workbook {
        let c = course.exercises.counts();
        let bar_width = width.saturating_sub(4).clamp(10, 40);
        out.push_str(&format!(
            "{} {}\n",
            super::screen::bar(c.done, c.attempted, c.total(), bar_width),
            style(format!("{} of {} done", c.done, c.total())).bold()
        ));
    } else {
        out.push_str(&wrap(
            "No exercise workbook yet: the lessons work without one; `asyncwork init` writes it.",
            width,
            "",
            "",
        ));
    }
    out.push('\n');
    out
}

/// A lesson's row in the course list: its mark, number and title, and `← next` on the next.
pub fn lesson_label(lesson: &LessonStanding, next: bool) -> String {
    if next {
        format!(
            "{} {:>2}  {} {}",
            mark(lesson.mark),
            lesson.position,
            style(lesson.title.as_str()).bold(),
            style("← next").cyan().bold()
        )
    } else {
        format!(
            "{} {:>2}  {}",
            mark(lesson.mark),
            lesson.position,
            lesson.title
        )
    }
}

/// The heading over a lesson's entries.
pub fn heading(title: &str) -> String {
    style(title).bold().to_string()
}

/// The heading when no lesson is left.
pub fn all_lessons_done() -> String {
    style("Every lesson is done. Well played.")
        .green()
        .bold()
        .to_string()
}

/// The heading over the course list.
pub fn course_heading() -> String {
    style("The course").bold().to_string()
}

/// The legend under it.
pub fn legend() -> String {
    style(super::marks::legend()).dim().to_string()
}

/// The command an entry runs, shown before it runs.
pub fn command_line(words: &[String]) -> String {
    format!(
        "{}\n",
        style(format!("$ asyncwork {}", words.join(" "))).dim()
    )
}

/// The end of the outline: the next command and why.
pub fn next_command(command: &str, why: &str, width: usize) -> String {
    format!(
        "\nNext: {}\n{}",
        style(command).bold(),
        wrap(&format!("({why})"), width, "  ", "  ")
    )
}
