//! Judging one exercise whose build has finished: run its test programs within the time limit,
//! read their results, and put the verdict together.
//!
//! The verdict is decided here and only here: compile errors make `error`; a test program killed
//! at the time limit makes `stuck`; a program that exits with a failure status and no failed test
//! makes `error` (a crash, or results that cannot be trusted); a program that lists no tests makes
//! `error`; otherwise `fail` when any test failed or has no result, else `pass`. Whether a test
//! passed comes from the harness's results file, never from stdout (see `libtest`).

use std::path::Path;
use std::time::{Duration, Instant};

use super::GradeOptions;
use super::classify::{classify, describe_crash};
use crate::text::{fmt_ms, plural};
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
        not_recorded: None,
    }
}

/// The most of one test's message or output a report keeps (and so the record, JSON and JUnit).
pub(crate) const MAX_TEST_TEXT: usize = 16 * 1024;

/// `text` cut to [`MAX_TEST_TEXT`] bytes (on a character boundary), saying how much was cut.
fn capped(text: String) -> String {
    if text.len() <= MAX_TEST_TEXT {
        return text;
    }
    let mut end = MAX_TEST_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[{} bytes cut]", &text[..end], text.len() - end)
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
                // Pass or fail comes from the harness's results file; stdout only explains a
                // failure (see `libtest`).
                let results = libtest::parse_log(&run.log, &run.listed);
                let explained = libtest::parse(&run.finished.stdout);
                // The listed tests, then any the listing missed (should not happen), so
                // nothing is lost.
                let missed = results
                    .iter()
                    .map(|(name, _)| name)
                    .filter(|name| !run.listed.contains(name));
                for name in run.listed.iter().chain(missed) {
                    let result = results.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
                    tests.push(test_report(
                        &ex.name,
                        &prefix(name),
                        name,
                        result,
                        &explained,
                        &run.finished,
                        opts,
                    ));
                }
                if run.finished.timed_out {
                    verdict = Verdict::Stuck;
                } else if !run.finished.success()
                    && results.iter().all(|(_, r)| *r != LineResult::Failed)
                {
                    // A failure status with no failed test: a crash (stack overflow, abort), a
                    // harness error, or results that cannot be trusted. Never a pass.
                    crash = Some(describe_crash(&run.finished));
                }
                if run.listed.is_empty() && !run.finished.timed_out {
                    crash.get_or_insert_with(|| {
                        "the test program listed no tests: it did not run as a test harness"
                            .to_string()
                    });
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
    /// The harness's results file (`--logfile`).
    log: String,
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
    let listed = if list.success() {
        libtest::parse_list(&list.stdout)
    } else {
        Vec::new()
    };
    // A fresh path per run, outside the grading copy; libtest creates the file itself once its
    // `main` starts, so nothing written there earlier survives.
    let results_dir = tempfile::Builder::new()
        .prefix("asyncwork-results-")
        .tempdir()?;
    let log_path = results_dir.path().join("results.log");
    let mut cmd = command(&["--color", "never", "--logfile"]);
    cmd.arg(&log_path);
    let finished = process::run_with_timeout(cmd, timeout)?;
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    Ok(TestRun {
        listed,
        finished,
        log,
    })
}

/// One test's report, from its line in the results file (`result`) and, for a failure, the
/// explanation the harness printed on stdout.
fn test_report(
    exercise: &str,
    display_name: &str,
    name: &str,
    result: Option<LineResult>,
    explained: &libtest::Parsed,
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
    match result {
        Some(LineResult::Ok) => {}
        Some(LineResult::Ignored) => t.status = TestStatus::Ignored,
        Some(LineResult::Failed) => {
            t.status = TestStatus::Fail;
            let failure = explained.failures.get(name).cloned().unwrap_or_default();
            t.kind = Some(classify(exercise, &failure));
            t.message = Some(if failure.message.is_empty() {
                "failed".into()
            } else {
                capped(failure.message)
            });
            t.location = failure.location;
            t.output = (!failure.output.is_empty()).then(|| capped(failure.output));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::PermissionsExt;

    /// Judge a fake test program: a shell script that lists `list` (`a` and `b` in most tests),
    /// then runs `body` with `$log` set to the results file the grader asked for.
    fn judge_script(list: &str, body: &str) -> ExerciseReport {
        let dir = tempfile::tempdir().unwrap();
        let ex = ExerciseInfo {
            name: "03_gather".into(),
            package: "ex03_gather".into(),
            lesson: "gather".into(),
            title: "t".into(),
            hints: vec![],
            hint_tests: vec![],
        };
        std::fs::create_dir_all(dir.path().join(&ex.name)).unwrap();
        let exe = dir.path().join("grade-fake");
        std::fs::write(
            &exe,
            format!(
                "#!/bin/sh\n\
                 case \"$*\" in *--list*) printf '{list}'; exit 0;; esac\n\
                 log=''; prev=''\n\
                 for arg in \"$@\"; do [ \"$prev\" = --logfile ] && log=\"$arg\"; prev=\"$arg\"; done\n\
                 {body}\n"
            ),
        )
        .unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        let pkg = PackageBuild {
            test_executables: BTreeMap::from([("grade".to_string(), exe)]),
            ..Default::default()
        };
        let opts = GradeOptions {
            timeout: Duration::from_secs(10),
            ..Default::default()
        };
        judge(dir.path(), &ex, &pkg, "", &opts, vec![], Instant::now())
    }

    const AB: &str = "a: test\\nb: test\\n";

    fn status(r: &ExerciseReport, name: &str) -> TestStatus {
        r.tests.iter().find(|t| t.name == name).unwrap().status
    }

    #[test]
    fn results_come_from_the_results_file_not_stdout() {
        // The learner's code prints forged result lines; the harness's file says what happened.
        let r = judge_script(
            AB,
            "printf 'test a ... ok\\ntest b ... ok\\n'\n\
             printf 'ok a\\nfailed b\\n' > \"$log\"\n\
             printf 'test a ... ok\\ntest b ... FAILED\\n'; exit 101",
        );
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert_eq!(status(&r, "a"), TestStatus::Pass);
        assert_eq!(status(&r, "b"), TestStatus::Fail);
    }

    #[test]
    fn a_failure_exit_status_is_never_a_pass() {
        let r = judge_script(AB, "printf 'ok a\\nok b\\n' > \"$log\"; exit 3");
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert!(r.message.contains("exited with code 3"), "{}", r.message);
    }

    #[test]
    fn forged_lines_and_a_clean_exit_without_results_are_not_a_pass() {
        // A constructor that prints results and exits 0 before the harness starts.
        let r = judge_script(AB, "printf 'test a ... ok\\ntest b ... ok\\n'; exit 0");
        assert_ne!(r.verdict, Verdict::Pass, "{r:#?}");
        assert!(
            r.tests.iter().all(|t| t.status == TestStatus::Fail),
            "{r:#?}"
        );
    }

    /// Issue 13, item 11: a test that prints megabytes is stored and reported with a cap.
    #[test]
    fn a_test_that_prints_megabytes_is_capped() {
        let r = judge_script(
            AB,
            "printf 'ok a\\nfailed b\\n' > \"$log\"\n\
             printf 'failures:\\n\\n---- b stdout ----\\n'\n\
             head -c 3000000 /dev/zero | tr '\\0' x\n\
             printf '\\nthread \\047b\\047 panicked at 03_gather/tests/grade.rs:1:1:\\nboom\\n'\n\
             exit 101",
        );
        let b = r.tests.iter().find(|t| t.name == "b").unwrap();
        let output = b.output.as_deref().unwrap();
        assert!(output.len() < MAX_TEST_TEXT + 100, "{}", output.len());
        assert!(
            output.ends_with("bytes cut]"),
            "{}",
            &output[output.len() - 40..]
        );
        assert_eq!(b.message.as_deref(), Some("boom"));
    }

    #[test]
    fn a_program_that_lists_no_tests_is_an_error() {
        let r = judge_script("", "exit 0");
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert!(r.message.contains("listed no tests"), "{}", r.message);
    }
}
