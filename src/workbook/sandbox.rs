//! Confining what a test program may write (Linux: Landlock, through the `landlock` crate).
//!
//! A test program runs the learner's code with the grader's user's rights. Without confinement
//! it could write to `$HOME` (a `~/.cargo/config.toml` that every later build reads), to other
//! exercises' `src/` and `tests/grade.rs`, to `support/`, or insert `pass` rows into the record
//! (`.asyncwork/progress.db`). With Landlock (Linux 5.13 and later), the test program may write
//! only below a fresh temporary directory of its own (its `TMPDIR`, where the support crate's
//! scratch files and databases go) and to `/dev/null`; everything else (the workbook, the
//! record, the grading copy and its target dir, `$HOME`) refuses writes with "permission
//! denied". Reading is not restricted: the tests read the exercise and system files.
//!
//! Not even the grading copy's target dir is writable: a test program that replaced its own test
//! binary there would be graded with it at the next `check --force`.
//!
//! The ruleset is built here, in asyncwork, and only `restrict_self` (one `prctl` and one
//! `landlock_restrict_self` system call, no allocation) runs in the child between `fork` and
//! `exec`. Where the kernel lacks Landlock, nothing is confined and [`writes_confined`] says so
//! (the `check` command says it once).

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use landlock::{
    ABI, AccessFs, Ruleset, RulesetAttr, RulesetCreated, RulesetCreatedAttr, RulesetStatus,
    path_beneath_rules,
};

/// The newest Landlock ABI this code asks for; older kernels give what they have (best effort).
const ABI_WANTED: ABI = ABI::V5;

/// The ruleset of one test program: writes only below `writable` (and to `/dev/null`).
fn ruleset(writable: &Path) -> Result<RulesetCreated, landlock::RulesetError> {
    let write = AccessFs::from_write(ABI_WANTED);
    Ruleset::default()
        .handle_access(write)?
        .create()?
        .add_rules(path_beneath_rules(
            [writable, Path::new("/dev/null")],
            write,
        ))
}

/// Can this machine confine a test program's writes? Probed once, on a thread of its own (a
/// Landlock domain and `no_new_privs` apply to the thread that asks, so asyncwork's other
/// threads are not confined).
pub fn writes_confined() -> bool {
    static CONFINED: OnceLock<bool> = OnceLock::new();
    *CONFINED.get_or_init(|| {
        std::thread::spawn(|| {
            let Ok(dir) = tempfile::tempdir() else {
                return false;
            };
            ruleset(dir.path())
                .and_then(|r| r.restrict_self())
                .is_ok_and(|s| s.ruleset != RulesetStatus::NotEnforced)
        })
        .join()
        .unwrap_or(false)
    })
}

/// The folder [`confine`] made `cmd`'s own (its `TMPDIR`); `None` for a command not confined
/// to a folder of its own (never the system's temporary folder itself).
pub(crate) fn writable_of(cmd: &Command) -> Option<std::path::PathBuf> {
    let (_, dir) = cmd.get_envs().find(|(k, _)| *k == "TMPDIR")?;
    let dir = std::path::PathBuf::from(dir?);
    (dir != std::env::temp_dir() && dir.is_absolute()).then_some(dir)
}

/// Confine `cmd`'s writes to `writable` (made its `TMPDIR`), where the kernel allows it.
pub(crate) fn confine(cmd: &mut Command, writable: &Path) {
    use std::os::unix::process::CommandExt;
    cmd.env("TMPDIR", writable);
    if !writes_confined() {
        return;
    }
    let Ok(ruleset) = ruleset(writable) else {
        return;
    };
    let mut ruleset = Some(ruleset);
    // SAFETY: between fork and exec only `restrict_self` runs: a prctl and a Landlock system
    // call on a descriptor made before the fork; no allocation, no lock.
    unsafe {
        cmd.pre_exec(move || {
            if let Some(r) = ruleset.take() {
                r.restrict_self()
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
            }
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22, item 5: a confined program writes in its own folder and nowhere else.
    #[test]
    fn a_confined_program_writes_only_its_own_folder() {
        if !writes_confined() {
            return; // No Landlock in this kernel: `check` says writes are not confined.
        }
        let own = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(format!(
            "echo a > \"$TMPDIR/mine\" && echo b > /dev/null && ! echo c > '{}/theirs'",
            other.path().display()
        ));
        confine(&mut cmd, own.path());
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(own.path().join("mine").exists());
        assert!(!other.path().join("theirs").exists());
    }
}
