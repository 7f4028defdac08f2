//! `asyncwork lesson run` end to end: the shipped lessons show every claim, `--json` and `--trace`
//! write valid documents, `--strict` decides the exit code, bad demos are reported with lines.
//!
//! Runs that measure time hold `common::timing()`, so no busy test runs beside them.

use std::path::Path;

use crate::common::{asyncwork_here as asyncwork, lessons, timing};

fn run(args: &[&str]) -> std::process::Output {
    asyncwork()
        .arg("--lessons")
        .arg(lessons())
        .args(["lesson", "run"])
        .args(args)
        .output()
        .unwrap()
}

/// A lesson directory with one lesson `t` holding `demo` (a `[[demo]]` table and its children).
fn lesson_dir(demo: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        r#"format_version = 1
id = "t"
title = "Test"
position = 1
summary = "A test lesson."

[[section]]
heading = "H"
body = "B"

{demo}"#
    );
    std::fs::write(dir.path().join("t.toml"), text).unwrap();
    dir
}

const TWO_CLAIMS: &str = r#"
[[demo]]
name = "d"
title = "Two calls"
about = "Two calls."
strategies = ["sequential", "gather"]

[[demo.task]]
name = "call"
op = "sleep"
ms = 40
count = 2

[[demo.expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"

[[demo.expect]]
claim = "gather cancels the calls"
kind = "outcome"
strategy = "gather"
task = "call"
outcome = "cancelled"
"#;

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    asyncwork()
        .arg("--lessons")
        .arg(dir)
        .args(["lesson", "run", "t"])
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn shipped_lessons_show_every_claim_in_strict_mode() {
    let _t = timing();
    for lesson in ["gather", "coroutines"] {
        let out = run(&[lesson, "--speed", "5", "--no-live", "--strict"]);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{lesson}:\n{stdout}\n{}",
            text(&out.stderr)
        );
        assert!(stdout.contains("✓"), "{stdout}");
        assert!(!stdout.contains("✗"), "{stdout}");
        assert!(stdout.contains("Summary:"));
    }
}

#[test]
fn json_is_one_document_with_the_documented_shape() {
    let _t = timing();
    let out = run(&[
        "gather",
        "--demo",
        "when_one_fails",
        "--json",
        "--speed",
        "5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(v["lesson"], "gather");
    let demos = v["demos"].as_array().unwrap();
    assert_eq!(demos.len(), 1);
    assert_eq!(demos[0]["name"], "when_one_fails");
    let strategies = demos[0]["strategies"].as_array().unwrap();
    let names: Vec<&str> = strategies
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gather", "try_gather", "taskgroup"]);
    for s in strategies {
        assert!(s["wall_ms"].as_f64().unwrap() > 0.0);
        assert!(s["ideal_ms"].as_f64().unwrap() > 0.0);
        for t in s["tasks"].as_array().unwrap() {
            assert!(t["name"].is_string());
            assert!(t["start_ms"].is_number());
            assert!(t["end_ms"].is_number());
            let o = t["outcome"].as_str().unwrap();
            assert!(
                ["ok", "failed", "cancelled", "timed_out"].contains(&o),
                "{o}"
            );
        }
    }
    let try_gather = &strategies[1]["tasks"];
    assert_eq!(try_gather[0]["outcome"], "cancelled");
    assert_eq!(try_gather[1]["outcome"], "failed");
    for e in demos[0]["expectations"].as_array().unwrap() {
        assert!(e["claim"].is_string());
        assert_eq!(e["shown"], true, "{e}");
    }
}

#[test]
fn strict_exits_1_when_a_claim_is_not_shown() {
    let _t = timing();
    let dir = lesson_dir(TWO_CLAIMS);
    let out = run_in(dir.path(), &["--no-live", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("✓ gather is faster"), "{stdout}");
    assert!(stdout.contains("✗ gather cancels the calls"), "{stdout}");
    assert!(stdout.contains("not shown: call#1 ended ok"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("1 claim not shown by this run:"),
        "{stderr}"
    );
    // The claim's place in the lesson file, to fix it.
    assert!(stderr.contains("t.toml:"), "{stderr}");
    assert!(stderr.contains(": gather cancels the calls"), "{stderr}");

    // Without --strict the same run succeeds, with a note.
    let out = run_in(dir.path(), &["--no-live"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("note:"));

    // --json keeps stdout a single document, also when the exit code is 1.
    let out = run_in(dir.path(), &["--json", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["demos"][0]["expectations"][1]["shown"], false);
}

#[test]
fn trace_writes_valid_chrome_trace_json() {
    let _t = timing();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("trace.json");
    let out = run(&[
        "gather",
        "--demo",
        "when_one_fails",
        "--speed",
        "10",
        "--no-live",
        "--trace",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let events = v["traceEvents"].as_array().unwrap();
    let spans: Vec<_> = events.iter().filter(|e| e["ph"] == "X").collect();
    assert!(
        spans
            .iter()
            .any(|e| e["name"] == "fetch_orders" && e["cat"] == "failed")
    );
    assert!(
        spans
            .iter()
            .any(|e| e["name"] == "fetch_user" && e["cat"] == "cancelled")
    );
    for e in &spans {
        assert!(e["ts"].as_f64().unwrap() >= 0.0);
        assert!(e["dur"].as_f64().unwrap() >= 0.0);
        assert!(e["pid"].is_u64() && e["tid"].is_u64());
    }
    assert!(text(&out.stdout).contains("trace written to"));
}

#[test]
fn not_a_terminal_prints_plain_live_lines() {
    let _t = timing();
    let out = run(&["coroutines", "--demo", "await_or_spawn", "--speed", "10"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("    fetch_user ok"), "{stdout}");
    // No cursor movement or spinners in a pipe.
    assert!(!stdout.contains('\u{1b}'), "escape codes in:\n{stdout}");
}

#[test]
fn unknown_lesson_demo_and_bad_speed_are_errors() {
    let out = run(&["gathr"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("did you mean: gather?"));
    let out = run(&["gather", "--demo", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("its demos: sequential_vs_gather"));
    let out = run(&["gather", "--speed", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("speed must be between 0.1"));
}

#[test]
fn bad_demos_are_reported_at_their_line() {
    let dir = lesson_dir(
        r#"[[demo]]
name = "d"
title = "T"
about = "A."
strategies = ["gather", { kind = "bounded" }]

[[demo.task]]
name = "call"
op = "sleep"
ms = 40
count = 0

[[demo.task]]
name = "other"
op = "slep"
ms = 40

[[demo.expect]]
claim = "c"
kind = "faster"
strategy = "gather"
than = "sequential"
"#,
    );
    let out = asyncwork()
        .args(["lesson", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Serde errors and semantic problems both point at their lines.
    assert!(
        stderr.contains("t.toml:25:"),
        "unknown op at line 25:\n{stderr}"
    );
    assert!(stderr.contains("unknown variant `slep`"), "{stderr}");
}

#[test]
fn semantic_demo_problems_point_at_their_key() {
    let dir = lesson_dir(
        r#"[[demo]]
name = "d"
title = "T"
about = "A."
strategies = ["gather", { kind = "bounded" }]

[[demo.task]]
name = "call"
op = "sleep"
ms = 40
count = 0

[[demo.expect]]
claim = "c"
kind = "faster"
strategy = "gather"
than = "sequential"
"#,
    );
    let out = asyncwork()
        .args(["lesson", "validate"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("t.toml:15:"),
        "bounded without limit, line 15:\n{stderr}"
    );
    assert!(stderr.contains("needs `limit`"), "{stderr}");
    assert!(
        stderr.contains("t.toml:21:"),
        "count = 0 at line 21:\n{stderr}"
    );
    assert!(
        stderr.contains("t.toml:27:"),
        "unknown strategy in than, line 27:\n{stderr}"
    );
    assert!(
        stderr.contains("`sequential` is not one of this demo's strategies"),
        "{stderr}"
    );
}

/// Issue 18: `--strict` says how many claims were not judged, and exits 1 when a demo judged
/// none of its timing claims (here a bound of 0 ms, which any fixed cost blurs).
#[test]
fn strict_exits_1_when_a_demo_judged_none_of_its_timing_claims() {
    let _t = timing();
    let dir = lesson_dir(
        r#"
[[demo]]
name = "d"
title = "Instant"
about = "Lookups that answer at once."
strategies = ["sequential"]

[[demo.task]]
name = "lookup"
op = "sleep"
ms = 0
count = 3

[[demo.expect]]
claim = "three lookups take no time at all"
kind = "wall"
strategy = "sequential"
at_most_ms = 0
"#,
    );
    let out = run_in(dir.path(), &["--no-live", "--strict"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 claim not judged at the speed played:"),
        "{stderr}"
    );
    assert!(
        stderr.contains(": three lookups take no time at all"),
        "{stderr}"
    );
    assert!(
        stderr.contains("d judged none of its timing claims"),
        "{stderr}"
    );
    // Without --strict: a note, exit 0.
    let out = run_in(dir.path(), &["--no-live"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("note: 1 claim not judged"));
}

/// Issue 18: a demo that cannot honour `--speed` (its point is `join_all`'s own cost) says so
/// in its header, before it runs.
#[test]
fn a_demo_that_cannot_honour_speed_says_so_before_it_runs() {
    let _t = timing();
    let dir = lesson_dir(
        r#"
[[demo]]
name = "d"
title = "Joined"
about = "A few futures joined."
strategies = ["join_all"]

[[demo.task]]
name = "call"
op = "sleep"
ms = 20
count = 3
"#,
    );
    let out = run_in(dir.path(), &["--no-live", "--speed", "50"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let header = stdout
        .find("plays at speed 1x: asked 50x")
        .unwrap_or_else(|| panic!("{stdout}"));
    let summary = stdout.find("Summary:").unwrap();
    assert!(header < summary, "{stdout}");
}
