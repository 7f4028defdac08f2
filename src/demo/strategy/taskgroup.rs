//! `taskgroup`: spawn every task into a `JoinSet`; the first failure aborts the siblings.
//!
//! asyncio: `async with asyncio.TaskGroup() as tg: tg.create_task(...)`.
//!
//! Each task is a real tokio task: it starts at once, may run in parallel on a multi-thread
//! runtime, and must be `Send + 'static` (it cannot borrow from the caller). A `JoinSet` owns its
//! tasks: dropping the set aborts them all, so a task group cannot leak tasks, the property
//! `TaskGroup` gives in Python. What Rust does not have is `ExceptionGroup`: if several tasks fail,
//! collect the errors yourself; here the first one is returned and the rest are aborted.
//!
//! Abort is cooperative: an aborted task stops at its next `.await`. A task stuck in blocking code
//! cannot be aborted until that code returns.

use serde::Deserialize;
use tokio::task::JoinSet;

use super::Kind;
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskError, TaskResult, Work};

async fn run(work: Work) -> TaskResult {
    let mut group = JoinSet::new();
    for call in work.calls() {
        group.spawn(call);
    }

    while let Some(joined) = group.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                // First failure: abort every sibling and wait until they have all stopped, so no
                // task outlives the group. (Just `return` would also abort them, on drop, without
                // waiting.)
                group.shutdown().await;
                return Err(error);
            }
            // The task panicked (or was aborted from outside): surface it like a failure.
            Err(join_error) => {
                group.shutdown().await;
                return Err(TaskError {
                    task: "task".into(),
                    message: join_error.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// `"taskgroup"`: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taskgroup {}

// What the engine needs to know about it, beside the idiom above.
impl Kind for Taskgroup {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const SPAWNS_TASKS: bool = true;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn describe(&self) -> String {
        "JoinSet, the first failure aborts the siblings".into()
    }

    fn asyncio(&self) -> String {
        "asyncio.TaskGroup: the first failure cancels the siblings".into()
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        s.concurrent(false).min(s.first_failure())
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        s.waits_in_rounds(1.0)
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        // Spawned tasks start at once, in spawn order.
        s.first_poll_starts(false)
    }

    fn run(&self, work: Work) -> impl Future<Output = TaskResult> {
        run(work)
    }
}
