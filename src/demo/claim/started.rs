//! `started`: every copy of `task` started within the bounds, measured from the strategy's
//! start (lesson time). It shows what runs when: a future starts only when awaited, a spawned
//! task at once, a bounded one when a permit frees.

use serde::Deserialize;

use super::{
    Foresight, Judging, Kind, Miss, Names, Prediction, Problem, SLACK, Verdict, bounds_text,
    headroom, inverted, needs_one_of, not_judged, slack, slack_text, summarize, swamped_text,
};
use crate::text::fmt_ms as ms;

/// `kind = "started"`, `task = "fetch"`, with `after_ms` and/or `before_ms`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Started {
    /// A task (every copy) or one copy (`fetch#2`).
    pub task: String,
    #[serde(default)]
    pub after_ms: Option<u64>,
    #[serde(default)]
    pub before_ms: Option<u64>,
}

impl Kind for Started {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("task", "a task, or one copy such as `fetch#2`"),
        ("after_ms", "it started no earlier than this"),
        ("before_ms", "it started no later than this"),
    ];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        let mut out: Vec<Problem> = names.task("task", &self.task).err().into_iter().collect();
        out.extend(needs_one_of(
            "started",
            &["after_ms", "before_ms"],
            &[self.after_ms.is_some(), self.before_ms.is_some()],
        ));
        out.extend(inverted("after_ms", "before_ms", self.after_ms, self.before_ms));
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let (run, rows) = (j.run, j.rows(&self.task)?);
        let mut wrong = Vec::new();
        let mut starts = Vec::new();
        // Late by no more than the fixed costs: shown with a note.
        let mut allowed = false;
        // Late by more, but so little that fixed costs are as large as the bound itself.
        let mut unjudgeable = false;
        for t in &rows {
            let Some(at) = t.start_ms else {
                wrong.push(format!("{} never started", t.name));
                continue;
            };
            starts.push(at);
            if let Some(after) = self.after_ms
                && at < after as f64 * (1.0 - SLACK)
            {
                wrong.push(format!(
                    "{} started at {} (lesson time), before {after} ms",
                    t.name,
                    ms(at)
                ));
            }
            if let Some(before) = self.before_ms
                && at > before as f64 * (1.0 + SLACK) + 1.0
            {
                // As for `wall`: fixed costs excuse a miss up to the bound itself, blur it up
                // to all of them, and a later start refutes the claim.
                let before = before as f64;
                if at <= before + slack(run).min(before) {
                    allowed = true;
                } else if at <= before + slack(run) {
                    unjudgeable = true;
                } else {
                    wrong.push(format!(
                        "{} started at {} (lesson time), after {before} ms",
                        t.name,
                        ms(at)
                    ));
                }
            }
        }
        if wrong.is_empty() && unjudgeable {
            return Err(not_judged(swamped_text(
                run,
                self.before_ms.unwrap_or(0) as f64,
            )));
        }
        if wrong.is_empty() && allowed {
            return Ok(format!(
                "started by {} (lesson time), within {}",
                ms(starts.iter().copied().fold(0.0, f64::max)),
                slack_text(run)
            ));
        }
        if !wrong.is_empty() {
            return Err(Miss::from(summarize(&wrong, rows.len())));
        }
        let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
        let last = starts.iter().copied().fold(0.0, f64::max);
        Ok(if rows.len() == 1 || last - first < 0.5 {
            format!("started at {} (lesson time)", ms(first))
        } else {
            format!(
                "started between {} and {} (lesson time)",
                ms(first),
                ms(last)
            )
        })
    }

    fn forecast(&self, model: &dyn Foresight, strategy: &str, _: f64) -> Prediction {
        let task = &self.task;
        let Some(starts) = model.starts(strategy, task) else {
            return Prediction::open("no prediction: blocking ops decide who starts first");
        };
        let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
        let last = starts.iter().copied().fold(0.0, f64::max);
        let predicted = if last - first < 0.5 {
            format!("`{task}` starts at {}", ms(first))
        } else {
            format!("`{task}` starts between {} and {}", ms(first), ms(last))
        };
        let safe_before = headroom(last);
        let (verdict, margin) = match (self.after_ms, self.before_ms) {
            (Some(a), _) if a as f64 > first * 1.000_001 => (
                Verdict::Impossible { key: "after_ms" },
                format!("claims no earlier than {a} ms"),
            ),
            (_, Some(b)) if (b as f64) < last => (
                Verdict::Impossible { key: "before_ms" },
                format!("claims no later than {b} ms"),
            ),
            (_, Some(b)) if (b as f64) < safe_before => (
                Verdict::Thin {
                    key: "before_ms",
                    safe: format!("{}", safe_before.ceil() as u64),
                },
                format!(
                    "claims no later than {b} ms: {} of headroom",
                    ms(b as f64 - last)
                ),
            ),
            (a, b) => (Verdict::Safe, bounds_text(a, b)),
        };
        Prediction {
            predicted,
            margin,
            verdict,
        }
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        self.before_ms.map(|b| b as f64)
    }
}
