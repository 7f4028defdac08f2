//! Synchronous "library" code: functions that really block the calling thread,
//! like `requests.get`, `psycopg2` or a CPU-heavy hash in Python.
//!
//! Their latency is real (`std::thread::sleep`), and short, so tests stay fast.
//! Call one directly from async code and the whole runtime thread stops: on
//! the paused clock no virtual time passes and no other task runs.
//! `tokio::task::spawn_blocking` moves such a call to a thread pool meant for
//! blocking work (asyncio's `run_in_executor` / `to_thread`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one blocking call holds its thread.
pub const BLOCKING_CALL: Duration = Duration::from_millis(30);

static CALLS: AtomicUsize = AtomicUsize::new(0);
/// Calls per input (by checksum), so parallel tests with different data can
/// each check that the library really ran on *their* data.
static CALLS_FOR: Mutex<Option<HashMap<u64, usize>>> = Mutex::new(None);

/// When each call ran (wall clock), per input as [`CALLS_FOR`]: whether calls overlapped does
/// not depend on how busy the machine is, how long they took together does.
static SPANS_FOR: Mutex<Option<HashMap<u64, Vec<(Instant, Instant)>>>> = Mutex::new(None);

/// A slow, synchronous checksum (think: a C library, bcrypt, a sync driver).
pub fn legacy_checksum(data: &[u8]) -> u64 {
    CALLS.fetch_add(1, Ordering::SeqCst);
    let started = Instant::now();
    crate::grade::block_thread(BLOCKING_CALL);
    let sum = expected_checksum(data);
    *CALLS_FOR.lock().unwrap().get_or_insert_with(HashMap::new).entry(sum).or_default() += 1;
    SPANS_FOR.lock().unwrap().get_or_insert_with(HashMap::new).entry(sum).or_default().push((started, Instant::now()));
    sum
}

/// The most calls of `legacy_checksum` on these inputs that were running at the same moment:
/// 1 if they ran one after another, `inputs.len()` if all side by side.
pub fn legacy_most_at_once(inputs: &[Vec<u8>]) -> usize {
    let spans = SPANS_FOR.lock().unwrap();
    let mut edges: Vec<(Instant, i32)> = inputs
        .iter()
        .filter_map(|data| spans.as_ref()?.get(&expected_checksum(data)))
        .flatten()
        .flat_map(|&(start, end)| [(start, 1), (end, -1)])
        .collect();
    // An end before a start at the same instant: touching calls did not overlap.
    edges.sort();
    let (mut now, mut most) = (0, 0);
    for (_, step) in edges {
        now += step;
        most = most.max(now);
    }
    most as usize
}

/// The checksum without the wait, for tests to compute the expected value.
/// (Calling it instead of the library gets the number but not the grade: the
/// tests also check, with [`legacy_calls_for`], that the library ran.)
pub fn expected_checksum(data: &[u8]) -> u64 {
    data.iter().fold(17u64, |acc, b| acc.wrapping_mul(31).wrapping_add(*b as u64))
}

/// Calls to the legacy functions in this process.
pub fn legacy_calls() -> usize {
    CALLS.load(Ordering::SeqCst)
}

/// How many times `legacy_checksum` ran on exactly this data.
pub fn legacy_calls_for(data: &[u8]) -> usize {
    let sum = expected_checksum(data);
    CALLS_FOR.lock().unwrap().as_ref().and_then(|m| m.get(&sum).copied()).unwrap_or(0)
}
