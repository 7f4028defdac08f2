//! `ended`: every copy of `task` that started ended before the strategy's caller got control
//! back, or after. A future dropped by tokio (`select!`, a dropped `FuturesUnordered`) ends
//! inside the call that dropped it; `asyncio.wait` returns with the losers still running
//! until their cancellation lands.

use serde::Deserialize;

use super::{
    CleanupTiming, Foresight, Judging, Kind, Miss, Names, Prediction, Problem, ended_vs_return,
};

/// `kind = "ended"`, `task = "mirror"`, `finished = "before_return"` or `"after_return"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ended {
    /// A task (every copy) or one copy.
    pub task: String,
    pub finished: CleanupTiming,
}

impl Kind for Ended {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "a task, or one copy such as `fetch#2`"),
        ("finished", "`before_return` or `after_return` of the strategy"),
    ];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        names.task("task", &self.task).err().into_iter().collect()
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let ends = j
            .rows(&self.task)?
            .into_iter()
            .filter(|t| t.start_ms.is_some())
            .map(|t| (t, t.end_ms));
        let after_return = self.finished == CleanupTiming::AfterReturn;
        ended_vs_return(ends, j.run, after_return, "ended")
            .map_err(|none| none.unwrap_or_else(|| format!("no copy of `{}` started", self.task)))
            .map_err(Miss::from)
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
