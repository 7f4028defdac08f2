//! `block`: `std::thread::sleep` inside an async task, the classic pitfall. It never yields, so
//! on a current-thread runtime nothing else runs until it returns (`time.sleep` inside
//! `async def`). Under the `offload` strategy it runs on tokio's blocking pool instead
//! (`asyncio.to_thread`); the fix in real code is `tokio::time::sleep`.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, on_thread, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;

/// `op = "block"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub ms: u64,
}

impl Kind for Block {
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
        0
    }

    fn is_blocking(&self) -> bool {
        true
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        Map::from_iter([("ms".into(), real(self.ms, speed))])
    }

    async fn run(&self, cx: &Arc<Ctx>, id: u32, _parent: Option<Open>) -> Result<(), String> {
        let d = cx.scaled(self.ms);
        let (held, result) = on_thread(cx.offload, move || {
            std::thread::sleep(d);
            Ok(())
        })
        .await;
        cx.rec.blocked(id, held);
        result
    }
}
