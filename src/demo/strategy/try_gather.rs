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
use tokio::task::unconstrained;

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work) -> TaskResult {
    let mut calls: FuturesUnordered<_> = work.calls().map(unconstrained).collect();

    while let Some(result) = calls.next().await {
        // The first error returns from this function; `calls` is dropped on the way out, and with
        // it every future that has not finished: they are cancelled at their current `.await`.
        result?;
    }
    Ok(())
}
