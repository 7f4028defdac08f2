//! The 100,000-task fan-out under tokio and under asyncio, measured in the same run: 100,000
//! sleeps of 100 ms under `gather` and `taskgroup`, each runtime's overhead (wall - ideal) in
//! total and per task, and asyncio's ÷ tokio's. tokio runs through the engine (span recording
//! on), asyncio through the embedded runner (`lesson run --python`), which records the same
//! spans; both pay for their recording, so the ratio compares like with like.
//!
//! Run: `cargo bench --bench python_fanout` (needs python3 >= 3.11; `PYTHON=/path/python3`
//! picks another). Best of `RUNS` per runtime: other processes on a shared machine only ever add
//! time.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark reports on the terminal

use std::path::PathBuf;

use asyncwork::demo::python::{self, Interpreter};
use asyncwork::demo::runner::{Demo, RunOptions, Unobserved};
use asyncwork::demo::spec::DemoSpec;

const TASKS: u32 = 100_000;
const RUNS: usize = 3;

fn main() {
    let bin = std::env::var_os("PYTHON").map_or_else(|| PathBuf::from("python3"), PathBuf::from);
    let py = match Interpreter::find(&bin) {
        Ok(p) => p,
        Err(line) => {
            eprintln!("skipped: {line}");
            return;
        }
    };
    let spec: DemoSpec = toml::from_str(&format!(
        r#"
name = "fan_out"
title = "t"
about = "a"
strategies = ["gather", "taskgroup"]
[[task]]
name = "fetch_item"
op = "sleep"
ms = 100
count = {TASKS}
"#
    ))
    .expect("spec");
    let demo = Demo::new(&spec).expect("demo");
    let opts = RunOptions::default();

    // Best overhead per strategy, per runtime.
    let mut rust = [f64::INFINITY; 2];
    let mut asyncio = [f64::INFINITY; 2];
    for _ in 0..RUNS {
        let r = demo.run(&opts, &mut Unobserved).expect("tokio run");
        for (best, s) in rust.iter_mut().zip(&r.strategies) {
            *best = best.min(s.overhead_ms);
        }
        let p = python::run(&demo, 1.0, &py);
        if let Some(problem) = &p.problem {
            eprintln!("python: {problem}");
            return;
        }
        for (best, s) in asyncio.iter_mut().zip(&p.strategies) {
            *best = best.min(s.overhead_ms);
        }
    }
    println!(
        "{TASKS} sleeps of 100 ms, best of {RUNS}; tokio through the engine (current_thread), \
         Python {} asyncio through the runner",
        py.version
    );
    println!(
        "{:<10} {:>14} {:>16} {:>14} {:>16} {:>8}",
        "strategy", "tokio overhead", "tokio µs/task", "asyncio ovh.", "asyncio µs/task", "ratio"
    );
    for (i, name) in ["gather", "taskgroup"].iter().enumerate() {
        let per = |ms: f64| ms / f64::from(TASKS) * 1000.0;
        println!(
            "{:<10} {:>11.0} ms {:>16.2} {:>11.0} ms {:>16.2} {:>7.1}x",
            name,
            rust[i],
            per(rust[i]),
            asyncio[i],
            per(asyncio[i]),
            asyncio[i] / rust[i]
        );
    }
}
