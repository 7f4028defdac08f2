//! What each command does: load, call the library, hand the result to a renderer.
//! Each function returns the process exit code: 0 success, 1 a problem the user should fix.

pub mod lesson;
pub mod menu;
pub mod run;

use std::collections::BTreeSet;

/// The exercise crates that exist, for checking lessons' `[[exercise]]` references: the
/// catalogue (`info.toml`) embedded in this binary. Others must be marked `planned = true`.
pub fn known_exercises() -> BTreeSet<String> {
    crate::workbook::ExerciseCatalogue::embedded()
        .names()
        .into_iter()
        .collect()
}
