//! The grading copy: a copy of the workspace with the learner's `src/` and everything else
//! pristine (manifests, tests, the `support` crate), kept **outside** the workbook's tree, in the
//! grader's folder for this workbook (`Workbook::grading_dir`, e.g.
//! `~/.cache/asyncwork/asyncwork-<hash>/copy`), so cargo reads no configuration the
//! submission controls.
//!
//! A learner who edits a test file is told so, and graded with the original; a cargo
//! configuration, a build script, a dependency or a proc-macro they add is reported too, and not
//! used. Files are only rewritten when their contents change, so cargo rebuilds only the crate
//! that was edited.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Workbook, embed, nofollow};

/// A learner file that differs from the original and is ignored for grading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tampered {
    /// Relative to the workbook root.
    pub path: String,
    /// `modified`, `deleted` or `added`.
    pub change: String,
    /// Why the change is not used and what is allowed instead, when the usual "only `src/` is
    /// graded" does not say enough (a cargo configuration, a build script, a dependency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a learner may change, said when they changed something else that builds code.
pub(crate) const ALLOWED: &str = "grading builds only your src/ (any modules and files in it), \
    with the shipped Cargo.toml and its dependencies (tokio, futures, support); cargo \
    configuration (.cargo/), build scripts (build.rs), added dependencies, \
    [build-dependencies] and proc-macros are not used";

/// Does a learner's manifest try to run code at build time or add code to the build?
fn builds_more(manifest: &[u8]) -> Option<&'static str> {
    let doc: toml::Table = toml::from_str(std::str::from_utf8(manifest).ok()?).ok()?;
    let table = |k: &str| doc.get(k).and_then(|v| v.as_table());
    if table("build-dependencies").is_some_and(|t| !t.is_empty()) {
        Some("[build-dependencies]")
    } else if table("lib").is_some_and(|l| {
        l.get("proc-macro")
            .is_some_and(|v| v.as_bool() == Some(true))
    }) {
        Some("a proc-macro")
    } else if table("package")
        .is_some_and(|p| p.get("build").is_some_and(|v| v.as_bool() != Some(false)))
    {
        Some("a build script")
    } else if table("patch").is_some() || table("replace").is_some() {
        Some("[patch] or [replace]")
    } else {
        None
    }
}

/// Is `rel` (relative to the workbook root) a learner-owned source file of some exercise?
fn is_learner_src(rel: &Path, exercise_names: &BTreeSet<&str>) -> bool {
    let mut comps = rel.components();
    let (Some(first), Some(second)) = (comps.next(), comps.next()) else {
        return false;
    };
    exercise_names.contains(first.as_os_str().to_str().unwrap_or_default())
        && second.as_os_str() == "src"
}

/// All regular files below `dir`, as paths relative to `dir`, sorted. Missing dir: empty.
pub(crate) fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if entry.file_name() != "target" {
                    walk(base, &path, out);
                }
            } else if kind.is_file() {
                if let Ok(rel) = path.strip_prefix(base) {
                    out.push(rel.to_path_buf());
                }
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Editor droppings in `src/` that must not change the hash or reach the grading copy.
fn is_noise(rel: &Path) -> bool {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
}

/// Source files: (path relative to an exercise's `src/`, contents).
pub(crate) type Sources = Vec<(PathBuf, Vec<u8>)>;

/// The largest learner source file graded. Exercise solutions are a few KB; a file far larger is
/// a mistake (a log, a data dump), and reading it whole would cost its size in memory, twice.
pub(crate) const MAX_SOURCE_FILE: u64 = 1 << 20;

/// Learner's `src/` files of one exercise: (path relative to the exercise's `src/`, contents).
/// A file over [`MAX_SOURCE_FILE`] is refused with its name and size, before it is read.
pub(crate) fn learner_sources(wb: &Workbook, exercise: &str) -> std::io::Result<Sources> {
    let src = wb.exercise_dir(exercise).join("src");
    let mut out = Vec::new();
    for rel in list_files(&src) {
        if is_noise(&rel) {
            continue;
        }
        let path = src.join(&rel);
        let size = std::fs::metadata(&path)?.len();
        if size > MAX_SOURCE_FILE {
            return Err(std::io::Error::other(format!(
                "{} is {size} bytes; asyncwork grades source files of at most {MAX_SOURCE_FILE} \
                 bytes: move it out of src/",
                wb.display_rel(&path)
            )));
        }
        out.push((rel.clone(), std::fs::read(&path)?));
    }
    Ok(out)
}

/// A hash of everything embedded: a different asyncwork build grades differently.
fn embedded_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for (path, contents) in embed::files(embed::exercises()) {
            h.update(path.to_string_lossy().as_bytes());
            h.update((contents.len() as u64).to_le_bytes());
            h.update(contents);
        }
        hex(&h.finalize())
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of a learner's attempt: their `src/` plus the grader build that judges it.
pub(crate) fn source_hash(exercise: &str, sources: &[(PathBuf, Vec<u8>)]) -> String {
    let mut h = Sha256::new();
    h.update(b"asyncwork-attempt-v1\0");
    h.update(embedded_hash().as_bytes());
    h.update(exercise.as_bytes());
    for (path, contents) in sources {
        h.update(b"\0");
        h.update(path.to_string_lossy().as_bytes());
        h.update((contents.len() as u64).to_le_bytes());
        h.update(contents);
    }
    hex(&h.finalize())
}

/// The hash [`source_hash`] gives an exercise's `src/` as shipped: an attempt with this hash is
/// the untouched exercise, graded (by `check --all`) but not attempted by the learner.
pub(crate) fn pristine_hash(exercise: &str) -> String {
    let prefix = Path::new(exercise).join("src");
    let sources: Sources = embed::exercise_files(exercise)
        .into_iter()
        .filter_map(|(path, contents)| {
            let rel = path.strip_prefix(&prefix).ok()?;
            (!is_noise(rel)).then(|| (rel.to_path_buf(), contents.to_vec()))
        })
        .collect();
    source_hash(exercise, &sources)
}

/// Learner files outside `src/` that differ from the originals (tests, manifest), which grading
/// ignores.
pub(crate) fn tampered(wb: &Workbook, exercise: &str) -> Vec<Tampered> {
    let names: BTreeSet<&str> = [exercise].into();
    let mut out = Vec::new();
    let mut pristine_paths = BTreeSet::new();
    for (rel, contents) in embed::exercise_files(exercise) {
        if is_learner_src(rel, &names) || rel.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        pristine_paths.insert(rel.to_path_buf());
        match std::fs::read(wb.root.join(rel)) {
            Ok(current) if current == contents => {}
            // Line endings changed by an editor or git on Windows are not an edit.
            Ok(current) if normalise(&current) == normalise(contents) => {}
            Ok(current) => out.push(Tampered {
                path: rel.display().to_string(),
                change: "modified".into(),
                note: builds_more(&current).map(|what| format!("it adds {what}: {ALLOWED}")),
            }),
            Err(_) => out.push(Tampered {
                path: rel.display().to_string(),
                change: "deleted".into(),
                note: None,
            }),
        }
    }
    // Files cargo would act on if the grader built in the learner's tree: reported, never used
    // (the grading copy is outside the tree and holds only the shipped files and `src/`).
    for rel in [
        PathBuf::from(".cargo"),
        Path::new(exercise).join(".cargo"),
        Path::new(exercise).join("build.rs"),
    ] {
        if wb.root.join(&rel).symlink_metadata().is_ok() && embed::pristine(&rel).is_none() {
            let what = if rel.ends_with("build.rs") {
                "a build script"
            } else {
                "a cargo configuration"
            };
            out.push(Tampered {
                path: rel.display().to_string(),
                change: "added".into(),
                note: Some(format!("{what} is not used: {ALLOWED}")),
            });
        }
    }
    let tests_dir = wb.exercise_dir(exercise).join("tests");
    for rel in list_files(&tests_dir) {
        let full_rel = Path::new(exercise).join("tests").join(&rel);
        if !pristine_paths.contains(&full_rel) && !is_noise(&rel) {
            out.push(Tampered {
                path: full_rel.display().to_string(),
                change: "added".into(),
                note: None,
            });
        }
    }
    out
}

fn normalise(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().filter(|b| *b != b'\r').collect()
}

/// An exclusive lock on the grading copy, held while it is synced, built and run.
pub(crate) struct GradeLock {
    _file: File,
}

/// The file every grader and the background build lock (`flock`) so only one builds at a time.
///
/// It lives in `.asyncwork/`; when that is a plain file (the record cannot be kept, and the
/// check says so), in the grader's own folder instead, so the check still grades: one rule for
/// a record that cannot be used, whatever the damage (grade, do not record, say so).
pub(crate) fn lock_file(wb: &Workbook) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    if wb.data_dir().symlink_metadata().is_ok_and(|m| m.is_file()) {
        let dir = wb.grading_dir();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join("grade.lock");
        return File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()));
    }
    let path = wb.data_dir().join("grade.lock");
    let dir = nofollow::real_dir(&wb.root, Path::new(super::DATA))
        .with_context(|| format!("cannot create {}", wb.data_dir().display()))?;
    nofollow::unlink_if_link(&path)?;
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join("grade.lock"))
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Take the grading lock, blocking until it is free. When another grader holds it (a second
/// `check`, or watch's), `waiting` is called first, so the caller can say what it waits for
/// rather than spin with no word.
pub(crate) fn lock_or_wait(wb: &Workbook, waiting: impl FnOnce()) -> Result<GradeLock> {
    use std::os::fd::AsRawFd;
    let data = wb.data_dir();
    let file = lock_file(wb)?;
    // SAFETY: plain syscall on a valid fd; returns at once, taken or not.
    let free = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
    if free {
        return Ok(GradeLock { _file: file });
    }
    waiting();
    // SAFETY: plain syscall on a valid fd; blocks until another grader releases the lock.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if rc != 0 {
        anyhow::bail!(
            "cannot lock {}: {}",
            data.join("grade.lock").display(),
            std::io::Error::last_os_error()
        );
    }
    Ok(GradeLock { _file: file })
}

/// Give the grading copy's crates a version of their own, `0.1.0+g<hash of its location>`.
///
/// Why: cargo names the artifacts of path crates from their path *relative to the workspace
/// root*, so the same exercise built from two copies (the learner's workspace and the grading
/// copy, or two workbooks sharing `CARGO_TARGET_DIR`) lands in the same files, and cargo's mtime
/// check can then take one copy's build for the other's: a learner's edited tests, or another
/// workbook's solution. The version is part of the package id, so a distinct version keeps the
/// grading copy's artifacts apart, while registry crates (tokio) are still shared.
fn tag_workspace_version(manifest: &[u8], root: &Path) -> Result<String> {
    let text = std::str::from_utf8(manifest).context("the workspace Cargo.toml is not UTF-8")?;
    let mut doc: toml::Table =
        toml::from_str(text).context("the workspace Cargo.toml does not parse")?;
    let tag = {
        let mut h = Sha256::new();
        h.update(root.to_string_lossy().as_bytes());
        hex(&h.finalize())[..12].to_string()
    };
    let package = doc
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .map(|w| {
            w.entry("package")
                .or_insert_with(|| toml::Value::Table(Default::default()))
        })
        .and_then(|p| p.as_table_mut());
    if let Some(package) = package {
        let base = package
            .get("version")
            .and_then(|v| v.as_str())
            .map(|v| v.split('+').next().unwrap_or(v).to_string())
            .unwrap_or_else(|| "0.1.0".into());
        package.insert(
            "version".into(),
            toml::Value::String(format!("{base}+g{tag}")),
        );
    }
    Ok(format!(
        "# The grading copy written by asyncwork: do not edit.\n{}",
        toml::to_string(&doc)?
    ))
}

/// An exercise crate's manifest as the grading copy builds it: with `unsafe_code` forbidden.
///
/// Why: the test's verdict comes from a token the harness holds in the test process's memory
/// (see `grade::proof`); safe Rust cannot read another function's stack, but `unsafe` code, a
/// `#[no_mangle]` symbol that replaces a libc function, or a `#[link_section]` constructor that
/// runs before `main` could. None of the exercises needs `unsafe`, and `forbid` cannot be
/// lifted by an `#[allow]` in the learner's code. Dependencies (tokio) are not affected: cargo
/// caps their lints. Only the grading copy changes; the learner's `Cargo.toml` stays as shipped.
fn forbid_unsafe(rel: &Path, contents: &[u8], exercises: &BTreeSet<&str>) -> Option<String> {
    let mut parts = rel.components();
    let (Some(first), Some(second), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    let name = first.as_os_str().to_str()?;
    if !exercises.contains(name) || second.as_os_str() != "Cargo.toml" {
        return None;
    }
    let text = std::str::from_utf8(contents).ok()?;
    if text.contains("[lints") {
        return None;
    }
    Some(format!(
        "{text}\n# Added by asyncwork's grader (see `shadow::forbid_unsafe`).\n[lints.rust]\nunsafe_code = \"forbid\"\n"
    ))
}

/// The grading copy's root: outside the workbook (see the module doc).
pub(crate) fn root(wb: &Workbook) -> PathBuf {
    wb.grading_dir().join("copy")
}

/// Bring the grading copy up to date: everything pristine, except the `src/` of `graded`
/// exercises, which is the learner's. Exercises not being graded keep whatever `src/` they
/// have (or get the original, so the workspace loads).
pub(crate) fn sync(wb: &Workbook, graded: &[(String, Sources)]) -> Result<PathBuf> {
    // Every file is written without following a link (see `nofollow`): a link planted inside
    // the grading copy is replaced, never written through.
    let root = root(wb);
    std::fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    let catalogue = wb.catalogue();
    let names: BTreeSet<&str> = catalogue
        .exercises
        .iter()
        .map(|e| e.name.as_str())
        .chain(graded.iter().map(|(name, _)| name.as_str()))
        .collect();
    for (rel, contents) in embed::files(embed::exercises()) {
        let dest = root.join(rel);
        if rel == Path::new("Cargo.toml") {
            let manifest = tag_workspace_version(contents, &root)?;
            nofollow::write_if_different(&root, rel, manifest.as_bytes())?;
        } else if is_learner_src(rel, &names) || rel == Path::new("Cargo.lock") {
            // Cargo.lock: cargo adjusts it to the tagged versions; leave its copy alone.
            if !dest.symlink_metadata().is_ok_and(|m| m.is_file()) {
                nofollow::write_if_different(&root, rel, contents)?;
            }
        } else if let Some(manifest) = forbid_unsafe(rel, contents, &names) {
            nofollow::write_if_different(&root, rel, manifest.as_bytes())?;
        } else {
            nofollow::write_if_different(&root, rel, contents)
                .with_context(|| format!("cannot write {}", dest.display()))?;
        }
    }
    for (exercise, sources) in graded {
        let src_rel = Path::new(exercise).join("src");
        let src = nofollow::real_dir(&root, &src_rel)?;
        let keep: BTreeSet<&Path> = sources.iter().map(|(p, _)| p.as_path()).collect();
        for existing in list_files(&src) {
            if !keep.contains(existing.as_path()) {
                let _ = std::fs::remove_file(src.join(&existing));
            }
        }
        for (rel, contents) in sources {
            nofollow::write_if_different(&src, rel, contents)?;
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, defect 10: a second grader hears that it waits (for its spinner to say so),
    /// and takes the lock once the first lets go; a free lock is taken with no word.
    #[test]
    fn a_held_lock_is_waited_for_and_said() {
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        let quiet = lock_or_wait(&wb, || panic!("a free lock is not waited for")).unwrap();
        let (said, heard) = std::sync::mpsc::channel();
        let second = std::thread::spawn(move || {
            let wb = Workbook::new(tmp.path());
            lock_or_wait(&wb, move || said.send(()).unwrap()).map(drop)
        });
        heard.recv().expect("the second grader says it waits");
        drop(quiet);
        second.join().unwrap().unwrap();
    }

    #[test]
    fn learner_src_paths() {
        let names: BTreeSet<&str> = ["03_gather"].into();
        assert!(is_learner_src(Path::new("03_gather/src/lib.rs"), &names));
        assert!(is_learner_src(
            Path::new("03_gather/src/deep/mod.rs"),
            &names
        ));
        assert!(!is_learner_src(
            Path::new("03_gather/tests/grade.rs"),
            &names
        ));
        assert!(!is_learner_src(Path::new("support/src/lib.rs"), &names));
        assert!(!is_learner_src(Path::new("03_gather/Cargo.toml"), &names));
    }

    /// Issue 13, item 11: an absurd source file is refused by name and size, before reading it.
    #[test]
    fn absurd_source_files_are_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbook::new(dir.path());
        let src = wb.exercise_dir("03_gather").join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("lib.rs"), "pub fn f() {}").unwrap();
        assert_eq!(learner_sources(&wb, "03_gather").unwrap().len(), 1);
        let big = std::fs::File::create(src.join("dump.rs")).unwrap();
        big.set_len(MAX_SOURCE_FILE + 1).unwrap();
        let err = learner_sources(&wb, "03_gather").unwrap_err().to_string();
        assert!(
            err.contains("03_gather/src/dump.rs is 1048577 bytes"),
            "{err}"
        );
    }

    #[test]
    fn hash_depends_on_sources_only() {
        let a = vec![(PathBuf::from("lib.rs"), b"fn a() {}".to_vec())];
        let b = vec![(PathBuf::from("lib.rs"), b"fn b() {}".to_vec())];
        assert_eq!(source_hash("03_gather", &a), source_hash("03_gather", &a));
        assert_ne!(source_hash("03_gather", &a), source_hash("03_gather", &b));
        assert_ne!(
            source_hash("03_gather", &a),
            source_hash("04_taskgroup", &a)
        );
        assert_eq!(source_hash("x", &a).len(), 64);
    }
}
