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

use crate::demo::kinds::{ParamError, parse_params};
use crate::demo::plan::Plan;
use crate::demo::report::{ExpectationResult, Judgement, StrategyReport, TaskReport};
use crate::text::fmt_ms as ms;

pub use crate::demo::kinds::ExpectKind;
use crate::demo::kinds::OpKind;

/// A claim a demo makes, validated: the sentence shown to the learner, the strategy it is about,
/// and what to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Its place among the demo's `[[demo.expect]]` tables (`expect.N`): a claim whose table
    /// does not parse is left out of the demo, so positions in a demo's claims may skip.
    pub index: usize,
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

/// What one claim kind's module knows about it. Every item is required: a new kind states each
/// of them, none is inherited by accident.
pub(crate) trait Kind: Sized {
    /// Its lesson-file parameters, each with what it means (a test checks the list against the
    /// struct): the missing- and unknown-key messages come from it.
    const PARAMS: &'static [(&'static str, &'static str)];
    /// Whether it is decided by the order of events (who was cancelled, which error surfaced),
    /// not by how long they took: a run kept off the CPU longer than the gap between those
    /// events cannot judge it (see `stalled`), where a timing claim allows for the wait.
    const DECIDED_BY_ORDER: bool;

    /// What serde cannot check: references to the demo's strategies and tasks, ranges.
    fn problems(&self, names: &Names) -> Vec<Problem>;
    /// `Ok(what was measured)` when the claim holds, `Err(why not)` otherwise.
    fn judge(&self, run: &Judging) -> Result<String, Miss>;
    /// What the ideal model says of it before the run (`ideal_ms`: the strategy's ideal time).
    fn forecast(&self, model: &dyn Foresight, strategy: &str, ideal_ms: f64) -> Prediction;
    /// The time the claim turns on (its bound, or the strategy's ideal time for a ratio), which
    /// fixed costs must stay well under for the claim to be judged; `None`: not a timing claim.
    fn timing_scale(&self, ideal_ms: f64) -> Option<f64>;
}

/// Called with the list of claim kinds (`claim_list!` in `demo/kinds.rs`): it writes the
/// [`Check`] enum (one variant per module's parameters struct) and every delegating match, so
/// no code elsewhere matches over claim kinds.
macro_rules! claims {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        $(pub mod $module;)*

        /// What a claim checks, with its parameters. Times in lesson milliseconds; task names
        /// are a task (every copy) or one copy (`fetch#2`).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Check {
            $($(#[$doc])* $variant($module::$variant),)*
        }

        impl Check {
            /// The kind of claim, whose `as_str` lesson files use.
            pub fn kind(&self) -> ExpectKind {
                match self {
                    $(Check::$variant(_) => ExpectKind::$variant,)*
                }
            }

            /// `kind`'s parameters from the keys of its table (the common keys taken out).
            pub(crate) fn from_table(
                kind: ExpectKind,
                params: toml::Table,
            ) -> Result<Self, Vec<ParamError>> {
                let what = format!("expectation `{}`", kind.as_str());
                let common = "`claim`, `kind`, `strategy` and `runtime`";
                Ok(match kind {
                    $(ExpectKind::$variant => Check::$variant(parse_params(
                        &what,
                        <$module::$variant as Kind>::PARAMS,
                        common,
                        params,
                    )?),)*
                })
            }

            /// Every kind's keys: listed in `PARAMS`, and as serde sees them (for their test).
            #[cfg(test)]
            fn params_of(kind: ExpectKind) -> (Vec<String>, Vec<String>) {
                match kind {
                    $(ExpectKind::$variant => crate::demo::kinds::listed_and_serde_keys::<
                        $module::$variant,
                    >(<$module::$variant as Kind>::PARAMS),)*
                }
            }

            fn decided_by_order(&self) -> bool {
                match self {
                    $(Check::$variant(_) => <$module::$variant as Kind>::DECIDED_BY_ORDER,)*
                }
            }

            /// Problems with its references and values.
            pub(crate) fn problems(&self, names: &Names) -> Vec<Problem> {
                match self {
                    $(Check::$variant(c) => c.problems(names),)*
                }
            }

            fn judge(&self, run: &Judging) -> Result<String, Miss> {
                match self {
                    $(Check::$variant(c) => c.judge(run),)*
                }
            }

            /// What the ideal model says of it before the run.
            pub(crate) fn forecast(
                &self,
                model: &dyn Foresight,
                strategy: &str,
                ideal_ms: f64,
            ) -> Prediction {
                match self {
                    $(Check::$variant(c) => c.forecast(model, strategy, ideal_ms),)*
                }
            }

            /// The time a timing claim turns on; `None` for the others.
            pub(crate) fn timing_scale(&self, ideal_ms: f64) -> Option<f64> {
                match self {
                    $(Check::$variant(c) => c.timing_scale(ideal_ms),)*
                }
            }
        }
    };
}

claim_list!(claims);

/// `finished` of a `cleanup` or `ended` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CleanupTiming {
    BeforeReturn,
    AfterReturn,
}

/// A problem of a claim's table: `key` is the key at fault (`None`: the table as a whole, shown
/// at its `kind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub key: Option<&'static str>,
    pub message: String,
}

impl Problem {
    pub(crate) fn at(key: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            key: Some(key),
            message: message.into(),
        }
    }

    pub(crate) fn of_table(message: impl Into<String>) -> Problem {
        Problem {
            key: None,
            message: message.into(),
        }
    }
}

/// What a claim's `problems` may check its references against: the demo's strategy names and
/// tasks (the loader builds it from the demo's tables).
#[derive(Clone, Copy)]
pub(crate) struct Names<'a> {
    /// The strategy the claim is about.
    pub strategy: &'a str,
    /// Every strategy name of the demo, sorted.
    pub strategies: &'a [&'a str],
    /// The strategies on tokio's paused clock, sorted.
    pub paused: &'a [&'a str],
    pub tasks: &'a [TaskName<'a>],
}

/// A task of the demo as claims see it.
pub(crate) struct TaskName<'a> {
    pub name: &'a str,
    pub count: u32,
    pub op: OpKind,
}

impl<'a> Names<'a> {
    /// `fetch` (every copy) or `fetch#2` (one copy, 1-based).
    pub(crate) fn resolve(&self, name: &str) -> Option<&TaskName<'a>> {
        if let Some(t) = self.tasks.iter().find(|t| t.name == name) {
            return Some(t);
        }
        let (base, n) = name.rsplit_once('#')?;
        let n: u32 = n.parse().ok()?;
        let t = self.tasks.iter().find(|t| t.name == base)?;
        (n >= 1 && n <= t.count).then_some(t)
    }

    /// The task `key` names, or the problem that it names none.
    pub(crate) fn task(&self, key: &'static str, name: &str) -> Result<&TaskName<'a>, Problem> {
        self.resolve(name).ok_or_else(|| {
            let names: Vec<&str> = self.tasks.iter().map(|t| t.name).collect();
            Problem::at(
                key,
                format!(
                    "task `{name}` is not one of this demo's tasks ({}); a single copy is `name#N` with N from 1 to count",
                    names.join(", ")
                ),
            )
        })
    }

    /// The task `key` names, which must be a `resource` (it has a teardown).
    pub(crate) fn resource(&self, key: &'static str, name: &str) -> Vec<Problem> {
        match self.task(key, name) {
            Err(p) => vec![p],
            Ok(t) if !t.op.has_body() => vec![Problem::at(
                key,
                format!("task `{name}` is not a `resource` task, so it has no teardown"),
            )],
            Ok(_) => Vec::new(),
        }
    }

    /// The strategy `key` names, other than the claim's own.
    pub(crate) fn other_strategy(&self, key: &'static str, name: &str) -> Vec<Problem> {
        if !self.strategies.contains(&name) {
            vec![Problem::at(
                key,
                format!(
                    "strategy `{name}` is not one of this demo's strategies ({})",
                    self.strategies.join(", ")
                ),
            )]
        } else if name == self.strategy {
            vec![Problem::at(
                key,
                "a strategy cannot be compared with itself",
            )]
        } else {
            Vec::new()
        }
    }
}

/// A `lo` greater than `hi` (both given): reported at `lo_key`.
pub(crate) fn inverted<T: PartialOrd>(
    lo_key: &'static str,
    hi_key: &'static str,
    lo: Option<T>,
    hi: Option<T>,
) -> Vec<Problem> {
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo > hi => vec![Problem::at(
            lo_key,
            format!("{lo_key} is greater than {hi_key}"),
        )],
        _ => Vec::new(),
    }
}

/// A kind that needs one of several optional keys, none given.
pub(crate) fn needs_one_of(kind: &str, keys: &[&str], given: &[bool]) -> Vec<Problem> {
    if given.iter().any(|g| *g) {
        Vec::new()
    } else {
        vec![Problem::of_table(format!(
            "expectation `{kind}` needs `{}`",
            keys.join("` or `")
        ))]
    }
}

/// What the ideal model can be asked before a run (`demo/predict.rs` answers).
pub(crate) trait Foresight {
    /// The ideal time of strategy `name`, in lesson ms.
    fn ideal_ms(&self, name: &str) -> Option<f64>;
    /// Why the model cannot say how long strategy `name` takes here (its own cost grows with
    /// the number of tasks), if so.
    fn outside_model(&self, name: &str) -> Option<String>;
    /// The most tasks running at once under `name`, where the model is sure of it.
    fn peak(&self, name: &str) -> Option<u32>;
    /// When each copy of `task` starts under `name`, in lesson ms, where the model is sure.
    fn starts(&self, name: &str, task: &str) -> Option<Vec<f64>>;
    /// Whether strategy `name` runs on tokio's paused clock, where lesson time is exact: it
    /// stands still while the runtime works and jumps from one timer's deadline to the next.
    fn paused(&self, name: &str) -> bool;
}

/// What the model says of a claim: the prediction, the claim against it, and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// What the model predicts, in words ("ideal ratio 3.00x").
    pub predicted: String,
    /// The claim against the prediction, in words ("claims 2.5x: 83 % of the ideal").
    pub margin: String,
    pub verdict: Verdict,
}

impl Prediction {
    /// No verdict: the model cannot say, for the reason given.
    pub(crate) fn open(predicted: impl Into<String>) -> Prediction {
        Prediction {
            predicted: predicted.into(),
            margin: String::new(),
            verdict: Verdict::Open,
        }
    }

    /// The model has nothing to say about a claim decided by what runs.
    pub(crate) fn by_what_runs() -> Prediction {
        Prediction::open("decided by what runs, not by timing")
    }
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

/// A `faster` factor above this share of the ideal ratio fails now and then on a busy machine
/// (measured: at 75 % and below, none in hundreds of runs).
const SAFE_RATIO_SHARE: f64 = 0.75;
/// Above this share, warn.
const WARN_RATIO_SHARE: f64 = 0.8;
/// An upper bound on wall time or a start needs this much headroom over the ideal (and at least
/// [`SAFE_HEADROOM_MS`]).
const SAFE_HEADROOM: f64 = 1.25;
const SAFE_HEADROOM_MS: f64 = 20.0;

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

/// What a claim's `judge` reads: the plan, every run, and the run of the claim's strategy.
pub(crate) struct Judging<'a> {
    pub plan: &'a Plan,
    pub runs: &'a [StrategyReport],
    pub run: &'a StrategyReport,
}

impl<'a> Judging<'a> {
    /// The copies of `task` in this run.
    fn rows(&self, task: &str) -> Result<Vec<&'a TaskReport>, Miss> {
        let ids = self
            .plan
            .ids_of(task)
            .ok_or_else(|| Miss::from(format!("no task `{task}`")))?;
        Ok(ids
            .filter_map(|id| self.run.tasks.get(id as usize))
            .collect())
    }

    /// The run of strategy `name`.
    fn find(&self, name: &str) -> Result<&'a StrategyReport, Miss> {
        find(self.runs, name)
    }
}

/// Timer slack when comparing times with thresholds (fraction of the threshold).
const SLACK: f64 = 0.005;

pub fn check(claims: &[Claim], plan: &Plan, runs: &[StrategyReport]) -> Vec<ExpectationResult> {
    claims.iter().map(|e| verdict(e, plan, runs)).collect()
}

fn verdict(e: &Claim, plan: &Plan, runs: &[StrategyReport]) -> ExpectationResult {
    let (judgement, detail) = match judge(e, plan, runs).map_err(|m| stalled(e, plan, runs, m)) {
        Ok(detail) => (Judgement::Shown, detail),
        Err(Miss {
            judged: true,
            close,
            detail,
        }) => (Judgement::Refuted { close }, detail),
        Err(Miss {
            judged: false,
            detail,
            ..
        }) => (Judgement::NotJudged, detail),
    };
    ExpectationResult {
        claim: e.text.clone(),
        kind: e.check.kind(),
        strategy: e.strategy.clone(),
        judgement,
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
    let decided_by_order = e.check.decided_by_order();
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
pub(crate) struct Miss {
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

/// `Ok(what was measured)` when the claim holds, `Err(why not)` otherwise.
fn judge(e: &Claim, plan: &Plan, runs: &[StrategyReport]) -> Result<String, Miss> {
    let run = find(runs, &e.strategy)?;
    e.check.judge(&Judging { plan, runs, run })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_lists_the_parameters_its_struct_takes() {
        for &kind in ExpectKind::ALL {
            let (listed, serde) = Check::params_of(kind);
            assert_eq!(listed, serde, "claim kind `{}`", kind.as_str());
        }
    }

    fn table(pairs: &[(&str, toml::Value)]) -> toml::Table {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_bad_key_is_named_with_what_the_kind_takes() {
        use toml::Value::{Integer, String as S};
        let e = Check::from_table(ExpectKind::Outcome, table(&[("task", S("x".into()))]))
            .unwrap_err()
            .remove(0);
        assert_eq!(e.key, None);
        assert_eq!(
            e.message,
            "expectation `outcome` needs `outcome` (`ok`, `failed`, `cancelled` or `timed_out`)"
        );
        let t = table(&[("at_most_ms", Integer(3)), ("extra", Integer(1))]);
        let e = Check::from_table(ExpectKind::Wall, t)
            .unwrap_err()
            .remove(0);
        assert_eq!(e.key.as_deref(), Some("extra"));
        assert!(
            e.message
                .starts_with("`extra` does not apply to expectation `wall`: expectation `wall` takes `at_least_ms` ("),
            "{e:?}"
        );
        let t = table(&[("task", S("r".into())), ("finished", S("later".into()))]);
        let e = Check::from_table(ExpectKind::Cleanup, t)
            .unwrap_err()
            .remove(0);
        assert_eq!(e.key.as_deref(), Some("finished"));
        assert!(
            e.message
                .contains("unknown variant `later`, expected `before_return` or `after_return`"),
            "{e:?}"
        );
    }

    /// Every problem of a table in one pass: each stray key, each missing key and each mistyped
    /// one, not only the first serde meets.
    #[test]
    fn every_problem_of_a_table_is_reported_together() {
        use toml::Value::{Integer, String as S};
        // A stray key and the two keys `faster` needs, none of them hiding another.
        let t = table(&[("thn", S("sequential".into()))]);
        let errors = Check::from_table(ExpectKind::Faster, t).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 2, "{messages:?}");
        assert_eq!(errors[0].key.as_deref(), Some("thn"));
        assert!(
            messages[1].starts_with("expectation `faster` needs `than`"),
            "{messages:?}"
        );
        // `started` needs `task`; a mistyped bound is reported at its key beside it.
        let t = table(&[("after_ms", S("ten".into())), ("bogus", Integer(1))]);
        let errors = Check::from_table(ExpectKind::Started, t).unwrap_err();
        let keys: Vec<Option<&str>> = errors.iter().map(|e| e.key.as_deref()).collect();
        assert_eq!(keys, [Some("bogus"), Some("after_ms"), None], "{errors:?}");
        assert!(errors[2].message.contains("needs `task`"), "{errors:?}");
        // A mistyped required key is reported once, as mistyped, not also as missing.
        let t = table(&[("than", Integer(3))]);
        let errors = Check::from_table(ExpectKind::Faster, t).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].key.as_deref(), Some("than"));
    }
}
