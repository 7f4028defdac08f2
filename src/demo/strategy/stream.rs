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
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::task::unconstrained;

use super::{Kind, in_series, limit_out_of_range, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

/// `"stream"` (one at a time) or `{ kind = "stream", limit = 3 }` (`buffer_unordered(3)`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    /// `buffer_unordered(limit)`; without it, one at a time, in order.
    #[serde(default)]
    pub limit: Option<u32>,
}

async fn run(work: Work, buffer: Option<usize>) -> TaskResult {
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

// What the engine needs to know about it, beside the idiom above.
impl Kind for Stream {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "limit",
        "how many are in flight at once, `buffer_unordered(limit)`; default one at a time",
    )];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        self.limit.and_then(limit_out_of_range).into_iter().collect()
    }

    fn describe(&self) -> String {
        match self.limit {
            Some(n) => format!("results as they arrive, buffer_unordered({n})"),
            None => "results as they arrive, one at a time".into(),
        }
    }

    fn asyncio(&self) -> String {
        match self.limit {
            Some(n) => format!("asyncio.as_completed, Semaphore({n})"),
            None => "an async iterator, one at a time".into(),
        }
    }

    fn python_params(&self, _real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([("limit", json!(self.limit))])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        match self.limit {
            Some(n) => s.list_schedule(n as usize),
            None => s.sum(),
        }
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        match self.limit {
            Some(n) => s.waits_in_rounds((s.len() as f64 / f64::from(n.max(1))).ceil()),
            None => s.waits_in_series(),
        }
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks.min(self.limit.unwrap_or(1))
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        match self.limit {
            Some(n) => s.list_starts(n as usize),
            None => in_series(s, 0.0),
        }
    }

    async fn run(&self, work: Work) -> TaskResult {
        run(work, self.limit.map(|n| n.max(1) as usize)).await
    }
}
