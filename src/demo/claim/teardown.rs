//! `teardown`: every copy of `task` (a `resource`) that finished its setup also finished its
//! teardown, whatever ended it; with `before`, innermost first: each finished before the
//! matching copy of the outer resource `before` began its own.

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem, summarize};
use crate::demo::report::{PhaseName, TaskReport};
use crate::text::fmt_ms as ms;

/// `kind = "teardown"`, `task = "conn"`, optionally `before = "pool"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teardown {
    /// A `resource` task, or one copy.
    pub task: String,
    /// The outer resource whose teardown must begin only after `task`'s finished.
    #[serde(default)]
    pub before: Option<String>,
}

impl Kind for Teardown {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "a `resource` task, or one copy such as `conn#2`"),
        ("before", "the outer resource whose teardown begins after `task`'s"),
    ];
    const DECIDED_BY_ORDER: bool = true;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        let mut out = names.resource("task", &self.task);
        if let Some(outer) = &self.before {
            out.extend(names.resource("before", outer));
        }
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let rows = j.rows(&self.task)?;
        let mut set_up = 0;
        let mut missing = Vec::new();
        for t in &rows {
            let setup_done = t
                .phases
                .iter()
                .any(|p| p.name == PhaseName::SETUP && p.end_ms.is_some());
            if !setup_done {
                continue;
            }
            set_up += 1;
            if !t
                .phases
                .iter()
                .any(|p| p.name == PhaseName::TEARDOWN && p.end_ms.is_some())
            {
                missing.push(format!(
                    "{} ({}) has no finished teardown",
                    t.name,
                    t.outcome.as_str()
                ));
            }
        }
        if let Some(outer) = &self.before
            && missing.is_empty()
        {
            return teardown_order(&rows, &j.rows(outer)?, outer);
        }
        if set_up == 0 {
            Err(Miss::from(
                "no copy finished its setup, so there was nothing to tear down".to_string(),
            ))
        } else if missing.is_empty() {
            let outcomes: Vec<String> = rows
                .iter()
                .map(|t| format!("{} {}", t.name, t.outcome.as_str()))
                .collect();
            Ok(format!(
                "teardown ran for all {set_up} set up ({})",
                summarize(&outcomes, rows.len())
            ))
        } else {
            Err(Miss::from(summarize(&missing, rows.len())))
        }
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::by_what_runs()
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}

/// Every copy in `inner` that was torn down finished its teardown before the matching copy of
/// `outer` began its own (copy N with copy N, or every copy with a single `outer`).
fn teardown_order(
    inner: &[&TaskReport],
    outer: &[&TaskReport],
    name: &str,
) -> Result<String, Miss> {
    let teardown = |t: &TaskReport| t.phases.iter().find(|p| p.name == PhaseName::TEARDOWN).cloned();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let mut gap = f64::INFINITY;
    for (k, t) in inner.iter().enumerate() {
        let Some(end) = teardown(t).and_then(|p| p.end_ms) else {
            continue;
        };
        let o = if outer.len() == 1 {
            outer[0]
        } else {
            match outer.get(k) {
                Some(o) => o,
                None => continue,
            }
        };
        checked += 1;
        match teardown(o) {
            Some(p) if p.start_ms >= end => gap = gap.min(p.start_ms - end),
            Some(p) => wrong.push(format!(
                "{} began its teardown at {}, before {} finished its own at {}",
                o.name,
                ms(p.start_ms),
                t.name,
                ms(end)
            )),
            None => wrong.push(format!("{} has no teardown", o.name)),
        }
    }
    if checked == 0 {
        return Err(Miss::from(
            "no copy finished its teardown, so there was no order to see".to_string(),
        ));
    }
    if wrong.is_empty() {
        Ok(format!(
            "all {checked} torn down before `{name}` began its teardown (innermost first)"
        ))
    } else {
        Err(Miss::from(summarize(&wrong, checked)))
    }
}
