//! `offload`: like `gather`, but blocking and CPU-bound ops run on tokio's blocking thread pool.
//!
//! asyncio: `await asyncio.to_thread(fn)` / `loop.run_in_executor(None, fn)`.
//!
//! The runtime's threads must never block: a `std::thread::sleep` or a long computation inside a
//! task stops every other task on that thread. `tokio::task::spawn_blocking` moves the closure to a
//! separate pool (up to 512 threads by default) and gives back a future to await. The difference is
//! inside the ops (`demo/op.rs` calls `spawn_blocking` when the runner sets `offload`); the combination here is `gather`'s.
//!
//! `spawn_blocking` work cannot be aborted once it runs: a timeout around it stops the *waiting*,
//! not the thread. For CPU-heavy work, a dedicated pool such as `rayon` bounds threads to cores.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::task::unconstrained;

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work) -> TaskResult {
    // The runner built `work` with `offload` on: its block and cpu ops call `spawn_blocking`.
    let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();
    while calls.next().await.is_some() {}
    Ok(())
}
