//! `concurrency`: the most tasks running at once under the strategy is within the bounds. The
//! recorder counts top-level tasks between their start and end (a nested resource runs inside
//! its outer one and is not counted twice).

use serde::Deserialize;

use super::{Foresight, Judging, Kind, Miss, Names, Prediction, Problem, Verdict, inverted, needs_one_of};

/// `kind = "concurrency"` with `at_most = 3` and/or `at_least = 2`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concurrency {
    #[serde(default)]
    pub at_least: Option<u32>,
    #[serde(default)]
    pub at_most: Option<u32>,
}

impl Kind for Concurrency {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("at_least", "the peak is at least this"),
        ("at_most", "the peak is at most this"),
    ];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, _: &Names) -> Vec<Problem> {
        let mut out = needs_one_of(
            "concurrency",
            &["at_most", "at_least"],
            &[self.at_most.is_some(), self.at_least.is_some()],
        );
        out.extend(inverted("at_least", "at_most", self.at_least, self.at_most));
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let peak = j.run.peak_concurrency;
        let text = match peak {
            1 => "at most 1 task ran at once".to_string(),
            n => format!("at most {n} tasks ran at once"),
        };
        match (self.at_least, self.at_most) {
            (Some(lo), _) if peak < lo => Err(Miss::from(format!("{text}; claimed at least {lo}"))),
            (_, Some(hi)) if peak > hi => Err(Miss::from(format!("{text}; claimed at most {hi}"))),
            _ => Ok(text),
        }
    }

    fn forecast(&self, model: &dyn Foresight, strategy: &str, _: f64) -> Prediction {
        let Some(peak) = model.peak(strategy) else {
            return Prediction::open("no prediction: blocking ops decide who runs first");
        };
        let (verdict, margin) = match (self.at_least, self.at_most) {
            (Some(lo), _) if lo > peak => (
                Verdict::Impossible { key: "at_least" },
                format!("claims at least {lo}"),
            ),
            (_, Some(hi)) if hi < peak => (
                Verdict::Impossible { key: "at_most" },
                format!("claims at most {hi}"),
            ),
            (lo, hi) => (
                Verdict::Safe,
                match (lo, hi) {
                    (Some(lo), Some(hi)) => format!("claims {lo} to {hi}"),
                    (Some(lo), None) => format!("claims at least {lo}"),
                    (None, Some(hi)) => format!("claims at most {hi}"),
                    (None, None) => String::new(),
                },
            ),
        };
        Prediction {
            predicted: format!("the peak is {peak} at once"),
            margin,
            verdict,
        }
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        None
    }
}
