//! What a run measured: pure data, serializable, no behaviour. Renderers read only this.
//!
//! Times are milliseconds since the strategy started, measured with `tokio::time::Instant`, so a
//! run on tokio's paused clock reports virtual time (a 1 s sleep reads 1000 ms, in microseconds of
//! real time). A blocking op does not advance the paused clock: its `blocked_ms` says how long it
//! held the thread.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::demo::model::{Clock, Phase};

/// How a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Failed,
    /// Dropped (or aborted) before it finished; in Rust that is what cancellation is.
    Cancelled,
    /// Dropped because a deadline passed.
    TimedOut,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed_out",
        }
    }
}

/// A named part of a task's span: a resource's `setup`, `body` and `teardown` (its `async
/// with`), or the n-th try of a retried call. In JSON and the trace, its name: `"setup"`,
/// `"attempt 2"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhaseName {
    Resource(Phase),
    /// The n-th try, from 1.
    Attempt(u32),
}

impl PhaseName {
    pub const SETUP: PhaseName = PhaseName::Resource(Phase::Setup);
    pub const BODY: PhaseName = PhaseName::Resource(Phase::Body);
    pub const TEARDOWN: PhaseName = PhaseName::Resource(Phase::Teardown);
}

impl fmt::Display for PhaseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhaseName::Resource(p) => f.write_str(p.as_str()),
            PhaseName::Attempt(n) => write!(f, "attempt {n}"),
        }
    }
}

impl FromStr for PhaseName {
    type Err = String;

    fn from_str(s: &str) -> Result<PhaseName, String> {
        match s {
            "setup" => Ok(PhaseName::SETUP),
            "body" => Ok(PhaseName::BODY),
            "teardown" => Ok(PhaseName::TEARDOWN),
            _ => s
                .strip_prefix("attempt ")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 0)
                .map(PhaseName::Attempt)
                .ok_or_else(|| {
                    format!("unknown phase: expected setup, body, teardown or attempt N, got {s:?}")
                }),
        }
    }
}

impl Serialize for PhaseName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PhaseName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PhaseName, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One part of a task's span (see [`PhaseName`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseReport {
    pub name: PhaseName,
    pub start_ms: f64,
    /// `None`: the phase never finished (e.g. a teardown cut off when the runtime shut down).
    pub end_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskReport {
    /// `fetch`, or `fetch#2` for one copy of a task with `count` > 1.
    pub name: String,
    /// The `[[demo.task]]` it is a copy of.
    pub task: String,
    pub op: String,
    /// `None`: the task never started (cancelled while waiting for its turn).
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PhaseReport>,
    /// `pages`: items received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u32>,
    /// `pages`: when each item arrived (kept for small demos only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_ms: Vec<f64>,
    /// `block` / `cpu`: how long the op held its thread (measured on the real clock, even on a
    /// paused one; in lesson time like every other field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_ms: Option<f64>,
    /// The phase in which the task failed or was cancelled (a `resource`'s `setup`, `body` or
    /// `teardown`, a retry's attempt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_in: Option<PhaseName>,
    /// The duration the lesson asked for.
    pub nominal_ms: f64,
    /// Real-I/O ops: the demo server connections (numbered in accept order) that served this
    /// task's requests, in order, repeats included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<u64>,
    /// A nested `resource`: the copy of the outer resource it ran inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inside: Option<String>,
}

impl TaskReport {
    /// Time from start to end, when both are known.
    pub fn duration_ms(&self) -> Option<f64> {
        Some(self.end_ms? - self.start_ms?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyReport {
    /// The strategy's name or label.
    pub name: String,
    /// The strategy kind (`gather`, `bounded`, ...), its lesson-file name in JSON.
    pub kind: crate::demo::kinds::StrategyKind,
    /// One line on what the strategy does, with its parameters (`at most 3 at once`).
    pub detail: String,
    /// From the strategy's start until it returned to its caller.
    pub wall_ms: f64,
    /// The clock the strategy's runtime kept; in JSON only when paused (`"clock": "paused"`).
    #[serde(default, skip_serializing_if = "Clock::is_real")]
    pub clock: Clock,
    /// The same span on the machine's clock (`std::time::Instant`), in real milliseconds, not
    /// scaled by the speed: about `wall_ms / speed` on the real clock, microseconds on the
    /// paused one, however long its timers read.
    #[serde(default)]
    pub real_ms: f64,
    /// What a perfect runtime would take: the sum of durations one after another, the critical
    /// path when concurrent.
    pub ideal_ms: f64,
    /// `wall_ms - ideal_ms`.
    pub overhead_ms: f64,
    /// How much of the wall time fixed real-time costs may explain at this speed (starting a
    /// runtime, polling each task, timers firing on millisecond ticks), in lesson time. Timing
    /// claims about this strategy allow for it; see `demo/expect.rs`.
    #[serde(default)]
    pub allowance_ms: f64,
    /// How long the run's busiest thread was ready to run but waited for a CPU another process
    /// had, in lesson time (0 where the system does not count it). Timing claims allow for it
    /// too: it is the machine's, not the strategy's. See `demo/cpu_wait.rs`.
    #[serde(default)]
    pub cpu_wait_ms: f64,
    /// Sequential wall time / this wall time, when the demo ran `sequential`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speedup: Option<f64>,
    /// Most tasks running at the same moment.
    pub peak_concurrency: u32,
    /// The error the strategy returned to its caller, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When cleanup spawned by cancelled tasks (async teardown) finished, if later than `wall_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup_ms: Option<f64>,
    /// Ctrl-C stopped the run: the results are partial.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    pub tasks: Vec<TaskReport>,
}

impl StrategyReport {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.tasks.iter().filter(|t| t.outcome == outcome).count()
    }

    /// Names of the tasks that ended as `outcome`.
    pub fn names(&self, outcome: Outcome) -> Vec<&str> {
        self.tasks
            .iter()
            .filter(|t| t.outcome == outcome)
            .map(|t| t.name.as_str())
            .collect()
    }
}

/// The verdict on one `[[demo.expect]]` claim.
///
/// In JSON it keeps the shape scripts read: `shown` and `judged` booleans, and `close: true` on
/// a narrow refutation ([`ResultJson`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "ResultJson", from = "ResultJson")]
pub struct ExpectationResult {
    pub claim: String,
    /// The claim's kind, its lesson-file name in JSON.
    pub kind: crate::demo::kinds::ExpectKind,
    pub strategy: String,
    pub judgement: Judgement,
    /// What was measured; when not shown, why not.
    pub detail: String,
    /// Where the lesson writes the claim (`lessons/gather.toml:120`).
    pub at: Option<String>,
}

/// What a run says of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// The measurement shows it.
    Shown,
    /// The measurement contradicts it. `close`: by so little that a busy machine may be to
    /// blame, so it is worth running again.
    Refuted { close: bool },
    /// The run could not tell: interrupted, or at this speed the fixed overhead is as large as
    /// what the claim measures, or a stall was longer than the gap it turns on.
    NotJudged,
}

/// [`ExpectationResult`] as JSON has it.
#[derive(Serialize, Deserialize)]
struct ResultJson {
    claim: String,
    kind: crate::demo::kinds::ExpectKind,
    strategy: String,
    shown: bool,
    #[serde(default = "yes")]
    judged: bool,
    detail: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    close: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

fn yes() -> bool {
    true
}

impl From<ExpectationResult> for ResultJson {
    fn from(e: ExpectationResult) -> ResultJson {
        let (shown, judged, close) = match e.judgement {
            Judgement::Shown => (true, true, false),
            Judgement::Refuted { close } => (false, true, close),
            Judgement::NotJudged => (false, false, false),
        };
        ResultJson {
            claim: e.claim,
            kind: e.kind,
            strategy: e.strategy,
            shown,
            judged,
            detail: e.detail,
            close,
            at: e.at,
        }
    }
}

impl From<ResultJson> for ExpectationResult {
    fn from(j: ResultJson) -> ExpectationResult {
        let judgement = match (j.shown, j.judged) {
            (true, _) => Judgement::Shown,
            (false, true) => Judgement::Refuted { close: j.close },
            (false, false) => Judgement::NotJudged,
        };
        ExpectationResult {
            claim: j.claim,
            kind: j.kind,
            strategy: j.strategy,
            judgement,
            detail: j.detail,
            at: j.at,
        }
    }
}

impl ExpectationResult {
    /// The run shows the claim.
    pub fn shown(&self) -> bool {
        self.judgement == Judgement::Shown
    }

    /// The run could tell (shown or refuted).
    pub fn judged(&self) -> bool {
        self.judgement != Judgement::NotJudged
    }

    /// Judged and not shown: the run refutes the claim.
    pub fn refuted(&self) -> bool {
        matches!(self.judgement, Judgement::Refuted { .. })
    }

    /// Refuted by so little that a busy machine may be to blame.
    pub fn narrowly_refuted(&self) -> bool {
        self.judgement == Judgement::Refuted { close: true }
    }

    /// A claim about time (`faster`, `wall`, `started`): one that fixed costs can blur at a
    /// fast speed.
    pub fn is_timing(&self) -> bool {
        matches!(self.kind.as_str(), "faster" | "wall" | "started")
    }
}

impl DemoReport {
    /// The run judged none of this demo's timing claims (it has some): at this speed it
    /// showed nothing about time.
    pub fn judged_no_timing_claim(&self) -> bool {
        let mut timing = self
            .expectations
            .iter()
            .filter(|e| e.is_timing())
            .peekable();
        timing.peek().is_some() && !self.interrupted && timing.all(|e| !e.judged())
    }
}

/// Why a demo plays slower than asked (see `Demo::speed_limit` in `demo::runner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeedLimit {
    /// Its shortest durations would be lost in the timer's 1 ms ticks any faster.
    Timers,
    /// Any faster, the allowance for fixed costs would be as large as a timing claim's own
    /// scale on this machine, and the claim could not be judged.
    Claims,
    /// What it measures is the runtime's own cost, which no speed scales: it plays at speed 1.
    RuntimeCost,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoReport {
    pub name: String,
    pub title: String,
    pub runtime: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// The playback speed the demo ran at: a lesson duration `d` took `d / speed` of real time.
    /// Every time in the report is lesson time.
    pub speed: f64,
    /// The speed asked for, when the demo ran slower because its shortest durations would be
    /// lost in timer granularity at that speed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_speed: Option<f64>,
    /// Why it played at another speed than asked, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_limit: Option<SpeedLimit>,
    pub strategies: Vec<StrategyReport>,
    pub expectations: Vec<ExpectationResult>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// The same demo under Python asyncio (`lesson run --python`), when it was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<PythonReport>,
}

impl DemoReport {
    /// No claim was refuted (some may be not judged), on either runtime.
    pub fn none_refuted(&self) -> bool {
        !self.expectations.iter().any(ExpectationResult::refuted)
            && self
                .python
                .as_ref()
                .is_none_or(|p| !p.expectations.iter().any(ExpectationResult::refuted))
    }
}

/// A demo run under Python's asyncio by the embedded runner (`demo/python`): the same span data
/// as the Rust run, so the same renderers draw it. Times are lesson time at the demo's speed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PythonReport {
    /// The interpreter's version (`3.11.7`); empty when it never answered.
    pub version: String,
    /// The strategies asyncio ran, in the demo's order (skipped ones left out).
    pub strategies: Vec<StrategyReport>,
    /// Strategies with no honest asyncio equivalent, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// The claims judged on the Python run (those for both runtimes and `runtime = "python"`).
    pub expectations: Vec<ExpectationResult>,
    /// Why the run is missing or partial (the interpreter crashed, printed garbage, hung, or the
    /// runner raised), one line with the demo and task named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A strategy the Python run did not run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub strategy: String,
    pub why: String,
}

/// The `--json` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonReport {
    pub lesson: String,
    pub demos: Vec<DemoReport>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

#[cfg(test)]
mod judgement_tests {
    use super::*;

    /// The typed judgement keeps the JSON scripts read: `shown`, `judged`, and `close` only on a
    /// narrow refutation; and reads it back.
    #[test]
    fn a_judgement_is_the_same_three_fields_in_json() {
        for (judgement, shown, judged, close) in [
            (Judgement::Shown, true, true, None),
            (Judgement::Refuted { close: false }, false, true, None),
            (Judgement::Refuted { close: true }, false, true, Some(true)),
            (Judgement::NotJudged, false, false, None),
        ] {
            let e = ExpectationResult {
                claim: "c".into(),
                kind: crate::demo::kinds::ExpectKind::Wall,
                strategy: "gather".into(),
                judgement,
                detail: "d".into(),
                at: None,
            };
            let v = serde_json::to_value(&e).unwrap();
            assert_eq!(v["shown"], shown, "{v}");
            assert_eq!(v["judged"], judged, "{v}");
            assert_eq!(v.get("close").and_then(|c| c.as_bool()), close, "{v}");
            assert_eq!(v["kind"], "wall");
            let back: ExpectationResult = serde_json::from_value(v).unwrap();
            assert_eq!(back, e);
        }
    }
}

#[cfg(test)]
mod phase_tests {
    use super::*;

    /// A phase is typed in the report and keeps its lesson-file name in JSON, both ways; a name
    /// that is not a phase (from a runner gone wrong) is refused, not kept as text.
    #[test]
    fn phase_names_round_trip_and_refuse_what_is_not_one() {
        for (phase, name) in [
            (PhaseName::SETUP, "setup"),
            (PhaseName::BODY, "body"),
            (PhaseName::TEARDOWN, "teardown"),
            (PhaseName::Attempt(3), "attempt 3"),
        ] {
            assert_eq!(phase.to_string(), name);
            assert_eq!(name.parse::<PhaseName>(), Ok(phase));
            let json = serde_json::to_string(&phase).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<PhaseName>(&json).unwrap(), phase);
        }
        for bad in ["", "Body", "attempt 0", "attempt", "attempt x", "\u{1b}[2J"] {
            assert!(bad.parse::<PhaseName>().is_err(), "{bad:?}");
        }
    }
}
