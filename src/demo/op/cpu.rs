//! `cpu`: busy computation for about `ms` of real time. Like `block` it never yields; unlike a
//! sleep, offloading it frees the runtime thread but it still needs a core: on 2 cores, 4
//! offloaded 100 ms computations take 200 ms. (For a lot of such work, `rayon` is the usual
//! pool; asyncio's answer is a `ProcessPoolExecutor`.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, on_thread, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;

/// `op = "cpu"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cpu {
    pub ms: u64,
}

/// Busy-loops for `d` of real time.
fn spin(d: Duration) {
    let end = Instant::now() + d;
    let mut x: u64 = 1;
    while Instant::now() < end {
        for _ in 0..1000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
        std::hint::black_box(x);
    }
}

impl Kind for Cpu {
    const PARAMS: &'static [(&'static str, &'static str)] =
        &[("ms", "its duration in milliseconds")];
    const NEEDS: Needs = Needs::Nothing;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = true;

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
            spin(d);
            Ok(())
        })
        .await;
        cx.rec.blocked(id, held);
        result
    }
}
