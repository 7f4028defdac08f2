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
//!   commands themselves live in `crate::commands`);
//! * [`warm`]: the background build `init` starts, so the first check is quick.

pub(crate) mod cargo;
pub(crate) mod catalogue;
pub mod discover;
pub mod embed;
pub mod grade;
pub(crate) mod hints;
pub mod init;
pub(crate) mod libtest;
pub(crate) mod nofollow;
pub(crate) mod process;
pub mod report;
pub mod reset;
pub(crate) mod shadow;
pub(crate) mod solutions;
pub mod warm;

use std::path::{Path, PathBuf};

pub use catalogue::{ExerciseCatalogue, ExerciseInfo};

/// The folder of asyncwork's own files inside a workbook.
pub(crate) const DATA: &str = ".asyncwork";

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

    /// `<workbook>/.asyncwork`: the record, the trash, the grading lock.
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.root.join(DATA)
    }

    /// The record, `<workbook>/.asyncwork/progress.db`. SQLite opens (and creates) it and its
    /// side files following links, so a link committed as `.asyncwork`, as the database or as
    /// one of its side files is removed here first (the link only, never what it points to):
    /// the record is always written inside the workbook (see [`nofollow`]).
    pub fn progress_path(&self) -> PathBuf {
        let data = self.data_dir();
        let _ = nofollow::unlink_if_link(&data);
        let path = data.join("progress.db");
        for side in ["", "-wal", "-shm", "-journal"] {
            let mut p = path.clone().into_os_string();
            p.push(side);
            let _ = nofollow::unlink_if_link(Path::new(&p));
        }
        path
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

    /// The exercise whose folder `dir` is in (or is), if any.
    pub(crate) fn exercise_at(&self, dir: &Path) -> Option<&'static ExerciseInfo> {
        let dir = std::path::absolute(dir).ok()?;
        let rel = dir.strip_prefix(&self.root).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        self.catalogue().get(first)
    }

    /// A path inside the workbook, as the learner would type it from where they stand (the
    /// current directory): `src/lib.rs` inside the exercise, `03_gather/src/lib.rs` at the root,
    /// `../03_gather/src/lib.rs` from a sibling.
    pub(crate) fn display_rel(&self, path: &Path) -> String {
        let cwd = std::env::current_dir().ok();
        relative_to(path, cwd.as_deref().unwrap_or(&self.root))
            .display()
            .to_string()
    }
}

/// `path` as seen from `base` (both absolute): `..` for each step up. Paths with nothing in
/// common stay absolute.
pub(crate) fn relative_to(path: &Path, base: &Path) -> PathBuf {
    use std::path::Component;
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Only the root in common: an absolute path reads better than a ladder of `..`.
    if common <= 1 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_from_where_the_learner_stands() {
        let file = Path::new("/home/a/wb/03_gather/src/lib.rs");
        assert_eq!(
            relative_to(file, Path::new("/home/a/wb")),
            Path::new("03_gather/src/lib.rs")
        );
        assert_eq!(
            relative_to(file, Path::new("/home/a/wb/03_gather")),
            Path::new("src/lib.rs")
        );
        assert_eq!(
            relative_to(file, Path::new("/home/a/wb/04_taskgroup/src")),
            Path::new("../../03_gather/src/lib.rs")
        );
        assert_eq!(relative_to(file, Path::new("/tmp")), file);
    }
}
