//! Running a program with a time limit, and making sure nothing it started outlives the limit or
//! asyncwork itself.
//!
//! Three ways a child could escape, and what stops each:
//! * **Its own children.** The child starts in a process group of its own (`process_group(0)`),
//!   so at the limit one `kill(-pgid, SIGKILL)` stops it and everything it started (a test that
//!   spawned a helper, cargo's rustc processes).
//! * **asyncwork dying first** (Ctrl-C, `kill -9`, a crash). A guard process (`sh`, in a group of
//!   its own so the terminal's Ctrl-C does not reach it) waits on a pipe that only asyncwork
//!   holds; when asyncwork ends for any reason the pipe closes and the guard kills the group. A
//!   Ctrl-C handler could not do this for `kill -9`, and `PR_SET_PDEATHSIG` (also set, on Linux)
//!   reaches only the direct child, not the rustc that cargo started.
//! * **A descendant that left the group** (`setsid`) but kept the inherited stdout/stderr: reading
//!   "to the end" would wait for it. Once the group is gone, the pipes get a short grace
//!   ([`PIPE_GRACE`]); then the processes still holding them are killed (found by the pipes'
//!   inodes in `/proc`, on Linux) and the output read so far is what the run produced.

use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt as _;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most a run keeps of each of stdout and stderr; the rest is read (so the child never
/// blocks on a full pipe) and counted, not kept. A test that prints 50 MB costs 4 MiB here.
pub(crate) const MAX_CAPTURE: usize = 4 << 20;

/// How long the output pipes may stay open after the process group is gone, before whatever
/// still holds them is killed (and again before the run stops reading them).
pub(crate) const PIPE_GRACE: Duration = Duration::from_millis(500);

/// What one reader thread has read so far: shared, so a run can stop waiting for a pipe that a
/// runaway process keeps open and still report what came through it.
#[derive(Default)]
struct Capture {
    kept: Vec<u8>,
    cut: u64,
}

impl Capture {
    fn text(&self) -> String {
        let mut text = String::from_utf8_lossy(&self.kept).into_owned();
        if self.cut > 0 {
            text.push_str(&format!("\n[{} bytes cut]\n", self.cut));
        }
        text
    }
}

/// Read `pipe` to the end into `into`, keeping at most `cap` bytes, then say `done`.
fn read_capped(mut pipe: impl Read, into: Arc<Mutex<Capture>>, done: mpsc::Sender<()>, cap: usize) {
    let mut buf = [0u8; 64 * 1024];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let mut c = into.lock().unwrap_or_else(|p| p.into_inner());
                let room = cap.saturating_sub(c.kept.len()).min(n);
                c.kept.extend_from_slice(&buf[..room]);
                c.cut += (n - room) as u64;
            }
        }
    }
    let _ = done.send(());
}

/// A pipe being read on its own thread.
struct Reader {
    capture: Arc<Mutex<Capture>>,
    /// The pipe's inode, to find processes that still hold its other end.
    inode: u64,
}

impl Reader {
    fn start(pipe: impl Into<std::os::fd::OwnedFd>, done: &mpsc::Sender<()>, cap: usize) -> Reader {
        let file = std::fs::File::from(pipe.into());
        let inode = file.metadata().map(|m| m.ino()).unwrap_or(0);
        let capture = Arc::new(Mutex::new(Capture::default()));
        let (into, done) = (capture.clone(), done.clone());
        std::thread::spawn(move || read_capped(file, into, done, cap));
        Reader { capture, inode }
    }

    fn text(&self) -> String {
        self.capture
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .text()
    }

    fn cut(&self) -> u64 {
        self.capture.lock().unwrap_or_else(|p| p.into_inner()).cut
    }
}

/// Bounds on a test program, near Exercism's test runner (3 GB, 1 MB of output): a test
/// program of these exercises needs tens of MB, a few threads, a few processes at most.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// `RLIMIT_DATA`: the heap, anonymous mappings and thread stacks together, in bytes. Not
    /// `RLIMIT_AS`: the runtime reserves far more address space than it ever touches.
    pub(crate) memory: u64,
    /// Processes of the run alive at once (the program and everything it started).
    pub(crate) processes: usize,
    /// Bytes of stdout and of stderr kept; more is read, counted and reported.
    pub(crate) output: usize,
}

/// The limits of every test program.
pub(crate) const TEST_LIMITS: Limits = Limits {
    memory: 2 << 30,
    processes: 32,
    output: 1 << 20,
};

/// Which limit a run went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitHit {
    Memory(u64),
    Processes(usize),
    Output(usize),
}

impl LimitHit {
    /// "used more than 2 GB of memory", for a test's report.
    pub(crate) fn describe(self) -> String {
        let size = |b: u64| {
            if b >= 1 << 30 {
                format!("{} GB", b >> 30)
            } else {
                format!("{} MB", b >> 20)
            }
        };
        match self {
            LimitHit::Memory(b) => format!(
                "used more than {} of memory and was stopped: a test of this course needs a few \
                 MB (an allocation too large, or a collection that grows without end?)",
                size(b)
            ),
            LimitHit::Processes(n) => format!(
                "started more than {n} processes and was stopped with all of them (a loop that \
                 spawns processes?)"
            ),
            LimitHit::Output(b) => format!(
                "printed more than {} and was stopped being read (only the first {} is kept)",
                size(b as u64),
                size(b as u64)
            ),
        }
    }
}

/// What a run produced.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// The time limit ran out and the process group was killed.
    pub(crate) timed_out: bool,
    /// A limit of [`run_limited`] was gone over.
    pub(crate) limit_hit: Option<LimitHit>,
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

/// Run `cmd` to completion or until `timeout`, capturing stdout and stderr. Returns within about
/// `timeout + 2 * PIPE_GRACE` whatever the child and its descendants do.
pub(crate) fn run_with_timeout(cmd: Command, timeout: Duration) -> std::io::Result<Finished> {
    run(cmd, timeout, None)
}

/// [`run_with_timeout`] for a test program, within `limits` (see [`Limits`]).
///
/// Every process of the run is found, whatever group or session it moved to, by a mark in its
/// environment: `ASYNCWORK_RUN=<fresh id>`, inherited by everything the program starts (a fork
/// keeps it; so does an `exec` unless the code clears its environment on purpose). While the
/// run lasts they are counted (the process limit); when it ends, every one still alive is
/// killed, so a test that daemonizes (double fork, `setsid`, output on /dev/null) leaves
/// nothing behind. The alternative, `PR_SET_CHILD_SUBREAPER` on asyncwork, would make every
/// orphan of the whole process asyncwork's child to reap, including those of threads that are
/// not grading; a mark needs nothing but `/proc`.
pub(crate) fn run_limited(
    mut cmd: Command,
    timeout: Duration,
    limits: Limits,
) -> std::io::Result<Finished> {
    use std::os::unix::process::CommandExt;
    let mark = run_mark()?;
    cmd.env(MARK_VAR, &mark);
    // The run's own writable folder (see `sandbox::confine`), made for it by the grader and
    // removed after it: removed also if a signal stops asyncwork during the run.
    let _scratch = crate::workbook::sandbox::writable_of(&cmd).map(|d| crate::cleanup::folder(&d));
    let memory = limits.memory;
    // SAFETY: setrlimit is async-signal-safe; it runs in the child between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: memory as libc::rlim_t,
                rlim_max: memory as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_DATA, &lim);
            let none = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &none);
            Ok(())
        });
    }
    run(cmd, timeout, Some((limits, format!("{MARK_VAR}={mark}"))))
}

/// The environment variable that marks the processes of one limited run.
const MARK_VAR: &str = "ASYNCWORK_RUN";

fn run_mark() -> std::io::Result<String> {
    random_hex(12)
}

/// `n` random bytes from the kernel, in hex: a run's mark here, a test's token in `grade::proof`.
pub(crate) fn random_hex(n: usize) -> std::io::Result<String> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The processes (not threads) whose environment holds `mark` (`NAME=VALUE`).
fn marked(mark: &str) -> Vec<i32> {
    let mut needle = mark.as_bytes().to_vec();
    needle.push(0);
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    procs
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle.as_slice()))
        })
        .collect()
}

/// Kill every process marked `mark` until none is left (a loop that forks keeps making new
/// ones for a moment). Returns how many were killed.
fn kill_marked(mark: &str) -> usize {
    let mut killed = 0;
    for _ in 0..200 {
        let pids = marked(mark);
        if pids.is_empty() {
            break;
        }
        for pid in pids {
            // SAFETY: plain syscall on a pid just read from /proc.
            if unsafe { libc::kill(pid, libc::SIGKILL) } == 0 {
                killed += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    killed
}

fn run(
    mut cmd: Command,
    timeout: Duration,
    limits: Option<(Limits, String)>,
) -> std::io::Result<Finished> {
    use std::os::unix::process::CommandExt;
    let cap = limits.as_ref().map_or(MAX_CAPTURE, |(l, _)| l.output);
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
    // The guard starts first and learns the group right after the spawn: started after it, the
    // guard would leave a window of a few ms (its own startup) in which asyncwork dying leaves
    // whatever the program already started behind.
    let mut guard = Guard::ready();
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            if let Some(guard) = guard {
                guard.disarm();
            }
            return Err(e);
        }
    };
    let pgid = child.id() as i32;
    // Killed by `crate::cleanup` if a signal stops asyncwork mid-run (the guard would too, once
    // asyncwork is gone; this does not wait for that). Unregistered at the end of the run,
    // after the last `kill_group`.
    let _group = crate::cleanup::group(pgid);
    if let Some(g) = guard.as_mut() {
        if !g.arm(pgid) {
            guard = None;
        }
    }
    // Read both pipes on threads: a child that fills one pipe while we wait would block forever.
    let (done_tx, done_rx) = mpsc::channel();
    let out = Reader::start(child.stdout.take().expect("piped"), &done_tx, cap);
    let err = Reader::start(child.stderr.take().expect("piped"), &done_tx, cap);
    drop(done_tx);

    let mut timed_out = false;
    let mut limit_hit = None;
    let mut poll = Duration::from_millis(1);
    let mut counted = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() >= timeout {
            timed_out = true;
            kill_group(pgid);
            break child.wait().ok();
        }
        if let Some((limits, mark)) = &limits {
            // Count the run's processes every 20 ms (a scan of /proc costs about a millisecond).
            if counted.elapsed() >= Duration::from_millis(20) {
                counted = Instant::now();
                if marked(mark).len() > limits.processes {
                    limit_hit = Some(LimitHit::Processes(limits.processes));
                    kill_group(pgid);
                    kill_marked(mark);
                    break child.wait().ok();
                }
            }
            if out.cut() > 0 || err.cut() > 0 {
                limit_hit = Some(LimitHit::Output(limits.output));
                kill_group(pgid);
                break child.wait().ok();
            }
        }
        std::thread::sleep(poll);
        poll = (poll * 2).min(Duration::from_millis(20));
    };
    // The leader is gone; make sure nothing it started lingers holding the pipes open, and
    // (for a limited run) nothing it started lingers at all, wherever it went.
    kill_group(pgid);
    let mut daemons = 0;
    if let Some((_, mark)) = &limits {
        daemons = kill_marked(mark);
    }
    if let Some(guard) = guard {
        guard.dismiss();
    }
    let mut stragglers = 0;
    if !wait_for(&done_rx, 2, PIPE_GRACE) {
        // Something outside the group holds the pipes: stop it, then stop waiting either way.
        stragglers = kill_pipe_holders(&[out.inode, err.inode]);
        wait_for(&done_rx, 2, PIPE_GRACE);
    }
    let mut stderr = err.text();
    if daemons > 0 {
        stderr.push_str(&format!(
            "\n[asyncwork stopped {daemons} process(es) the program started that were still \
             running after it ended]\n"
        ));
    }
    if let Some((limits, _)) = &limits {
        // Rust's allocator reports a refused allocation before it aborts.
        if limit_hit.is_none() && stderr.contains("memory allocation of ") {
            limit_hit = Some(LimitHit::Memory(limits.memory));
        }
        if limit_hit.is_none() && (out.cut() > 0 || err.cut() > 0) {
            limit_hit = Some(LimitHit::Output(limits.output));
        }
    }
    if stragglers > 0 {
        stderr.push_str(&format!(
            "\n[asyncwork stopped {stragglers} process(es) that left the program's process group \
             and kept its output open]\n"
        ));
    }
    Ok(Finished {
        status,
        stdout: out.text(),
        stderr,
        timed_out,
        limit_hit,
    })
}

/// Wait until `count` readers said they are done, or `grace` passes. True when all were done.
fn wait_for(done: &mpsc::Receiver<()>, count: usize, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    (0..count).all(|_| {
        let left = deadline.saturating_duration_since(Instant::now());
        // A disconnected channel means every reader already finished and was counted.
        !matches!(
            done.recv_timeout(left),
            Err(mpsc::RecvTimeoutError::Timeout)
        )
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

/// SIGKILL every other process that holds one of the pipes `inodes` (Linux: `/proc/PID/fd`
/// links read `pipe:[INODE]`; only our own user's processes are readable, and only processes
/// that inherited the child's output hold these pipes). Returns how many were killed.
fn kill_pipe_holders(inodes: &[u64]) -> usize {
    let wanted: Vec<String> = inodes
        .iter()
        .filter(|&&i| i != 0)
        .map(|i| format!("pipe:[{i}]"))
        .collect();
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut killed = 0;
    for entry in procs.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        let holds = fds.flatten().any(|fd| {
            std::fs::read_link(fd.path())
                .is_ok_and(|target| wanted.iter().any(|w| target.as_os_str() == w.as_str()))
        });
        if holds {
            // SAFETY: plain syscall on a pid we just read.
            if unsafe { libc::kill(pid as i32, libc::SIGKILL) } == 0 {
                killed += 1;
            }
        }
    }
    killed
}

/// A process that kills group `pgid` if asyncwork ends before the run does (see the module doc).
///
/// `sh` reads the group's id, then one line, from a pipe whose only writer is asyncwork: "done"
/// means the run ended normally; end-of-file means asyncwork died, and the group goes with it.
struct Guard {
    child: Child,
    tell: ChildStdin,
}

impl Guard {
    const SCRIPT: &str =
        r#"read pgid || exit 0; read line; [ "$line" = done ] || kill -KILL "-$pgid" 2>/dev/null"#;

    /// Start and arm the guard of group `pgid`.
    #[cfg(test)]
    fn start(pgid: i32) -> Option<Guard> {
        let mut guard = Guard::ready()?;
        guard.arm(pgid).then_some(guard)
    }

    /// Tell the guard which group to kill. False when it cannot be told (it is gone).
    fn arm(&mut self, pgid: i32) -> bool {
        self.tell.write_all(format!("{pgid}\n").as_bytes()).is_ok()
    }

    /// A guard that never learned its group: it exits without killing anything.
    fn disarm(mut self) {
        drop(self.tell);
        let _ = self.child.wait();
    }

    /// Start the guard, not yet armed; `None` when it cannot start (the run still works,
    /// unguarded).
    fn ready() -> Option<Guard> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new("/bin/sh")
            .args(["-c", Self::SCRIPT, "asyncwork-guard"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .ok()?;
        let tell = child.stdin.take()?;
        Some(Guard { child, tell })
    }

    /// The run is over: the guard exits without killing anything.
    fn dismiss(mut self) {
        let _ = self.tell.write_all(b"done\n");
        drop(self.tell);
        let _ = self.child.wait();
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

    /// True while `pid` is a live (not zombie) process.
    fn alive(pid: i32) -> bool {
        let exists = unsafe { libc::kill(pid, 0) } == 0;
        exists
            && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| !s.contains(") Z "))
                .unwrap_or(false)
    }

    fn read_pid(path: &std::path::Path) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Ok(text) = std::fs::read_to_string(path) {
                if let Ok(pid) = text.trim().parse() {
                    return pid;
                }
            }
            assert!(Instant::now() < deadline, "no pid in {}", path.display());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Issue 13, item 3: a process that leaves the group (`setsid`) but keeps the inherited
    /// stdout does not make the run wait for it: the run answers a short grace after the program
    /// ends, with what it printed, and the straggler is stopped.
    #[test]
    fn a_process_that_leaves_the_group_does_not_hold_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("escaped.pid");
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(format!(
            "setsid sh -c 'echo $$ > {0}; exec sleep 600' & \
             while [ ! -s {0} ]; do sleep 0.01; done; echo printed; exit 0",
            pidfile.display()
        ));
        let started = Instant::now();
        let f = run_with_timeout(cmd, Duration::from_secs(30)).unwrap();
        let took = started.elapsed();
        assert!(took < 3 * PIPE_GRACE + Duration::from_secs(1), "{took:?}");
        assert!(f.success(), "{f:?}");
        assert_eq!(f.stdout, "printed\n");
        assert!(
            f.stderr
                .contains("stopped 1 process(es) that left the program's process group"),
            "{f:?}"
        );
        let pid = read_pid(&pidfile);
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(pid), "the straggler {pid} survived");
    }

    /// Issue 13, item 3: when asyncwork ends without finishing the run (here: the guard's pipe
    /// closes without "done", as it does when asyncwork is killed), the guard kills the group.
    #[test]
    fn the_guard_kills_the_group_when_asyncwork_is_gone() {
        use std::os::unix::process::CommandExt;
        let mut victim = Command::new("sleep")
            .arg("600")
            .process_group(0)
            .spawn()
            .unwrap();
        let pid = victim.id() as i32;
        let guard = Guard::start(pid).unwrap();
        drop(guard.tell);
        let status = victim.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        let mut sh = guard.child;
        let _ = sh.wait();

        // Dismissed, it leaves the group alone.
        let mut spared = Command::new("sleep")
            .arg("600")
            .process_group(0)
            .spawn()
            .unwrap();
        Guard::start(spared.id() as i32).unwrap().dismiss();
        std::thread::sleep(Duration::from_millis(100));
        assert!(spared.try_wait().unwrap().is_none(), "killed after dismiss");
        let _ = spared.kill();
        let _ = spared.wait();
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
