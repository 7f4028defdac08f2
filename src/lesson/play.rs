//! Playing a lesson's demos in turn: the orchestration `lesson run` and `lesson step` share.
//!
//! The demos run one after another, each (with `--python`) under asyncio too, and each report
//! goes to every [`DemoSink`] as soon as the demo ends (the JSON and trace writers, the learner's
//! record, the cost fit) and is then dropped, so memory holds one demo at a time however many the
//! lesson has. What the demos found is gathered in a [`Tally`] and returned, with whether the run
//! was interrupted; the caller turns that into words and an exit code.
//!
//! What happens on the terminal is the caller's: a [`Watcher`] is told when a demo starts and
//! ends and is asked, between two demos, whether to go on (the learner's pause). The library
//! decides nothing about output.

use anyhow::Context as _;

use crate::demo::python::{self, Interpreter};
use crate::demo::report::DemoReport;
use crate::demo::runner::{Demo, Observer, RunOptions};
use crate::demo::spec::DemoSpec;
use crate::demo::tally::Tally;
use crate::lesson::ParsedLesson;

/// Something that takes each demo's report as the demo ends: a writer (JSON, trace), the
/// record of demos watched, a fit across demos. Called for an interrupted demo too (its report
/// says so), so a writer can end its document well-formed.
pub trait DemoSink {
    fn demo(&mut self, report: &DemoReport) -> anyhow::Result<()>;
}

/// Whether to play the next demo, asked between two demos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Play it.
    Go,
    /// Stop here, as asked: not an interruption.
    Stop,
    /// Stop here: the learner interrupted (Ctrl-C).
    Interrupted,
}

/// Watches the run as it goes: the per-strategy [`Observer`] (the live view) plus a demo's start
/// and end. Every hook has a default that does nothing, so `--json` watches with a unit struct.
pub trait Watcher: Observer {
    /// `demo` is about to run (its header goes on screen here).
    fn demo_starting(&mut self, demo: &Demo) {
        let _ = demo;
    }
    /// The tokio run is over and the asyncio run of the same demo starts.
    fn python_starting(&mut self, version: &str) {
        let _ = version;
    }
    /// Both runs are over: the demo's whole report, before the sinks see it.
    fn demo_ended(&mut self, report: &DemoReport) {
        let _ = report;
    }
    /// Between two demos: go on? (The learner's "Enter for the next demo".)
    fn next_demo(&mut self) -> Next {
        Next::Go
    }
}

/// How the demos are played.
pub struct Play<'a> {
    pub options: RunOptions,
    /// `--python`: the interpreter found for it, or `None` for tokio only.
    pub python: Option<&'a Interpreter>,
}

/// What a run of demos found.
#[derive(Debug, Default)]
pub struct Played {
    pub tally: Tally,
    /// Ctrl-C stopped it: the last report is partial and no further demo ran.
    pub interrupted: bool,
    /// Demos that ran (to their end or to the interruption).
    pub demos: usize,
}

impl Play<'_> {
    /// Plays `specs` of `parsed` in turn. An error is a demo that cannot run (which validation
    /// would have refused), a runtime that cannot start, or a sink that cannot write.
    pub fn run(
        &self,
        parsed: &ParsedLesson,
        specs: &[&DemoSpec],
        watcher: &mut dyn Watcher,
        sinks: &mut [&mut dyn DemoSink],
    ) -> anyhow::Result<Played> {
        let mut played = Played::default();
        for (i, spec) in specs.iter().enumerate() {
            if i > 0 {
                match watcher.next_demo() {
                    Next::Go => {}
                    Next::Stop => break,
                    Next::Interrupted => {
                        played.interrupted = true;
                        break;
                    }
                }
            }
            let demo = runnable(parsed, spec)?;
            watcher.demo_starting(&demo);
            let mut report = demo
                .run(&self.options, &mut *watcher)
                .context("cannot start the tokio runtime")?;
            if let Some(py) = self.python
                && !report.interrupted
            {
                watcher.python_starting(&py.version);
                // At the speed the tokio run played, so the two compare.
                report.python = Some(python::run(&demo, report.speed, py));
            }
            watcher.demo_ended(&report);
            for sink in sinks.iter_mut() {
                sink.demo(&report)?;
            }
            played.tally.add(&report);
            played.demos += 1;
            if report.interrupted {
                played.interrupted = true;
                break;
            }
        }
        Ok(played)
    }
}

/// Demo `spec` ready to run, its claims placed at their lines of the lesson file.
fn runnable(parsed: &ParsedLesson, spec: &DemoSpec) -> anyhow::Result<Demo> {
    let mut demo = parsed.demo(spec).map_err(|problems| {
        let text: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        anyhow::anyhow!("demo `{}` cannot run: {}", spec.name, text.join("; "))
    })?;
    if let Some(lines) = parsed.claim_lines.get(&demo.name) {
        demo.locate_claims(&parsed.file, lines);
    }
    Ok(demo)
}
