//! `lesson::play`: the demos of a lesson played in turn, each report handed to every sink as its
//! demo ends, the watcher asked between demos. No timing is asserted: only what is called, in
//! which order, and what the run returns.

use std::collections::BTreeSet;

use asyncwork::demo::report::DemoReport;
use asyncwork::demo::runner::{Observer, RunOptions};
use asyncwork::lesson::parse::parse_lesson;
use asyncwork::lesson::play::{DemoSink, Next, Play, Watcher};

/// Three demos of two 10 ms calls each; the second makes a claim.
const LESSON: &str = r#"format_version = 1
id = "played"
title = "Played"
position = 1
summary = "Three small demos."

[[section]]
heading = "One"
body = "Calls."
demo = "first"
demos = ["second", "third"]

[[demo]]
name = "first"
title = "First"
about = "Two calls."
strategies = ["sequential", "gather"]

[[demo.task]]
name = "call"
op = "sleep"
ms = 10
count = 2

[[demo]]
name = "second"
title = "Second"
about = "Two calls, a claim."
strategies = ["sequential", "gather"]

[[demo.task]]
name = "call"
op = "sleep"
ms = 10
count = 2

[[demo.expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"
factor = 1.5

[[demo]]
name = "third"
title = "Third"
about = "Two calls."
strategies = ["gather"]

[[demo.task]]
name = "call"
op = "sleep"
ms = 10
count = 2
"#;

/// Notes every call it gets, and answers `next_demo` from a script.
#[derive(Default)]
struct Script {
    calls: Vec<String>,
    answers: Vec<Next>,
}

impl Observer for Script {}

impl Watcher for Script {
    fn demo_starting(&mut self, demo: &asyncwork::demo::runner::Demo) {
        self.calls.push(format!("start {}", demo.name));
    }
    fn demo_ended(&mut self, report: &DemoReport) {
        self.calls.push(format!("end {}", report.name));
        for e in &report.expectations {
            self.calls
                .push(format!("claim at {}", e.at.as_deref().unwrap_or("?")));
        }
    }
    fn next_demo(&mut self) -> Next {
        self.calls.push("next?".into());
        if self.answers.is_empty() {
            Next::Go
        } else {
            self.answers.remove(0)
        }
    }
}

#[derive(Default)]
struct Names(Vec<String>);

impl DemoSink for Names {
    fn demo(&mut self, report: &DemoReport) -> anyhow::Result<()> {
        self.0.push(report.name.clone());
        Ok(())
    }
}

fn play(answers: Vec<Next>) -> (asyncwork::lesson::play::Played, Script, Names, Names) {
    let parsed = parse_lesson("played.toml", "played", LESSON.as_bytes(), &BTreeSet::new())
        .unwrap_or_else(|e| panic!("the test lesson is valid: {e:?}"));
    let specs: Vec<_> = parsed.lesson.demos.iter().collect();
    let play = Play {
        options: RunOptions {
            speed: 100.0,
            interrupt: None,
        },
        python: None,
    };
    let mut script = Script {
        answers,
        ..Script::default()
    };
    let (mut a, mut b) = (Names::default(), Names::default());
    let played = play
        .run(&parsed, &specs, &mut script, &mut [&mut a, &mut b])
        .expect("the demos run");
    (played, script, a, b)
}

#[test]
fn every_sink_sees_every_demo_in_order_and_the_tally_gathers_them() {
    let (played, script, a, b) = play(Vec::new());
    assert_eq!(played.demos, 3);
    assert!(!played.interrupted);
    assert_eq!(a.0, ["first", "second", "third"]);
    assert_eq!(a.0, b.0);
    assert_eq!(
        script.calls,
        [
            "start first",
            "end first",
            "next?",
            "start second",
            "end second",
            "claim at played.toml:37",
            "next?",
            "start third",
            "end third"
        ]
    );
    // The claim was judged, located at its line of the file; nothing for --strict to fail on.
    assert!(
        played.tally.refuted.is_empty(),
        "{:?}",
        played.tally.refuted
    );
    assert!(
        played.tally.not_judged.is_empty(),
        "{:?}",
        played.tally.not_judged
    );
    assert!(!played.tally.fails_strict());
}

#[test]
fn the_watcher_stops_or_interrupts_between_demos() {
    let (played, script, a, _) = play(vec![Next::Stop]);
    assert_eq!((played.demos, played.interrupted), (1, false));
    assert_eq!(a.0, ["first"]);
    assert_eq!(script.calls.last().map(String::as_str), Some("next?"));

    let (played, _, a, _) = play(vec![Next::Go, Next::Interrupted]);
    assert_eq!((played.demos, played.interrupted), (2, true));
    assert_eq!(a.0, ["first", "second"]);
}
