//! The words of `asyncwork check` around the grading report ([`super::grading`]).

use console::style;

use super::marks;

/// The record cannot be opened (`error` says why): grading goes on, unrecorded.
pub fn record_unreadable(error: &str) -> String {
    marks::warning(&format!(
        "{error}\n  Grading anyway; this attempt is not recorded.\n"
    ))
}

/// The record was an empty file where asyncwork had graded before: it starts again from nothing.
pub fn record_emptied(path: &str) -> String {
    marks::warning(&format!(
        "your progress database {path} was empty (0 bytes) although this workbook was graded \
         before: the earlier record is lost, and a new one starts now.\n"
    ))
}

/// `check` with nothing left to grade.
pub fn all_done() -> String {
    marks::done(
        "Every exercise is done. `asyncwork check --all` grades them all again; `asyncwork progress` shows your record.",
    )
}

/// Said once per check where the tests' writes cannot be confined.
pub fn writes_not_confined() -> String {
    marks::note(
        "this system cannot confine the tests' writes (no Landlock): code under test \
         can write wherever you can. Grade a class one fresh checkout per CI job \
         (docs/grading.md).",
    )
}

/// Under the table of several exercises, when one failed.
pub fn why_not_passing() -> String {
    style("`asyncwork check EXERCISE` shows why one is not passing.")
        .dim()
        .to_string()
}

/// After a pass: the exercise to do next.
pub fn next_exercise(name: &str, title: &str) -> String {
    format!(
        "Next: {} ({title}): `asyncwork check` grades it.",
        style(name).bold()
    )
}

/// After the pass of the last exercise not done.
pub fn last_one() -> String {
    marks::done("That was the last one: every exercise is done.")
}

/// After a pass: where the reference solution was written.
pub fn reference_solution(path: &str) -> String {
    format!(
        "\nCompare with the reference solution: {}",
        style(path).bold()
    )
}

/// After a pass: the reference solution could not be written (`error` says why).
pub fn reference_solution_failed(error: &str) -> String {
    format!(
        "\n{}",
        marks::note(&format!("could not write the reference solution: {error}"))
    )
}

/// After a check of every exercise: the course's standing (`counts`: "3 of 15 exercises done,
/// ..."), the count the menu and `progress` show too.
pub fn your_course(counts: &str) -> String {
    format!("Your course: {counts}.")
}

/// A signal (Ctrl-C) stopped `check` while it graded.
pub fn interrupted() -> String {
    marks::interrupted("check stopped before it finished; run it again to grade")
}

/// The spinner while another check (or watch, or the background build) holds the workbook's
/// grading lock.
pub fn waiting_for_lock() -> String {
    "waiting for another check of this workbook (or watch) to finish…".to_string()
}
