//! `sleep`: await a timer, the stand-in for non-blocking I/O (a socket read, a query on an async
//! driver). While it waits, the runtime polls every other task: `await asyncio.sleep(s)`.

use std::future::Future;

use std::sync::Arc;

use futures::FutureExt as _;
use tokio::time::Instant;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;

/// `op = "sleep"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sleep {
    pub ms: u64,
}

impl Kind for Sleep {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("ms", "its duration in milliseconds")];
    const NEEDS: Needs = Needs::Nothing;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        over_limit("ms", self.ms).into_iter().collect()
    }

    fn nominal_ms(&self) -> u64 {
        self.ms
    }

    fn timer_waits(&self) -> u32 {
        1
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        Map::from_iter([("ms".into(), real(self.ms, speed))])
    }

    // Called at the task's first poll, so the timer starts then, as in an `async fn`.
    fn run(
        &self,
        cx: &Arc<Ctx>,
        _id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        self.run_from(cx, Instant::now())
    }
}

impl Sleep {
    /// The sleep of a task that started at `started`: its timer ends `ms` after.
    ///
    /// The timer itself, mapped, rather than an `async fn` or `async move { sleep.await }`: at
    /// 100,000 tasks every byte of the future counts, and an async block keeps the moved-in
    /// `Sleep` and the awaited one in two slots (232 bytes against 112).
    pub(super) fn run_from(
        &self,
        cx: &Ctx,
        started: Instant,
    ) -> impl Future<Output = Result<(), String>> + Send + use<> {
        tokio::time::sleep_until(started + cx.scaled(self.ms)).map(Ok)
    }
}
