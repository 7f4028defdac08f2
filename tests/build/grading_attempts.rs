#![allow(clippy::print_stderr)] // says which exercises a filtered run skipped
//! Learner attempts against the pristine grading tests: every exercise passes every correct
//! style and fails the sequential version, the hidden block and the cheat, with the verdict
//! (which test fails, and why) asserted.
//!
//! The attempts live in `tests/attempts/NN_name.toml`: each is a `lib.rs`, written out in full
//! or as replacements on the solution (or the shipped file), with its expected verdict:
//!
//! ```toml
//! [[attempt]]
//! name = "batches"                       # a slug: letters, digits, _
//! about = "fixed-size batches of `limit`, join_all per batch"
//! base = "solution"                      # or "shipped"; or `lib = '''...'''` for a whole file
//! replace = [["old text", "new text"]]   # each `old` must occur in the base
//! expect = "fail"                        # or "pass"
//! failing = ["semaphore_keeps_results_in_order_and_within_the_limit: timing"]
//! ```
//!
//! `failing` lists tests that must fail, each with the grader's classification (`timing`,
//! `blocking`, `todo`, `panic`, `assertion`, `stuck`; `a|b` accepts either); other tests may
//! fail too.
//!
//! Speed: going through `asyncwork check` would rebuild the workbook crate for every attempt.
//! Instead every attempt becomes its own package in one scratch workspace (its lib is the
//! attempt, its test is the exercise's pristine `tests/grade.rs`), built by ONE cargo
//! invocation into the shared `target/grader-tests`; unchanged attempts are not rebuilt. The
//! test binaries' output is read and classified by the grader's own code (`libtest::parse`,
//! `grade::classify`). `tests/grading.rs` keeps a few attempts end to end through the grader.
//!
//! `ASYNCWORK_ATTEMPTS=05_limits,09_blocking` restricts the run to some exercises.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use asyncwork::workbook::grade::classify_stdout;
use asyncwork::workbook::report::FailureKind;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    attempt: Vec<Attempt>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Attempt {
    name: String,
    about: String,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    lib: Option<String>,
    #[serde(default)]
    replace: Vec<(String, String)>,
    expect: String,
    #[serde(default)]
    failing: Vec<String>,
}

use crate::common::repo;

use crate::common::exercise_target as target_dir;

fn scratch() -> PathBuf {
    target_dir().join("attempts")
}

fn exercises() -> Vec<String> {
    let only = std::env::var("ASYNCWORK_ATTEMPTS").ok();
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/attempts"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().to_string();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .filter(|n| only.as_deref().is_none_or(|o| o.split(',').any(|x| x == n)))
        .collect();
    names.sort();
    names
}

fn load(exercise: &str) -> Vec<Attempt> {
    let path = repo().join(format!("tests/attempts/{exercise}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.attempt
}

fn package(exercise: &str, attempt: &str) -> String {
    format!("at_{exercise}_{attempt}")
}

/// The attempt's lib.rs.
fn lib_of(exercise: &str, a: &Attempt) -> String {
    if let Some(lib) = &a.lib {
        return lib.clone();
    }
    let base = match a.base.as_deref() {
        Some("solution") | None => repo().join(format!("solutions/{exercise}/src/lib.rs")),
        Some("shipped") => repo().join(format!("exercises/{exercise}/src/lib.rs")),
        Some(other) => panic!("{exercise}/{}: unknown base {other}", a.name),
    };
    let mut text = std::fs::read_to_string(base).unwrap();
    for (old, new) in &a.replace {
        assert!(
            text.contains(old.as_str()),
            "{exercise}/{}: the text to replace is not in the base:\n{old}",
            a.name
        );
        text = text.replacen(old.as_str(), new, 1);
    }
    text
}

/// Write `contents` unless the file already holds it (keeps mtimes: no rebuild).
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(contents) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// The `[dependencies]` of the exercise's own manifest (all `.workspace = true`): an attempt
/// builds against what the exercise does (rusqlite for 10, reqwest for 11).
fn exercise_dependencies(exercise: &str) -> String {
    let path = repo().join(format!("exercises/{exercise}/Cargo.toml"));
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = toml::Table::new();
    out.insert("dependencies".into(), manifest["dependencies"].clone());
    toml::to_string(&out).unwrap()
}

/// The exercise workspace's `[workspace.dependencies]` (versions and features as shipped) and `[profile]`, with
/// `support` at its absolute path.
fn workspace_dependencies() -> String {
    let path = repo().join("exercises/Cargo.toml");
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut deps = manifest["workspace"]["dependencies"]
        .as_table()
        .expect("[workspace.dependencies] in exercises/Cargo.toml")
        .clone();
    let mut support = toml::Table::new();
    support.insert(
        "path".into(),
        repo()
            .join("exercises/support")
            .display()
            .to_string()
            .into(),
    );
    deps.insert("support".into(), support.into());
    let mut workspace = toml::Table::new();
    workspace.insert("dependencies".into(), deps.into());
    let mut out = toml::Table::new();
    out.insert("workspace".into(), workspace.into());
    // The same build profile as the workbook (less debug info: faster links, a smaller target).
    if let Some(profile) = manifest.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    toml::to_string(&out).unwrap()
}

/// Build every attempt of `names` in one cargo run; the test executable of each package.
fn build(names: &[String]) -> BTreeMap<String, PathBuf> {
    let ws = scratch();
    let mut members = Vec::new();
    for exercise in names {
        let grade =
            std::fs::read_to_string(repo().join(format!("exercises/{exercise}/tests/grade.rs")))
                .unwrap();
        // Inner doc comments cannot follow the `extern crate` line; drop them.
        let grade: String = grade
            .lines()
            .filter(|l| !l.starts_with("//!"))
            .map(|l| format!("{l}\n"))
            .collect();
        let crate_name = format!("ex{exercise}");
        let dependencies = exercise_dependencies(exercise);
        for a in load(exercise) {
            let pkg = package(exercise, &a.name);
            let dir = ws.join(&pkg);
            write_if_changed(
                &dir.join("Cargo.toml"),
                &format!(
                    "[package]\nname = \"{pkg}\"\nedition.workspace = true\nversion.workspace = true\npublish = false\n\n{dependencies}"
                ),
            );
            write_if_changed(&dir.join("src/lib.rs"), &lib_of(exercise, &a));
            write_if_changed(
                &dir.join("tests/grade.rs"),
                &format!(
                    "// Generated: {exercise}/tests/grade.rs against attempt `{}`.\nextern crate {pkg} as {crate_name};\n{grade}",
                    a.name
                ),
            );
            members.push(pkg);
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[workspace.package]\nedition = \"2024\"\nversion = \"0.1.0\"\n\n{}",
        members
            .iter()
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        workspace_dependencies()
    );
    write_if_changed(&ws.join("Cargo.toml"), &manifest);
    if !ws.join("Cargo.lock").exists() {
        std::fs::copy(repo().join("exercises/Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    }
    let out = Command::new(env!("CARGO"))
        .args([
            "test",
            "--no-run",
            "--offline",
            "--message-format=json",
            "--workspace",
        ])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        // Show the errors only (the attempts' warnings are expected).
        let errors: Vec<String> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
            .filter_map(|m| m["message"]["rendered"].as_str().map(str::to_string))
            .collect();
        panic!(
            "the attempts did not build:\n{}\n{}",
            errors.join("\n"),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut exes = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "grade" {
            if let Some(exe) = msg["executable"].as_str() {
                let pkg = msg["package_id"].as_str().unwrap_or_default();
                if let Some(name) = members
                    .iter()
                    .find(|m| pkg.contains(&format!("/{m}#")) || pkg.contains(&format!("{m} ")))
                {
                    exes.insert(name.clone(), PathBuf::from(exe));
                }
            }
        }
    }
    exes
}

/// All attempts of every selected exercise, built once for the whole test binary.
fn executables() -> &'static BTreeMap<String, PathBuf> {
    static EXES: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    EXES.get_or_init(|| build(&exercises()))
}

fn kind_name(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Timing => "timing",
        FailureKind::Blocking => "blocking",
        FailureKind::Todo => "todo",
        FailureKind::Panic => "panic",
        FailureKind::Assertion => "assertion",
        FailureKind::Stuck => "stuck",
        FailureKind::Crash => "crash",
        FailureKind::Forged => "forged",
        FailureKind::Limit => "limit",
        FailureKind::OffRuntime => "off_runtime",
    }
}

/// Run a test executable with a time limit; stdout.
fn run(exe: &Path, limit: Duration) -> (String, bool) {
    let mut child = Command::new(exe)
        .args(["--color", "never"])
        .current_dir(exe.parent().unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let started = Instant::now();
    let mut timed_out = false;
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            timed_out = true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (reader.join().unwrap(), timed_out)
}

/// The verdict: test name -> None (passed) or Some(kind) (failed, stuck).
fn verdict(
    exercise: &str,
    pkg: &str,
    stdout: &str,
    timed_out: bool,
) -> BTreeMap<String, Option<(String, String)>> {
    // Locations as the grader sees them: `NN_name/...`, `support/...`.
    let failures = classify_stdout(exercise, stdout, |l| {
        let l = l.replace(&format!("{pkg}/"), &format!("{exercise}/"));
        match l.find("exercises/support/") {
            Some(i) => l[i + "exercises/".len()..].to_string(),
            None => l,
        }
    });
    let mut out = BTreeMap::new();
    // These attempts are ours, not a learner's: their result lines can be read from stdout.
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let v = match result.trim() {
            "ok" | "ignored" => None,
            _ => failures
                .get(name)
                .map(|(kind, message)| (kind_name(*kind).to_string(), message.clone()))
                .or_else(|| Some(("panic".into(), String::new()))),
        };
        out.insert(name.to_string(), v);
    }
    if timed_out {
        out.insert(
            "(time limit)".into(),
            Some(("stuck".into(), "killed".into())),
        );
    }
    out
}

fn check_exercise(exercise: &str) {
    let _cache = crate::common::exercise_cache();
    if !exercises().iter().any(|e| e == exercise) {
        eprintln!("{exercise}: skipped (ASYNCWORK_ATTEMPTS)");
        return;
    }
    let exes = executables();
    let attempts = load(exercise);
    let mut problems = Vec::new();
    for a in &attempts {
        let pkg = package(exercise, &a.name);
        let exe = exes
            .get(&pkg)
            .unwrap_or_else(|| panic!("no test executable for {pkg}"));
        let (stdout, timed_out) = run(exe, Duration::from_secs(60));
        let v = verdict(exercise, &pkg, &stdout, timed_out);
        assert!(
            !v.is_empty() || timed_out,
            "{pkg}: no test results:\n{stdout}"
        );
        let failed: Vec<String> = v
            .iter()
            .filter_map(|(n, r)| {
                r.as_ref()
                    .map(|(k, m)| format!("{n}: {k}\n      {}", m.replace('\n', "\n      ")))
            })
            .collect();
        let describe = || {
            format!(
                "{exercise} attempt `{}` ({}):\n    failed:\n    {}",
                a.name,
                a.about,
                failed.join("\n    ")
            )
        };
        match a.expect.as_str() {
            "pass" => {
                if !failed.is_empty() {
                    problems.push(format!("expected to PASS\n{}", describe()));
                }
            }
            "fail" => {
                if failed.is_empty() {
                    problems.push(format!("expected to FAIL but passed\n{}", describe()));
                }
                for want in &a.failing {
                    let (test, kind) = want
                        .split_once(':')
                        .map(|(t, k)| (t.trim(), k.trim()))
                        .unwrap_or((want.trim(), ""));
                    match v.get(test) {
                        // `a|b`: either verdict is right (e.g. a wall-clock spin on a CPU that other
                        // programs share is partly the machine's delay: blocking or timing).
                        Some(Some((k, _)))
                            if kind.is_empty() || kind.split('|').any(|x| x.trim() == k) => {}
                        Some(Some((k, _))) => problems.push(format!(
                            "`{test}` failed as {k}, expected {kind}\n{}",
                            describe()
                        )),
                        Some(None) => problems.push(format!(
                            "`{test}` passed, expected to fail ({kind})\n{}",
                            describe()
                        )),
                        None => problems.push(format!(
                            "`{test}` is not a test of {exercise}\n{}",
                            describe()
                        )),
                    }
                }
            }
            other => panic!(
                "{exercise}/{}: expect must be pass or fail, not {other}",
                a.name
            ),
        }
    }
    assert!(
        problems.is_empty(),
        "{} wrong verdict(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// Every exercise has, at least: a correct attempt, a sequential (or otherwise slow) one, one
/// that blocks the runtime, and a cheat. The names say which is which.
#[test]
#[ignore = "builds exercise crates"]
fn every_exercise_has_each_kind_of_attempt() {
    for exercise in exercises() {
        let attempts = load(&exercise);
        for kind in ["correct", "sequential", "blocking", "cheat"] {
            assert!(
                attempts.iter().any(|a| a.name.starts_with(kind)),
                "{exercise}: no `{kind}*` attempt in tests/attempts/{exercise}.toml"
            );
        }
        for a in &attempts {
            let passes = a.expect == "pass";
            assert_eq!(
                passes,
                a.name.starts_with("correct"),
                "{exercise}/{}: only `correct*` attempts may pass, and they must",
                a.name
            );
        }
    }
}

macro_rules! exercise_tests {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            #[ignore = "builds exercise crates"]
            fn $test() {
                check_exercise($name);
            }
        )*
    };
}

exercise_tests! {
    ex01_coroutines => "01_coroutines",
    ex02_sequential_vs_concurrent => "02_sequential_vs_concurrent",
    ex03_gather => "03_gather",
    ex04_taskgroup => "04_taskgroup",
    ex05_limits => "05_limits",
    ex06_timeouts => "06_timeouts",
    ex07_context_managers => "07_context_managers",
    ex08_streams => "08_streams",
    ex09_blocking => "09_blocking",
    ex10_databases => "10_databases",
    ex11_http_clients => "11_http_clients",
    ex12_servers => "12_servers",
    ex13_pitfalls => "13_pitfalls",
    ex14_testing => "14_testing",
    ex15_scale => "15_scale",
}
