//! Finding the learner's workbook.
//!
//! Order: `--workbook DIR`, then `$ASYNCWORK_WORKBOOK`, then the nearest directory at or above
//! the current one that holds an asyncwork workbook (`info.toml` + a `[workspace]` `Cargo.toml`),
//! then `./exercises` (the dev checkout of the asyncwork repository).

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

/// Discover with the process's environment and cwd.
pub(crate) fn discover_from_env(flag: Option<&Path>) -> Result<(PathBuf, Source)> {
    let env = std::env::var_os(ENV_VAR).map(PathBuf::from);
    let cwd = std::env::current_dir()?;
    discover(flag, env.as_deref(), &cwd)
}

fn explicit(dir: &Path, via: &str) -> Result<PathBuf> {
    if is_workbook(dir) {
        Ok(std::path::absolute(dir)?)
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
