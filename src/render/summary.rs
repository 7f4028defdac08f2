//! The summary of a demo: a table of its strategies (wall time, ideal time, speedup vs
//! sequential, overhead, outcomes) and the verdict on each of its claims.

use console::Style;

use super::fmt_ms;
use super::table::Table;
use super::timeline::outcome_counts;
use crate::demo::report::{
    DemoReport, ExpectationResult, Judgement, PythonReport, SpeedLimit, StrategyReport,
};

/// The strategies' table, fitted to `width` (the outcomes column wraps between words). With
/// `--python`, asyncio's columns sit beside tokio's when they fit, else in a table of their own
/// below (at 70 columns, ten columns do not fit).
pub fn table(d: &DemoReport, width: usize) -> String {
    let width = width.saturating_sub(2);
    let wide = build(d, d.python.is_some()).render_width(width);
    let fits = |text: &str| {
        text.lines()
            .all(|l| console::measure_text_width(l) <= width)
    };
    let text = match &d.python {
        Some(py) if !fits(&wide) => {
            let mut text = build(d, false).render_width(width);
            text.push_str(&format!("\nunder asyncio (Python {}):\n", py.version));
            text.push_str(&python_table(d, py).render_width(width));
            text
        }
        _ => wide,
    };
    // Indented under the demo's "Summary:" line.
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// The strategies' rows; `python`: with asyncio's three columns.
fn build(d: &DemoReport, python: bool) -> Table {
    let mut head = vec!["strategy", ">wall", ">ideal", ">speedup", ">overhead"];
    // With `--python`: the asyncio run's wall and overhead beside tokio's, and how many times
    // tokio's overhead asyncio's is.
    if python {
        head.extend([">py wall", ">py overhead", ">py/rs"]);
    }
    head.extend([">peak", "outcomes"]);
    let mut table = Table::new(&head);
    for s in &d.strategies {
        let mut outcomes = outcome_counts(|o| s.count(o));
        if s.error.is_some() {
            let note = Style::new().red().apply_to("(error surfaced)");
            outcomes.push_str(&format!("  {note}"));
        }
        if s.interrupted {
            let note = Style::new().yellow().apply_to("(interrupted)");
            outcomes.push_str(&format!("  {note}"));
        }
        let mut row = vec![
            s.name.clone(),
            fmt_ms(s.wall_ms),
            fmt_ms(s.ideal_ms),
            // An interrupted run is not measured: no speedup (its wall time stops at the Ctrl-C,
            // and a short wall would read as a big speedup) and no overhead (it can read below
            // the ideal).
            s.speedup
                .filter(|_| !s.interrupted)
                .map_or("-".to_string(), |x| format!("{x:.2}x")),
            if s.interrupted || d.interrupted || s.overhead_ms < 0.0 {
                "-".to_string()
            } else {
                fmt_ms(s.overhead_ms)
            },
        ];
        if let (true, Some(py)) = (python, &d.python) {
            row.extend(python_cells(s, py));
        }
        row.extend([s.peak_concurrency.to_string(), outcomes]);
        table.row(row);
    }
    table
}

/// asyncio's wall and overhead for tokio's strategy `s`, and the ratio of the overheads.
fn python_cells(s: &StrategyReport, py: &PythonReport) -> [String; 3] {
    match py.strategies.iter().find(|p| p.name == s.name) {
        Some(p) => {
            let ratio = if s.interrupted || s.overhead_ms <= 0.0 || p.overhead_ms < 0.0 {
                "-".to_string()
            } else {
                format!("{:.1}x", p.overhead_ms / s.overhead_ms)
            };
            let overhead = if p.overhead_ms < 0.0 {
                "-".to_string()
            } else {
                fmt_ms(p.overhead_ms)
            };
            [fmt_ms(p.wall_ms), overhead, ratio]
        }
        None => ["skipped".to_string(), "-".to_string(), "-".to_string()],
    }
}

/// asyncio's columns on their own, for a narrow terminal.
fn python_table(d: &DemoReport, py: &PythonReport) -> Table {
    let mut table = Table::new(&["strategy", ">py wall", ">py overhead", ">py/rs"]);
    for s in &d.strategies {
        let [wall, overhead, ratio] = python_cells(s, py);
        table.row(vec![s.name.clone(), wall, overhead, ratio]);
    }
    table
}

/// Per-request latency of the HTTP tasks, for each strategy: p50, p95, max (nearest rank) and
/// the wall time. `None` when the demo made no HTTP request.
pub fn latency(d: &DemoReport) -> Option<String> {
    let mut table = Table::new(&["strategy", ">requests", ">p50", ">p95", ">max", ">wall"]);
    let mut any = false;
    for s in &d.strategies {
        let mut ms: Vec<f64> = s
            .tasks
            .iter()
            .filter(|t| t.op.starts_with("http"))
            .filter_map(|t| t.duration_ms())
            .collect();
        if ms.is_empty() {
            continue;
        }
        any = true;
        ms.sort_by(f64::total_cmp);
        let rank = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        table.row(vec![
            s.name.clone(),
            ms.len().to_string(),
            fmt_ms(rank(0.50)),
            fmt_ms(rank(0.95)),
            fmt_ms(rank(1.0)),
            fmt_ms(s.wall_ms),
        ]);
    }
    any.then(|| table.render().lines().map(|l| format!("  {l}\n")).collect())
}

/// One entry per claim, wrapped to `width` between words: a check mark when the run showed it,
/// a cross and the reason when the run refutes it, a dash when it could not judge it (too fast a
/// speed). A run stopped by Ctrl-C judges nothing: its claims say "not judged: interrupted"
/// (calm, not red), since a deliberate stop is not a failed claim.
pub fn claims(d: &DemoReport, width: usize) -> String {
    let interrupted = d.interrupted || d.strategies.iter().any(|s| s.interrupted);
    verdicts(&d.expectations, interrupted, width)
}

fn verdicts(expectations: &[ExpectationResult], interrupted: bool, width: usize) -> String {
    let mut out = String::new();
    for e in expectations {
        let (mark, style, lead) = match (interrupted, e.judgement) {
            (true, _) => ("·", Style::new().dim(), "not judged: interrupted"),
            (false, Judgement::Shown) => ("✓", Style::new().green(), ""),
            (false, Judgement::Refuted { .. }) => ("✗", Style::new().red().bold(), "not shown: "),
            (false, Judgement::NotJudged) => ("–", Style::new().yellow(), ""),
        };
        out.push_str(&super::wrap(
            &format!("{} {}", style.apply_to(mark), e.claim),
            width,
            "  ",
            "    ",
        ));
        let detail = if interrupted {
            lead.to_string()
        } else {
            format!("{lead}{}", e.detail)
        };
        let detail = super::wrap(&detail, width, "      ", "      ");
        out.push_str(&Style::new().dim().apply_to(detail.trim_end()).to_string());
        out.push('\n');
    }
    out
}

/// The table, then the claims, at the terminal's width.
pub fn summary(d: &DemoReport) -> String {
    summary_at(d, super::width())
}

/// [`summary`] at `width` columns.
pub fn summary_at(d: &DemoReport, width: usize) -> String {
    let head = format!("Summary: {}", d.name);
    let facts = format!(
        "({} runtime, {})",
        d.runtime,
        speed_text(d.speed, d.requested_speed, d.speed_limit)
    );
    // The facts stay on the heading's line when they fit; a long reason for the speed played
    // goes under it, wrapped, so nothing runs past a narrow terminal.
    let mut out = if head.chars().count() + 1 + facts.chars().count() <= width {
        format!(
            "{} {}\n",
            Style::new().bold().apply_to(&head),
            Style::new().dim().apply_to(&facts)
        )
    } else {
        format!(
            "{}\n{}",
            Style::new().bold().apply_to(&head),
            Style::new()
                .dim()
                .apply_to(super::wrap(&facts, width, "  ", "  "))
        )
    };
    out.push_str(&table(d, width));
    // A paused clock's wall column is its timers' time: the real time it took, under the table.
    for s in &d.strategies {
        if let Some(paused) = super::timeline::paused_clock_text(s) {
            let line = format!("{}: {paused}", s.name);
            out.push_str(
                &Style::new()
                    .dim()
                    .apply_to(super::wrap(&line, width, "  ", "    "))
                    .to_string(),
            );
        }
    }
    if let Some(latency) = latency(d) {
        out.push_str(&format!(
            "{}\n{latency}",
            Style::new().bold().apply_to("Request latency")
        ));
    }
    if !d.expectations.is_empty() {
        out.push_str(&format!("{}\n", Style::new().bold().apply_to("Claims")));
        out.push_str(&claims(d, width));
    }
    if let Some(py) = &d.python {
        if let Some(t) = per_task(d, py) {
            out.push_str(&t);
        }
        out.push_str(&python(d, py, width));
    }
    out
}

/// "speed 5x", or, when the demo plays at another speed than asked, why:
/// "speed 1x: asked 50x, but ...". Shown before a demo runs and in its summary.
pub fn speed_text(speed: f64, requested: Option<f64>, limit: Option<SpeedLimit>) -> String {
    let Some(asked) = requested else {
        return format!("speed {speed}x");
    };
    match limit {
        Some(SpeedLimit::RuntimeCost) => format!(
            "speed {speed}x: asked {asked}x, but what it measures is the runtime's own cost, which no speed scales"
        ),
        Some(SpeedLimit::Claims) => format!(
            "speed {speed}x: asked {asked}x, but faster, this machine's fixed costs would be as large as what its timing claims turn on, and they could not be judged"
        ),
        Some(SpeedLimit::Timers) | None => {
            format!("speed {speed}x: asked {asked}x, but its timings would blur faster")
        }
    }
}

/// Fewest tasks for the overhead per task to be mostly a cost per task.
const PER_TASK_FROM: usize = 50_000;

/// With `--python`, for fan-outs of 50,000 tasks or more: what each runtime's overhead comes to per
/// task, in real microseconds (a runtime's cost per task does not scale with `--speed`).
fn per_task(d: &DemoReport, py: &PythonReport) -> Option<String> {
    let mut table = Table::new(&[
        "strategy",
        ">tasks",
        ">tokio µs/task",
        ">asyncio µs/task",
        ">ratio",
    ]);
    let mut any = false;
    for s in &d.strategies {
        let n = s.tasks.len();
        let Some(p) = py.strategies.iter().find(|p| p.name == s.name) else {
            continue;
        };
        // Below this, the overhead is mostly what a run pays once (a timer's 1 ms tick, the
        // runtime's start), not per task: divided by few tasks it would read as a large cost
        // per task. `render::costs` fits the two apart over a lesson's fan-outs.
        if n < PER_TASK_FROM || s.interrupted {
            continue;
        }
        any = true;
        let us = |overhead_ms: f64| overhead_ms.max(0.0) / d.speed / n as f64 * 1000.0;
        let (rs, ps) = (us(s.overhead_ms), us(p.overhead_ms));
        table.row(vec![
            s.name.clone(),
            n.to_string(),
            format!("{rs:.2}"),
            format!("{ps:.2}"),
            if rs > 0.0 {
                format!("{:.1}x", ps / rs)
            } else {
                "-".to_string()
            },
        ]);
    }
    any.then(|| {
        format!(
            "{}\n{}",
            Style::new()
                .bold()
                .apply_to("Overhead per task (wall - ideal, real time)"),
            table
                .render()
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
        )
    })
}

/// The asyncio run's part of the summary: what it skipped and why, what went wrong, and its
/// claims, judged by the same code as tokio's.
fn python(d: &DemoReport, py: &PythonReport, width: usize) -> String {
    let mut out = String::new();
    for s in &py.skipped {
        out.push_str(&super::wrap(
            &format!(
                "{} {}",
                Style::new()
                    .yellow()
                    .apply_to(format!("asyncio skipped `{}`:", s.strategy)),
                s.why
            ),
            width,
            "  ",
            "    ",
        ));
    }
    if let Some(p) = &py.problem {
        out.push_str(&super::wrap(
            &format!("{} {p}", Style::new().red().bold().apply_to("python:")),
            width,
            "  ",
            "    ",
        ));
    }
    // A run that broke before any strategy has nothing to judge: the line above says why.
    if !py.expectations.is_empty() && !py.strategies.is_empty() {
        let title = match py.version.as_str() {
            "" => "Claims on the asyncio run".to_string(),
            v => format!("Claims on the asyncio run (Python {v})"),
        };
        out.push_str(&format!("{}\n", Style::new().bold().apply_to(title)));
        out.push_str(&verdicts(&py.expectations, d.interrupted, width));
    }
    out
}
