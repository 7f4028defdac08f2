//! What a runtime pays per task, apart from what it pays once: a fit over a lesson's fan-outs.
//!
//! A strategy's overhead (wall - ideal) is a fixed part (the runtime's start, a timer firing on
//! tokio's next 1 ms tick) plus a part per task. Divided by the number of tasks, the fixed part
//! swamps small fan-outs: at 10 tasks one late millisecond reads as 100 µs per task. Over
//! several sizes of the same fan-out, `overhead = fixed + per_task x n` separates the two. The
//! fit weighs each size by its own overhead (it minimises the relative error), so 100,000 tasks
//! do not drown 10.

use console::Style;

use super::table::Table;
use crate::demo::report::{DemoReport, StrategyReport};

/// Fewest tasks a fan-out needs to count, and fewest sizes a fit needs.
const MIN_TASKS: usize = 10;
const MIN_SIZES: usize = 3;

/// A strategy's name, and whether it is the asyncio run.
type Series = (String, bool);
/// (tasks, overhead in real ms) at one fan-out.
type Point = (f64, f64);

/// The overheads of each strategy (by name) at each fan-out size, tokio's and asyncio's,
/// collected demo by demo as a lesson runs.
#[derive(Debug, Default)]
pub struct CostFit {
    points: Vec<(Series, Vec<Point>)>,
}

/// The fit takes each demo as the run ends it.
impl crate::lesson::play::DemoSink for CostFit {
    fn demo(&mut self, report: &DemoReport) -> anyhow::Result<()> {
        self.add(report);
        Ok(())
    }
}

impl CostFit {
    /// Takes the fan-outs of `d` (every strategy of 10 tasks or more that ran to its end).
    pub fn add(&mut self, d: &DemoReport) {
        if d.interrupted {
            return;
        }
        // Only a pure fan-out: one task, copied, and every strategy ideally as long as one copy
        // (all at once). Anything else has costs of its own in its overhead.
        let one_task = d
            .strategies
            .first()
            .and_then(|s| s.tasks.first())
            .is_some_and(|first| {
                d.strategies.iter().all(|s| {
                    s.tasks
                        .iter()
                        .all(|t| t.task == first.task && t.op == "sleep")
                })
            });
        let ideal = d.strategies.first().map_or(0.0, |s| s.ideal_ms);
        if !one_task
            || d.strategies
                .iter()
                .any(|s| (s.ideal_ms - ideal).abs() > 0.5)
        {
            return;
        }
        let mut take = |s: &StrategyReport, asyncio: bool| {
            let n = s.tasks.len();
            if n < MIN_TASKS || s.interrupted {
                return;
            }
            let key = (s.name.clone(), asyncio);
            let point = (n as f64, s.overhead_ms.max(0.0) / d.speed);
            match self.points.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(point),
                None => self.points.push((key, vec![point])),
            }
        };
        for s in &d.strategies {
            take(s, false);
        }
        for s in d.python.iter().flat_map(|p| &p.strategies) {
            take(s, true);
        }
    }

    /// The fit of each strategy seen at three sizes or more, or `None`. `width`: the
    /// terminal's columns, for the note under the table.
    pub fn render(&self, width: usize) -> Option<String> {
        let mut table = Table::new(&["strategy", "runtime", ">sizes", ">fixed ms", ">µs per task"]);
        let mut any = false;
        for ((name, asyncio), pts) in &self.points {
            let Some(f) = fit(pts) else { continue };
            any = true;
            table.row(vec![
                name.clone(),
                if *asyncio { "asyncio" } else { "tokio" }.to_string(),
                sizes(pts).to_string(),
                format!("{:.2}", f.fixed_ms),
                format!("{:.2}", f.per_task_us),
            ]);
        }
        any.then(|| {
            format!(
                "\n{}\n{}{}",
                Style::new().bold().apply_to(
                    "What a run pays once, and per task (fitted over the fan-outs above)"
                ),
                table
                    .render()
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>(),
                Style::new().dim().apply_to(super::wrap(
                    "overhead = fixed + per task x tasks, in real time. The fixed part is paid \
                     once per run, whatever the number of tasks: the runtime's start, and the \
                     last timer firing on tokio's next 1 ms tick.",
                    width,
                    "  ",
                    "  "
                ))
            )
        })
    }
}

/// How many distinct fan-out sizes `pts` has.
fn sizes(pts: &[Point]) -> usize {
    let mut n: Vec<u64> = pts.iter().map(|(x, _)| *x as u64).collect();
    n.sort_unstable();
    n.dedup();
    n.len()
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    fixed_ms: f64,
    per_task_us: f64,
}

/// `overhead = a + b x tasks` by weighted least squares, each point weighed by 1 / overhead^2
/// (its relative error counts), over three sizes or more. Neither part is reported below 0:
/// noise can tilt a line through small numbers.
fn fit(pts: &[Point]) -> Option<Fit> {
    if sizes(pts) < MIN_SIZES {
        return None;
    }
    let w = |y: f64| 1.0 / y.max(0.05).powi(2);
    let (mut sw, mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, y) in pts {
        let k = w(y);
        sw += k;
        sx += k * x;
        sy += k * y;
        sxx += k * x * x;
        sxy += k * x * y;
    }
    let det = sw * sxx - sx * sx;
    if det.abs() < f64::EPSILON {
        return None;
    }
    let b = (sw * sxy - sx * sy) / det;
    let a = (sy - b * sx) / sw;
    Some(Fit {
        fixed_ms: a.max(0.0),
        per_task_us: (b * 1000.0).max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_millisecond_is_not_read_as_a_cost_per_task() {
        // 1 ms fixed + 0.3 µs per task, as tokio's gather measures on a quiet machine.
        let pts: Vec<(f64, f64)> = [10.0, 1_000.0, 10_000.0, 100_000.0]
            .iter()
            .map(|&n| (n, 1.0 + 0.0003 * n))
            .collect();
        let f = fit(&pts).unwrap();
        assert!((f.fixed_ms - 1.0).abs() < 1e-6, "{f:?}");
        assert!((f.per_task_us - 0.3).abs() < 1e-6, "{f:?}");
        // At 10 tasks the naive division says 100 µs per task.
        assert!(pts[0].1 / pts[0].0 * 1000.0 > 100.0);
    }

    #[test]
    fn two_sizes_are_not_a_fit() {
        assert_eq!(fit(&[(10.0, 1.0), (1_000.0, 1.3), (10.0, 1.1)]), None);
    }
}
