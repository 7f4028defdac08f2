//! Expectations: the claims a demo makes, checked against what the run measured. Each verdict says
//! what was measured and, when the claim was not shown, why not.
//!
//! Thresholds in the lesson are in lesson milliseconds; measured times are divided by `--speed`
//! before comparing, so a lesson's claims hold at any speed.

use crate::demo::plan::Plan;
use crate::demo::report::{ExpectationResult, StrategyReport, TaskReport};
use crate::demo::spec::{DemoSpec, ExpectKind, ExpectSpec};

/// Timer slack when comparing times with thresholds (fraction of the threshold).
const SLACK: f64 = 0.005;

pub fn check(
    spec: &DemoSpec,
    plan: &Plan,
    runs: &[StrategyReport],
    speed: f64,
) -> Vec<ExpectationResult> {
    spec.expectations
        .iter()
        .map(|e| verdict(e, plan, runs, speed))
        .collect()
}

fn verdict(e: &ExpectSpec, plan: &Plan, runs: &[StrategyReport], speed: f64) -> ExpectationResult {
    let (shown, detail) = match judge(e, plan, runs, speed) {
        Ok(detail) => (true, detail),
        Err(detail) => (false, detail),
    };
    ExpectationResult {
        claim: e.claim.clone(),
        kind: e.kind.as_str().to_string(),
        strategy: e.strategy.clone(),
        shown,
        detail,
    }
}

fn find<'a>(runs: &'a [StrategyReport], name: &str) -> Result<&'a StrategyReport, String> {
    match runs.iter().find(|r| r.name == name) {
        Some(r) if r.interrupted => Err(format!("`{name}` was interrupted")),
        Some(r) => Ok(r),
        None => Err(format!("`{name}` did not run")),
    }
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// `Ok(what was measured)` when the claim holds, `Err(why not)` otherwise.
fn judge(
    e: &ExpectSpec,
    plan: &Plan,
    runs: &[StrategyReport],
    speed: f64,
) -> Result<String, String> {
    let run = find(runs, &e.strategy)?;
    let name = &run.name;
    let rows = || -> Result<Vec<&TaskReport>, String> {
        let task = e.task.as_deref().unwrap_or_default();
        let ids = plan
            .ids_of(task)
            .ok_or_else(|| format!("no task `{task}`"))?;
        Ok(ids.filter_map(|id| run.tasks.get(id as usize)).collect())
    };
    let lesson = |measured: f64| measured / speed;
    match e.kind {
        ExpectKind::Faster => {
            let than = find(runs, e.than.as_deref().unwrap_or_default())?;
            let factor = e.factor.unwrap_or(1.0);
            let ratio = if run.wall_ms > 0.0 {
                than.wall_ms / run.wall_ms
            } else {
                f64::INFINITY
            };
            let text = format!(
                "{name} took {}, {} took {}: {ratio:.2}x (claimed at least {factor}x)",
                ms(run.wall_ms),
                than.name,
                ms(than.wall_ms)
            );
            if ratio >= factor { Ok(text) } else { Err(text) }
        }
        ExpectKind::Outcome => {
            let want = e.outcome.unwrap_or(crate::demo::report::Outcome::Ok);
            let rows = rows()?;
            let wrong: Vec<String> = rows
                .iter()
                .filter(|t| t.outcome != want)
                .map(|t| format!("{} ended {}", t.name, t.outcome.as_str()))
                .collect();
            if wrong.is_empty() {
                Ok(format!(
                    "{} of {} ended {}",
                    rows.len(),
                    rows.len(),
                    want.as_str()
                ))
            } else {
                Err(summarize(&wrong, rows.len()))
            }
        }
        ExpectKind::Teardown => {
            let rows = rows()?;
            let mut set_up = 0;
            let mut missing = Vec::new();
            for t in &rows {
                let setup_done = t
                    .phases
                    .iter()
                    .any(|p| p.name == "setup" && p.end_ms.is_some());
                if !setup_done {
                    continue;
                }
                set_up += 1;
                if !t
                    .phases
                    .iter()
                    .any(|p| p.name == "teardown" && p.end_ms.is_some())
                {
                    missing.push(format!(
                        "{} ({}) has no finished teardown",
                        t.name,
                        t.outcome.as_str()
                    ));
                }
            }
            if set_up == 0 {
                Err("no copy finished its setup, so there was nothing to tear down".into())
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
                Err(summarize(&missing, rows.len()))
            }
        }
        ExpectKind::Error => match (&run.error, &e.contains) {
            (None, _) => {
                let failed = run.names(crate::demo::report::Outcome::Failed);
                Err(if failed.is_empty() {
                    format!("{name} returned no error")
                } else {
                    format!(
                        "{name} returned no error ({} failed, kept as values)",
                        failed.join(", ")
                    )
                })
            }
            (Some(err), Some(want)) if !err.contains(want.as_str()) => Err(format!(
                "{name} returned \"{err}\", which does not contain \"{want}\""
            )),
            (Some(err), _) => Ok(format!("{name} returned the error \"{err}\"")),
        },
        ExpectKind::NoError => match &run.error {
            Some(err) => Err(format!("{name} returned the error \"{err}\"")),
            None => Ok(format!(
                "{name} returned normally ({} ok, {} failed)",
                run.count(crate::demo::report::Outcome::Ok),
                run.count(crate::demo::report::Outcome::Failed)
            )),
        },
        ExpectKind::Concurrency => {
            let peak = run.peak_concurrency;
            let text = match peak {
                1 => "at most 1 task ran at once".to_string(),
                n => format!("at most {n} tasks ran at once"),
            };
            let low = e.at_least.is_some_and(|n| peak < n);
            let high = e.at_most.is_some_and(|n| peak > n);
            match (low, high) {
                (false, false) => Ok(text),
                (true, _) => Err(format!(
                    "{text}; claimed at least {}",
                    e.at_least.unwrap_or(0)
                )),
                (_, true) => Err(format!(
                    "{text}; claimed at most {}",
                    e.at_most.unwrap_or(0)
                )),
            }
        }
        ExpectKind::Started => {
            let rows = rows()?;
            let mut wrong = Vec::new();
            let mut starts = Vec::new();
            for t in &rows {
                let Some(start) = t.start_ms else {
                    wrong.push(format!("{} never started", t.name));
                    continue;
                };
                let at = lesson(start);
                starts.push(at);
                if let Some(after) = e.after_ms
                    && at < after as f64 * (1.0 - SLACK)
                {
                    wrong.push(format!(
                        "{} started at {} (lesson time), before {after} ms",
                        t.name,
                        ms(at)
                    ));
                }
                if let Some(before) = e.before_ms
                    && at > before as f64 * (1.0 + SLACK) + 1.0
                {
                    wrong.push(format!(
                        "{} started at {} (lesson time), after {before} ms",
                        t.name,
                        ms(at)
                    ));
                }
            }
            if wrong.is_empty() {
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
            } else {
                Err(summarize(&wrong, rows.len()))
            }
        }
        ExpectKind::Wall => {
            let at = lesson(run.wall_ms);
            let text = format!("{name} took {} (lesson time)", ms(at));
            if let Some(lo) = e.at_least_ms
                && at < lo as f64 * (1.0 - SLACK)
            {
                return Err(format!("{text}; claimed at least {lo} ms"));
            }
            if let Some(hi) = e.at_most_ms
                && at > hi as f64 * (1.0 + SLACK)
            {
                return Err(format!("{text}; claimed at most {hi} ms"));
            }
            Ok(text)
        }
    }
}

/// The first few items, and how many more.
fn summarize(items: &[String], of: usize) -> String {
    const SHOW: usize = 4;
    let mut s = items
        .iter()
        .take(SHOW)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOW {
        s.push_str(&format!(", and {} more (of {of})", items.len() - SHOW));
    }
    s
}
