//! What the ideal model predicts for each claim, before anything runs: the ratio a `faster` claim
//! can reach, the wall time a `wall` claim bounds, the peak of a `concurrency` claim, when a
//! `started` task starts. A claim the model contradicts is refused at validation, with the
//! predicted value; a claim whose margin is thinner than a real run can honour is a warning that
//! names a safe value. `lesson validate --explain` prints every forecast.
//!
//! Predictions are made only where the model is sure: blocking ops on one thread, for example,
//! make start times depend on who gets the thread first, so no `started` forecast is made there.

use crate::demo::claim::{Claim, Foresight, Prediction};
use crate::demo::ideal::Shape;
use crate::demo::model::{Clock, Runtime, RuntimeFlavor};
use crate::demo::plan::Plan;
use crate::demo::strategy::{Named, Strategy};

pub use crate::demo::claim::Verdict;

/// One claim's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The claim's `expect.N` ([`Claim::index`]).
    pub index: usize,
    /// What the model predicts, in words ("ideal ratio 3.00x").
    pub predicted: String,
    /// The claim against the prediction, in words ("claims 2.5x: 83 % of the ideal").
    pub margin: String,
    pub verdict: Verdict,
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
        .filter(|claim| claim.runtime != Some(crate::demo::claim::ClaimRuntime::Python))
        .map(|claim| model.forecast(claim.index, claim, &shape))
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
        // Each claim kind makes its own forecast from what the model answers (`Foresight`).
        let p = match self.strategy(&claim.strategy) {
            None => Prediction::open("no prediction"),
            Some(strategy) => {
                let seen = Seen { model: self, shape };
                claim
                    .check
                    .forecast(&seen, &claim.strategy, strategy.ideal_ms(shape))
            }
        };
        Forecast {
            index,
            predicted: p.predicted,
            margin: p.margin,
            verdict: p.verdict,
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

/// The model at one shape, as the claims' forecasts ask it.
struct Seen<'a> {
    model: &'a Model<'a>,
    shape: &'a Shape,
}

impl Foresight for Seen<'_> {
    fn ideal_ms(&self, name: &str) -> Option<f64> {
        Some(self.model.strategy(name)?.ideal_ms(self.shape))
    }

    fn outside_model(&self, name: &str) -> Option<String> {
        let s = self.model.strategy(name)?;
        s.overhead_grows_with_size().then(|| {
            format!(
                "`{}`'s cost at this size is outside the ideal model",
                s.kind().as_str()
            )
        })
    }

    fn peak(&self, name: &str) -> Option<u32> {
        self.model
            .predicted_peak(self.model.strategy(name)?, self.shape)
    }

    fn starts(&self, name: &str, task: &str) -> Option<Vec<f64>> {
        self.model
            .predicted_starts(self.model.strategy(name)?, self.shape, task)
    }

    fn paused(&self, name: &str) -> bool {
        self.model
            .strategies
            .iter()
            .any(|s| s.name == name && s.clock == Clock::Paused)
    }
}
