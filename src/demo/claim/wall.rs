//! `wall`: the strategy's wall time, from its start until it returned to its caller, is within
//! the bounds (lesson time). Fixed costs excuse a miss of an upper bound only up to the bound's
//! own scale: a "within 20 ms" that took 462 ms is never shown, whatever the allowance.

use serde::Deserialize;

use super::{
    CLOSE, Foresight, Judging, Kind, Miss, Names, Prediction, Problem, SLACK, Verdict,
    blurred_text, bounds_text, headroom, inverted, needs_one_of, not_judged, refuted, slack,
    slack_text,
};
use crate::text::fmt_ms as ms;

/// `kind = "wall"` with `at_most_ms = 400` and/or `at_least_ms = 300`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wall {
    #[serde(default)]
    pub at_least_ms: Option<u64>,
    #[serde(default)]
    pub at_most_ms: Option<u64>,
}

impl Kind for Wall {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("at_least_ms", "the wall time is at least this"),
        ("at_most_ms", "the wall time is at most this"),
    ];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, _: &Names) -> Vec<Problem> {
        let mut out = needs_one_of(
            "wall",
            &["at_least_ms", "at_most_ms"],
            &[self.at_least_ms.is_some(), self.at_most_ms.is_some()],
        );
        out.extend(inverted(
            "at_least_ms",
            "at_most_ms",
            self.at_least_ms,
            self.at_most_ms,
        ));
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let run = j.run;
        let at = run.wall_ms;
        let text = format!("{} took {} (lesson time)", run.name, ms(at));
        if let Some(lo) = self.at_least_ms
            && at < lo as f64 * (1.0 - SLACK)
        {
            return Err(Miss::from(format!("{text}; claimed at least {lo} ms")));
        }
        if let Some(hi) = self.at_most_ms
            && at > hi as f64 * (1.0 + SLACK)
        {
            let hi = hi as f64;
            // Fixed costs excuse a miss only up to the claim's own scale.
            if at <= hi + slack(run).min(hi) {
                return Ok(format!("{text}, within {}", slack_text(run)));
            }
            // Within what fixed costs could explain, but more than the bound itself: this
            // speed cannot tell. Beyond every fixed cost, the run refutes it.
            if at <= hi + slack(run) {
                return Err(not_judged(blurred_text(run, at, hi)));
            }
            return Err(refuted(
                format!(
                    "{text}; claimed at most {}; the ideal is {}",
                    ms(hi),
                    ms(run.ideal_ms)
                ),
                at <= hi * (1.0 + CLOSE),
            ));
        }
        Ok(text)
    }

    fn forecast(&self, model: &dyn Foresight, strategy: &str, ideal: f64) -> Prediction {
        let predicted = format!("the ideal wall time is {}", ms(ideal));
        // On the paused clock a run reads its ideal time exactly: no headroom to leave.
        let safe_max = if model.paused(strategy) {
            ideal
        } else {
            headroom(ideal)
        };
        let (verdict, margin) = match (self.at_least_ms, self.at_most_ms) {
            (Some(lo), _) if lo as f64 > ideal * 1.000_001 => (
                Verdict::Impossible { key: "at_least_ms" },
                format!("claims at least {lo} ms: only overhead could make it so"),
            ),
            (_, Some(hi)) if (hi as f64) < ideal => (
                Verdict::Impossible { key: "at_most_ms" },
                format!("claims at most {hi} ms: less than the ideal"),
            ),
            (_, Some(hi)) if (hi as f64) < safe_max => (
                Verdict::Thin {
                    key: "at_most_ms",
                    safe: format!("{}", safe_max.ceil() as u64),
                },
                format!(
                    "claims at most {hi} ms: {} of headroom",
                    ms(hi as f64 - ideal)
                ),
            ),
            (lo, hi) => (Verdict::Safe, bounds_text(lo, hi)),
        };
        Prediction {
            predicted,
            margin,
            verdict,
        }
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        self.at_most_ms.map(|hi| hi as f64)
    }
}
