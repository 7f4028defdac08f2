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

use tokio::task::JoinHandle;

use super::caller_work;
use crate::demo::work::{TaskError, TaskResult, Work};

pub async fn run(work: Work, delay: Duration) -> TaskResult {
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
pub async fn detach(work: Work) -> TaskResult {
    for call in work.calls() {
        // Dropping a `JoinHandle` does not cancel its task. `handle.abort()` would.
        drop(tokio::spawn(call));
    }
    Ok(())
}
