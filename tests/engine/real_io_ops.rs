//! The real-I/O ops end to end: each demo starts the loopback server (and a temporary SQLite
//! database) on its own, runs for real (no paused clock: these are real sockets), and shuts it
//! down. Durations are tens of milliseconds; assertions are about outcomes, connections, items
//! and phases, not speed, except where the order of events is certain.

use asyncwork::demo::report::{DemoReport, Outcome, StrategyReport, TaskReport};
use asyncwork::demo::runner::{Demo, RunOptions, Unobserved};
use asyncwork::demo::spec::DemoSpec;

fn spec(strategies: &str, tasks: &str, expect: &str) -> DemoSpec {
    let src = format!(
        "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nstrategies = {strategies}\n{tasks}\n{expect}"
    );
    toml::from_str(&src).unwrap_or_else(|e| panic!("{e}\n{src}"))
}

fn run(strategies: &str, tasks: &str, expect: &str) -> DemoReport {
    let demo = Demo::new(&spec(strategies, tasks, expect)).unwrap_or_else(|p| panic!("{p:?}"));
    demo.run(&RunOptions::default(), &mut Unobserved).unwrap()
}

fn strategy<'a>(r: &'a DemoReport, name: &str) -> &'a StrategyReport {
    r.strategies.iter().find(|s| s.name == name).unwrap()
}

fn rows<'a>(s: &'a StrategyReport, task: &str) -> Vec<&'a TaskReport> {
    s.tasks.iter().filter(|t| t.task == task).collect()
}

fn distinct(rows: &[&TaskReport]) -> usize {
    let mut c: Vec<u64> = rows.iter().flat_map(|t| t.connections.clone()).collect();
    c.sort_unstable();
    c.dedup();
    c.len()
}

#[test]
fn http_shares_one_connection_or_opens_one_per_client() {
    let r = run(
        r#"["sequential"]"#,
        r#"
[[task]]
name = "shared"
op = "http"
path = "/delay/{ms}"
ms = 5
count = 5
[[task]]
name = "fresh"
op = "http"
path = "/delay/{ms}"
ms = 5
count = 5
new_client = true
"#,
        r#"
[[expect]]
claim = "one"
kind = "connections"
strategy = "sequential"
task = "shared"
at_most = 1
[[expect]]
claim = "five"
kind = "connections"
strategy = "sequential"
task = "fresh"
at_least = 5
"#,
    );
    let s = strategy(&r, "sequential");
    assert_eq!(s.count(Outcome::Ok), 10);
    assert_eq!(distinct(&rows(s, "shared")), 1);
    assert_eq!(distinct(&rows(s, "fresh")), 5);
    assert!(
        r.expectations.iter().all(|e| e.shown()),
        "{:?}",
        r.expectations
    );
    // The measured latency is part of the ideal time: more than the server's 10 x 5 ms.
    assert!(s.ideal_ms > 50.0, "{}", s.ideal_ms);
}

#[test]
fn http_errors_and_timeouts_are_task_failures() {
    let r = run(
        r#"["gather"]"#,
        r#"
[[task]]
name = "unavailable"
op = "http"
path = "/status/503"
[[task]]
name = "slow"
op = "http"
path = "/delay/{ms}"
ms = 2000
timeout_ms = 50
[[task]]
name = "streamed"
op = "http"
path = "/stream?chunks=3&ms={ms}"
ms = 10
"#,
        "",
    );
    let s = strategy(&r, "gather");
    let unavailable = rows(s, "unavailable")[0];
    assert_eq!(unavailable.outcome, Outcome::Failed);
    let e = unavailable.error.as_deref().unwrap();
    assert!(
        e.contains("GET /status/503: 503 Service Unavailable"),
        "{e}"
    );
    let slow = rows(s, "slow")[0];
    assert_eq!(slow.outcome, Outcome::Failed);
    assert!(
        slow.error
            .as_deref()
            .unwrap()
            .contains("no answer within 50 ms")
    );
    assert!(slow.duration_ms().unwrap() < 1000.0);
    let streamed = rows(s, "streamed")[0];
    assert_eq!(streamed.outcome, Outcome::Ok);
    assert_eq!(streamed.item_ms.len(), 3, "a line per chunk");
}

#[test]
fn http_retry_backs_off_and_records_each_attempt() {
    let r = run(
        r#"["gather"]"#,
        r#"
[[task]]
name = "flaky"
op = "http_retry"
path = "/flaky/{key}?fail=2"
attempts = 4
backoff_ms = 20
timeout_ms = 1000
count = 2
[[task]]
name = "hopeless"
op = "http_retry"
path = "/status/503"
attempts = 3
backoff_ms = 10
timeout_ms = 1000
[[task]]
name = "missing"
op = "http_retry"
path = "/status/404"
attempts = 3
backoff_ms = 10
timeout_ms = 1000
[[task]]
name = "slow"
op = "http_retry"
path = "/delay/{ms}"
ms = 2000
attempts = 2
backoff_ms = 10
timeout_ms = 40
"#,
        "",
    );
    let s = strategy(&r, "gather");
    let attempts =
        |t: &TaskReport| -> Vec<String> { t.phases.iter().map(|p| p.name.to_string()).collect() };
    for t in rows(s, "flaky") {
        assert_eq!(t.outcome, Outcome::Ok, "{:?}", t.error);
        // Each copy has its own key: two failures each, then success.
        assert_eq!(attempts(t), ["attempt 1", "attempt 2", "attempt 3"]);
        // Backoff between attempts: at least half of 20 ms, then of 40 ms.
        let gap = |a: usize| t.phases[a + 1].start_ms - t.phases[a].end_ms.unwrap();
        assert!(gap(0) >= 9.0 && gap(1) >= 19.0, "{:?}", t.phases);
    }
    let hopeless = rows(s, "hopeless")[0];
    assert_eq!(hopeless.outcome, Outcome::Failed);
    assert_eq!(attempts(hopeless).len(), 3);
    assert!(
        hopeless
            .error
            .as_deref()
            .unwrap()
            .contains("gave up after 3 attempts")
    );
    let missing = rows(s, "missing")[0];
    assert_eq!(attempts(missing), ["attempt 1"], "a 404 is not retried");
    assert!(missing.error.as_deref().unwrap().contains("not retried"));
    let slow = rows(s, "slow")[0];
    assert_eq!(attempts(slow).len(), 2);
    assert!(
        slow.error
            .as_deref()
            .unwrap()
            .contains("no answer within 40 ms")
    );
}

#[test]
fn http_pages_streams_every_item_until_the_empty_page() {
    let r = run(
        r#"["gather"]"#,
        r#"
[[task]]
name = "pages"
op = "http_pages"
items = 23
page_size = 5
ms = 5
"#,
        "",
    );
    let t = rows(strategy(&r, "gather"), "pages")[0];
    assert_eq!(t.outcome, Outcome::Ok, "{:?}", t.error);
    assert_eq!(t.items, Some(23));
    // Five pages with items and the empty one, all on the shared client's one connection.
    assert_eq!(t.connections.len(), 6);
    assert_eq!(distinct(&[t]), 1);
}

#[test]
fn sqlite_inline_holds_the_thread_and_offloaded_does_not() {
    let r = run(
        r#"["gather", "offload"]"#,
        r#"
[[task]]
name = "query"
op = "sqlite"
ms = 60
[[task]]
name = "offloaded"
op = "sqlite"
ms = 30
offload = true
[[task]]
name = "other"
op = "sleep"
ms = 10
"#,
        "",
    );
    let gather = strategy(&r, "gather");
    let query = rows(gather, "query")[0];
    assert_eq!(query.outcome, Outcome::Ok, "{:?}", query.error);
    assert!(query.blocked_ms.unwrap() > 20.0, "{query:?}");
    // Inline on the only thread: nothing else started until the query returned.
    let other = rows(gather, "other")[0];
    assert!(
        other.start_ms.unwrap() >= query.end_ms.unwrap() - 0.5,
        "{gather:?}"
    );
    let offload = strategy(&r, "offload");
    assert_eq!(offload.count(Outcome::Ok), 3);
    let other = rows(offload, "other")[0];
    let query = rows(offload, "query")[0];
    assert!(
        other.start_ms.unwrap() < query.end_ms.unwrap(),
        "{offload:?}"
    );
}

#[test]
fn sqlite_bulk_writes_every_row_both_ways() {
    let r = run(
        r#"["sequential"]"#,
        r#"
[[task]]
name = "each"
op = "sqlite_bulk"
rows = 30
transaction = false
[[task]]
name = "one"
op = "sqlite_bulk"
rows = 300
transaction = true
offload = true
"#,
        "",
    );
    let s = strategy(&r, "sequential");
    assert_eq!(s.count(Outcome::Ok), 2, "{:?}", s.tasks);
    assert!(s.ideal_ms > 0.0, "commit costs are measured");
}

#[test]
fn real_io_parameters_are_validated() {
    for (tasks, needle) in [
        ("op = \"http\"", "needs `path`"),
        ("op = \"http\"\npath = \"/delay/{ms}\"", "give `ms`"),
        ("op = \"http\"\npath = \"/delay/100\"", "`{ms}`"),
        ("op = \"http\"\npath = \"/delay/{ms}\"\nms = 99999", "60000"),
        ("op = \"http\"\npath = \"/nowhere\"", "server would refuse"),
        (
            "op = \"http\"\npath = \"/pages?bogus=1\"",
            "unknown parameter",
        ),
        (
            "op = \"http\"\npath = \"/status/200\"\nms = 5",
            "path has none",
        ),
        (
            "op = \"http\"\npath = \"/status/200\"\nrows = 5",
            "`rows` does not apply",
        ),
        (
            "op = \"http_retry\"\npath = \"/status/200\"",
            "needs `attempts`",
        ),
        (
            "op = \"http_retry\"\npath = \"/status/200\"\nattempts = 11\ntimeout_ms = 5",
            "attempts must be",
        ),
        ("op = \"http_pages\"\nms = 5", "needs `items`"),
        ("op = \"sqlite\"", "needs `ms`"),
        ("op = \"sqlite_bulk\"\nrows = 5", "needs `transaction`"),
        (
            "op = \"sqlite_bulk\"\nrows = 0\ntransaction = true",
            "rows must be",
        ),
        (
            "op = \"sqlite_bulk\"\nrows = 5\ntransaction = true\nms = 3",
            "`ms` does not apply",
        ),
        (
            "op = \"sleep\"\nms = 5\noffload = true",
            "`offload` does not apply",
        ),
    ] {
        let s = spec(
            r#"["gather"]"#,
            &format!("[[task]]\nname = \"x\"\n{tasks}"),
            "",
        );
        let problems: Vec<String> = s.problems().into_iter().map(|p| p.message).collect();
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "{tasks:?}: expected {needle:?} in {problems:?}"
        );
    }
}

/// Issue 18: the forecast used to take retries and bulk inserts as 0 ms and refused these true
/// claims as "cannot hold", while the run's own ideal said otherwise. It now uses the run's
/// ideal durations: the expected backoff of the retries (deadlines included) and the inserts
/// at the rate this disk calibrates; each claim validates, and the run shows it.
#[test]
fn the_forecast_counts_backoff_deadlines_and_calibrated_inserts() {
    let flaky = r#"[[task]]
name = "flaky"
op = "http_retry"
path = "/flaky/{key}?fail=2"
attempts = 3
backoff_ms = 50
timeout_ms = 1000
"#;
    // Backoffs of 50-100 and 100-200 ms (equal jitter): the retries always outlast a 100 ms
    // deadline. (With `backoff_ms = 50` they may win before it, at 75 ms: a claim of "at least
    // 90 ms" would then be false, as a run with a short draw showed.)
    let flaky_slow = flaky.replace("backoff_ms = 50", "backoff_ms = 100");
    let inserts = r#"[[task]]
name = "inserts"
op = "sqlite_bulk"
rows = 600
transaction = false
"#;
    let wall = |strategy: &str, at_least: u64| {
        format!(
            "[[expect]]\nclaim = \"at least {at_least} ms\"\nkind = \"wall\"\nstrategy = \"{strategy}\"\nat_least_ms = {at_least}\n"
        )
    };
    for (strategies, tasks, claim) in [
        (r#"["sequential"]"#, flaky, wall("sequential", 70)),
        (
            r#"[{ kind = "timeout", ms = 100 }]"#,
            flaky_slow.as_str(),
            wall("timeout", 90),
        ),
        (r#"["sequential"]"#, inserts, wall("sequential", 20)),
    ] {
        let demo = Demo::new(&spec(strategies, tasks, &claim))
            .unwrap_or_else(|p| panic!("{strategies} {tasks}: {p:?}"));
        let forecast = demo.forecasts().remove(0);
        assert!(
            !forecast.predicted.contains("is 0 ms"),
            "{}",
            forecast.predicted
        );
        let report = demo.run(&RunOptions::default(), &mut Unobserved).unwrap();
        let e = &report.expectations[0];
        assert!(e.shown(), "{tasks}: {e:?}");
    }
}
