//! `sleep`: await a timer, the stand-in for non-blocking I/O (a socket read, a query on an async
//! driver). While it waits, the runtime polls every other task: `await asyncio.sleep(s)`.

use std::sync::Arc;

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

    async fn run(&self, cx: &Arc<Ctx>, _id: u32, _parent: Option<Open>) -> Result<(), String> {
        tokio::time::sleep(cx.scaled(self.ms)).await;
        Ok(())
    }
}
