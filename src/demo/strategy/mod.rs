//! Strategies: how a demo's tasks are combined. Each module is one idiom, written to be read: it
//! says why, names the alternative and the asyncio construct it mirrors.
//!
//! Every strategy takes the demo's [`Work`] (one future per task) and returns what its caller
//! would see: `Ok(())`, or the error that surfaced. Per-task outcomes are recorded by the spans
//! inside each task, so a strategy that drops a future (cancels it) needs no extra bookkeeping.

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

use crate::demo::spec::{StrategyKind, StrategySpec, TimeoutScope};
use crate::demo::work::{TaskResult, Work};

/// Runs `work` under `strategy`.
pub async fn run(strategy: &StrategySpec, work: Work) -> TaskResult {
    let delay = work.scaled(strategy.delay_ms.unwrap_or(0));
    match strategy.kind {
        StrategyKind::Sequential => sequential::run(work, delay).await,
        StrategyKind::Gather => gather::run(work, delay).await,
        StrategyKind::JoinAll => join_all::run(work).await,
        StrategyKind::TryGather => try_gather::run(work).await,
        StrategyKind::Taskgroup => taskgroup::run(work).await,
        StrategyKind::Spawn if strategy.detach == Some(true) => spawn::detach(work).await,
        StrategyKind::Spawn => spawn::run(work, delay).await,
        StrategyKind::Bounded => {
            bounded::run(work, strategy.limit.unwrap_or(1).max(1) as usize).await
        }
        StrategyKind::Race => race::run(work).await,
        StrategyKind::Timeout => {
            let deadline = work.scaled(strategy.ms.unwrap_or(0));
            match strategy.scope.unwrap_or_default() {
                TimeoutScope::Group => timeout::group(work, deadline).await,
                TimeoutScope::Task => timeout::per_task(work, deadline).await,
            }
        }
        StrategyKind::Offload => offload::run(work).await,
        StrategyKind::Stream => stream::run(work, strategy.limit.map(|n| n.max(1) as usize)).await,
    }
}

/// One line on what the strategy does, for the output.
pub fn describe(s: &StrategySpec) -> String {
    let delay = match s.delay_ms {
        Some(ms) if ms > 0 => format!(", after {ms} ms of other work by the caller"),
        _ => String::new(),
    };
    match s.kind {
        StrategyKind::Sequential => format!("await one after another{delay}"),
        StrategyKind::Gather => format!("all at once, every outcome kept{delay}"),
        StrategyKind::JoinAll => "futures::future::join_all over every task".into(),
        StrategyKind::TryGather => "all at once, the first error drops the rest".into(),
        StrategyKind::Taskgroup => "JoinSet, the first failure aborts the siblings".into(),
        StrategyKind::Spawn if s.detach == Some(true) => {
            "tokio::spawn each and drop the handles: the tasks run on, detached".into()
        }
        StrategyKind::Spawn => format!("tokio::spawn each, await the handles later{delay}"),
        StrategyKind::Bounded => format!("at most {} at once (Semaphore)", s.limit.unwrap_or(1)),
        StrategyKind::Race => "first to finish wins, the rest are cancelled".into(),
        StrategyKind::Timeout => match s.scope.unwrap_or_default() {
            TimeoutScope::Group => format!("a {} ms deadline over the group", s.ms.unwrap_or(0)),
            TimeoutScope::Task => format!("a {} ms deadline per task", s.ms.unwrap_or(0)),
        },
        StrategyKind::Offload => "all at once, blocking work on spawn_blocking".into(),
        StrategyKind::Stream => match s.limit {
            Some(n) => format!("results as they arrive, buffer_unordered({n})"),
            None => "results as they arrive, one at a time".into(),
        },
    }
}

/// The caller's "other work" between creating the tasks and awaiting them (a non-blocking wait).
async fn caller_work(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}
