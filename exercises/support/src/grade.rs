//! Helpers for the grading tests: two clocks, blocking detection, and
//! messages that say what went wrong and what to do about it.
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
//! is what [`watch_blocking`] looks for.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::markers::{RUNTIME_BLOCKED, SIMULATED_TIME};

/// A wall-clock stall longer than this is reported as "blocked" in messages.
/// It only explains failures: on an overloaded machine the OS alone can pause
/// a thread for this long, so no test fails on a stall by itself.
pub const BLOCKED_THRESHOLD: Duration = Duration::from_millis(15);

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

/// Panic unless `simulated` is about `expected_ms`. The message reads like
/// "took 900 ms of simulated time; run the three calls concurrently to finish
/// in about 300 ms".
#[track_caller]
pub fn expect_simulated(simulated: Duration, expected_ms: u64, advice: &str) {
    let expected = Duration::from_millis(expected_ms);
    assert!(
        close_to(simulated, expected),
        "took {} ms {SIMULATED_TIME}; {advice} to finish in about {expected_ms} ms",
        ms(simulated)
    );
}

/// Panic if `simulated` is above `max_ms`.
#[track_caller]
pub fn expect_simulated_at_most(simulated: Duration, max_ms: u64, advice: &str) {
    assert!(
        simulated <= Duration::from_millis(max_ms) + Duration::from_millis(10),
        "took {} ms {SIMULATED_TIME}; {advice} to finish within {max_ms} ms",
        ms(simulated)
    );
}

/// What [`watch_blocking`] saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking {
    /// Time the support crate's synchronous functions ([`crate::legacy`],
    /// [`crate::db::SyncDriver`]) spent blocking the runtime's own thread.
    /// Exact: they check which thread they run on. Zero when they ran on
    /// `spawn_blocking`'s pool.
    pub in_sync_calls: Duration,
    /// The longest time the runtime could not run other tasks, measured on
    /// the wall clock. Catches any blocking (`std::thread::sleep`, a long
    /// loop), but is approximate: on a heavily loaded machine the OS may
    /// pause the thread for a few ms too. Use it to explain a failure, not
    /// alone to decide one.
    pub longest_stall: Duration,
}

/// Panic if a synchronous support function ran on the runtime's thread.
#[track_caller]
pub fn expect_not_blocked(blocking: &Blocking, advice: &str) {
    assert!(
        blocking.in_sync_calls.is_zero(),
        "the {RUNTIME_BLOCKED} for ~{} ms: {advice}",
        ms(blocking.in_sync_calls.max(blocking.longest_stall))
    );
}

/// Like [`expect_simulated`], for code that must wait on tokio's clock: a
/// blocking wait (`std::thread::sleep`) leaves virtual time behind, and if the
/// runtime also stalled, the message says so.
#[track_caller]
pub fn expect_simulated_without_blocking(simulated: Duration, blocking: &Blocking, expected_ms: u64, advice: &str) {
    let expected = Duration::from_millis(expected_ms);
    if close_to(simulated, expected) {
        return;
    }
    if blocking.longest_stall >= BLOCKED_THRESHOLD {
        panic!(
            "the {RUNTIME_BLOCKED} for ~{} ms and only {} ms {SIMULATED_TIME} passed (expected about {expected_ms} ms): {advice}",
            ms(blocking.longest_stall),
            ms(simulated)
        );
    }
    expect_simulated(simulated, expected_ms, advice);
}

thread_local! {
    // `Some(total)` while `watch_blocking` watches this thread, the runtime's
    // thread of a current-thread runtime. Blocking-pool threads never set it.
    static WATCHED: std::cell::Cell<Option<Duration>> = const { std::cell::Cell::new(None) };
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

/// Run `fut` while watching the runtime; return its output and what blocked.
///
/// Two detectors (see [`Blocking`]):
///
/// * exact: the support crate's sync functions check whether they run on this
///   thread, the runtime's thread, rather than on `spawn_blocking`'s pool;
/// * approximate: a plain OS thread sends the wall-clock time every 2 ms to a
///   small tokio task, which notes how late each message arrived. While your
///   code blocks the runtime thread the task cannot run, so messages arrive
///   late by the length of the block.
///
/// Use it on a current-thread runtime (the default of `#[tokio::test]`), where
/// one blocked thread means every task is stuck.
///
/// Why not a tokio interval as heartbeat? On the paused clock, virtual time
/// does not move while the thread is blocked, nor while a `spawn_blocking`
/// job runs, so an interval could not tell the two apart. The wall clock can.
pub async fn watch_blocking<F: Future>(fut: F) -> (F::Output, Blocking) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<std::time::Instant>();
    let worst = Arc::new(Mutex::new(Duration::ZERO));
    let stop = Arc::new(AtomicBool::new(false));

    let watcher = {
        let worst = worst.clone();
        tokio::spawn(async move {
            while let Some(sent) = rx.recv().await {
                let lag = sent.elapsed();
                let mut worst = worst.lock().unwrap();
                *worst = (*worst).max(lag);
            }
        })
    };
    let ticker = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if tx.send(std::time::Instant::now()).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    // Let the watcher start before the code under test does.
    tokio::task::yield_now().await;

    WATCHED.with(|w| w.set(Some(Duration::ZERO)));
    let output = fut.await;
    let in_sync_calls = WATCHED.with(|w| w.take()).unwrap_or_default();

    // Let the watcher drain what is already queued, then stop both.
    tokio::task::yield_now().await;
    stop.store(true, Ordering::Relaxed);
    watcher.abort();
    let _ = ticker.join();
    let longest_stall = *worst.lock().unwrap();
    (output, Blocking { in_sync_calls, longest_stall })
}
