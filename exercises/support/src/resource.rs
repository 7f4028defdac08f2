//! Connections that record their life: opened, queried, closed, released.
//!
//! Python's `async with` runs `__aexit__` on success, on error and on
//! cancellation, and `__aexit__` may await. Rust has no async `Drop` (on
//! stable), so the pattern splits in two:
//!
//! * [`Connection::close`] is an explicit `async fn` for the graceful part
//!   (flush, say goodbye to the server). You must call it yourself, on the
//!   success path *and* the error path.
//! * `Drop` does the part that must always happen and needs no waiting: here it
//!   records `Released` (think: the socket goes back to the pool). It runs on
//!   success, error, panic *and* cancellation, because dropping is the only
//!   thing that happens to a cancelled future.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::ServiceError;
use crate::home::Home;

pub const OPEN_LATENCY: Duration = Duration::from_millis(50);
pub const QUERY_LATENCY: Duration = Duration::from_millis(100);
pub const CLOSE_LATENCY: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Opened(String),
    Query(String),
    Closed(String),
    Released(String),
}

/// The place connections come from; keeps the event log. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Each event with the serial number of its connection (1, 2, ... in
    /// the order they were opened).
    log: Arc<Mutex<Vec<(u64, Event)>>>,
    home: Home,
}

impl Resources {
    pub fn new() -> Self {
        Self::default()
    }

    pub async fn open(&self, name: &str) -> Connection {
        self.home.wait("open", OPEN_LATENCY).await;
        let serial = {
            let mut log = self.log.lock().unwrap();
            let serial = log.iter().filter(|(_, e)| matches!(e, Event::Opened(_))).count() as u64 + 1;
            log.push((serial, Event::Opened(name.to_string())));
            serial
        };
        Connection { name: name.to_string(), serial, resources: self.clone(), closed: false }
    }

    fn record(&self, serial: u64, event: Event) {
        self.log.lock().unwrap().push((serial, event));
    }

    /// Everything that happened, in order.
    pub fn events(&self) -> Vec<Event> {
        self.log.lock().unwrap().iter().map(|(_, e)| e.clone()).collect()
    }

    /// Everything that happened, in order, with the serial number of the
    /// connection it happened to: two connections with the same name are
    /// still two connections.
    pub fn events_by_connection(&self) -> Vec<(u64, Event)> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self, pred: impl Fn(&Event) -> bool) -> usize {
        self.log.lock().unwrap().iter().filter(|(_, e)| pred(e)).count()
    }
}

#[derive(Debug)]
pub struct Connection {
    name: String,
    serial: u64,
    resources: Resources,
    closed: bool,
}

impl Connection {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// This connection's serial number (see [`Resources::events_by_connection`]).
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// Runs a query; any query containing the word `fail` fails.
    pub async fn query(&mut self, sql: &str) -> Result<String, ServiceError> {
        self.resources.home.wait("query", QUERY_LATENCY).await;
        self.resources.record(self.serial, Event::Query(sql.to_string()));
        if sql.contains("fail") {
            Err(ServiceError::Unavailable(format!("query `{sql}`")))
        } else {
            Ok(format!("rows for `{sql}`"))
        }
    }

    /// Graceful, asynchronous close. Takes `self` by value so the connection
    /// cannot be used afterwards (the compiler enforces it).
    pub async fn close(mut self) {
        self.resources.home.wait("close", CLOSE_LATENCY).await;
        self.closed = true;
        self.resources.record(self.serial, Event::Closed(self.name.clone()));
        // `self` is dropped here, so `Released` follows `Closed`.
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Synchronous, cannot fail, cannot wait: the part of cleanup that is
        // guaranteed to run. (`closed` tells a graceful close from a drop.)
        let _ = self.closed;
        self.resources.record(self.serial, Event::Released(self.name.clone()));
    }
}

/// Timings recorded by label: what a "timed operation" guard writes to.
/// Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    records: Arc<Mutex<Vec<(String, Duration)>>>,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&self, label: &str, elapsed: Duration) {
        self.records.lock().unwrap().push((label.to_string(), elapsed));
    }

    /// Everything recorded, in order.
    pub fn records(&self) -> Vec<(String, Duration)> {
        self.records.lock().unwrap().clone()
    }
}
