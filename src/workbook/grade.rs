//! The grader: build the learner's code against the pristine tests, run them with a time limit,
//! classify what happened, record it.
//!
//! Several exercises are built by one cargo invocation (`--keep-going`, so one that does not
//! compile does not hide the others), then their test programs run in parallel, at most `jobs`
//! at a time, each with its own time limit and process group.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::cargo::{self, Diagnostic, PackageBuild};
use super::libtest::{self, LineResult};
use super::process;
use super::shadow::{self, Sources, Tampered};
use super::{ExerciseInfo, Workbook};
use crate::progress::{self, Attempt, Progress};
use crate::render::plural;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every test passed.
    Pass,
    /// It ran; some test failed.
    Fail,
    /// It could not run: does not compile, or the test program crashed.
    Error,
    /// It ran past the time limit and was stopped.
    Stuck,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Error => "error",
            Outcome::Stuck => "stuck",
        }
    }
}

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
}

impl FailureKind {
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::Timing => "timing is off: check what waits together",
            FailureKind::Blocking => "blocks the runtime",
            FailureKind::Todo => "not written yet",
            FailureKind::Panic => "your code panicked",
            FailureKind::Assertion => "wrong result",
            FailureKind::Stuck => "did not finish: stuck",
            FailureKind::Crash => "the test program crashed",
        }
    }
}

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
    pub outcome: Outcome,
    /// One line, e.g. "1 of 3 tests failed".
    pub message: String,
    pub tests: Vec<TestReport>,
    /// Compiler errors (outcome `error`).
    pub errors: Vec<Diagnostic>,
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
}

impl ExerciseReport {
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Pass
    }

    pub fn failing_tests(&self) -> Vec<String> {
        self.tests
            .iter()
            .filter(|t| matches!(t.status, TestStatus::Fail | TestStatus::Stuck))
            .map(|t| t.name.clone())
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct GradeOptions {
    pub timeout: Duration,
    /// Test programs run at once.
    pub jobs: usize,
    /// Answer unchanged sources from the record.
    pub use_record: bool,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            timeout: DEFAULT_TIMEOUT,
            // Half the CPUs: test programs are short (building dominates), and the tests that
            // detect a blocked runtime watch the wall clock, which CPU contention disturbs.
            jobs: std::thread::available_parallelism()
                .map(|n| (n.get() / 2).max(1))
                .unwrap_or(1),
            use_record: true,
        }
    }
}

/// Progress callbacks for a UI (spinner, bar). All optional.
pub trait Observer: Sync {
    fn building(&self, _count: usize) {}
    fn running(&self, _exercise: &str) {}
    fn finished(&self, _report: &ExerciseReport) {}
}

/// An observer that says nothing.
pub struct Quiet;
impl Observer for Quiet {}

/// Grade `exercises` of `wb`. Results come back in the order given. Every attempt is recorded
/// in `progress` when one is given.
pub fn grade(
    wb: &Workbook,
    exercises: &[&ExerciseInfo],
    opts: &GradeOptions,
    progress: Option<&Progress>,
    observer: &dyn Observer,
) -> Result<Vec<ExerciseReport>> {
    let mut reports: Vec<Option<ExerciseReport>> = vec![None; exercises.len()];
    let mut to_build: Vec<(usize, Sources, String, Vec<Tampered>)> = Vec::new();

    for (i, ex) in exercises.iter().enumerate() {
        let started = Instant::now();
        let tampered = shadow::tampered(wb, &ex.name);
        let src_dir = wb.exercise_dir(&ex.name).join("src");
        let sources = match shadow::learner_sources(wb, &ex.name) {
            Ok(s) if !s.is_empty() => s,
            Ok(_) | Err(_) => {
                let report = error_report(
                    ex,
                    format!(
                        "{} is missing or empty; restore the original with `asyncwork reset {}`",
                        wb.display_rel(&src_dir),
                        ex.name
                    ),
                    tampered,
                    String::new(),
                    opts,
                    started,
                );
                observer.finished(&report);
                reports[i] = Some(report);
                continue;
            }
        };
        let hash = shadow::source_hash(&ex.name, &sources);
        if opts.use_record {
            if let Some(p) = progress {
                if let Some((json, at)) = p.recorded_report(&ex.name, &hash)? {
                    if let Ok(mut report) = serde_json::from_str::<ExerciseReport>(&json) {
                        report.from_record = Some(at);
                        report.tampered = tampered;
                        report.duration_ms = started.elapsed().as_millis() as u64;
                        record(Some(p), &report, true)?;
                        observer.finished(&report);
                        reports[i] = Some(report);
                        continue;
                    }
                }
            }
        }
        to_build.push((i, sources, hash, tampered));
    }

    if !to_build.is_empty() {
        let _lock = shadow::lock(wb)?;
        let build_started = Instant::now();
        let graded: Vec<(String, Sources)> = to_build
            .iter()
            .map(|(i, sources, _, _)| (exercises[*i].name.clone(), sources.clone()))
            .collect();
        let root = shadow::sync(wb, &graded).context("cannot prepare the grading copy")?;
        observer.building(to_build.len());
        let packages: Vec<&str> = to_build
            .iter()
            .map(|(i, ..)| exercises[*i].package.as_str())
            .collect();
        let cmd = cargo::build_tests_command(&root, &wb.target_dir(), &packages);
        let built = run_cargo(cmd)?;
        let build = cargo::parse_messages(&built.stdout, &root);
        let build_ms = build_started.elapsed().as_millis() as u64;

        let queue: Mutex<VecDeque<usize>> = Mutex::new((0..to_build.len()).collect());
        let done: Mutex<Vec<(usize, ExerciseReport)>> = Mutex::new(Vec::new());
        let workers = opts.jobs.clamp(1, to_build.len());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let Some(k) = queue.lock().unwrap().pop_front() else {
                            break;
                        };
                        let (i, _, hash, tampered) = &to_build[k];
                        let ex = exercises[*i];
                        let started = Instant::now();
                        let pkg = build.packages.get(&ex.name).cloned().unwrap_or_default();
                        observer.running(&ex.name);
                        let mut report = grade_built(
                            &root,
                            ex,
                            &pkg,
                            &built.stderr,
                            opts,
                            tampered.clone(),
                            started,
                        );
                        report.source_hash = hash.clone();
                        report.duration_ms += build_ms / to_build.len() as u64;
                        observer.finished(&report);
                        done.lock().unwrap().push((*i, report));
                    }
                });
            }
        });
        for (i, report) in done.into_inner().unwrap() {
            record(progress, &report, false)?;
            reports[i] = Some(report);
        }
    }
    Ok(reports
        .into_iter()
        .map(|r| r.expect("every exercise graded"))
        .collect())
}

fn record(progress: Option<&Progress>, report: &ExerciseReport, from_record: bool) -> Result<()> {
    let Some(p) = progress else { return Ok(()) };
    if report.source_hash.is_empty() {
        return Ok(());
    }
    let mut stored = report.clone();
    stored.from_record = None;
    stored.tampered = Vec::new();
    p.record_attempt(&Attempt {
        exercise: report.exercise.clone(),
        started_at_ms: progress::now_ms() - report.duration_ms as i64,
        duration_ms: report.duration_ms as i64,
        outcome: report.outcome.as_str().to_string(),
        failing_tests: report.failing_tests(),
        source_hash: report.source_hash.clone(),
        from_record,
        // Kept to answer a re-check of the same sources; not when the failure was the
        // toolchain's rather than the code's (cargo missing, a network error).
        report: (!from_record && (report.outcome != Outcome::Error || !report.errors.is_empty()))
            .then(|| serde_json::to_string(&stored).unwrap_or_default()),
    })?;
    Ok(())
}

fn run_cargo(cmd: std::process::Command) -> Result<process::Finished> {
    // Building has no learner code to get stuck in; the generous limit only guards against a
    // wedged cargo (a lock held forever).
    let finished = process::run_with_timeout(cmd, Duration::from_secs(30 * 60))
        .context("cannot run cargo: is the Rust toolchain installed (https://rustup.rs)?")?;
    Ok(finished)
}

fn error_report(
    ex: &ExerciseInfo,
    message: String,
    tampered: Vec<Tampered>,
    source_hash: String,
    opts: &GradeOptions,
    started: Instant,
) -> ExerciseReport {
    ExerciseReport {
        exercise: ex.name.clone(),
        title: ex.title.clone(),
        lesson: ex.lesson.clone(),
        outcome: Outcome::Error,
        message,
        tests: Vec::new(),
        errors: Vec::new(),
        warnings: 0,
        tampered,
        duration_ms: started.elapsed().as_millis() as u64,
        tests_ms: None,
        timeout_secs: opts.timeout.as_secs_f64(),
        source_hash,
        from_record: None,
    }
}

/// Grade one exercise whose build has finished.
fn grade_built(
    root: &Path,
    ex: &ExerciseInfo,
    pkg: &PackageBuild,
    cargo_stderr: &str,
    opts: &GradeOptions,
    tampered: Vec<Tampered>,
    started: Instant,
) -> ExerciseReport {
    let mut report = error_report(ex, String::new(), tampered, String::new(), opts, started);
    report.warnings = pkg.warnings.len();
    if !pkg.errors.is_empty() {
        let n = pkg.errors.len();
        report.message = match pkg.errors[0].location() {
            Some(loc) => format!("does not compile: {} (first at {loc})", plural(n, "error")),
            None => format!("does not compile: {}", plural(n, "error")),
        };
        report.errors = pkg.errors.clone();
        report.duration_ms = started.elapsed().as_millis() as u64;
        return report;
    }
    if pkg.test_executables.is_empty() {
        let tail: Vec<&str> = cargo_stderr
            .lines()
            .filter(|l| {
                !l.trim_start().starts_with("Compiling") && !l.trim_start().starts_with("Blocking")
            })
            .collect();
        let tail = tail[tail.len().saturating_sub(15)..].join("\n");
        report.message = format!("cargo could not build the tests:\n{tail}");
        report.duration_ms = started.elapsed().as_millis() as u64;
        return report;
    }
    let exercise_dir = root.join(&ex.name);
    let multiple = pkg.test_executables.len() > 1;
    let mut tests = Vec::new();
    let mut outcome = Outcome::Pass;
    let mut crash = None;
    let tests_started = Instant::now();
    let deadline = tests_started + opts.timeout;
    for (target, exe) in &pkg.test_executables {
        let remaining = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(100));
        let run = run_test_program(exe, &exercise_dir, remaining);
        let prefix = |n: &str| {
            if multiple {
                format!("{target}::{n}")
            } else {
                n.to_string()
            }
        };
        match run {
            Ok(run) => {
                let parsed = libtest::parse(&run.finished.stdout);
                // The listed tests, then any the listing missed (should not happen), so
                // nothing is lost.
                let missed = parsed
                    .results
                    .iter()
                    .map(|(name, _)| name)
                    .filter(|name| !run.listed.contains(name));
                for name in run.listed.iter().chain(missed) {
                    tests.push(test_report(
                        &ex.name,
                        &prefix(name),
                        name,
                        &parsed,
                        &run.finished,
                        opts,
                    ));
                }
                if run.finished.timed_out {
                    outcome = Outcome::Stuck;
                } else if !run.finished.success()
                    && parsed.results.iter().all(|(_, r)| *r != LineResult::Failed)
                {
                    // Died without a verdict: a crash (stack overflow, abort) or a harness error.
                    crash = Some(describe_crash(&run.finished));
                }
            }
            Err(e) => crash = Some(format!("cannot run the tests: {e}")),
        }
    }
    report.tests_ms = Some(tests_started.elapsed().as_millis() as u64);
    if let Some(crash) = crash {
        for t in tests
            .iter_mut()
            .filter(|t| t.status != TestStatus::Pass && t.status != TestStatus::Ignored)
        {
            t.status = TestStatus::Fail;
            t.kind = Some(FailureKind::Crash);
            t.message.get_or_insert_with(|| crash.clone());
        }
        if outcome != Outcome::Stuck {
            outcome = Outcome::Error;
        }
        report.message = crash;
    }
    let failed = tests
        .iter()
        .filter(|t| t.status == TestStatus::Fail)
        .count();
    let stuck = tests
        .iter()
        .filter(|t| t.status == TestStatus::Stuck)
        .count();
    if outcome == Outcome::Pass && failed > 0 {
        outcome = Outcome::Fail;
    }
    report.message = match outcome {
        Outcome::Pass => format!("all {} passed", plural(tests.len(), "test")),
        Outcome::Fail => format!("{failed} of {} failed", plural(tests.len(), "test")),
        Outcome::Stuck => format!(
            "stopped after {}: {} did not finish. Your code may be stuck: a deadlock, \
             an .await that never completes, or an endless loop",
            secs(opts.timeout),
            plural(stuck, "test")
        ),
        Outcome::Error => report.message,
    };
    report.outcome = outcome;
    report.tests = tests;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report
}

struct TestRun {
    listed: Vec<String>,
    finished: process::Finished,
}

fn run_test_program(exe: &Path, cwd: &Path, timeout: Duration) -> std::io::Result<TestRun> {
    let command = |args: &[&str]| {
        let mut cmd = std::process::Command::new(exe);
        cmd.args(args)
            .current_dir(cwd)
            .env("CARGO_MANIFEST_DIR", cwd)
            .env("RUST_BACKTRACE", "0")
            .env_remove("RUST_TEST_THREADS")
            .env_remove("RUST_TEST_NOCAPTURE");
        cmd
    };
    let list = process::run_with_timeout(
        command(&["--list", "--format", "terse"]),
        Duration::from_secs(20),
    )?;
    let listed = libtest::parse_list(&list.stdout);
    let finished = process::run_with_timeout(command(&["--color", "never"]), timeout)?;
    Ok(TestRun { listed, finished })
}

fn test_report(
    exercise: &str,
    display_name: &str,
    name: &str,
    parsed: &libtest::Parsed,
    finished: &process::Finished,
    opts: &GradeOptions,
) -> TestReport {
    let mut t = TestReport {
        name: display_name.to_string(),
        status: TestStatus::Pass,
        kind: None,
        message: None,
        location: None,
        output: None,
    };
    match parsed.result_of(name) {
        Some(LineResult::Ok) => {}
        Some(LineResult::Ignored) => t.status = TestStatus::Ignored,
        Some(LineResult::Failed) => {
            t.status = TestStatus::Fail;
            let failure = parsed.failures.get(name).cloned().unwrap_or_default();
            t.kind = Some(classify(exercise, &failure));
            t.message = Some(if failure.message.is_empty() {
                "failed".into()
            } else {
                failure.message
            });
            t.location = failure.location;
            t.output = (!failure.output.is_empty()).then_some(failure.output);
        }
        None if finished.timed_out => {
            t.status = TestStatus::Stuck;
            t.kind = Some(FailureKind::Stuck);
            t.message = Some(format!(
                "still running after {} and stopped: the code may be stuck (a deadlock, an .await that \
                 never completes, or an endless loop)",
                secs(opts.timeout)
            ));
        }
        None => {
            t.status = TestStatus::Fail;
            t.kind = Some(FailureKind::Crash);
        }
    }
    t
}

/// Name the failure in the learner's terms from the panic message and where it happened.
pub fn classify(exercise: &str, failure: &libtest::Failure) -> FailureKind {
    let msg = failure.message.to_lowercase();
    let loc = failure.location.as_deref().unwrap_or_default();
    if msg.contains("runtime was blocked")
        || msg.contains("blocked the runtime")
        || msg.contains("blocking the runtime")
    {
        FailureKind::Blocking
    } else if msg.contains("of simulated time") {
        FailureKind::Timing
    } else if msg.starts_with("not yet implemented") || msg.starts_with("not implemented") {
        FailureKind::Todo
    } else if loc.starts_with(&format!("{exercise}/src/")) || loc.starts_with("src/") {
        FailureKind::Panic
    } else if loc.contains("/tests/") || loc.starts_with("tests/") || loc.starts_with("support/") {
        if msg.contains("panicked")
            || msg.contains("joinerror::panic")
            || msg.contains("task panicked")
        {
            FailureKind::Panic
        } else {
            FailureKind::Assertion
        }
    } else {
        FailureKind::Panic
    }
}

fn describe_crash(f: &process::Finished) -> String {
    let stderr_hint = if f.stderr.contains("has overflowed its stack") {
        ": a stack overflow (endless recursion?)"
    } else {
        ""
    };
    match f.signal() {
        Some(sig) => format!("the test program crashed (signal {sig}){stderr_hint}"),
        None => {
            let tail: Vec<&str> = f
                .stderr
                .lines()
                .rev()
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!(
                "the test program exited with {} before reporting results{stderr_hint}\n{}",
                f.status
                    .and_then(|s| s.code())
                    .map(|c| format!("code {c}"))
                    .unwrap_or_default(),
                tail.join("\n")
            )
        }
    }
}

pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{s:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::libtest::Failure;

    fn f(message: &str, location: &str) -> Failure {
        Failure {
            message: message.into(),
            location: Some(location.into()),
            output: String::new(),
        }
    }

    #[test]
    fn classifies_failures() {
        let ex = "03_gather";
        assert_eq!(
            classify(
                ex,
                &f(
                    "took 900 ms of simulated time; run the three calls concurrently",
                    "03_gather/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Timing
        );
        assert_eq!(
            classify(
                ex,
                &f(
                    "the runtime was blocked for ~300 ms: use tokio::time::sleep",
                    "03_gather/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Blocking
        );
        assert_eq!(
            classify(ex, &f("not yet implemented", "03_gather/src/lib.rs:9:5")),
            FailureKind::Todo
        );
        assert_eq!(
            classify(ex, &f("oops", "03_gather/src/lib.rs:9:5")),
            FailureKind::Panic
        );
        assert_eq!(
            classify(
                ex,
                &f(
                    "assertion `left == right` failed",
                    "03_gather/tests/grade.rs:9:5"
                )
            ),
            FailureKind::Assertion
        );
    }

    #[test]
    fn report_round_trips_through_json() {
        let r = ExerciseReport {
            exercise: "03_gather".into(),
            title: "t".into(),
            lesson: "gather".into(),
            outcome: Outcome::Fail,
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
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<ExerciseReport>(&json).unwrap(), r);
        assert_eq!(r.failing_tests(), vec!["x".to_string()]);
    }
}
