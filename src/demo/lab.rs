//! The real things a demo run talks to: the loopback demo server and a temporary SQLite
//! database, started only when the demo has real-I/O ops, for the whole run (every strategy),
//! and shut down when the run ends (the [`Lab`] is dropped).
//!
//! It also measures what the ideal-time model cannot know from the lesson: the loopback latency
//! of one request (warm: on a reused connection; cold: a new client and connection) and what a
//! commit costs on this disk. [`Lab::estimate`] adds them to the ops, so "ideal" and "overhead" in
//! the report stay honest for real I/O.
//!
//! A lab that could not start (no free port, no temporary directory) is not an error of the run:
//! the ops that need it fail with the reason, like any I/O error.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crate::demo::model::{Measured, Op};
use crate::demo::plan::Plan;
use crate::io::{client, db, server};

/// The server, the database and the measured latencies of one demo run.
pub struct Lab {
    server: Result<server::Server, String>,
    db: Result<db::Db, String>,
    /// One request on a reused connection, in real ms.
    warm_ms: f64,
    /// One request with a new client (a TCP handshake first), in real ms.
    cold_ms: f64,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("server", &self.server)
            .field("warm_ms", &self.warm_ms)
            .field("cold_ms", &self.cold_ms)
            .finish()
    }
}

/// What the tasks of one strategy run share: the lab, one HTTP client (a fresh pool per run, so
/// connection counts are per strategy) and a number that makes `{key}`s unique to the run.
pub struct Session {
    pub lab: Arc<Lab>,
    pub client: Result<reqwest::Client, String>,
    pub run: u64,
}

impl Lab {
    /// Starts what `plan` needs; `None` when it has no real-I/O op.
    pub fn start(plan: &Plan) -> Option<Arc<Lab>> {
        let ops: Vec<&Op> = plan.groups().map(|(_, op, _)| op).collect();
        let wants_server = ops.iter().any(|op| op.uses_server());
        let wants_db = ops.iter().any(|op| op.uses_db());
        if !wants_server && !wants_db {
            return None;
        }
        fn not_needed<T>() -> Result<T, String> {
            Err("not needed by this demo".to_string())
        }
        let server = if wants_server {
            server::Server::start(server::Options::default()).map_err(|e| e.to_string())
        } else {
            not_needed()
        };
        let db = if wants_db {
            // Calibrate now, not inside the first timed query.
            db::rows_per_ms();
            if ops.iter().any(|op| matches!(op, Op::SqliteBulk { .. })) {
                db::bulk_costs();
            }
            db::Db::create().map_err(|e| format!("cannot create a temporary database: {e}"))
        } else {
            not_needed()
        };
        let (warm_ms, cold_ms) = match &server {
            Ok(s) => measure_latency(&s.url("/delay/0")),
            Err(_) => (0.0, 0.0),
        };
        Some(Arc::new(Lab {
            server,
            db,
            warm_ms,
            cold_ms,
        }))
    }

    /// The demo server's URL for `path`.
    pub fn url(&self, path: &str) -> Result<String, String> {
        match &self.server {
            Ok(s) => Ok(s.url(path)),
            Err(e) => Err(format!("the demo server did not start: {e}")),
        }
    }

    /// The demo server's address, when it started (the Python runner connects to it).
    pub fn server_addr(&self) -> Option<std::net::SocketAddr> {
        self.server.as_ref().ok().map(server::Server::addr)
    }

    pub fn db(&self) -> Result<&db::Db, String> {
        self.db.as_ref().map_err(Clone::clone)
    }

    /// A session for one strategy run.
    pub fn session(self: &Arc<Self>) -> Session {
        static RUNS: AtomicU64 = AtomicU64::new(0);
        Session {
            lab: self.clone(),
            client: client::client(),
            run: RUNS.fetch_add(1, Relaxed) + 1,
        }
    }

    /// `plan` with what was measured added to its real-I/O ops, in lesson ms at `speed` (real ms
    /// divided by the factor `Ctx::scaled` multiplies lesson durations by).
    pub fn estimate(&self, plan: &Plan, speed: f64) -> Plan {
        let lesson = |real_ms: f64| Measured(real_ms * speed);
        plan.with_ops(|op| {
            if matches!(op, Op::SqliteBulk { .. }) {
                return calibrated(op, speed);
            }
            let mut op = op.clone();
            match &mut op {
                Op::Http {
                    new_client,
                    measured,
                    ..
                } => {
                    *measured = lesson(if *new_client {
                        self.cold_ms
                    } else {
                        self.warm_ms
                    })
                }
                // The expected backoff is in the op's ideal already (`Op::expected_backoff_ms`,
                // known before anything runs); the latency of every attempt is measured.
                Op::HttpRetry {
                    failures, measured, ..
                } => *measured = lesson(f64::from(*failures + 1) * self.warm_ms),
                Op::HttpPages {
                    items,
                    page_size,
                    measured,
                    ..
                } => {
                    let pages = items.div_ceil((*page_size).max(1)) + 1;
                    *measured = lesson(f64::from(pages) * self.warm_ms);
                }
                _ => {}
            }
            op
        })
    }

    /// `plan` with what can be measured without the server (the cost of this disk's commits)
    /// added to its ops, at speed 1: what the forecasts use before anything runs, the same
    /// estimate the run makes.
    pub fn calibrate(plan: &Plan) -> Plan {
        plan.with_ops(|op| calibrated(op, 1.0))
    }
}

/// A `sqlite_bulk` op with the inserts' expected time on this disk (calibrated once per
/// process) at `speed`; any other op unchanged.
fn calibrated(op: &Op, speed: f64) -> Op {
    let mut op = op.clone();
    if let Op::SqliteBulk {
        rows,
        transaction,
        measured,
        ..
    } = &mut op
    {
        *measured = Measured(db::bulk_costs().estimate_ms(*rows, *transaction) * speed);
    }
    op
}

/// Median latency of `/delay/0` with one shared client (after a first request opens the
/// connection) and with a new client each time, in real ms. Runs on a thread of its own with its
/// own runtime, so it works whether or not the caller is inside a runtime.
fn measure_latency(url: &str) -> (f64, f64) {
    let url = url.to_string();
    let measure = move || -> Option<(f64, f64)> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let once = |c: reqwest::Client| {
                let url = url.clone();
                async move {
                    let t = Instant::now();
                    client::get(&c, &url, |_| {}).await.ok()?;
                    Some(t.elapsed().as_secs_f64() * 1000.0)
                }
            };
            let shared = client::client().ok()?;
            once(shared.clone()).await?;
            let mut warm = Vec::new();
            let mut cold = Vec::new();
            for _ in 0..5 {
                warm.push(once(shared.clone()).await?);
                cold.push(once(client::client().ok()?).await?);
            }
            Some((median(&mut warm), median(&mut cold)))
        })
    };
    let handle = std::thread::spawn(measure);
    // The server answers /delay/0 at once; give up on the estimate (not the run) if it did not.
    let start = Instant::now();
    while !handle.is_finished() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(1));
    }
    if !handle.is_finished() {
        return (0.0, 0.0);
    }
    handle.join().ok().flatten().unwrap_or((0.0, 0.0))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}
