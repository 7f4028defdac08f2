//! The proof that a test's body returned, for asyncwork's grader.
//!
//! The grader runs each test in a process of its own and must know whether the test's body
//! returned, which nothing the code under test can print, write or exit with may fake: it can
//! print `test x ... ok`, write an `ok x` line to any file named on its command line, or call
//! `std::process::exit(0)` halfway through. So the verdict comes from a channel that code cannot
//! reach by documented means:
//!
//! * the grader starts the test program with two inherited pipes, named in
//!   `ASYNCWORK_GRADE_CHANNEL=IN,OUT`: `IN` holds a fresh random token (and is closed at the
//!   grader's end), `OUT` leads back to the grader;
//! * the first thing [`watched`](crate::grade::watched) (or [`graded`](crate::grade::graded))
//!   does, before any code under test runs, is [`Proof::take`]: read the token, **close** `IN`,
//!   and move `OUT` to a descriptor that is closed on `exec` (so no program the code under test
//!   starts inherits it). The token now lives only in this test's stack frame;
//! * when the body has returned and every check passed, [`Proof::returned`] writes the token to
//!   `OUT`. A test passes only when its process exited cleanly *and* the token came back, alone.
//!
//! The code under test runs after `IN` is closed, so it cannot read the token; writing to `OUT`
//! (found by its number) can only add something that is not the token, which the grader reports
//! as a forged result. Only one proof is taken per process: a `watched` the code under test calls
//! itself gets none. What it still could do is read the token out of the process's memory (code
//! in the test process can in principle do anything the harness can; `unsafe` code, the usual
//! way to do that, does not compile in an exercise crate). The alternative, a results file named
//! on the command line (libtest's `--logfile`), is exactly what the forged results wrote to.
//!
//! Outside the grader (`cargo test` by hand) there is no channel and nothing changes.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable naming the grader's two descriptors, `IN,OUT`.
pub const CHANNEL_ENV: &str = "ASYNCWORK_GRADE_CHANNEL";

/// A proof was taken in this process (at most one ever is).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// The token and the way back to the grader, held by the outermost wrapper of one test.
pub(crate) struct Proof {
    token: Vec<u8>,
    out: std::fs::File,
}

impl Proof {
    /// Take this process's proof: `None` outside the grader, or when one was taken already.
    pub(crate) fn take() -> Option<Proof> {
        if TAKEN.swap(true, Ordering::SeqCst) {
            return None;
        }
        let channel = std::env::var(CHANNEL_ENV).ok()?;
        let (input, output) = channel.split_once(',')?;
        let (input, output): (i32, i32) = (input.parse().ok()?, output.parse().ok()?);
        if input < 3 || output < 3 || input == output {
            return None;
        }
        // SAFETY: the grader opened exactly these two descriptors for this process (and named
        // them in the environment); nothing else in the process owns them.
        let (input, output) = unsafe { (OwnedFd::from_raw_fd(input), OwnedFd::from_raw_fd(output)) };
        let mut token = Vec::new();
        std::fs::File::from(input).take(256).read_to_end(&mut token).ok()?;
        // `try_clone` duplicates with close-on-exec set; dropping the inherited one closes it.
        let out = output.try_clone().ok()?;
        drop(output);
        Some(Proof { token, out: std::fs::File::from(out) })
    }

    /// The body returned and every check passed: tell the grader.
    pub(crate) fn returned(mut self) {
        let _ = self.out.write_all(&self.token);
        let _ = self.out.write_all(b"\n");
    }
}
