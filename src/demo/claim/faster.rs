//! `faster`: the claim's strategy is at least `factor` times faster than `than`.
//!
//! Judged on the ratio of wall times. Fixed costs (a runtime's start, timer ticks) and a wait
//! for the CPU only slow the faster strategy down, so they may be taken off its time, but never
//! more than the claim itself allows it: an allowance does not excuse a miss larger than the
//! claim.

use serde::Deserialize;

use super::{
    CLOSE, Foresight, Judging, Kind, Miss, Names, Prediction, Problem, SAFE_RATIO_SHARE, Verdict,
    WARN_RATIO_SHARE, floor2, not_judged, refuted, slack, slack_text, swamped, swamped_text,
};
use crate::text::fmt_ms as ms;

/// `kind = "faster"`, `than = "sequential"`, `factor = 2.5`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faster {
    /// The strategy it is compared with.
    pub than: String,
    /// `than`'s wall time / the strategy's must be at least this.
    #[serde(default = "one")]
    pub factor: f64,
}

fn one() -> f64 {
    1.0
}

impl Kind for Faster {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("than", "the strategy it is compared with"),
        ("factor", "how many times faster, default 1"),
    ];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        let mut out = names.other_strategy("than", &self.than);
        let f = self.factor;
        if !(f.is_finite() && f > 0.0 && f <= 1_000_000.0) {
            out.push(Problem::at(
                "factor",
                format!("factor must be a positive number, got {f}"),
            ));
        }
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let (run, name) = (j.run, &j.run.name);
        let (than, factor) = (j.find(&self.than)?, self.factor);
        let ratio = |fast: f64| {
            if fast > 0.0 {
                than.wall_ms / fast
            } else {
                f64::INFINITY
            }
        };
        let measured = ratio(run.wall_ms);
        let text = format!(
            "{name} took {}, {} took {}: {measured:.2}x (claimed at least {factor}x)",
            ms(run.wall_ms),
            than.name,
            ms(than.wall_ms)
        );
        if measured >= factor {
            return Ok(text);
        }
        if swamped(run, run.ideal_ms) {
            return Err(not_judged(swamped_text(run, run.ideal_ms)));
        }
        // Fixed costs and a wait for the CPU only slow the faster strategy down: take them off
        // its wall time. The slower one's wait for the CPU comes off too, so a busy moment
        // during `than` cannot make a claim look truer than it is. A thread's wait is not all
        // on the critical path (a wait while another timer was still running cost nothing), so
        // neither side is taken below its ideal. And never more than the time the claim allows
        // the faster one (the slower one's time over the factor): an allowance does not excuse
        // a miss larger than the claim.
        let slow = (than.wall_ms - than.cpu_wait_ms).max(than.ideal_ms);
        let fast = (run.wall_ms - slack(run).min(slow / factor)).max(run.ideal_ms);
        if fast > 0.0 && slow / fast >= factor {
            return Ok(format!(
                "{text}, shown once {} are allowed for",
                slack_text(run)
            ));
        }
        let ideal = than.ideal_ms / run.ideal_ms.max(f64::MIN_POSITIVE);
        Err(refuted(
            format!("{text}; the ideal ratio is {ideal:.2}x"),
            measured >= factor * (1.0 - CLOSE),
        ))
    }

    fn forecast(&self, model: &dyn Foresight, _strategy: &str, ideal: f64) -> Prediction {
        let factor = self.factor;
        if let Some(why) = model.outside_model(&self.than) {
            return Prediction::open(why);
        }
        let Some(than) = model.ideal_ms(&self.than) else {
            return Prediction::open("no prediction");
        };
        if ideal <= 0.0 {
            return Prediction::open("the strategy returns at once: no ratio to predict");
        }
        let ratio = than / ideal;
        let share = factor / ratio;
        let verdict = if factor > ratio * 1.000_001 {
            Verdict::Impossible { key: "factor" }
        } else if share > WARN_RATIO_SHARE {
            Verdict::Thin {
                key: "factor",
                safe: format!("{:.2}", floor2(ratio * SAFE_RATIO_SHARE)),
            }
        } else {
            Verdict::Safe
        };
        Prediction {
            predicted: format!("the ideal ratio is {ratio:.2}x"),
            margin: format!(
                "claims at least {factor}x: {:.0} % of the ideal",
                share * 100.0
            ),
            verdict,
        }
    }

    fn timing_scale(&self, ideal_ms: f64) -> Option<f64> {
        Some(ideal_ms)
    }
}
