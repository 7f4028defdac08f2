//! A rate-limited API: it answers each request after a latency, counts how
//! many requests are in flight, remembers the peak, and rejects requests above
//! its limit with [`ServiceError::TooManyRequests`] (HTTP 429).
//!
//! Sending 10,000 requests at once is a bug even when each one is cheap for
//! you: the other side has limits (connections, rate limits, memory).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::ServiceError;
use crate::home::Home;

pub const API_LATENCY: Duration = Duration::from_millis(100);

/// How long the request for one id takes.
type LatencyFn = dyn Fn(u32) -> Duration + Send + Sync;

struct Inner {
    latency: Duration,
    /// Per-id latency, when set (see [`RateLimitedApi::with_latency_fn`]).
    latency_of: Option<Box<LatencyFn>>,
    max_in_flight: usize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    calls: AtomicUsize,
    rejected: AtomicUsize,
    home: Home,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimitedApi")
            .field("latency", &self.latency)
            .field("varied_latency", &self.latency_of.is_some())
            .field("max_in_flight", &self.max_in_flight)
            .finish_non_exhaustive()
    }
}

/// Cheap to clone; all clones share the counters.
#[derive(Debug, Clone)]
pub struct RateLimitedApi {
    inner: Arc<Inner>,
}

/// Counts one request in flight for as long as it lives. Because it is
/// released in `Drop`, the count stays right even when the request future is
/// cancelled halfway. (This is the same RAII idea as a semaphore permit.)
struct InFlight<'a>(&'a Inner);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl RateLimitedApi {
    /// An API that accepts at most `max_in_flight` concurrent requests.
    pub fn new(max_in_flight: usize) -> Self {
        Self::with_latency(max_in_flight, API_LATENCY)
    }

    pub fn with_latency(max_in_flight: usize, latency: Duration) -> Self {
        Self::build(max_in_flight, latency, None)
    }

    /// An API whose requests take different times: `latency_of(id)` for id.
    /// Real services vary like this, and it is what tells "N in flight at all
    /// times" (a semaphore, a buffered stream) from "batches of N" (wait for
    /// the slowest of each batch before starting the next).
    pub fn with_latency_fn(
        max_in_flight: usize,
        latency_of: impl Fn(u32) -> Duration + Send + Sync + 'static,
    ) -> Self {
        Self::build(max_in_flight, API_LATENCY, Some(Box::new(latency_of)))
    }

    fn build(max_in_flight: usize, latency: Duration, latency_of: Option<Box<LatencyFn>>) -> Self {
        RateLimitedApi {
            inner: Arc::new(Inner {
                latency,
                latency_of,
                max_in_flight,
                in_flight: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
                calls: AtomicUsize::new(0),
                rejected: AtomicUsize::new(0),
                home: Home::here(),
            }),
        }
    }

    /// Fetch item `id`; answers `id * 2` after the latency (the same for
    /// every id, unless set per id with [`RateLimitedApi::with_latency_fn`]).
    pub async fn get(&self, id: u32) -> Result<u32, ServiceError> {
        let inner = &*self.inner;
        inner.calls.fetch_add(1, Ordering::SeqCst);
        let now = inner.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        let _guard = InFlight(inner);
        inner.peak.fetch_max(now, Ordering::SeqCst);
        if now > inner.max_in_flight {
            inner.rejected.fetch_add(1, Ordering::SeqCst);
            return Err(ServiceError::TooManyRequests);
        }
        inner.home.wait("get", self.latency_of(id)).await;
        Ok(id * 2)
    }

    /// How long the request for `id` takes. Not public: the code under test waits for the
    /// answer, it does not read how long to wait.
    fn latency_of(&self, id: u32) -> Duration {
        self.inner.latency_of.as_ref().map_or(self.inner.latency, |f| f(id))
    }
    pub fn max_in_flight(&self) -> usize {
        self.inner.max_in_flight
    }
    /// Requests in flight right now.
    pub fn in_flight(&self) -> usize {
        self.inner.in_flight.load(Ordering::SeqCst)
    }
    /// The most requests that were ever in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.peak.load(Ordering::SeqCst)
    }
    pub fn calls(&self) -> usize {
        self.inner.calls.load(Ordering::SeqCst)
    }
    pub fn rejected(&self) -> usize {
        self.inner.rejected.load(Ordering::SeqCst)
    }
}
