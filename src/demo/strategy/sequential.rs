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

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Kind, after_delay, caller_timer, caller_work, in_series, over_limit, params};
use crate::demo::ideal::Shape;
use crate::demo::work::{TaskResult, Work};

/// `"sequential"` or `{ kind = "sequential", delay_ms = 200 }`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequential {
    /// The caller's other (awaiting) work after creating the futures and before awaiting them.
    #[serde(default)]
    pub delay_ms: u64,
}

async fn run(work: Work, delay: std::time::Duration) -> TaskResult {
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

// What the engine needs to know about it, beside the idiom above.
impl Kind for Sequential {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("delay_ms", "the caller's other work before it awaits")];
    const SPAWNS_TASKS: bool = false;
    const OUTLIVES_CALLER: bool = false;
    const OFFLOADS: bool = false;
    const COST_GROWS_WITH_SIZE: bool = false;

    fn problems(&self) -> Vec<String> {
        over_limit("delay_ms", self.delay_ms).into_iter().collect()
    }

    fn describe(&self) -> String {
        format!("await one after another{}", after_delay(self.delay_ms))
    }

    fn asyncio(&self) -> String {
        "asyncio: await one after another".into()
    }

    fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        params([("delay_ms", json!(real(self.delay_ms)))])
    }

    fn ideal_ms(&self, s: &Shape) -> f64 {
        self.delay_ms as f64 + s.sum()
    }

    fn timer_waits(&self, s: &Shape) -> f64 {
        caller_timer(self.delay_ms) + s.waits_in_series()
    }

    fn peak(&self, tasks: u32) -> u32 {
        tasks.min(1)
    }

    fn starts(&self, s: &Shape) -> Vec<f64> {
        // Each when the previous ends, after the caller's own work.
        in_series(s, self.delay_ms as f64)
    }

    fn own_durations(&self, _tasks: &[u64]) -> Vec<u64> {
        vec![self.delay_ms]
    }

    async fn run(&self, work: Work) -> TaskResult {
        let delay = work.scaled(self.delay_ms);
        run(work, delay).await
    }
}
