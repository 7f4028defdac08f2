//! `gather`: run every task concurrently on the *current* task and keep every outcome.
//!
//! asyncio: `await asyncio.gather(*coros, return_exceptions=True)`.
//!
//! For a fixed handful of futures, `tokio::join!(a, b, c)` is the idiom; for a list,
//! `futures::future::join_all(calls)`. Both poll all the futures from the task that awaits them:
//! concurrent (the waits overlap) but not parallel (one thread polls them all), so one blocking
//! branch stalls every other one, as in asyncio.
//!
//! Why not `join_all` here: measured on a 2-core machine, `join_all` over 100,000 tokio sleeps of
//! 100 ms took about 4 s instead of 0.1 s. Tokio gives each task a cooperative budget (128 polls of
//! its resources per turn); every future polled by one task shares it, so in a huge fan-out most
//! timers answer "not yet" and the task is polled again and again. `FuturesUnordered` polls only the
//! futures that were woken, and `tokio::task::unconstrained` lifts the budget for each task's
//! future, which is safe here because the set itself yields back to the runtime between batches.
//! The alternative at scale is one tokio task per future (a `JoinSet`, see `taskgroup`).

use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::unconstrained;

use super::caller_work;
use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work, delay: Duration) -> TaskResult {
    // The futures are created but not polled: like `join_all`, nothing runs before the await.
    let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();

    caller_work(delay).await;

    // Every outcome is kept: a failure is a value, not an error of the whole call
    // (`return_exceptions=True`), so one failing call never stops the others and gather itself
    // returns normally. A real caller collects the outcomes to inspect them:
    // `let outcomes: Vec<_> = calls.collect().await;` (completion order here; `join_all` keeps
    // call order). The engine's recorder already holds each task's outcome, so this loop only
    // drives every call to its end, without storing 100,000 results.
    while let Some(_outcome) = calls.next().await {}
    Ok(())
}
