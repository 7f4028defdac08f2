//! `asyncwork init [DIR]`: write the workbook for a learner who installed the binary.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{discover, embed};

pub(crate) const DEFAULT_DIR: &str = "asyncwork-workbook";

const GITIGNORE: &str = "# Build output, asyncwork's record of your progress, and the reference solutions it \
     writes after each pass.\ntarget/\n.asyncwork/\nsolutions/\n";

/// Write the embedded workbook into `dir` (created if needed). Refuses to write over an
/// existing workbook or into a non-empty directory.
pub fn init(dir: &Path) -> Result<PathBuf> {
    if embed::exercises().get_file("info.toml").is_none() {
        bail!("this asyncwork was built without exercises; nothing to write");
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
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    embed::write_all(&embed::files(embed::exercises()), dir)
        .with_context(|| format!("cannot write the workbook into {}", dir.display()))?;
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
    super::nofollow::write_if_different(dir, Path::new(".gitignore"), text.as_bytes())?;
    Ok(std::path::absolute(dir)?)
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
