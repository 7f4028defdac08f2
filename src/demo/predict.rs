//! What the ideal model predicts for each claim, before anything runs: the ratio a `faster` claim
//! can reach, the wall time a `wall` claim bounds, the peak of a `concurrency` claim, when a
//! `started` task starts. A claim the model contradicts is refused at validation, with the
//! predicted value; a claim whose margin is thinner than a real run can honour is a warning that
//! names a safe value. `lesson validate --explain` prints every forecast.
//!
//! Predictions are made only where the model is sure: blocking ops on one thread, for example,
//! make start times depend on who gets the thread first, so no `started` forecast is made there.

use crate::demo::expect::{Check, Claim};
use crate::demo::ideal::Shape;
use crate::demo::model::{Runtime, RuntimeFlavor};
use crate::demo::plan::Plan;
use crate::demo::strategy::{Named, Strategy};

/// A `faster` factor above this share of the ideal ratio fails now and then on a busy machine
/// (measured: at 75 % and below, none in hundreds of runs).
const SAFE_RATIO_SHARE: f64 = 0.75;
/// Above this share, warn.
const WARN_RATIO_SHARE: f64 = 0.8;
/// An upper bound on wall time or a start needs this much headroom over the ideal (and at least
/// [`SAFE_HEADROOM_MS`]).
const SAFE_HEADROOM: f64 = 1.25;
const SAFE_HEADROOM_MS: f64 = 20.0;

/// One claim's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Index of the claim in the demo (`expect.N`).
    pub index: usize,
    /// What the model predicts, in words ("ideal ratio 3.00x").
    pub predicted: String,
    /// The claim against the prediction, in words ("claims 2.5x: 83 % of the ideal").
    pub margin: String,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The model cannot say (no prediction for this kind or situation).
    Open,
    /// Within a safe margin.
    Safe,
    /// Holds in the model, but the margin is thin: `safe` names a safe value for `key`.
    Thin { key: &'static str, safe: String },
    /// The model contradicts the claim: it cannot hold.
    Impossible { key: &'static str },
}

/// A forecast for every claim of a demo, in order.
pub fn forecasts(
    plan: &Plan,
    runtime: &Runtime,
    strategies: &[Named],
    claims: &[Claim],
) -> Vec<Forecast> {
    let model = Model {
        plan,
        runtime,
        strategies,
    };
    let shape = Shape::new(plan, runtime);
    // The ideal model is tokio's: a claim only the asyncio run is judged on (where the two
    // differ, e.g. a teardown inside a cancelled task) is not forecast by it.
    claims
        .iter()
        .enumerate()
        .filter(|(_, claim)| claim.runtime != Some(crate::demo::expect::ClaimRuntime::Python))
        .map(|(index, claim)| model.forecast(index, claim, &shape))
        .collect()
}

/// The demo as the ideal model sees it.
struct Model<'a> {
    plan: &'a Plan,
    runtime: &'a Runtime,
    strategies: &'a [Named],
}

impl Model<'_> {
    fn plan(&self) -> &Plan {
        self.plan
    }

    fn strategy(&self, name: &str) -> Option<&Strategy> {
        self.strategies
            .iter()
            .find(|s| s.name == name)
            .map(|s| &s.strategy)
    }

    fn forecast(&self, index: usize, claim: &Claim, shape: &Shape) -> Forecast {
        let open = |predicted: String| Forecast {
            index,
            predicted,
            margin: String::new(),
            verdict: Verdict::Open,
        };
        let Some(strategy) = self.strategy(&claim.strategy) else {
            return open("no prediction".into());
        };
        let ideal = strategy.ideal_ms(shape);
        let fmt = crate::text::fmt_ms;
        match &claim.check {
            Check::Faster { than, factor } => {
                let Some(than) = self.strategy(than) else {
                    return open("no prediction".into());
                };
                if than.overhead_grows_with_size() {
                    return open(format!(
                        "`{}`'s cost at this size is outside the ideal model",
                        than.kind().as_str()
                    ));
                }
                if ideal <= 0.0 {
                    return open("the strategy returns at once: no ratio to predict".into());
                }
                let ratio = than.ideal_ms(shape) / ideal;
                let share = factor / ratio;
                let verdict = if *factor > ratio * 1.000_001 {
                    Verdict::Impossible { key: "factor" }
                } else if share > WARN_RATIO_SHARE {
                    Verdict::Thin {
                        key: "factor",
                        safe: format!("{:.2}", floor2(ratio * SAFE_RATIO_SHARE)),
                    }
                } else {
                    Verdict::Safe
                };
                Forecast {
                    index,
                    predicted: format!("the ideal ratio is {ratio:.2}x"),
                    margin: format!(
                        "claims at least {factor}x: {:.0} % of the ideal",
                        share * 100.0
                    ),
                    verdict,
                }
            }
            Check::Wall {
                at_least_ms,
                at_most_ms,
            } => {
                let predicted = format!("the ideal wall time is {}", fmt(ideal));
                let safe_max = headroom(ideal);
                let (verdict, margin) = match (*at_least_ms, *at_most_ms) {
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
                            fmt(hi as f64 - ideal)
                        ),
                    ),
                    (lo, hi) => (Verdict::Safe, bounds_text(lo, hi)),
                };
                Forecast {
                    index,
                    predicted,
                    margin,
                    verdict,
                }
            }
            Check::Concurrency { at_least, at_most } => {
                let Some(peak) = self.predicted_peak(strategy, shape) else {
                    return open("no prediction: blocking ops decide who runs first".into());
                };
                let (verdict, margin) = match (*at_least, *at_most) {
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
                Forecast {
                    index,
                    predicted: format!("the peak is {peak} at once"),
                    margin,
                    verdict,
                }
            }
            Check::Started {
                task,
                after_ms,
                before_ms,
            } => {
                let Some(starts) = self.predicted_starts(strategy, shape, task) else {
                    return open("no prediction: blocking ops decide who starts first".into());
                };
                let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
                let last = starts.iter().copied().fold(0.0, f64::max);
                let predicted = if last - first < 0.5 {
                    format!("`{task}` starts at {}", fmt(first))
                } else {
                    format!("`{task}` starts between {} and {}", fmt(first), fmt(last))
                };
                let safe_before = headroom(last);
                let (verdict, margin) = match (*after_ms, *before_ms) {
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
                            fmt(b as f64 - last)
                        ),
                    ),
                    (a, b) => (Verdict::Safe, bounds_text(a, b)),
                };
                Forecast {
                    index,
                    predicted,
                    margin,
                    verdict,
                }
            }
            _ => open("decided by what runs, not by timing".into()),
        }
    }

    /// Blocking ops on several runtime threads run in an order nobody promises. (On one thread
    /// the order is the poll order: see [`Shape::first_poll_starts`].)
    fn blocking_decides(&self, strategy: &Strategy) -> bool {
        self.runtime.flavor == RuntimeFlavor::MultiThread
            && !strategy.offloads()
            && self.plan().groups().any(|(_, op, _)| op.is_blocking())
    }

    /// Any blocking op that holds a runtime thread under `strategy`.
    fn holds_thread(&self, strategy: &Strategy) -> bool {
        !strategy.offloads() && self.plan().groups().any(|(_, op, _)| op.is_blocking())
    }

    /// The most tasks running at once, where the model is sure of it.
    fn predicted_peak(&self, strategy: &Strategy, shape: &Shape) -> Option<u32> {
        // A task that blocks starts and ends inside one poll: who overlaps whom is not a count
        // the model keeps.
        if self.holds_thread(strategy) {
            return None;
        }
        Some(strategy.peak(shape.len() as u32))
    }

    /// When each copy of `task` starts, in lesson ms, where the model is sure of it.
    fn predicted_starts(&self, strategy: &Strategy, shape: &Shape, task: &str) -> Option<Vec<f64>> {
        if self.blocking_decides(strategy) {
            return None;
        }
        let ids = self.plan().ids_of(task)?;
        // A nested resource starts inside its outer's body: the model schedules only the outer.
        if ids.end as usize > self.plan().roots() {
            return None;
        }
        let all = strategy.starts(shape);
        Some(ids.filter_map(|id| all.get(id as usize).copied()).collect())
    }
}

/// The upper bound a real run can honour over an ideal of `ideal_ms`.
fn headroom(ideal_ms: f64) -> f64 {
    (ideal_ms * SAFE_HEADROOM).max(ideal_ms + SAFE_HEADROOM_MS)
}

fn floor2(v: f64) -> f64 {
    (v * 100.0).floor() / 100.0
}

fn bounds_text(lo: Option<u64>, hi: Option<u64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("claims {lo} to {hi} ms"),
        (Some(lo), None) => format!("claims at least {lo} ms"),
        (None, Some(hi)) => format!("claims at most {hi} ms"),
        (None, None) => String::new(),
    }
}
