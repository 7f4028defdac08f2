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
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::task::unconstrained;

use super::{Kind, after_delay, caller_timer, caller_work, over_limit, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

/// `"gather"` or `{ kind = "gather", delay_ms = 200 }`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gather {
    /// The caller's other (awaiting) work after creating the futures and before awaiting them.
    #[serde(default)]
    pub delay_ms: u64,
}

async fn run(work: Work, delay: Duration) -> TaskResult {
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

// What the engine needs to know about it, beside the idiom above.
impl Kind for Gather {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("delay_ms", "the caller's other work before it awaits")];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        over_limit("delay_ms", self.delay_ms).into_iter().collect()
    }

    fn describe(&self) -> String {
        format!("all at once, every outcome kept{}", after_delay(self.delay_ms))
    }

    fn asyncio(&self) -> String {
        "asyncio.gather(..., return_exceptions=True)".into()
    }

    fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([("delay_ms", json!(real(self.delay_ms)))])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        self.delay_ms as f64 + s.concurrent(false)
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        caller_timer(self.delay_ms) + s.waits_in_rounds(1.0)
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        // Futures run only when awaited: after the caller's other work.
        let delay = self.delay_ms as f64;
        s.first_poll_starts(false).into_iter().map(|t| t + delay).collect()
    }

    fn own_durations(&self, _tasks: &[u64]) -> Vec<u64> {
        vec![self.delay_ms]
    }

    async fn run(&self, work: Work) -> TaskResult {
        let delay = work.scaled(self.delay_ms);
        run(work, delay).await
    }
}
