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
//! * [`test_file`]: the grading tests as their file lists them (the order of every report, the
//!   README task of each test);
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
pub mod sandbox;
pub(crate) mod shadow;
pub(crate) mod solutions;
pub(crate) mod test_file;
pub mod warm;

use std::path::{Path, PathBuf};

pub use catalogue::{ExerciseCatalogue, ExerciseInfo};

/// The folder of asyncwork's own files inside a workbook.
pub(crate) const DATA: &str = ".asyncwork";

/// A learner's workbook on disk.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub root: PathBuf,
    /// The folder the grader keeps this workbook's build in, instead of `$CARGO_TARGET_DIR` or
    /// the user's cache folder (see [`Workbook::grading_dir`]).
    pub target_override: Option<PathBuf>,
    /// Names the grader's folder instead of a hash of `root` (see [`Workbook::grading_dir`]): for
    /// a workbook whose temporary root changes every run (`check --solutions`) but whose build
    /// is worth keeping.
    pub(crate) cache_key: Option<String>,
}

impl Workbook {
    pub fn new(root: impl Into<PathBuf>) -> Workbook {
        let root = root.into();
        let root = std::path::absolute(&root).unwrap_or(root);
        Workbook {
            root,
            target_override: None,
            cache_key: None,
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

    /// Grade this workbook in the build `check --solutions` keeps, instead of one of its own.
    /// Only for a workbook of the course's own code that nobody else writes to: asyncwork's
    /// grading tests use it, so its CI compiles the exercise workspace's dependencies once for
    /// the tests and the proof of the solutions. A learner's workbook never does (see
    /// [`Workbook::grading_dir`] for why each has its own).
    pub fn share_the_proofs_build(&mut self) {
        self.cache_key = Some(solutions::PROOF_CACHE.into());
    }

    /// The grader's own folder for this workbook, **outside** the workbook's tree:
    /// `<base>/asyncwork-<hash of the workbook's path>`, holding the grading copy (`copy/`) and
    /// cargo's target dir (`target/`). `<base>` is [`Workbook::target_override`], else
    /// `$CARGO_TARGET_DIR`, else `$XDG_CACHE_HOME/asyncwork` (`~/.cache/asyncwork`).
    ///
    /// Outside the tree, because cargo reads every `.cargo/config.toml` above the directory it
    /// builds in, and a committed one can set a `rustc-wrapper`, a linker, `[patch]`es or a
    /// target dir: built from here, no file the submission controls is among them. And a target
    /// dir of its own, because a target dir shared between workbooks lets one student's test
    /// program (or a poisoned build) replace another's test binaries: the learner's own
    /// `target/` and another workbook's are never used. The cost: the grader compiles tokio once
    /// per workbook, apart from the learner's own `cargo test`.
    pub(crate) fn grading_dir(&self) -> PathBuf {
        let key = self.cache_key.clone().unwrap_or_else(|| {
            use sha2::{Digest, Sha256};
            let digest = Sha256::digest(self.root.as_os_str().as_encoded_bytes());
            digest[..8].iter().map(|b| format!("{b:02x}")).collect()
        });
        let name = format!("asyncwork-{key}");
        let from_env = std::env::var_os("CARGO_TARGET_DIR")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from);
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|d| d.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|d| d.join("asyncwork"));
        let fallback = std::env::temp_dir().join(format!("asyncwork-cache-{}", unsafe_uid()));
        self.target_override
            .clone()
            .into_iter()
            .chain(from_env)
            .chain(cache)
            .chain([fallback])
            .map(|base| std::path::absolute(&base).unwrap_or(base).join(&name))
            // A base inside the workbook (a relative `CARGO_TARGET_DIR=target`) would put the
            // build back under the submission's control: the next candidate is used.
            .find(|dir| !dir.starts_with(&self.root))
            .unwrap_or_else(|| PathBuf::from("/tmp").join(&name))
    }

    /// Where cargo builds for the grader: `<grading dir>/target` (see [`Workbook::grading_dir`]).
    pub(crate) fn target_dir(&self) -> PathBuf {
        self.grading_dir().join("target")
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

/// The real user id, to keep users' fallback cache folders apart.
fn unsafe_uid() -> u32 {
    // SAFETY: getuid cannot fail and touches no memory.
    unsafe { libc::getuid() }
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

    /// Issue 22, item 2: the grader builds outside the workbook, in a folder of each workbook's
    /// own, even when both name the same `CARGO_TARGET_DIR` (or the base is inside one).
    #[test]
    fn every_workbook_builds_apart_and_outside_itself() {
        let tmp = tempfile::tempdir().unwrap();
        let shared = tmp.path().join("class-cache");
        let mut a = Workbook::new(tmp.path().join("alice"));
        let mut b = Workbook::new(tmp.path().join("bob"));
        a.target_override = Some(shared.clone());
        b.target_override = Some(shared.clone());
        assert_ne!(a.target_dir(), b.target_dir());
        assert_ne!(a.grading_dir(), b.grading_dir());
        for wb in [&a, &b] {
            assert!(
                wb.target_dir().starts_with(&shared),
                "{:?}",
                wb.target_dir()
            );
            assert!(!wb.grading_dir().starts_with(&wb.root));
        }
        // A base inside the workbook is not used.
        let mut c = Workbook::new(tmp.path().join("carol"));
        c.target_override = Some(c.root.join("target"));
        assert!(
            !c.grading_dir().starts_with(&c.root),
            "{:?}",
            c.grading_dir()
        );
        // The same workbook always builds in the same place.
        assert_eq!(a.grading_dir(), a.clone().grading_dir());
    }

    /// Issue 22, item 1: the record is never opened through a link (SQLite would follow it).
    #[test]
    fn the_record_path_is_never_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path().join("wb"));
        let outside = tmp.path().join("outside.db");
        std::fs::write(&outside, "precious").unwrap();
        std::fs::create_dir_all(wb.data_dir()).unwrap();
        for side in ["progress.db", "progress.db-wal"] {
            std::os::unix::fs::symlink(&outside, wb.data_dir().join(side)).unwrap();
        }
        let path = wb.progress_path();
        assert!(path.symlink_metadata().is_err(), "the link is gone");
        assert!(
            wb.data_dir()
                .join("progress.db-wal")
                .symlink_metadata()
                .is_err()
        );
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
        // `.asyncwork` itself as a link out of the workbook.
        std::fs::remove_dir_all(wb.data_dir()).unwrap();
        std::os::unix::fs::symlink(tmp.path(), wb.data_dir()).unwrap();
        wb.progress_path();
        assert!(wb.data_dir().symlink_metadata().is_err());
    }

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
