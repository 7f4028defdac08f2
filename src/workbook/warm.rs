//! A warm first check: build the workbook in the background right after `init`.
//!
//! The first `check` compiles tokio and the support crate, 20-odd seconds a learner spends
//! staring at a spinner. `init` starts that build in the background instead (a detached
//! `asyncwork warm-build`, at the lowest CPU priority), while the learner reads the task, so the
//! first check only compiles their own crate. The build is the grader's own (the same cargo
//! command on the same grading copy and target directory), so everything it compiles is what the
//! check would have compiled: its output is kept for the check. Its log is in
//! `.asyncwork/warm.log`.
//!
//! Never two builds at once: the background build holds the grader's lock (`grade.lock`) for as
//! long as it runs, and gives up at once when another build holds it. A `check` that needs the
//! lock does not wait for it: it stops the background build (SIGTERM to its process group, so
//! cargo and rustc stop too, keeping what they finished) and builds what it needs itself.
//! The alternative, waiting for the background build to finish, can cost a learner who checks
//! at once the whole build of exercises they have not reached.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use super::{DATA, Workbook, cargo, nofollow, shadow};

/// The hidden command that runs the build (`asyncwork warm-build`).
pub const COMMAND: &str = "warm-build";

fn pid_path(wb: &Workbook) -> PathBuf {
    wb.data_dir().join("warm.pid")
}

/// Where the background build's output goes.
pub fn log_path(wb: &Workbook) -> PathBuf {
    wb.data_dir().join("warm.log")
}

/// Start `exe warm-build` for `wb` in the background, detached (its own process group, no
/// terminal), at the lowest priority. Returns at once.
pub fn start(wb: &Workbook, exe: &Path) -> Result<()> {
    use std::os::unix::process::CommandExt;
    nofollow::real_dir(&wb.root, Path::new(DATA))?;
    let mut cmd = Command::new(exe);
    cmd.arg("--workbook")
        .arg(&wb.root)
        .arg(COMMAND)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    // SAFETY: setpriority is async-signal-safe; nothing else runs between fork and exec here.
    unsafe {
        cmd.pre_exec(|| {
            libc::setpriority(libc::PRIO_PROCESS, 0, 19);
            Ok(())
        });
    }
    cmd.spawn().context("cannot start the background build")?;
    Ok(())
}

/// The grader's lock without waiting: `None` when another build holds it.
fn try_lock(wb: &Workbook) -> Result<Option<File>> {
    use std::os::fd::AsRawFd;
    let file = super::shadow::lock_file(wb)?;
    // SAFETY: plain syscall on a valid fd.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    Ok((rc == 0).then_some(file))
}

/// What the background build did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Built,
    /// Another build held the lock: nothing to do.
    Busy,
    /// cargo failed (or was stopped by a check); its log says which.
    Failed,
}

/// The background build itself (run by `asyncwork warm-build`): the grading copy as shipped,
/// every exercise's tests built, the log kept.
pub fn run(wb: &Workbook) -> Result<Outcome> {
    let Some(_lock) = try_lock(wb)? else {
        return Ok(Outcome::Busy);
    };
    nofollow::create(&wb.root, &Path::new(DATA).join("warm.pid"))?
        .write_all(std::process::id().to_string().as_bytes())?;
    let outcome = (|| -> Result<Outcome> {
        let root = shadow::sync(wb, &[]).context("cannot prepare the grading copy")?;
        let log = nofollow::create(&wb.root, &Path::new(DATA).join("warm.log"))?;
        let cmd = cargo::build_tests_command(&root, &wb.target_dir(), &[]);
        // Plain progress lines, not JSON: the log is for a person.
        let args: Vec<_> = cmd
            .get_args()
            .filter(|a| *a != "--message-format=json")
            .map(|a| a.to_os_string())
            .collect();
        let mut plain = Command::new(cmd.get_program());
        plain
            .args(args)
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let status = plain.status().context("cannot run cargo")?;
        Ok(if status.success() {
            Outcome::Built
        } else {
            Outcome::Failed
        })
    })();
    let _ = std::fs::remove_file(pid_path(wb));
    outcome
}

/// Before a check builds: stop a background build that holds the lock, and wait (briefly)
/// until it has let go. Nothing to do when none runs.
pub(crate) fn cancel(wb: &Workbook) {
    let Ok(text) = std::fs::read_to_string(pid_path(wb)) else {
        return;
    };
    let Ok(pid) = text.trim().parse::<i32>() else {
        return;
    };
    // SAFETY: signals to the build's own process group (it was started as its leader); a
    // stale pid whose group no longer exists gets ESRCH and nothing happens.
    if pid <= 1 || unsafe { libc::kill(-pid, 0) } != 0 {
        let _ = std::fs::remove_file(pid_path(wb));
        return;
    }
    unsafe { libc::kill(-pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline && unsafe { libc::kill(-pid, 0) } == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(pid_path(wb));
}

/// Is a background build running now?
pub fn running(wb: &Workbook) -> bool {
    std::fs::read_to_string(pid_path(wb))
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok())
        // SAFETY: signal 0 only checks that the process group exists.
        .is_some_and(|pid| pid > 1 && unsafe { libc::kill(-pid, 0) } == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Never two builds at once: with the grader's lock held, the background build gives up.
    #[test]
    fn a_busy_lock_means_no_second_build() {
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        let held = shadow::lock_or_wait(&wb, || {}).unwrap();
        assert_eq!(run(&wb).unwrap(), Outcome::Busy);
        assert!(!pid_path(&wb).exists());
        drop(held);
        assert!(try_lock(&wb).unwrap().is_some());
    }

    /// A check cancels a running background build: its whole process group stops.
    #[test]
    fn cancel_stops_the_build_and_its_children() {
        use std::os::unix::process::CommandExt;
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        std::fs::create_dir_all(wb.data_dir()).unwrap();
        // A stand-in build: a shell (group leader) with a child that would run for a minute.
        let mut child = Command::new("sh")
            .args(["-c", "sleep 60 & wait"])
            .process_group(0)
            .spawn()
            .unwrap();
        std::fs::write(pid_path(&wb), child.id().to_string()).unwrap();
        assert!(running(&wb));
        // Reap it as soon as it ends (a real build's parent, init, has long exited).
        let reaper = std::thread::spawn(move || child.wait());
        let started = Instant::now();
        cancel(&wb);
        let _ = reaper.join();
        assert!(!running(&wb));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(!pid_path(&wb).exists());
    }
}
