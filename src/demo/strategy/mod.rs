//! Strategies: how a demo's tasks are combined. Each module is one idiom, written to be read: it
//! says why, names the alternative and the asyncio construct it mirrors.
//!
//! Every strategy takes the demo's [`Work`] (one future per task) and returns what its caller
//! would see: `Ok(())`, or the error that surfaced. Per-task outcomes are recorded by the spans
//! inside each task, so a strategy that drops a future (cancels it) needs no extra bookkeeping.
//!
//! Adding a strategy touches three files: its module here, a variant of [`Strategy`] below (with
//! its run, description and ideal time), and its name and parameters in `demo/spec.rs`.

pub mod bounded;
pub mod gather;
pub mod join_all;
pub mod offload;
pub mod race;
pub mod sequential;
pub mod spawn;
pub mod stream;
pub mod taskgroup;
pub mod timeout;
pub mod try_gather;

use std::time::Duration;

pub use timeout::TimeoutScope;

use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

/// A strategy with its parameters, validated. Durations in lesson milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Strategy {
    /// Await one after another, after `delay_ms` of the caller's other work.
    Sequential { delay_ms: u64 },
    /// All at once, every outcome kept (`gather(return_exceptions=True)`).
    Gather { delay_ms: u64 },
    /// `futures::future::join_all` over every task (shown failing at scale on purpose).
    JoinAll,
    /// All at once; the first error drops the rest (`gather()` that propagates).
    TryGather,
    /// `JoinSet`; the first failure aborts the siblings (`asyncio.TaskGroup`).
    Taskgroup,
    /// `tokio::spawn` each; await the handles later, or drop them (`detach`).
    Spawn { delay_ms: u64, detach: bool },
    /// At most `limit` at once (`asyncio.Semaphore`).
    Bounded { limit: u32 },
    /// First to finish wins, the rest are cancelled.
    Race,
    /// A deadline over the group or per task (`asyncio.timeout`, `wait_for`).
    Timeout { ms: u64, scope: TimeoutScope },
    /// Blocking and cpu ops moved to `spawn_blocking` (`asyncio.to_thread`).
    Offload,
    /// Results as they arrive; `limit` = `buffer_unordered(limit)`, `None` one at a time.
    Stream { limit: Option<u32> },
}

/// A strategy and the name output and claims use (its kind, or the lesson's `label`).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub name: String,
    pub strategy: Strategy,
}

impl Strategy {
    /// The name lesson files use for this kind of strategy.
    pub fn kind(&self) -> &'static str {
        match self {
            Strategy::Sequential { .. } => "sequential",
            Strategy::Gather { .. } => "gather",
            Strategy::JoinAll => "join_all",
            Strategy::TryGather => "try_gather",
            Strategy::Taskgroup => "taskgroup",
            Strategy::Spawn { .. } => "spawn",
            Strategy::Bounded { .. } => "bounded",
            Strategy::Race => "race",
            Strategy::Timeout { .. } => "timeout",
            Strategy::Offload => "offload",
            Strategy::Stream { .. } => "stream",
        }
    }

    /// Runs `work` under this strategy.
    pub async fn run(&self, work: Work) -> TaskResult {
        match *self {
            Strategy::Sequential { delay_ms } => {
                let delay = work.scaled(delay_ms);
                sequential::run(work, delay).await
            }
            Strategy::Gather { delay_ms } => {
                let delay = work.scaled(delay_ms);
                gather::run(work, delay).await
            }
            Strategy::JoinAll => join_all::run(work).await,
            Strategy::TryGather => try_gather::run(work).await,
            Strategy::Taskgroup => taskgroup::run(work).await,
            Strategy::Spawn { detach: true, .. } => spawn::detach(work).await,
            Strategy::Spawn { delay_ms, .. } => {
                let delay = work.scaled(delay_ms);
                spawn::run(work, delay).await
            }
            Strategy::Bounded { limit } => bounded::run(work, limit.max(1) as usize).await,
            Strategy::Race => race::run(work).await,
            Strategy::Timeout { ms, scope } => match scope {
                TimeoutScope::Group => timeout::group(work, ms).await,
                TimeoutScope::Task => timeout::per_task(work, ms).await,
            },
            Strategy::Offload => offload::run(work).await,
            Strategy::Stream { limit } => stream::run(work, limit.map(|n| n.max(1) as usize)).await,
        }
    }

    /// Whether blocking and cpu ops run on the blocking pool under this strategy.
    pub fn offloads(&self) -> bool {
        matches!(self, Strategy::Offload)
    }

    /// Whether the strategy's own cost grows with the number of tasks beyond what the ideal model
    /// knows: `join_all` polls every future under one task's cooperative budget, so at thousands
    /// of futures it takes many times its ideal time.
    pub fn overhead_grows_with_size(&self) -> bool {
        matches!(self, Strategy::JoinAll)
    }

    /// Whether spawned tasks may outlive the strategy (the runner waits for them).
    pub fn spawns(&self) -> bool {
        matches!(self, Strategy::Spawn { .. })
    }

    /// One line on what the strategy does, for the output.
    pub fn describe(&self) -> String {
        let delay = |ms: u64| match ms {
            0 => String::new(),
            ms => format!(", after {ms} ms of other work by the caller"),
        };
        match *self {
            Strategy::Sequential { delay_ms } => {
                format!("await one after another{}", delay(delay_ms))
            }
            Strategy::Gather { delay_ms } => {
                format!("all at once, every outcome kept{}", delay(delay_ms))
            }
            Strategy::JoinAll => "futures::future::join_all over every task".into(),
            Strategy::TryGather => "all at once, the first error drops the rest".into(),
            Strategy::Taskgroup => "JoinSet, the first failure aborts the siblings".into(),
            Strategy::Spawn { detach: true, .. } => {
                "tokio::spawn each and drop the handles: the tasks run on, detached".into()
            }
            Strategy::Spawn { delay_ms, .. } => {
                format!(
                    "tokio::spawn each, await the handles later{}",
                    delay(delay_ms)
                )
            }
            Strategy::Bounded { limit } => format!("at most {limit} at once (Semaphore)"),
            Strategy::Race => "first to finish wins, the rest are cancelled".into(),
            Strategy::Timeout { ms, scope } => match scope {
                TimeoutScope::Group => format!("a {ms} ms deadline over the group"),
                TimeoutScope::Task => format!("a {ms} ms deadline per task"),
            },
            Strategy::Offload => "all at once, blocking work on spawn_blocking".into(),
            Strategy::Stream { limit: Some(n) } => {
                format!("results as they arrive, buffer_unordered({n})")
            }
            Strategy::Stream { limit: None } => "results as they arrive, one at a time".into(),
        }
    }

    /// Whether each task runs as a task of its own (`tokio::spawn`, a `JoinSet`), which a
    /// multi-thread runtime may run on any of its workers; otherwise every task is a future
    /// polled by the strategy's one task, on one thread at a time.
    pub fn spawns_tasks(&self) -> bool {
        matches!(
            self,
            Strategy::Spawn { .. } | Strategy::Taskgroup | Strategy::Bounded { .. }
        )
    }

    /// What a runtime with no overhead would take, in lesson milliseconds.
    pub fn ideal_ms(&self, s: &Shape) -> f64 {
        // One task's futures share its thread, however many workers the runtime has.
        let one_task;
        let s = if s.threads > 1.0 && !self.spawns_tasks() {
            one_task = s.in_one_task();
            &one_task
        } else {
            s
        };
        let all = s.concurrent(false);
        match *self {
            Strategy::Sequential { delay_ms } => delay_ms as f64 + s.sum(),
            Strategy::Gather { delay_ms } => delay_ms as f64 + all,
            Strategy::JoinAll => all,
            // The caller returns at once; the detached tasks run on after it.
            Strategy::Spawn { detach: true, .. } => 0.0,
            // The tasks run while the caller does its other work.
            Strategy::Spawn { delay_ms, .. } => (delay_ms as f64).max(all),
            Strategy::Offload => s.concurrent(true),
            Strategy::TryGather | Strategy::Taskgroup => all.min(s.first_failure()),
            Strategy::Race => s.shortest().min(all),
            Strategy::Bounded { limit } => s.list_schedule(limit as usize),
            Strategy::Stream { limit: Some(n) } => s.list_schedule(n as usize),
            Strategy::Stream { limit: None } => s.sum(),
            // A deadline cannot interrupt a blocking op: it fires only once the thread is free.
            Strategy::Timeout { ms, scope } => match scope {
                TimeoutScope::Group => all.min(ms as f64).max(s.held_in_first_poll()),
                TimeoutScope::Task => s.concurrent_capped(ms as f64),
            },
        }
        .max(0.0)
    }
}

impl Strategy {
    /// Timer waits on the strategy's critical path: each may fire up to one timer tick late in
    /// real time, which the claims allow for at fast playback speeds.
    pub fn timer_waits(&self, s: &Shape) -> f64 {
        let caller = |delay_ms: u64| if delay_ms > 0 { 1.0 } else { 0.0 };
        let rounds = |limit: u32| (s.len() as f64 / f64::from(limit.max(1))).ceil();
        match *self {
            Strategy::Sequential { delay_ms } => caller(delay_ms) + s.waits_in_series(),
            Strategy::Stream { limit: None } => s.waits_in_series(),
            Strategy::Bounded { limit } | Strategy::Stream { limit: Some(limit) } => {
                s.waits_in_rounds(rounds(limit))
            }
            Strategy::Gather { delay_ms } | Strategy::Spawn { delay_ms, .. } => {
                caller(delay_ms) + s.waits_in_rounds(1.0)
            }
            // A deadline is one more timer.
            Strategy::Timeout { .. } => 1.0 + s.waits_in_rounds(1.0),
            _ => s.waits_in_rounds(1.0),
        }
    }
}

/// The caller's "other work" between creating the tasks and awaiting them (a non-blocking wait).
async fn caller_work(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}
