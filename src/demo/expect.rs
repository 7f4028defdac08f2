//! Expectations: the claims a demo makes, checked against what the run measured. Each verdict says
//! what was measured and, when the claim was not shown, why not.
//!
//! Everything is in lesson time (the recorder multiplies real time by the playback speed), so a
//! claim reads the same at any `--speed`. At a fast speed, fixed real-time costs (a runtime's
//! start, a timer firing on the next 1 ms tick) grow large in lesson time: each strategy's report
//! carries an `allowance_ms` for them, and timing claims that miss only by that much are shown
//! with a note. When the allowance is as large as what a claim measures, the claim is "not judged
//! at this speed": neither shown nor refuted. On a busy machine the report also carries
//! `cpu_wait_ms`, the time the run waited for a CPU other processes had (`demo/cpu_wait.rs`), and
//! timing claims allow for that too: it is the machine's doing, not the strategy's.

use crate::demo::model::Phase;
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
    /// Where the lesson writes it (`lessons/gather.toml:120`), when known.
    pub at: Option<String>,
    /// The one runtime whose run it is judged on (`runtime = "python"` in the lesson), where
    /// tokio and asyncio differ; `None`: judged on both.
    pub runtime: Option<ClaimRuntime>,
}

/// Which run a claim is about: the tokio run, or the same demo under Python's asyncio
/// (`lesson run --python`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimRuntime {
    Rust,
    Python,
}

/// What a claim checks, with its parameters. Times in lesson milliseconds; task names are a task
/// (every copy) or one copy (`fetch#2`).
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `than`'s wall time / the strategy's is at least `factor`.
    Faster { than: String, factor: f64 },
    /// Every copy of `task` ended as `outcome` (in `phase`, when named: the phase of a
    /// `resource` in which it failed or was cancelled).
    Outcome {
        task: String,
        outcome: Outcome,
        phase: Option<Phase>,
    },
    /// Every copy of `task` that was set up finished its teardown after the strategy returned
    /// (`after_return`), or before.
    Cleanup { task: String, after_return: bool },
    /// Every copy of `task` that started ended after the strategy returned (`after_return`), or
    /// before.
    Ended { task: String, after_return: bool },
    /// Every copy of `task` that finished its setup finished its teardown (and, with `before`,
    /// finished it before the matching copy of `before` began its own: innermost first).
    Teardown {
        task: String,
        before: Option<String>,
    },
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
            Check::Cleanup { .. } => "cleanup",
            Check::Ended { .. } => "ended",
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

pub fn check(claims: &[Claim], plan: &Plan, runs: &[StrategyReport]) -> Vec<ExpectationResult> {
    claims.iter().map(|e| verdict(e, plan, runs)).collect()
}

fn verdict(e: &Claim, plan: &Plan, runs: &[StrategyReport]) -> ExpectationResult {
    let (shown, judged, close, detail) =
        match judge(e, plan, runs).map_err(|m| stalled(e, plan, runs, m)) {
            Ok(detail) => (true, true, false, detail),
            Err(Miss {
                judged,
                close,
                detail,
            }) => (false, judged, close, detail),
        };
    ExpectationResult {
        claim: e.text.clone(),
        kind: e.check.kind().to_string(),
        strategy: e.strategy.clone(),
        shown,
        judged,
        close,
        detail,
        at: e.at.clone(),
    }
}

/// A claim about what happened (who was cancelled, which error surfaced, when cleanup finished)
/// turns on the order of events. A runtime thread kept off the CPU for longer than the time
/// between two of them wakes to find both due, and handles them in its own order: a sibling
/// meant to be cancelled at 100 ms has already finished at 300. Such a miss says nothing about
/// the claim, so it is "not judged", naming the wait; timing claims allow for the wait instead.
fn stalled(e: &Claim, plan: &Plan, runs: &[StrategyReport], miss: Miss) -> Miss {
    let decided_by_order = matches!(
        e.check,
        Check::Outcome { .. }
            | Check::Error { .. }
            | Check::NoError
            | Check::Cleanup { .. }
            | Check::Teardown { .. }
            | Check::Ended { .. }
    );
    let Some(run) = runs.iter().find(|r| r.name == e.strategy) else {
        return miss;
    };
    if !miss.judged || !decided_by_order || run.cpu_wait_ms <= 0.0 {
        return miss;
    }
    let gap = closest_events_ms(plan, run);
    if run.cpu_wait_ms < gap {
        return miss;
    }
    not_judged(format!(
        "not judged: the machine kept this run waiting {} for a CPU, longer than the {} between the events this claim turns on ({}); run it again when the machine is quieter",
        ms(run.cpu_wait_ms),
        ms(gap),
        miss.detail
    ))
}

/// The shortest time between two events the demo schedules (tasks ending or failing, the
/// strategy's own end), in lesson ms: a stall longer than that can swap them.
fn closest_events_ms(plan: &Plan, run: &StrategyReport) -> f64 {
    let mut times: Vec<f64> = plan
        .groups()
        .flat_map(|(_, op, _)| [Some(op.ideal_ms()), op.fails_at().map(|t| t as f64)])
        .flatten()
        .chain([run.ideal_ms])
        .collect();
    times.sort_by(f64::total_cmp);
    times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.5)
        .fold(f64::INFINITY, f64::min)
}

/// Why a claim was not shown: the run refutes it (`judged`), or it could not tell.
struct Miss {
    judged: bool,
    close: bool,
    detail: String,
}

impl From<String> for Miss {
    fn from(detail: String) -> Miss {
        Miss {
            judged: true,
            close: false,
            detail,
        }
    }
}

fn not_judged(detail: String) -> Miss {
    Miss {
        judged: false,
        close: false,
        detail,
    }
}

/// Refuted by less than this share of the claimed value: noise on a busy machine could do it.
const CLOSE: f64 = 0.15;

fn refuted(detail: String, close: bool) -> Miss {
    Miss {
        judged: true,
        close,
        detail,
    }
}

fn find<'a>(runs: &'a [StrategyReport], name: &str) -> Result<&'a StrategyReport, Miss> {
    match runs.iter().find(|r| r.name == name) {
        Some(r) if r.interrupted => {
            Err(not_judged(format!("not judged: `{name}` was interrupted")))
        }
        Some(r) => Ok(r),
        None => Err(not_judged(format!("not judged: `{name}` did not run"))),
    }
}

/// The allowance swamps what is measured: a claim about `ideal_ms` of work cannot be judged
/// when fixed costs of `allowance_ms` may hide in it.
fn swamped(run: &StrategyReport, ms_measured: f64) -> bool {
    run.allowance_ms * 2.0 > ms_measured
}

/// What a timing claim about `run` allows for: fixed costs at this speed, and the time the
/// machine kept the run waiting for a CPU (`demo/cpu_wait.rs`): neither is the strategy's doing.
fn slack(run: &StrategyReport) -> f64 {
    run.allowance_ms + run.cpu_wait_ms
}

/// "the 3.2 ms allowed for fixed costs at this speed" (and the CPU wait, when there was one).
fn slack_text(run: &StrategyReport) -> String {
    if run.cpu_wait_ms >= 0.5 {
        format!(
            "the {} allowed for fixed costs at this speed and the {} this run waited for a CPU other processes had",
            ms(run.allowance_ms),
            ms(run.cpu_wait_ms)
        )
    } else {
        format!(
            "the {} allowed for fixed costs at this speed",
            ms(run.allowance_ms)
        )
    }
}

fn swamped_text(run: &StrategyReport, what_ms: f64) -> String {
    format!(
        "not judged at this speed: fixed costs of up to {} (a runtime's start, timer ticks) are as large as the {} it turns on; a slower --speed judges it",
        ms(run.allowance_ms),
        ms(what_ms)
    )
}

fn blurred_text(run: &StrategyReport, at: f64, bound: f64) -> String {
    format!(
        "not judged at this speed: it took {}, more than twice the {} claimed, but fixed costs of up to {} at this speed could explain it; a slower --speed judges it",
        ms(at),
        ms(bound),
        ms(slack(run))
    )
}

/// Whether each of `ends` (a copy and when it `did` something, if it did) came after the
/// strategy's caller got control back (`after_return`) or before. `Err(None)`: no copy to judge.
fn ended_vs_return<'a>(
    ends: impl Iterator<Item = (&'a TaskReport, Option<f64>)>,
    run: &StrategyReport,
    after_return: bool,
    did: &str,
) -> Result<String, Option<String>> {
    let mut wrong = Vec::new();
    let mut seen = Vec::new();
    let mut judged = 0;
    for (t, end) in ends {
        judged += 1;
        let Some(end) = end else {
            wrong.push(format!("{} never {did}", t.name));
            continue;
        };
        seen.push(end);
        if (end > run.wall_ms) != after_return {
            wrong.push(format!(
                "{} {did} at {}, {} the caller got control back at {}",
                t.name,
                ms(end),
                if end > run.wall_ms { "after" } else { "before" },
                ms(run.wall_ms)
            ));
        }
    }
    if seen.is_empty() && wrong.is_empty() {
        return Err(None);
    }
    if wrong.is_empty() {
        let last = seen.iter().copied().fold(0.0, f64::max);
        // The closest call decides the claim: say by how much, finely when it is close (an
        // asyncio loser ends microseconds after `asyncio.wait` returned, and that is the point).
        let closest = seen
            .iter()
            .map(|end| (end - run.wall_ms).abs())
            .fold(f64::INFINITY, f64::min);
        let gap = if closest < 1.0 {
            format!("{:.0} µs", closest * 1000.0)
        } else {
            ms(closest)
        };
        Ok(format!(
            "{} by {}, the closest {gap} {} the caller got control back at {}",
            if did == "ended" {
                "ended"
            } else {
                "teardown finished"
            },
            ms(last),
            if after_return { "after" } else { "before" },
            ms(run.wall_ms)
        ))
    } else {
        Err(Some(summarize(&wrong, judged)))
    }
}

/// Every copy in `inner` that was torn down finished its teardown before the matching copy of
/// `outer` began its own (copy N with copy N, or every copy with a single `outer`).
fn teardown_order(
    inner: &[&TaskReport],
    outer: &[&TaskReport],
    name: &str,
) -> Result<String, Miss> {
    let teardown = |t: &TaskReport| t.phases.iter().find(|p| p.name == "teardown").cloned();
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

/// `Ok(what was measured)` when the claim holds, `Err(why not)` otherwise.
fn judge(e: &Claim, plan: &Plan, runs: &[StrategyReport]) -> Result<String, Miss> {
    let run = find(runs, &e.strategy)?;
    let name = &run.name;
    let rows = |task: &str| -> Result<Vec<&TaskReport>, String> {
        let ids = plan
            .ids_of(task)
            .ok_or_else(|| format!("no task `{task}`"))?;
        Ok(ids.filter_map(|id| run.tasks.get(id as usize)).collect())
    };
    let rows_of = |task: &str| rows(task).map_err(Miss::from);
    let lesson = |measured: f64| measured;
    match &e.check {
        Check::Faster { than, factor } => {
            let (than, factor) = (find(runs, than)?, *factor);
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
            // Fixed costs only slow the faster strategy down: take them off its wall time.
            // Fixed costs and a wait for the CPU only slow the faster strategy down: take them
            // off its wall time. The slower one's wait for the CPU comes off too, so a busy
            // moment during `than` cannot make a claim look truer than it is.
            // A thread's wait is not all on the critical path (a wait while another timer was
            // still running cost nothing), so neither side is taken below its ideal.
            // And never more than the time the claim allows the faster one (the slower one's
            // time over the factor): an allowance does not excuse a miss larger than the claim.
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
        Check::Outcome {
            task,
            outcome,
            phase,
        } => {
            let want = *outcome;
            let rows = rows(task)?;
            let wrong: Vec<String> = rows
                .iter()
                .filter_map(|t| {
                    let cut = t.cut_in.as_deref().unwrap_or("no phase");
                    if t.outcome != want {
                        Some(format!("{} ended {}", t.name, t.outcome.as_str()))
                    } else if phase.is_some_and(|p| p.as_str() != cut) {
                        Some(format!("{} ended {} in {cut}", t.name, t.outcome.as_str()))
                    } else {
                        None
                    }
                })
                .collect();
            let within = phase.map_or(String::new(), |p| format!(" in {}", p.as_str()));
            if wrong.is_empty() {
                Ok(format!(
                    "{} of {} ended {}{within}",
                    rows.len(),
                    rows.len(),
                    want.as_str()
                ))
            } else {
                Err(Miss::from(summarize(&wrong, rows.len())))
            }
        }
        Check::Cleanup { task, after_return } => {
            // Only copies that have a teardown (a setup that failed acquired nothing).
            let ends = rows(task)?.into_iter().filter_map(|t| {
                let teardown = t.phases.iter().find(|p| p.name == "teardown")?;
                Some((t, teardown.end_ms))
            });
            ended_vs_return(ends, run, *after_return, "finished its teardown")
                .map_err(|none| {
                    none.unwrap_or_else(|| format!("no copy of `{task}` had a teardown"))
                })
                .map_err(Miss::from)
        }
        Check::Ended { task, after_return } => {
            let ends = rows(task)?
                .into_iter()
                .filter(|t| t.start_ms.is_some())
                .map(|t| (t, t.end_ms));
            ended_vs_return(ends, run, *after_return, "ended")
                .map_err(|none| none.unwrap_or_else(|| format!("no copy of `{task}` started")))
                .map_err(Miss::from)
        }
        Check::Teardown { task, before } => {
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
            if let Some(outer) = before
                && missing.is_empty()
            {
                return teardown_order(&rows, &rows_of(outer)?, outer);
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
        Check::Error { contains } => match (&run.error, contains) {
            (None, _) => {
                let failed = run.names(Outcome::Failed);
                Err(Miss::from(if failed.is_empty() {
                    format!("{name} returned no error")
                } else {
                    format!(
                        "{name} returned no error ({} failed, kept as values)",
                        failed.join(", ")
                    )
                }))
            }
            (Some(err), Some(want)) if !err.contains(want.as_str()) => Err(Miss::from(format!(
                "{name} returned \"{err}\", which does not contain \"{want}\""
            ))),
            (Some(err), _) => Ok(format!("{name} returned the error \"{err}\"")),
        },
        Check::NoError => match &run.error {
            Some(err) => Err(Miss::from(format!("{name} returned the error \"{err}\""))),
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
                (true, _) => Err(Miss::from(format!(
                    "{text}; claimed at least {}",
                    at_least.unwrap_or(0)
                ))),
                (_, true) => Err(Miss::from(format!(
                    "{text}; claimed at most {}",
                    at_most.unwrap_or(0)
                ))),
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
            // Late by no more than the fixed costs: shown with a note.
            let mut allowed = false;
            // Late by more, but so little that fixed costs are as large as the bound itself.
            let mut unjudgeable = false;
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
                    // As for `wall`: fixed costs excuse a miss up to the bound itself, blur it
                    // up to all of them, and a later start refutes the claim.
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
                return Err(not_judged(swamped_text(run, before_ms.unwrap_or(0) as f64)));
            }
            if wrong.is_empty() && allowed {
                return Ok(format!(
                    "started by {} (lesson time), within {}",
                    ms(starts.iter().copied().fold(0.0, f64::max)),
                    slack_text(run)
                ));
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
                Err(Miss::from(summarize(&wrong, rows.len())))
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
                Err(Miss::from(format!(
                    "{text}; claimed at least {}",
                    at_least.unwrap_or(0)
                )))
            } else if at_most.is_some_and(|hi| n > hi) {
                Err(Miss::from(format!(
                    "{text}; claimed at most {}",
                    at_most.unwrap_or(0)
                )))
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
                return Err(Miss::from(format!("{text}; claimed at least {lo} ms")));
            }
            if let Some(hi) = *at_most_ms
                && at > hi as f64 * (1.0 + SLACK)
            {
                let hi = hi as f64;
                // Fixed costs excuse a miss only up to the claim's own scale: a "within 20 ms"
                // that took 462 ms is never shown, whatever the allowance at this speed.
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
