//! The grader on crafted learner attempts, against a temporary copy of the workbook.
//!
//! All tests share ONE workbook (behind a lock) and ONE target dir (`target/grader-tests`), so
//! tokio and the exercise crates compile once; each test writes its attempt, grades, asserts.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use asyncwork::progress::Progress;
use asyncwork::workbook::grade::{self, GradeOptions, Quiet};
use asyncwork::workbook::report::{ExerciseReport, FailureKind, TestReport, TestStatus, Verdict};
use asyncwork::workbook::{ExerciseCatalogue, ExerciseInfo, Workbook, embed, reset};

const GATHER: &str = "03_gather";

struct Shared {
    root: PathBuf,
}

use crate::common::exercise_target as target_dir;

/// Both guards of a grading test: the exercise build cache, then the shared workbook.
struct Held {
    _cache: MutexGuard<'static, ()>,
    _shared: MutexGuard<'static, Shared>,
}

/// The shared workbook, locked for the duration of one test.
///
/// It lives at a fixed path under the shared target dir and is restored (not rewritten) at the
/// start of each run: unchanged files keep their mtimes, so cargo does not rebuild the
/// exercise crates from one `cargo test` to the next.
fn workbook() -> (Held, Workbook) {
    let cache = crate::common::exercise_cache();
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    let shared = SHARED.get_or_init(|| {
        let root = target_dir().join("workbook");
        if asyncwork::workbook::discover::is_workbook(&root) {
            reset::reset_all(&Workbook::new(&root)).unwrap();
            for f in ["progress.db", "progress.db-wal", "progress.db-shm"] {
                let _ = std::fs::remove_file(root.join(".asyncwork").join(f));
            }
        } else {
            let _ = std::fs::remove_dir_all(&root);
            asyncwork::workbook::init::init(&root).unwrap();
        }
        Mutex::new(Shared { root })
    });
    let guard = shared.lock().unwrap_or_else(|p| p.into_inner());
    let mut wb = Workbook::new(&guard.root);
    wb.target_override = Some(target_dir());
    // One build for these tests and `check --solutions` in .ci/run (same CARGO_TARGET_DIR).
    wb.share_the_proofs_build();
    (
        Held {
            _cache: cache,
            _shared: guard,
        },
        wb,
    )
}

fn info(name: &str) -> ExerciseInfo {
    // An exercise may be on disk before it is listed in info.toml.
    ExerciseCatalogue::embedded()
        .get(name)
        .cloned()
        .unwrap_or_else(|| ExerciseInfo {
            name: name.into(),
            package: format!("ex{name}"),
            lesson: name
                .split_once('_')
                .map(|(_, l)| l.to_string())
                .unwrap_or_default(),
            title: name.into(),
            hints: vec![],
            hint_tests: vec![],
            tasks: vec![],
        })
}

/// The `#[test]` / `#[tokio::test]` functions of an exercise's pristine `tests/grade.rs`, in the
/// file's order (read line by line here, apart from the grader's own reading).
fn test_fns_in_file_order(name: &str) -> Vec<String> {
    let rel = Path::new(name).join("tests/grade.rs");
    let source = String::from_utf8(embed::pristine(&rel).unwrap().to_vec()).unwrap();
    let mut out = Vec::new();
    let mut attribute = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
            attribute = true;
        } else if let Some(rest) = line
            .strip_prefix("async fn ")
            .or_else(|| line.strip_prefix("fn "))
            .filter(|_| attribute)
        {
            out.push(rest.split('(').next().unwrap().to_string());
            attribute = false;
        }
    }
    assert!(out.len() > 3, "{out:?}");
    out
}

/// The words of `text` on one line: what a wrapped text says, whatever the width.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shipped(name: &str) -> String {
    let rel = Path::new(name).join("src/lib.rs");
    String::from_utf8(embed::pristine(&rel).unwrap().to_vec()).unwrap()
}

fn solution(name: &str) -> String {
    let files = embed::solution_files(name);
    let (_, contents) = files
        .iter()
        .find(|(p, _)| p == Path::new("src/lib.rs"))
        .unwrap();
    String::from_utf8(contents.to_vec()).unwrap()
}

/// Write `lib_rs` as the learner's `src/lib.rs` (everything else pristine) and grade it.
fn attempt(wb: &Workbook, name: &str, lib_rs: &str, timeout: Duration) -> ExerciseReport {
    reset::reset_exercise(wb, name).unwrap();
    std::fs::write(wb.exercise_dir(name).join("src/lib.rs"), lib_rs).unwrap();
    let opts = GradeOptions {
        timeout,
        use_record: false,
        ..Default::default()
    };
    let ex = info(name);
    let mut reports = grade::grade(wb, &[&ex], &opts, None, &Quiet).unwrap();
    reports.remove(0)
}

fn failing(r: &ExerciseReport) -> Vec<&TestReport> {
    r.tests
        .iter()
        .filter(|t| t.status != TestStatus::Pass)
        .collect()
}

#[test]
#[ignore = "builds exercise crates"]
fn correct_solution_passes() {
    let (_g, wb) = workbook();
    let r = attempt(&wb, GATHER, &solution(GATHER), Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    assert!(r.tests.len() >= 3);
    assert!(r.tests.iter().all(|t| t.status == TestStatus::Pass));
    assert!(r.tampered.is_empty());
}

#[test]
#[ignore = "builds exercise crates"]
fn correct_but_sequential_fails_with_the_timing_message() {
    let (_g, wb) = workbook();
    let r = attempt(&wb, GATHER, &shipped(GATHER), Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    let t = r
        .tests
        .iter()
        .find(|t| t.name == "dashboard_runs_the_three_calls_concurrently")
        .expect("the concurrency test");
    assert_eq!(t.status, TestStatus::Fail);
    assert_eq!(t.kind, Some(FailureKind::Timing));
    let msg = t.message.as_deref().unwrap();
    assert!(msg.contains("took 900 ms of simulated time"), "{msg}");
    assert!(msg.contains("about 300 ms"), "{msg}");
    assert!(
        t.location
            .as_deref()
            .unwrap()
            .starts_with("03_gather/tests/grade.rs:")
    );
    // Correct answers still pass: the failure is about time, not results.
    let right = r
        .tests
        .iter()
        .find(|t| t.name == "dashboard_has_the_right_user_orders_and_preferences")
        .unwrap();
    assert_eq!(right.status, TestStatus::Pass);
}

#[test]
#[ignore = "builds exercise crates"]
fn blocking_the_runtime_is_reported_as_blocking() {
    let (_g, wb) = workbook();
    // 09_blocking as shipped: `std::thread::sleep` inside async code. Graded the same way
    // whether or not info.toml lists it yet.
    let r = attempt(
        &wb,
        "09_blocking",
        &shipped("09_blocking"),
        Duration::from_secs(60),
    );
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    let blocking: Vec<_> = failing(&r)
        .into_iter()
        .filter(|t| t.kind == Some(FailureKind::Blocking))
        .collect();
    assert!(!blocking.is_empty(), "{r:#?}");
    assert!(
        blocking[0]
            .message
            .as_deref()
            .unwrap()
            .contains("the runtime was blocked")
    );
    let human = asyncwork::render::grading::human(&r);
    assert!(human.contains("blocks the runtime"), "{human}");
}

#[test]
#[ignore = "builds exercise crates"]
fn blocking_by_joining_a_thread_is_caught_end_to_end() {
    let (_g, wb) = workbook();
    // issue 12: `std::thread::spawn(..).join()` around the blocking call used to pass, because
    // only the support crate's own sync calls were watched. The watchdog sees any stall.
    let solved = solution("09_blocking");
    let old = "tokio::task::spawn_blocking(move || legacy_checksum(&data))\n        .await\n        .expect(\"the checksum job panicked\")";
    assert!(solved.contains(old));
    let joined = solved.replacen(
        old,
        "std::thread::spawn(move || legacy_checksum(&data)).join().expect(\"panicked\")",
        1,
    );
    let r = attempt(&wb, "09_blocking", &joined, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    let t = r
        .tests
        .iter()
        .find(|t| t.name == "checksum_gives_the_library_result_without_blocking_the_runtime")
        .unwrap();
    assert_eq!(t.kind, Some(FailureKind::Blocking), "{t:#?}");
    assert!(
        t.message
            .as_deref()
            .unwrap()
            .contains("the runtime was blocked for ~"),
        "{t:#?}"
    );
}

#[test]
#[ignore = "builds exercise crates"]
fn code_that_does_not_compile_is_an_error_with_file_and_line() {
    let (_g, wb) = workbook();
    let broken = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user: u32 = world.fetch_user(user_id).await;",
        1,
    );
    let line = broken
        .lines()
        .position(|l| l.contains("let user: u32"))
        .unwrap() as u64
        + 1;
    let r = attempt(&wb, GATHER, &broken, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
    assert!(r.tests.is_empty());
    let e = &r.errors[0];
    assert_eq!(e.file.as_deref(), Some("03_gather/src/lib.rs"));
    assert_eq!(e.line, Some(line));
    assert_eq!(e.code.as_deref(), Some("E0308"));
    assert!(
        r.message.contains(&format!("03_gather/src/lib.rs:{line}:")),
        "{}",
        r.message
    );
    assert!(e.rendered.contains("mismatched types"));
    assert!(
        !e.rendered.contains(".asyncwork/grade"),
        "paths are the learner's: {}",
        e.rendered
    );
}

#[test]
#[ignore = "builds exercise crates"]
fn a_panic_in_learner_code_is_reported_as_a_panic() {
    let (_g, wb) = workbook();
    let panicking = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user = world.fetch_user(user_id).await;\n    let ids: Vec<u32> = Vec::new();\n    let _first = ids[0];",
        1,
    );
    let r = attempt(&wb, GATHER, &panicking, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    let t = r
        .tests
        .iter()
        .find(|t| t.name == "dashboard_calls_each_service_once")
        .unwrap();
    assert_eq!(t.kind, Some(FailureKind::Panic), "{t:#?}");
    assert!(
        t.message
            .as_deref()
            .unwrap()
            .contains("index out of bounds"),
        "{t:#?}"
    );
    assert!(
        t.location
            .as_deref()
            .unwrap()
            .starts_with("03_gather/src/lib.rs:"),
        "{t:#?}"
    );
}

fn leftover_processes(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cwd) = std::fs::read_link(entry.path().join("cwd")) else {
            continue;
        };
        // The grading copy (where test programs run) is below the tests' target dir.
        if cwd.starts_with(root) || cwd.starts_with(target_dir()) {
            let cmd = std::fs::read_to_string(entry.path().join("cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            if !stat.contains(") Z ") {
                found.push(cmd.replace('\0', " "));
            }
        }
    }
    found
}

#[test]
#[ignore = "builds exercise crates"]
fn an_endless_loop_is_killed_by_the_timeout_and_reported_as_stuck() {
    let (_g, wb) = workbook();
    let endless = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user = world.fetch_user(user_id).await;\n    let mut n: u64 = 0;\n    loop {\n        n = std::hint::black_box(n.wrapping_add(1));\n    }",
        1,
    );
    let started = Instant::now();
    let r = attempt(&wb, GATHER, &endless, Duration::from_secs(3));
    assert_eq!(r.verdict, Verdict::Stuck, "{r:#?}");
    assert!(r.message.contains("stuck"), "{}", r.message);
    assert!(r.message.contains("endless loop"), "{}", r.message);
    let stuck: Vec<_> = r
        .tests
        .iter()
        .filter(|t| t.status == TestStatus::Stuck)
        .collect();
    assert!(
        stuck.iter().any(|t| t.name.starts_with("dashboard_")),
        "{r:#?}"
    );
    // The loop has no .await: the runtime's thread never comes back, and the watchdog says so
    // after a second (issue 27), so a test given the whole limit reads "blocked"; one queued
    // behind it and given a short limit of its own may be stopped before that and read "stuck".
    assert!(
        stuck
            .iter()
            .all(|t| matches!(t.kind, Some(FailureKind::Stuck | FailureKind::Blocking))),
        "{r:#?}"
    );
    let blocked = stuck
        .iter()
        .find(|t| t.kind == Some(FailureKind::Blocking))
        .unwrap_or_else(|| panic!("no stuck test was seen blocked: {r:#?}"));
    let said = blocked.message.as_deref().unwrap_or_default();
    assert!(said.contains("with the runtime blocked"), "{said}");
    assert!(
        blocked
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("03_gather/tests/grade.rs:")),
        "{blocked:#?}"
    );
    // Tests that do not call the looping function still finished and passed.
    assert!(
        r.tests
            .iter()
            .any(|t| t.name == "all_reports_of_no_ids_is_empty" && t.status == TestStatus::Pass)
    );
    assert!(
        r.tests_ms.unwrap() < 9_000,
        "killed near the 3 s limit: {:?}",
        r.tests_ms
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(200));
    let left = leftover_processes(&wb.root);
    assert!(left.is_empty(), "processes left behind: {left:?}");
    let human = asyncwork::render::grading::human(&r);
    assert!(human.contains("--timeout"), "{human}");
}

#[test]
#[ignore = "builds exercise crates"]
fn an_edited_test_file_is_reported_and_the_original_is_used() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let tests = wb.exercise_dir(GATHER).join("tests/grade.rs");
    // The learner "fixes" the tests instead of the code.
    std::fs::write(&tests, "#[test]\nfn always_passes() {}\n").unwrap();
    std::fs::write(
        wb.exercise_dir(GATHER).join("tests/mine.rs"),
        "#[test]\nfn mine() {}\n",
    )
    .unwrap();
    // ... and builds them with cargo in the workbook itself, into the shared target dir: the
    // grader must not pick up that build (same crate, same relative paths, newer mtime).
    let built = std::process::Command::new(env!("CARGO"))
        .args([
            "test",
            "--no-run",
            "--quiet",
            "-p",
            "ex03_gather",
            "--manifest-path",
        ])
        .arg(wb.root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let opts = GradeOptions {
        use_record: false,
        ..Default::default()
    };
    let ex = info(GATHER);
    let r = grade::grade(&wb, &[&ex], &opts, None, &Quiet)
        .unwrap()
        .remove(0);
    assert_eq!(
        r.verdict,
        Verdict::Fail,
        "graded with the original tests: {r:#?}"
    );
    assert!(
        r.tests
            .iter()
            .all(|t| t.name != "always_passes" && t.name != "mine")
    );
    let changed: Vec<(&str, &str)> = r
        .tampered
        .iter()
        .map(|t| (t.path.as_str(), t.change.as_str()))
        .collect();
    assert!(
        changed.contains(&("03_gather/tests/grade.rs", "modified")),
        "{changed:?}"
    );
    assert!(
        changed.contains(&("03_gather/tests/mine.rs", "added")),
        "{changed:?}"
    );
    // Wrapped to the terminal's width: compare the words.
    let human = asyncwork::render::grading::human(&r);
    let human = human.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        human.contains("you changed 03_gather/tests/grade.rs"),
        "{human}"
    );
    assert!(human.contains("grading used the original"), "{human}");
    assert!(human.contains("your edit was ignored"), "{human}");
    // The learner's edited file is left alone: graded from a pristine copy, not restored.
    assert_eq!(
        std::fs::read_to_string(&tests).unwrap(),
        "#[test]\nfn always_passes() {}\n"
    );
    reset::reset_exercise(&wb, GATHER).unwrap();
    assert!(!wb.exercise_dir(GATHER).join("tests/mine.rs").exists());
}

#[test]
#[ignore = "builds exercise crates"]
fn unchanged_sources_are_answered_from_the_record() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let progress = Progress::open(&wb.progress_path()).unwrap();
    let opts = GradeOptions {
        use_record: true,
        ..Default::default()
    };
    let ex = info(GATHER);
    let first = grade::grade(&wb, &[&ex], &opts, Some(&progress), &Quiet)
        .unwrap()
        .remove(0);
    let started = Instant::now();
    let again = grade::grade(&wb, &[&ex], &opts, Some(&progress), &Quiet)
        .unwrap()
        .remove(0);
    let took = started.elapsed();
    assert!(again.from_record.is_some(), "{again:#?}");
    assert_eq!(again.verdict, first.verdict);
    assert_eq!(again.tests, first.tests);
    assert!(
        took < Duration::from_millis(500),
        "answered from the record in {took:?}"
    );
    let human = asyncwork::render::grading::human(&again);
    assert!(human.contains("answered from the record"), "{human}");
    let attempts = progress.attempts(GATHER).unwrap();
    assert!(attempts.len() >= 2);
    let last = attempts.last().unwrap();
    assert!(last.from_record);
    assert_eq!(last.source_hash, first.source_hash);
    assert!(!last.failing_tests.is_empty());
}

#[test]
#[ignore = "builds exercise crates"]
fn check_all_grades_every_catalogued_exercise() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let cat = ExerciseCatalogue::embedded();
    let all: Vec<&ExerciseInfo> = cat.exercises.iter().collect();
    let opts = GradeOptions {
        use_record: false,
        jobs: 2,
        ..Default::default()
    };
    let reports = grade::grade(&wb, &all, &opts, None, &Quiet).unwrap();
    assert_eq!(reports.len(), all.len());
    for (r, ex) in reports.iter().zip(&all) {
        assert_eq!(r.exercise, ex.name);
        assert!(!r.passed(), "{} should fail as shipped", r.exercise);
    }
}

// ---- the CLI, on the same workbook ----

/// The names of the tests in an exercise's pristine `tests/grade.rs`.
fn test_names(name: &str) -> Vec<String> {
    let rel = Path::new(name).join("tests/grade.rs");
    let source = String::from_utf8(embed::pristine(&rel).unwrap().to_vec()).unwrap();
    source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("async fn "))
        .filter_map(|l| l.split_once('(').map(|(n, _)| n.to_string()))
        .collect()
}

/// Issue 13, item 2: learner code that prints `test NAME ... ok` for every test, from a
/// constructor that runs before the harness and again from inside a test, with every function
/// still `todo!()`, is not a pass: not in the report, not in JSON, not in the record. Since
/// issue 22 (item 3) it does not even compile: the grading copy forbids `unsafe` code, which is
/// what a constructor or a raw descriptor needs (and what could read the grader's token).
#[test]
#[ignore = "builds exercise crates"]
fn forged_result_lines_on_stdout_are_not_a_pass() {
    let (_g, wb) = workbook();
    let names = test_names(GATHER);
    assert!(names.len() >= 3, "{names:?}");
    let forged_lines: String = names
        .iter()
        .map(|n| format!("test {n} ... ok\\n"))
        .collect();
    let forger = format!(
        r#"use support::ServiceError;
use support::world::{{Order, Preferences, Report, User, World}};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {{
    pub user: User,
    pub orders: Vec<Order>,
    pub preferences: Preferences,
}}

/// Writes to the real stdout (file descriptor 1), around the harness's capture.
fn forge() {{
    use std::io::Write;
    use std::os::fd::FromRawFd;
    let mut out = std::mem::ManuallyDrop::new(unsafe {{ std::fs::File::from_raw_fd(1) }});
    let _ = out.write_all(b"{forged_lines}");
}}

#[used]
#[unsafe(link_section = ".init_array")]
static FORGE_AT_START: extern "C" fn() = {{
    extern "C" fn at_start() {{
        forge();
    }}
    at_start
}};

pub async fn load_dashboard(_world: &World, _user_id: u32) -> Dashboard {{
    forge();
    todo!()
}}

pub async fn load_all_reports(_world: &World, _ids: &[u32]) -> Vec<Result<Report, ServiceError>> {{
    forge();
    todo!()
}}

pub async fn load_report_pair(
    _world: &World,
    _first: u32,
    _second: u32,
) -> Result<(Report, Report), ServiceError> {{
    forge();
    todo!()
}}
"#
    );
    let r = attempt(&wb, GATHER, &forger, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
    assert!(
        r.errors.iter().any(|e| e.rendered.contains("unsafe")),
        "{r:#?}"
    );

    // Through the CLI: results.json and the record say so too.
    let _ = std::fs::remove_file(wb.progress_path());
    let out = cli(&wb)
        .args(["check", GATHER, "--format", "json", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "error", "{v}");
    let p = Progress::open(&wb.progress_path()).unwrap();
    let last = p.attempts(GATHER).unwrap().pop().unwrap();
    assert_eq!(last.outcome, "error");
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 22, item 3: safe learner code that forges a pass every documented way at once (appends
/// `ok NAME` to a `--logfile` named on its command line, writes to the grader's results channel
/// found by its number, prints `test NAME ... ok`, then `std::process::exit(0)`) fails every
/// test, each saying what was attempted.
#[test]
#[ignore = "builds exercise crates"]
fn an_early_exit_a_logfile_or_a_written_ok_is_not_a_pass() {
    let (_g, wb) = workbook();
    let names = test_names(GATHER);
    let forger = shipped(GATHER).replace(
        "let user = world.fetch_user(user_id).await;",
        &format!(
            r#"{{
        use std::io::Write;
        let names = {names:?};
        // Read from /proc: learner code that names `std::env` is refused before it is built.
        let nul_separated = |path: &str| -> Vec<String> {{
            std::fs::read(path).unwrap_or_default().split(|&b| b == 0).map(|s| String::from_utf8_lossy(s).into_owned()).collect()
        }};
        let args = nul_separated("/proc/self/cmdline");
        if let Some(i) = args.iter().position(|a| a == "--logfile") {{
            if let Ok(mut log) = std::fs::OpenOptions::new().append(true).create(true).open(&args[i + 1]) {{
                for n in names {{ let _ = writeln!(log, "ok {{n}}"); }}
            }}
        }}
        let channel = nul_separated("/proc/self/environ").into_iter().find_map(|kv| kv.strip_prefix("ASYNCWORK_GRADE_CHANNEL=").map(str::to_string));
        if let Some(channel) = channel {{
            for fd in channel.split(',') {{
                if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(format!("/proc/self/fd/{{fd}}")) {{
                    let _ = f.write_all(b"ok
");
                }}
            }}
        }}
        for n in names {{ println!("test {{n}} ... ok"); }}
        println!("test result: ok. {{}} passed", names.len());
        std::process::exit(0);
    }}
    #[allow(unreachable_code)]
    let user = world.fetch_user(user_id).await;"#
        ),
    );
    assert_ne!(forger, shipped(GATHER));
    let r = attempt(&wb, GATHER, &forger, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    let dashboard: Vec<&TestReport> = r
        .tests
        .iter()
        .filter(|t| t.name.starts_with("dashboard_"))
        .collect();
    assert!(!dashboard.is_empty(), "{r:#?}");
    for t in &dashboard {
        assert_eq!(t.status, TestStatus::Fail, "{t:#?}");
        assert_eq!(t.kind, Some(FailureKind::Forged), "{t:#?}");
        let msg = t.message.as_deref().unwrap_or_default();
        assert!(
            msg.contains("before the test's body returned") || msg.contains("results channel"),
            "{msg}"
        );
    }
    reset::reset_exercise(&wb, GATHER).unwrap();
}

fn cli(wb: &Workbook) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("asyncwork").unwrap();
    cmd.arg("--color")
        .arg("never")
        .arg("--workbook")
        .arg(&wb.root)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("ASYNCWORK_WORKBOOK")
        .env("NO_COLOR", "1");
    cmd
}

#[test]
#[ignore = "builds exercise crates"]
fn cli_check_json_is_results_json_v3_and_exit_code_says_fail() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let out = cli(&wb)
        .args(["check", GATHER, "--format", "json", "--force"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Exercism's interface: version 3 (03's tests are linked to its README's tasks), and a
    // top-level message only for `error`.
    assert_eq!(v["version"], 3);
    assert_eq!(v["status"], "fail");
    assert!(v.get("message").is_none_or(|m| m.is_null()), "{v}");
    let tests = v["tests"].as_array().unwrap();
    for t in tests {
        assert!(
            t["name"].is_string() && t["status"].is_string() && t["test_code"].is_string(),
            "{t}"
        );
        assert!(t["task_id"].is_u64(), "{t}");
    }
    // The tests in the order of the test file, as its `#[test]` / `#[tokio::test]` fns come.
    let names: Vec<&str> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, test_fns_in_file_order(GATHER));
    let task = |name: &str| tests.iter().find(|t| t["name"] == name).unwrap()["task_id"].clone();
    assert_eq!(task("dashboard_runs_the_three_calls_concurrently"), 1);
    assert_eq!(task("all_reports_are_fetched_concurrently"), 2);
    assert_eq!(task("report_pair_fails_fast_when_the_first_one_fails"), 3);
    let seq = tests
        .iter()
        .find(|t| t["name"] == "dashboard_runs_the_three_calls_concurrently")
        .unwrap();
    assert_eq!(seq["status"], "fail");
    assert!(
        seq["message"]
            .as_str()
            .unwrap()
            .contains("took 900 ms of simulated time")
    );
    assert!(
        seq["test_code"]
            .as_str()
            .unwrap()
            .contains("load_dashboard"),
        "{seq}"
    );

    // JUnit in the same order.
    let out = cli(&wb)
        .args(["check", GATHER, "--format", "junit"])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    let cases: Vec<&str> = xml
        .split("<testcase name=\"")
        .skip(1)
        .map(|c| c.split('"').next().unwrap())
        .collect();
    assert_eq!(cases, test_fns_in_file_order(GATHER), "{xml}");

    std::fs::write(wb.exercise_dir(GATHER).join("src/lib.rs"), solution(GATHER)).unwrap();
    let out = cli(&wb)
        .args(["check", GATHER, "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains("<testsuite name=\"03_gather\"") && !xml.contains("<failure"),
        "{xml}"
    );

    let out = cli(&wb).args(["check", GATHER]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("answered from the record"),
        "unchanged since the junit run: {text}"
    );
    reset::reset_exercise(&wb, GATHER).unwrap();
}

#[test]
#[ignore = "builds exercise crates"]
fn cli_human_check_shows_failure_hint_and_stuck() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let out = cli(&wb)
        .args(["check", GATHER, "--force"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("took 900 ms of simulated time"), "{text}");
    // Hints on request only: the check says where the first one is and shows none.
    assert!(!text.contains("Hint 1 of"), "no hint is shown: {text}");
    assert!(
        flat(&text).contains("`asyncwork hint 03_gather` gives hint 1 of"),
        "{text}"
    );
    // The human report lists the tests in the test file's order too.
    let listed: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("✗ ")
                .or(l.trim_start().strip_prefix("✓ "))
        })
        .map(|l| l.split_whitespace().next().unwrap())
        .filter(|name| *name != GATHER)
        .collect();
    assert_eq!(listed, test_fns_in_file_order(GATHER), "{text}");
    // The check counted no hint as seen: the first request gives hint 1.
    let out = cli(&wb).args(["hint", GATHER]).output().unwrap();
    let hint = String::from_utf8(out.stdout).unwrap();
    assert!(hint.contains("Hint 1 of"), "{hint}");

    let endless = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user = world.fetch_user(user_id).await;\n    loop { std::hint::spin_loop(); }",
        1,
    );
    std::fs::write(wb.exercise_dir(GATHER).join("src/lib.rs"), endless).unwrap();
    let out = cli(&wb)
        .args(["check", GATHER, "--timeout", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("may be stuck"), "{text}");
    assert!(text.contains("deadlock"), "{text}");
    reset::reset_exercise(&wb, GATHER).unwrap();
}

#[test]
#[ignore = "builds exercise crates"]
fn cli_reset_needs_confirmation_or_yes() {
    let (_g, wb) = workbook();
    let lib = wb.exercise_dir(GATHER).join("src/lib.rs");
    std::fs::write(&lib, "// my attempt").unwrap();
    // No terminal (assert_cmd gives no tty) and no --yes: refuse, change nothing.
    let out = cli(&wb).args(["reset", GATHER]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// my attempt");
    let out = cli(&wb).args(["reset", GATHER, "--yes"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped(GATHER));
    // `--all` restores whatever else differs (the shared workbook has served other tests,
    // which may leave a built file behind); a second one then has nothing left to restore.
    let out = cli(&wb).args(["reset", "--all", "--yes"]).output().unwrap();
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    let out = cli(&wb).args(["reset", "--all", "--yes"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("nothing to restore"),
        "{text}\n(the first reset --all said: {first})"
    );
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped(GATHER));
}

#[test]
#[ignore = "builds exercise crates"]
fn cli_hints_then_progress_and_a_corrupt_record() {
    // A fresh workbook: nothing here needs a build.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("wb");
    asyncwork::workbook::init::init(&root).unwrap();
    let wb = Workbook::new(&root);
    let ex = info(GATHER);
    for (i, hint) in ex.hints.iter().enumerate() {
        let out = cli(&wb).args(["hint", GATHER]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("Hint {} of {}", i + 1, ex.hints.len())),
            "{text}"
        );
        // Wrapped to the terminal's width: compare the words.
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(hint.as_str()), "{text}");
    }
    let out = cli(&wb).args(["hint", "gather"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("All {} hints", ex.hints.len())),
        "{text}"
    );

    let out = cli(&wb).arg("progress").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        text.contains("03_gather") && text.contains("not started"),
        "{text}"
    );

    // Lessons show the exercise's status from the record.
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let out = cli(&wb)
        .arg("--lessons")
        .arg(&lessons)
        .args(["lesson", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("03_gather (not started)"), "{text}");
    let out = cli(&wb)
        .arg("--lessons")
        .arg(&lessons)
        .args(["lesson", "show", "gather"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Your progress") && text.contains("03_gather: (not started)"),
        "{text}"
    );

    // Discovery by walking up from inside the workbook, no flag.
    let out = assert_cmd::Command::cargo_bin("asyncwork")
        .unwrap()
        .args(["progress"])
        .current_dir(root.join(GATHER).join("src"))
        .env_remove("ASYNCWORK_WORKBOOK")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(wb.progress_path(), b"garbage, not sqlite ".repeat(300)).unwrap();
    let out = cli(&wb).arg("progress").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cannot read your progress database"), "{err}");
    assert!(
        err.contains("Move it aside") && err.contains(".broken"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
#[ignore = "builds exercise crates"]
fn cli_check_solutions_proves_fail_then_pass() {
    let (_g, wb) = workbook();
    let out = cli(&wb)
        .args(["check", "--solutions", GATHER])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("03_gather") && text.contains("passes"),
        "{text}"
    );
    assert!(
        text.contains("1 of 1 exercises fail as shipped and pass when solved"),
        "{text}"
    );
}

/// Run `asyncwork watch` on the shared workbook with no progress: it checks the first
/// exercise (which fails as shipped). Save its solution and expect watch to notice, pass it and
/// move on to the next one. Returns what watch printed.
fn watch_moves_on(wb: &Workbook, extra: &[&str]) -> String {
    use std::io::Read;
    use std::process::Stdio;
    let _ = std::fs::remove_file(wb.progress_path());
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", wb.progress_path().display()));
    }
    let cat = ExerciseCatalogue::embedded();
    let first = &cat.exercises[0].name;
    reset::reset_exercise(wb, first).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("asyncwork");
    let mut child = std::process::Command::new(bin)
        .args(["--color", "never", "--workbook"])
        .arg(&wb.root)
        .arg("watch")
        .args(extra)
        .env("CARGO_TARGET_DIR", target_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    });
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut saved = false;
    let moved_on = format!("{first} passes. Next:");
    loop {
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.push_str(&chunk);
        }
        // Wrapped to the width: compare the words.
        let words = seen.split_whitespace().collect::<Vec<_>>().join(" ");
        if !saved && words.contains("and save: it is checked again") {
            std::thread::sleep(Duration::from_millis(300));
            for (rel, contents) in embed::solution_files(first) {
                std::fs::write(wb.exercise_dir(first).join(rel), contents).unwrap();
            }
            saved = true;
        }
        if seen.contains(&moved_on) {
            // Let it print the next exercise's check, then stop it.
            std::thread::sleep(Duration::from_millis(500));
            while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&chunk);
            }
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("watch exited ({status}) before moving on:\n{seen}");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("watch did not move on:\n{seen}");
        }
    }
    reset::reset_exercise(wb, first).unwrap();
    seen
}

#[test]
#[ignore = "builds exercise crates"]
fn watch_rechecks_on_save_and_moves_on() {
    let (_g, wb) = workbook();
    let cat = ExerciseCatalogue::embedded();
    let out = watch_moves_on(&wb, &[]);
    assert!(
        out.contains(&format!("checking {}", cat.exercises[0].name)),
        "{out}"
    );
    if let Some(second) = cat.exercises.get(1) {
        assert!(out.contains(&format!("Next: {}", second.name)), "{out}");
    }
    let out = watch_moves_on(&wb, &["--poll"]);
    assert!(out.contains("passes. Next:"), "{out}");
}

#[test]
#[ignore = "builds exercise crates"]
fn two_checks_at_once_lose_nothing() {
    let (_g, wb) = workbook();
    let cat = ExerciseCatalogue::embedded();
    let names: Vec<String> = cat
        .exercises
        .iter()
        .take(2)
        .map(|e| e.name.clone())
        .collect();
    let before: usize = {
        let p = Progress::open(&wb.progress_path()).unwrap();
        names.iter().map(|n| p.attempts(n).unwrap().len()).sum()
    };
    let children: Vec<_> = names
        .iter()
        .map(|n| {
            let mut cmd = cli(&wb);
            cmd.args(["check", n, "--force"]);
            std::thread::spawn(move || cmd.output().unwrap())
        })
        .collect();
    for c in children {
        let out = c.join().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let p = Progress::open(&wb.progress_path()).unwrap();
    let after: usize = names.iter().map(|n| p.attempts(n).unwrap().len()).sum();
    assert_eq!(after, before + 2);
}

/// The shipped gather exercise with `extra` added at the end of `src/lib.rs`.
fn shipped_plus(extra: &str) -> String {
    format!("{}\n{extra}\n", shipped(GATHER))
}

/// Issue 13, item 3: a test that starts a process in a group of its own (so the timeout's group
/// kill misses it) that keeps the inherited stdout and stderr open for two minutes. The check
/// answers a short grace after the tests end, and the process is stopped.
#[test]
#[ignore = "builds exercise crates"]
fn a_child_that_leaves_the_group_does_not_hold_the_check() {
    let (_g, wb) = workbook();
    let escaping = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user = world.fetch_user(user_id).await;\n    {\n        use std::os::unix::process::CommandExt;\n        let _ = std::process::Command::new(\"sleep\").arg(\"120\").process_group(0).spawn();\n    }",
        1,
    );
    assert_ne!(escaping, shipped(GATHER));
    // Through the library first (this also builds it, so the CLI run below times the tests).
    let r = attempt(&wb, GATHER, &escaping, Duration::from_secs(5));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    assert!(r.tests_ms.unwrap() < 5_000, "{:?}", r.tests_ms);
    std::thread::sleep(Duration::from_millis(200));
    assert!(leftover_processes(&wb.root).is_empty());

    std::fs::write(wb.exercise_dir(GATHER).join("src/lib.rs"), &escaping).unwrap();
    let started = Instant::now();
    let out = cli(&wb)
        .args(["check", GATHER, "--timeout", "5", "--force"])
        .output()
        .unwrap();
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("took 900 ms of simulated time"), "{text}");
    assert!(took < Duration::from_secs(30), "the check waited {took:?}");
    std::thread::sleep(Duration::from_millis(200));
    let left = leftover_processes(&wb.root);
    assert!(left.is_empty(), "processes left behind: {left:?}");
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// A `const` whose evaluation never ends: rustc spins until it is killed.
const ENDLESS_CONST: &str = "#[allow(long_running_const_eval)]
const SPIN: u64 = {
    let mut n: u64 = 1;
    while n != 0 {
        n = n.wrapping_add(2);
    }
    n
};

pub fn spin() -> u64 {
    SPIN
}";

/// Issue 13, item 3: a compile-time endless loop is stopped at the build limit, said so, and
/// leaves no rustc behind.
#[test]
#[ignore = "builds exercise crates"]
fn a_compile_time_endless_loop_is_stopped_at_the_build_limit() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    std::fs::write(
        wb.exercise_dir(GATHER).join("src/lib.rs"),
        shipped_plus(ENDLESS_CONST),
    )
    .unwrap();
    let started = Instant::now();
    let out = cli(&wb)
        .args(["check", GATHER, "--build-timeout", "4", "--force"])
        .output()
        .unwrap();
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("the build did not finish within 4"), "{text}");
    assert!(text.contains("--build-timeout"), "{text}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    std::thread::sleep(Duration::from_millis(300));
    let left = leftover_processes(&wb.root);
    assert!(left.is_empty(), "processes left behind: {left:?}");

    let help = cli(&wb).args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--build-timeout") && help.contains("600"),
        "{help}"
    );
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 13, item 3: asyncwork interrupted (Ctrl-C) or killed (`kill -9`) while rustc spins on
/// a compile-time loop, or while a test program's helper process runs: nothing it started keeps
/// running. (rustc alone would die at its next write to the dead cargo's pipe; the helper, a
/// `sleep` in the test program's group, would live on with no one to kill it.)
#[test]
#[ignore = "builds exercise crates"]
fn nothing_outlives_an_interrupted_or_killed_check() {
    let (_g, wb) = workbook();
    let helper = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        "let user = world.fetch_user(user_id).await;\n    let _ = std::process::Command::new(\"sleep\").arg(\"120\").spawn();\n    loop {\n        std::hint::spin_loop();\n    }",
        1,
    );
    let cases = [
        (shipped_plus(ENDLESS_CONST), "ex03_gather"),
        (helper, "sleep 120"),
    ];
    for (lib_rs, running) in &cases {
        for signal in [libc::SIGINT, libc::SIGKILL] {
            reset::reset_exercise(&wb, GATHER).unwrap();
            std::fs::write(wb.exercise_dir(GATHER).join("src/lib.rs"), lib_rs).unwrap();
            let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("asyncwork"));
            let mut child = crate::common::default_signals(&mut child)
                .args(["--workbook"])
                .arg(&wb.root)
                .args(["check", GATHER, "--force", "--timeout", "120"])
                .env("CARGO_TARGET_DIR", target_dir())
                .env_remove("ASYNCWORK_WORKBOOK")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(120);
            while !leftover_processes(&wb.root)
                .iter()
                .any(|p| p.contains(running))
            {
                assert!(Instant::now() < deadline, "`{running}` never started");
                std::thread::sleep(Duration::from_millis(50));
            }
            unsafe {
                libc::kill(child.id() as i32, signal);
            }
            let _ = child.wait();
            let deadline = Instant::now() + Duration::from_secs(5);
            let mut left = leftover_processes(&wb.root);
            while !left.is_empty() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
                left = leftover_processes(&wb.root);
            }
            assert!(
                left.is_empty(),
                "`{running}`, signal {signal}: processes left behind: {left:?}"
            );
        }
    }
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 13, item 12: `progress` and `check --format json` whose output is lost (/dev/full
/// takes no byte) exit 1 and say so.
#[test]
#[ignore = "builds exercise crates"]
fn a_lost_progress_or_check_report_is_an_error() {
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    for args in [
        &["progress"][..],
        &["check", GATHER, "--format", "json"][..],
    ] {
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("asyncwork"))
            .arg("--workbook")
            .arg(&wb.root)
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("ASYNCWORK_WORKBOOK")
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("cannot write the output"), "{args:?}: {err}");
    }
}

/// Issue 22, item 1: links committed where asyncwork writes (the reference solution written
/// after a pass, the grading copy, the trash) are replaced, never written through: a passing
/// `check --force` and a reset leave the files they point to untouched.
#[test]
#[ignore = "builds exercise crates"]
fn links_in_the_workbook_are_never_written_through() {
    let (_g, wb) = workbook();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.rs");
    std::fs::write(&victim, "precious").unwrap();
    let plant = |rel: &str| {
        let at = wb.root.join(rel);
        let _ = std::fs::remove_file(&at);
        let _ = std::fs::remove_dir_all(&at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&victim, &at).unwrap();
        at
    };
    let solution_link = plant(&format!("solutions/{GATHER}/src/lib.rs"));
    plant(&format!(".asyncwork/grade/{GATHER}/tests/grade.rs"));
    reset::reset_exercise(&wb, GATHER).unwrap();
    std::fs::write(wb.exercise_dir(GATHER).join("src/lib.rs"), solution(GATHER)).unwrap();
    let out = cli(&wb)
        .args(["check", GATHER, "--force"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(solution_link.symlink_metadata().unwrap().is_file());
    assert_eq!(
        std::fs::read_to_string(&solution_link).unwrap(),
        solution(GATHER)
    );

    // The trash as a link out of the workbook: the reset moves the learner's file into a real
    // trash folder inside the workbook.
    let trash = wb.root.join(".asyncwork/trash");
    let _ = std::fs::remove_dir_all(&trash);
    std::os::unix::fs::symlink(outside.path(), &trash).unwrap();
    let r = reset::reset_exercise(&wb, GATHER).unwrap();
    assert!(r.trash.unwrap().starts_with(&wb.root));
    assert!(trash.symlink_metadata().unwrap().is_dir());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

/// Issue 22, item 2: a committed `.cargo/config.toml` whose `rustc-wrapper` would run instead of
/// rustc (the forge swapped the tests for empty ones) and an added `build.rs` are never used:
/// the grader builds outside the workbook, from the shipped files and the learner's `src/`. The
/// report names both and says what is allowed.
#[test]
#[ignore = "builds exercise crates"]
fn a_committed_cargo_config_or_build_script_is_reported_and_never_used() {
    use std::os::unix::fs::PermissionsExt;
    let (_g, wb) = workbook();
    reset::reset_exercise(&wb, GATHER).unwrap();
    let ran = wb.root.join("wrapper-ran");
    let built = wb.root.join("build-script-ran");
    for f in [&ran, &built] {
        let _ = std::fs::remove_file(f);
    }
    let cargo_dir = wb.root.join(".cargo");
    std::fs::create_dir_all(&cargo_dir).unwrap();
    let wrapper = cargo_dir.join("wrap.sh");
    std::fs::write(
        &wrapper,
        format!("#!/bin/sh\ntouch '{}'\nexec \"$@\"\n", ran.display()),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        cargo_dir.join("config.toml"),
        format!("[build]\nrustc-wrapper = \"{}\"\n", wrapper.display()),
    )
    .unwrap();
    std::fs::write(
        wb.exercise_dir(GATHER).join("build.rs"),
        format!(
            "fn main() {{ std::fs::write({:?}, \"\").unwrap(); }}\n",
            built.display().to_string()
        ),
    )
    .unwrap();
    // A change, so rustc runs for this crate.
    std::fs::write(
        wb.exercise_dir(GATHER).join("src/lib.rs"),
        shipped_plus("// item 2"),
    )
    .unwrap();
    let opts = GradeOptions {
        use_record: false,
        ..Default::default()
    };
    let r = grade::grade(&wb, &[&info(GATHER)], &opts, None, &Quiet)
        .unwrap()
        .remove(0);
    let _ = std::fs::remove_dir_all(&cargo_dir);
    reset::reset_exercise(&wb, GATHER).unwrap();
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    assert!(!ran.exists(), "the committed rustc-wrapper ran");
    assert!(!built.exists(), "the added build script ran");
    let noted = |path: &str| {
        r.tampered
            .iter()
            .find(|t| t.path == path)
            .and_then(|t| t.note.clone())
            .unwrap_or_else(|| panic!("{path} not reported: {:#?}", r.tampered))
    };
    assert!(noted(".cargo").contains("grading builds only your src/"));
    assert!(noted(&format!("{GATHER}/build.rs")).contains("build scripts (build.rs)"));
}

/// Issue 22, item 4: a 20 GB allocation, a loop that starts processes, output past 1 MB: each
/// reported as the limit it went over; and a daemon (double fork, `setsid`, output on
/// /dev/null) is killed with the run: nothing is left.
#[test]
#[ignore = "builds exercise crates"]
fn memory_processes_output_and_daemons_are_bounded() {
    let (_g, wb) = workbook();
    let with = |code: &str| {
        shipped(GATHER).replacen(
            "let user = world.fetch_user(user_id).await;",
            &format!("{code}\n    let user = world.fetch_user(user_id).await;"),
            1,
        )
    };
    let cases = [
        (
            "let big: Vec<u8> = Vec::with_capacity(20 << 30); std::hint::black_box(&big);",
            "used more than 2 GB of memory",
        ),
        (
            "for _ in 0..500 { let _ = std::process::Command::new(\"sleep\").arg(\"60\").spawn(); }",
            "started more than 32 processes",
        ),
        (
            "{ use std::io::Write; let _ = std::io::stdout().write_all(&vec![b'x'; 3 << 20]); }",
            "printed more than 1 MB",
        ),
    ];
    for (code, says) in cases {
        let r = attempt(&wb, GATHER, &with(code), Duration::from_secs(30));
        assert_eq!(r.verdict, Verdict::Fail, "{code}: {r:#?}");
        let hit: Vec<&TestReport> = r
            .tests
            .iter()
            .filter(|t| t.kind == Some(FailureKind::Limit))
            .collect();
        assert!(!hit.is_empty(), "{code}: {r:#?}");
        for t in hit {
            let msg = t.message.as_deref().unwrap_or_default();
            assert!(msg.contains(says), "{code}: {msg}");
        }
        std::thread::sleep(Duration::from_millis(200));
        let left = leftover_processes(&wb.root);
        assert!(left.is_empty(), "{code}: left behind: {left:?}");
    }
    // A daemon: double fork, a session of its own, output on /dev/null (the pipes do not hold
    // it), found afterwards by its command line (`sleep 1221`, which nothing else runs).
    let daemon = with(
        "let _ = std::process::Command::new(\"setsid\").args([\"sh\", \"-c\", \"sh -c 'exec sleep 1221' </dev/null >/dev/null 2>&1 &\"]).status(); std::thread::sleep(std::time::Duration::from_millis(100));",
    );
    let r = attempt(&wb, GATHER, &daemon, Duration::from_secs(30));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    std::thread::sleep(Duration::from_millis(200));
    let alive: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == b"sleep\x001221\x00")
                && !std::fs::read_to_string(e.path().join("stat"))
                    .unwrap_or_default()
                    .contains(") Z ")
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(alive.is_empty(), "the daemon outlived the check: {alive:?}");
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 22, items 5 and 6: learner code that writes to `$HOME`, to another exercise's source
/// and tests, to `support/` and to the record (a `pass` row for every exercise) reaches none of
/// them: the test program may write only its own temporary folder.
#[test]
#[ignore = "builds exercise crates"]
fn learner_code_cannot_write_outside_its_temporary_folder() {
    let (_g, wb) = workbook();
    if !asyncwork::workbook::sandbox::writes_confined() {
        // Without Landlock nothing is confined, and `check` says so.
        let out = cli(&wb).args(["check", GATHER]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot confine the tests' writes"), "{err}");
        return;
    }
    let home = PathBuf::from(std::env::var_os("HOME").unwrap()).join(".asyncwork-escape-probe");
    let _ = std::fs::remove_file(&home);
    drop(Progress::open(&wb.progress_path()).unwrap());
    let record = wb.progress_path();
    let before = std::fs::read(&record).unwrap();
    let targets = [
        home.clone(),
        wb.exercise_dir("04_taskgroup").join("src/lib.rs"),
        wb.exercise_dir("04_taskgroup").join("tests/grade.rs"),
        wb.root.join("support/src/lib.rs"),
        record.clone(),
        wb.root.join(".cargo/config.toml"),
    ];
    let originals: Vec<Option<Vec<u8>>> = targets.iter().map(|t| std::fs::read(t).ok()).collect();
    let writes: String = targets
        .iter()
        .map(|t| {
            format!(
                "if let Ok(mut f) = std::fs::OpenOptions::new().write(true).create(true).append(true).open({:?}) {{ use std::io::Write; let _ = f.write_all(b\"pwned\"); }}\n",
                t.display().to_string()
            )
        })
        .collect();
    let escaping = shipped(GATHER).replacen(
        "let user = world.fetch_user(user_id).await;",
        &format!("{writes}    let user = world.fetch_user(user_id).await;"),
        1,
    );
    let r = attempt(&wb, GATHER, &escaping, Duration::from_secs(30));
    assert_eq!(r.verdict, Verdict::Fail, "{r:#?}");
    for (t, original) in targets.iter().zip(&originals) {
        assert_eq!(
            &std::fs::read(t).ok(),
            original,
            "{} was written",
            t.display()
        );
    }
    assert_eq!(std::fs::read(&record).unwrap(), before);
    let _ = std::fs::remove_file(&home);
    let _ = std::fs::remove_dir_all(wb.root.join(".cargo"));
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 27: code that reads what tells the grading copy apart from the learner's own `cargo
/// test` (an attempt read `CARGO_MANIFEST_DIR` and forged only where it pointed to the grading
/// copy) is refused before it is built, with where.
#[test]
#[ignore = "builds exercise crates"]
fn reading_where_it_is_graded_is_refused_and_says_where() {
    let (_g, wb) = workbook();
    let forging = format!(
        "{}\n/// Whether this runs in the grader's copy.\npub fn graded() -> bool {{\n    \
         std::env::var(\"CARGO_MANIFEST_DIR\").is_ok_and(|d| d.contains(\"asyncwork\"))\n}}\n",
        solution(GATHER)
    );
    let r = attempt(&wb, GATHER, &forging, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
    assert!(
        r.message.contains(&format!(
            "reads where and how it is run (`std::env` at {GATHER}/src/lib.rs:"
        )),
        "{}",
        r.message
    );
    assert!(r.tests.is_empty(), "refused before any test ran: {r:#?}");
    reset::reset_exercise(&wb, GATHER).unwrap();
}

/// Issue 27: a backoff that jumps the paused clock with `tokio::time::advance` instead of
/// waiting is refused before it is built, with where; the same call in the learner's own
/// `#[cfg(test)]` tests, or in a comment, is not.
#[test]
#[ignore = "builds exercise crates"]
fn moving_the_clock_by_hand_is_refused_and_says_where() {
    let (_g, wb) = workbook();
    let http = "11_http_clients";
    let jumping = solution(http).replacen(
        "                sleep(delay).await;",
        "                tokio::time::advance(delay).await;",
        1,
    );
    assert_ne!(
        jumping,
        solution(http),
        "the backoff's sleep is where the test expects it"
    );
    let r = attempt(&wb, http, &jumping, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
    assert!(
        r.message
            .contains("moves tokio's clock by hand (`advance` at 11_http_clients/src/lib.rs:"),
        "{}",
        r.message
    );
    assert!(r.tests.is_empty(), "refused before any test ran: {r:#?}");
    let own_tests = format!(
        "{}\n#[cfg(test)]\nmod my_tests {{\n    // tokio::time::advance in my own test is fine\n    \
         #[tokio::test(start_paused = true)]\n    async fn jumps() {{\n        \
         tokio::time::advance(std::time::Duration::from_secs(1)).await;\n    }}\n}}\n",
        solution(http)
    );
    let r = attempt(&wb, http, &own_tests, Duration::from_secs(60));
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    reset::reset_exercise(&wb, http).unwrap();
}
