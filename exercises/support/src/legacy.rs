//! Synchronous "library" code: functions that really block the calling thread,
//! like `requests.get`, `psycopg2` or a CPU-heavy hash in Python.
//!
//! Their latency is real (`std::thread::sleep`), and short, so tests stay fast.
//! Call one directly from async code and the whole runtime thread stops: on
//! the paused clock no virtual time passes and no other task runs.
//! `tokio::task::spawn_blocking` moves such a call to a thread pool meant for
//! blocking work (asyncio's `run_in_executor` / `to_thread`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long one blocking call holds its thread.
pub const BLOCKING_CALL: Duration = Duration::from_millis(30);

static CALLS: AtomicUsize = AtomicUsize::new(0);

/// A slow, synchronous checksum (think: a C library, bcrypt, a sync driver).
pub fn legacy_checksum(data: &[u8]) -> u64 {
    CALLS.fetch_add(1, Ordering::SeqCst);
    crate::grade::block_thread(BLOCKING_CALL);
    expected_checksum(data)
}

/// The checksum without the wait, for tests to compute the expected value.
pub fn expected_checksum(data: &[u8]) -> u64 {
    data.iter().fold(17u64, |acc, b| acc.wrapping_mul(31).wrapping_add(*b as u64))
}

/// Calls to the legacy functions in this process.
pub fn legacy_calls() -> usize {
    CALLS.load(Ordering::SeqCst)
}
