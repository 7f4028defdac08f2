//! `connections`: the demo server connections that served `task` (every task when not given)
//! are within the bounds: one shared `reqwest::Client` reuses a few from its pool, a client per
//! request opens one each.

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem, inverted, needs_one_of};

/// `kind = "connections"`, optionally `task = "fetch"`, with `at_most` and/or `at_least`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connections {
    /// A task (every copy) or one copy; without it, every task's requests.
    #[serde(default)]
    pub task: Option<String>,
    #[serde(default)]
    pub at_least: Option<u32>,
    #[serde(default)]
    pub at_most: Option<u32>,
}

impl Kind for Connections {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "the task whose requests count, default every task"),
        ("at_least", "at least this many connections"),
        ("at_most", "at most this many connections"),
    ];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        let mut out: Vec<Problem> = match &self.task {
            Some(task) => names.task("task", task).err().into_iter().collect(),
            None => Vec::new(),
        };
        out.extend(needs_one_of(
            "connections",
            &["at_most", "at_least"],
            &[self.at_most.is_some(), self.at_least.is_some()],
        ));
        out.extend(inverted("at_least", "at_most", self.at_least, self.at_most));
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let (rows, whose) = match &self.task {
            Some(task) => (j.rows(task)?, format!("{task}: ")),
            None => (j.run.tasks.iter().collect(), String::new()),
        };
        let requests: usize = rows.iter().map(|t| t.connections.len()).sum();
        let mut used: Vec<u64> = rows.iter().flat_map(|t| t.connections.clone()).collect();
        used.sort_unstable();
        used.dedup();
        let n = used.len() as u32;
        let text = format!(
            "{whose}{requests} request{} on {n} connection{}",
            if requests == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        );
        match (self.at_least, self.at_most) {
            (Some(lo), _) if n < lo => Err(Miss::from(format!("{text}; claimed at least {lo}"))),
            (_, Some(hi)) if n > hi => Err(Miss::from(format!("{text}; claimed at most {hi}"))),
            _ => Ok(text),
        }
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
