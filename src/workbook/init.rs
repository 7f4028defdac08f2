//! `asyncwork init [DIR]`: write the workbook for a learner who installed the binary.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{discover, embed};

pub(crate) const DEFAULT_DIR: &str = "asyncwork-workbook";

const GITIGNORE: &str = "# Build output, asyncwork's record of your progress, and the reference solutions it \
     writes after each pass.\ntarget/\n.asyncwork/\nsolutions/\n";

/// Marks a folder `init` is writing into in place: written first, removed last, so a folder
/// left by an interrupted `init` (killed, a full disk) is recognised, and `init` or
/// `init --repair` finishes it instead of refusing a folder that is "not empty" yet no workbook.
pub(crate) const UNFINISHED: &str = ".asyncwork-init-unfinished";

/// Did an `init` into `dir` start and not finish?
pub(crate) fn is_unfinished(dir: &Path) -> bool {
    dir.join(UNFINISHED)
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// Write the embedded workbook into `dir`. Refuses to write over an existing workbook or into
/// a non-empty directory, except one an interrupted `init` left, which it finishes.
///
/// A new `dir` appears whole or not at all: the workbook is written into a hidden folder beside
/// it and renamed into place (one `rename`, atomic), and the hidden folder is removed if the
/// writing fails or a signal stops asyncwork (`crate::cleanup`). An existing empty `dir` is
/// written in place, as it may be where the learner's shell stands (a folder renamed over it
/// would leave the shell in a deleted one); there [`UNFINISHED`] marks the work until it is done.
pub fn init(dir: &Path) -> Result<PathBuf> {
    if embed::exercises().get_file("info.toml").is_none() {
        bail!("this asyncwork was built without exercises; nothing to write");
    }
    if !is_unfinished(dir) {
        refuse_unless_fresh(dir)?;
    }
    let written = if dir.exists() {
        std::fs::write(
            dir.join(UNFINISHED),
            b"asyncwork init started writing here\n",
        )
        .and_then(|()| write_workbook(dir))
        .and_then(|()| std::fs::remove_file(dir.join(UNFINISHED)))
    } else {
        write_beside(dir)
    };
    written.with_context(|| {
        format!(
            "cannot write the workbook into {}{}",
            dir.display(),
            if is_unfinished(dir) {
                format!(
                    " (what was written stays; `asyncwork init {}` finishes it)",
                    dir.display()
                )
            } else {
                String::new()
            }
        )
    })?;
    Ok(std::path::absolute(dir)?)
}

/// The checks of a first `init` into `dir`.
fn refuse_unless_fresh(dir: &Path) -> Result<()> {
    // A file where the folder (or one above it) would go: said in words, before the system's
    // "Not a directory (os error 20)" would.
    if let Some(file) = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.symlink_metadata().is_ok())
        .filter(|a| !a.is_dir())
    {
        let instead = file.with_file_name(DEFAULT_DIR);
        bail!(
            "{} is a file, not a folder: the workbook {}. Choose a new folder, e.g. \
             `asyncwork init {}`.",
            file.display(),
            if file == dir {
                "cannot be written over it".to_string()
            } else {
                format!("cannot go in it ({})", dir.display())
            },
            if instead.exists() {
                "my-async-workbook".into()
            } else {
                instead.display().to_string()
            }
        );
    }
    if discover::is_workbook(dir) {
        bail!(
            "{} already holds a workbook; asyncwork will not overwrite it.\n\
             Continue there (`cd {} && asyncwork check`), restore exercises with `asyncwork reset`, \
             or choose another directory.",
            dir.display(),
            dir.display()
        );
    }
    if discover::is_workbook_or_damaged(dir) {
        bail!(
            "{} holds an asyncwork workbook whose shipped files are damaged ({}).\n\
             `asyncwork init --repair {}` restores them and keeps your code and your record.",
            dir.display(),
            discover::missing(dir).join(", "),
            dir.display()
        );
    }
    let absolute = std::path::absolute(dir)?;
    if let Some(outer) = absolute
        .ancestors()
        .skip(1)
        .find(|a| discover::is_workbook(a))
    {
        bail!(
            "{} is inside the workbook {}: a workbook in a workbook would confuse cargo and \
             asyncwork.\n\
             You already have one here: `asyncwork check` grades your current exercise, and \
             `asyncwork` shows the course. To start a second workbook, choose a folder outside \
             this one, e.g. `asyncwork init {}`.",
            dir.display(),
            outer.display(),
            outer
                .parent()
                .unwrap_or(outer)
                .join("another-workbook")
                .display()
        );
    }
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_some();
        if non_empty {
            bail!(
                "{} exists and is not empty; choose a new directory, e.g. `asyncwork init {}`",
                dir.display(),
                dir.join(DEFAULT_DIR).display()
            );
        }
    }
    Ok(())
}

/// Write the workbook into a hidden folder beside `dir` (the same file system, so the rename is
/// one atomic step) and rename it into place.
fn write_beside(dir: &Path) -> std::io::Result<()> {
    let absolute = std::path::absolute(dir)?;
    let parent = absolute.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent)?;
    let tmp = crate::cleanup::TempDir::new_in(".asyncwork-init-", parent)?;
    write_workbook(tmp.path())?;
    // Failed, the hidden folder is removed as `tmp` drops; renamed, it is `dir` and is kept.
    std::fs::rename(tmp.path(), &absolute)?;
    tmp.keep();
    Ok(())
}

/// Every shipped file, `info.toml` last (until it is there, `dir` is no workbook to any
/// command), and the `.gitignore` lines.
fn write_workbook(dir: &Path) -> std::io::Result<()> {
    let (catalogue, files): (Vec<_>, Vec<_>) = embed::files(embed::exercises())
        .into_iter()
        .partition(|(rel, _)| *rel == Path::new("info.toml"));
    embed::write_all(&files, dir)?;
    embed::write_all(&catalogue, dir)?;
    let gitignore = dir.join(".gitignore");
    let existing = std::fs::read_to_string(&gitignore).unwrap_or_default();
    let mut text = existing.clone();
    for line in GITIGNORE.lines().filter(|l| !l.starts_with('#')) {
        if !existing.lines().any(|l| l.trim() == line) {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    super::nofollow::write_if_different(dir, Path::new(".gitignore"), text.as_bytes()).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_refuses_twice() {
        if embed::exercises().get_file("info.toml").is_none() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("wb");
        init(&dir).unwrap();
        assert!(discover::is_workbook(&dir));
        let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
        assert!(
            ignore.contains("target/") && ignore.contains(".asyncwork/"),
            "{ignore}"
        );
        let err = init(&dir).unwrap_err().to_string();
        assert!(err.contains("will not overwrite"), "{err}");
        let other = tmp.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("notes.txt"), "x").unwrap();
        assert!(init(&other).unwrap_err().to_string().contains("not empty"));
    }

    #[test]
    fn refuses_to_nest_a_workbook_inside_one() {
        if embed::exercises().get_file("info.toml").is_none() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("wb");
        init(&dir).unwrap();
        let inner = dir.join("03_gather").join("asyncwork-workbook");
        let err = init(&inner).unwrap_err().to_string();
        assert!(err.contains("is inside the workbook"), "{err}");
        assert!(err.contains("asyncwork check"), "{err}");
        assert!(!inner.exists(), "nothing was written");
    }
}
