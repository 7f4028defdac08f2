//! `outcome`: every copy of `task` ended as `outcome` (and, with `phase`, in that phase of a
//! `resource`: cut in its setup, its body or its teardown).

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem, summarize};
use crate::demo::model::Phase;
use crate::demo::report::Outcome as Ended;
use crate::demo::report::PhaseName;

/// `kind = "outcome"`, `task = "fetch"`, `outcome = "cancelled"`, optionally `phase = "body"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// A task (every copy) or one copy (`fetch#2`).
    pub task: String,
    /// What it ended as.
    pub outcome: Ended,
    /// The phase of a `resource` task in which it failed or was cancelled.
    #[serde(default)]
    pub phase: Option<Phase>,
}

impl Kind for Outcome {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "a task, or one copy such as `fetch#2`"),
        ("outcome", "`ok`, `failed`, `cancelled` or `timed_out`"),
        ("phase", "the phase of a `resource` it ended in: `setup`, `body` or `teardown`"),
    ];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        match names.task("task", &self.task) {
            Err(p) => vec![p],
            // A phase is a part of a `resource` task's span: no other op has one.
            Ok(t) if self.phase.is_some() && !t.op.has_body() => vec![Problem::at(
                "phase",
                format!(
                    "task `{}` is a `{}` task: only a `resource` task has phases (setup, body, teardown)",
                    self.task,
                    t.op.as_str()
                ),
            )],
            Ok(_) => Vec::new(),
        }
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let want = self.outcome;
        let rows = j.rows(&self.task)?;
        let wrong: Vec<String> = rows
            .iter()
            .filter_map(|t| {
                let cut = t
                    .cut_in
                    .map_or_else(|| "no phase".to_string(), |p| p.to_string());
                if t.outcome != want {
                    Some(format!("{} ended {}", t.name, t.outcome.as_str()))
                } else if self
                    .phase
                    .is_some_and(|p| t.cut_in != Some(PhaseName::Resource(p)))
                {
                    Some(format!("{} ended {} in {cut}", t.name, t.outcome.as_str()))
                } else {
                    None
                }
            })
            .collect();
        let within = self
            .phase
            .map_or(String::new(), |p| format!(" in {}", p.as_str()));
        if wrong.is_empty() {
            Ok(format!(
                "{} of {} ended {}{within}",
                rows.len(),
                rows.len(),
                want.as_str()
            ))
        } else {
            Err(Miss::from(summarize(&wrong, rows.len())))
        }
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
