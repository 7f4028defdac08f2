//! Finding the learner's workbook.
//!
//! Order: `--workbook DIR`, then `$ASYNCWORK_WORKBOOK`, then the nearest directory at or above
//! the current one that holds an asyncwork workbook (`info.toml` + a `[workspace]` `Cargo.toml`),
//! then `./exercises` (the dev checkout of the asyncwork repository).
//!
//! A folder whose shipped files are gone (learner code that deleted `info.toml` at test time) is
//! still recognised by its record, `.asyncwork/progress.db`: discovery stops there and says what
//! is missing and how to restore it (`asyncwork init --repair`), instead of "no workbook here",
//! which would send the learner to start over with their record left behind.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

pub(crate) const ENV_VAR: &str = "ASYNCWORK_WORKBOOK";

/// Where a workbook was found, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    Flag,
    Env,
    Ancestor,
    DevCheckout,
}

/// Is `dir` the root of an asyncwork workbook?
pub fn is_workbook(dir: &Path) -> bool {
    let Ok(info) = std::fs::read_to_string(dir.join("info.toml")) else {
        return false;
    };
    let Ok(cargo) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    let info_ok = toml::from_str::<toml::Table>(&info)
        .map(|t| t.contains_key("format_version"))
        .unwrap_or(false);
    info_ok && cargo.contains("[workspace]")
}

/// The learner's record in `dir`, the mark of a workbook even when its shipped files are gone.
fn has_record(dir: &Path) -> bool {
    dir.join(".asyncwork")
        .join("progress.db")
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// What a workbook root lacks, in words; empty for a whole workbook.
pub(crate) fn missing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    match std::fs::read_to_string(dir.join("info.toml")) {
        Err(_) => out.push("info.toml is missing".to_string()),
        Ok(text) => {
            let ok = toml::from_str::<toml::Table>(&text)
                .map(|t| t.contains_key("format_version"))
                .unwrap_or(false);
            if !ok {
                out.push("info.toml is not the exercise catalogue".to_string());
            }
        }
    }
    match std::fs::read_to_string(dir.join("Cargo.toml")) {
        Err(_) => out.push("Cargo.toml is missing".to_string()),
        Ok(text) if !text.contains("[workspace]") => {
            out.push("Cargo.toml is not the workspace manifest".to_string())
        }
        Ok(_) => {}
    }
    out
}

/// A workbook whose record is there but whose shipped files are not: the error that says so.
fn damaged(dir: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is an asyncwork workbook (its record .asyncwork/progress.db is there), but {}.\n\
         Restore the shipped files with `asyncwork init --repair {}`: your code in each \
         exercise's src/ and your record are not touched.",
        dir.display(),
        missing(dir).join(" and "),
        dir.display()
    )
}

/// Is `dir` a workbook, whole or damaged (its record is there)?
pub(crate) fn is_workbook_or_damaged(dir: &Path) -> bool {
    is_workbook(dir) || has_record(dir)
}

/// Find the workbook. `flag` is the value of `--workbook`, `env` of `$ASYNCWORK_WORKBOOK`.
pub(crate) fn discover(
    flag: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
) -> Result<(PathBuf, Source)> {
    if let Some(dir) = flag {
        return explicit(dir, "--workbook").map(|p| (p, Source::Flag));
    }
    if let Some(dir) = env.filter(|d| !d.as_os_str().is_empty()) {
        return explicit(dir, ENV_VAR).map(|p| (p, Source::Env));
    }
    for dir in cwd.ancestors() {
        // The grading copy inside `.asyncwork/` looks like a workbook but is not the learner's.
        if dir.components().any(|c| c.as_os_str() == ".asyncwork") {
            continue;
        }
        if is_workbook(dir) {
            return Ok((dir.to_path_buf(), Source::Ancestor));
        }
        if has_record(dir) {
            return Err(damaged(dir));
        }
    }
    let dev = cwd.join("exercises");
    if is_workbook(&dev) {
        return Ok((dev, Source::DevCheckout));
    }
    bail!(
        "no asyncwork workbook here: none in {} or above it.\n\
         Create one with `asyncwork init` (it writes ./asyncwork-workbook), then cd into it,\n\
         or point at one with `--workbook DIR` or ${ENV_VAR}.",
        cwd.display()
    )
}

/// The workbook to repair: `dir` when given (else `--workbook`, `$ASYNCWORK_WORKBOOK`, the walk
/// up from the current directory), whole, damaged, or left unfinished by an interrupted `init`.
pub(crate) fn discover_for_repair(dir: Option<&Path>) -> Result<PathBuf> {
    let env = std::env::var_os(ENV_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    if let Some(dir) = dir.or(env.as_deref()) {
        // What an interrupted `init` left is repaired by finishing it (`commands::init`).
        if is_workbook_or_damaged(dir) || super::init::is_unfinished(dir) {
            return Ok(std::path::absolute(dir)?);
        }
        bail!(
            "nothing to repair: {} is not an asyncwork workbook and holds no record of one.\n\
             `asyncwork init {}` writes a new workbook.",
            dir.display(),
            dir.display()
        );
    }
    let cwd = std::env::current_dir()?;
    cwd.ancestors()
        .filter(|d| !d.components().any(|c| c.as_os_str() == ".asyncwork"))
        .find(|d| is_workbook_or_damaged(d) || super::init::is_unfinished(d))
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "nothing to repair: no asyncwork workbook (and no record of one) in {} or above \
                 it. `asyncwork init` writes a new workbook.",
                cwd.display()
            )
        })
}

/// Discover with the process's environment and cwd.
pub(crate) fn discover_from_env(flag: Option<&Path>) -> Result<(PathBuf, Source)> {
    let env = std::env::var_os(ENV_VAR).map(PathBuf::from);
    let cwd = std::env::current_dir()?;
    discover(flag, env.as_deref(), &cwd)
}

fn explicit(dir: &Path, via: &str) -> Result<PathBuf> {
    if is_workbook(dir) {
        Ok(std::path::absolute(dir)?)
    } else if has_record(dir) {
        Err(damaged(dir))
    } else if !dir.exists() {
        bail!(
            "{} (from {via}) does not exist; create a workbook there with `asyncwork init {}`",
            dir.display(),
            dir.display()
        )
    } else {
        bail!(
            "{} (from {via}) is not an asyncwork workbook: it needs info.toml and a workspace Cargo.toml",
            dir.display()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_workbook(dir: &Path) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("info.toml"), "format_version = 1\n").unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    }

    #[test]
    fn discovery_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let wb = root.join("wb");
        make_workbook(&wb);
        let deep = wb.join("03_gather/src");
        std::fs::create_dir_all(&deep).unwrap();

        // Walks up from inside the workbook.
        let (found, src) = discover(None, None, &deep).unwrap();
        assert_eq!((found, src), (wb.clone(), Source::Ancestor));

        // The flag wins over the env, the env over the walk.
        let other = root.join("other");
        make_workbook(&other);
        assert_eq!(
            discover(Some(&other), Some(&wb), &deep).unwrap().1,
            Source::Flag
        );
        assert_eq!(discover(None, Some(&other), &deep).unwrap().0, other);

        // A repo checkout: ./exercises.
        let repo = root.join("repo");
        make_workbook(&repo.join("exercises"));
        std::fs::write(repo.join("Cargo.toml"), "[package]\nname = \"asyncwork\"\n").unwrap();
        let (found, src) = discover(None, None, &repo).unwrap();
        assert_eq!((found, src), (repo.join("exercises"), Source::DevCheckout));

        // Nothing: a helpful error.
        let empty = root.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let err = discover(None, None, &empty).unwrap_err().to_string();
        assert!(err.contains("asyncwork init"), "{err}");
        let err = discover(Some(&empty), None, &empty)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an asyncwork workbook"), "{err}");
    }
}
