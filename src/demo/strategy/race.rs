//! `race`: the first task to finish wins; the others are cancelled.
//!
//! asyncio: `done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)` followed by
//! `for t in pending: t.cancel()`. asyncio leaves the losers running unless you cancel them;
//! in Rust, `tokio::select!` over a fixed set of branches (or this `FuturesUnordered` for a list)
//! *drops* the losing futures, which cancels them.
//!
//! "First to finish" includes finishing with an error, as in `FIRST_COMPLETED`; to wait for the
//! first success instead, keep pulling from the set while results are errors
//! (`futures::future::select_ok`).

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::Deserialize;

use super::Kind;
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

async fn run(work: Work) -> TaskResult {
    let mut calls: FuturesUnordered<_> = work.calls().collect();

    let winner = calls.next().await;

    // Dropping the set drops every other future: the losers are cancelled right here.
    drop(calls);

    winner.unwrap_or(Ok(()))
}

/// `"race"`: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Race {}

// What the engine needs to know about it, beside the idiom above.
impl Kind for Race {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn describe(&self) -> String {
        "first to finish wins, the rest are cancelled".into()
    }

    fn asyncio(&self) -> String {
        "asyncio.wait(FIRST_COMPLETED), then cancel the rest".into()
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        s.shortest().min(s.concurrent(false))
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
