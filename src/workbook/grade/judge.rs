//! Judging one exercise whose build has finished: run its test programs within the time limit,
//! read their results, and put the verdict together.
//!
//! The verdict is decided here and only here: compile errors make `error`; a test program killed
//! at the time limit makes `stuck`; a program that exits with a failure status and no failed test
//! makes `error` (a crash, or results that cannot be trusted); a program that lists no tests makes
//! `error`; otherwise `fail` when any test failed or has no result, else `pass`. Whether a test
//! passed comes from the harness's results file, never from stdout (see `libtest`).
//!
//! A hang is attributed to the tests that really hang. When a test program is stopped at the
//! time limit, the tests without a result are not all stuck: libtest runs a few at once, and the
//! ones still queued behind two spinning tests never got a thread. So each unfinished test is run
//! again alone, with a short limit: one that finishes gets its true result; one that times out
//! again is stuck, and the report names the exercise functions its body calls (read from the
//! test's source), which is where the learner should look. The alternative, `--test-threads 1`
//! from the start, would make every check slower to catch a rare hang.

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
    // Tests stopped without a result: (index in `tests`, program, name in that program).
    let mut unfinished: Vec<(usize, &Path, String)> = Vec::new();
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
                    if result.is_none() && run.finished.timed_out {
                        unfinished.push((tests.len(), exe.as_path(), name.clone()));
                    }
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
    // Every unfinished test finished alone: none is stuck, only starved.
    if verdict == Verdict::Stuck && attribute_hang(root, ex, &mut tests, &unfinished, opts) {
        verdict = Verdict::Pass;
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
        Verdict::Stuck => {
            let names: Vec<&str> = tests
                .iter()
                .filter(|t| t.status == TestStatus::Stuck)
                .map(|t| t.name.as_str())
                .collect();
            format!(
                "stopped after {}: {} did not finish ({}). Your code may be stuck: a deadlock, \
                 an .await that never completes, or an endless loop",
                limit(opts.timeout),
                plural(stuck, "test"),
                names.join(", ")
            )
        }
        Verdict::Error => report.message,
    };
    report.verdict = verdict;
    report.tests = tests;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report
}

/// How long one unfinished test gets when run again alone: a passing exercise test takes
/// milliseconds on the paused clock, so a few seconds is generous, and a quarter of the limit
/// keeps a short `--timeout` short.
fn alone_limit(opts: &GradeOptions) -> Duration {
    (opts.timeout / 4).clamp(Duration::from_millis(250), Duration::from_secs(5))
}

/// At most this many unfinished tests are run again alone; the rest keep "stuck".
const MAX_ALONE: usize = 8;

/// Run each unfinished test again alone (see the module doc). Tests that finish get their
/// result; tests that time out again stay stuck and name the functions they call. Returns true
/// when none is stuck after all.
fn attribute_hang(
    root: &Path,
    ex: &ExerciseInfo,
    tests: &mut [TestReport],
    unfinished: &[(usize, &Path, String)],
    opts: &GradeOptions,
) -> bool {
    let exercise_dir = root.join(&ex.name);
    let source = std::fs::read_to_string(exercise_dir.join("tests/grade.rs")).unwrap_or_default();
    let mut still_stuck = tests
        .iter()
        .filter(|t| t.status == TestStatus::Stuck)
        .count();
    for (index, exe, name) in unfinished.iter().take(MAX_ALONE) {
        let Ok(run) = run_one_test(exe, &exercise_dir, name, alone_limit(opts)) else {
            continue;
        };
        let results = libtest::parse_log(&run.log, std::slice::from_ref(name));
        let result = results.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
        let display = tests[*index].name.clone();
        if result.is_some() && !run.finished.timed_out {
            let explained = libtest::parse(&run.finished.stdout);
            tests[*index] = test_report(
                &ex.name,
                &display,
                name,
                result,
                &explained,
                &run.finished,
                opts,
            );
            still_stuck -= 1;
        } else {
            let called = functions_called(&source, &ex.package, name);
            let t = &mut tests[*index];
            let mut message = format!(
                "still running after {} with the others, and again after {} alone: this test \
                 is stuck (a deadlock, an .await that never completes, or an endless loop)",
                limit(opts.timeout),
                limit(alone_limit(opts))
            );
            if !called.is_empty() {
                let list: Vec<String> = called.iter().map(|f| format!("`{f}`")).collect();
                message.push_str(&format!(
                    ".\nIt calls {}: look there first.",
                    list.join(", ")
                ));
            }
            t.message = Some(message);
        }
    }
    still_stuck == 0
}

/// The exercise's functions the body of test `test` calls: names imported from the exercise's
/// package (`use ex03_gather::{load_dashboard, ...}`) that appear as `name(` in its body.
fn functions_called(source: &str, package: &str, test: &str) -> Vec<String> {
    let mut imported = Vec::new();
    for stmt in source.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix(&format!("use {package}::")) else {
            continue;
        };
        let names = rest.trim_start_matches('{').trim_end_matches('}');
        for n in names.split(',') {
            let n = n.trim();
            if !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_') {
                imported.push(n.to_string());
            }
        }
    }
    let needle = format!("fn {test}(");
    let Some(start) = source.find(&needle) else {
        return Vec::new();
    };
    let body = &source[start + needle.len()..];
    let end = ["\n#[", "\nfn ", "\nasync fn "]
        .iter()
        .filter_map(|m| body.find(m))
        .min()
        .unwrap_or(body.len());
    let body = &body[..end];
    imported
        .into_iter()
        .filter(|f| {
            body.match_indices(f.as_str()).any(|(i, _)| {
                let before = body[..i].chars().next_back();
                let after = body[i + f.len()..].trim_start().chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
            })
        })
        .collect()
}

/// Run one test alone (`--exact`, one thread) with its own results file.
fn run_one_test(exe: &Path, cwd: &Path, name: &str, timeout: Duration) -> std::io::Result<TestRun> {
    let results_dir = tempfile::Builder::new()
        .prefix("asyncwork-results-")
        .tempdir()?;
    let log_path = results_dir.path().join("results.log");
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        name,
        "--exact",
        "--test-threads",
        "1",
        "--color",
        "never",
        "--logfile",
    ])
    .arg(&log_path)
    .current_dir(cwd)
    .env("CARGO_MANIFEST_DIR", cwd)
    .env("RUST_BACKTRACE", "0")
    .env_remove("RUST_TEST_NOCAPTURE");
    let finished = process::run_with_timeout(cmd, timeout)?;
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    Ok(TestRun {
        listed: vec![name.to_string()],
        finished,
        log,
    })
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
        judge_script_with(list, body, Duration::from_secs(10), "")
    }

    /// [`judge_script`] with a time limit and the exercise's `tests/grade.rs`.
    fn judge_script_with(
        list: &str,
        body: &str,
        timeout: Duration,
        grade_rs: &str,
    ) -> ExerciseReport {
        let dir = tempfile::tempdir().unwrap();
        let ex = ExerciseInfo {
            name: "03_gather".into(),
            package: "ex03_gather".into(),
            lesson: "gather".into(),
            title: "t".into(),
            hints: vec![],
            hint_tests: vec![],
        };
        std::fs::create_dir_all(dir.path().join(&ex.name).join("tests")).unwrap();
        std::fs::write(dir.path().join(&ex.name).join("tests/grade.rs"), grade_rs).unwrap();
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
            timeout,
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

    /// Issue 14: two tests spin, holding libtest's threads; a third never got one. Only the
    /// spinning ones are stuck, and the report names the function they call.
    #[test]
    fn a_hang_is_blamed_on_the_tests_that_really_hang() {
        let grade_rs = "use ex03_gather::{load_dashboard, load_report_pair};\n\
                        #[tokio::test]\nasync fn a() { load_report_pair(&w).await; }\n\
                        #[tokio::test]\nasync fn b() { let d = load_dashboard(&w, 1).await; }\n\
                        #[tokio::test]\nasync fn c() { load_dashboard(&w, 2).await; }\n";
        let r = judge_script_with(
            "a: test\\nb: test\\nc: test\\n",
            "case \"$*\" in\n\
               *'a --exact'*) printf 'ok a\\n' > \"$log\"; exit 0;;\n\
               *) sleep 30;;\n\
             esac",
            Duration::from_millis(800),
            grade_rs,
        );
        assert_eq!(r.verdict, Verdict::Stuck, "{r:#?}");
        assert_eq!(
            status(&r, "a"),
            TestStatus::Pass,
            "it only waited for a thread"
        );
        assert_eq!(status(&r, "b"), TestStatus::Stuck);
        assert_eq!(status(&r, "c"), TestStatus::Stuck);
        let b = r.tests.iter().find(|t| t.name == "b").unwrap();
        let msg = b.message.as_deref().unwrap();
        assert!(msg.contains("`load_dashboard`"), "{msg}");
        assert!(!msg.contains("load_report_pair"), "{msg}");
        assert!(
            r.message.contains("2 tests did not finish (b, c)"),
            "{}",
            r.message
        );
    }

    #[test]
    fn functions_called_are_read_from_the_test_body() {
        let src = "use ex03_gather::{load_all_reports, load_dashboard};\nuse support::World;\n\
                   #[tokio::test]\nasync fn t1() {\n  let x = load_dashboard(&w, 1).await;\n}\n\
                   #[tokio::test]\nasync fn t2() { load_all_reports(&w, &[1]).await; }\n";
        assert_eq!(
            functions_called(src, "ex03_gather", "t1"),
            vec!["load_dashboard"]
        );
        assert_eq!(
            functions_called(src, "ex03_gather", "t2"),
            vec!["load_all_reports"]
        );
        assert!(functions_called(src, "ex03_gather", "nope").is_empty());
    }

    #[test]
    fn a_program_that_lists_no_tests_is_an_error() {
        let r = judge_script("", "exit 0");
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert!(r.message.contains("listed no tests"), "{}", r.message);
    }
}
