//! The marks and labels the commands' messages start with: ✓ and ✗, `warning:`, `note:`,
//! `error:`, `interrupted:`, and how far an exercise is.

use console::style;

use crate::course::LessonMark;
use crate::progress::Status;

/// The green ✓ of something done.
pub fn done_mark() -> String {
    style("✓").green().bold().to_string()
}

/// The red ✗ of something that failed.
pub fn failed_mark() -> String {
    style("✗").red().bold().to_string()
}

/// `✓ text`.
pub fn done(text: &str) -> String {
    format!("{} {text}", done_mark())
}

/// `warning: text`.
pub fn warning(text: &str) -> String {
    format!("{} {text}", warning_label())
}

/// `note: text`.
pub fn note(text: &str) -> String {
    format!("{} {text}", note_label())
}

/// `error: text`.
pub fn error(text: &str) -> String {
    format!("{} {text}", error_label())
}

/// `interrupted: text`.
pub fn interrupted(text: &str) -> String {
    format!("{} {}", style("interrupted:").yellow().bold(), text)
}

/// The `warning:` label alone.
pub fn warning_label() -> String {
    style("warning:").yellow().bold().to_string()
}

/// The `note:` label alone.
pub fn note_label() -> String {
    style("note:").yellow().bold().to_string()
}

/// The `error:` label alone.
pub fn error_label() -> String {
    style("error:").red().bold().to_string()
}

/// An exercise's status in words, coloured (`done`, `attempted`, `not started`).
pub fn status_label(status: Status) -> String {
    let label = style(status.label());
    match status {
        Status::Done => label.green(),
        Status::Attempted => label.yellow(),
        Status::NotStarted => label.dim(),
    }
    .to_string()
}

/// An exercise's status in brackets, for listings: `(done)`.
pub fn status_mark(status: Status) -> String {
    match status {
        Status::Done => style("(done)").green().to_string(),
        Status::Attempted => style("(attempted)").yellow().to_string(),
        Status::NotStarted => style("(not started)").dim().to_string(),
    }
}

/// The one glyph per standing, the same for a lesson (the menu, the outline) and an exercise
/// (watch's list): `·` not started, `◔` demos watched (lessons only), `◐` attempted, `✓` done.
fn glyph(mark: LessonMark) -> &'static str {
    match mark {
        LessonMark::Done => "✓",
        LessonMark::Attempted => "◐",
        LessonMark::DemosWatched => "◔",
        LessonMark::NotStarted => "·",
    }
}

/// A lesson's mark, coloured.
pub fn lesson_mark(mark: LessonMark) -> String {
    let g = style(glyph(mark));
    match mark {
        LessonMark::Done => g.green(),
        LessonMark::Attempted => g.yellow(),
        LessonMark::DemosWatched => g.cyan(),
        LessonMark::NotStarted => g.dim(),
    }
    .to_string()
}

/// An exercise's mark, coloured: its lesson's glyph for the same status.
pub fn status_glyph(status: Status) -> String {
    lesson_mark(LessonMark::from(status))
}

/// What the marks mean, plain: `· not started  ◔ demos watched  ◐ exercise attempted  ✓ done`.
pub fn legend() -> String {
    [
        LessonMark::NotStarted,
        LessonMark::DemosWatched,
        LessonMark::Attempted,
        LessonMark::Done,
    ]
    .map(|m| format!("{} {}", glyph(m), m.label()))
    .join("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One mark per status, the exercise's the same as its lesson's (issue 25: the menu, watch's
    /// list and the outline agree).
    #[test]
    fn each_status_has_one_mark() {
        console::set_colors_enabled(false);
        assert_eq!(status_glyph(Status::NotStarted), "·");
        assert_eq!(status_glyph(Status::Attempted), "◐");
        assert_eq!(status_glyph(Status::Done), "✓");
        assert_eq!(lesson_mark(LessonMark::DemosWatched), "◔");
        assert_eq!(status_label(Status::Attempted), "attempted");
        assert_eq!(
            legend(),
            "· not started  ◔ demos watched  ◐ exercise attempted  ✓ done"
        );
    }
}
