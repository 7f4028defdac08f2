//! `try_gather`: run every task concurrently; the first error is returned and drops the rest.
//!
//! asyncio: `await asyncio.gather(*coros)` (without `return_exceptions`) raises the first error,
//! but the other awaitables *keep running* in the background. In Rust, `tokio::try_join!(a, b)` or
//! `futures::future::try_join_all(calls)` returns the first error and *drops* the other futures,
//! which cancels them: dropping a future is how Rust cancels it. Nothing else runs inside them,
//! not even async cleanup (see the `resource` op for how teardown still happens).
//!
//! `FuturesUnordered` + `?` is `try_join_all` written out, and it keeps large fan-outs fast (see
//! `gather`).

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::Deserialize;
use tokio::task::unconstrained;

use super::Kind;
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

async fn run(work: Work) -> TaskResult {
    let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();

    while let Some(result) = calls.next().await {
        // The first error returns from this function; `calls` is dropped on the way out, and with
        // it every future that has not finished: they are cancelled at their current `.await`.
        result?;
    }
    Ok(())
}

/// `"try_gather"`: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TryGather {}

// What the engine needs to know about it, beside the idiom above.
impl Kind for TryGather {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn describe(&self) -> String {
        "all at once, the first error drops the rest".into()
    }

    fn asyncio(&self) -> String {
        "asyncio.gather: the first error propagates, the others run on".into()
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
        s.first_poll_starts(false)
    }

    fn run(&self, work: Work) -> impl Future<Output = TaskResult> {
        run(work)
    }
}
