//! `spawn`: start every task now, await the handles later.
//!
//! asyncio: `tasks = [asyncio.create_task(c) for c in coros]; ...; [await t for t in tasks]`.
//!
//! `tokio::spawn` hands the future to the runtime, which starts it as soon as the spawning task
//! yields (at once on another worker of a multi-thread runtime): the caller's other work and the
//! tasks overlap. Compare `sequential` with the same `delay_ms`, where nothing runs until awaited.
//!
//! The `JoinHandle` is not the task: dropping it *detaches* the task, which keeps running (asyncio
//! may garbage-collect a task nobody references; tokio never does). To cancel, call
//! `handle.abort()`, or use a `JoinSet` (see `taskgroup`), which aborts on drop.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::task::JoinHandle;

use super::{Kind, after_delay, caller_timer, caller_work, over_limit, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskError, TaskResult, Work};

/// `"spawn"`, `{ kind = "spawn", delay_ms = 200 }` or `{ kind = "spawn", detach = true }`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spawn {
    /// The caller's other (awaiting) work after spawning and before awaiting the handles.
    #[serde(default)]
    pub delay_ms: u64,
    /// Drop the `JoinHandle`s instead of awaiting them: the tasks run on, detached.
    #[serde(default)]
    pub detach: bool,
}

async fn run(work: Work, delay: Duration) -> TaskResult {
    // Every task starts now (as soon as this task reaches an `.await`).
    let handles: Vec<JoinHandle<TaskResult>> = work.calls().map(tokio::spawn).collect();

    // Meanwhile the caller does other work; the tasks are already running.
    caller_work(delay).await;

    // Await each handle in order. Every task is awaited, so none is left detached; the first
    // error (in this order) is what the caller sees.
    let mut first_error = None;
    for handle in handles {
        let result = match handle.await {
            Ok(result) => result,
            Err(join_error) => Err(TaskError {
                task: "task".into(),
                message: join_error.to_string(),
            }),
        };
        if let Err(error) = result {
            first_error.get_or_insert(error);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Spawn every task and drop its handle: fire and forget. The caller returns at once; the tasks
/// keep running, detached, and nothing will ever see their results or errors. (The runner waits
/// for them before it reports, so the timeline shows them outliving the caller.)
async fn detach(work: Work) -> TaskResult {
    for call in work.calls() {
        // Dropping a `JoinHandle` does not cancel its task. `handle.abort()` would.
        drop(tokio::spawn(call));
    }
    Ok(())
}

// What the engine needs to know about it, beside the idiom above.
impl Kind for Spawn {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("delay_ms", "the caller's other work before it awaits the handles"),
        ("detach", "drop the handles instead of awaiting them"),
    ];
    const SPAWNS_TASKS: bool = true;
    const OUTLIVES_CALLER: bool = true;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        over_limit("delay_ms", self.delay_ms).into_iter().collect()
    }

    fn describe(&self) -> String {
        if self.detach {
            "tokio::spawn each and drop the handles: the tasks run on, detached".into()
        } else {
            format!(
                "tokio::spawn each, await the handles later{}",
                after_delay(self.delay_ms)
            )
        }
    }

    fn asyncio(&self) -> String {
        if self.detach {
            "asyncio.create_task each, references kept".into()
        } else {
            "asyncio.create_task each, awaited later".into()
        }
    }

    fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([
            ("delay_ms", json!(real(self.delay_ms))),
            ("detach", json!(self.detach)),
        ])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        if self.detach {
            // The caller returns at once; the detached tasks run on after it.
            0.0
        } else {
            // The tasks run while the caller does its other work.
            (self.delay_ms as f64).max(s.concurrent(false))
        }
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        caller_timer(self.delay_ms) + s.waits_in_rounds(1.0)
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        // Spawned tasks start at once, whatever the caller does meanwhile.
        s.first_poll_starts(false)
    }

    fn own_durations(&self, _tasks: &[u64]) -> Vec<u64> {
        vec![self.delay_ms]
    }

    async fn run(&self, work: Work) -> TaskResult {
        if self.detach {
            detach(work).await
        } else {
            let delay = work.scaled(self.delay_ms);
            run(work, delay).await
        }
    }
}
