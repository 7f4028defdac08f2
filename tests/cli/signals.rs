//! Issue 23, "Signals and the terminal" and `init` interrupted: SIGTERM, SIGHUP and SIGINT sent
//! with `kill` (not the terminal's Ctrl-C, which the screens read as a key) leave the terminal
//! as it was, remove asyncwork's temporary folders, and end with 128 + the signal; an `init`
//! that is killed or runs out of room leaves a folder `init` or `init --repair` accepts; a
//! record folder that is a file still lets `check` grade.
//!
//! The terminal checks run in tmux (see `terminal.rs`): `stty -g` before asyncwork starts,
//! against the terminal's modes after it ended, and tmux's own view of the cursor.

use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, fresh_workbook};
use crate::terminal::{Tmux, env, quick_speed};

const SECOND: Duration = Duration::from_secs(1);

/// `common::asyncwork` as a `std` command (to spawn, signal and limit): run the way a person
/// types it in `dir`.
fn asyncwork(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .env_remove("ASYNCWORK_LESSONS")
        .env_remove("ASYNCWORK_WORKBOOK")
        .env("NO_COLOR", "1")
        .env("ASYNCWORK_NO_WARM", "1");
    crate::common::default_signals(&mut cmd);
    cmd
}

/// The process whose parent is `parent` (the pane's shell runs asyncwork as its one child).
fn child_of(parent: i32) -> i32 {
    let deadline = Instant::now() + 10 * SECOND;
    loop {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // `pid (comm) state ppid ...`; comm may hold spaces, so split after its `)`.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<i32>().ok());
            if ppid == Some(parent) {
                return pid;
            }
        }
        assert!(Instant::now() < deadline, "no child of {parent}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The terminal's modes as `stty -g` prints them, read from the test through the pane's tty.
fn modes_of(t: &Tmux) -> String {
    let tty = t.tmux(&["display-message", "-p", "-t", "t", "#{pane_tty}"]);
    let out = Command::new("stty")
        .args(["-g", "-F", tty.trim()])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Start `command` in a terminal, wait until the screen shows `ready` (a screen waiting for a
/// key, the terminal raw), send `signal` to asyncwork, and check the terminal is as it was.
fn signal_leaves_the_terminal_as_it_was(dir: &Path, command: &str, ready: &[&str], signal: i32) {
    let Some(t) = Tmux::new(&format!("signal-{signal}")) else {
        return;
    };
    let before = dir.join(format!("modes-before-{signal}"));
    // The exit code goes on a line of its own (`EXIT=` after a long prompt would wrap).
    t.start(
        dir,
        &format!(
            "stty -g > '{}'; {} {command}; s=$?; echo; (exit $s)",
            before.display(),
            env()
        ),
    );
    t.wait_for(ready, 60 * SECOND);
    let asyncwork = child_of(t.pane_pid());
    let before = std::fs::read_to_string(&before).unwrap();
    // Waiting for a key: the terminal is raw now (what a signal used to leave behind).
    std::thread::sleep(Duration::from_millis(300));
    assert_ne!(
        modes_of(&t),
        before.trim(),
        "{command}: not raw while waiting"
    );
    // SAFETY: a signal to the asyncwork this test started.
    unsafe { libc::kill(asyncwork, signal) };
    let screen = t.wait_for(&[&format!("EXIT={}", 128 + signal)], 10 * SECOND);
    assert_eq!(
        modes_of(&t),
        before.trim(),
        "{command}: the terminal's modes changed after signal {signal}:\n{screen}"
    );
    assert!(
        t.cursor_visible(),
        "{command}: the cursor is hidden after signal {signal}"
    );
}

/// The four screens that wait for a key (watch is in the slow tier: it checks first), each
/// stopped by `signal`.
fn every_screen_after(signal: i32) {
    let (_tmp, wb) = fresh_workbook();
    // `lesson step`: the first screen waits for a key, the cursor hidden.
    signal_leaves_the_terminal_as_it_was(
        &wb,
        &format!("{} lesson step gather --speed {}", bin(), quick_speed()),
        &["screen 1 of", "q leave"],
        signal,
    );
    // The menu.
    signal_leaves_the_terminal_as_it_was(&wb, bin(), &["Next: lesson 1", "← next"], signal);
    // `lesson run`'s pause between two demos.
    signal_leaves_the_terminal_as_it_was(
        &wb,
        &format!("{} lesson run gather --speed {}", bin(), quick_speed()),
        &["Enter for the next demo"],
        signal,
    );
}

#[test]
fn sigterm_leaves_the_terminal_as_it_was() {
    every_screen_after(libc::SIGTERM);
}

#[test]
fn sighup_leaves_the_terminal_as_it_was() {
    every_screen_after(libc::SIGHUP);
}

#[test]
fn sigint_from_kill_leaves_the_terminal_as_it_was() {
    every_screen_after(libc::SIGINT);
}

/// `watch` waits for a key after its first check; each signal there too.
#[test]
#[ignore = "builds exercise crates"]
fn every_signal_leaves_watch_terminal_as_it_was() {
    let _cache = crate::common::exercise_cache();
    let (_tmp, wb) = fresh_workbook();
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        signal_leaves_the_terminal_as_it_was(
            &wb,
            &format!(
                "CARGO_TARGET_DIR='{}' {} watch",
                crate::common::exercise_target().display(),
                bin()
            ),
            &["Current file: 01_coroutines/src/lib.rs", "n next · h hint"],
            signal,
        );
    }
}

/// The folders in `dir` whose names start with `prefix`.
fn folders(dir: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

/// Run `args` with its own `TMPDIR`, wait until a folder `prefix*` appears there, send
/// SIGTERM, and check asyncwork ended by it and the folder is gone.
fn sigterm_removes(args: &[&str], prefix: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = asyncwork(crate::common::repo())
        .args(args)
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + 60 * SECOND;
    while folders(tmp.path(), prefix).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?} ended before making {prefix}*"
        );
        assert!(Instant::now() < deadline, "no {prefix}* after 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{args:?}: {status}");
    assert_eq!(
        folders(tmp.path(), prefix),
        Vec::<String>::new(),
        "{args:?} left its folder behind"
    );
}

#[test]
fn sigterm_removes_the_demo_database() {
    sigterm_removes(
        &["lesson", "run", "databases", "--no-pause"],
        "asyncwork-db-",
    );
}

#[test]
fn sigterm_removes_the_demo_database_of_the_asyncio_run() {
    if !crate::common::require_python() {
        return;
    }
    // Two databases: the tokio run's, then the asyncio run's, made once the tokio run is done.
    let tmp = tempfile::tempdir().unwrap();
    let mut child = asyncwork(crate::common::repo())
        .args(["lesson", "run", "databases", "--python", "--no-pause"])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The asyncio run starts after "under Python" is printed.
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("under Python") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0,
            "no asyncio run"
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(!folders(tmp.path(), "asyncwork-db-").is_empty());
    // The asyncio runner: asyncwork's child (the demo server and database are threads).
    let runner = child_of(child.id() as i32);
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status}");
    assert_eq!(
        folders(tmp.path(), "asyncwork-db-"),
        Vec::<String>::new(),
        "the asyncio run's database was left behind"
    );
    // Not left running: killed with asyncwork (a zombie until init reaps it is gone too).
    let deadline = Instant::now() + SECOND;
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, r)| !r.trim_start().starts_with('Z'))
        })
    };
    while alive(runner) {
        assert!(
            Instant::now() < deadline,
            "the asyncio runner {runner} is still running"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A check stopped while a test program runs: its folder (`asyncwork-test-*`, the test
/// program's TMPDIR) is removed and the test program is not left running.
#[test]
#[ignore = "builds exercise crates"]
fn sigterm_during_check_removes_the_test_folder_and_stops_the_test() {
    let _cache = crate::common::exercise_cache();
    let (_tmp, wb) = fresh_workbook();
    let ex = crate::common::first_exercise();
    // A test that calls `greet` hangs (the time limit is far away).
    let lib = wb.join(&ex).join("src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    let hanging = shipped.replace(
        r#"todo!("fetch the user and greet them")"#,
        "loop { std::thread::sleep(std::time::Duration::from_millis(10)) }",
    );
    assert_ne!(
        hanging, shipped,
        "the exercise changed: hang another function"
    );
    std::fs::write(&lib, hanging).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = asyncwork(&wb)
        .env("CARGO_TARGET_DIR", crate::common::exercise_target())
        .args(["check", &ex, "--timeout", "600"])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + 600 * SECOND;
    while folders(tmp.path(), "asyncwork-test-").is_empty() {
        assert!(child.try_wait().unwrap().is_none(), "check ended first");
        assert!(Instant::now() < deadline, "no test ran within 600 s");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status}");
    assert_eq!(folders(tmp.path(), "asyncwork-test-"), Vec::<String>::new());
    // Nothing of the check's is still running: no process whose TMPDIR was in `tmp`.
    std::thread::sleep(Duration::from_millis(200));
    let needle = format!("TMPDIR={}", tmp.path().display());
    let running: Vec<_> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("environ")).is_ok_and(|env| {
                env.split(|&b| b == 0)
                    .any(|v| v.starts_with(needle.as_bytes()))
            })
        })
        .map(|e| e.file_name())
        .collect();
    assert!(running.is_empty(), "still running: {running:?}");
}

/// `serve` with a stdout nobody reads: once its log fills the pipe, the printing blocks; Ctrl-C
/// must stop it anyway, at once (it took 10 s and more).
#[test]
fn serve_stops_on_ctrl_c_while_nobody_reads_its_log() {
    let mut fds = [0; 2];
    // SAFETY: a two-element array for pipe(2); then a smaller pipe (one page), so a few hundred
    // requests fill it.
    unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        libc::fcntl(fds[1], libc::F_SETPIPE_SZ, 4096);
    }
    // SAFETY: both descriptors were just made and are owned here alone.
    let (read, write) = unsafe {
        use std::os::fd::FromRawFd as _;
        (
            std::fs::File::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    };
    let mut cmd = Command::new(bin());
    cmd.args(["serve", "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(write));
    crate::common::default_signals(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    // The first line names the address; after it, nobody reads.
    let mut first = Vec::new();
    let mut byte = [0u8];
    let mut read = read;
    while byte[0] != b'\n' {
        std::io::Read::read_exact(&mut read, &mut byte).unwrap();
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let addr = first
        .trim()
        .strip_prefix("asyncwork demo server on http://")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_string();
    let full = |read: &std::fs::File| {
        let mut queued: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int: the bytes waiting in the pipe.
        unsafe {
            use std::os::fd::AsRawFd as _;
            libc::ioctl(read.as_raw_fd(), libc::FIONREAD, &mut queued)
        };
        queued as usize >= 4096 - 256
    };
    let mut requests = 0;
    while !full(&read) || requests < 300 {
        use std::io::{Read as _, Write as _};
        let mut c = std::net::TcpStream::connect(&addr).unwrap();
        c.write_all(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut reply = Vec::new();
        c.read_to_end(&mut reply).unwrap();
        requests += 1;
        assert!(requests < 5_000, "the pipe never filled");
    }
    let sent = Instant::now();
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if sent.elapsed() > 5 * SECOND {
            let _ = child.kill();
            panic!("serve did not stop within 5 s of Ctrl-C with its log pipe full");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = sent.elapsed();
    assert!(took < SECOND, "serve took {took:?} to stop");
    assert_eq!(status.code(), Some(0), "{status}");
    drop(read);
}

/// `asyncwork init DIR` in `parent` with at most `limit` bytes per file (the file-size limit,
/// its signal ignored so a write past it fails with EFBIG, the way a full disk fails one).
fn init_with_file_limit(parent: &Path, args: &[&str], limit: u64) -> std::process::Output {
    let mut cmd = asyncwork(parent);
    cmd.args(args);
    // SAFETY: setrlimit and signal are async-signal-safe; this runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: libc::RLIM_INFINITY,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    cmd.output().unwrap()
}

fn is_workbook(dir: &Path) -> bool {
    dir.join("info.toml").is_file() && dir.join("Cargo.toml").is_file()
}

#[test]
fn init_out_of_room_leaves_nothing_half_written() {
    let tmp = tempfile::tempdir().unwrap();
    // A new folder: written beside it and renamed into place, so a failure leaves no folder.
    let out = init_with_file_limit(tmp.path(), &["init", "wb", "--no-build"], 4096);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write the workbook"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let out = asyncwork(tmp.path())
        .args(["init", "wb", "--no-build"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(is_workbook(&tmp.path().join("wb")));
}

#[test]
fn init_out_of_room_in_an_empty_folder_is_finished_by_init_or_repair() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, finish) in [("again", "init"), ("repaired", "init --repair")] {
        // An existing empty folder (maybe where the learner's shell stands) is written in place.
        let path = tmp.path().join(dir);
        std::fs::create_dir(&path).unwrap();
        let out = init_with_file_limit(tmp.path(), &["init", dir, "--no-build"], 4096);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("asyncwork init {dir}")),
            "{stderr}"
        );
        assert!(!is_workbook(&path), "half a workbook looks whole");
        let mut words: Vec<&str> = finish.split(' ').collect();
        words.push(dir);
        let out = asyncwork(tmp.path()).args(&words).output().unwrap();
        assert!(
            out.status.success(),
            "`asyncwork {finish} {dir}` refused what init left: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(is_workbook(&path), "{finish}");
        assert!(!path.join(".asyncwork-init-unfinished").exists());
        // Whole now: a further init refuses to overwrite it, as for any workbook.
        let out = asyncwork(tmp.path())
            .args(["init", dir, "--no-build"])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("will not overwrite"));
    }
}

#[test]
fn init_killed_at_any_moment_leaves_a_folder_init_or_repair_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    for (i, in_place) in (0..24).map(|i| (i, i % 2 == 1)) {
        let dir = tmp.path().join(format!("wb{i}"));
        if in_place {
            std::fs::create_dir(&dir).unwrap();
        }
        let mut child = asyncwork(tmp.path())
            .args(["init", &format!("wb{i}"), "--no-build"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Killed somewhere between its start and its end (a few ms to a few tens).
        std::thread::sleep(Duration::from_millis(2 * (i / 2)));
        let _ = child.kill();
        let _ = child.wait();
        let fixed = ["init", "init --repair"].iter().any(|how| {
            let mut words: Vec<String> = how.split(' ').map(String::from).collect();
            words.push(format!("wb{i}"));
            words.push("--no-build".into());
            if *how == "init --repair" {
                words.pop();
            }
            asyncwork(tmp.path())
                .args(&words)
                .output()
                .unwrap()
                .status
                .success()
        });
        assert!(
            fixed || is_workbook(&dir),
            "killed after {} ms, wb{i} is refused by init and init --repair",
            2 * (i / 2)
        );
        assert!(is_workbook(&dir), "wb{i}");
    }
}

/// Issue 23, "The record and the disk": `.asyncwork` as a plain file said "Grading anyway" and
/// then did not grade (the grading lock lived in it). One rule now: grade, do not record, say so.
#[test]
#[ignore = "builds exercise crates"]
fn a_record_folder_that_is_a_file_still_grades_unrecorded() {
    let _cache = crate::common::exercise_cache();
    let (_tmp, wb) = fresh_workbook();
    std::fs::write(wb.join(".asyncwork"), "not a folder").unwrap();
    let ex = crate::common::first_exercise();
    let out = asyncwork(&wb)
        .env("CARGO_TARGET_DIR", crate::common::exercise_target())
        .args(["check", &ex])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("is a file"), "{text}");
    assert!(text.contains("not recorded"), "{text}");
    // Graded: the shipped exercise fails its tests (exit 1), with its report.
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("✗ {ex}")) && text.contains("tests failed"),
        "{text}"
    );
    // `watch` follows the same rule (it refused to start): it grades, unrecorded, and waits.
    let mut watch = asyncwork(&wb)
        .env("CARGO_TARGET_DIR", crate::common::exercise_target())
        .arg("watch")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(watch.stdout.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("tests failed") {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut out, &mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
    }
    // SAFETY: a signal to the child this test started.
    unsafe { libc::kill(watch.id() as i32, libc::SIGTERM) };
    let status = watch.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut watch.stderr.take().unwrap(), &mut err).unwrap();
    assert!(seen.contains(&format!("✗ {ex}")), "{seen}{err}");
    assert!(err.contains("not recorded"), "{err}");
    assert_eq!(status.signal(), Some(libc::SIGTERM), "{status}");
    assert_eq!(
        std::fs::read_to_string(wb.join(".asyncwork")).unwrap(),
        "not a folder",
        "the file is left as it was"
    );
}

/// The whole scrollback of the pane, not only what fits on it.
fn scrollback(t: &Tmux) -> String {
    t.tmux(&["capture-pane", "-p", "-t", "t", "-S", "-"])
}

#[test]
fn ctrl_c_mid_strategy_clears_the_live_lines_and_measures_nothing() {
    let Some(t) = Tmux::new("ctrl-c-run") else {
        return;
    };
    let (_tmp, wb) = fresh_workbook();
    // Five times slower: gather's three 300 ms calls take 1.5 s, time to press Ctrl-C in them.
    t.start(
        &wb,
        &format!(
            "{} {} lesson run gather --demo sequential_vs_gather --speed 0.2 --no-pause",
            env(),
            bin()
        ),
    );
    // Sequential has run (its timeline drawn): gather is the strategy running now.
    t.wait_for(&["gather running", "sequential ("], 60 * SECOND);
    t.keys(&["C-c"]);
    t.wait_for(&["EXIT=130"], 20 * SECOND);
    let screen = scrollback(&t);
    // The live lines are gone: no clock, no task still "running", and the "stopping" line
    // printed above them survives their clearing.
    assert!(!screen.contains("gather running"), "{screen}");
    assert!(
        !screen.lines().any(|l| l.trim_end().ends_with(" running")),
        "{screen}"
    );
    assert!(
        screen.contains("interrupted: stopping as soon as"),
        "{screen}"
    );
    assert!(
        screen.contains("interrupted: partial results above"),
        "{screen}"
    );
    // The interrupted gather row: marked, and no speedup or overhead (the sequential one, run
    // to its end, keeps its 1.00x).
    let summary = &screen[screen.find("Summary: sequential_vs_gather").expect(&screen)..];
    let row = summary
        .lines()
        .find(|l| l.trim_start().starts_with("gather "))
        .expect(summary);
    // Its outcomes, "(interrupted)" included, wrap below the row at 70 columns.
    assert!(summary.contains("(interrupted)"), "{summary}");
    assert!(
        !row.contains('x'),
        "a speedup for an interrupted run: {row}"
    );
    let cells: Vec<&str> = row.split_whitespace().collect();
    // strategy, wall (2), ideal (2), speedup, overhead: both `-`.
    assert_eq!(&cells[5..7], ["-", "-"], "{row}");
}

#[test]
fn ctrl_c_during_check_clears_the_spinner_and_says_so() {
    let Some(t) = Tmux::new("ctrl-c-check") else {
        return;
    };
    let (_tmp, wb) = fresh_workbook();
    // The shell traps SIGINT (a trap, not an ignore: asyncwork gets the default action), so it
    // outlives an asyncwork that the terminal's Ctrl-C ends, and prints its exit code.
    t.start(&wb, &format!("trap : INT; {} {} check", env(), bin()));
    // The spinner's first words, while the exercise compiles (or its tests run).
    let deadline = Instant::now() + 60 * SECOND;
    loop {
        let screen = t.screen();
        if screen.contains("compiling 1 exercise") || screen.contains("running the tests of") {
            break;
        }
        assert!(Instant::now() < deadline, "no spinner:\n{screen}");
        std::thread::sleep(Duration::from_millis(20));
    }
    t.keys(&["C-c"]);
    let screen = t.wait_for(&["EXIT=130"], 20 * SECOND);
    assert!(!screen.contains("compiling 1 exercise"), "{screen}");
    assert!(!screen.contains("running the tests of"), "{screen}");
    let said: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("interrupted: check stopped"))
        .collect();
    assert_eq!(said.len(), 1, "{screen}");
}
