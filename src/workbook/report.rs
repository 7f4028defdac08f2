//! What grading found, as plain data: the verdict on an exercise, each test's status and, for a
//! failure, its kind in the learner's terms.
//!
//! These types are the boundary between the grader and everything that shows its results:
//! `render::grading` turns them into text, JSON and JUnit; the record stores them as JSON so an
//! unchanged attempt can be answered without running cargo. Nothing here prints, styles or times
//! anything.

use serde::{Deserialize, Serialize};

// Part of a report, named here so readers of reports need only this module.
pub use super::cargo::CompilerMessage;
pub use super::shadow::Tampered;

/// The verdict on one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every test passed.
    Pass,
    /// It ran; some test failed.
    Fail,
    /// It could not run: does not compile, or the test program crashed.
    Error,
    /// It ran past the time limit and was stopped.
    Stuck,
}

impl Verdict {
    /// The word stored in the record and shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::Stuck => "stuck",
        }
    }
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    Pass,
    Fail,
    /// Still running when the time limit ran out.
    Stuck,
    Ignored,
}

/// Why a test failed, in the learner's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Right answer, wrong shape in time: e.g. sequential where concurrent was asked.
    Timing,
    /// The runtime's thread was blocked (a `std::thread::sleep`, a sync call, a busy loop).
    Blocking,
    /// A `todo!()` left in.
    Todo,
    /// The learner's code panicked.
    Panic,
    /// A test's check failed.
    Assertion,
    /// Did not finish in time.
    Stuck,
    /// The test program died (a signal: stack overflow, abort).
    Crash,
    /// A pass was faked: the process ended (`exit(0)`) before the test's body returned, or
    /// something wrote to the grader's results channel.
    Forged,
    /// The test program went over a limit: memory, processes or output.
    Limit,
    /// The services were called from a runtime of the learner's own (in another thread), where
    /// the test's clock and watchdog cannot see the work.
    OffRuntime,
}

impl FailureKind {
    /// The kind in a few words, as shown next to a failing test.
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::Timing => "timing is off: check what waits together",
            FailureKind::Blocking => "blocks the runtime",
            FailureKind::Todo => "not written yet",
            FailureKind::Panic => "your code panicked",
            FailureKind::Assertion => "wrong result",
            FailureKind::Stuck => "did not finish: stuck",
            FailureKind::Crash => "the test program crashed",
            FailureKind::Forged => "not a real pass: the test never finished",
            FailureKind::Limit => "went over a limit",
            FailureKind::OffRuntime => "ran outside the test's runtime",
        }
    }
}

/// One test of an exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReport {
    pub name: String,
    pub status: TestStatus,
    pub kind: Option<FailureKind>,
    pub message: Option<String>,
    /// `file:line:col` of the panic.
    pub location: Option<String>,
    /// What the test printed.
    pub output: Option<String>,
}

/// Everything known about one graded exercise. Serialized into the progress record, so a
/// re-check of unchanged sources can be answered without running cargo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseReport {
    pub exercise: String,
    pub title: String,
    pub lesson: String,
    /// Stored as `outcome`, the name records written before the rename use.
    #[serde(rename = "outcome")]
    pub verdict: Verdict,
    /// One line, e.g. "1 of 3 tests failed".
    pub message: String,
    pub tests: Vec<TestReport>,
    /// Compiler errors (verdict `error`).
    pub errors: Vec<CompilerMessage>,
    #[serde(default)]
    pub warnings: usize,
    /// Learner edits outside `src/`, ignored for grading.
    pub tampered: Vec<Tampered>,
    /// Whole grading time for this exercise (build share + tests), ms.
    pub duration_ms: u64,
    /// Wall time of the test program, ms.
    pub tests_ms: Option<u64>,
    pub timeout_secs: f64,
    pub source_hash: String,
    /// Set when the result came from the record: when that attempt was (UTC).
    #[serde(default)]
    pub from_record: Option<String>,
    /// Why this attempt could not be written to the record (it was graded all the same).
    #[serde(skip)]
    pub not_recorded: Option<String>,
}

impl ExerciseReport {
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }

    /// Names of the tests that failed or got stuck.
    pub fn failing_tests(&self) -> Vec<String> {
        self.tests
            .iter()
            .filter(|t| matches!(t.status, TestStatus::Fail | TestStatus::Stuck))
            .map(|t| t.name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_round_trips_through_json() {
        let r = ExerciseReport {
            exercise: "03_gather".into(),
            title: "t".into(),
            lesson: "gather".into(),
            verdict: Verdict::Fail,
            message: "1 of 1 test failed".into(),
            tests: vec![TestReport {
                name: "x".into(),
                status: TestStatus::Fail,
                kind: Some(FailureKind::Timing),
                message: Some("took 900 ms".into()),
                location: None,
                output: None,
            }],
            errors: vec![],
            warnings: 0,
            tampered: vec![],
            duration_ms: 5,
            tests_ms: Some(3),
            timeout_secs: 60.0,
            source_hash: "h".into(),
            from_record: None,
            not_recorded: None,
        };
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            json.contains("\"outcome\":\"fail\""),
            "records stay readable: {json}"
        );
        assert_eq!(serde_json::from_str::<ExerciseReport>(&json).unwrap(), r);
        assert_eq!(r.failing_tests(), vec!["x".to_string()]);
    }
}
