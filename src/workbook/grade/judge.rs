//! Judging one exercise whose build has finished: run its tests within the time limit, read
//! their results, and put the verdict together.
//!
//! **Each test runs in a process of its own** (`NAME --exact`), and it passes only when its
//! process exited cleanly *and* the grader's proof came back: a fresh random token the harness
//! takes before any code under test runs and returns once the test's body has returned (see
//! [`super::proof`] and `exercises/support/src/proof.rs`). What the code under test can print
//! (`test x ... ok`), write (an `ok x` line in a results file: no `--logfile` is given any more)
//! or exit with (`std::process::exit(0)` halfway through) is never a pass; each is a failure
//! that says what was attempted. stdout is read only to explain a failure (the panic message,
//! its location, what the test printed).
//!
//! The verdict is decided here and only here: compile errors make `error`; a test still running
//! at the time limit makes `stuck`; a test program that crashed, or lists no tests, makes
//! `error`; otherwise `fail` when any test failed, else `pass`.
//!
//! A hang is blamed on the tests that really hang: each test has its own process and its own
//! limit (what is left of the exercise's, and never less than a short limit of its own), so a
//! test queued behind two that spin still gets to finish. A stuck test's report names the
//! exercise functions its body calls (read from the test's source), which is where the learner
//! should look. One process per test costs a few milliseconds each (the bench in
//! `docs/grading.md`).

use std::path::Path;
use std::time::{Duration, Instant};

use super::GradeOptions;
use super::classify::{advice, classify, describe_crash};
use super::proof;
use crate::text::{fmt_ms, plural};
use crate::workbook::ExerciseInfo;
use crate::workbook::cargo::PackageBuild;
use crate::workbook::libtest;
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

/// Where an exercise is judged.
pub(crate) struct Folders<'a> {
    /// The grading copy's root: the pristine `tests/grade.rs` (and `src/`) are read there.
    pub(crate) copy: &'a Path,
    /// The learner's own exercise folder: the test programs run there, with it as their
    /// `CARGO_MANIFEST_DIR`, as under the learner's `cargo test`, so that what code under test
    /// could read of its surroundings at run time is the same in both (see `facts`).
    pub(crate) runs_in: &'a Path,
}

/// Grade one exercise whose build has finished.
pub(crate) fn judge(
    folders: &Folders,
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
    let exercise_dir = folders.copy.join(&ex.name);
    let runs_in = folders.runs_in;
    let source = std::fs::read_to_string(exercise_dir.join("tests/grade.rs")).unwrap_or_default();
    let multiple = pkg.test_executables.len() > 1;
    let mut tests = Vec::new();
    let mut crash = None;
    let tests_started = Instant::now();
    let deadline = tests_started + opts.timeout;
    for (target, exe) in &pkg.test_executables {
        let prefix = |n: &str| {
            if multiple {
                format!("{target}::{n}")
            } else {
                n.to_string()
            }
        };
        let listed = match list_tests(exe, runs_in) {
            Ok(listed) => listed,
            Err(e) => {
                crash = Some(format!("cannot run the tests: {e}"));
                continue;
            }
        };
        if listed.is_empty() {
            crash.get_or_insert_with(|| {
                "the test program listed no tests: it did not run as a test harness".to_string()
            });
            continue;
        }
        // One process per test (see the module doc), as many at once as libtest would run
        // threads. Each gets what is left of the exercise's limit, and never less than a short
        // limit of its own: a test queued behind two that hang still gets to show it is fine.
        // Once one test was stopped at its limit, the code is known to hang: the tests still to
        // start get the short limit only, so each further stuck test costs seconds, not the
        // exercise's limit again.
        let seen_stuck = std::sync::atomic::AtomicBool::new(false);
        let runs = super::pool::run_bounded(&listed, test_threads(), |name| {
            let limit = deadline
                .saturating_duration_since(Instant::now())
                .max(alone_limit(opts));
            let limit = if seen_stuck.load(std::sync::atomic::Ordering::Relaxed) {
                limit.min(AFTER_STUCK_LIMIT)
            } else {
                limit
            };
            let run = run_one_test(exe, runs_in, name, limit);
            if run.as_ref().is_ok_and(|r| r.finished.timed_out) {
                seen_stuck.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            run
        });
        for (name, run) in listed.iter().zip(runs) {
            let mut t = match run {
                Ok(run) => test_report(&ex.name, &prefix(name), name, &run),
                Err(e) => {
                    crash = Some(format!("cannot run the tests: {e}"));
                    continue;
                }
            };
            // The watchdog's finding is raised in the support crate when the test's body ends:
            // point at the test, not at the watchdog.
            if matches!(
                t.kind,
                Some(FailureKind::Blocking | FailureKind::OffRuntime)
            ) && t
                .location
                .as_deref()
                .is_none_or(|l| l.starts_with("support/"))
            {
                t.location = test_location(&source, &ex.name, name).or(t.location);
            }
            if t.status == TestStatus::Stuck {
                // Read only now: needed for a glob import's names, and only for a stuck test.
                let lib =
                    std::fs::read_to_string(exercise_dir.join("src/lib.rs")).unwrap_or_default();
                let called = functions_called(&source, &lib, &ex.package, name);
                if !called.is_empty() {
                    let list: Vec<String> = called.iter().map(|f| format!("`{f}`")).collect();
                    if let Some(m) = t.message.as_mut() {
                        m.push_str(&format!(
                            ".\nIt calls {}: look there first.",
                            list.join(", ")
                        ));
                    }
                }
            }
            if t.kind == Some(FailureKind::Crash) {
                crash.get_or_insert_with(|| t.message.clone().unwrap_or_default());
            }
            tests.push(t);
        }
    }
    report.tests_ms = Some(tests_started.elapsed().as_millis() as u64);
    let count = |s: TestStatus| tests.iter().filter(|t| t.status == s).count();
    let (failed, stuck) = (count(TestStatus::Fail), count(TestStatus::Stuck));
    let verdict = if stuck > 0 {
        Verdict::Stuck
    } else if crash.is_some() {
        Verdict::Error
    } else if failed > 0 {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    report.message = match verdict {
        Verdict::Pass => format!("all {} passed", plural(tests.len(), "test")),
        Verdict::Fail => format!("{failed} of {} failed", plural(tests.len(), "test")),
        Verdict::Stuck => {
            let names: Vec<&str> = tests
                .iter()
                .filter(|t| t.status == TestStatus::Stuck)
                .map(|t| t.name.as_str())
                .collect();
            let blocked = tests
                .iter()
                .filter(|t| t.status == TestStatus::Stuck && t.kind == Some(FailureKind::Blocking))
                .count();
            let blocked = if blocked > 0 {
                format!(
                    ". In {blocked} of them the runtime was blocked: its thread stopped running \
                     tasks (a loop or a wait with no .await in it)"
                )
            } else {
                String::new()
            };
            format!(
                "stopped after {}: {} did not finish ({}). Your code may be stuck: a deadlock, \
                 an .await that never completes, or an endless loop{blocked}",
                limit(opts.timeout),
                plural(stuck, "test"),
                names.join(", ")
            )
        }
        Verdict::Error => crash.unwrap_or_default(),
    };
    report.verdict = verdict;
    report.tests = tests;
    report.duration_ms = started.elapsed().as_millis() as u64;
    report
}

/// How many test processes of one exercise run at once: what libtest would use as threads.
fn test_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The shortest limit one test gets, however little of the exercise's limit is left: a passing
/// exercise test takes milliseconds on the paused clock, so a few seconds is generous, and a
/// quarter of the limit keeps a short `--timeout` short.
/// The limit of a test started after another was stopped at its limit: time enough for a test
/// on the paused clock (milliseconds) or for the real-I/O ones (under a second), with room.
const AFTER_STUCK_LIMIT: Duration = Duration::from_secs(2);

fn alone_limit(opts: &GradeOptions) -> Duration {
    (opts.timeout / 4).clamp(Duration::from_millis(250), Duration::from_secs(5))
}

/// The exercise's functions the body of test `test` calls: names imported from the exercise's
/// package (`use ex03_gather::{load_dashboard, ...}`, or every `pub fn` of its `lib` source for
/// `use ex14_testing::*`) that appear as `name(` in its body.
fn functions_called(source: &str, lib: &str, package: &str, test: &str) -> Vec<String> {
    let mut imported = Vec::new();
    for stmt in source.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix(&format!("use {package}::")) else {
            continue;
        };
        if rest == "*" {
            imported.extend(public_functions(lib));
            continue;
        }
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

/// The names of the top-level `pub fn` and `pub async fn` items of a Rust source.
fn public_functions(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("pub async fn ")
                .or_else(|| l.strip_prefix("pub fn "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// Where test `test` is defined in the exercise's `tests/grade.rs` (`source`), as
/// `NN_name/tests/grade.rs:line:col`.
fn test_location(source: &str, exercise: &str, test: &str) -> Option<String> {
    let at = source.find(&format!("fn {test}("))?;
    let line = source[..at].matches('\n').count() + 1;
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = at - line_start + 1;
    Some(format!("{exercise}/tests/grade.rs:{line}:{col}"))
}

/// The tests a test program lists (`--list --format terse`).
fn list_tests(exe: &Path, cwd: &Path) -> std::io::Result<Vec<String>> {
    let mut cmd = test_command(exe, cwd);
    cmd.args(["--list", "--format", "terse"]);
    let list = process::run_with_timeout(cmd, Duration::from_secs(20))?;
    Ok(if list.success() {
        libtest::parse_list(&list.stdout)
    } else {
        Vec::new()
    })
}

fn test_command(exe: &Path, cwd: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(exe);
    cmd.current_dir(cwd)
        .env("CARGO_MANIFEST_DIR", cwd)
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_TEST_THREADS")
        .env_remove("RUST_TEST_NOCAPTURE")
        .env_remove(proof::CHANNEL_ENV);
    cmd
}

/// One test, run alone in a process of its own, with the grader's proof channel.
struct TestRun {
    finished: Finished,
    proof: proof::Returned,
    /// The time limit it ran under (the exercise's, or a shorter one: see `run_bounded`'s caller).
    limit: Duration,
}

/// Run test `name` alone (`--exact`, one thread) in a process of its own, with a fresh proof
/// channel (see [`proof`]).
fn run_one_test(exe: &Path, cwd: &Path, name: &str, timeout: Duration) -> std::io::Result<TestRun> {
    let mut cmd = test_command(exe, cwd);
    cmd.args([name, "--exact", "--test-threads", "1", "--color", "never"]);
    // The only place the test program may write (see `sandbox`); removed after the run, and
    // on a signal from the moment it exists (`cleanup::TempDir`).
    let scratch = crate::cleanup::TempDir::new("asyncwork-test-")?;
    // Confine first: `pre_exec` hooks run in the order they were added, and the channel's hook
    // puts its pipes at descriptors 3 and 4, closing whatever the child had there, which may be
    // the Landlock ruleset's own descriptor (restricting then failed with EINVAL, now and then,
    // depending on which numbers were free when the ruleset was made).
    crate::workbook::sandbox::confine(&mut cmd, scratch.path());
    let channel = proof::Channel::open()?;
    channel.pass_to(&mut cmd);
    let finished = process::run_limited(cmd, timeout, process::TEST_LIMITS)?;
    drop(scratch);
    let proof = channel.read();
    Ok(TestRun {
        finished,
        proof,
        limit: timeout,
    })
}

/// One test's report, from whether its body returned (the proof) and how its process ended;
/// for a failure, the explanation the harness printed on stdout.
fn test_report(exercise: &str, display_name: &str, name: &str, run: &TestRun) -> TestReport {
    let mut t = TestReport {
        name: display_name.to_string(),
        status: TestStatus::Fail,
        kind: None,
        message: None,
        location: None,
        output: None,
    };
    let finished = &run.finished;
    if let Some(hit) = finished.limit_hit {
        t.kind = Some(FailureKind::Limit);
        t.message = Some(format!("the test program {}", hit.describe()));
        return t;
    }
    let explained = libtest::parse(&finished.stdout);
    if let Some(failure) = explained.failures.get(name).cloned() {
        t.kind = Some(classify(exercise, &failure));
        let advice = advice(&failure).unwrap_or_default();
        t.message = Some(if failure.message.is_empty() {
            "failed".into()
        } else {
            capped(failure.message) + advice
        });
        t.location = failure.location;
        t.output = (!failure.output.is_empty()).then(|| capped(failure.output));
        return t;
    }
    if finished.timed_out {
        t.status = TestStatus::Stuck;
        // The support crate's watchdog says on stderr when the runtime's thread has stopped
        // running tasks: then the thread is blocked, not waiting on something that never comes.
        if super::classify::says_still_blocked(&finished.stderr) {
            t.kind = Some(FailureKind::Blocking);
            t.message = Some(format!(
                "still running after {} and stopped, with the runtime blocked: its thread stopped \
                 running tasks and never came back (a join(), block_on or std lock or channel that \
                 waits for work only this thread could run: a deadlock; or a loop with no .await)",
                limit(run.limit)
            ));
            return t;
        }
        t.kind = Some(FailureKind::Stuck);
        t.message = Some(format!(
            "still running after {} and stopped: the code may be stuck (a deadlock, an .await that \
             never completes, or an endless loop)",
            limit(run.limit)
        ));
        return t;
    }
    match &run.proof {
        proof::Returned::Token if finished.success() => {
            t.status = TestStatus::Pass;
            return t;
        }
        proof::Returned::Forged(what) => {
            t.kind = Some(FailureKind::Forged);
            t.message = Some(format!(
                "something other than the test harness wrote to the grader's results channel \
                 ({what}): a forged result is a failure"
            ));
            return t;
        }
        _ => {}
    }
    if finished.success() {
        // Exited with status 0 without the proof that the test's body returned.
        t.kind = Some(FailureKind::Forged);
        t.message = Some(if explained.completed {
            "the harness reported a pass, but the test's body never returned to it: the code \
             under test took or closed the grader's results channel"
                .to_string()
        } else if finished.stdout.contains(&format!("test {name} ... ok")) {
            "the program printed a passing result and exited before the test's body returned: \
             a forged result (a test passes only when its body returns) is a failure"
                .to_string()
        } else {
            "the program exited with status 0 before the test's body returned: the code under \
             test ended the process (`std::process::exit`?); a test passes only when its body \
             returns"
                .to_string()
        });
        return t;
    }
    t.kind = Some(FailureKind::Crash);
    t.message = Some(describe_crash(finished));
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::PermissionsExt;

    /// Judge a fake test program: a shell script that lists `list` (`a` and `b` in most tests),
    /// then, run as `NAME --exact ...`, runs `body` with `$name` set; `pass` there does what the
    /// harness does when a test's body returned (reads the token, sends it back).
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
            tasks: vec![],
        };
        std::fs::create_dir_all(dir.path().join(&ex.name).join("tests")).unwrap();
        std::fs::write(dir.path().join(&ex.name).join("tests/grade.rs"), grade_rs).unwrap();
        let exe = dir.path().join("grade-fake");
        std::fs::write(
            &exe,
            format!(
                "#!/bin/sh\n\
                 case \"$*\" in *--list*) printf '{list}'; exit 0;; esac\n\
                 name=\"$1\"\n\
                 in=${{ASYNCWORK_GRADE_CHANNEL%,*}}; out=${{ASYNCWORK_GRADE_CHANNEL#*,}}\n\
                 pass() {{ eval \"read -r tok <&$in\"; eval \"printf '%s\\n' \\\"\\$tok\\\" >&$out\"; }}\n\
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
        let folders = Folders {
            copy: dir.path(),
            runs_in: dir.path(),
        };
        judge(&folders, &ex, &pkg, "", &opts, vec![], Instant::now())
    }

    const AB: &str = "a: test\\nb: test\\n";

    fn test<'a>(r: &'a ExerciseReport, name: &str) -> &'a TestReport {
        r.tests.iter().find(|t| t.name == name).unwrap()
    }

    fn status(r: &ExerciseReport, name: &str) -> TestStatus {
        test(r, name).status
    }

    #[test]
    fn a_pass_is_the_proof_returned_and_a_clean_exit() {
        let r = judge_script(AB, "pass; printf 'test %s ... ok\\n' \"$name\"; exit 0");
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
        assert_eq!(r.message, "all 2 tests passed");
    }

    /// Issue 22, item 3: printed result lines, an early `exit(0)`, an `ok` line written to the
    /// results channel: each a failure that says what was attempted.
    #[test]
    fn forged_results_are_failures_that_say_what_was_attempted() {
        let r = judge_script(
            "a: test\\nb: test\\nc: test\\nd: test\\n",
            "case $name in\n\
               a) pass; exit 0;;\n\
               b) printf 'test b ... ok\\ntest result: ok. 1 passed\\n'; exit 0;;\n\
               c) exit 0;;\n\
               d) eval \"printf 'ok d\\n' >&$out\"; exit 0;;\n\
             esac",
        );
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        assert_eq!(status(&r, "a"), TestStatus::Pass);
        let says = |n: &str| {
            let t = test(&r, n);
            assert_eq!(t.status, TestStatus::Fail, "{t:#?}");
            assert_eq!(t.kind, Some(FailureKind::Forged), "{t:#?}");
            t.message.clone().unwrap()
        };
        assert!(
            says("b").contains("the harness reported a pass, but"),
            "{}",
            says("b")
        );
        assert!(says("c").contains("`std::process::exit`"), "{}", says("c"));
        assert!(says("d").contains("results channel"), "{}", says("d"));
        assert_eq!(r.message, "3 of 4 tests failed");
    }

    #[test]
    fn a_failure_exit_status_is_never_a_pass() {
        let r = judge_script(AB, "pass; exit 3");
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert!(r.message.contains("exited with code 3"), "{}", r.message);
    }

    /// Issue 13, item 11: a test that prints megabytes is stored and reported with a cap.
    #[test]
    fn a_test_that_prints_megabytes_is_capped() {
        let r = judge_script(
            AB,
            "[ \"$name\" = a ] && { pass; exit 0; }\n\
             printf 'failures:\\n\\n---- b stdout ----\\n'\n\
             head -c 300000 /dev/zero | tr '\\0' x\n\
             printf '\\nthread \\047b\\047 panicked at 03_gather/tests/grade.rs:1:1:\\nboom\\n'\n\
             exit 101",
        );
        assert_eq!(status(&r, "a"), TestStatus::Pass);
        let b = test(&r, "b");
        let output = b.output.as_deref().unwrap();
        assert!(output.len() < MAX_TEST_TEXT + 100, "{}", output.len());
        assert!(
            output.ends_with("bytes cut]"),
            "{}",
            &output[output.len() - 40..]
        );
        assert_eq!(b.message.as_deref(), Some("boom"));
    }

    /// Issue 22, item 4: output past 1 MB is a limit, said as such.
    #[test]
    fn output_past_the_limit_is_reported_as_such() {
        let r = judge_script(AB, "pass; head -c 3000000 /dev/zero; exit 0");
        assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
        let t = test(&r, "a");
        assert_eq!(t.kind, Some(FailureKind::Limit), "{t:#?}");
        assert!(
            t.message
                .as_deref()
                .unwrap()
                .contains("printed more than 1 MB"),
            "{t:#?}"
        );
    }

    /// Issue 14: two tests spin; a third, queued behind them, finishes in its own process. Only
    /// the spinning ones are stuck, and the report names the function they call.
    #[test]
    fn a_hang_is_blamed_on_the_tests_that_really_hang() {
        let grade_rs = "use ex03_gather::{load_dashboard, load_report_pair};\n\
                        #[tokio::test]\nasync fn a() { load_report_pair(&w).await; }\n\
                        #[tokio::test]\nasync fn b() { let d = load_dashboard(&w, 1).await; }\n\
                        #[tokio::test]\nasync fn c() { load_dashboard(&w, 2).await; }\n";
        let r = judge_script_with(
            "b: test\\nc: test\\na: test\\n",
            "case $name in\n\
               a) pass; exit 0;;\n\
               *) sleep 30;;\n\
             esac",
            Duration::from_millis(800),
            grade_rs,
        );
        assert_eq!(r.verdict, Verdict::Stuck, "{r:#?}");
        assert_eq!(
            status(&r, "a"),
            TestStatus::Pass,
            "it only waited for a turn"
        );
        assert_eq!(status(&r, "b"), TestStatus::Stuck);
        assert_eq!(status(&r, "c"), TestStatus::Stuck);
        let msg = test(&r, "b").message.as_deref().unwrap();
        assert!(msg.contains("`load_dashboard`"), "{msg}");
        assert!(!msg.contains("load_report_pair"), "{msg}");
        assert!(
            r.message.contains("2 tests did not finish (b, c)"),
            "{}",
            r.message
        );
    }

    /// Issue 27: a test stopped at the limit while the watchdog said its runtime was blocked is
    /// reported as blocking (and still counts as stuck), with the test's own location.
    #[test]
    fn stuck_with_the_runtime_blocked_says_blocked() {
        let grade_rs = "use ex03_gather::load_dashboard;\n#[tokio::test]\nasync fn b() {\n    \
                        load_dashboard(&w, 1).await;\n}\n";
        let r = judge_script_with(
            "b: test\\n",
            "echo 'support: the runtime was blocked for over 1002 ms and still is' >&2; sleep 30",
            Duration::from_millis(800),
            grade_rs,
        );
        assert_eq!(r.verdict, Verdict::Stuck, "{r:#?}");
        let b = test(&r, "b");
        assert_eq!(b.kind, Some(FailureKind::Blocking), "{b:#?}");
        let msg = b.message.as_deref().unwrap();
        assert!(msg.contains("with the runtime blocked"), "{msg}");
        assert!(msg.contains("`load_dashboard`"), "{msg}");
        assert_eq!(b.location.as_deref(), Some("03_gather/tests/grade.rs:3:7"));
    }

    #[test]
    fn functions_called_are_read_from_the_test_body() {
        let src = "use ex03_gather::{load_all_reports, load_dashboard};\nuse support::World;\n\
                   #[tokio::test]\nasync fn t1() {\n  let x = load_dashboard(&w, 1).await;\n}\n\
                   #[tokio::test]\nasync fn t2() { load_all_reports(&w, &[1]).await; }\n";
        assert_eq!(
            functions_called(src, "", "ex03_gather", "t1"),
            vec!["load_dashboard"]
        );
        assert_eq!(
            functions_called(src, "", "ex03_gather", "t2"),
            vec!["load_all_reports"]
        );
        assert!(functions_called(src, "", "ex03_gather", "nope").is_empty());
        // A glob import (12, 14) names every public function of the exercise's lib.
        let glob = "use ex14_testing::*;\n#[test]\nfn t() {\n    let rt = paused_runtime();\n}\n";
        let lib = "pub fn paused_runtime() -> R {}\npub async fn elapsed_of<F>(f: F) {}\nfn private() {}\n";
        assert_eq!(
            functions_called(glob, lib, "ex14_testing", "t"),
            vec!["paused_runtime"]
        );
        assert_eq!(
            test_location(glob, "14_testing", "t").as_deref(),
            Some("14_testing/tests/grade.rs:3:1")
        );
    }

    #[test]
    fn a_program_that_lists_no_tests_is_an_error() {
        let r = judge_script("", "exit 0");
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert!(r.message.contains("listed no tests"), "{}", r.message);
    }
}
