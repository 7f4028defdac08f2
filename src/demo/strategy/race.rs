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

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work) -> TaskResult {
    let mut calls: FuturesUnordered<_> = work.calls().collect();

    let winner = calls.next().await;

    // Dropping the set drops every other future: the losers are cancelled right here.
    drop(calls);

    winner.unwrap_or(Ok(()))
}
