//! What every running task of one strategy run shares: the plan, the recorder, the speed and
//! whether blocking work goes to the blocking pool. Ops read it; [`crate::demo::work`] hands it out.

use std::sync::Arc;
use std::time::Duration;

use crate::demo::lab::Session;
use crate::demo::plan::Plan;
use crate::demo::recorder::Recorder;

/// Everything a running task needs, shared by all tasks of one strategy run.
pub struct Ctx {
    pub plan: Arc<Plan>,
    pub rec: Recorder,
    /// The playback speed (`--speed`): a lesson duration `d` takes `d / speed` of real time.
    pub speed: f64,
    /// Run blocking and cpu ops on the blocking pool (the `offload` strategy).
    pub offload: bool,
    /// The demo server, database and HTTP client of real-I/O ops (`None`: the demo has none).
    pub io: Option<Session>,
}

impl Ctx {
    /// A lesson duration as real time at this speed.
    pub fn scaled(&self, ms: u64) -> Duration {
        Duration::from_secs_f64(ms as f64 / 1000.0 / self.speed)
    }
}
