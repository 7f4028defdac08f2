//! What every test binary shares: running the built binary, making workbooks, the one build
//! cache for exercise crates, the course's size read from its catalogue, tools a test needs,
//! and the lock that keeps timing-sensitive tests off a busy machine.
//!
//! The three test binaries (`tests/engine`, `tests/cli`, `tests/build`) each include this file
//! with `#[path = "../common/mod.rs"] mod common;`; not every binary uses every helper.
#![allow(dead_code, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped lessons.
pub fn lessons() -> PathBuf {
    repo().join("lessons")
}

/// The built binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_asyncwork")
}

/// The one build cache for everything that builds the exercise workspace: the grading tests,
/// the commands that check an exercise, the terminal sessions, and `check --solutions` in
/// `.ci/run` (which sets the same `CARGO_TARGET_DIR`). tokio, rusqlite's bundled SQLite and
/// reqwest compile once for all of them.
pub fn exercise_target() -> PathBuf {
    repo().join("target/grader-tests")
}

/// `asyncwork` run the way a person types it in `dir`: no lesson or workbook picked by the
/// environment, no colour codes to read around, no background build.
pub fn asyncwork(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .env_remove("ASYNCWORK_LESSONS")
        .env_remove("ASYNCWORK_WORKBOOK")
        .env("NO_COLOR", "1")
        .env("ASYNCWORK_NO_WARM", "1");
    cmd
}

/// [`asyncwork`] from the repository root (where `cargo test` runs tests).
pub fn asyncwork_here() -> Command {
    asyncwork(repo())
}

/// [`asyncwork`] whose exercise builds go to the shared build cache.
pub fn asyncwork_building(dir: &Path) -> Command {
    let mut cmd = asyncwork(dir);
    cmd.env("CARGO_TARGET_DIR", exercise_target());
    cmd
}

/// `asyncwork --lessons <shipped lessons>`, from the repository root.
pub fn asyncwork_lessons() -> Command {
    let mut cmd = asyncwork(repo());
    cmd.arg("--lessons").arg(lessons());
    cmd
}

/// A fresh workbook written by `init --no-build` in a temporary folder: the folder (keep it
/// alive) and the workbook's path.
pub fn fresh_workbook() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = asyncwork(tmp.path())
        .args(["init", "wb", "--no-build"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "init failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let wb = tmp.path().join("wb");
    (tmp, wb)
}

/// How many exercises the built-in course has, read from its catalogue (so adding one changes
/// no assertion).
pub fn exercise_count() -> usize {
    asyncwork::workbook::ExerciseCatalogue::embedded()
        .exercises
        .len()
}

/// The first exercise of the built-in course.
pub fn first_exercise() -> String {
    asyncwork::workbook::ExerciseCatalogue::embedded().exercises[0]
        .name
        .clone()
}

/// Whether `tool` can be run here (`tool args` exits 0). Missing under `CI`, that is a failure:
/// CI must install what the tests need, and a test that passes by skipping proves nothing.
/// Elsewhere the test is skipped with the reason printed.
pub fn require_tool(tool: &str, args: &[&str]) -> bool {
    let found = std::process::Command::new(tool)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{tool}` is needed by this test and CI must have it (install it in .ci/run)"
        );
        eprintln!("skipped: `{tool}` is not installed");
    }
    found
}

/// The python3 on the PATH when it is 3.11 or newer. Under `CI` a missing or older Python
/// fails the test (see [`require_tool`]); elsewhere the test is skipped with the reason.
pub fn require_python() -> bool {
    let ok = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)",
        ])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 >= 3.11 is needed by this test and CI must have it"
        );
        eprintln!("skipped: no python3 >= 3.11 on the PATH");
    }
    ok
}

/// Give `cmd` the default action for Ctrl-C (SIGINT) and SIGQUIT, whatever this process has.
///
/// A test that sends Ctrl-C means it to act as a terminal's does; but a shell without job
/// control starts its background commands with SIGINT and SIGQUIT ignored, and an ignored
/// signal stays ignored across `exec`: a test suite started with `&` (CI in the background)
/// would send a Ctrl-C that nothing hears (seen: `check` then ran its endless build to the
/// 10-minute build limit).
#[allow(dead_code)] // Not every test binary sends signals.
pub fn default_signals(cmd: &mut std::process::Command) -> &mut std::process::Command {
    use std::os::unix::process::CommandExt;
    // SAFETY: `signal` is async-signal-safe; it runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        })
    }
}

/// Writes an executable script at `path`.
///
/// Written by a child process, never through a file descriptor of this one: a test binary
/// runs tests on several threads, and a thread that forks while another still holds the new
/// file open for writing hands that descriptor to its child, so exec-ing the script fails with
/// "Text file busy" (ETXTBSY) until the child execs. A descriptor of a child process that has
/// exited is closed everywhere.
pub fn write_executable(path: &Path, body: &str) {
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"cat > "$1" && chmod 755 "$1""#)
        .arg("sh")
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(body.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(status.success(), "could not write {}", path.display());
}

static MACHINE: RwLock<()> = RwLock::new(());

/// Held by a test whose verdict depends on real time (a lesson run with `--strict`, a Python
/// run): no test holding [`busy`] runs beside it. Tests of different modules share one
/// process now, so a lock per file would not keep them apart.
pub fn timing() -> RwLockWriteGuard<'static, ()> {
    MACHINE.write().unwrap_or_else(|e| e.into_inner())
}

/// Held by a test that keeps a core busy for seconds (the fuzz target, many binary runs):
/// it may run beside other busy tests but never beside a [`timing`] one.
pub fn busy() -> RwLockReadGuard<'static, ()> {
    MACHINE.read().unwrap_or_else(|e| e.into_inner())
}

static EXERCISE_CACHE: Mutex<()> = Mutex::new(());

/// Held by every test that builds in [`exercise_target`]. Cargo lets one build at a time into a
/// target directory anyway; without this lock a test would wait on cargo's file lock behind
/// another test's long build and count that wait against its own deadline (watch's 120 s, a
/// check's timeout).
pub fn exercise_cache() -> MutexGuard<'static, ()> {
    EXERCISE_CACHE.lock().unwrap_or_else(|e| e.into_inner())
}
