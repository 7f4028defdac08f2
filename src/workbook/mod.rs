//! The workbook: exercise crates a learner edits and asyncwork grades.
//!
//! Data flows one way: the learner's `src/` -> the grading copy ([`shadow`]) -> one cargo build
//! ([`cargo`]) -> test programs run with a time limit ([`process`], read by [`libtest`]) -> the
//! grader's verdict ([`grade`]) -> a [`report`] (plain data) -> `render::grading` (text, JSON,
//! JUnit). Nothing in this module prints or styles; it returns data, and the command layer shows it.
//!
//! One idea per module:
//! * [`catalogue`]: `info.toml`, the list of exercises with their lessons and hints;
//! * [`discover`]: where the learner's workbook is;
//! * [`embed`]: the pristine workbook inside the binary (for `init`, `reset` and grading);
//! * [`shadow`]: the grading copy (learner's `src/` + pristine tests and manifests);
//! * [`cargo`]: building with cargo and reading its JSON diagnostics;
//! * [`libtest`]: reading the test harness's output;
//! * [`process`]: running a child with a timeout, killing its whole process group;
//! * [`grade`]: the grader (pipeline, worker pool, judging, classification, the record's side);
//! * [`report`]: what grading found, as plain data;
//! * [`hints`], [`reset`], [`init`], [`solutions`]: the data behind the other commands (the
//!   commands themselves live in `crate::commands`).

pub(crate) mod cargo;
pub(crate) mod catalogue;
pub mod discover;
pub mod embed;
pub mod grade;
pub(crate) mod hints;
pub mod init;
pub(crate) mod libtest;
pub(crate) mod process;
pub mod report;
pub mod reset;
pub(crate) mod shadow;
pub(crate) mod solutions;

use std::path::{Path, PathBuf};

pub use catalogue::{ExerciseCatalogue, ExerciseInfo};

/// A learner's workbook on disk.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub root: PathBuf,
    /// Build here instead of the default target dir (see [`Workbook::target_dir`]).
    pub target_override: Option<PathBuf>,
}

impl Workbook {
    pub fn new(root: impl Into<PathBuf>) -> Workbook {
        let root = root.into();
        let root = std::path::absolute(&root).unwrap_or(root);
        Workbook {
            root,
            target_override: None,
        }
    }

    /// The catalogue graded against: the one embedded in this binary.
    pub(crate) fn catalogue(&self) -> &'static ExerciseCatalogue {
        ExerciseCatalogue::embedded()
    }

    /// `<workbook>/.asyncwork`: progress and the grading copy.
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.root.join(".asyncwork")
    }

    pub fn progress_path(&self) -> PathBuf {
        self.data_dir().join("progress.db")
    }

    /// Where cargo builds: `$CARGO_TARGET_DIR` when set, else `<workbook>/target` (shared by the
    /// learner's own `cargo test` and by the grader, so tokio compiles once).
    pub(crate) fn target_dir(&self) -> PathBuf {
        if let Some(dir) = &self.target_override {
            return dir.clone();
        }
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => {
                let dir = PathBuf::from(dir);
                std::path::absolute(&dir).unwrap_or(dir)
            }
            _ => self.root.join("target"),
        }
    }

    pub fn exercise_dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A path inside the workbook, as the learner would type it from the workbook root.
    pub(crate) fn display_rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}
