//! `sequential`: await one task after another.
//!
//! asyncio: `for coro in coros: results.append(await coro)`.
//!
//! Calling an `async fn` (here: [`Work::calls`]) only builds a future; nothing runs until it is
//! awaited. So the futures below are all created first and each starts only when its turn comes:
//! the total time is the *sum* of the durations. Rust helps at compile time, partly: a future left
//! as a bare statement triggers the `unused_must_use` warning "futures do nothing unless you
//! `.await` or poll them", but `let _ = fut;` is silent (only clippy's `let_underscore_future`
//! catches it). Python warns at run time ("coroutine ... was never awaited").

use std::time::Duration;

use super::caller_work;
use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work, delay: Duration) -> TaskResult {
    // Build every future. Nothing has started yet.
    let calls: Vec<_> = work.calls().collect();

    // The caller does something else meanwhile; the tasks above still have not started.
    caller_work(delay).await;

    for call in calls {
        // Each task runs here, and only here. Its result is kept and the loop goes on; writing
        // `call.await?` instead would stop at the first error and drop the remaining futures
        // without ever running them.
        let _result = call.await;
    }
    Ok(())
}
