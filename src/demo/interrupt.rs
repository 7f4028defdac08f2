//! Ctrl-C for demo runs, heard whatever the demo's runtime is doing.
//!
//! Why not `tokio::signal::ctrl_c()` inside the demo's runtime: on a current-thread runtime a
//! `block` or `cpu` op holds the only thread, so the future that would notice the signal cannot
//! run; and a listener created after a signal arrived never sees it (9 of 12 Ctrl-Cs were lost
//! that way, and the run ended with exit 0). Here a plain signal handler does the least it can
//! (an async-signal-safe `write` of one byte to a pipe) and a thread of its own reads the pipe
//! and raises an [`Interrupt`], a flag that any runtime can await and the runner checks after
//! every strategy. The run stops as soon as the blocking op returns.
//!
//! The handler is installed with `SA_RESETHAND`: after the first Ctrl-C, SIGINT has its default
//! action again, so a second Ctrl-C ends the process at once, killed by SIGINT, which shells
//! report as status 130 (the convention that also tells a calling script the user interrupted).

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::Notify;

/// A request to stop, shared by whoever raises it and whoever waits for it.
#[derive(Clone, Default)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    requested: AtomicBool,
    notify: Notify,
    /// Called once, on the thread that raises the interrupt (the command layer says "stopping").
    on_request: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl std::fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interrupt")
            .field("requested", &self.requested())
            .finish()
    }
}

impl Interrupt {
    /// A source raised by calling [`Interrupt::request`] (tests, or a caller's own reason).
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// The process's Ctrl-C (SIGINT): the first call installs the handler and its thread; every
    /// call returns the same source.
    pub fn ctrl_c() -> Interrupt {
        static CTRL_C: OnceLock<Interrupt> = OnceLock::new();
        CTRL_C
            .get_or_init(|| {
                let interrupt = Interrupt::new();
                install(interrupt.clone());
                interrupt
            })
            .clone()
    }

    /// Raise the interrupt: wake everyone waiting, now and later.
    pub fn request(&self) {
        if !self.inner.requested.swap(true, Ordering::SeqCst) {
            if let Some(say) = self.inner.on_request.get() {
                say();
            }
        }
        self.inner.notify.notify_waiters();
    }

    pub fn requested(&self) -> bool {
        self.inner.requested.load(Ordering::SeqCst)
    }

    /// Run `f` when the interrupt is raised (once; only the first call's `f` is kept).
    pub fn on_request(&self, f: impl Fn() + Send + Sync + 'static) {
        let _ = self.inner.on_request.set(Box::new(f));
    }

    /// Completes once the interrupt is raised (at once if it already was), on any runtime.
    pub async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            // Register before checking the flag, so a request between the two is not missed.
            notified.as_mut().enable();
            if self.requested() {
                return;
            }
            notified.await;
        }
    }
}

/// The write end of the pipe the signal handler writes to (-1 before it exists).
static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_sigint(_: libc::c_int) {
    let fd = SIGNAL_PIPE.load(Ordering::Relaxed);
    if fd >= 0 {
        let byte = 1u8;
        // SAFETY: write(2) is async-signal-safe; a full pipe just drops the byte (one is enough).
        unsafe {
            libc::write(fd, (&byte as *const u8).cast(), 1);
        }
    }
}

/// Install the SIGINT handler and the thread that turns its bytes into `interrupt`. Without a
/// pipe or a thread, Ctrl-C keeps its default action (the process ends), which loses nothing.
fn install(interrupt: Interrupt) {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: plain syscall with a valid two-element array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return;
    }
    let (read_fd, write_fd) = (fds[0], fds[1]);
    let thread = std::thread::Builder::new()
        .name("asyncwork-ctrl-c".into())
        .spawn(move || {
            let mut byte = 0u8;
            loop {
                // SAFETY: reading one byte into a valid buffer from our own pipe.
                let n = unsafe { libc::read(read_fd, (&mut byte as *mut u8).cast(), 1) };
                if n == 1 {
                    interrupt.request();
                } else if n == 0
                    || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
                {
                    return;
                }
            }
        });
    if thread.is_err() {
        return;
    }
    SIGNAL_PIPE.store(write_fd, Ordering::SeqCst);
    // SAFETY: a zeroed sigaction with our handler; SA_RESETHAND restores the default after one
    // delivery, SA_RESTART keeps other threads' system calls from failing with EINTR.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as usize;
        action.sa_flags = libc::SA_RESETHAND | libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_and_late_waiters_return_at_once() {
        let i = Interrupt::new();
        let said = Arc::new(AtomicBool::new(false));
        let s = said.clone();
        i.on_request(move || s.store(true, Ordering::SeqCst));
        let waiter = tokio::spawn({
            let i = i.clone();
            async move { i.wait().await }
        });
        tokio::task::yield_now().await;
        assert!(!i.requested());
        // Raised from another thread, as the signal thread does.
        let raiser = i.clone();
        std::thread::spawn(move || raiser.request()).join().unwrap();
        waiter.await.unwrap();
        assert!(i.requested() && said.load(Ordering::SeqCst));
        i.wait().await;
    }
}
