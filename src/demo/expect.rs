//! Expectations: the claims a demo makes, checked against what the run measured. Each verdict says
//! what was measured and, when the claim was not shown, why not.
//!
//! Thresholds in the lesson are in lesson milliseconds; measured times are divided by `--speed`
//! before comparing, so a lesson's claims hold at any speed.

use crate::demo::plan::Plan;
use crate::demo::report::{ExpectationResult, Outcome, StrategyReport, TaskReport};
use crate::text::fmt_ms as ms;

/// A claim a demo makes, validated: the sentence shown to the learner, the strategy it is about,
/// and what to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub text: String,
    pub strategy: String,
    pub check: Check,
}

/// What a claim checks, with its parameters. Times in lesson milliseconds; task names are a task
/// (every copy) or one copy (`fetch#2`).
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `than`'s wall time / the strategy's is at least `factor`.
    Faster { than: String, factor: f64 },
    /// Every copy of `task` ended as `outcome`.
    Outcome { task: String, outcome: Outcome },
    /// Every copy of `task` that finished its setup finished its teardown.
    Teardown { task: String },
    /// The strategy's caller got an error (containing `contains`).
    Error { contains: Option<String> },
    /// The strategy's caller got no error.
    NoError,
    /// The peak number of tasks running at once is within the bounds.
    Concurrency {
        at_least: Option<u32>,
        at_most: Option<u32>,
    },
    /// `task` started within the bounds, measured from the strategy's start.
    Started {
        task: String,
        after_ms: Option<u64>,
        before_ms: Option<u64>,
    },
    /// The strategy's wall time is within the bounds.
    Wall {
        at_least_ms: Option<u64>,
        at_most_ms: Option<u64>,
    },
    /// The demo server connections that served `task` (every task when `None`) are within the
    /// bounds: one shared client reuses a few, a client per request opens one each.
    Connections {
        task: Option<String>,
        at_least: Option<u32>,
        at_most: Option<u32>,
    },
}

impl Check {
    /// The name lesson files use for this kind of claim.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Faster { .. } => "faster",
            Check::Outcome { .. } => "outcome",
            Check::Teardown { .. } => "teardown",
            Check::Error { .. } => "error",
            Check::NoError => "no_error",
            Check::Concurrency { .. } => "concurrency",
            Check::Started { .. } => "started",
            Check::Wall { .. } => "wall",
            Check::Connections { .. } => "connections",
        }
    }
}

/// Timer slack when comparing times with thresholds (fraction of the threshold).
const SLACK: f64 = 0.005;

pub fn check(
    claims: &[Claim],
    plan: &Plan,
    runs: &[StrategyReport],
    speed: f64,
) -> Vec<ExpectationResult> {
    claims
        .iter()
        .map(|e| verdict(e, plan, runs, speed))
        .collect()
}

fn verdict(e: &Claim, plan: &Plan, runs: &[StrategyReport], speed: f64) -> ExpectationResult {
    let (shown, detail) = match judge(e, plan, runs, speed) {
        Ok(detail) => (true, detail),
        Err(detail) => (false, detail),
    };
    ExpectationResult {
        claim: e.text.clone(),
        kind: e.check.kind().to_string(),
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

/// `Ok(what was measured)` when the claim holds, `Err(why not)` otherwise.
fn judge(e: &Claim, plan: &Plan, runs: &[StrategyReport], speed: f64) -> Result<String, String> {
    let run = find(runs, &e.strategy)?;
    let name = &run.name;
    let rows = |task: &str| -> Result<Vec<&TaskReport>, String> {
        let ids = plan
            .ids_of(task)
            .ok_or_else(|| format!("no task `{task}`"))?;
        Ok(ids.filter_map(|id| run.tasks.get(id as usize)).collect())
    };
    let lesson = |measured: f64| measured / speed;
    match &e.check {
        Check::Faster { than, factor } => {
            let (than, factor) = (find(runs, than)?, *factor);
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
        Check::Outcome { task, outcome } => {
            let want = *outcome;
            let rows = rows(task)?;
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
        Check::Teardown { task } => {
            let rows = rows(task)?;
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
        Check::Error { contains } => match (&run.error, contains) {
            (None, _) => {
                let failed = run.names(Outcome::Failed);
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
        Check::NoError => match &run.error {
            Some(err) => Err(format!("{name} returned the error \"{err}\"")),
            None => Ok(format!(
                "{name} returned normally ({} ok, {} failed)",
                run.count(Outcome::Ok),
                run.count(Outcome::Failed)
            )),
        },
        Check::Concurrency { at_least, at_most } => {
            let peak = run.peak_concurrency;
            let text = match peak {
                1 => "at most 1 task ran at once".to_string(),
                n => format!("at most {n} tasks ran at once"),
            };
            let low = at_least.is_some_and(|n| peak < n);
            let high = at_most.is_some_and(|n| peak > n);
            match (low, high) {
                (false, false) => Ok(text),
                (true, _) => Err(format!(
                    "{text}; claimed at least {}",
                    at_least.unwrap_or(0)
                )),
                (_, true) => Err(format!("{text}; claimed at most {}", at_most.unwrap_or(0))),
            }
        }
        Check::Started {
            task,
            after_ms,
            before_ms,
        } => {
            let rows = rows(task)?;
            let mut wrong = Vec::new();
            let mut starts = Vec::new();
            for t in &rows {
                let Some(start) = t.start_ms else {
                    wrong.push(format!("{} never started", t.name));
                    continue;
                };
                let at = lesson(start);
                starts.push(at);
                if let Some(after) = *after_ms
                    && at < after as f64 * (1.0 - SLACK)
                {
                    wrong.push(format!(
                        "{} started at {} (lesson time), before {after} ms",
                        t.name,
                        ms(at)
                    ));
                }
                if let Some(before) = *before_ms
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
        Check::Connections {
            task,
            at_least,
            at_most,
        } => {
            let (rows, whose) = match task {
                Some(task) => (rows(task)?, format!("{task}: ")),
                None => (run.tasks.iter().collect(), String::new()),
            };
            let requests: usize = rows.iter().map(|t| t.connections.len()).sum();
            let mut used: Vec<u64> = rows.iter().flat_map(|t| t.connections.clone()).collect();
            used.sort_unstable();
            used.dedup();
            let n = used.len() as u32;
            let text = format!(
                "{whose}{requests} request{} on {n} connection{}",
                if requests == 1 { "" } else { "s" },
                if n == 1 { "" } else { "s" }
            );
            if at_least.is_some_and(|lo| n < lo) {
                Err(format!(
                    "{text}; claimed at least {}",
                    at_least.unwrap_or(0)
                ))
            } else if at_most.is_some_and(|hi| n > hi) {
                Err(format!("{text}; claimed at most {}", at_most.unwrap_or(0)))
            } else {
                Ok(text)
            }
        }
        Check::Wall {
            at_least_ms,
            at_most_ms,
        } => {
            let at = lesson(run.wall_ms);
            let text = format!("{name} took {} (lesson time)", ms(at));
            if let Some(lo) = *at_least_ms
                && at < lo as f64 * (1.0 - SLACK)
            {
                return Err(format!("{text}; claimed at least {lo} ms"));
            }
            if let Some(hi) = *at_most_ms
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
