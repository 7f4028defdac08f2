//! `timeout`: a deadline over the whole group, or over each task.
//!
//! asyncio: `async with asyncio.timeout(s): await gather(...)` (group) and
//! `await asyncio.wait_for(coro, s)` (per task).
//!
//! `tokio::time::timeout(d, future)` returns `Err(Elapsed)` when the deadline passes and drops the
//! future: it is cancelled at its current `.await`, nothing more runs inside it (asyncio instead
//! raises `CancelledError` inside the coroutine, which may catch it and clean up). Cleanup on
//! timeout must therefore live in `Drop` (see the `resource` op).

use serde::{Deserialize, Serialize};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::unconstrained;

use crate::demo::work::{TaskError, TaskResult, Work};

/// Whether a deadline covers the whole group or each task on its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutScope {
    #[default]
    Group,
    Task,
}

/// One deadline over all the tasks, run concurrently (as in `gather`).
pub async fn group(work: Work, deadline_ms: u64) -> TaskResult {
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
pub async fn per_task(work: Work, deadline_ms: u64) -> TaskResult {
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
