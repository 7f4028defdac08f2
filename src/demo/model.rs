//! The validated demo, in types: what [`crate::demo::spec`] turns a `[[demo]]` table into once it
//! has no problems. Every parameter is present and in range, so nothing downstream re-defaults an
//! option. Strategies are typed in [`crate::demo::strategy::Strategy`], claims in
//! [`crate::demo::claim::Claim`]; the ops and the runtime are here.

use serde::{Deserialize, Serialize};

/// Longest single duration a lesson may ask for (one op, one deadline, one delay).
pub const MAX_MS: u64 = 60_000;
/// Most task instances one demo may run (the sum of every task's `count`).
pub const MAX_TASKS: u64 = 100_000;
/// Most items one `pages` task may yield.
pub const MAX_ITEMS: u32 = 10_000;
/// Most worker threads of a multi-thread runtime.
pub const MAX_WORKERS: u32 = 64;
/// Longest a single strategy may be expected to take (its ideal time), so a typo such as
/// `count = 100000` on a sequential demo is caught before anyone waits three hours.
pub const MAX_STRATEGY_MS: f64 = 300_000.0;

/// Which tokio runtime runs the demo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeFlavor {
    /// One thread drives every task: asyncio's single event loop.
    #[default]
    CurrentThread,
    /// A work-stealing pool of `workers` threads: tasks may run in parallel.
    MultiThread,
}

impl RuntimeFlavor {
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeFlavor::CurrentThread => "current_thread",
            RuntimeFlavor::MultiThread => "multi_thread",
        }
    }
}

/// The runtime a demo runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runtime {
    pub flavor: RuntimeFlavor,
    /// Worker threads of a multi-thread runtime (`None`: one per core).
    pub workers: Option<u32>,
}

impl Runtime {
    /// Threads that run tasks.
    pub fn threads(&self) -> f64 {
        match self.flavor {
            RuntimeFlavor::CurrentThread => 1.0,
            RuntimeFlavor::MultiThread => self.workers.map_or_else(cores, f64::from),
        }
    }

    /// `current_thread runtime` or `multi_thread runtime, 4 workers`.
    pub fn describe(&self) -> String {
        match self.workers {
            Some(w) => format!("{} runtime, {w} workers", self.flavor.as_str()),
            None => format!("{} runtime", self.flavor.as_str()),
        }
    }
}

/// The machine's cores (what `spawn_blocking` CPU work and a default multi-thread runtime get).
pub fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

/// A part of a `resource` task's span, like the parts of `async with`: `__aenter__` (setup), the
/// block (body), `__aexit__` (teardown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Setup,
    Body,
    Teardown,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Setup => "setup",
            Phase::Body => "body",
            Phase::Teardown => "teardown",
        }
    }
}

/// One `[[demo.task]]`, validated: its name, what it does, how many copies run.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub name: String,
    pub op: Op,
    pub count: u32,
    /// A `resource` nested inside another (`inside = "outer"`): copy N runs in the body of the
    /// outer's copy N, like a second `async with` inside the first.
    pub inside: Option<String>,
}

/// What one task does, with its parameters (durations in lesson milliseconds, before `--speed`).
/// Each variant is run by one function in `demo/op.rs`.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Await a timer: the stand-in for non-blocking I/O (a socket read, a query).
    Sleep { ms: u64 },
    /// `std::thread::sleep`: blocks the whole runtime thread, like `time.sleep` in a coroutine.
    Block { ms: u64 },
    /// Busy computation for about `ms` of real time.
    Cpu { ms: u64 },
    /// Waits `ms`, then fails with `message`.
    Fail { ms: u64, message: String },
    /// Setup, body, teardown, like `async with`. `fails`: the phase that errors, and the message.
    Resource {
        setup_ms: u64,
        ms: u64,
        teardown_ms: u64,
        fails: Option<(Phase, String)>,
    },
    /// An async stream of `items` items, one every `ms` (an async generator over pages).
    Pages { items: u32, ms: u64 },
    /// GET `path` from the loopback demo server (`{ms}` in it becomes the scaled `ms`, `{key}` a
    /// key unique to the task copy and run). One shared reqwest client, or a new one per request.
    Http {
        path: String,
        /// What `{ms}` in the path stands for.
        ms: u64,
        /// The server's own time on the request (`{ms}`, times the chunks of a stream).
        server_ms: u64,
        new_client: bool,
        timeout_ms: Option<u64>,
        measured: Measured,
    },
    /// GET with retries: exponential backoff with jitter, at most `attempts` tries, each cut off
    /// after `timeout_ms`.
    HttpRetry {
        path: String,
        ms: u64,
        server_ms: u64,
        attempts: u32,
        backoff_ms: u64,
        timeout_ms: u64,
        /// Attempts expected to fail before one succeeds (`/flaky?fail=K`) or the attempts run
        /// out (`/status/503`, a server slower than the timeout), for the ideal time.
        failures: u32,
        measured: Measured,
    },
    /// An async stream over `/pages`: `items` items, `page_size` per page, each page `ms` late.
    HttpPages {
        items: u32,
        page_size: u32,
        ms: u64,
        measured: Measured,
    },
    /// `ms` of real rusqlite work (a calibrated recursive CTE, repeated until `ms` passed),
    /// inline on the runtime thread (the pitfall) or offloaded to `spawn_blocking`.
    Sqlite { ms: u64, offload: bool },
    /// `rows` inserts into a temporary database, committed one by one or in one transaction.
    SqliteBulk {
        rows: u32,
        transaction: bool,
        offload: bool,
        measured: Measured,
    },
}

/// What a real-I/O op adds to its lesson durations, measured once per run (loopback latency,
/// the cost of commits), in lesson milliseconds. 0 until measured.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measured(pub f64);

impl Op {
    /// The name lesson files use.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Sleep { .. } => "sleep",
            Op::Block { .. } => "block",
            Op::Cpu { .. } => "cpu",
            Op::Fail { .. } => "fail",
            Op::Resource { .. } => "resource",
            Op::Pages { .. } => "pages",
            Op::Http { .. } => "http",
            Op::HttpRetry { .. } => "http_retry",
            Op::HttpPages { .. } => "http_pages",
            Op::Sqlite { .. } => "sqlite",
            Op::SqliteBulk { .. } => "sqlite_bulk",
        }
    }

    /// How long the op takes on its own, in lesson milliseconds.
    pub fn nominal_ms(&self) -> u64 {
        match self {
            Op::Sleep { ms } | Op::Block { ms } | Op::Cpu { ms } | Op::Fail { ms, .. } => *ms,
            Op::Resource {
                setup_ms,
                ms,
                teardown_ms,
                ..
            } => setup_ms + ms + teardown_ms,
            Op::Pages { items, ms } => u64::from(*items) * ms,
            // A deadline cuts a slow request short.
            Op::Http {
                server_ms,
                timeout_ms,
                ..
            } => timeout_ms.map_or(*server_ms, |t| t.min(*server_ms)),
            Op::Sqlite { ms, .. } => *ms,
            // Every failed attempt, then the last one, each cut off at the timeout (the backoff
            // between them is in `measured`).
            Op::HttpRetry {
                server_ms,
                failures,
                timeout_ms,
                ..
            } => u64::from(*failures + 1) * server_ms.min(timeout_ms),
            // One page per `page_size` items, then the empty page that ends the listing.
            Op::HttpPages {
                items,
                page_size,
                ms,
                ..
            } => u64::from(items.div_ceil((*page_size).max(1)) + 1) * ms,
            Op::SqliteBulk { .. } => 0,
        }
    }

    /// [`Op::nominal_ms`] plus the expected backoff of a retrying op and what was measured for
    /// a real-I/O op, in lesson milliseconds: what the ideal-time model uses, at validation
    /// (the forecasts) and after a run alike.
    pub fn ideal_ms(&self) -> f64 {
        let measured = match self {
            Op::Http { measured, .. }
            | Op::HttpRetry { measured, .. }
            | Op::HttpPages { measured, .. }
            | Op::SqliteBulk { measured, .. } => measured.0,
            _ => 0.0,
        };
        self.nominal_ms() as f64 + self.expected_backoff_ms() + measured
    }

    /// The backoff an `http_retry` waits between its failed attempts and the next, on average:
    /// equal jitter draws each doubling delay from its upper half, 3/4 of it on average.
    pub fn expected_backoff_ms(&self) -> f64 {
        match self {
            Op::HttpRetry {
                failures,
                backoff_ms,
                ..
            } => (0..*failures)
                .map(|k| *backoff_ms as f64 * 2f64.powi(k as i32) * 0.75)
                .sum(),
            _ => 0.0,
        }
    }

    /// Talks to the loopback demo server.
    pub fn uses_server(&self) -> bool {
        matches!(
            self,
            Op::Http { .. } | Op::HttpRetry { .. } | Op::HttpPages { .. }
        )
    }

    /// The server's time on this request that it spends blocking its only thread (a `def`-style
    /// handler, `/work/blocking`): such requests are served one after another.
    pub fn server_blocking_ms(&self) -> f64 {
        match self {
            Op::Http {
                path, server_ms, ..
            } if path.starts_with("/work/blocking") => *server_ms as f64,
            _ => 0.0,
        }
    }

    /// Uses the temporary SQLite database.
    pub fn uses_db(&self) -> bool {
        matches!(self, Op::Sqlite { .. } | Op::SqliteBulk { .. })
    }

    /// Holds its thread for its whole duration (cannot be interleaved on one thread).
    pub fn is_blocking(&self) -> bool {
        match self {
            Op::Block { .. } | Op::Cpu { .. } => true,
            // A synchronous driver called inline holds the runtime thread.
            Op::Sqlite { offload, .. } | Op::SqliteBulk { offload, .. } => !offload,
            _ => false,
        }
    }

    /// How many timer waits the op makes, one after another (each can fire up to one timer tick
    /// late in real time).
    pub fn timer_waits(&self) -> u32 {
        match self {
            Op::Sleep { .. } | Op::Fail { .. } => 1,
            Op::Block { .. } | Op::Cpu { .. } => 0,
            Op::Resource { .. } => 3,
            Op::Pages { items, .. } => *items,
            // A request waits on the server's timer (and the network).
            Op::Http { .. } => 1,
            // Each failed attempt, then its backoff, then the last attempt.
            Op::HttpRetry { failures, .. } => 2 * failures + 1,
            Op::HttpPages {
                items, page_size, ..
            } => items.div_ceil((*page_size).max(1)) + 1,
            Op::Sqlite { .. } | Op::SqliteBulk { .. } => 0,
        }
    }

    /// The durations a claim about this op may turn on (each part of it), in lesson ms.
    pub fn durations(&self) -> Vec<u64> {
        match self {
            Op::Resource {
                setup_ms,
                ms,
                teardown_ms,
                ..
            } => vec![*setup_ms, *ms, *teardown_ms, self.nominal_ms()],
            Op::Pages { ms, .. } => vec![*ms, self.nominal_ms()],
            _ => vec![self.nominal_ms()],
        }
    }

    /// Needs a core while it runs, even off the runtime's threads.
    pub fn is_cpu(&self) -> bool {
        // SQLite computing the slow query is CPU work wherever it runs.
        matches!(self, Op::Cpu { .. } | Op::Sqlite { .. })
    }

    /// When it fails, in lesson ms after it starts; `None` when it succeeds. A failing resource
    /// closes (tears down) before its error surfaces.
    pub fn fails_at(&self) -> Option<u64> {
        match self {
            Op::Fail { ms, .. } => Some(*ms),
            // Failing in setup, it never gets a teardown; otherwise it closes before the error
            // surfaces.
            Op::Resource {
                setup_ms,
                fails: Some((Phase::Setup, _)),
                ..
            } => Some(*setup_ms),
            Op::Resource { fails: Some(_), .. } => Some(self.nominal_ms()),
            _ => None,
        }
    }
}
