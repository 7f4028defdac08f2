//! `fail`: waits `ms`, then returns an error, like a request that raises after a while. What the
//! caller sees of it is the strategy's business: kept as a value (`gather(return_exceptions=True)`),
//! propagated (`try_join_all`), or cancelling the siblings (`JoinSet`, `asyncio.TaskGroup`).

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, default_message, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;

/// Longest error message a lesson may give.
pub const MAX_MESSAGE: usize = 500;

/// `op = "fail"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fail {
    pub ms: u64,
    /// Default: "`<task>` failed after `<ms>` ms".
    #[serde(default)]
    pub message: Option<String>,
}

/// The one problem a `message` can have (shared with `resource`).
pub(super) fn message_problem(message: &Option<String>) -> Option<ParamError> {
    message
        .as_ref()
        .filter(|m| m.len() > MAX_MESSAGE)
        .map(|_| ParamError {
            key: Some("message".into()),
            message: format!("message is longer than {MAX_MESSAGE} characters"),
        })
}

impl Fail {
    fn message(&self, task: &str) -> String {
        self.message
            .clone()
            .unwrap_or_else(|| default_message(task, self.ms))
    }
}

impl Kind for Fail {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("ms", "how long before it fails"),
        ("message", "the error message"),
    ];
    const NEEDS: Needs = Needs::Nothing;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        over_limit("ms", self.ms)
            .into_iter()
            .chain(message_problem(&self.message))
            .collect()
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

    fn fails_at(&self) -> Option<u64> {
        Some(self.ms)
    }

    fn python(&self, task: &str, speed: f64) -> Map<String, Value> {
        Map::from_iter([
            ("ms".into(), real(self.ms, speed)),
            ("message".into(), Value::from(self.message(task))),
        ])
    }

    async fn run(&self, cx: &Arc<Ctx>, id: u32, _parent: Option<Open>) -> Result<(), String> {
        tokio::time::sleep(cx.scaled(self.ms)).await;
        Err(self.message(cx.plan.task_name(id)))
    }
}
