//! `stream`: handle each result as it arrives instead of waiting for all of them.
//!
//! asyncio: `async for result in ...` / `for fut in asyncio.as_completed(coros):`.
//!
//! A `Stream` is the async iterator: `stream::iter(calls)` turns the futures into a stream and
//! `.then(|call| call)` awaits them one at a time, in order; `.buffer_unordered(n)` keeps up to
//! `n` in flight and yields each result as soon as it is ready (`.buffered(n)` keeps the order).
//! The consumer can act on the first result long before the last one exists.

use futures::StreamExt;
use futures::stream;
use tokio::task::unconstrained;

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work, buffer: Option<usize>) -> TaskResult {
    // `unconstrained`: see `gather` (large fan-outs in one task and tokio's budget).
    let calls = stream::iter(work.calls().map(unconstrained));
    let mut results = match buffer {
        Some(n) => calls.buffer_unordered(n).boxed(),
        None => calls.then(|call| call).boxed(),
    };
    while let Some(_result) = results.next().await {
        // Each result is handled here as soon as it arrives.
    }
    Ok(())
}
