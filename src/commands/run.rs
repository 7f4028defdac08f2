//! `asyncwork lesson run ID`: run a lesson's demos, strategy by strategy, and show what happened.
//!
//! The engine runs; this module only wires it to the renderers: a live view while a strategy
//! runs, its timeline after, a summary per demo, or one JSON document with `--json`.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use console::style;

use super::lesson::load;
use crate::demo::report::{DemoReport, LessonReport};
use crate::demo::runner::{Demo, RunOptions};
use crate::render::{self, emit, json, live::Live, live::MAX_LINES, summary, timeline, trace};

/// The flags of `lesson run`.
#[derive(Debug, Clone)]
pub struct RunArgs {
    pub demo: Option<String>,
    pub speed: f64,
    pub json: bool,
    pub trace: Option<PathBuf>,
    pub live: bool,
    pub strict: bool,
}

/// Exit code after Ctrl-C, as shells expect (128 + SIGINT).
const INTERRUPTED: u8 = 130;

pub fn run(lessons_dir: Option<&Path>, id: &str, args: &RunArgs) -> anyhow::Result<ExitCode> {
    let (_, catalogue) = load(lessons_dir)?;
    let Some(lesson) = catalogue.get(id) else {
        let near = catalogue.closest_ids(id);
        let hint = if near.is_empty() {
            "see `asyncwork lesson list`".to_string()
        } else {
            format!("did you mean: {}?", near.join(", "))
        };
        bail!("no lesson `{id}`; {hint}");
    };
    let specs: Vec<_> = match &args.demo {
        None => lesson.demos.iter().collect(),
        Some(name) => {
            let found: Vec<_> = lesson.demos.iter().filter(|d| &d.name == name).collect();
            if found.is_empty() {
                let names: Vec<&str> = lesson.demos.iter().map(|d| d.name.as_str()).collect();
                bail!(
                    "lesson `{id}` has no demo `{name}`; its demos: {}",
                    if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    }
                );
            }
            found
        }
    };
    if specs.is_empty() && !args.json {
        emit(&format!("lesson `{id}` has no demos yet\n"));
    }

    let width = render::width();
    let interactive = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    let opts = RunOptions {
        speed: args.speed,
        ctrl_c: true,
    };
    let mut report = LessonReport {
        lesson: id.to_string(),
        demos: Vec::new(),
        interrupted: false,
    };

    for spec in specs {
        let demo = match Demo::new(spec.clone()) {
            Ok(demo) => demo,
            Err(problems) => {
                let text: Vec<String> = problems.into_iter().map(|p| p.message).collect();
                bail!("demo `{}` cannot run: {}", spec.name, text.join("; "));
            }
        };
        if !args.json {
            emit(&demo_header(&demo, width));
        }
        let mut strategies = Vec::new();
        // Strategies of one demo share a time axis (at least as long as the slowest so far).
        let mut axis_ms = 0.0_f64;
        for i in 0..spec.strategies.len() {
            let live = (args.live && !args.json).then(|| {
                let n = demo.plan().len();
                let names = if n <= MAX_LINES {
                    (0..n as u32).map(|id| demo.plan().name(id)).collect()
                } else {
                    Vec::new()
                };
                Live::start(names, interactive)
            });
            let result = demo.run_strategy(i, &opts, live.as_ref().map(Live::sender));
            if let Some(live) = live {
                live.finish();
            }
            let s = result.context("cannot start the tokio runtime")?;
            if !args.json {
                emit(&format!("\n{}", timeline::timeline(&s, width, axis_ms)));
                axis_ms = axis_ms.max(timeline::span_of(&s));
            }
            let stop = s.interrupted;
            strategies.push(s);
            if stop {
                break;
            }
        }
        let d: DemoReport = demo.report(strategies, args.speed);
        if !args.json {
            emit(&format!("\n{}", summary::summary(&d)));
        }
        let stop = d.interrupted;
        report.demos.push(d);
        if stop {
            report.interrupted = true;
            break;
        }
    }

    if args.json {
        emit(&(json::to_json(&report) + "\n"));
    }
    if let Some(path) = &args.trace {
        let text = serde_json::to_string(&trace::chrome_trace(&report))?;
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        if !args.json {
            emit(&format!(
                "\n{} {} (open it in https://ui.perfetto.dev or chrome://tracing)\n",
                style("trace written to").dim(),
                path.display()
            ));
        }
    }

    let not_shown: usize = report
        .demos
        .iter()
        .map(|d| d.expectations.iter().filter(|e| !e.shown).count())
        .sum();
    if report.interrupted {
        if !args.json {
            eprintln!(
                "{} partial results above",
                style("interrupted:").yellow().bold()
            );
        }
        return Ok(ExitCode::from(INTERRUPTED));
    }
    if not_shown > 0 {
        let msg = format!(
            "{not_shown} claim{} not shown by this run",
            if not_shown == 1 { " was" } else { "s were" }
        );
        if args.strict {
            eprintln!("{} {msg}", style("error:").red().bold());
            return Ok(ExitCode::FAILURE);
        }
        if !args.json {
            eprintln!(
                "{} {msg} (timing varies on a busy machine; try again, or --speed 1)",
                style("note:").yellow().bold()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn demo_header(demo: &Demo, width: usize) -> String {
    let spec = demo.spec();
    let runtime = match spec.workers {
        Some(w) => format!("{} runtime, {w} workers", spec.runtime.as_str()),
        None => format!("{} runtime", spec.runtime.as_str()),
    };
    let strategies: Vec<&str> = spec.strategies.iter().map(|s| s.name()).collect();
    // Re-flow the paragraph: single line breaks in the lesson file are not meaningful.
    let about = spec.about.split_whitespace().collect::<Vec<_>>().join(" ");
    let about = textwrap::fill(&about, width.clamp(20, 100).saturating_sub(2));
    format!(
        "\n{} {}\n{}\n{}\n",
        style(format!("▶ {}", spec.title)).bold().underlined(),
        style(format!("[{}]", spec.name)).dim(),
        textwrap::indent(&about, "  "),
        style(format!(
            "  {} task{} · {runtime} · strategies: {}",
            demo.plan().len(),
            if demo.plan().len() == 1 { "" } else { "s" },
            strategies.join(", ")
        ))
        .dim()
    )
}
