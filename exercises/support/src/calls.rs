//! Bookkeeping shared by the services: an RAII guard per call.
//!
//! Why a guard? In Rust a future that is dropped before it completes (because a
//! `timeout` expired, a `select!` branch lost, or a `JoinSet` was aborted) simply
//! stops: no exception is thrown into it, the code after its current `.await`
//! never runs. The only code that still runs is `Drop`. So each service call
//! creates a [`CallGuard`] first; if the call ends normally it says so, and if
//! the guard is dropped without having been told, the call was *cancelled*.
//! (The asyncio equivalent would be catching `CancelledError` in a `finally`.)

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

/// The error every simulated service returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// The thing asked for does not exist.
    NotFound(String),
    /// The service failed (think HTTP 503): worth retrying.
    Unavailable(String),
    /// Too many requests at once (think HTTP 429).
    TooManyRequests,
    /// The caller gave up waiting.
    Timeout,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceError::NotFound(what) => write!(f, "not found: {what}"),
            ServiceError::Unavailable(what) => write!(f, "service unavailable: {what}"),
            ServiceError::TooManyRequests => write!(f, "too many requests in flight"),
            ServiceError::Timeout => write!(f, "timed out"),
        }
    }
}

impl std::error::Error for ServiceError {}

/// What happened to the calls of one operation (e.g. `"fetch_user"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallStats {
    pub started: usize,
    pub finished: usize,
    pub failed: usize,
    /// Dropped before finishing: a timeout, a lost `select!` race, an abort.
    pub cancelled: usize,
}

#[derive(Debug, Default)]
struct Book {
    per_op: BTreeMap<&'static str, CallStats>,
    in_flight: usize,
    peak_in_flight: usize,
}

/// Shared, cloneable call book. `Arc<Mutex<..>>` is fine here: the lock is
/// held for a few instructions and never across an `.await`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallBook(Arc<Mutex<Book>>);

impl CallBook {
    pub(crate) fn enter(&self, op: &'static str) -> CallGuard {
        let mut book = self.0.lock().unwrap();
        book.per_op.entry(op).or_default().started += 1;
        book.in_flight += 1;
        book.peak_in_flight = book.peak_in_flight.max(book.in_flight);
        CallGuard { book: self.clone(), op, outcome: None }
    }

    pub(crate) fn stats(&self, op: &str) -> CallStats {
        self.0.lock().unwrap().per_op.get(op).copied().unwrap_or_default()
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.0.lock().unwrap().in_flight
    }

    pub(crate) fn peak_in_flight(&self) -> usize {
        self.0.lock().unwrap().peak_in_flight
    }
}

/// Marks one call in flight until it is dropped.
pub(crate) struct CallGuard {
    book: CallBook,
    op: &'static str,
    outcome: Option<bool>,
}

impl CallGuard {
    pub(crate) fn succeed(mut self) {
        self.outcome = Some(true);
    }
    pub(crate) fn fail(mut self) {
        self.outcome = Some(false);
    }
}

impl Drop for CallGuard {
    fn drop(&mut self) {
        let mut book = self.book.0.lock().unwrap();
        book.in_flight -= 1;
        let stats = book.per_op.entry(self.op).or_default();
        match self.outcome {
            Some(true) => stats.finished += 1,
            Some(false) => stats.failed += 1,
            None => stats.cancelled += 1,
        }
    }
}
