//! Running a program with a time limit, and killing its whole process tree when it runs over.
//!
//! The child is started in a process group of its own (`process_group(0)`), so on timeout one
//! `kill(-pgid, SIGKILL)` stops it and everything it started (a test that spawned a helper, a
//! runtime's threads). On Linux the child also gets `PR_SET_PDEATHSIG`, so a Ctrl-C that kills
//! asyncwork does not leave a learner's endless loop spinning in the background.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The most a run keeps of each of stdout and stderr; the rest is read (so the child never
/// blocks on a full pipe) and counted, not kept. A test that prints 50 MB costs 4 MiB here.
pub(crate) const MAX_CAPTURE: usize = 4 << 20;

/// Read `pipe` to the end, keeping at most [`MAX_CAPTURE`] bytes and saying how many were cut.
fn read_capped(mut pipe: impl Read) -> String {
    let mut kept = Vec::new();
    let mut cut: u64 = 0;
    let mut buf = [0u8; 64 * 1024];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = MAX_CAPTURE.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
                cut += (n - room) as u64;
            }
        }
    }
    let mut text = String::from_utf8_lossy(&kept).into_owned();
    if cut > 0 {
        text.push_str(&format!("\n[{cut} bytes cut]\n"));
    }
    text
}

/// What a run produced.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// The time limit ran out and the process group was killed.
    pub(crate) timed_out: bool,
}

impl Finished {
    pub(crate) fn success(&self) -> bool {
        !self.timed_out && self.status.is_some_and(|s| s.success())
    }

    /// The signal that ended the process, if one did.
    pub(crate) fn signal(&self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        self.status.and_then(|s| s.signal())
    }
}

/// Run `cmd` to completion or until `timeout`, capturing stdout and stderr.
pub(crate) fn run_with_timeout(mut cmd: Command, timeout: Duration) -> std::io::Result<Finished> {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec here.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pgid = child.id() as i32;
    let out_pipe = child.stdout.take().expect("piped");
    let err_pipe = child.stderr.take().expect("piped");
    // Read both pipes on threads: a child that fills one pipe while we wait would block forever.
    let out_reader = std::thread::spawn(move || read_capped(out_pipe));
    let err_reader = std::thread::spawn(move || read_capped(err_pipe));

    let mut timed_out = false;
    let mut poll = Duration::from_millis(1);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() >= timeout {
            timed_out = true;
            kill_group(pgid);
            break child.wait().ok();
        }
        std::thread::sleep(poll);
        poll = (poll * 2).min(Duration::from_millis(20));
    };
    // The leader is gone; make sure nothing it started lingers holding the pipes open.
    kill_group(pgid);
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stderr,
        timed_out,
    })
}

/// SIGKILL every process in group `pgid` (no-op if the group is empty).
pub(crate) fn kill_group(pgid: i32) {
    if pgid > 0 {
        // SAFETY: plain syscall; a negative pid addresses the process group.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let f = run_with_timeout(cmd, Duration::from_secs(10)).unwrap();
        assert_eq!(f.stdout, "out\n");
        assert_eq!(f.stderr, "err\n");
        assert_eq!(f.status.unwrap().code(), Some(3));
        assert!(!f.timed_out && !f.success());
    }

    /// Issue 13, item 11: a child that prints far more than the cap costs the cap, and says so.
    #[test]
    fn caps_what_it_keeps() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "head -c 20000000 /dev/zero | tr '\\0' x"]);
        let f = run_with_timeout(cmd, Duration::from_secs(20)).unwrap();
        assert!(f.success());
        assert!(f.stdout.len() < MAX_CAPTURE + 100, "{}", f.stdout.len());
        let cut = 20_000_000 - MAX_CAPTURE;
        assert!(f.stdout.ends_with(&format!("[{cut} bytes cut]\n")));
    }

    #[test]
    fn kills_the_whole_tree_on_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("grandchild.pid");
        let mut cmd = Command::new("sh");
        // A grandchild that would outlive a plain kill of the child.
        cmd.arg("-c")
            .arg(format!("sleep 600 & echo $! > {}; wait", pidfile.display()));
        let started = Instant::now();
        let f = run_with_timeout(cmd, Duration::from_millis(300)).unwrap();
        assert!(f.timed_out);
        assert!(started.elapsed() < Duration::from_secs(5));
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Reaped by init shortly after the kill.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && unsafe { libc::kill(pid, 0) } == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
        let alive = unsafe { libc::kill(pid, 0) } == 0
            && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| !s.contains(") Z "))
                .unwrap_or(false);
        assert!(!alive, "grandchild {pid} survived the timeout kill");
    }
}
