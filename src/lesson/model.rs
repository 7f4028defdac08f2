//! The validated lesson model: what a lesson file means once the loader has accepted it.
//!
//! Each table type is a serde struct with `deny_unknown_fields`, so a misspelt key is an error
//! (with a "did you mean" hint) rather than silently ignored. The top level is assembled by the
//! parser key by key (see `parse.rs`) so that several problems in one file are all reported.

use serde::{Deserialize, Serialize};

use crate::demo::spec::DemoSpec;

/// The only lesson format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// One lesson, from one `lessons/<id>.toml` file.
#[derive(Debug, Clone, Serialize)]
pub struct Lesson {
    pub format_version: u32,
    /// `[a-z0-9_-]+`, equal to the file name without `.toml`.
    pub id: String,
    pub title: String,
    /// Place in the course, from 1; unique across lessons.
    pub position: u32,
    /// One line, shown in `lesson list`.
    pub summary: String,
    /// `[[section]]` tables, in file order.
    pub sections: Vec<Section>,
    /// `hints = [...]`, from gentle to specific.
    pub hints: Vec<String>,
    /// `[[exercise]]` tables: the exercise crates that practise this lesson.
    pub exercises: Vec<ExerciseRef>,
    /// `[[demo]]` tables: live demos for `asyncwork lesson run`.
    pub demos: Vec<DemoSpec>,
}

/// A `[[section]]`: a heading, prose, and optionally code and a demo to run.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    /// Prose. Blank lines separate paragraphs; single newlines are re-flowed to the terminal.
    pub body: String,
    /// The same idea in Python and in Rust.
    #[serde(default)]
    pub code: Option<CodePair>,
    /// Name of a `[[demo]]` in this file that shows this section's claim live.
    #[serde(default)]
    pub demo: Option<String>,
    /// More demos for this section, when one is not enough (`demos = ["a", "b"]`).
    #[serde(default)]
    pub demos: Vec<String>,
}

impl Section {
    /// Every demo the section points at: `demo`, then `demos`.
    pub fn demo_names(&self) -> impl Iterator<Item = &str> {
        self.demo.iter().chain(&self.demos).map(String::as_str)
    }
}

/// `[section.code]`: code shown side by side, Python (what learners know) and Rust.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodePair {
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub python: Option<String>,
    #[serde(default)]
    pub rust: Option<String>,
}

/// An `[[exercise]]` reference.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseRef {
    /// Directory name of the exercise crate, e.g. `03_gather`.
    pub name: String,
    /// `true` when the exercise is not written yet: the only way to name a missing exercise.
    #[serde(default)]
    pub planned: bool,
}

impl Lesson {
    /// The exercise learners should do first for this lesson, if any.
    pub fn main_exercise(&self) -> Option<&ExerciseRef> {
        self.exercises.first()
    }
}

/// Is `id` a valid lesson id (`[a-z0-9_-]+`)?
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}
