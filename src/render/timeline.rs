//! The timeline chart of one strategy: one row per task, a bar from start to end scaled to the
//! terminal width, a distinct glyph (and colour) per outcome and for setup/teardown. Large
//! fan-outs are aggregated: per task group, histograms of start and end times and percentiles.

use console::Style;

use super::{fit, fmt_ms};
use crate::demo::model::Phase;
use crate::demo::report::{Outcome, PhaseName, StrategyReport, TaskReport};

/// More tasks than this are drawn as histograms.
pub const MAX_ROWS: usize = 24;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Empty,
    Body(Outcome),
    Phase,
    Item,
}

fn glyph(c: Cell) -> char {
    match c {
        Cell::Empty => ' ',
        Cell::Body(Outcome::Ok) => '█',
        Cell::Body(Outcome::Failed) => '▓',
        Cell::Body(Outcome::Cancelled) => '░',
        Cell::Body(Outcome::TimedOut) => '▒',
        Cell::Phase => '━',
        Cell::Item => '┃',
    }
}

pub fn outcome_style(o: Outcome) -> Style {
    match o {
        Outcome::Ok => Style::new().green(),
        Outcome::Failed => Style::new().red().bold(),
        Outcome::Cancelled => Style::new().yellow(),
        Outcome::TimedOut => Style::new().magenta(),
    }
}

fn style(c: Cell) -> Style {
    match c {
        Cell::Empty => Style::new(),
        Cell::Body(o) => outcome_style(o),
        Cell::Phase => Style::new().cyan(),
        Cell::Item => Style::new().white().bold(),
    }
}

fn paint(cells: &[Cell]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < cells.len() {
        let c = cells[i];
        let mut j = i;
        while j < cells.len() && cells[j] == c {
            j += 1;
        }
        let run: String = std::iter::repeat_n(glyph(c), j - i).collect();
        out.push_str(&style(c).apply_to(run).to_string());
        i = j;
    }
    out
}

/// "2 ok, 1 failed": how many tasks ended each way, coloured by outcome, zero counts left out.
pub fn outcome_counts(count: impl Fn(Outcome) -> usize) -> String {
    let parts: Vec<String> = [
        Outcome::Ok,
        Outcome::Failed,
        Outcome::Cancelled,
        Outcome::TimedOut,
    ]
    .into_iter()
    .filter_map(|o| {
        let n = count(o);
        (n > 0).then(|| {
            outcome_style(o)
                .apply_to(format!("{n} {}", o.as_str()))
                .to_string()
        })
    })
    .collect();
    parts.join(", ")
}

/// How the chart maps time to columns.
struct Scale {
    span: f64,
    cols: usize,
}

impl Scale {
    fn col(&self, ms: f64) -> usize {
        (((ms / self.span) * self.cols as f64) as usize).min(self.cols.saturating_sub(1))
    }

    /// Columns covered by `[from, to)`, at least one.
    fn range(&self, from: f64, to: f64) -> std::ops::Range<usize> {
        let a = self.col(from);
        let b = ((to / self.span) * self.cols as f64).ceil() as usize;
        a..b.clamp(a + 1, self.cols.max(a + 1))
    }
}

/// How long the chart of `s` must be to show everything it recorded (cleanup included).
pub fn span_of(s: &StrategyReport) -> f64 {
    let mut span = s.wall_ms.max(s.cleanup_ms.unwrap_or(0.0));
    for t in &s.tasks {
        span = span.max(t.end_ms.unwrap_or(0.0));
        for p in &t.phases {
            span = span.max(p.end_ms.unwrap_or(p.start_ms));
        }
    }
    if span > 0.0 { span } else { 1.0 }
}

/// The status at the end of a row: `ok 300 ms`, `cancelled at 100 ms`.
pub fn status(t: &TaskReport) -> String {
    let text = match (t.outcome, t.start_ms, t.duration_ms()) {
        (_, None, _) => "cancelled before it started".to_string(),
        (Outcome::Ok | Outcome::Failed, _, Some(d)) => {
            format!("{} {}", t.outcome.as_str(), fmt_ms(d))
        }
        (Outcome::Cancelled, _, _) => format!("cancelled at {}", fmt_ms(t.end_ms.unwrap_or(0.0))),
        (Outcome::TimedOut, _, _) => format!("timed out at {}", fmt_ms(t.end_ms.unwrap_or(0.0))),
        (o, _, None) => o.as_str().to_string(),
    };
    outcome_style(t.outcome).apply_to(text).to_string()
}

fn row_cells(t: &TaskReport, scale: &Scale) -> Vec<Cell> {
    let mut cells = vec![Cell::Empty; scale.cols];
    if let Some(start) = t.start_ms {
        let end = t.end_ms.unwrap_or(start);
        for c in scale.range(start, end) {
            cells[c] = Cell::Body(t.outcome);
        }
    }
    for p in &t.phases {
        if p.name == PhaseName::BODY {
            continue;
        }
        let end = p.end_ms.unwrap_or(p.start_ms);
        for c in scale.range(p.start_ms, end) {
            cells[c] = Cell::Phase;
        }
    }
    for at in &t.item_ms {
        cells[scale.col(*at)] = Cell::Item;
    }
    cells
}

/// The header lines of a strategy: its name, what it does, its numbers.
pub fn header(s: &StrategyReport) -> String {
    // An interrupted run stopped early: its wall time is where it stopped, not what it took, so
    // it has no overhead to show (as in the summary table).
    let overhead = if s.interrupted {
        "-".to_string()
    } else {
        fmt_ms(s.overhead_ms)
    };
    let mut line = format!(
        "{} {}\n  wall {} · ideal {} · overhead {overhead} · peak {} at once",
        Style::new().bold().apply_to(&s.name),
        Style::new().dim().apply_to(format!("({})", s.detail)),
        fmt_ms(s.wall_ms),
        fmt_ms(s.ideal_ms),
        s.peak_concurrency
    );
    if let Some(sp) = s.speedup {
        line.push_str(&format!(" · {sp:.2}x vs sequential"));
    }
    // On the paused clock the bars are the clock's time; say how little of the machine's it took.
    if let Some(paused) = paused_clock_text(s) {
        line.push_str(&format!("\n  {}", Style::new().cyan().apply_to(paused)));
    }
    if s.cpu_wait_ms >= 1.0 && s.cpu_wait_ms >= 0.05 * s.wall_ms {
        line.push_str(&format!(
            "\n  {}",
            Style::new().dim().apply_to(format!(
                "busy machine: the run waited {} for a CPU other processes had (part of the overhead)",
                fmt_ms(s.cpu_wait_ms)
            ))
        ));
    }
    if let Some(e) = &s.error {
        line.push_str(&format!(
            "\n  {} {}",
            Style::new().red().bold().apply_to("error:"),
            e
        ));
    }
    let last_end = s.tasks.iter().filter_map(|t| t.end_ms).fold(0.0, f64::max);
    if last_end > s.wall_ms + 1.0 {
        line.push_str(&format!(
            "\n  tasks ran on after the caller returned, until {}",
            fmt_ms(last_end)
        ));
    }
    if let Some(c) = s.cleanup_ms {
        line.push_str(&format!(
            "\n  cleanup of cancelled tasks finished at {}",
            fmt_ms(c)
        ));
    }
    if s.interrupted {
        line.push_str(&format!(
            "\n  {}",
            Style::new()
                .yellow()
                .apply_to("interrupted (Ctrl-C): partial results")
        ));
    }
    line
}

/// "paused clock: 3.00 s of lesson time in 68 µs of real time", for a strategy whose runtime kept
/// tokio's paused clock (on the real clock the two agree up to the speed: nothing to say).
pub fn paused_clock_text(s: &StrategyReport) -> Option<String> {
    (!s.clock.is_real()).then(|| {
        format!(
            "paused clock: {} of lesson time in {} of real time",
            fmt_ms(s.wall_ms),
            crate::text::fmt_real_ms(s.real_ms)
        )
    })
}

/// The whole chart for a terminal `width` columns wide.
///
/// `min_span_ms` lets strategies of one demo share a time axis: drawn on the axis of the slower
/// run before it, a faster strategy's bars are visibly shorter, which is the point of the demo.
pub fn timeline(s: &StrategyReport, width: usize, min_span_ms: f64) -> String {
    // The header wraps between words (a strategy's detail can be long); continuation lines
    // indent under their line.
    let mut out = String::new();
    for (i, line) in header(s).lines().enumerate() {
        let rest = if i == 0 { "  " } else { "    " };
        out.push_str(&super::wrap(line, width, "", rest));
    }
    let span = span_of(s).max(min_span_ms);
    if s.tasks.len() > MAX_ROWS {
        out.push_str(&aggregate(s, width, span));
        return out;
    }
    let rows = nested_order(&s.tasks);
    let label = rows
        .iter()
        .map(|(_, name)| name.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 18);
    let status_w = 26;
    let cols = width.saturating_sub(label + status_w + 6).max(10);
    let scale = Scale { span, cols };
    for (t, name) in rows {
        out.push_str(&format!(
            "  {} │{}│ {}\n",
            fit(&name, label),
            paint(&row_cells(t, &scale)),
            status(t)
        ));
    }
    out.push_str(&axis(label, &scale));
    out.push_str(&legend(s));
    out
}

/// The rows in drawing order with their labels: a nested resource right under the resource it
/// ran inside, marked `└`, so `async with pool: async with conn:` reads as a stack.
fn nested_order(tasks: &[TaskReport]) -> Vec<(&TaskReport, String)> {
    fn visit<'a>(
        tasks: &'a [TaskReport],
        t: &'a TaskReport,
        depth: usize,
        out: &mut Vec<(&'a TaskReport, String)>,
    ) {
        let label = match depth {
            0 => t.name.clone(),
            d => format!("{}└ {}", "  ".repeat(d - 1), t.name),
        };
        out.push((t, label));
        for inner in tasks
            .iter()
            .filter(|i| i.inside.as_deref() == Some(&t.name))
        {
            visit(tasks, inner, depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks.iter().filter(|t| t.inside.is_none()) {
        visit(tasks, t, 0, &mut out);
    }
    out
}

fn axis(label: usize, scale: &Scale) -> String {
    let right = fmt_ms(scale.span);
    let mid = fmt_ms(scale.span / 2.0);
    let mut line = vec![' '; scale.cols + 2];
    line[0] = '0';
    let put = |line: &mut Vec<char>, at: usize, s: &str| {
        for (i, ch) in s.chars().enumerate() {
            if let Some(c) = line.get_mut(at + i) {
                *c = ch;
            }
        }
    };
    let half = (scale.cols / 2).saturating_sub(mid.len() / 2);
    if scale.cols > 3 * right.len() {
        put(&mut line, half, &mid);
    }
    put(
        &mut line,
        (scale.cols + 2).saturating_sub(right.len()),
        &right,
    );
    let line: String = line.into_iter().collect();
    format!(
        "  {} {}\n",
        " ".repeat(label),
        Style::new().dim().apply_to(line)
    )
}

fn legend(s: &StrategyReport) -> String {
    let mut parts = Vec::new();
    for o in [
        Outcome::Ok,
        Outcome::Failed,
        Outcome::Cancelled,
        Outcome::TimedOut,
    ] {
        if s.tasks.iter().any(|t| t.outcome == o) {
            parts.push(format!(
                "{} {}",
                style(Cell::Body(o)).apply_to(glyph(Cell::Body(o))),
                o.as_str()
            ));
        }
    }
    let phases =
        |f: fn(PhaseName) -> bool| s.tasks.iter().any(|t| t.phases.iter().any(|p| f(p.name)));
    // `http_retry` marks its attempts as phases; the gaps between them are the backoff.
    let what = match (
        phases(|n| matches!(n, PhaseName::Resource(p) if p != Phase::Body)),
        phases(|n| matches!(n, PhaseName::Attempt(_))),
    ) {
        (true, true) => Some("setup/teardown, attempt"),
        (true, false) => Some("setup/teardown"),
        (false, true) => Some("attempt (the gaps: backoff)"),
        (false, false) => None,
    };
    if let Some(what) = what {
        parts.push(format!(
            "{} {what}",
            style(Cell::Phase).apply_to(glyph(Cell::Phase))
        ));
    }
    if s.tasks.iter().any(|t| !t.item_ms.is_empty()) {
        parts.push(format!(
            "{} item",
            style(Cell::Item).apply_to(glyph(Cell::Item))
        ));
    }
    format!("  {}\n", parts.join("  "))
}

const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn histogram(times: &[(f64, Outcome)], scale: &Scale) -> String {
    let mut counts = vec![0usize; scale.cols];
    let mut worst = vec![Outcome::Ok; scale.cols];
    for (t, o) in times {
        let c = scale.col(*t);
        counts[c] += 1;
        if *o != Outcome::Ok {
            worst[c] = *o;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let mut out = String::new();
    for (n, o) in counts.iter().zip(&worst) {
        let level = if *n == 0 { 0 } else { 1 + (n * 7) / max };
        out.push_str(&outcome_style(*o).apply_to(LEVELS[level.min(8)]).to_string());
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Large fan-outs: per task group, where starts and ends fall on the time axis, and percentiles.
fn aggregate(s: &StrategyReport, width: usize, span: f64) -> String {
    let label = 8;
    // Room for the status column of small groups drawn as rows.
    let cols = width.saturating_sub(label + 6 + 26).max(10);
    let scale = Scale { span, cols };
    let mut groups: Vec<&str> = Vec::new();
    for t in &s.tasks {
        if groups.last() != Some(&t.task.as_str()) && !groups.contains(&t.task.as_str()) {
            groups.push(&t.task);
        }
    }
    let mut out = String::new();
    const MAX_GROUPS: usize = 8;
    for g in groups.iter().take(MAX_GROUPS) {
        let rows: Vec<&TaskReport> = s.tasks.iter().filter(|t| t.task == *g).collect();
        if rows.len() <= 3 {
            // Small groups beside a big fan-out keep their own rows.
            for t in &rows {
                out.push_str(&format!(
                    "  {} │{}│ {}\n",
                    fit(&t.name, label),
                    paint(&row_cells(t, &scale)),
                    status(t)
                ));
            }
            continue;
        }
        let starts: Vec<(f64, Outcome)> = rows
            .iter()
            .filter_map(|t| Some((t.start_ms?, t.outcome)))
            .collect();
        let ends: Vec<(f64, Outcome)> = rows
            .iter()
            .filter_map(|t| Some((t.end_ms?, t.outcome)))
            .collect();
        let mut durations: Vec<f64> = rows.iter().filter_map(|t| t.duration_ms()).collect();
        durations.sort_by(f64::total_cmp);
        let counts = outcome_counts(|o| rows.iter().filter(|t| t.outcome == o).count());
        out.push_str(&format!(
            "  {} ({} tasks: {})\n",
            Style::new().bold().apply_to(g),
            rows.len(),
            counts
        ));
        out.push_str(&format!(
            "  {} │{}│\n",
            fit("starts", label),
            histogram(&starts, &scale)
        ));
        out.push_str(&format!(
            "  {} │{}│\n",
            fit("ends", label),
            histogram(&ends, &scale)
        ));
        let last_start = starts.iter().map(|x| x.0).fold(0.0, f64::max);
        out.push_str(&format!(
            "  {} duration p50 {} · p90 {} · p99 {} · max {} · last start at {}\n",
            " ".repeat(label),
            fmt_ms(percentile(&durations, 0.5)),
            fmt_ms(percentile(&durations, 0.9)),
            fmt_ms(percentile(&durations, 0.99)),
            fmt_ms(durations.last().copied().unwrap_or(f64::NAN)),
            fmt_ms(last_start)
        ));
    }
    if groups.len() > MAX_GROUPS {
        out.push_str(&format!(
            "  ... and {} more task groups\n",
            groups.len() - MAX_GROUPS
        ));
    }
    out.push_str(&axis(label, &scale));
    out
}

/// A strategy's tokio run and its asyncio run (`lesson run --python`), one above the other on one
/// time axis, each labelled with its runtime. `python` is `Err(why)` when asyncio skipped the
/// strategy, `None` when the Python run has no report for it.
pub fn pair(
    rust: &StrategyReport,
    python: Option<Result<&StrategyReport, &str>>,
    width: usize,
    min_span_ms: f64,
) -> String {
    let py = python.and_then(Result::ok);
    let span = span_of(rust).max(py.map_or(0.0, span_of)).max(min_span_ms);
    let labelled = |s: &StrategyReport, runtime: &str| StrategyReport {
        name: format!("{} · {runtime}", s.name),
        ..s.clone()
    };
    let mut out = timeline(&labelled(rust, "tokio"), width, span);
    match python {
        Some(Ok(py)) => {
            out.push('\n');
            out.push_str(&timeline(&labelled(py, "asyncio"), width, span));
        }
        // Wrapped between words: a reason (no paused clock in asyncio) can be a long sentence.
        Some(Err(why)) => {
            let line = format!(
                "{} {}",
                Style::new()
                    .bold()
                    .apply_to(format!("{} · asyncio", rust.name)),
                Style::new().yellow().apply_to(format!("skipped: {why}"))
            );
            out.push('\n');
            out.push_str(&super::wrap(&line, width, "", "  "));
        }
        None => {}
    }
    out
}
