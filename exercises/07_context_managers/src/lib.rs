//! Exercise 07: context managers.
//!
//! Python's `async with` guarantees cleanup: `__aexit__` runs on success, on
//! an exception and on cancellation, and it may `await`. Rust splits that job:
//!
//! * `Drop` runs *always* (success, error, panic, cancellation) but cannot
//!   await: use it for cleanup that needs no waiting (an RAII guard);
//! * an explicit `async fn close(self)` does the graceful part, and you must
//!   make sure it is called on every path you control.
//!
//! Read README.md, then make the tests pass:
//! `asyncwork check 07_context_managers`.

use std::time::Duration;

use support::ServiceError;
use support::resource::{Connection, Metrics, Resources};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

// ----- 1. a timed-operation guard ---------------------------------------

/// Measures how long it lives and records that in `metrics` under `label`.
pub struct Timer {
    metrics: Metrics,
    label: String,
    started: Instant,
}

/// Start timing; the time is recorded when the returned guard is dropped.
pub fn start_timer(metrics: &Metrics, label: &str) -> Timer {
    Timer { metrics: metrics.clone(), label: label.to_string(), started: Instant::now() }
}

impl Drop for Timer {
    fn drop(&mut self) {
        // TODO: record `self.label` with the time elapsed since `self.started`.
        let _ = (&self.metrics, &self.label, self.started);
    }
}

// ----- 2. open, use, always close -----------------------------------------

/// Open a connection called `name`, run `work` with it, and close it
/// gracefully (`Connection::close`) whether `work` succeeded or failed.
/// Return what `work` returned.
///
/// TODO: the error path skips `close` (the `?` returns early). Fix it.
pub async fn with_connection<T>(
    resources: &Resources,
    name: &str,
    work: impl AsyncFnOnce(&mut Connection) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let mut conn = resources.open(name).await;
    let value = work(&mut conn).await?;
    conn.close().await;
    Ok(value)
}

// ----- 3. lifespan: startup and shutdown ----------------------------------

/// How often the background worker pings its connection.
pub const PING_EVERY: Duration = Duration::from_millis(100);

/// A running application: a connection named "db" for request handlers, and a
/// background worker with its own connection named "worker" that runs
/// `query("ping")` every [`PING_EVERY`] until shutdown.
pub struct App {
    pub db: Connection,
    worker: JoinHandle<()>,
    stop: oneshot::Sender<()>,
}

/// Like FastAPI's lifespan before `yield`: open "db", start the worker.
///
/// TODO: implement. The worker must close its own connection gracefully
/// when told to stop.
pub async fn startup(resources: &Resources) -> App {
    let _ = resources;
    todo!("open the db connection and spawn the ping worker")
}

/// Like the lifespan after `yield`: stop the worker (letting it close its
/// connection gracefully), wait for it, then close "db".
///
/// TODO: implement.
pub async fn shutdown(app: App) {
    let App { db, worker, stop } = app;
    let _ = (db, worker, stop);
    todo!("signal the worker, wait for it, close the db connection")
}
