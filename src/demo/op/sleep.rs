//! `sleep`: await a timer, the stand-in for non-blocking I/O (a socket read, a query on an async
//! driver). While it waits, the runtime polls every other task: `await asyncio.sleep(s)`.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::lab::Latency;

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

    fn added_ms(&self) -> f64 {
        0.0
    }

    fn timer_waits(&self) -> u32 {
        1
    }

    fn durations(&self) -> Vec<u64> {
        vec![self.ms]
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn fails_at(&self) -> Option<u64> {
        None
    }

    fn server_blocking_ms(&self) -> f64 {
        0.0
    }

    fn items(&self) -> Option<u32> {
        None
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        Map::from_iter([("ms".into(), real(self.ms, speed))])
    }

    fn estimate(&mut self, _latency: Option<&Latency>, _speed: f64) {}

    async fn run(&self, cx: &Arc<Ctx>, _id: u32, _parent: Option<Open>) -> Result<(), String> {
        tokio::time::sleep(cx.scaled(self.ms)).await;
        Ok(())
    }
}
