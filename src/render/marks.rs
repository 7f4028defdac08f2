//! The marks and labels the commands' messages start with: ✓ and ✗, `warning:`, `note:`,
//! `error:`, `interrupted:`, and how far an exercise is.

use console::style;

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
