//! `join_all`: `futures::future::join_all`, the textbook way to await a list of futures.
//!
//! asyncio: `await asyncio.gather(*coros)`.
//!
//! It is the right tool for a handful of futures and the wrong one for a huge fan-out, which is
//! why this strategy exists: to show it. All the futures are polled by the one task that awaits
//! `join_all`, and tokio gives each task a cooperative budget per turn (128 operations on its
//! resources). With 100,000 timers the budget runs out after the first few, every other timer
//! answers "not yet" and the task is polled again and again: measured on a 2-core machine, about
//! 4 s for 100,000 sleeps of 100 ms. `gather` (`FuturesUnordered` + `unconstrained`) and
//! `taskgroup` (a `JoinSet`: one task, one budget each) take about 0.15 s.

use futures::future::join_all;

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work) -> TaskResult {
    // Every outcome kept, in call order: `Vec<Result<(), TaskError>>`.
    let _results: Vec<TaskResult> = join_all(work.calls()).await;
    Ok(())
}
