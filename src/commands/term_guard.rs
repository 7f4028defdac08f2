//! SIGINT, SIGTERM and SIGHUP leave the terminal as it was and nothing of asyncwork's behind.
//!
//! The screens put the terminal in raw mode while they wait for a key and hide the cursor
//! (`screen`); a signal's default action ends the process right there, leaving the shell with
//! no echo, no line editing and no cursor. So, as `less`, `vim` and crossterm's guards do,
//! [`install`] records the terminal's modes once, at start, and:
//!
//! * a thread waits for the three signals (signal-hook's iterator: the handler itself only
//!   writes to a self-pipe, so everything below runs in plain thread context), and on one puts
//!   the recorded modes back, shows the cursor, undoes what `crate::cleanup` holds (temporary
//!   folders, the grader's process groups), and then ends the process by the same signal with
//!   its default action, so the shell sees 128 + the signal (130, 143, 129) as before;
//! * the [`Guard`] it returns does the same for the terminal when `main` returns or a panic
//!   unwinds through it.
//!
//! A command that stops cleanly on a signal by itself takes it over for a while (`Takeover`):
//! a demo run stops at its next step on Ctrl-C (`demo::interrupt`), `serve` lets requests in
//! flight finish. The first such signal goes to the command; a second one ends the process as
//! above, the "press Ctrl-C again to quit" of most tools.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, mpsc};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// The signals that end asyncwork by default and that it cleans up after.
pub(crate) const STOPPING: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];

/// Ctrl-C alone: what a demo run stops on by itself.
pub(crate) const CTRL_C: &[i32] = &[SIGINT];

/// The terminal as asyncwork found it: one of its descriptors and its modes.
struct Original {
    fd: i32,
    modes: libc::termios,
}

/// Recorded once by [`install`]; `None` when no standard stream is a terminal.
static ORIGINAL: OnceLock<Option<Original>> = OnceLock::new();

/// Held while the terminal's modes change, so the signal thread's restore cannot be undone by
/// a screen switching to raw mode just after it ([`set_modes`]); `true` once the process is
/// ending. (`console`'s key reading switches modes itself, outside this lock: a signal in the
/// microseconds between its reading the modes and setting raw ones could still win; the
/// common case, a signal while it waits for the key, is covered.)
static MODES: Mutex<bool> = Mutex::new(false);

/// How many hidden cursors are live ([`cursor_hidden`]); the signal thread shows the cursor
/// again when any is.
static HIDDEN: AtomicUsize = AtomicUsize::new(0);

fn modes_lock() -> MutexGuard<'static, bool> {
    MODES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Record the terminal's modes and start the signal thread. Call once, first thing in `main`;
/// keep the guard until `main` returns.
pub fn install() -> Guard {
    ORIGINAL.get_or_init(record);
    // A signal this process was started with ignored stays ignored (`nohup` ignores SIGHUP; a
    // shell without job control starts `cmd &` with SIGINT ignored): asked before anything
    // below installs a handler.
    let heard: Vec<i32> = STOPPING.into_iter().filter(|&s| !ignored(s)).collect();
    // Ctrl-C for demo runs installs a plain handler of its own the first time it is asked for.
    // Asked for here, before signal-hook registers SIGINT, that handler is the one signal-hook
    // chains to (it calls the handler it replaced), so both always hear SIGINT; installed
    // later it would replace signal-hook's, and a Ctrl-C after a demo would go unheard here.
    if heard.contains(&SIGINT) {
        let _ = crate::demo::interrupt::Interrupt::ctrl_c();
    }
    // Without the thread the signals keep their default actions: nothing is restored, nothing
    // is lost either.
    if let Ok(mut signals) = signal_hook::iterator::Signals::new(&heard) {
        let thread = std::thread::Builder::new()
            .name("asyncwork-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    if !Takeover::deliver(signal) {
                        stop(signal);
                    }
                }
            });
        if thread.is_err() {
            // Registered but nobody to act: the signals would do nothing at all. Give them
            // their default actions back.
            for &signal in &heard {
                // SAFETY: plain syscall restoring the default action.
                unsafe { libc::signal(signal, libc::SIG_DFL) };
            }
        }
    }
    Guard(())
}

/// Was `signal` ignored when asyncwork started?
fn ignored(signal: i32) -> bool {
    // SAFETY: a query only (no new action); `old` is plain data the call fills.
    let mut old = unsafe { std::mem::zeroed::<libc::sigaction>() };
    let queried = unsafe { libc::sigaction(signal, std::ptr::null(), &mut old) } == 0;
    queried && old.sa_sigaction == libc::SIG_IGN
}

/// Puts the terminal's modes back when dropped: when `main` returns, or a panic unwinds it.
#[must_use = "the terminal is restored when the guard is dropped"]
pub struct Guard(());

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn record() -> Option<Original> {
    // Any standard stream on the terminal will do: the modes belong to the terminal, not to the
    // descriptor (a key read from /dev/tty changes the same modes).
    [libc::STDIN_FILENO, libc::STDOUT_FILENO, libc::STDERR_FILENO]
        .into_iter()
        .find_map(|fd| {
            Some(Original {
                fd,
                modes: modes(fd)?,
            })
        })
}

fn modes(fd: i32) -> Option<libc::termios> {
    // SAFETY: termios is plain data that tcgetattr fills before it is read.
    let mut t = unsafe { std::mem::zeroed::<libc::termios>() };
    (unsafe { libc::tcgetattr(fd, &mut t) } == 0).then_some(t)
}

fn same(a: &libc::termios, b: &libc::termios) -> bool {
    a.c_iflag == b.c_iflag
        && a.c_oflag == b.c_oflag
        && a.c_cflag == b.c_cflag
        && a.c_lflag == b.c_lflag
        && a.c_cc == b.c_cc
}

/// Put the recorded modes back and show the cursor if a screen hid it. Only when they changed:
/// setting the modes from the background (`asyncwork check &`) would stop asyncwork with
/// SIGTTOU, and a terminal never touched needs nothing.
fn restore() {
    let Some(Some(original)) = ORIGINAL.get() else {
        return;
    };
    if modes(original.fd).is_some_and(|now| !same(&now, &original.modes)) {
        // SAFETY: the modes tcgetattr gave for this descriptor at start.
        unsafe { libc::tcsetattr(original.fd, libc::TCSANOW, &original.modes) };
    }
    if HIDDEN.load(Ordering::SeqCst) > 0 {
        const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
        // SAFETY: a write of a static buffer to the terminal's descriptor.
        unsafe { libc::write(original.fd, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len()) };
    }
}

/// The end on `signal`: the terminal back, the cleanup done, and the process ended by the
/// signal itself (its default action), as it would have been without the handler.
fn stop(signal: i32) -> ! {
    {
        let mut ending = modes_lock();
        *ending = true;
        restore();
    }
    // What the command drew is cleared and it says it stopped, newest first, before the
    // cleanup (which may take a moment: folders removed, process groups killed).
    for (_, say) in farewells().iter().rev() {
        say();
    }
    crate::cleanup::run();
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Only if the default action could not be restored: the same code a shell would report.
    signal_hook::low_level::exit(128 + signal)
}

/// A blocking read came back with EINTR (or what may be it): a signal arrived. When it ends the
/// process, wait here for the signal thread to end it (with the signal's own exit status)
/// rather than let the screen return "interrupted" and the process exit 130 first. Returns
/// after a moment when nothing is ending (another signal, or one a command took over).
pub(crate) fn settle_after_eintr() {
    // The handler ran on this thread; the signal thread wakes a moment later.
    for _ in 0..50 {
        if *modes_lock() {
            // Ending: the signal thread is restoring and cleaning up; it ends the process.
            loop {
                std::thread::park();
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Switch the terminal on `fd` to `modes` (raw for a key, or back), unless the process is
/// ending and the signal thread already put the original back. For `screen::key_within`.
pub(crate) fn set_modes(fd: i32, modes: &libc::termios) {
    let ending = modes_lock();
    if !*ending {
        // SAFETY: modes from tcgetattr on this descriptor, possibly with flags cleared.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, modes) };
    }
}

/// A screen hid the cursor (`screen::HiddenCursor`); [`cursor_shown`] when it shows it again.
pub(crate) fn cursor_hidden() {
    HIDDEN.fetch_add(1, Ordering::SeqCst);
}

pub(crate) fn cursor_shown() {
    HIDDEN.fetch_sub(1, Ordering::SeqCst);
}

/// What a command says if a signal ends the process while it draws: `check`'s spinner is
/// cleared and one line says the check was interrupted, rather than a frozen `compiling...`.
/// Called on the signal thread; unregistered when the [`Farewell`] is dropped.
pub(crate) fn farewell(say: impl Fn() + Send + 'static) -> Farewell {
    let id = NEXT_FAREWELL.fetch_add(1, Ordering::Relaxed);
    farewells().push((id, Box::new(say)));
    Farewell(id)
}

#[must_use = "the farewell is unregistered when this is dropped"]
pub(crate) struct Farewell(usize);

impl Drop for Farewell {
    fn drop(&mut self) {
        farewells().retain(|(id, _)| *id != self.0);
    }
}

type Say = Box<dyn Fn() + Send>;
static FAREWELLS: Mutex<Vec<(usize, Say)>> = Mutex::new(Vec::new());
static NEXT_FAREWELL: AtomicUsize = AtomicUsize::new(0);

fn farewells() -> MutexGuard<'static, Vec<(usize, Say)>> {
    FAREWELLS.lock().unwrap_or_else(|p| p.into_inner())
}

/// While this lives, the first of `signals` to arrive goes to [`Takeover::wait`] instead of
/// ending the process; any later one ends it as usual. The newest takeover gets the signal.
pub(crate) struct Takeover {
    id: usize,
    heard: mpsc::Receiver<i32>,
}

struct Taker {
    id: usize,
    signals: &'static [i32],
    tell: Option<mpsc::Sender<i32>>,
}

static TAKERS: Mutex<Vec<Taker>> = Mutex::new(Vec::new());
static NEXT_TAKER: AtomicUsize = AtomicUsize::new(0);

fn takers() -> MutexGuard<'static, Vec<Taker>> {
    TAKERS.lock().unwrap_or_else(|p| p.into_inner())
}

impl Takeover {
    pub(crate) fn new(signals: &'static [i32]) -> Takeover {
        let (tell, heard) = mpsc::channel();
        let id = NEXT_TAKER.fetch_add(1, Ordering::Relaxed);
        takers().push(Taker {
            id,
            signals,
            tell: Some(tell),
        });
        Takeover { id, heard }
    }

    /// Block until one of the signals arrives; which one.
    pub(crate) fn wait(&self) -> Option<i32> {
        self.heard.recv().ok()
    }

    /// Hand `signal` to the newest takeover that wants it and has not had one yet. False: nobody
    /// takes it, the process ends.
    fn deliver(signal: i32) -> bool {
        let mut takers = takers();
        let Some(taker) = takers.last_mut() else {
            return false;
        };
        if !taker.signals.contains(&signal) {
            return false;
        }
        // The first one only: taken (dropped) here, so the next signal ends the process.
        match taker.tell.take() {
            Some(tell) => {
                let _ = tell.send(signal);
                true
            }
            None => false,
        }
    }
}

impl Drop for Takeover {
    fn drop(&mut self) {
        takers().retain(|t| t.id != self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_takeover_gets_the_first_of_its_signals_only() {
        // Delivered by hand, as the signal thread would (no real signal in a test process).
        let serve = Takeover::new(&STOPPING);
        assert!(Takeover::deliver(SIGTERM));
        assert_eq!(serve.wait(), Some(SIGTERM));
        // A second one ends the process: nobody takes it.
        assert!(!Takeover::deliver(SIGINT));
        {
            // The newest takeover decides, for its own signals only.
            let demo = Takeover::new(CTRL_C);
            assert!(!Takeover::deliver(SIGHUP));
            assert!(Takeover::deliver(SIGINT));
            drop(demo);
        }
        drop(serve);
        assert!(!Takeover::deliver(SIGINT), "no takeover left");
    }
}
