//! The summary of a demo: a table of its strategies (wall time, ideal time, speedup vs
//! sequential, overhead, outcomes) and the verdict on each of its claims.

use console::Style;

use super::{fit, fmt_ms};
use crate::demo::report::{DemoReport, Outcome};

pub fn table(d: &DemoReport) -> String {
    let name_w = d
        .strategies
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut out = String::new();
    let head = format!(
        "  {} {:>10} {:>10} {:>8} {:>10} {:>5}  {}",
        fit("strategy", name_w),
        "wall",
        "ideal",
        "speedup",
        "overhead",
        "peak",
        "outcomes"
    );
    out.push_str(&Style::new().bold().apply_to(head).to_string());
    out.push('\n');
    for s in &d.strategies {
        let outcomes: Vec<String> = [
            Outcome::Ok,
            Outcome::Failed,
            Outcome::Cancelled,
            Outcome::TimedOut,
        ]
        .into_iter()
        .filter_map(|o| {
            let n = s.count(o);
            (n > 0).then(|| {
                crate::render::timeline::outcome_style(o)
                    .apply_to(format!("{n} {}", o.as_str()))
                    .to_string()
            })
        })
        .collect();
        let mut line = format!(
            "  {} {:>10} {:>10} {:>8} {:>10} {:>5}  {}",
            fit(&s.name, name_w),
            fmt_ms(s.wall_ms),
            fmt_ms(s.ideal_ms),
            s.speedup.map_or("-".to_string(), |x| format!("{x:.2}x")),
            if s.interrupted {
                "-".to_string()
            } else {
                fmt_ms(s.overhead_ms)
            },
            s.peak_concurrency,
            outcomes.join(", ")
        );
        if s.error.is_some() {
            line.push_str(&format!(
                "  {}",
                Style::new().red().apply_to("(error surfaced)")
            ));
        }
        if s.interrupted {
            line.push_str(&format!(
                "  {}",
                Style::new().yellow().apply_to("(interrupted)")
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// One line per claim: a check mark when the run showed it, a cross and the reason when not.
pub fn claims(d: &DemoReport) -> String {
    let mut out = String::new();
    for e in &d.expectations {
        let (mark, style) = if e.shown {
            ("✓", Style::new().green())
        } else {
            ("✗", Style::new().red().bold())
        };
        out.push_str(&format!(
            "  {} {}\n      {}{}\n",
            style.apply_to(mark),
            e.claim,
            if e.shown { "" } else { "not shown: " },
            Style::new().dim().apply_to(&e.detail)
        ));
    }
    out
}

/// The table, then the claims.
pub fn summary(d: &DemoReport) -> String {
    let mut out = format!(
        "{} {}\n",
        Style::new().bold().apply_to(format!("Summary: {}", d.name)),
        Style::new()
            .dim()
            .apply_to(format!("({} runtime, speed {})", d.runtime, d.speed))
    );
    out.push_str(&table(d));
    if !d.expectations.is_empty() {
        out.push_str(&format!("{}\n", Style::new().bold().apply_to("Claims")));
        out.push_str(&claims(d));
    }
    out
}
