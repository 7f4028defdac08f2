//! Helpers for the grading tests: two clocks, a watchdog that notices a
//! blocked runtime, and messages that say what went wrong and what to do.
//!
//! ## Two clocks
//!
//! Tests run on tokio's *paused clock*. Virtual time ([`tokio::time::Instant`])
//! only moves when every task is waiting on a timer; then tokio jumps straight
//! to the next timer. So three sequential 300 ms calls read 900 ms of virtual
//! time and three concurrent ones read 300 ms, while the wall clock
//! ([`std::time::Instant`]) shows almost nothing for either.
//!
//! A blocking call such as `std::thread::sleep` is the opposite: the wall
//! clock moves, virtual time does not, and no other task runs meanwhile. That
//! is what the watchdog of [`watched`] looks for.
//!
//! The real-I/O tests of exercises 10 and 11 (a SQLite file, a loopback HTTP
//! server) run on the real clock instead: the paused clock cannot time a real
//! socket. They time with the wall clock ([`expect_real_time_at_most`], with
//! wide margins) and catch blocking with the same watchdog, which never
//! needed the paused clock. A real rusqlite query is usually far quicker than
//! the watchdog's threshold, so those tests make the wait real: another
//! connection holds the database file for 200 ms, and a query run on the
//! runtime's thread blocks it for that long.
//!
//! ## The watchdog
//!
//! Every async grading test runs its body inside [`watched`]. It starts a
//! plain OS thread that sends a "ping" every 2 ms to a small task on the
//! test's runtime. The task notes how late each ping arrives. While your code
//! blocks the runtime's thread (whatever the cause: a sleep, a synchronous
//! library, `join()` on a thread, a runtime inside a runtime, a long loop),
//! the task cannot run, so pings arrive late by the length of the block. If
//! the longest delay passes [`STALL_THRESHOLD`], the test fails with
//! "the runtime was blocked for ~N ms".
//!
//! Waiting is not blocking: while your code awaits a timer, a channel or a
//! `spawn_blocking` job, the runtime is idle and answers pings at once.
//!
//! A busy machine delays threads too. On Linux the watchdog subtracts the
//! time the runtime's thread spent waiting for a CPU (the kernel counts it in
//! `/proc/thread-self/schedstat`), so only time the thread *could* have run
//! other tasks and did not counts as blocked.

use std::cell::RefCell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use futures::FutureExt;

use crate::markers::{OFF_RUNTIME, RUNTIME_BLOCKED, SIMULATED_TIME, WALL_CLOCK_TIME};
use crate::proof::Proof;
pub use crate::proof::CHANNEL_ENV;

/// A test fails when the runtime's thread was blocked for longer than this
/// (after subtracting time spent waiting for a CPU, where the OS tells us).
///
/// Measured: with both cores of a 2-core machine kept busy by other
/// processes, the solutions never showed more than a few ms (see
/// `docs/grading.md`); the blocking calls of the support crate take 30 ms.
pub const STALL_THRESHOLD: Duration = Duration::from_millis(20);

/// Without the OS's CPU-wait figures (not Linux), be more lenient: a busy
/// machine alone can delay a thread by tens of ms.
pub const STALL_THRESHOLD_WITHOUT_SCHEDSTAT: Duration = Duration::from_millis(60);

/// Kept for older tests: the same as [`STALL_THRESHOLD`].
pub const BLOCKED_THRESHOLD: Duration = STALL_THRESHOLD;

/// What a future returned and how long it took on both clocks.
#[derive(Debug)]
pub struct Measured<T> {
    pub output: T,
    /// Virtual time (the paused clock): what the simulated services "took".
    pub simulated: Duration,
    /// Real time on the wall clock.
    pub wall: Duration,
}

/// Await `fut` and measure it on both clocks.
pub async fn measure<F: Future>(fut: F) -> Measured<F::Output> {
    let virtual_start = tokio::time::Instant::now();
    let wall_start = std::time::Instant::now();
    let output = fut.await;
    Measured { output, simulated: virtual_start.elapsed(), wall: wall_start.elapsed() }
}

/// Whole milliseconds, for messages.
pub fn ms(d: Duration) -> u128 {
    d.as_millis()
}

fn close_to(actual: Duration, expected: Duration) -> bool {
    // Timers have 1 ms resolution, so a few ms of slack per sleep; 5 % more
    // for long chains.
    let slack = Duration::from_millis(10) + expected / 20;
    actual + slack >= expected && actual <= expected + slack
}

/// Panic unless `simulated` is about `expected_ms`. Too slow, the message reads like
/// "took 900 ms of simulated time; run the three calls concurrently to finish
/// in about 300 ms"; too fast, it says a wait is missing instead (more concurrency
/// cannot be the cure; see [`expect_simulated_exactly`] where it can be). If the
/// runtime was blocked meanwhile, that is the real cause and the message says so
/// instead.
#[track_caller]
pub fn expect_simulated(simulated: Duration, expected_ms: u64, advice: &str) {
    let expected = Duration::from_millis(expected_ms);
    if close_to(simulated, expected) {
        return;
    }
    fail_if_blocked();
    if simulated < expected {
        // Too fast is never cured by more concurrency: the waits the work needs did not happen.
        panic!(
            "took {} ms {SIMULATED_TIME}, less than the work itself takes (about {expected_ms} ms): is every \
             call made and awaited, and does every wait really run (nothing left in a task that is never \
             awaited, no answer made up without the calls)?",
            ms(simulated)
        );
    }
    panic!("took {} ms {SIMULATED_TIME}; {advice} to finish in about {expected_ms} ms", ms(simulated));
}

/// Like [`expect_simulated`], for work whose timing is fixed both ways (a sequential baseline,
/// a limit of one, a backoff schedule): `advice` is the remedy whether the code took too long or
/// finished too soon, so the message gives it either way.
#[track_caller]
pub fn expect_simulated_exactly(simulated: Duration, expected_ms: u64, advice: &str) {
    if close_to(simulated, Duration::from_millis(expected_ms)) {
        return;
    }
    fail_if_blocked();
    panic!("took {} ms {SIMULATED_TIME}; {advice} to finish in about {expected_ms} ms", ms(simulated));
}

/// Like [`expect_simulated`], for a wait that can be wrong either way with a different cure for
/// each (a drain that returns before its work is done, or waits past it): the message reads
/// "`what` N ms of simulated time, where about M ms was expected: ADVICE", with `too_soon` or
/// `too_late` as the advice.
#[track_caller]
pub fn expect_simulated_each_way(simulated: Duration, expected_ms: u64, what: &str, too_soon: &str, too_late: &str) {
    if close_to(simulated, Duration::from_millis(expected_ms)) {
        return;
    }
    fail_if_blocked();
    let advice = if simulated < Duration::from_millis(expected_ms) { too_soon } else { too_late };
    panic!("{what} {} ms {SIMULATED_TIME}, where about {expected_ms} ms was expected: {advice}", ms(simulated));
}

/// Panic unless `peak` (a service's most calls in flight at once) is `expected`. `what` names
/// the calls ("calls", "requests"); `advice` says how to get them all in flight. A service never
/// called at all is told so, not told to overlap calls it never made.
#[track_caller]
pub fn expect_peak(peak: usize, expected: usize, what: &str, advice: &str) {
    if peak == expected {
        return;
    }
    fail_if_blocked();
    if peak == 0 {
        panic!("the service was never called: no {what} were made (is every request made and awaited?)");
    }
    panic!("only {peak} {what} were in flight at once; {advice}");
}

/// Panic if `simulated` is above `max_ms`.
#[track_caller]
pub fn expect_simulated_at_most(simulated: Duration, max_ms: u64, advice: &str) {
    if simulated <= Duration::from_millis(max_ms) + Duration::from_millis(10) {
        return;
    }
    fail_if_blocked();
    panic!("took {} ms {SIMULATED_TIME}; {advice} to finish within {max_ms} ms", ms(simulated));
}

/// Panic if `wall` (real time, from [`measure`] on a test that does real I/O: a loopback server,
/// a database file) is above `max_ms`. The paused clock cannot time real sockets, so these tests
/// leave generous room: `max_ms` sits between "together" and "one after another", far from both.
#[track_caller]
pub fn expect_real_time_at_most(wall: Duration, max_ms: u64, advice: &str) {
    if wall <= Duration::from_millis(max_ms) {
        return;
    }
    fail_if_blocked();
    panic!("took {} ms {WALL_CLOCK_TIME}; {advice} to finish within {max_ms} ms", ms(wall));
}

/// What [`watch_blocking`] saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking {
    /// Time the support crate's synchronous functions ([`crate::legacy`],
    /// [`crate::db::SyncDriver`]) spent blocking the runtime's own thread.
    /// Exact: they check which thread they run on. Zero when they ran on
    /// `spawn_blocking`'s pool.
    pub in_sync_calls: Duration,
    /// The longest time the runtime could not run other tasks, measured by
    /// the watchdog (see the module docs).
    pub longest_stall: Duration,
}

/// Panic if a synchronous support function ran on the runtime's thread, or
/// if the runtime was blocked some other way.
#[track_caller]
pub fn expect_not_blocked(blocking: &Blocking, advice: &str) {
    assert!(
        blocking.in_sync_calls.is_zero(),
        "{RUNTIME_BLOCKED} for ~{} ms: {advice}",
        ms(blocking.in_sync_calls.max(blocking.longest_stall))
    );
    assert!(
        blocking.longest_stall < threshold(),
        "{RUNTIME_BLOCKED} for ~{} ms (measured on the wall clock): {advice}. Waiting for another thread \
         with join() or block_on blocks the runtime just as much as the call itself",
        ms(blocking.longest_stall)
    );
}

/// Like [`expect_simulated`], for code that must wait on tokio's clock: a
/// blocking wait (`std::thread::sleep`) leaves virtual time behind, and if the
/// runtime also stalled, the message says so.
#[track_caller]
pub fn expect_simulated_without_blocking(simulated: Duration, blocking: &Blocking, expected_ms: u64, advice: &str) {
    let expected = Duration::from_millis(expected_ms);
    if blocking.longest_stall >= threshold() {
        panic!(
            "{RUNTIME_BLOCKED} for ~{} ms and {} ms {SIMULATED_TIME} passed (expected about {expected_ms} ms): {advice}",
            ms(blocking.longest_stall),
            ms(simulated)
        );
    }
    if close_to(simulated, expected) {
        return;
    }
    expect_simulated(simulated, expected_ms, advice);
}

// ----- blocking detection ------------------------------------------------

thread_local! {
    // `Some(total)` while `watch_blocking` watches this thread, the runtime's
    // thread of a current-thread runtime. Blocking-pool threads never set it.
    static WATCHED: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
    // The watchdog of the test running on this thread, if any.
    static WATCHDOG: RefCell<Option<Arc<Watchdog>>> = const { RefCell::new(None) };
}

/// Time how long the standard panic report takes on a watched thread, when it prints a
/// backtrace: resolving one can take longer than [`STALL_THRESHOLD`], and that is the test's
/// report (a failed check), not the code under test blocking. Only that time is forgiven, ping
/// by ping, as the CPU wait is: code that catches a panic of its own and then blocks is seen
/// blocking like any other. Without backtraces (`RUST_BACKTRACE` unset or `0`, as under
/// asyncwork's grader) the report is quick and nothing is forgiven.
fn note_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        let backtraces = std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0");
        std::panic::set_hook(Box::new(move |info| {
            let started = std::time::Instant::now();
            report(info);
            if backtraces && let Some(dog) = WATCHDOG.with(|w| w.try_borrow().ok().and_then(|d| d.clone())) {
                dog.forgiven.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
            }
        }));
    });
}

/// The record of calls made away from this thread's test, for a service made here
/// (see [`crate::home`]): `None` outside a watched test or on a multi-threaded runtime.
pub(crate) fn strays_of_this_test() -> Option<Arc<crate::home::Strays>> {
    WATCHDOG.with(|w| w.borrow().as_ref().and_then(|dog| dog.strays.clone()))
}

/// Block the calling thread for `d`, like any synchronous library would, and
/// note it if the calling thread is a watched runtime thread.
pub(crate) fn block_thread(d: Duration) {
    WATCHED.with(|w| {
        if let Some(total) = w.get() {
            w.set(Some(total + d));
        }
    });
    std::thread::sleep(d);
}

/// The threshold in force on this machine.
fn threshold() -> Duration {
    if run_delay_of("/proc/thread-self/schedstat").is_some() {
        STALL_THRESHOLD
    } else {
        STALL_THRESHOLD_WITHOUT_SCHEDSTAT
    }
}

/// Nanoseconds a thread has spent runnable but waiting for a CPU, from a
/// Linux `schedstat` file ("cpu_ns wait_ns timeslices"). `None` elsewhere.
fn run_delay_of(path: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.split_whitespace().nth(1)?.parse().ok()
}

struct Ping {
    sent: std::time::Instant,
    /// The runtime thread's CPU-wait counter when the ping was sent.
    run_delay: Option<u64>,
    /// [`Watchdog::forgiven`] when the ping was sent.
    forgiven: u64,
}

/// The state shared by the ping thread, the watcher task and the checks.
struct Watchdog {
    pings: Mutex<mpsc::Receiver<Ping>>,
    arrived: tokio::sync::Notify,
    longest: Mutex<Duration>,
    stop: AtomicBool,
    /// Nanoseconds the runtime's thread spent printing a panic's backtrace (see [`note_panics`]).
    forgiven: AtomicU64,
    /// Calls the services made in this test received on other threads; `None` on a
    /// multi-threaded runtime, where tasks move between threads.
    strays: Option<Arc<crate::home::Strays>>,
    /// When the runtime last read its pings: long ago means it is blocked right now.
    drained_at: Mutex<std::time::Instant>,
}

/// A runtime that has not read its pings for this long is blocked and may stay so (a `join()` or
/// `block_on` waiting for work only this thread could run): the ping thread says so on stderr,
/// so that a test stopped at its time limit is reported as blocked, not merely stuck.
const STILL_BLOCKED_AFTER: Duration = Duration::from_secs(1);

impl Watchdog {
    /// Take every ping that has arrived and note how late it is. Runs on the
    /// runtime's thread (from the watcher task or a check), so "now" is the
    /// first moment the runtime could look at them.
    fn drain(&self) -> Duration {
        let now = std::time::Instant::now();
        let own_delay = run_delay_of("/proc/thread-self/schedstat");
        let forgiven = self.forgiven.load(Ordering::Relaxed);
        *self.drained_at.lock().unwrap() = now;
        let mut longest = self.longest.lock().unwrap();
        for ping in self.pings.lock().unwrap().try_iter() {
            let late = now.saturating_duration_since(ping.sent);
            // Time the runtime's thread was ready to run but had no CPU is
            // the machine's fault, not the code's; so is printing a backtrace.
            let waited_for_cpu = match (ping.run_delay, own_delay) {
                (Some(then), Some(now)) => Duration::from_nanos(now.saturating_sub(then)),
                _ => Duration::ZERO,
            };
            let reporting = Duration::from_nanos(forgiven.saturating_sub(ping.forgiven));
            *longest = (*longest).max(late.saturating_sub(waited_for_cpu + reporting));
        }
        *longest
    }
}

/// Start watching the runtime this is called on. Stops when the returned
/// guard is dropped.
struct WatchGuard {
    dog: Arc<Watchdog>,
    ticker: Option<std::thread::JoinHandle<()>>,
    watcher: tokio::task::JoinHandle<()>,
}

fn start_watchdog() -> WatchGuard {
    note_panics();
    let (tx, rx) = mpsc::channel::<Ping>();
    let one_thread = tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread;
    let dog = Arc::new(Watchdog {
        pings: Mutex::new(rx),
        arrived: tokio::sync::Notify::new(),
        longest: Mutex::new(Duration::ZERO),
        stop: AtomicBool::new(false),
        forgiven: AtomicU64::new(0),
        strays: one_thread.then(Arc::default),
        drained_at: Mutex::new(std::time::Instant::now()),
    });
    // Where the ping thread reads this (the runtime's) thread's CPU wait.
    let schedstat = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|tid| format!("/proc/self/task/{}/schedstat", tid.to_string_lossy())));
    let watcher = {
        let dog = dog.clone();
        tokio::spawn(async move {
            loop {
                dog.arrived.notified().await;
                dog.drain();
            }
        })
    };
    let ticker = {
        let dog = dog.clone();
        // Named, so that it is not taken for a thread the code under test started (`threads.rs`).
        std::thread::Builder::new().name("support-watchdog".into()).spawn(move || {
            let mut said_blocked = false;
            while !dog.stop.load(Ordering::Relaxed) {
                let undrained = dog.drained_at.lock().unwrap().elapsed();
                if undrained > STILL_BLOCKED_AFTER && !said_blocked {
                    said_blocked = true;
                    // Straight to the stderr descriptor: the test harness captures `eprintln!`
                    // and shows it only when the test ends, which a blocked test never does.
                    let line = format!("support: {RUNTIME_BLOCKED} for over {} ms and still is\n", ms(undrained));
                    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
                }
                let run_delay = schedstat.as_deref().and_then(run_delay_of);
                let forgiven = dog.forgiven.load(Ordering::Relaxed);
                if tx.send(Ping { sent: std::time::Instant::now(), run_delay, forgiven }).is_err() {
                    break;
                }
                dog.arrived.notify_one();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
        .expect("the watchdog's thread")
    };
    WATCHDOG.with(|w| *w.borrow_mut() = Some(dog.clone()));
    WatchGuard { dog, ticker: Some(ticker), watcher }
}

impl Drop for WatchGuard {
    fn drop(&mut self) {
        WATCHDOG.with(|w| w.borrow_mut().take());
        self.dog.stop.store(true, Ordering::Relaxed);
        self.watcher.abort();
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

/// The longest stall seen so far by the watchdog of the test running on this
/// thread (zero outside [`watched`]).
pub fn longest_stall() -> Duration {
    WATCHDOG.with(|w| w.borrow().as_ref().map(|dog| dog.drain()).unwrap_or_default())
}

fn blocked_message(stall: Duration) -> String {
    format!(
        "{RUNTIME_BLOCKED} for ~{} ms during this test: for that long no other task could run (measured on \
         the wall clock; the paused clock does not move while the thread is stuck). Something in your code \
         blocks instead of awaiting: std::thread::sleep (use tokio::time::sleep(..).await), a synchronous \
         call or a wait for another thread or runtime (join(), block_on, recv() of a std channel: run \
         the blocking work with tokio::task::spawn_blocking and .await its handle), or a long loop with no \
         .await in it",
        ms(stall)
    )
}

/// Fail now if the watchdog has seen the runtime blocked: that explains any
/// other symptom (wrong timing, wrong order) better than the symptom itself.
#[track_caller]
fn fail_if_blocked() {
    let stall = longest_stall();
    if stall >= threshold() {
        panic!("{}", blocked_message(stall));
    }
}

/// Run a test body while a watchdog watches the runtime (see the module
/// docs). The test fails if the runtime's thread was blocked for longer than
/// [`STALL_THRESHOLD`] at any moment, even when every other check passed;
/// if another check failed too, both messages are shown.
///
/// Use it on the test's current-thread runtime (`#[tokio::test]`), where one
/// blocked thread means every task is stuck:
///
/// ```ignore
/// #[tokio::test(start_paused = true)]
/// async fn my_test() {
///     watched(async {
///         // the test
///     })
///     .await
/// }
/// ```
///
/// Under asyncwork's grader it also holds the proof that the body returned
/// (see `support/src/proof.rs`): taken before the body runs, given back only
/// when the body returned and the runtime was never blocked.
pub async fn watched<F: Future>(body: F) -> F::Output {
    let proof = Proof::take();
    let tag = crate::threads::Tag::start();
    let guard = start_watchdog();
    // Let the watcher task start before the code under test does.
    tokio::task::yield_now().await;
    let outcome = AssertUnwindSafe(body).catch_unwind().await;
    // Give the watcher a turn to read pings that arrived at the very end.
    tokio::task::yield_now().await;
    let stall = guard.dog.drain();
    let strays = guard.dog.strays.as_ref().and_then(|s| s.describe());
    drop(guard);
    let outliving = tag.as_ref().map_or(0, |t| t.outliving());
    drop(tag);
    // For measuring the threshold: `SUPPORT_REPORT_STALL=1 cargo test -- --nocapture`.
    if std::env::var_os("SUPPORT_REPORT_STALL").is_some() {
        println!("longest stall: {} us", stall.as_micros());
    }
    if stall >= threshold() {
        match outcome {
            // A check already said so, with advice for this test: do not say it twice.
            Err(panic) if panic_message(&*panic).is_some_and(|m| m.contains(RUNTIME_BLOCKED)) => {
                std::panic::resume_unwind(panic)
            }
            _ => panic!("{}", blocked_message(stall)),
        }
    }
    if let Some(strays) = strays {
        panic!(
            "the work ran {OFF_RUNTIME}: {strays} reached the services from another thread. A runtime of your own \
             (built in a std::thread, or block_on inside spawn_blocking) keeps its own clock, so its \
             waits take no time on the test's clock and its blocking stalls no one the test can see. \
             Await the calls in your async function, or tokio::spawn them, on the runtime the test gives you"
        );
    }
    fail_if_threads_outlive(outliving);
    match outcome {
        Ok(output) => {
            if let Some(proof) = proof {
                proof.returned();
            }
            output
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Fail if `outliving` threads the code started were still running when the test's body had
/// returned (see `threads.rs`).
fn fail_if_threads_outlive(outliving: usize) {
    if outliving > 0 {
        let (threads, were, them) =
            if outliving == 1 { ("a thread".to_string(), "was", "it") } else { (format!("{outliving} threads"), "were", "them") };
        panic!(
            "the code left work running {OFF_RUNTIME}: {threads} it started (with std::thread::spawn or the like) \
             {were} still running after the test's body had returned. Work on a thread of your own is not timed by \
             the test's clock nor seen by its watchdog, and it can go on changing things after the test has \
             looked. Run blocking work with tokio::task::spawn_blocking and .await its handle (or wait for {them} \
             before returning), and async work on the test's runtime"
        );
    }
}

/// The text of a panic's payload (`panic!` with a message makes a `String` or a `&str`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied())
}

/// Run the body of a plain `#[test]` (no runtime, nothing to watch) under the
/// grader's proof that it returned, as [`watched`] does for async tests.
pub fn graded<T>(body: impl FnOnce() -> T) -> T {
    let proof = Proof::take();
    let tag = crate::threads::Tag::start();
    let output = body();
    let outliving = tag.as_ref().map_or(0, |t| t.outliving());
    drop(tag);
    fail_if_threads_outlive(outliving);
    if let Some(proof) = proof {
        proof.returned();
    }
    output
}

/// Run `fut` and report what blocked: the exact time the support crate's
/// synchronous functions ran on this (the runtime's) thread, and the longest
/// stall the watchdog saw. Inside [`watched`] it reuses the test's watchdog;
/// outside, it starts its own.
pub async fn watch_blocking<F: Future>(fut: F) -> (F::Output, Blocking) {
    let own = WATCHDOG.with(|w| w.borrow().is_none()).then(start_watchdog);
    tokio::task::yield_now().await;

    WATCHED.with(|w| w.set(Some(Duration::ZERO)));
    let output = fut.await;
    let in_sync_calls = WATCHED.with(|w| w.take()).unwrap_or_default();

    tokio::task::yield_now().await;
    let longest_stall = longest_stall();
    drop(own);
    (output, Blocking { in_sync_calls, longest_stall })
}

/// Poll `fut` once (letting it start whatever it starts on its first poll)
/// and leave it pending, so a test can check what keeps running while nobody
/// polls it: spawned tasks do, plain futures do not.
pub async fn poll_once<F: Future + Unpin>(fut: &mut F) -> std::task::Poll<F::Output> {
    futures::poll!(fut)
}
