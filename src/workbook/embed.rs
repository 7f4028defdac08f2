//! The workbook as shipped, embedded in the binary.
//!
//! `build.rs` copies `exercises/` and `solutions/` (minus `target/`) into `$OUT_DIR/embedded`;
//! these are the pristine originals that `init` writes, `reset` restores and `check` grades with.

use std::io;
use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

static EXERCISES: Dir<'static> = include_dir!("$OUT_DIR/embedded/exercises");
static SOLUTIONS: Dir<'static> = include_dir!("$OUT_DIR/embedded/solutions");

/// The learner workspace as shipped (`exercises/`).
pub(crate) fn exercises() -> &'static Dir<'static> {
    &EXERCISES
}

/// The solved files (`solutions/<exercise>/...`, only the files a learner changes).
pub(crate) fn solutions() -> &'static Dir<'static> {
    &SOLUTIONS
}

/// Every file under `dir`, recursively, as (path relative to the embedded root, contents).
pub(crate) fn files(dir: &'static Dir<'static>) -> Vec<(&'static Path, &'static [u8])> {
    let mut out = Vec::new();
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(&'static Path, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => walk(d, out),
                DirEntry::File(f) => out.push((f.path(), f.contents())),
            }
        }
    }
    walk(dir, &mut out);
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// Pristine files of one exercise, paths relative to the workbook root.
pub(crate) fn exercise_files(name: &str) -> Vec<(&'static Path, &'static [u8])> {
    exercises().get_dir(name).map(files).unwrap_or_default()
}

/// Solution files of one exercise, paths relative to the exercise directory.
pub fn solution_files(name: &str) -> Vec<(PathBuf, &'static [u8])> {
    let Some(dir) = solutions().get_dir(name) else {
        return Vec::new();
    };
    files(dir)
        .into_iter()
        .map(|(p, c)| (p.strip_prefix(name).unwrap_or(p).to_path_buf(), c))
        .collect()
}

/// The pristine contents of one file, by path relative to the workbook root.
pub fn pristine(rel: &Path) -> Option<&'static [u8]> {
    exercises().get_file(rel).map(|f| f.contents())
}

/// Write every embedded file of `files` below `dest`, keeping paths relative to the embedded
/// root. Never through a link (see [`super::nofollow`]); identical files are left alone.
pub(crate) fn write_all(files: &[(&'static Path, &'static [u8])], dest: &Path) -> io::Result<()> {
    for (rel, contents) in files {
        super::nofollow::write_if_different(dest, rel, contents)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_target_dirs_are_embedded() {
        for (path, _) in files(exercises()).into_iter().chain(files(solutions())) {
            assert!(
                !path
                    .components()
                    .any(|c| c.as_os_str() == "target" || c.as_os_str() == ".asyncwork"),
                "{} should not be embedded",
                path.display()
            );
        }
    }
}
