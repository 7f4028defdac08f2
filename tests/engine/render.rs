#![allow(clippy::print_stdout)] // shows the rendered text when a test fails
//! Renderers on reports from paused-clock runs: deterministic text.

use asyncwork::demo::report::LessonReport;
use asyncwork::demo::runner::Demo;
use asyncwork::demo::spec::DemoSpec;
use asyncwork::render::{json, summary, timeline, trace};

async fn report(count: u32) -> LessonReport {
    let src = format!(
        r#"name = "d"
title = "t"
about = "a"
strategies = ["sequential", "gather", "try_gather"]
[[task]]
name = "fetch"
op = "sleep"
ms = 300
count = {count}
[[task]]
name = "db"
op = "resource"
setup_ms = 50
ms = 200
teardown_ms = 50
[[task]]
name = "boom"
op = "fail"
ms = 100
[[task]]
name = "pages"
op = "pages"
ms = 60
items = 4
[[expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"
[[expect]]
claim = "boom succeeds"
kind = "outcome"
strategy = "gather"
task = "boom"
outcome = "ok"
"#
    );
    let spec: DemoSpec = toml::from_str(&src).unwrap();
    let demo = Demo::new(&spec).unwrap();
    LessonReport {
        lesson: "l".into(),
        demos: vec![demo.run_async(1.0).await],
        interrupted: false,
    }
}

#[tokio::test(start_paused = true)]
async fn timeline_rows_glyphs_and_axis() {
    console::set_colors_enabled(false);
    let r = report(3).await;
    let seq = timeline::timeline(&r.demos[0].strategies[0], 100, 0.0);
    println!("{seq}");
    assert!(seq.contains("fetch#1"));
    assert!(seq.contains("━"), "setup/teardown glyph");
    assert!(seq.contains("┃"), "item glyph");
    assert!(seq.contains("ok 300 ms"));
    assert!(seq.contains("failed 100 ms"));
    let tg = timeline::timeline(&r.demos[0].strategies[2], 100, 0.0);
    println!("{tg}");
    assert!(tg.contains("░"), "cancelled glyph");
    assert!(tg.contains("cancelled at 100 ms"));
    assert!(tg.contains("error: boom"));
    for line in tg.lines() {
        assert!(line.chars().count() <= 100, "too wide: {line}");
    }
    let s = summary::summary(&r.demos[0]);
    println!("{s}");
    assert!(s.contains("✓ gather is faster"));
    assert!(s.contains("✗ boom succeeds"));
    assert!(s.contains("not shown"));
}

#[tokio::test(start_paused = true)]
async fn large_fan_outs_are_aggregated() {
    console::set_colors_enabled(false);
    let r = report(500).await;
    let t = timeline::timeline(&r.demos[0].strategies[1], 90, 0.0);
    println!("{t}");
    assert!(t.contains("500 tasks: 500 ok"));
    assert!(t.contains("p99"));
    assert!(t.lines().count() < 40);
}

#[tokio::test(start_paused = true)]
async fn json_and_trace_documents() {
    let r = report(3).await;
    let v: serde_json::Value = serde_json::from_str(&json::to_json(&r)).unwrap();
    assert_eq!(v["lesson"], "l");
    let s = &v["demos"][0]["strategies"][1];
    assert_eq!(s["name"], "gather");
    assert!(s["wall_ms"].as_f64().unwrap() > 0.0);
    assert_eq!(s["tasks"][0]["outcome"], "ok");
    assert_eq!(v["demos"][0]["expectations"][0]["shown"], true);
    let t = trace::chrome_trace(&r);
    let events = t["traceEvents"].as_array().unwrap();
    assert!(
        events
            .iter()
            .any(|e| e["ph"] == "X" && e["name"] == "fetch#2")
    );
    assert!(
        events
            .iter()
            .any(|e| e["ph"] == "X" && e["name"] == "teardown")
    );
    assert!(
        events
            .iter()
            .all(|e| e["pid"].is_u64() && e["ph"].is_string())
    );
}

#[test]
fn the_summary_shows_request_latency_for_http_demos() {
    // A real run against the loopback server (real clock): only the table's shape is checked.
    let spec: DemoSpec = toml::from_str(
        r#"name = "load"
title = "t"
about = "a"
strategies = ["sequential", "gather"]
[[task]]
name = "request"
op = "http"
path = "/work/async?ms={ms}"
ms = 5
count = 4
"#,
    )
    .unwrap();
    let demo = Demo::new(&spec).unwrap();
    let d = demo
        .run(
            &asyncwork::demo::runner::RunOptions::default(),
            &mut asyncwork::demo::runner::Unobserved,
        )
        .unwrap();
    let text = summary::summary(&d);
    println!("{text}");
    assert!(text.contains("Request latency"), "{text}");
    let header = text.lines().find(|l| l.contains("p50")).unwrap_or_default();
    for col in ["requests", "p50", "p95", "max", "wall"] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("p50"))
        .skip(1)
        .take(2)
        .collect();
    assert!(rows[0].trim_start().starts_with("sequential"), "{text}");
    assert!(rows[1].trim_start().starts_with("gather"), "{text}");
    assert!(rows.iter().all(|r| r.contains(" 4 ")), "{text}");
    // A demo without HTTP tasks has no latency table.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let plain = rt.block_on(report(2));
    assert!(!summary::summary(&plain.demos[0]).contains("Request latency"));
}

/// `--python`: the asyncio run of a demo is drawn by the same renderers, beside tokio's.
#[tokio::test(start_paused = true)]
async fn a_python_run_is_drawn_beside_the_rust_one() {
    use asyncwork::demo::report::{PythonReport, Skipped};
    let mut r = report(3).await;
    let d = &mut r.demos[0];
    let mut gather = d.strategies[1].clone();
    gather.wall_ms *= 2.0;
    gather.overhead_ms = gather.wall_ms - gather.ideal_ms;
    d.python = Some(PythonReport {
        version: "3.12.1".into(),
        strategies: vec![d.strategies[0].clone(), gather],
        skipped: vec![Skipped {
            strategy: "try_gather".into(),
            why: "no equivalent here".into(),
        }],
        expectations: d.expectations.clone(),
        problem: None,
    });
    let d = &r.demos[0];
    let text = console::strip_ansi_codes(&summary::summary_at(d, 140)).to_string();
    println!("{text}");
    assert!(text.contains("py wall") && text.contains("py/rs"), "{text}");
    assert!(
        text.contains("asyncio skipped `try_gather`: no equivalent here"),
        "{text}"
    );
    assert!(text.contains("Claims on the asyncio run (Python 3.12.1)"));
    // At 70 columns asyncio's columns move to a table of their own, and every line fits.
    let narrow = console::strip_ansi_codes(&summary::summary_at(d, 70)).to_string();
    assert!(
        narrow.contains("under asyncio (Python 3.12.1):"),
        "{narrow}"
    );
    assert!(
        narrow.lines().all(|l| console::measure_text_width(l) <= 70),
        "{narrow}"
    );
    let py = d.python.as_ref().unwrap();
    let pair = timeline::pair(&d.strategies[1], Some(Ok(&py.strategies[1])), 100, 0.0);
    let pair = console::strip_ansi_codes(&pair).to_string();
    let (tokio_at, asyncio_at) = (
        pair.find("gather · tokio").unwrap(),
        pair.find("gather · asyncio").unwrap(),
    );
    assert!(tokio_at < asyncio_at, "{pair}");
    let skipped = timeline::pair(&d.strategies[2], Some(Err("no equivalent here")), 100, 0.0);
    assert!(console::strip_ansi_codes(&skipped).contains("skipped: no equivalent here"));
    let t = trace::chrome_trace(&r);
    let names: Vec<String> = t["traceEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["name"] == "process_name")
        .map(|e| e["args"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "d / sequential",
            "d / sequential (asyncio)",
            "d / gather",
            "d / gather (asyncio)",
            "d / try_gather"
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&json::to_json(&r)).unwrap();
    assert_eq!(v["demos"][0]["python"]["strategies"][1]["name"], "gather");
}

/// A strategy on the paused clock says, in its timeline header and under the summary table,
/// how much real time its lesson time took; one on the real clock says nothing of the kind.
#[tokio::test(start_paused = true)]
async fn a_paused_run_shows_its_real_time_beside_its_lesson_time() {
    use asyncwork::demo::model::Clock;
    console::set_colors_enabled(false);
    let mut r = report(3).await;
    let d = &mut r.demos[0];
    d.strategies[1].clock = Clock::Paused;
    d.strategies[1].real_ms = 0.068;
    d.strategies[1].wall_ms = 300.0;
    let line = "paused clock: 300 ms of lesson time in 68 µs of real time";
    let paused = timeline::header(&d.strategies[1]);
    assert!(paused.contains(line), "{paused}");
    let real = timeline::header(&d.strategies[0]);
    assert!(!real.contains("paused clock"), "{real}");
    let text = summary::summary_at(d, 70);
    assert!(text.contains(&format!("gather: {line}")), "{text}");
    assert_eq!(text.matches("paused clock").count(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(&json::to_json(&r)).unwrap();
    let s = &v["demos"][0]["strategies"];
    assert_eq!(s[1]["clock"], "paused");
    assert_eq!(s[1]["real_ms"], 0.068);
    assert!(s[0].get("clock").is_none(), "{}", s[0]);
}

/// Issue 25, defect 3: an interrupted strategy stopped early, so its header shows no overhead
/// (the summary table shows none either), and says it was interrupted.
#[tokio::test(start_paused = true)]
async fn an_interrupted_strategy_shows_no_overhead() {
    console::set_colors_enabled(false);
    let mut r = report(3).await;
    let s = &mut r.demos[0].strategies[1];
    let measured = timeline::header(s);
    assert!(measured.contains("overhead 0.0 ms"), "{measured}");
    s.interrupted = true;
    s.wall_ms = 120.0;
    s.overhead_ms = -180.0;
    let cut = timeline::header(s);
    assert!(cut.contains("· overhead - ·"), "{cut}");
    assert!(!cut.contains("-180"), "{cut}");
    assert!(
        cut.contains("interrupted (Ctrl-C): partial results"),
        "{cut}"
    );
}
