//! Threads the code under test starts and leaves running.
//!
//! Work done on an OS thread of its own (`std::thread::spawn`, never joined) escapes the test: it
//! is not on the test's runtime, so the paused clock does not time it and the watchdog does not
//! see it block, and it can go on after the test's body returned, changing what the test
//! checked (or not yet having done what it claimed). So a graded test notes the threads it
//! started.
//!
//! How, on Linux: a new thread starts with the name (the kernel's `comm`) of the thread that
//! made it, unless it is given one. For the time of its body, [`Tag::start`] gives the test's
//! runtime thread a name of its own, made up for this test (`aw-` and 12 hex digits), and at the
//! end [`Tag::outliving`] lists the threads in `/proc/self/task` that carry it: started,
//! unnamed, by code running on the test's thread (the test's body, anything `tokio::spawn`ed on a
//! current-thread runtime), and still running. tokio's blocking pool (`spawn_blocking`) names
//! its threads itself, so it is not counted, and neither is anything the support crate starts
//! (each has a name). Elsewhere nothing is checked.

/// The name this test's thread carries while its body runs, and the one to give back.
pub(crate) struct Tag {
    #[cfg(target_os = "linux")]
    tag: String,
    #[cfg(target_os = "linux")]
    previous: Vec<u8>,
}

/// How long threads that were about to end get to end, once the body returned.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const GRACE: std::time::Duration = std::time::Duration::from_millis(200);

#[cfg(target_os = "linux")]
impl Tag {
    /// Name the calling thread with a tag of its own; `None` if that is not possible here.
    pub(crate) fn start() -> Option<Tag> {
        let mut previous = [0u8; 16];
        // SAFETY: PR_GET_NAME writes at most 16 bytes (a NUL-terminated name) into the buffer.
        if unsafe { libc::prctl(libc::PR_GET_NAME, previous.as_mut_ptr() as libc::c_ulong, 0, 0, 0) } != 0 {
            return None;
        }
        let len = previous.iter().position(|&b| b == 0).unwrap_or(previous.len());
        let tag = format!("aw-{:012x}", crate::scratch::unpredictable(1 << 48));
        set_name(tag.as_bytes())?;
        Some(Tag { tag, previous: previous[..len].to_vec() })
    }

    /// How many threads started from the tagged thread are still running; those about to end
    /// get [`GRACE`] to do so.
    pub(crate) fn outliving(&self) -> usize {
        let started = std::time::Instant::now();
        loop {
            let alive = self.tagged();
            if alive == 0 || started.elapsed() > GRACE {
                return alive;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    /// Threads of this process, other than the calling one, named with the tag.
    fn tagged(&self) -> usize {
        let me = std::fs::read_link("/proc/thread-self").ok().and_then(|p| p.file_name().map(|n| n.to_owned()));
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return 0;
        };
        tasks
            .flatten()
            .filter(|t| Some(t.file_name()) != me)
            .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim_end() == self.tag))
            .count()
    }
}

#[cfg(target_os = "linux")]
fn set_name(name: &[u8]) -> Option<()> {
    let mut buf = [0u8; 16];
    let len = name.len().min(15);
    buf[..len].copy_from_slice(&name[..len]);
    // SAFETY: PR_SET_NAME reads a NUL-terminated name of at most 16 bytes from the buffer.
    (unsafe { libc::prctl(libc::PR_SET_NAME, buf.as_ptr() as libc::c_ulong, 0, 0, 0) } == 0).then_some(())
}

#[cfg(target_os = "linux")]
impl Drop for Tag {
    fn drop(&mut self) {
        let _ = set_name(&self.previous);
    }
}

#[cfg(not(target_os = "linux"))]
impl Tag {
    pub(crate) fn start() -> Option<Tag> {
        None
    }

    pub(crate) fn outliving(&self) -> usize {
        0
    }
}
