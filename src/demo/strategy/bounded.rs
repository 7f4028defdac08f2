//! `bounded`: at most `limit` tasks at once, with a semaphore.
//!
//! asyncio: `sem = asyncio.Semaphore(n)` and `async with sem:` in each task.
//!
//! A permit is an RAII guard: the slot is released when the permit is dropped, also when the task
//! fails or is cancelled. The permit is taken *before* spawning, so at most `limit` tasks exist at
//! any moment: 100,000 queued requests do not become 100,000 live tasks (with the permit taken
//! inside the task, they would all exist and wait). The stream alternative is
//! `stream::iter(calls).buffer_unordered(limit)` (see `stream`).

use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::demo::work::{TaskResult, Work};

pub async fn run(work: Work, limit: usize) -> TaskResult {
    let permits = Arc::new(Semaphore::new(limit));
    let mut tasks = JoinSet::new();

    for call in work.calls() {
        // Wait for a free slot. `acquire_owned` gives a permit that can move into the task.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            unreachable!("the semaphore is never closed")
        };
        tasks.spawn(async move {
            let result = call.await;
            drop(permit); // the slot frees here (it would on drop anyway, even on cancellation)
            result
        });
        // Collect finished tasks as we go, so the set only ever holds about `limit` entries.
        while tasks.try_join_next().is_some() {}
    }

    // Every outcome is kept, like `gather(return_exceptions=True)`.
    while tasks.join_next().await.is_some() {}
    Ok(())
}
