//! Semantics of every strategy, on tokio's paused clock: virtual time makes them deterministic
//! (a 300 ms sleep reads exactly 300 ms) and instant. No test asserts real-time speed.

use asyncwork::demo::report::{DemoReport, Outcome, StrategyReport};
use asyncwork::demo::runner::Demo;
use asyncwork::demo::spec::DemoSpec;

fn demo(strategies: &str, tasks: &str) -> Demo {
    demo_with(strategies, tasks, "")
}

fn demo_with(strategies: &str, tasks: &str, expect: &str) -> Demo {
    let src = format!(
        "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nstrategies = {strategies}\n{tasks}\n{expect}"
    );
    let spec: DemoSpec = toml::from_str(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    Demo::new(&spec).unwrap_or_else(|p| panic!("{p:?}"))
}

fn task(name: &str, op: &str, ms: u64, extra: &str) -> String {
    format!("[[task]]\nname = \"{name}\"\nop = \"{op}\"\nms = {ms}\n{extra}\n")
}

fn strategy<'a>(r: &'a DemoReport, name: &str) -> &'a StrategyReport {
    r.strategies.iter().find(|s| s.name == name).unwrap()
}

fn row<'a>(s: &'a StrategyReport, name: &str) -> &'a asyncwork::demo::report::TaskReport {
    s.tasks
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Virtual milliseconds, rounded (the paused clock advances exactly to each timer).
fn r(ms: f64) -> i64 {
    ms.round() as i64
}

#[tokio::test(start_paused = true)]
async fn sequential_sums_gather_overlaps() {
    let d = demo(
        r#"["sequential", "gather", "spawn", "taskgroup", "try_gather", "offload"]"#,
        &task("fetch", "sleep", 300, "count = 3"),
    );
    let rep = d.run_async(1.0).await;
    let seq = strategy(&rep, "sequential");
    assert_eq!(r(seq.wall_ms), 900);
    assert_eq!(r(seq.ideal_ms), 900);
    let starts: Vec<i64> = seq.tasks.iter().map(|t| r(t.start_ms.unwrap())).collect();
    assert_eq!(starts, [0, 300, 600]);
    assert_eq!(seq.peak_concurrency, 1);
    for name in ["gather", "spawn", "taskgroup", "try_gather", "offload"] {
        let s = strategy(&rep, name);
        assert_eq!(r(s.wall_ms), 300, "{name}");
        assert_eq!(r(s.ideal_ms), 300, "{name}");
        assert_eq!(s.peak_concurrency, 3, "{name}");
        assert_eq!(s.count(Outcome::Ok), 3, "{name}");
        assert_eq!(s.speedup.map(|x| (x * 10.0).round()), Some(30.0), "{name}");
        assert!(s.error.is_none());
    }
}

#[tokio::test(start_paused = true)]
async fn futures_are_lazy_spawned_tasks_are_not() {
    let d = demo(
        r#"[{ kind = "sequential", delay_ms = 200 }, { kind = "gather", delay_ms = 200 }, { kind = "spawn", delay_ms = 200 }]"#,
        &task("fetch", "sleep", 300, ""),
    );
    let rep = d.run_async(1.0).await;
    // Created, then the caller worked 200 ms: the future had not started.
    assert_eq!(
        r(row(strategy(&rep, "sequential"), "fetch").start_ms.unwrap()),
        200
    );
    assert_eq!(r(strategy(&rep, "sequential").wall_ms), 500);
    assert_eq!(
        r(row(strategy(&rep, "gather"), "fetch").start_ms.unwrap()),
        200
    );
    // Spawned: it started at once and ran during the caller's work.
    assert_eq!(
        r(row(strategy(&rep, "spawn"), "fetch").start_ms.unwrap()),
        0
    );
    assert_eq!(r(strategy(&rep, "spawn").wall_ms), 300);
}

fn failing_tasks() -> String {
    task("slow", "sleep", 300, "count = 2")
        + &task("boom", "fail", 100, "message = \"connection refused\"")
}

#[tokio::test(start_paused = true)]
async fn gather_keeps_every_outcome() {
    let rep = demo(r#"["gather", "sequential", "spawn"]"#, &failing_tasks())
        .run_async(1.0)
        .await;
    let g = strategy(&rep, "gather");
    assert_eq!(g.error, None);
    assert_eq!(row(g, "boom").outcome, Outcome::Failed);
    assert_eq!(row(g, "boom").error.as_deref(), Some("connection refused"));
    assert_eq!(g.names(Outcome::Ok), ["slow#1", "slow#2"]);
    assert_eq!(r(g.wall_ms), 300);
    let s = strategy(&rep, "sequential");
    assert_eq!(s.count(Outcome::Ok), 2);
    assert_eq!(r(s.wall_ms), 700);
    // spawn awaits every handle and reports the first error.
    let sp = strategy(&rep, "spawn");
    assert_eq!(sp.error.as_deref(), Some("boom: connection refused"));
    assert_eq!(sp.count(Outcome::Ok), 2);
}

#[tokio::test(start_paused = true)]
async fn try_gather_and_taskgroup_cancel_the_rest() {
    let rep = demo(r#"["try_gather", "taskgroup"]"#, &failing_tasks())
        .run_async(1.0)
        .await;
    for name in ["try_gather", "taskgroup"] {
        let s = strategy(&rep, name);
        assert_eq!(
            s.error.as_deref(),
            Some("boom: connection refused"),
            "{name}"
        );
        assert_eq!(s.names(Outcome::Cancelled), ["slow#1", "slow#2"], "{name}");
        assert_eq!(row(s, "slow#1").end_ms.map(r), Some(100), "{name}");
        assert_eq!(r(s.wall_ms), 100, "{name}");
        assert_eq!(r(s.ideal_ms), 100, "{name}");
    }
}

fn resource(name: &str, ms: u64, extra: &str) -> String {
    task(
        name,
        "resource",
        ms,
        &format!("setup_ms = 50\nteardown_ms = 40\n{extra}"),
    )
}

fn phase(t: &asyncwork::demo::report::TaskReport, name: &str) -> (i64, Option<i64>) {
    let p = t
        .phases
        .iter()
        .find(|p| p.name.to_string() == name)
        .unwrap_or_else(|| panic!("no {name} in {t:?}"));
    (r(p.start_ms), p.end_ms.map(r))
}

#[tokio::test(start_paused = true)]
async fn teardown_runs_on_success_error_and_cancel() {
    let tasks =
        resource("db", 500, "") + &resource("bad", 100, "fails = true\nmessage = \"bad query\"");
    let rep = demo(r#"["gather", "try_gather"]"#, &tasks)
        .run_async(1.0)
        .await;

    let g = strategy(&rep, "gather");
    let db = row(g, "db");
    assert_eq!(db.outcome, Outcome::Ok);
    assert_eq!(phase(db, "setup"), (0, Some(50)));
    assert_eq!(phase(db, "body"), (50, Some(550)));
    assert_eq!(phase(db, "teardown"), (550, Some(590)));
    let bad = row(g, "bad");
    assert_eq!(bad.outcome, Outcome::Failed);
    assert_eq!(
        phase(bad, "teardown"),
        (150, Some(190)),
        "teardown on error"
    );

    // try_gather: `bad` fails at 190 ms (after its own teardown) and `db` is dropped mid-body:
    // its guard spawns the teardown, which the runner waits for.
    let t = strategy(&rep, "try_gather");
    assert_eq!(r(t.wall_ms), 190);
    let db = row(t, "db");
    assert_eq!(db.outcome, Outcome::Cancelled);
    assert_eq!(phase(db, "body"), (50, None));
    assert_eq!(
        phase(db, "teardown"),
        (190, Some(230)),
        "teardown on cancel"
    );
    assert_eq!(t.cleanup_ms.map(r), Some(230));
}

#[tokio::test(start_paused = true)]
async fn cancelled_during_close_still_finishes_teardown() {
    let tasks = resource("db", 100, "") + &task("boom", "fail", 170, "");
    let rep = demo(r#"["try_gather"]"#, &tasks).run_async(1.0).await;
    let db = row(strategy(&rep, "try_gather"), "db");
    assert_eq!(db.outcome, Outcome::Cancelled);
    // Teardown began at 150 and was interrupted at 170: restarted on a cleanup task.
    let (start, end) = phase(db, "teardown");
    assert_eq!(start, 150);
    assert_eq!(end, Some(210));
}

#[tokio::test(start_paused = true)]
async fn timeouts_over_group_and_per_task() {
    let tasks = task("fast", "sleep", 100, "")
        + &task("slow", "sleep", 500, "count = 2")
        + &resource("db", 400, "");
    let rep = demo(
        r#"[{ kind = "timeout", ms = 200 }, { kind = "timeout", ms = 200, scope = "task", label = "per_task" }]"#,
        &tasks,
    )
    .run_async(1.0)
    .await;
    let g = strategy(&rep, "timeout");
    assert_eq!(r(g.wall_ms), 200);
    assert_eq!(
        g.error.as_deref(),
        Some("timeout: deadline of 200 ms passed")
    );
    assert_eq!(row(g, "fast").outcome, Outcome::Ok);
    assert_eq!(g.names(Outcome::TimedOut), ["slow#1", "slow#2", "db"]);
    assert_eq!(phase(row(g, "db"), "teardown"), (200, Some(240)));
    let p = strategy(&rep, "per_task");
    assert_eq!(p.error, None);
    assert_eq!(r(p.wall_ms), 200);
    assert_eq!(p.names(Outcome::TimedOut), ["slow#1", "slow#2", "db"]);
}

#[tokio::test(start_paused = true)]
async fn bounded_never_exceeds_its_limit() {
    let rep = demo(
        r#"[{ kind = "bounded", limit = 3 }, { kind = "stream", limit = 2, label = "buffered" }, "stream"]"#,
        &task("job", "sleep", 100, "count = 10"),
    )
    .run_async(1.0)
    .await;
    let b = strategy(&rep, "bounded");
    assert_eq!(b.peak_concurrency, 3);
    assert_eq!(r(b.wall_ms), 400);
    assert_eq!(r(b.ideal_ms), 400);
    assert_eq!(b.count(Outcome::Ok), 10);
    // Never more than 3 spans overlap at any instant.
    for t in &b.tasks {
        let at = t.start_ms.unwrap();
        let overlapping = b
            .tasks
            .iter()
            .filter(|o| o.start_ms.unwrap() <= at && o.end_ms.unwrap() > at)
            .count();
        assert!(overlapping <= 3);
    }
    let s = strategy(&rep, "buffered");
    assert_eq!(s.peak_concurrency, 2);
    assert_eq!(r(s.wall_ms), 500);
    let one = strategy(&rep, "stream");
    assert_eq!(one.peak_concurrency, 1);
    assert_eq!(r(one.wall_ms), 1000);
}

#[tokio::test(start_paused = true)]
async fn race_cancels_the_losers() {
    let tasks =
        task("a", "sleep", 300, "") + &task("b", "sleep", 100, "") + &resource("c", 500, "");
    let rep = demo(r#"["race"]"#, &tasks).run_async(1.0).await;
    let s = strategy(&rep, "race");
    assert_eq!(r(s.wall_ms), 100);
    assert_eq!(row(s, "b").outcome, Outcome::Ok);
    assert_eq!(s.names(Outcome::Cancelled), ["a", "c"]);
    assert_eq!(phase(row(s, "c"), "teardown"), (100, Some(140)));
}

#[tokio::test(start_paused = true)]
async fn pages_stream_items() {
    let rep = demo(r#"["gather"]"#, &task("pages", "pages", 50, "items = 4"))
        .run_async(1.0)
        .await;
    let t = row(strategy(&rep, "gather"), "pages");
    assert_eq!(t.items, Some(4));
    assert_eq!(
        t.item_ms.iter().copied().map(r).collect::<Vec<_>>(),
        [50, 100, 150, 200]
    );
    assert_eq!(t.end_ms.map(r), Some(200));
}

#[tokio::test(start_paused = true)]
async fn speed_plays_faster_and_reports_lesson_time() {
    let start = tokio::time::Instant::now();
    let rep = demo(
        r#"["sequential", "gather"]"#,
        &task("fetch", "sleep", 300, "count = 3"),
    )
    .run_async(10.0)
    .await;
    // Ten times faster: 900 + 300 ms of lesson time took 120 ms of (virtual) real time ...
    let real = start.elapsed().as_millis();
    assert!((120..125).contains(&real), "{real} ms");
    // ... and the report speaks lesson time, as the claims do.
    assert_eq!(rep.speed, 10.0);
    assert_eq!(rep.requested_speed, None);
    assert_eq!(r(strategy(&rep, "sequential").wall_ms), 900);
    assert_eq!(r(strategy(&rep, "gather").wall_ms), 300);
    assert_eq!(r(strategy(&rep, "gather").ideal_ms), 300);
    assert_eq!(
        r(row(strategy(&rep, "gather"), "fetch#3").end_ms.unwrap()),
        300
    );
}

#[tokio::test(start_paused = true)]
async fn a_demo_never_plays_faster_than_its_timers_can_show() {
    // 20 ms sleeps against a 30 ms deadline: the gap is 10 ms, which must last 4 ms of real
    // time, so this demo plays at most 2.5 times faster.
    let d = demo(
        r#"["gather", { kind = "timeout", ms = 30 }]"#,
        &task("fetch", "sleep", 20, "count = 2"),
    );
    assert_eq!(d.max_speed(), 2.5);
    let rep = d.run_async(100.0).await;
    assert_eq!(rep.speed, 2.5);
    assert_eq!(rep.requested_speed, Some(100.0));
    assert_eq!(r(strategy(&rep, "gather").wall_ms), 20);
    // Slower than asked is always possible.
    assert_eq!(d.run_async(0.5).await.speed, 0.5);
}

#[tokio::test(start_paused = true)]
async fn large_fan_out_completes() {
    let rep = demo(
        r#"["gather", "taskgroup", "try_gather", { kind = "bounded", limit = 1000 }]"#,
        &task("t", "sleep", 100, "count = 20000"),
    )
    .run_async(1.0)
    .await;
    for s in &rep.strategies {
        assert_eq!(s.count(Outcome::Ok), 20_000, "{}", s.name);
        assert_eq!(s.tasks[19_999].name, "t#20000");
    }
    assert_eq!(r(strategy(&rep, "gather").wall_ms), 100);
    assert_eq!(strategy(&rep, "bounded").peak_concurrency, 1000);
}

#[tokio::test(start_paused = true)]
async fn interrupt_cancels_and_reports_partial_results() {
    let d = demo(
        r#"["sequential"]"#,
        &(resource("db", 500, "") + &task("later", "sleep", 100, "")),
    );
    let s = &d.strategies[0];
    let rep = d
        .run_strategy_async(
            s,
            1.0,
            asyncwork::demo::runner::FixedCosts::NONE,
            None,
            tokio::time::sleep(std::time::Duration::from_millis(150)),
        )
        .await;
    assert!(rep.interrupted);
    assert_eq!(r(rep.wall_ms), 150);
    assert_eq!(row(&rep, "db").outcome, Outcome::Cancelled);
    assert_eq!(phase(row(&rep, "db"), "teardown"), (150, Some(190)));
    let later = row(&rep, "later");
    assert_eq!((later.outcome, later.start_ms), (Outcome::Cancelled, None));
}

#[tokio::test(start_paused = true)]
async fn expectations_are_checked_with_reasons() {
    let expect = r#"
[[expect]]
claim = "gather is at least 2x faster"
kind = "faster"
strategy = "gather"
than = "sequential"
factor = 2.0
[[expect]]
claim = "try_gather cancels the slow calls"
kind = "outcome"
strategy = "try_gather"
task = "slow"
outcome = "cancelled"
[[expect]]
claim = "gather cancels the slow calls (false)"
kind = "outcome"
strategy = "gather"
task = "slow"
outcome = "cancelled"
[[expect]]
claim = "the error surfaced"
kind = "error"
strategy = "try_gather"
contains = "refused"
[[expect]]
claim = "gather keeps errors as values"
kind = "no_error"
strategy = "gather"
[[expect]]
claim = "gather surfaces it (false)"
kind = "error"
strategy = "gather"
[[expect]]
claim = "one at a time"
kind = "concurrency"
strategy = "sequential"
at_most = 1
[[expect]]
claim = "second slow call starts after 300"
kind = "started"
strategy = "sequential"
task = "slow#2"
after_ms = 300
before_ms = 300
[[expect]]
claim = "gather takes about 300"
kind = "wall"
strategy = "gather"
at_least_ms = 300
at_most_ms = 310
"#;
    let d = demo_with(
        r#"["sequential", "gather", "try_gather"]"#,
        &failing_tasks(),
        expect,
    );
    let rep = d.run_async(2.0).await;
    let shown: Vec<bool> = rep.expectations.iter().map(|e| e.shown()).collect();
    assert_eq!(
        shown,
        [true, true, false, true, true, false, true, true, true],
        "{:#?}",
        rep.expectations
    );
    assert!(
        rep.expectations[2].detail.contains("slow#1 ended ok"),
        "{}",
        rep.expectations[2].detail
    );
    assert!(rep.expectations[5].detail.contains("kept as values"));
}

/// Blocking runs on real time: these tests assert only orderings and lower bounds.
#[tokio::test]
async fn blocking_stalls_the_loop_offload_does_not() {
    let tasks = task("block", "block", 200, "") + &task("tick", "sleep", 10, "");
    let rep = demo(r#"["gather", "offload"]"#, &tasks)
        .run_async(1.0)
        .await;
    let g = strategy(&rep, "gather");
    // On one thread, the timer could not be handled while the thread slept.
    assert!(row(g, "tick").end_ms.unwrap() >= 200.0);
    assert!(row(g, "block").blocked_ms.unwrap() >= 200.0);
    let o = strategy(&rep, "offload");
    assert!(row(o, "tick").end_ms.unwrap() < row(o, "block").end_ms.unwrap());
    assert_eq!(o.count(Outcome::Ok), 2);
}

/// The sync API builds its own runtime of the demo's flavour (real time: no speed asserted).
#[test]
fn paused_clock_strategies_read_their_timers_time_in_next_to_no_real_time() {
    // Built as `lesson run` builds them (`start_paused(true)`), not on this test's runtime: a
    // real-clock run of these would take 4 s, the paused ones take microseconds.
    let src = r#"
name = "paused"
title = "t"
about = "a"
strategies = [
  { kind = "sequential", label = "seq", clock = "paused" },
  { kind = "gather", label = "joined", clock = "paused" },
  { kind = "timeout", ms = 1500, label = "deadline", clock = "paused" },
]
[[task]]
name = "fetch"
op = "sleep"
ms = 1000
count = 3
[[task]]
name = "slow"
op = "resource"
setup_ms = 200
ms = 2000
teardown_ms = 300
[[expect]]
claim = "in a row, exactly the sum of the timers on the paused clock"
kind = "wall"
strategy = "seq"
at_least_ms = 5500
at_most_ms = 5500
runtime = "rust"
[[expect]]
claim = "under 1 s of real time"
kind = "real_time"
strategy = "seq"
at_most_ms = 1000
runtime = "rust"
"#;
    let spec: DemoSpec = toml::from_str(src).unwrap();
    let demo = Demo::new(&spec).unwrap_or_else(|p| panic!("{p:?}"));
    let rep = demo
        .run(
            &asyncwork::demo::runner::RunOptions::default(),
            &mut asyncwork::demo::runner::Unobserved,
        )
        .unwrap();
    let seq = strategy(&rep, "seq");
    // Lesson time is the timers' time, exactly: the clock moved only from deadline to deadline.
    assert_eq!(seq.wall_ms, 5500.0, "{seq:?}");
    assert_eq!(seq.allowance_ms, 0.0);
    assert_eq!(r(row(seq, "fetch#2").start_ms.unwrap()), 1000);
    assert_eq!(r(strategy(&rep, "joined").wall_ms), 2500);
    // A deadline on the paused clock fires at its lesson time, and cuts the resource's body.
    let deadline = strategy(&rep, "deadline");
    assert_eq!(r(deadline.wall_ms), 1500);
    assert_eq!(row(deadline, "slow").outcome, Outcome::TimedOut);
    // The machine's clock: a small fraction of the 5.5 s the timers read.
    for s in &rep.strategies {
        assert_eq!(s.clock, asyncwork::demo::model::Clock::Paused);
        assert!(s.real_ms < 1000.0, "{}: {} real ms", s.name, s.real_ms);
    }
    // The speedup compares clock with clock: joined against the paused sequential run.
    assert_eq!(
        strategy(&rep, "joined")
            .speedup
            .map(|x| (x * 100.0).round()),
        Some(220.0)
    );
    assert!(
        rep.expectations.iter().all(|e| e.shown()),
        "{:?}",
        rep.expectations
    );
}

#[test]
fn multi_thread_runtime_and_cpu_ops() {
    let src = r#"
name = "mt"
title = "t"
about = "a"
runtime = "multi_thread"
workers = 2
strategies = ["taskgroup", "offload", { kind = "bounded", limit = 2 }]
[[task]]
name = "crunch"
op = "cpu"
ms = 20
count = 2
[[task]]
name = "wait"
op = "sleep"
ms = 10
count = 3
"#;
    let spec: DemoSpec = toml::from_str(src).unwrap();
    let demo = Demo::new(&spec).unwrap();
    let rep = demo
        .run(
            &asyncwork::demo::runner::RunOptions::default(),
            &mut asyncwork::demo::runner::Unobserved,
        )
        .unwrap();
    assert_eq!(rep.runtime, "multi_thread");
    assert_eq!(rep.workers, Some(2));
    for s in &rep.strategies {
        assert_eq!(s.count(Outcome::Ok), 5, "{}", s.name);
        for t in s.tasks.iter().filter(|t| t.task == "crunch") {
            // A cpu op spins for its duration in real time.
            assert!(t.blocked_ms.unwrap() >= 20.0, "{t:?}");
        }
    }
    assert!(strategy(&rep, "bounded").peak_concurrency <= 2);
}

#[test]
fn spec_rejects_unknown_keys_in_every_table() {
    // A strategy's unknown key is a problem of its entry (reported with the demo's others, at
    // the entry's line), not a parse error.
    let src = "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nstrategies = [{ kind = \"bounded\", limit = 2, limt = 3 }]\n[[task]]\nname = \"x\"\nop = \"sleep\"\nms = 1\n";
    let p = toml::from_str::<DemoSpec>(src).unwrap().problems();
    assert!(
        p.iter().any(|p| p.key.as_deref() == Some("strategies.0")
            && p.message
                .starts_with("`limt` does not apply to strategy `bounded`")),
        "{p:?}"
    );
    // So is a claim's: every stray key, each at its own key.
    let src = "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\n[[task]]\nname = \"x\"\nop = \"sleep\"\nms = 1\n[[expect]]\nclaim = \"c\"\nkind = \"wall\"\nstrategy = \"gather\"\nat_most = 3\nextra = 1\n";
    let p = toml::from_str::<DemoSpec>(src).unwrap().problems();
    let keys: Vec<_> = p.iter().filter_map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, ["expect.0.at_most", "expect.0.extra"], "{p:?}");
    assert!(
        p[1].message
            .starts_with("`extra` does not apply to expectation `wall`"),
        "{p:?}"
    );
    for (table, extra) in [("runtime = \"multi\"", ""), ("strategies = [3]", "")] {
        let src = format!(
            "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\n{table}\n[[task]]\nname = \"x\"\nop = \"sleep\"\nms = 1\n{extra}"
        );
        let err = toml::from_str::<DemoSpec>(&src).unwrap_err().to_string();
        assert!(
            err.contains("unknown field")
                || err.contains("unknown variant")
                || err.contains("expected"),
            "{src}\n{err}"
        );
    }
    // Semantic: zero workers, workers on current_thread, a stray expectation parameter.
    let src = "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nruntime = \"multi_thread\"\nworkers = 0\n\
               [[task]]\nname = \"x\"\nop = \"sleep\"\nms = 1\n\
               [[expect]]\nclaim = \"c\"\nkind = \"no_error\"\nstrategy = \"gather\"\nfactor = 2.0\n";
    let problems = toml::from_str::<DemoSpec>(src).unwrap().problems();
    let keys: Vec<_> = problems.iter().filter_map(|p| p.key.as_deref()).collect();
    assert!(keys.contains(&"workers"), "{problems:?}");
    assert!(keys.contains(&"expect.0.factor"), "{problems:?}");
}

#[tokio::test(start_paused = true)]
async fn teardown_and_timeout_expectations() {
    let tasks = resource("db", 500, "") + &task("boom", "fail", 100, "");
    let expect = r#"
[[expect]]
claim = "teardown runs although try_gather cancelled db"
kind = "teardown"
strategy = "try_gather"
task = "db"
[[expect]]
claim = "db is cancelled"
kind = "outcome"
strategy = "try_gather"
task = "db"
outcome = "cancelled"
[[expect]]
claim = "the deadline cut db"
kind = "outcome"
strategy = "timeout"
task = "db"
outcome = "timed_out"
[[expect]]
claim = "the deadline surfaced"
kind = "error"
strategy = "timeout"
contains = "deadline"
"#;
    let rep = demo_with(
        r#"["try_gather", { kind = "timeout", ms = 300 }]"#,
        &tasks,
        expect,
    )
    .run_async(1.0)
    .await;
    for e in &rep.expectations {
        assert!(e.shown(), "{e:?}");
    }
    assert!(
        rep.expectations[0].detail.contains("teardown ran"),
        "{:?}",
        rep.expectations[0]
    );
}

/// Whatever the numbers, `problems()` answers and never panics.
#[test]
fn extreme_values_never_panic() {
    let max64 = u64::MAX.to_string();
    let max32 = u32::MAX.to_string();
    let fields: Vec<(&str, &str)> = vec![
        ("ms", &max64),
        ("setup_ms", &max64),
        ("teardown_ms", &max64),
        ("items", &max32),
        ("count", &max32),
        ("ms", "0"),
        ("items", "0"),
    ];
    for op in ["sleep", "block", "cpu", "fail", "resource", "pages"] {
        for (key, value) in &fields {
            for strategies in [
                format!(r#"[{{ kind = "bounded", limit = {max32} }}]"#),
                format!(r#"[{{ kind = "timeout", ms = {max64} }}]"#),
                format!(r#"[{{ kind = "sequential", delay_ms = {max64} }}]"#),
                format!(r#"[{{ kind = "stream", limit = {max32} }}, "race", "spawn"]"#),
            ] {
                let src = format!(
                    "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nruntime = \"multi_thread\"\nworkers = {max32}\n\
                     strategies = {strategies}\n[[task]]\nname = \"x\"\nop = \"{op}\"\n{key} = {value}\n\
                     [[expect]]\nclaim = \"c\"\nkind = \"concurrency\"\nstrategy = \"race\"\nat_most = {max32}\n"
                );
                let Ok(spec) = toml::from_str::<DemoSpec>(&src) else {
                    continue; // a serde error is fine too
                };
                let _ = asyncwork::demo::runner::Demo::new(&spec);
                // The conversions trust validation, but must not panic even without it.
                let _ = asyncwork::demo::plan::Plan::new(&spec.tasks());
                let _ = (spec.strategies(), spec.claims());
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn dropped_join_handles_detach() {
    let rep = demo(
        r#"[{ kind = "spawn", detach = true }]"#,
        &task("fetch", "sleep", 300, "count = 2"),
    )
    .run_async(1.0)
    .await;
    let s = strategy(&rep, "spawn");
    // The caller returned at once; the tasks ran on to the end.
    assert_eq!(r(s.wall_ms), 0);
    assert_eq!(r(s.ideal_ms), 0);
    assert_eq!(s.count(Outcome::Ok), 2);
    assert_eq!(row(s, "fetch#1").end_ms.map(r), Some(300));
}

#[tokio::test(start_paused = true)]
async fn phase_claims_tell_a_cut_in_the_body_from_one_in_the_teardown() {
    // setup 0..50, body 50..250, teardown 250..290.
    let expect = r#"
[[expect]]
claim = "a 100 ms deadline cuts the query in its body"
kind = "outcome"
strategy = "cut_body"
task = "report"
outcome = "timed_out"
phase = "body"
[[expect]]
claim = "a 270 ms deadline cuts it in its teardown"
kind = "outcome"
strategy = "cut_teardown"
task = "report"
outcome = "timed_out"
phase = "teardown"
[[expect]]
claim = "a 100 ms deadline cuts it in its teardown (false)"
kind = "outcome"
strategy = "cut_body"
task = "report"
outcome = "timed_out"
phase = "teardown"
[[expect]]
claim = "cut in its body, the resource is torn down after the caller got control back"
kind = "cleanup"
strategy = "cut_body"
task = "report"
finished = "after_return"
[[expect]]
claim = "left alone, it is torn down before the caller gets control back"
kind = "cleanup"
strategy = "gather"
task = "report"
finished = "before_return"
[[expect]]
claim = "left alone, it is torn down after the caller gets control back (false)"
kind = "cleanup"
strategy = "gather"
task = "report"
finished = "after_return"
"#;
    let rep = demo_with(
        r#"["gather", { kind = "timeout", ms = 100, label = "cut_body" }, { kind = "timeout", ms = 270, label = "cut_teardown" }]"#,
        &resource("report", 200, ""),
        expect,
    )
    .run_async(1.0)
    .await;
    let shown: Vec<bool> = rep.expectations.iter().map(|e| e.shown()).collect();
    assert_eq!(
        shown,
        [true, true, false, true, true, false],
        "{:#?}",
        rep.expectations
    );
    assert!(
        rep.expectations[2]
            .detail
            .contains("report ended timed_out in body"),
        "{}",
        rep.expectations[2].detail
    );
    let cut = row(strategy(&rep, "cut_body"), "report");
    assert_eq!(cut.cut_in.map(|p| p.to_string()).as_deref(), Some("body"));
    assert_eq!(phase(cut, "teardown"), (100, Some(140)));
}

#[tokio::test(start_paused = true)]
async fn a_resource_may_fail_in_setup_or_in_teardown() {
    let tasks = resource(
        "in_setup",
        100,
        "fails = \"setup\"\nmessage = \"no connection\"",
    ) + &resource(
        "in_teardown",
        100,
        "fails = \"teardown\"\nmessage = \"commit failed\"",
    ) + &resource("in_body", 100, "fails = true");
    let rep = demo(r#"["gather"]"#, &tasks).run_async(1.0).await;
    let g = strategy(&rep, "gather");
    let setup = row(g, "in_setup");
    assert_eq!(setup.outcome, Outcome::Failed);
    assert_eq!(
        setup.cut_in.map(|p| p.to_string()).as_deref(),
        Some("setup")
    );
    assert_eq!(setup.error.as_deref(), Some("no connection"));
    // Nothing was acquired, so nothing is torn down.
    assert!(setup.phases.iter().all(|p| p.name.to_string() == "setup"));
    assert_eq!(r(setup.end_ms.unwrap()), 50);
    let teardown = row(g, "in_teardown");
    assert_eq!(
        teardown.cut_in.map(|p| p.to_string()).as_deref(),
        Some("teardown")
    );
    assert_eq!(phase(teardown, "teardown"), (150, Some(190)));
    assert_eq!(r(teardown.end_ms.unwrap()), 190);
    assert_eq!(
        row(g, "in_body").cut_in.map(|p| p.to_string()).as_deref(),
        Some("body")
    );
}

/// `async with pool: async with conn:`: `conn` runs in `pool`'s body. setup 50 + (conn: 50 +
/// 200 + 40) + pool's own 10 + teardown 40 = 390 ms.
fn stack(count: u32, conn_extra: &str) -> String {
    task(
        "pool",
        "resource",
        10,
        &format!("count = {count}\nsetup_ms = 50\nteardown_ms = 40"),
    ) + &task(
        "conn",
        "resource",
        200,
        &format!(
            "count = {count}\ninside = \"pool\"\nsetup_ms = 50\nteardown_ms = 40\n{conn_extra}"
        ),
    )
}

#[tokio::test(start_paused = true)]
async fn nested_resources_close_innermost_first_even_when_cancelled() {
    let expect = r#"
[[expect]]
claim = "the connection closes before the pool"
kind = "teardown"
strategy = "gather"
task = "conn"
before = "pool"
[[expect]]
claim = "cut in the connection's body, the connection still closes before the pool"
kind = "teardown"
strategy = "timeout"
task = "conn"
before = "pool"
[[expect]]
claim = "the pool closes before the connection (false)"
kind = "teardown"
strategy = "gather"
task = "pool"
before = "conn"
[[expect]]
claim = "the deadline cuts the connection in its body"
kind = "outcome"
strategy = "timeout"
task = "conn"
outcome = "timed_out"
phase = "body"
"#;
    let d = demo_with(
        r#"["gather", { kind = "timeout", ms = 200 }]"#,
        &stack(1, ""),
        expect,
    );
    let rep = d.run_async(1.0).await;
    let g = strategy(&rep, "gather");
    assert_eq!(r(g.wall_ms), 390);
    assert_eq!(r(g.ideal_ms), 390, "the ideal counts the nested resource");
    assert_eq!(
        g.peak_concurrency, 1,
        "a nested resource runs inside, not beside"
    );
    let (pool, conn) = (row(g, "pool"), row(g, "conn"));
    assert_eq!(conn.inside.as_deref(), Some("pool"));
    assert_eq!(phase(conn, "setup"), (50, Some(100)));
    assert_eq!(phase(conn, "teardown"), (300, Some(340)));
    assert_eq!(phase(pool, "body"), (50, Some(350)));
    assert_eq!(phase(pool, "teardown"), (350, Some(390)));

    // Dropped at 200 ms, in the connection's body: both guards spawn their teardown, and the
    // pool's waits for the connection's.
    let t = strategy(&rep, "timeout");
    let (pool, conn) = (row(t, "pool"), row(t, "conn"));
    assert_eq!(conn.outcome, Outcome::TimedOut);
    assert_eq!(pool.outcome, Outcome::TimedOut);
    assert_eq!(phase(conn, "teardown"), (200, Some(240)));
    assert_eq!(phase(pool, "teardown"), (240, Some(280)));
    assert_eq!(t.cleanup_ms.map(r), Some(280));

    let shown: Vec<bool> = rep.expectations.iter().map(|e| e.shown()).collect();
    assert_eq!(shown, [true, true, false, true], "{:#?}", rep.expectations);
    assert!(
        rep.expectations[2]
            .detail
            .contains("conn began its teardown"),
        "{}",
        rep.expectations[2].detail
    );
}

#[tokio::test(start_paused = true)]
async fn a_nested_failure_leaves_every_resource_closed_in_order() {
    let rep = demo(
        r#"["gather"]"#,
        &stack(2, "fails = \"body\"\nmessage = \"connection reset\""),
    )
    .run_async(1.0)
    .await;
    let g = strategy(&rep, "gather");
    assert_eq!(g.peak_concurrency, 2);
    for k in [1, 2] {
        let (pool, conn) = (row(g, &format!("pool#{k}")), row(g, &format!("conn#{k}")));
        assert_eq!(conn.inside, Some(format!("pool#{k}")));
        assert_eq!(conn.outcome, Outcome::Failed);
        assert_eq!(conn.cut_in.map(|p| p.to_string()).as_deref(), Some("body"));
        // The error leaves the outer `async with` too, after the pool closed.
        assert_eq!(pool.outcome, Outcome::Failed);
        assert_eq!(
            pool.error.as_deref(),
            Some(&*format!("conn#{k}: connection reset"))
        );
        assert_eq!(phase(conn, "teardown"), (300, Some(340)));
        assert_eq!(
            phase(pool, "teardown"),
            (340, Some(380)),
            "no own work after the error"
        );
    }
}

#[test]
fn nesting_mistakes_are_refused_with_the_key() {
    let bad = |tasks: &str, key: &str, needle: &str| {
        let src = format!(
            "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nstrategies = [\"gather\"]\n{tasks}"
        );
        let spec: DemoSpec = toml::from_str(&src).unwrap();
        let problems = spec.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.key.as_deref() == Some(key) && p.message.contains(needle)),
            "{key}: {needle}\n{problems:?}"
        );
    };
    let pool = task("pool", "resource", 10, "");
    bad(
        &(pool.clone() + &task("conn", "resource", 10, "inside = \"nope\"")),
        "task.1.inside",
        "not one of this demo's tasks",
    );
    bad(
        &(task("s", "sleep", 10, "") + &task("conn", "resource", 10, "inside = \"s\"")),
        "task.1.inside",
        "only a `resource` has a body",
    );
    bad(
        &(pool.clone() + &task("x", "sleep", 10, "inside = \"pool\"")),
        "task.1.inside",
        "does not apply to op `sleep`",
    );
    bad(
        &(task("a", "resource", 10, "inside = \"b\"")
            + &task("b", "resource", 10, "inside = \"a\"")),
        "task.0.inside",
        "nested inside each other",
    );
    bad(
        &task("a", "resource", 10, "inside = \"a\""),
        "task.0.inside",
        "inside itself",
    );
    bad(
        &(task("pool", "resource", 10, "count = 3")
            + &task("conn", "resource", 10, "inside = \"pool\"")),
        "task.1.inside",
        "set count = 3",
    );
}

/// A runtime thread kept off the CPU for longer than the time between two events wakes to find
/// both due: an outcome the claim expects can flip, and the claim is then "not judged", naming
/// the wait, rather than refuted. A short wait refutes it as before.
#[tokio::test(start_paused = true)]
async fn a_stall_longer_than_the_gap_between_events_is_not_judged() {
    let expect = r#"
[[expect]]
claim = "the failure aborts the sibling"
kind = "outcome"
strategy = "taskgroup"
task = "user"
outcome = "cancelled"
"#;
    let tasks = task("user", "sleep", 300, "") + &task("orders", "fail", 100, "");
    let d = demo_with(r#"["taskgroup"]"#, &tasks, expect);
    let rep = d.run_async(1.0).await;
    assert!(rep.expectations[0].shown());
    // What a 232 ms stall at 90 ms does: both timers are due when the thread wakes, and the
    // sibling finishes before the failure is seen.
    let stalled = |wait: f64| {
        let mut runs = rep.strategies.clone();
        runs[0].cpu_wait_ms = wait;
        for t in &mut runs[0].tasks {
            t.outcome = if t.name == "user" {
                Outcome::Ok
            } else {
                Outcome::Failed
            };
        }
        d.report(runs, 1.0, 1.0).expectations.remove(0)
    };
    let long = stalled(232.0);
    assert!(!long.shown() && !long.judged(), "{long:?}");
    assert!(
        long.detail.contains("waiting 232 ms for a CPU"),
        "{}",
        long.detail
    );
    assert!(
        long.detail.contains("200 ms between the events"),
        "{}",
        long.detail
    );
    let short = stalled(50.0);
    assert!(!short.shown() && short.judged(), "{short:?}");
}

/// Fixed real-time costs for a test: `runtime_ms` per run, `tick_ms` per timer wait. On the
/// paused clock they take no time; they only size the allowance, as measured costs would.
fn costs(runtime_ms: f64, tick_ms: f64) -> asyncwork::demo::runner::FixedCosts {
    asyncwork::demo::runner::FixedCosts {
        runtime_ms,
        task_ms: 0.0,
        tick_ms,
        thread_ms: 0.0,
    }
}

/// `claim` judged on `d`'s strategy `name` run at `speed` with fixed costs `c`.
async fn judged_at(
    d: &Demo,
    name: &str,
    speed: f64,
    c: asyncwork::demo::runner::FixedCosts,
    claim: &asyncwork::demo::claim::Claim,
) -> asyncwork::demo::report::ExpectationResult {
    let s = d.strategies.iter().find(|s| s.name == name).unwrap();
    let run = d
        .run_strategy_async(s, speed, c, None, std::future::pending())
        .await;
    asyncwork::demo::claim::check(std::slice::from_ref(claim), d.plan(), &[run]).remove(0)
}

fn wall_at_most(strategy: &str, ms: u64) -> asyncwork::demo::claim::Claim {
    asyncwork::demo::claim::Claim {
        index: 0,
        text: format!("{strategy} finishes within {ms} ms"),
        strategy: strategy.into(),
        check: asyncwork::demo::claim::Check::Wall(asyncwork::demo::claim::wall::Wall {
            at_least_ms: None,
            at_most_ms: Some(ms),
        }),
        at: None,
        runtime: None,
    }
}

/// Issue 18: "the sequential retries finish within 20 ms" measured 462 ms at speed 50 and was
/// shown ("within the 1.81 s allowed"). An allowance excuses a miss only up to the claim's own
/// scale: at speed 1 and 5 the run refutes it, at 50 fixed costs could explain it and it is not
/// judged; never shown.
#[tokio::test(start_paused = true)]
async fn a_timing_claim_is_judged_against_its_own_scale() {
    // 464 ms of retries in a row (the model the claim is not allowed to see: it is judged on
    // the run alone), 15 ms of fixed costs per run in real time.
    let d = demo(r#"["sequential"]"#, &task("retries", "sleep", 464, ""));
    let claim = wall_at_most("sequential", 20);
    let c = costs(10.0, 5.0);
    for speed in [1.0, 5.0] {
        let v = judged_at(&d, "sequential", speed, c, &claim).await;
        assert!(!v.shown() && v.judged(), "speed {speed}: {v:?}");
        assert!(v.detail.contains("claimed at most 20"), "{}", v.detail);
    }
    let v = judged_at(&d, "sequential", 50.0, c, &claim).await;
    assert!(!v.shown() && !v.judged(), "speed 50: {v:?}");
    assert!(
        v.detail.contains("not judged at this speed"),
        "{}",
        v.detail
    );

    // The issue's numbers: 462 ms measured against 1.81 s allowed.
    let s = &d.strategies[0];
    let mut run = d
        .run_strategy_async(s, 50.0, c, None, std::future::pending())
        .await;
    run.wall_ms = 462.0;
    run.allowance_ms = 1810.0;
    let v = asyncwork::demo::claim::check(std::slice::from_ref(&claim), d.plan(), &[run]).remove(0);
    assert!(!v.shown(), "{v:?}");

    // A miss smaller than the bound itself is still excused by fixed costs, with a note.
    let claim = wall_at_most("sequential", 400);
    let v = judged_at(&d, "sequential", 5.0, c, &claim).await;
    assert!(v.shown(), "{v:?}");
    assert!(v.detail.contains("allowed for fixed costs"), "{}", v.detail);
}

/// A demo plays no faster than the speed at which its timing claims can still be judged on
/// this machine, and says why.
#[tokio::test(start_paused = true)]
async fn a_demo_plays_no_faster_than_its_timing_claims_can_be_judged() {
    use asyncwork::demo::runner::SpeedLimit;
    let expect = r#"
[[expect]]
claim = "three lookups in a row take at most 50 ms"
kind = "wall"
strategy = "sequential"
at_most_ms = 50
"#;
    let d = demo_with(
        r#"["sequential"]"#,
        &task("lookup", "sleep", 0, "count = 3"),
        expect,
    );
    // 1 ms per run and per timer wait: 4 ms for three sleeps in a row. A 50 ms bound needs
    // the allowance at most half of it: 25 / 4 = 6.25x, shown in tenths.
    let c = costs(1.0, 1.0);
    assert_eq!(d.claims_speed(&c), 6.25);
    assert_eq!(d.speed_for(100.0, &c), 6.2);
    assert_eq!(d.speed_limit(100.0, &c), Some(SpeedLimit::Claims));
    assert_eq!(d.speed_limit(5.0, &c), None);
    assert_eq!(d.speed_for(0.5, &c), 0.5);
    let v = judged_at(&d, "sequential", 6.2, c, &d.claims[0]).await;
    assert!(v.shown() && v.judged(), "{v:?}");
    // Never slowed below speed 1 by its claims.
    assert_eq!(d.speed_for(100.0, &costs(100.0, 100.0)), 1.0);
    // No costs (the paused clock): nothing to cap.
    assert_eq!(
        d.speed_for(100.0, &asyncwork::demo::runner::FixedCosts::NONE),
        100.0
    );
}

/// A demo whose point is the runtime's own cost plays at speed 1, and says so before it runs.
#[test]
fn a_demo_that_cannot_honour_speed_says_why_before_it_runs() {
    use asyncwork::demo::runner::SpeedLimit;
    let d = demo(r#"["join_all"]"#, &task("t", "sleep", 100, "count = 10"));
    let c = costs(1.0, 1.0);
    assert_eq!(d.speed_for(50.0, &c), 1.0);
    assert_eq!(d.speed_limit(50.0, &c), Some(SpeedLimit::RuntimeCost));
    let text = asyncwork::render::summary::speed_text(1.0, Some(50.0), d.speed_limit(50.0, &c));
    assert!(text.contains("asked 50x"), "{text}");
    assert!(text.contains("no speed scales"), "{text}");
}

/// Issue 18: on a multi-thread runtime, the futures of one task (`gather`) share its thread, so
/// five 100 ms blocking calls take 500 ms on two workers; spawned tasks spread over the
/// workers, each holding one to its end: 300 ms, not 250.
#[test]
fn multi_thread_forecasts_keep_one_task_on_one_worker() {
    let src = |strategy: &str| {
        format!(
            "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nruntime = \"multi_thread\"\nworkers = 2\nstrategies = [\"{strategy}\"]\n{}",
            task("work", "block", 100, "count = 5")
        )
    };
    let ideal = |strategy: &str| {
        let spec: DemoSpec = toml::from_str(&src(strategy)).unwrap();
        let d = Demo::new(&spec).unwrap_or_else(|p| panic!("{p:?}"));
        r(d.ideal_ms(&d.strategies[0].strategy))
    };
    assert_eq!(ideal("gather"), 500);
    assert_eq!(ideal("try_gather"), 500);
    assert_eq!(ideal("spawn"), 300);
    assert_eq!(ideal("taskgroup"), 300);
    // So the true claim about gather validates and the false one does not.
    let with_claim = |strategy: &str, claim: &str| {
        let spec: DemoSpec = toml::from_str(&format!(
            "{}\n[[expect]]\nclaim = \"c\"\n{claim}",
            src(strategy)
        ))
        .unwrap();
        Demo::new(&spec).map(|_| ()).map_err(|p| format!("{p:?}"))
    };
    assert!(
        with_claim(
            "gather",
            "kind = \"wall\"\nstrategy = \"gather\"\nat_least_ms = 450"
        )
        .is_ok()
    );
    let refused = with_claim(
        "gather",
        "kind = \"wall\"\nstrategy = \"gather\"\nat_most_ms = 300",
    )
    .unwrap_err();
    assert!(refused.contains("cannot hold"), "{refused}");
    assert!(
        with_claim(
            "spawn",
            "kind = \"wall\"\nstrategy = \"spawn\"\nat_least_ms = 290"
        )
        .is_ok()
    );
}

/// The real run agrees with the model: gather of blocking calls on two workers is one task.
#[test]
fn gather_of_blocking_calls_on_two_workers_runs_on_one() {
    let spec: DemoSpec = toml::from_str(&format!(
        "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\nruntime = \"multi_thread\"\nworkers = 2\nstrategies = [\"gather\", \"spawn\"]\n{}",
        task("work", "block", 40, "count = 3")
    ))
    .unwrap();
    let d = Demo::new(&spec).unwrap();
    let rep = d
        .run(
            &asyncwork::demo::runner::RunOptions::default(),
            &mut asyncwork::demo::runner::Unobserved,
        )
        .unwrap();
    // Blocking work takes at least its time: gather holds one thread for all three.
    assert!(strategy(&rep, "gather").wall_ms >= 119.0, "{rep:?}");
    assert_eq!(r(strategy(&rep, "gather").ideal_ms), 120);
    assert_eq!(r(strategy(&rep, "spawn").ideal_ms), 80);
}

/// Issue 18: one bad parameter of a demo hides none of its other problems.
#[test]
fn every_problem_of_a_demo_is_reported_together() {
    let src = format!(
        r#"name = "t"
title = "t"
about = "a"
strategies = ["sequential", "gather"]
{}
[[expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"
factor = 0
[[expect]]
claim = "gather takes at most 10 ms"
kind = "wall"
strategy = "gather"
at_most_ms = 10
[[expect]]
claim = "the sleeps have phases"
kind = "outcome"
strategy = "gather"
task = "fetch"
outcome = "ok"
phase = "body"
"#,
        task("fetch", "sleep", 100, "count = 3")
    );
    let spec: DemoSpec = toml::from_str(&src).unwrap();
    let checked = Demo::check(&spec);
    let keys: Vec<String> = checked
        .problems
        .iter()
        .filter_map(|p| p.key.clone())
        .collect();
    assert!(keys.contains(&"expect.0.factor".to_string()), "{keys:?}");
    assert!(
        keys.contains(&"expect.1.at_most_ms".to_string()),
        "{keys:?}"
    );
    assert!(keys.contains(&"expect.2.phase".to_string()), "{keys:?}");
    let phase = &checked.problems[keys.iter().position(|k| k == "expect.2.phase").unwrap()];
    assert!(
        phase.message.contains("only a `resource` task has phases"),
        "{}",
        phase.message
    );
    // The sound claim is still forecast (what `--explain` prints); the broken ones are not.
    let forecast: Vec<usize> = checked.forecasts.iter().map(|f| f.index).collect();
    assert_eq!(forecast, [1]);
    assert_eq!(Demo::new(&spec).unwrap_err(), checked.problems);
}

/// Issue 18: `fails = "teardwon"` names the values it could have been.
#[test]
fn a_fails_typo_lists_the_valid_values() {
    let src = "name = \"t\"\ntitle = \"t\"\nabout = \"a\"\n[[task]]\nname = \"db\"\nop = \"resource\"\nms = 10\nfails = \"teardwon\"\n";
    // A problem of the task's `fails`, beside the demo's others (it was a serde error).
    let problems = toml::from_str::<DemoSpec>(src).unwrap().problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let e = &problems[0];
    assert_eq!(e.key.as_deref(), Some("task.0.fails"));
    assert!(e.message.contains("teardwon"), "{e:?}");
    assert!(
        e.message
            .contains("true, false, \"setup\", \"body\" or \"teardown\""),
        "{e:?}"
    );
    for ok in ["true", "false", "\"setup\"", "\"body\"", "\"teardown\""] {
        let src = src.replace("\"teardwon\"", ok);
        let d = toml::from_str::<DemoSpec>(&src).unwrap();
        assert_eq!(d.problems(), vec![], "{ok}");
    }
}

/// A claim whose table does not parse is left out of the demo; the forecasts of the others
/// still name their own `expect.N`, not a shifted one.
#[test]
fn a_claim_that_does_not_parse_shifts_no_other_claims_key() {
    let src = r#"
name = "d"
title = "t"
about = "a"
[[task]]
name = "x"
op = "sleep"
ms = 300
count = 3
[[expect]]
claim = "a stray key"
kind = "no_error"
strategy = "gather"
factr = 2
[[expect]]
claim = "impossible"
kind = "wall"
strategy = "gather"
at_most_ms = 100
"#;
    let spec: DemoSpec = toml::from_str(src).unwrap();
    let checked = asyncwork::demo::runner::Demo::check(&spec);
    let keys: Vec<_> = checked
        .problems
        .iter()
        .filter_map(|p| p.key.as_deref())
        .collect();
    assert_eq!(
        keys,
        ["expect.0.factr", "expect.1.at_most_ms"],
        "{:?}",
        checked.problems
    );
    assert_eq!(checked.forecasts[0].index, 1);
}
