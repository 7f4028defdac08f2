//! `lesson run --python`: the same demo under Python's asyncio, end to end. A real run (when
//! python3 >= 3.11 is here) checks both runtimes' spans in `--json`; fake interpreters (small
//! shell scripts) check that a missing, too old, crashing or babbling Python costs one line and
//! never the Rust demo or the exit code.
#![cfg(unix)]

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::asyncwork_here as asyncwork;

/// Two calls, one failing after 50 ms, the other taking 150 ms: under try_gather tokio drops
/// the slow one, asyncio lets it finish. Claims per runtime say so.
const DEMO: &str = r#"
[[demo]]
name = "d"
title = "One fails"
about = "A failing call beside a slow one."
strategies = ["gather", "try_gather", "join_all"]

[[demo.task]]
name = "slow"
op = "sleep"
ms = 150

[[demo.task]]
name = "bad"
op = "fail"
ms = 50
message = "bad gateway"

[[demo.expect]]
claim = "gather keeps the slow call"
kind = "outcome"
strategy = "gather"
task = "slow"
outcome = "ok"

[[demo.expect]]
claim = "try_join! drops the slow call"
kind = "outcome"
strategy = "try_gather"
task = "slow"
outcome = "cancelled"
runtime = "rust"

[[demo.expect]]
claim = "asyncio.gather does not cancel the slow call"
kind = "outcome"
strategy = "try_gather"
task = "slow"
outcome = "ok"
runtime = "python"
"#;

/// A lesson directory with one lesson `t` holding `demo`.
fn lesson_dir(demo: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "format_version = 1\nid = \"t\"\ntitle = \"Test\"\nposition = 1\nsummary = \"A test.\"\n\n\
         [[section]]\nheading = \"H\"\nbody = \"B\"\n{demo}"
    );
    std::fs::write(dir.path().join("t.toml"), text).unwrap();
    dir
}

fn run(lessons: &Path, extra: &[&str]) -> std::process::Output {
    asyncwork()
        .arg("--lessons")
        .arg(lessons)
        .args(["lesson", "run", "t", "--no-live", "--no-pause", "--strict"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn both_runtimes_spans_are_in_the_json() {
    if !crate::common::require_python() {
        return;
    }
    let _t = crate::common::timing();
    let dir = lesson_dir(DEMO);
    let out = run(dir.path(), &["--json", "--python", "--speed", "2"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let demo = &v["demos"][0];
    let py = &demo["python"];
    assert!(py["version"].as_str().unwrap().starts_with('3'), "{py}");
    assert!(py.get("problem").is_none(), "{py}");
    // join_all has no asyncio equivalent: skipped, with the reason.
    assert_eq!(py["skipped"][0]["strategy"], "join_all");
    assert!(
        py["skipped"][0]["why"]
            .as_str()
            .unwrap()
            .contains("no join_all")
    );
    let names = |s: &Value| -> Vec<String> {
        s.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&demo["strategies"]),
        ["gather", "try_gather", "join_all"]
    );
    assert_eq!(names(&py["strategies"]), ["gather", "try_gather"]);
    let task = |s: &Value, strategy: usize, name: &str| -> Value {
        s[strategy]["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()
            .clone()
    };
    for runs in [&demo["strategies"], &py["strategies"]] {
        // gather: both end as written, in lesson time (150 ms at any speed).
        let slow = task(runs, 0, "slow");
        assert_eq!(slow["outcome"], "ok");
        let took = slow["end_ms"].as_f64().unwrap() - slow["start_ms"].as_f64().unwrap();
        assert!((140.0..400.0).contains(&took), "{slow}");
        assert_eq!(task(runs, 0, "bad")["outcome"], "failed");
        assert_eq!(task(runs, 0, "bad")["error"], "bad gateway");
        assert!(runs[1]["error"].as_str().unwrap().contains("bad gateway"));
        assert_eq!(runs[0]["peak_concurrency"], 2);
    }
    // The difference: tokio drops the slow call, asyncio lets it finish after the caller returned.
    assert_eq!(task(&demo["strategies"], 1, "slow")["outcome"], "cancelled");
    let slow = task(&py["strategies"], 1, "slow");
    assert_eq!(slow["outcome"], "ok");
    assert!(slow["end_ms"].as_f64().unwrap() > py["strategies"][1]["wall_ms"].as_f64().unwrap());
    // Each runtime judged its own claims, and the shared one.
    let claims = |e: &Value| -> Vec<(String, bool)> {
        e.as_array()
            .unwrap()
            .iter()
            .map(|c| (c["claim"].as_str().unwrap().to_string(), c["shown"] == true))
            .collect()
    };
    let rust = claims(&demo["expectations"]);
    let python = claims(&py["expectations"]);
    assert_eq!(rust.len(), 2, "{rust:?}");
    assert_eq!(python.len(), 2, "{python:?}");
    assert!(rust.iter().chain(&python).all(|(_, shown)| *shown));
    assert!(python.iter().any(|(c, _)| c.contains("asyncio.gather")));
}

/// A shell script standing in for python3.
fn fake_python(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    crate::common::write_executable(&path, &format!("#!/bin/sh\n{body}\n"));
    path
}

/// Answers `--version` as a new enough Python, then does `rest`.
fn new_enough(rest: &str) -> String {
    format!("if [ \"$1\" = \"--version\" ]; then echo 'Python 3.12.1'; exit 0; fi\n{rest}")
}

/// Runs the demo with `--python-bin bin` and checks the Rust demo ran as without it (same exit
/// code, its summary printed) and that the trouble is told in exactly one line containing
/// `needle`.
fn check_fake(lessons: &Path, bin: &Path, needle: &str) {
    let out = run(
        lessons,
        &["--python-bin", bin.to_str().unwrap(), "--speed", "5"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{stdout}{stderr}");
    // The Rust claims hold, so --strict exits 0, as without --python.
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(stdout.contains("Summary: d"), "{all}");
    assert!(stdout.contains("try_join! drops the slow call"), "{all}");
    let lines: Vec<&str> = all.lines().filter(|l| l.contains(needle)).collect();
    assert_eq!(lines.len(), 1, "want one line with `{needle}`:\n{all}");
    assert!(!all.contains("panicked"), "{all}");
}

#[test]
fn a_missing_or_old_python_costs_one_line() {
    let dir = lesson_dir(DEMO);
    let bins = tempfile::tempdir().unwrap();
    let missing = bins.path().join("no-such-python");
    check_fake(dir.path(), &missing, "was not found");
    let out = run(
        dir.path(),
        &["--python-bin", missing.to_str().unwrap(), "--speed", "5"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("install Python 3.11"), "{stderr}");

    let old = fake_python(bins.path(), "python38", "echo 'Python 3.8.10'");
    check_fake(dir.path(), &old, "is Python 3.8.10");
}

#[test]
fn a_crashing_or_babbling_python_costs_one_line() {
    let dir = lesson_dir(DEMO);
    let bins = tempfile::tempdir().unwrap();
    let crash = fake_python(
        bins.path(),
        "crash",
        &new_enough(
            "echo 'Traceback (most recent call last):' >&2\n\
             echo '  File \"<string>\", line 1, in <module>' >&2\n\
             echo 'RuntimeError: the interpreter fell over' >&2\nexit 1",
        ),
    );
    check_fake(
        dir.path(),
        &crash,
        "RuntimeError: the interpreter fell over",
    );
    let garbage = fake_python(
        bins.path(),
        "garbage",
        &new_enough("echo 'Hello! I am not JSON at all'"),
    );
    check_fake(dir.path(), &garbage, "not its JSON");

    // With --json the line goes to stderr and the document carries it, Rust data intact.
    let out = run(
        dir.path(),
        &[
            "--json",
            "--python-bin",
            crash.to_str().unwrap(),
            "--speed",
            "5",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let problem = v["demos"][0]["python"]["problem"].as_str().unwrap();
    assert!(problem.contains("in demo `d`"), "{problem}");
    assert_eq!(v["demos"][0]["strategies"].as_array().unwrap().len(), 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_bad_runtime_on_a_claim_is_reported_at_its_line() {
    let dir = lesson_dir(&DEMO.replace("runtime = \"python\"", "runtime = \"pyhton\""));
    let out = asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "validate"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("t.toml:"), "{all}");
    assert!(all.contains("pyhton"), "{all}");
    assert!(all.contains("rust") && all.contains("python"), "{all}");
}

/// asyncio has no paused clock: `--python` skips a strategy on tokio's, with the reason, and
/// runs the rest; the tokio run carries the clock and the real time in `--json`.
#[test]
fn a_strategy_on_the_paused_clock_is_skipped_by_asyncio() {
    if !crate::common::require_python() {
        return;
    }
    let _t = crate::common::timing();
    let demo = r#"
[[demo]]
name = "d"
title = "Paused"
about = "Three 100 ms sleeps, on the real clock and on the paused one."
strategies = ["gather", { kind = "gather", label = "gather_paused", clock = "paused" }]

[[demo.task]]
name = "fetch"
op = "sleep"
ms = 100
count = 3

[[demo.expect]]
claim = "the paused run reads one sleep"
kind = "wall"
strategy = "gather_paused"
at_least_ms = 100
at_most_ms = 100
runtime = "rust"
"#;
    let dir = lesson_dir(demo);
    let out = run(dir.path(), &["--json", "--python", "--speed", "2"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let demo = &v["demos"][0];
    let py = &demo["python"];
    assert!(py.get("problem").is_none(), "{py}");
    assert_eq!(py["skipped"].as_array().unwrap().len(), 1, "{py}");
    assert_eq!(py["skipped"][0]["strategy"], "gather_paused");
    let why = py["skipped"][0]["why"].as_str().unwrap();
    assert!(why.starts_with("asyncio has no paused clock"), "{why}");
    assert_eq!(py["strategies"].as_array().unwrap().len(), 1, "{py}");
    assert_eq!(py["strategies"][0]["name"], "gather");
    // The tokio run: the paused strategy says so, reads its timers' time, and took real time
    // of its own (a number; how little is the lesson's claim, not this test's).
    let paused = &demo["strategies"][1];
    assert_eq!(paused["clock"], "paused", "{paused}");
    assert_eq!(paused["wall_ms"].as_f64(), Some(100.0), "{paused}");
    assert!(paused["real_ms"].as_f64().is_some(), "{paused}");
    assert!(demo["strategies"][0].get("clock").is_none());
    assert!(demo["expectations"][0]["shown"] == true, "{demo}");
    // The one claim is tokio's: the asyncio run judges nothing.
    assert_eq!(py["expectations"].as_array().unwrap().len(), 0, "{py}");
}
