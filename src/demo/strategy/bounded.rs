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

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Kind, limit_out_of_range, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

/// `{ kind = "bounded", limit = 3 }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounded {
    /// Permits: how many tasks may run at once.
    pub limit: u32,
}

async fn run(work: Work, limit: usize) -> TaskResult {
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

// What the engine needs to know about it, beside the idiom above.
impl Kind for Bounded {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("limit", "how many tasks may run at once")];
    const SPAWNS_TASKS: bool = true;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        limit_out_of_range(self.limit).into_iter().collect()
    }

    fn describe(&self) -> String {
        format!("at most {} at once, held by a Semaphore", self.limit)
    }

    fn asyncio(&self) -> String {
        format!("asyncio.Semaphore({}) around each", self.limit)
    }

    fn python_params(&self, _real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([("limit", json!(self.limit))])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        s.list_schedule(self.limit as usize)
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        s.waits_in_rounds((s.len() as f64 / f64::from(self.limit.max(1))).ceil())
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks.min(self.limit)
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        s.list_starts(self.limit as usize)
    }

    async fn run(&self, work: Work) -> TaskResult {
        run(work, self.limit.max(1) as usize).await
    }
}
