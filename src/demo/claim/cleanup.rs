//! `cleanup`: the teardown of `task` (a `resource`) finished before the strategy's caller got
//! control back, or after. After a cancellation tokio cannot run async cleanup inside the
//! dropped future (Rust has no async `Drop`), so the resource spawns its teardown and it
//! finishes in the background; asyncio runs it inside the cancelled task, before `await`
//! returns.

use serde::Deserialize;

use crate::demo::report::PhaseName;
use super::{
    CleanupTiming, Foresight, Judging, Kind, Miss, Names, Prediction, Problem, ended_vs_return,
};

/// `kind = "cleanup"`, `task = "conn"`, `finished = "before_return"` or `"after_return"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cleanup {
    /// A `resource` task, or one copy.
    pub task: String,
    pub finished: CleanupTiming,
}

impl Kind for Cleanup {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "a `resource` task, or one copy such as `conn#2`"),
        ("finished", "`before_return` or `after_return` of the strategy"),
    ];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        names.resource("task", &self.task)
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        // Only copies that have a teardown (a setup that failed acquired nothing).
        let ends = j.rows(&self.task)?.into_iter().filter_map(|t| {
            let teardown = t.phases.iter().find(|p| p.name == PhaseName::TEARDOWN)?;
            Some((t, teardown.end_ms))
        });
        let after_return = self.finished == CleanupTiming::AfterReturn;
        ended_vs_return(ends, j.run, after_return, "finished its teardown")
            .map_err(|none| {
                none.unwrap_or_else(|| format!("no copy of `{}` had a teardown", self.task))
            })
            .map_err(Miss::from)
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
