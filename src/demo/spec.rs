//! The demo part of a lesson file: `[[demo]]` tables.
//!
//! This is the contract between lesson authors and the engine. The lesson loader deserializes each
//! `[[demo]]` table into a [`DemoSpec`] on its own (so one broken demo does not hide another) and then
//! asks [`DemoSpec::problems`] for the checks serde cannot express.

use serde::{Deserialize, Serialize};

/// One `[[demo]]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSpec {
    /// Short identifier, unique within the lesson: `[a-z0-9_-]+`.
    pub name: String,
    /// One line shown above the demo's output.
    pub title: String,
    /// One paragraph: what the demo shows.
    pub about: String,
}

/// A problem serde cannot detect, e.g. a reference to a task that does not exist.
/// `key` names the offending key inside the demo table, so the loader can point at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub key: Option<String>,
    pub message: String,
}

impl DemoSpec {
    /// Checks that need the whole demo table. Empty when the demo is sound.
    pub fn problems(&self) -> Vec<SpecProblem> {
        Vec::new()
    }
}
