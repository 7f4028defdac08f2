//! The words of `asyncwork lesson run` around the demos' timelines and summaries: the header of
//! each demo, the messages while it runs, and the claims a run did not show or could not judge.

use console::style;

use super::marks;
use super::plural;
use crate::demo::report::ExpectationResult;
use crate::demo::runner::Demo;
use crate::demo::tally::{Miss, Tally};

/// Ctrl-C once: the run stops at the next chance.
pub fn stopping() -> String {
    marks::interrupted(
        "stopping as soon as the running operation returns (Ctrl-C again to quit now)",
    )
}

/// After an interrupted run.
pub fn partial_results() -> String {
    marks::interrupted("partial results above")
}

/// `--python`: before the asyncio run of a demo.
pub fn running_under_python(version: &str) -> String {
    format!(
        "\n{}\n",
        style(format!(
            "running it again under Python {version} asyncio ..."
        ))
        .dim()
    )
}

/// `--trace`: where the trace went.
pub fn trace_written(path: &str) -> String {
    format!(
        "\n{} {path} (open it in https://ui.perfetto.dev or chrome://tracing)\n",
        style("trace written to").dim()
    )
}

/// `error:` when `strict` makes it one, else `note:`.
fn strict_label(strict: bool) -> String {
    if strict {
        marks::error_label()
    } else {
        marks::note_label()
    }
}

/// After the demos: the claims the run refuted and why they likely missed, then the claims it
/// could not judge and the demos that judged none of their timing claims, each with where the
/// lesson writes it. Empty when every claim was shown.
pub fn tally(t: &Tally, strict: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    let place = |e: &ExpectationResult| {
        format!(
            "  {}: {}",
            e.at.as_deref().unwrap_or("(lesson file)"),
            e.claim
        )
    };
    if let Some(miss) = t.miss() {
        lines.push(not_shown_heading(t.refuted.len(), strict));
        lines.extend(t.refuted.iter().map(place));
        lines.push(match miss {
            Miss::BusyMachine(share) => machine_was_busy(share),
            Miss::ByALittle => missed_by_a_little(),
            Miss::ByFar => far_from_the_claim(),
        });
    }
    if !t.not_judged.is_empty() {
        lines.push(not_judged_heading(
            t.not_judged.len(),
            strict && !t.blind_demos.is_empty(),
        ));
        lines.extend(t.not_judged.iter().map(place));
        if !t.blind_demos.is_empty() {
            lines.push(judged_none(&t.blind_demos));
        }
    }
    lines.join("\n")
}

/// Over the claims the run refuted (`count` of them); an error with `--strict`.
pub fn not_shown_heading(count: usize, strict: bool) -> String {
    format!(
        "{} {} not shown by this run:",
        strict_label(strict),
        plural(count, "claim")
    )
}

/// Why claims were refuted: the machine was busy (`share` of a run's time waiting for a CPU).
pub fn machine_was_busy(share: f64) -> String {
    format!(
        "  {}",
        style(format!(
            "the machine was busy: up to {:.0} % of a run's time went waiting for a CPU other processes had; run it again when it is quieter",
            share * 100.0
        ))
        .dim()
    )
}

/// Why claims were refuted: each by a little.
pub fn missed_by_a_little() -> String {
    format!(
        "  {}",
        style("each missed by a little: a busy machine can do that; run it again").dim()
    )
}

/// Why claims were refuted: by far.
pub fn far_from_the_claim() -> String {
    format!(
        "  {}",
        style("the measurement is far from the claim: the claim is wrong for this demo").dim()
    )
}

/// Over the claims not judged at the speed played (`count` of them); an error with `--strict`.
pub fn not_judged_heading(count: usize, strict: bool) -> String {
    format!(
        "{} {} not judged at the speed played:",
        strict_label(strict),
        plural(count, "claim")
    )
}

/// The demos that judged none of their timing claims.
pub fn judged_none(demos: &[String]) -> String {
    format!(
        "  {}",
        style(format!(
            "{} judged none of {} timing claims: run it at a slower --speed",
            demos.join(", "),
            if demos.len() == 1 { "its" } else { "their" }
        ))
        .dim()
    )
}

/// `lesson run` on a lesson without demos.
pub fn no_demos_yet(id: &str) -> String {
    format!("lesson `{id}` has no demos yet")
}

/// Between two demos, in a terminal.
pub fn pause_prompt() -> String {
    format!(
        "\n{}",
        style("Enter for the next demo · q to stop (--no-pause runs them all) ").dim()
    )
}

/// Above a demo: its title and name, what it is about, its facts, and (`speed`, the words of
/// [`super::summary::speed_text`]) the speed it plays at when that is not the one asked for.
pub fn demo_header(demo: &Demo, width: usize, speed: Option<&str>) -> String {
    let runtime = demo.runtime.describe();
    let strategies: Vec<&str> = demo.strategies.iter().map(|s| s.name.as_str()).collect();
    // Re-flow the paragraph: single line breaks in the lesson file are not meaningful.
    let about = demo.about.split_whitespace().collect::<Vec<_>>().join(" ");
    let about = textwrap::fill(&about, width.clamp(20, 100).saturating_sub(2));
    // The facts line wraps between words too (long strategy labels), indented under itself.
    let facts = super::wrap(
        &format!(
            "{} · {runtime} · strategies: {}",
            plural(demo.plan().len(), "task"),
            strategies.join(", ")
        ),
        width.clamp(20, 100),
        "  ",
        "    ",
    );
    // Said before it runs: a demo that cannot honour --speed, and why.
    let speed = match speed {
        Some(text) => style(super::wrap(
            &format!("plays at {text}"),
            width.clamp(20, 100),
            "  ",
            "    ",
        ))
        .yellow()
        .to_string(),
        None => String::new(),
    };
    format!(
        "\n{}\n{}\n{}{speed}",
        title_line(&demo.title, &demo.name, width.clamp(20, 100)),
        textwrap::indent(&about, "  "),
        style(facts).dim()
    )
}

/// `▶ Title [name]`, wrapped between words to `width`; the name goes on a line of its own when
/// it does not fit after the title's last word.
fn title_line(title: &str, name: &str, width: usize) -> String {
    let name = format!("[{name}]");
    let wrapped = super::wrap(title, width, "▶ ", "  ");
    let mut lines: Vec<String> = wrapped
        .lines()
        .map(|l| style(l).bold().underlined().to_string())
        .collect();
    let last = wrapped.lines().last().unwrap_or("").chars().count();
    if last + 1 + name.chars().count() <= width {
        if let Some(l) = lines.last_mut() {
            l.push_str(&format!(" {}", style(name).dim()));
        }
    } else {
        lines.push(format!("  {}", style(name).dim()));
    }
    lines.join("\n")
}

#[cfg(test)]
mod title_tests {
    use super::title_line;

    /// A demo's title wraps between words, and its name moves to a line of its own only when it
    /// does not fit after the title.
    #[test]
    fn a_long_title_wraps_and_keeps_its_name_whole() {
        let title = "Three 300 ms calls: one after another, then together";
        let narrow =
            console::strip_ansi_codes(&title_line(title, "sequential_vs_gather", 70)).to_string();
        assert_eq!(
            narrow,
            "▶ Three 300 ms calls: one after another, then together\n  [sequential_vs_gather]"
        );
        let wide =
            console::strip_ansi_codes(&title_line(title, "sequential_vs_gather", 100)).to_string();
        assert_eq!(
            wide,
            "▶ Three 300 ms calls: one after another, then together [sequential_vs_gather]"
        );
    }
}
