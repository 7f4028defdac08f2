//! The validated demo, in types: what [`crate::demo::spec`] turns a `[[demo]]` table into once it
//! has no problems. Every parameter is present and in range, so nothing downstream re-defaults an
//! option. Ops are typed in [`crate::demo::op::Op`], strategies in
//! [`crate::demo::strategy::Strategy`], claims in [`crate::demo::claim::Claim`]; the runtime
//! and the limits are here.

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

/// Which clock a strategy's runtime keeps: `clock = "paused"` in a strategy entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// The machine's clock: a 1 s sleep takes 1 s (divided by `--speed`).
    #[default]
    Real,
    /// tokio's paused clock (`Builder::start_paused(true)`, what `#[tokio::test(start_paused =
    /// true)]` builds): it stands still while any task can run and jumps to the next timer
    /// when every task waits, so a 1 s sleep reads 1 s in microseconds of real time. Only a
    /// current-thread runtime can pause its clock.
    Paused,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Real => "real",
            Clock::Paused => "paused",
        }
    }

    pub fn is_real(&self) -> bool {
        *self == Clock::Real
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
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

/// What a real-I/O op adds to its lesson durations, measured once per run (loopback latency,
/// the cost of commits), in lesson milliseconds. 0 until measured.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measured(pub f64);
