//! What the asyncio runner printed, turned into the report data the Rust recorder makes: each
//! strategy's line becomes a [`StrategyReport`] in lesson time (real ms times the speed), with the
//! same ideal time, an allowance from the costs the runner measured for asyncio, and the peak
//! concurrency swept from the spans. Fields only the Rust engine knows stay empty. Anything that
//! is not the runner's JSON is an error naming the line, never a panic.

use serde::Deserialize;

use crate::demo::model::Phase;
use crate::demo::report::{Outcome, PhaseName, PhaseReport, Skipped, StrategyReport, TaskReport};
use crate::demo::runner::{Demo, FixedCosts};

/// One line of the runner's output.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Line {
    Hello { hello: Hello },
    Skipped { strategy: usize, skipped: String },
    Ran(Box<Ran>),
    Exception { exception: Exception },
    TooOld { too_old: String },
}

#[derive(Debug, Deserialize)]
pub(crate) struct Hello {
    pub python: String,
    pub costs: Costs,
}

/// asyncio's fixed costs in real ms, measured by the runner like [`FixedCosts::measured`].
#[derive(Debug, Deserialize, Clone, Copy)]
pub(crate) struct Costs {
    runtime_ms: f64,
    task_ms: f64,
    tick_ms: f64,
    thread_ms: f64,
}

impl From<Costs> for FixedCosts {
    fn from(c: Costs) -> FixedCosts {
        FixedCosts {
            runtime_ms: c.runtime_ms,
            task_ms: c.task_ms,
            tick_ms: c.tick_ms,
            thread_ms: c.thread_ms,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Ran {
    pub strategy: usize,
    wall_ms: f64,
    error: Option<String>,
    tasks: Vec<Span>,
}

/// One task copy's span, in real ms since the strategy started.
#[derive(Debug, Deserialize)]
struct Span {
    s: Option<f64>,
    e: Option<f64>,
    o: Outcome,
    #[serde(default)]
    err: Option<String>,
    /// `[name, start, end]` per phase (`setup`, `body`, `teardown`; `attempt N` of a retry).
    #[serde(default)]
    ph: Vec<(String, f64, Option<f64>)>,
    #[serde(default)]
    items: Option<u32>,
    #[serde(default)]
    it: Vec<f64>,
    #[serde(default)]
    cut: Option<Phase>,
    #[serde(default)]
    blk: Option<f64>,
    #[serde(default)]
    conn: Vec<u64>,
}

/// A bug in the runner (an exception that is not a demo's failure), with where it happened.
#[derive(Debug, Deserialize)]
pub(crate) struct Exception {
    pub strategy: usize,
    pub task: Option<String>,
    pub traceback: String,
}

/// Parses one line; `Err` quotes it (shortened) when it is not the runner's JSON.
pub(crate) fn parse_line(line: &str) -> Result<Line, String> {
    serde_json::from_str(line).map_err(|_| {
        let shown: String = line.chars().take(60).collect();
        let more = if line.chars().count() > 60 { "..." } else { "" };
        format!("printed something that is not its JSON: `{shown}{more}`")
    })
}

/// A skipped strategy, named.
pub(crate) fn skipped(demo: &Demo, index: usize, why: String) -> Skipped {
    Skipped {
        strategy: demo
            .strategies
            .get(index)
            .map_or_else(|| format!("#{index}"), |s| s.name.clone()),
        why,
    }
}

/// The report of one strategy the runner ran; `Err` when the line does not fit the demo.
pub(crate) fn strategy_report(
    demo: &Demo,
    ran: Ran,
    speed: f64,
    costs: &FixedCosts,
) -> Result<StrategyReport, String> {
    let Some(named) = demo.strategies.get(ran.strategy) else {
        return Err(format!(
            "reported a strategy #{} the demo does not have",
            ran.strategy
        ));
    };
    let plan = demo.plan();
    if ran.tasks.len() != plan.len() {
        return Err(format!(
            "reported {} tasks for `{}`, the demo has {}",
            ran.tasks.len(),
            named.name,
            plan.len()
        ));
    }
    let lesson = |real: f64| real * speed;
    // The runner measures real time: the same number, unscaled, is the run's real time.
    let real_ms = ran.wall_ms;
    let wall_ms = lesson(ran.wall_ms);
    let tasks: Vec<TaskReport> = ran
        .tasks
        .into_iter()
        .enumerate()
        .map(|(id, t)| {
            let id = id as u32;
            let op = plan.op(id);
            TaskReport {
                name: plan.name(id),
                task: plan.task_name(id).to_string(),
                op: op.name().to_string(),
                start_ms: t.s.map(lesson),
                end_ms: t.e.map(lesson),
                outcome: t.o,
                error: t.err,
                // A phase the runner does not name as the engine does is not one of ours: left
                // out rather than shown under a made-up name.
                phases: t
                    .ph
                    .into_iter()
                    .filter_map(|(p, start, end)| {
                        Some(PhaseReport {
                            name: p.parse().ok()?,
                            start_ms: lesson(start),
                            end_ms: end.map(lesson),
                        })
                    })
                    .collect(),
                items: t.items,
                item_ms: t.it.into_iter().map(lesson).collect(),
                blocked_ms: t.blk.map(lesson),
                cut_in: t.cut.map(PhaseName::Resource),
                nominal_ms: op.nominal_ms() as f64,
                connections: t.conn,
                inside: plan.outer_of(id).map(|o| plan.name(o)),
            }
        })
        .collect();
    // A teardown that ended after the caller got control back is cleanup after the return.
    let cleanup_ms = tasks
        .iter()
        .flat_map(|t| &t.phases)
        .filter(|p| p.name == PhaseName::TEARDOWN)
        .filter_map(|p| p.end_ms)
        .filter(|end| *end > wall_ms)
        .reduce(f64::max);
    let ideal_ms = demo.ideal_ms(&named.strategy);
    Ok(StrategyReport {
        name: named.name.clone(),
        kind: named.strategy.kind(),
        detail: named.strategy.asyncio(),
        wall_ms,
        // asyncio has no paused clock (the runner skips such a strategy).
        clock: crate::demo::model::Clock::Real,
        real_ms,
        ideal_ms,
        overhead_ms: wall_ms - ideal_ms,
        allowance_ms: demo.allowance_ms(&named.strategy, costs, speed),
        // The Python process's scheduling is not measured: its claims get no CPU-wait slack.
        cpu_wait_ms: 0.0,
        speedup: None,
        // A nested resource runs inside its outer one, not beside it.
        peak_concurrency: peak(&tasks[..plan.roots().min(tasks.len())]),
        error: ran.error,
        cleanup_ms,
        interrupted: false,
        tasks,
    })
}

/// Most tasks running at the same moment: a sweep over starts and ends (an end at the same
/// instant as a start comes first, as in the recorder, where a task ends before the next starts).
fn peak(tasks: &[TaskReport]) -> u32 {
    let mut events: Vec<(f64, i32)> = Vec::with_capacity(tasks.len() * 2);
    for t in tasks {
        if let Some(s) = t.start_ms {
            events.push((s, 1));
            events.push((t.end_ms.unwrap_or(f64::INFINITY), -1));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in events {
        now += d;
        most = most.max(now);
    }
    most.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::spec::tests::{GOOD, parse};

    #[test]
    fn spans_become_lesson_time_reports_with_peak_and_ideal() {
        let demo = Demo::new(&parse(GOOD).unwrap()).unwrap();
        // GOOD: three 300 ms `fetch` sleeps; strategy 1 is gather. Run at speed 2: real ms halve.
        let line = r#"{"strategy":1,"wall_ms":151.0,"error":null,"tasks":[
            {"s":0.5,"e":150.5,"o":"ok"},
            {"s":0.6,"e":150.6,"o":"failed","err":"boom"},
            {"s":0.7,"e":null,"o":"cancelled","ph":[["setup",0.7,1.0],["body",1.0,null]],"cut":"body"}]}"#
            .replace('\n', "");
        let Ok(Line::Ran(ran)) = parse_line(&line) else {
            panic!("not a strategy line")
        };
        let r = strategy_report(&demo, *ran, 2.0, &FixedCosts::NONE).unwrap();
        assert_eq!(r.name, "gather");
        assert_eq!(r.wall_ms, 302.0);
        assert_eq!(r.ideal_ms, 300.0);
        assert_eq!(r.overhead_ms, 2.0);
        assert_eq!(r.peak_concurrency, 3);
        assert_eq!(r.tasks[0].name, "fetch#1");
        assert_eq!(r.tasks[0].start_ms, Some(1.0));
        assert_eq!(r.tasks[1].outcome, Outcome::Failed);
        assert_eq!(r.tasks[1].error.as_deref(), Some("boom"));
        assert_eq!(r.tasks[2].end_ms, None);
        assert_eq!(r.tasks[2].phases[1].name, PhaseName::BODY);
        assert_eq!(r.tasks[2].phases[0].end_ms, Some(2.0));
        assert_eq!(r.tasks[2].cut_in, Some(PhaseName::BODY));
        assert_eq!(r.allowance_ms, 0.0);
        assert!(r.tasks.iter().all(|t| t.blocked_ms.is_none()));
    }

    #[test]
    fn lines_that_do_not_fit_are_errors_not_panics() {
        let demo = Demo::new(&parse(GOOD).unwrap()).unwrap();
        assert!(parse_line("Traceback (most recent call last):").is_err());
        assert!(parse_line("{\"nonsense\": 1}").is_err());
        let Ok(Line::Ran(ran)) =
            parse_line(r#"{"strategy":9,"wall_ms":1,"error":null,"tasks":[]}"#)
        else {
            panic!("not a strategy line")
        };
        assert!(strategy_report(&demo, *ran, 1.0, &FixedCosts::NONE).is_err());
        let Ok(Line::Ran(ran)) =
            parse_line(r#"{"strategy":0,"wall_ms":1,"error":null,"tasks":[]}"#)
        else {
            panic!("not a strategy line")
        };
        let e = strategy_report(&demo, *ran, 1.0, &FixedCosts::NONE).unwrap_err();
        assert!(e.contains("reported 0 tasks"), "{e}");
        let Ok(Line::Hello { hello }) = parse_line(
            r#"{"hello":{"python":"3.12.1","costs":{"runtime_ms":1,"task_ms":0.01,"tick_ms":2,"thread_ms":0.1}}}"#,
        ) else {
            panic!("not a hello line")
        };
        assert_eq!(hello.python, "3.12.1");
    }
}
