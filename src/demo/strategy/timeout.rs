//! `timeout`: a deadline over the whole group, or over each task.
//!
//! asyncio: `async with asyncio.timeout(s): await gather(...)` (group) and
//! `await asyncio.wait_for(coro, s)` (per task).
//!
//! `tokio::time::timeout(d, future)` returns `Err(Elapsed)` when the deadline passes and drops the
//! future: it is cancelled at its current `.await`, nothing more runs inside it (asyncio instead
//! raises `CancelledError` inside the coroutine, which may catch it and clean up). Cleanup on
//! timeout must therefore live in `Drop` (see the `resource` op).

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tokio::task::unconstrained;

use super::{Kind, over_limit, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskError, TaskResult, Work};

/// `{ kind = "timeout", ms = 500 }` or `{ kind = "timeout", ms = 500, scope = "task" }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeout {
    /// The deadline in milliseconds.
    pub ms: u64,
    /// Over the whole group (default) or over each task.
    #[serde(default)]
    pub scope: TimeoutScope,
}

/// Whether a deadline covers the whole group or each task on its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutScope {
    #[default]
    Group,
    Task,
}

/// One deadline over all the tasks, run concurrently (as in `gather`).
async fn group(work: Work, deadline_ms: u64) -> TaskResult {
    let deadline = work.scaled(deadline_ms);
    let all = async {
        let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();
        while calls.next().await.is_some() {}
    };
    match tokio::time::timeout(deadline, all).await {
        Ok(()) => Ok(()),
        Err(_elapsed) => {
            // `all` has been dropped, and with it every unfinished task: label them `timed_out`.
            work.all_timed_out();
            Err(TaskError {
                task: "timeout".into(),
                message: format!("deadline of {deadline_ms} ms passed"),
            })
        }
    }
}

/// A deadline per task; the tasks run concurrently and each outcome is kept.
async fn per_task(work: Work, deadline_ms: u64) -> TaskResult {
    let deadline = work.scaled(deadline_ms);
    let mut calls: FuturesUnordered<_> = work
        .ids()
        .map(|id| {
            let call = work.call(id);
            unconstrained(async move { (id, tokio::time::timeout(deadline, call).await) })
        })
        .collect();
    while let Some((id, result)) = calls.next().await {
        if result.is_err() {
            work.timed_out(id);
        }
    }
    Ok(())
}

// What the engine needs to know about it, beside the idiom above.
impl Kind for Timeout {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("ms", "the deadline in milliseconds"),
        ("scope", "`group` (default) or `task`"),
    ];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        over_limit("ms", self.ms).into_iter().collect()
    }

    fn describe(&self) -> String {
        match self.scope {
            TimeoutScope::Group => format!("a {} ms deadline over the group", self.ms),
            TimeoutScope::Task => format!("a {} ms deadline per task", self.ms),
        }
    }

    fn asyncio(&self) -> String {
        match self.scope {
            TimeoutScope::Group => format!("asyncio.timeout({} ms) over the gather", self.ms),
            TimeoutScope::Task => format!("asyncio.timeout({} ms) in each task", self.ms),
        }
    }

    fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([
            ("ms", json!(real(self.ms))),
            ("lesson_ms", json!(self.ms)),
            ("scope", json!(self.scope)),
        ])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        let ms = self.ms as f64;
        match self.scope {
            // A deadline cannot interrupt a blocking op: it fires only once the thread is free.
            TimeoutScope::Group => s.concurrent(false).min(ms).max(s.held_in_first_poll()),
            TimeoutScope::Task => s.concurrent_capped(ms),
        }
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        // A deadline is one more timer.
        1.0 + s.waits_in_rounds(1.0)
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        s.first_poll_starts(false)
    }

    fn own_durations(&self, tasks: &[u64]) -> Vec<u64> {
        // The deadline, and how far it is from each task's end: both must last long enough.
        let mut out = vec![self.ms];
        out.extend(tasks.iter().map(|d| d.abs_diff(self.ms)));
        out
    }

    async fn run(&self, work: Work) -> TaskResult {
        match self.scope {
            TimeoutScope::Group => group(work, self.ms).await,
            TimeoutScope::Task => per_task(work, self.ms).await,
        }
    }
}
