//! `real_time`: the strategy took at most `at_most_ms` of the machine's real time, from its start
//! until it returned, however long its timers read. It is about a strategy on tokio's paused
//! clock (`clock = "paused"`), where the two clocks part: three 1 s sleeps read 3 s of lesson
//! time in microseconds of real time, which is why a test on the paused clock is instant.
//!
//! Real time is not lesson time: no speed scales it, and no allowance for fixed costs excuses a
//! miss (those are lesson-time allowances), so the bound must leave room for a busy machine. On
//! the real clock real time is lesson time divided by `--speed`, and a bound on it would mean
//! something else at every speed: validation refuses it there.

use serde::Deserialize;

use super::{CLOSE, Foresight, Judging, Kind, Miss, Names, Prediction, Problem, refuted};
use crate::text::{fmt_ms as ms, fmt_real_ms};

/// `kind = "real_time"` with `at_most_ms = 100`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealTime {
    pub at_most_ms: u64,
}

impl Kind for RealTime {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "at_most_ms",
        "the real time, on the machine's clock, is at most this",
    )];
    const DECIDED_BY_ORDER: bool = false;

    fn problems(&self, names: &Names) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.at_most_ms == 0 {
            out.push(Problem::at("at_most_ms", "at_most_ms must be at least 1"));
        }
        if names.strategies.contains(&names.strategy) && !names.paused.contains(&names.strategy) {
            out.push(Problem::at(
                "strategy",
                format!(
                    "expectation `real_time` is about a strategy on the paused clock, and `{}` runs on the real one, where real time is lesson time divided by --speed: give it clock = \"paused\", or claim its lesson time with `wall`",
                    names.strategy
                ),
            ));
        }
        out
    }

    fn judge(&self, j: &Judging) -> Result<String, Miss> {
        let run = j.run;
        let text = format!(
            "{} took {} of real time for {} of lesson time on the {} clock",
            run.name,
            fmt_real_ms(run.real_ms),
            ms(run.wall_ms),
            run.clock.as_str()
        );
        let hi = self.at_most_ms as f64;
        if run.real_ms <= hi {
            return Ok(text);
        }
        Err(refuted(
            format!("{text}; claimed at most {} of real time", ms(hi)),
            run.real_ms <= hi * (1.0 + CLOSE),
        ))
    }

    fn forecast(&self, _: &dyn Foresight, _: &str, _: f64) -> Prediction {
        Prediction::open(
            "real time is the machine's, outside the ideal model (on the paused clock the timers take none of it)",
        )
    }

    fn timing_scale(&self, _: f64) -> Option<f64> {
        // Lesson-time allowances and the speed do not touch it.
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::claim::{Check, Claim, TaskName, check};
    use crate::demo::kinds::{OpKind, StrategyKind};
    use crate::demo::model::Clock;
    use crate::demo::plan::{Plan, Task};
    use crate::demo::report::{Judgement, StrategyReport};

    /// A fabricated run of `sequential_paused`: 3 s of lesson time in `real_ms` of real time.
    fn run(real_ms: f64) -> StrategyReport {
        StrategyReport {
            name: "sequential_paused".into(),
            kind: StrategyKind::Sequential,
            detail: "one after another".into(),
            wall_ms: 3000.0,
            clock: Clock::Paused,
            real_ms,
            ideal_ms: 3000.0,
            overhead_ms: 0.0,
            // Even a huge lesson-time allowance excuses nothing here: real time is not lesson time.
            allowance_ms: 10_000.0,
            cpu_wait_ms: 0.0,
            speedup: None,
            peak_concurrency: 1,
            error: None,
            cleanup_ms: None,
            interrupted: false,
            tasks: Vec::new(),
        }
    }

    fn judged(real_ms: f64, at_most_ms: u64) -> crate::demo::report::ExpectationResult {
        let claim = Claim {
            index: 0,
            text: "the paused run takes next to no real time".into(),
            strategy: "sequential_paused".into(),
            check: Check::RealTime(RealTime { at_most_ms }),
            at: None,
            runtime: None,
        };
        let plan = Plan::new(&Vec::<Task>::new());
        check(&[claim], &plan, &[run(real_ms)]).remove(0)
    }

    #[test]
    fn the_bound_is_on_real_time_not_on_lesson_time() {
        // 3 s of lesson time in 0.3 ms: shown, in microseconds.
        let v = judged(0.3, 100);
        assert_eq!(v.judgement, Judgement::Shown, "{v:?}");
        assert_eq!(
            v.detail,
            "sequential_paused took 300 µs of real time for 3.00 s of lesson time on the paused clock"
        );
        // Over the bound: refuted whatever the allowance, narrowly within 15 %.
        let v = judged(110.0, 100);
        assert_eq!(v.judgement, Judgement::Refuted { close: true }, "{v:?}");
        assert!(v.detail.ends_with("claimed at most 100 ms of real time"), "{}", v.detail);
        let v = judged(3000.0, 100);
        assert_eq!(v.judgement, Judgement::Refuted { close: false }, "{v:?}");
    }

    #[test]
    fn a_strategy_on_the_real_clock_is_refused() {
        let tasks = [TaskName {
            name: "fetch",
            count: 3,
            op: OpKind::Sleep,
        }];
        let names = |strategy, paused: &'static [&'static str]| Names {
            strategy,
            strategies: &["sequential", "sequential_paused"],
            paused,
            tasks: &tasks,
        };
        let claim = RealTime { at_most_ms: 100 };
        assert_eq!(claim.problems(&names("sequential_paused", &["sequential_paused"])), []);
        let p = claim.problems(&names("sequential", &["sequential_paused"]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key, Some("strategy"));
        assert!(p[0].message.contains("divided by --speed"), "{p:?}");
        let p = RealTime { at_most_ms: 0 }.problems(&names("sequential_paused", &["sequential_paused"]));
        assert_eq!(p[0].key, Some("at_most_ms"));
    }
}
