//! Judging one exercise whose build has finished: run its test programs within the time limit,
//! read their results, and put the verdict together.
//!
//! The verdict is decided here and only here: compile errors make `error`; a test program killed
//! at the time limit makes `stuck`; a program that died without reporting makes `error` (a
//! crash); otherwise `fail` when any test failed, else `pass`.

use std::path::Path;
use std::time::{Duration, Instant};

use super::GradeOptions;
use super::classify::{classify, describe_crash};
use crate::render::{fmt_ms, plural};
use crate::workbook::ExerciseInfo;
use crate::workbook::cargo::PackageBuild;
use crate::workbook::libtest::{self, LineResult};
use crate::workbook::process::{self, Finished};
use crate::workbook::report::{ExerciseReport, FailureKind, TestReport, TestStatus, Verdict};
use crate::workbook::shadow::Tampered;

/// A report with verdict `error` and nothing else yet: the starting point of every verdict.
pub(crate) fn error_report(
    ex: &ExerciseInfo,
    message: String,
    tampered: Vec<Tampered>,
    opts: &GradeOptions,
    started: Instant,
) -> ExerciseReport {
    ExerciseReport {
        exercise: ex.name.clone(),
        title: ex.title.clone(),
        lesson: ex.lesson.clone(),
        verdict: Verdict::Error,
        message,
        tests: Vec::new(),
        errors: Vec::new(),
        warnings: 0,
        tampered,
        duration_ms: started.elapsed().as_millis() as u64,
        tests_ms: None,
        timeout_secs: opts.timeout.as_secs_f64(),
        source_hash: String::new(),
        from_record: None,
    }
}

/// "60.0 s": a time limit, for messages.
fn limit(d: Duration) -> String {
    fmt_ms(d.as_secs_f64() * 1000.0)
}

/// Grade one exercise whose build has finished.
pub(crate) fn judge(
    root: &Path,
    ex: &ExerciseInfo,
    pkg: &PackageBuild,
    cargo_stderr: &str,
    opts: &GradeOptions,
    tampered: Vec<Tampered>,
    started: Instant,
) -> ExerciseReport {
    let mut report = error_report(ex, String::new(), tampered, opts, started);
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
    let mut verdict = Verdict::Pass;
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
                    verdict = Verdict::Stuck;
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
        if verdict != Verdict::Stuck {
            verdict = Verdict::Error;
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
    if verdict == Verdict::Pass && failed > 0 {
        verdict = Verdict::Fail;
    }
    report.message = match verdict {
        Verdict::Pass => format!("all {} passed", plural(tests.len(), "test")),
        Verdict::Fail => format!("{failed} of {} failed", plural(tests.len(), "test")),
        Verdict::Stuck => format!(
            "stopped after {}: {} did not finish. Your code may be stuck: a deadlock, \
             an .await that never completes, or an endless loop",
            limit(opts.timeout),
            plural(stuck, "test")
        ),
        Verdict::Error => report.message,
    };
    report.verdict = verdict;
    report.tests = tests;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report
}

struct TestRun {
    listed: Vec<String>,
    finished: Finished,
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
    finished: &Finished,
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
                limit(opts.timeout)
            ));
        }
        None => {
            t.status = TestStatus::Fail;
            t.kind = Some(FailureKind::Crash);
        }
    }
    t
}
