//! The validated demo, in types: what [`crate::demo::spec`] turns a `[[demo]]` table into once it
//! has no problems. Every parameter is present and in range, so nothing downstream re-defaults an
//! option. Strategies are typed in [`crate::demo::strategy::Strategy`], claims in
//! [`crate::demo::expect::Claim`]; the ops and the runtime are here.

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
}

/// What one task does, with its parameters (durations in lesson milliseconds, before `--speed`).
/// Each variant is run by one function in [`crate::demo::op`].
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
}

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
        }
    }

    /// Holds its thread for its whole duration (cannot be interleaved on one thread).
    pub fn is_blocking(&self) -> bool {
        matches!(self, Op::Block { .. } | Op::Cpu { .. })
    }

    /// How many timer waits the op makes, one after another (each can fire up to one timer tick
    /// late in real time).
    pub fn timer_waits(&self) -> u32 {
        match self {
            Op::Sleep { .. } | Op::Fail { .. } => 1,
            Op::Block { .. } | Op::Cpu { .. } => 0,
            Op::Resource { .. } => 3,
            Op::Pages { items, .. } => *items,
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
        matches!(self, Op::Cpu { .. })
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
