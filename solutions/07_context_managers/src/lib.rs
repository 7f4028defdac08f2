//! Exercise 07: context managers (solution).

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
        // Drop is the one place that runs on every exit: normal end of scope,
        // `?`, panic unwinding, and a cancelled future being dropped. It must
        // not block or await, and recording a number needs neither.
        // (Python: a `@contextmanager` with the record in `finally`.)
        self.metrics.record(&self.label, self.started.elapsed());
    }
}

// ----- 2. open, use, always close -----------------------------------------

/// Open, run `work`, close gracefully on success and on error.
pub async fn with_connection<T>(
    resources: &Resources,
    name: &str,
    work: impl AsyncFnOnce(&mut Connection) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let mut conn = resources.open(name).await;
    // Keep the Result instead of `?`-ing it, so the close below runs on both
    // paths; then hand the Result back. This is `__aexit__` by hand.
    let result = work(&mut conn).await;
    conn.close().await;
    result
    // On cancellation none of this runs past the current `.await`: Rust has
    // no async Drop, so only `Connection`'s Drop releases it. Design
    // resources so that Drop alone leaves them safe (returned to the pool,
    // transaction rolled back), and treat `close` as the polite extra.
}

// ----- 3. lifespan: startup and shutdown ----------------------------------

/// How often the background worker pings its connection.
pub const PING_EVERY: Duration = Duration::from_millis(100);

/// A running application: a "db" connection and a background ping worker.
pub struct App {
    pub db: Connection,
    worker: JoinHandle<()>,
    stop: oneshot::Sender<()>,
}

/// Open "db", start the worker.
pub async fn startup(resources: &Resources) -> App {
    let db = resources.open("db").await;
    let (stop, mut stop_requested) = oneshot::channel::<()>();
    let resources = resources.clone();
    let worker = tokio::spawn(async move {
        let mut conn = resources.open("worker").await;
        let mut ticks = tokio::time::interval(PING_EVERY);
        ticks.tick().await; // the first tick is immediate; skip it
        loop {
            tokio::select! {
                // A stop message, or the sender being dropped, ends the loop.
                // Checking it first (`biased`) makes shutdown win a tie.
                biased;
                _ = &mut stop_requested => break,
                _ = ticks.tick() => {
                    // A failed ping is logged by a real worker; ignore it here.
                    let _ = conn.query("ping").await;
                }
            }
        }
        // We got here by asking, not by being aborted, so async cleanup runs.
        conn.close().await;
    });
    App { db, worker, stop }
}

/// Stop the worker gracefully, wait for it, then close "db".
pub async fn shutdown(app: App) {
    let App { db, worker, stop } = app;
    // Ask, then wait. `worker.abort()` would be quicker but would drop the
    // worker mid-await: its connection would be released by Drop, never
    // closed gracefully. Alternative signals: `tokio_util`'s
    // `CancellationToken` (many listeners), or a `watch` channel.
    let _ = stop.send(());
    // An `Err` here means the worker panicked: surface it rather than hide it.
    worker.await.expect("the ping worker panicked");
    db.close().await;
}
