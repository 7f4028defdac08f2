//! `offload`: like `gather`, but blocking and CPU-bound ops run on tokio's blocking thread pool.
//!
//! asyncio: `await asyncio.to_thread(fn)` / `loop.run_in_executor(None, fn)`.
//!
//! The runtime's threads must never block: a `std::thread::sleep` or a long computation inside a
//! task stops every other task on that thread. `tokio::task::spawn_blocking` moves the closure to a
//! separate pool (up to 512 threads by default) and gives back a future to await. The difference is
//! inside the ops (`demo/op/block.rs` and the others call `spawn_blocking` when the runner sets `offload`); the combination here is `gather`'s.
//!
//! `spawn_blocking` work cannot be aborted once it runs: a timeout around it stops the *waiting*,
//! not the thread. For CPU-heavy work, a dedicated pool such as `rayon` bounds threads to cores.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde::Deserialize;
use tokio::task::unconstrained;

use super::Kind;
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

async fn run(work: Work) -> TaskResult {
    // The runner built `work` with `offload` on: its block and cpu ops call `spawn_blocking`.
    let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();
    while calls.next().await.is_some() {}
    Ok(())
}

/// `"offload"`: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offload {}

// What the engine needs to know about it, beside the idiom above.
impl Kind for Offload {
    const PARAMS: &'static [(&'static str, &'static str)] = &[];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = true;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn describe(&self) -> String {
        "all at once, blocking work on spawn_blocking".into()
    }

    fn asyncio(&self) -> String {
        "asyncio.to_thread for blocking work, gathered".into()
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        s.concurrent(true)
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        s.waits_in_rounds(1.0)
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        s.first_poll_starts(true)
    }

    fn run(&self, work: Work) -> impl Future<Output = TaskResult> {
        run(work)
    }
}
