//! The words of the workbook's commands: `init`, `reset`, `task`.

use console::style;

use super::marks;

/// `init`: the workbook written (`exercises` counts them: "15 exercises").
pub fn written(exercises: &str, dir: &str) -> String {
    marks::done(&format!("wrote a workbook with {exercises} to {dir}"))
}

/// `init`: the build started in the background.
pub fn warming_in_background() -> String {
    style(
        "\n(Compiling tokio and the support crate in the background, at low priority, so \
         your first check takes seconds, not half a minute. Its log: \
         .asyncwork/warm.log)",
    )
    .dim()
    .to_string()
}

/// `init --repair`: what it restored (`files` counts them: "2 files").
pub fn repaired(root: &str, files: &str) -> String {
    marks::done(&format!("repaired {root}: restored {files}:"))
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
