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

use crate::demo::op::{Needs, Op, OpKind};
use crate::demo::plan::Plan;
use crate::io::{client, db, server};

/// The server, the database and the measured latencies of one demo run.
pub struct Lab {
    server: Result<server::Server, String>,
    db: Result<db::Db, String>,
    latency: Latency,
}

/// The loopback latency of one request to the demo server, in real ms.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    /// On a reused connection.
    pub warm_ms: f64,
    /// With a new client (a TCP handshake first).
    pub cold_ms: f64,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("server", &self.server)
            .field("latency", &self.latency)
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
        // A match, not comparisons, so a new kind of need does not compile until it is started
        // here.
        let (mut wants_server, mut wants_db) = (false, false);
        for op in &ops {
            match op.needs() {
                Needs::Nothing => {}
                Needs::Server => wants_server = true,
                Needs::Database => wants_db = true,
            }
        }
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
            if ops.iter().any(|op| op.kind() == OpKind::SqliteBulk) {
                db::bulk_costs();
            }
            db::Db::create().map_err(|e| format!("cannot create a temporary database: {e}"))
        } else {
            not_needed()
        };
        let latency = match &server {
            Ok(s) => measure_latency(&s.url("/delay/0")),
            Err(_) => Latency::default(),
        };
        Some(Arc::new(Lab {
            server,
            db,
            latency,
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
        let latency = self.server.is_ok().then_some(&self.latency);
        plan.with_ops(|op| op.estimated(latency, speed))
    }

    /// `plan` with what can be measured without the server (the cost of this disk's commits)
    /// added to its ops, at speed 1: what the forecasts use before anything runs, the same
    /// estimate the run makes.
    pub fn calibrate(plan: &Plan) -> Plan {
        plan.with_ops(|op| op.estimated(None, 1.0))
    }
}

/// Median latency of `/delay/0` with one shared client (after a first request opens the
/// connection) and with a new client each time, in real ms. Runs on a thread of its own with its
/// own runtime, so it works whether or not the caller is inside a runtime.
fn measure_latency(url: &str) -> Latency {
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
        return Latency::default();
    }
    let (warm_ms, cold_ms) = handle.join().ok().flatten().unwrap_or((0.0, 0.0));
    Latency { warm_ms, cold_ms }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}
