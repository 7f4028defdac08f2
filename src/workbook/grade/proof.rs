//! The grader's end of the proof that a test's body returned.
//!
//! The harness's end, and why the verdict comes from here rather than from what the test
//! program prints, writes or exits with, is `exercises/support/src/proof.rs` (the support crate
//! the exercises' tests use). In short: each test runs in a process of its own, started with
//! two inherited pipes named in `ASYNCWORK_GRADE_CHANNEL=IN,OUT`. `IN` holds a fresh random
//! token; the harness reads it and closes `IN` before any code under test runs, and writes it
//! back on `OUT` once the test's body has returned. A test passes only when its process exited
//! cleanly and exactly the token came back.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::Command;

/// The environment variable naming the two descriptors, `IN,OUT`: the support crate's
/// `support::grade::CHANNEL_ENV` (every end-to-end grading test of a passing solution proves the
/// two agree: no pass comes back otherwise).
pub(crate) const CHANNEL_ENV: &str = "ASYNCWORK_GRADE_CHANNEL";

/// What came back on the results channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Returned {
    /// Nothing: the body did not return (a failure, a crash, an early exit).
    Nothing,
    /// Exactly the token: the body returned and every check passed.
    Token,
    /// Something else was written there, by code that is not the harness.
    Forged(String),
}

/// One test's channel: the token and the pipes' ends.
pub(crate) struct Channel {
    token: String,
    /// The test program's ends (this process closes its copies once the program has started).
    token_in: OwnedFd,
    result_out: OwnedFd,
    result_in: std::fs::File,
}

/// A pipe whose two ends are closed on `exec` (so no other program asyncwork starts holds them).
fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded: both descriptors are open and owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// 128 random bits, in hex: no test can guess it.
fn fresh_token() -> std::io::Result<String> {
    crate::workbook::process::random_hex(16)
}

impl Channel {
    pub(crate) fn open() -> std::io::Result<Channel> {
        let token = fresh_token()?;
        let (token_in, token_out) = pipe()?;
        std::fs::File::from(token_out).write_all(token.as_bytes())?;
        // The write end is closed here: the harness reads the token, then end of file.
        let (result_in, result_out) = pipe()?;
        Ok(Channel {
            token,
            token_in,
            result_out,
            result_in: std::fs::File::from(result_in),
        })
    }

    /// Give the test program its two ends, as descriptors 3 (`IN`) and 4 (`OUT`), inherited
    /// across `exec` and named in the environment. (Low numbers: a shell can redirect only 0-9,
    /// which the grader's own tests use.)
    pub(crate) fn pass_to(&self, cmd: &mut Command) {
        use std::os::unix::process::CommandExt;
        let (a, b) = (self.token_in.as_raw_fd(), self.result_out.as_raw_fd());
        cmd.env(CHANNEL_ENV, "3,4");
        // SAFETY: fcntl, dup2 and close are async-signal-safe; in the child between fork and
        // exec (after std set up stdio), they place two descriptors this process owns at 3 and
        // 4, without close-on-exec. Copies above 10 first, so neither clobbers the other.
        unsafe {
            cmd.pre_exec(move || {
                let high_a = libc::fcntl(a, libc::F_DUPFD_CLOEXEC, 10);
                let high_b = libc::fcntl(b, libc::F_DUPFD_CLOEXEC, 10);
                if high_a < 0
                    || high_b < 0
                    || libc::dup2(high_a, 3) < 0
                    || libc::dup2(high_b, 4) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(high_a);
                libc::close(high_b);
                Ok(())
            });
        }
    }

    /// After the program ended: what came back. Reads only what is there (never waits for a
    /// process that kept the pipe open).
    pub(crate) fn read(self) -> Returned {
        let Channel {
            token,
            token_in,
            result_out,
            mut result_in,
        } = self;
        drop((token_in, result_out));
        // SAFETY: plain fcntl on a descriptor we own.
        unsafe {
            let fd = result_in.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        let mut got = Vec::new();
        let _ = (&mut result_in).take(64 * 1024).read_to_end(&mut got);
        judge(&token, &got)
    }
}

/// What `got` (the bytes on the results channel) says, against the run's `token`.
fn judge(token: &str, got: &[u8]) -> Returned {
    if got.is_empty() {
        Returned::Nothing
    } else if got == format!("{token}\n").as_bytes() {
        Returned::Token
    } else if got.windows(token.len()).any(|w| w == token.as_bytes()) {
        Returned::Forged(format!(
            "the token and {} bytes more",
            got.len().saturating_sub(token.len() + 1)
        ))
    } else {
        Returned::Forged(format!("{} bytes that are not the token", got.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_alone_is_a_return() {
        let t = "0123456789abcdef0123456789abcdef";
        assert_eq!(judge(t, b""), Returned::Nothing);
        assert_eq!(judge(t, format!("{t}\n").as_bytes()), Returned::Token);
        assert!(matches!(judge(t, b"ok a\n"), Returned::Forged(_)));
        assert!(matches!(
            judge(t, format!("{t}\nok b\n").as_bytes()),
            Returned::Forged(_)
        ));
    }

    /// A child given the channel reads the token and sends it back; one that is not given it
    /// (or sends something else) does not pass.
    #[test]
    fn a_child_can_return_the_token() {
        let ch = Channel::open().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(
            "in=${ASYNCWORK_GRADE_CHANNEL%,*}; out=${ASYNCWORK_GRADE_CHANNEL#*,}; \
             eval \"read -r tok <&$in\"; eval \"printf '%s\\n' \\\"\\$tok\\\" >&$out\"",
        );
        ch.pass_to(&mut cmd);
        assert!(cmd.status().unwrap().success());
        assert_eq!(ch.read(), Returned::Token);

        let ch = Channel::open().unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("out=${ASYNCWORK_GRADE_CHANNEL#*,}; eval \"echo ok a >&$out\"");
        ch.pass_to(&mut cmd);
        assert!(cmd.status().unwrap().success());
        assert!(matches!(ch.read(), Returned::Forged(_)));
    }
}
