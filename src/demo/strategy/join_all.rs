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
use serde::Deserialize;

use super::Kind;
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

async fn run(work: Work) -> TaskResult {
    // Every outcome kept, in call order: `Vec<Result<(), TaskError>>`.
    let _results: Vec<TaskResult> = join_all(work.calls()).await;
    Ok(())
}

/// `"join_all"`: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinAll {}

// What the engine needs to know about it, beside the idiom above.
impl Kind for JoinAll {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = true;

    fn describe(&self) -> String {
        "futures::future::join_all over every task".into()
    }

    fn asyncio(&self) -> String {
        "no asyncio equivalent".into()
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        s.concurrent(false)
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
