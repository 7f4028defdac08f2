//! `--trace FILE`: Chrome trace-event JSON (open it in https://ui.perfetto.dev or
//! chrome://tracing). Each strategy of each demo is a process (and with `--python`, its asyncio
//! run another), each task a thread; a task is a
//! complete event (`ph: "X"`) with its phases beside it and each streamed item an instant event.
//!
//! [`TraceWriter`] writes the file demo by demo, one event at a time, as the run goes: a
//! 100,000-task demo is a few hundred thousand events, and building them all as one JSON value
//! first cost gigabytes. [`chrome_trace`] builds the same document in memory, for small reports.
//!
//! A trace viewer opens a few hundred thousand events comfortably, not tens of millions: above
//! [`TRACED_TASKS`] tasks a strategy's tasks are sampled evenly (every k-th), and above
//! [`TRACED_ITEMS`] a task's streamed items too, unless the writer is `full`. The trace says so:
//! the strategy's event carries `tasks`, `traced_tasks` and `sampled`, and `otherData.sampled`.

use std::io::Write;

use serde_json::{Value, json};

use crate::demo::report::{DemoReport, LessonReport};

/// Most tasks of one strategy drawn one by one; beyond, every k-th.
pub const TRACED_TASKS: usize = 1_000;
/// Most streamed items of one task drawn; beyond, every k-th.
pub const TRACED_ITEMS: usize = 1_000;

pub fn chrome_trace(report: &LessonReport) -> Value {
    let mut events = Vec::new();
    let mut pid = 0u64;
    let mut sampled = false;
    for demo in &report.demos {
        sampled |= demo_events(demo, &mut pid, false, &mut |e| events.push(e));
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": { "lesson": report.lesson, "sampled": sampled }
    })
}

/// Writes a trace file as the run goes: [`TraceWriter::demo`] after each demo, then
/// [`TraceWriter::finish`].
pub struct TraceWriter<W: Write> {
    out: W,
    pid: u64,
    events: u64,
    full: bool,
    sampled: bool,
    /// What the file is called in an error.
    name: String,
}

impl<W: Write> TraceWriter<W> {
    pub fn begin(mut out: W) -> std::io::Result<TraceWriter<W>> {
        out.write_all(b"{\"traceEvents\":[")?;
        Ok(TraceWriter {
            out,
            pid: 0,
            events: 0,
            full: false,
            sampled: false,
            name: "the trace".into(),
        })
    }

    /// Every task and item, however many (`--full`): the file may grow to gigabytes.
    pub fn full(self, full: bool) -> TraceWriter<W> {
        TraceWriter { full, ..self }
    }

    /// What to call the file in an error (its path).
    pub fn named(self, name: &str) -> TraceWriter<W> {
        TraceWriter {
            name: name.to_string(),
            ..self
        }
    }

    /// Writes every event of one finished demo.
    pub fn demo(&mut self, demo: &DemoReport) -> std::io::Result<()> {
        let mut result = Ok(());
        let (out, events) = (&mut self.out, &mut self.events);
        self.sampled |= demo_events(demo, &mut self.pid, self.full, &mut |e| {
            if result.is_err() {
                return;
            }
            result = (|| {
                if *events > 0 {
                    out.write_all(b",\n")?;
                }
                *events += 1;
                serde_json::to_writer(&mut *out, &e).map_err(std::io::Error::from)
            })();
        });
        result
    }

    /// Ends the document and returns the writer, flushed.
    pub fn finish(mut self, lesson: &str) -> std::io::Result<W> {
        let tail = json!({ "lesson": lesson, "sampled": self.sampled });
        write!(
            self.out,
            "],\"displayTimeUnit\":\"ms\",\"otherData\":{tail}}}"
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The trace writer takes each demo as the run ends it.
impl<W: Write> crate::lesson::play::DemoSink for TraceWriter<W> {
    fn demo(&mut self, report: &DemoReport) -> anyhow::Result<()> {
        TraceWriter::demo(self, report)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.name))
    }
}

/// Every `k`-th of `n`, so at most `most` are kept (all of them when `full`).
fn step(n: usize, most: usize, full: bool) -> usize {
    if full || n <= most {
        1
    } else {
        n.div_ceil(most)
    }
}

/// Every trace event of one demo, handed to `emit` one at a time; `pid` numbers the strategies
/// across the whole run. `true` when some tasks or items were sampled.
fn demo_events(
    demo: &DemoReport,
    pid: &mut u64,
    full: bool,
    events: &mut dyn FnMut(Value),
) -> bool {
    let mut sampled = false;
    // With `--python`, each strategy's asyncio run is a process of its own, right below tokio's.
    let runs = demo.strategies.iter().flat_map(|s| {
        let python = demo
            .python
            .iter()
            .flat_map(|p| &p.strategies)
            .find(|p| p.name == s.name);
        std::iter::once((s, "")).chain(python.map(|p| (p, " (asyncio)")))
    });
    {
        for (s, runtime) in runs {
            *pid += 1;
            let pid = *pid;
            events(json!({
                "name": "process_name", "ph": "M", "pid": pid, "tid": 0,
                "args": { "name": format!("{} / {}{runtime}", demo.name, s.name) }
            }));
            events(json!({
                "name": "process_sort_index", "ph": "M", "pid": pid, "tid": 0,
                "args": { "sort_index": pid }
            }));
            let every = step(s.tasks.len(), TRACED_TASKS, full);
            let mut args = json!({ "detail": s.detail, "ideal_ms": s.ideal_ms, "error": s.error });
            if every > 1 {
                sampled = true;
                args["tasks"] = json!(s.tasks.len());
                args["traced_tasks"] = json!(s.tasks.len().div_ceil(every));
                args["sampled"] = json!(format!(
                    "every {every}th task of {}: --full traces them all",
                    s.tasks.len()
                ));
            }
            events(json!({
                "name": s.name, "cat": "strategy", "ph": "X", "pid": pid, "tid": 0,
                "ts": 0.0, "dur": s.wall_ms * 1000.0, "args": args
            }));
            for (i, t) in s.tasks.iter().enumerate().step_by(every) {
                let tid = i as u64 + 1;
                let Some(start) = t.start_ms else { continue };
                let end = t.end_ms.unwrap_or(s.wall_ms).max(start);
                events(json!({
                    "name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                    "args": { "name": t.name }
                }));
                let mut args = json!({ "outcome": t.outcome.as_str(), "op": t.op });
                if let Some(e) = &t.error {
                    args["error"] = json!(e);
                }
                let items_every = step(t.item_ms.len(), TRACED_ITEMS, full);
                if items_every > 1 {
                    sampled = true;
                    args["items"] = json!(t.item_ms.len());
                    args["sampled"] = json!(format!(
                        "every {items_every}th item of {}: --full traces them all",
                        t.item_ms.len()
                    ));
                }
                events(json!({
                    "name": t.name, "cat": t.outcome.as_str(), "ph": "X", "pid": pid, "tid": tid,
                    "ts": start * 1000.0, "dur": (end - start) * 1000.0, "args": args
                }));
                for p in &t.phases {
                    let pend = p.end_ms.unwrap_or(p.start_ms).max(p.start_ms);
                    events(json!({
                        "name": p.name, "cat": "phase", "ph": "X", "pid": pid, "tid": tid,
                        "ts": p.start_ms * 1000.0, "dur": (pend - p.start_ms) * 1000.0
                    }));
                }
                for at in t.item_ms.iter().step_by(items_every) {
                    events(json!({
                        "name": "item", "cat": "item", "ph": "i", "s": "t", "pid": pid, "tid": tid,
                        "ts": at * 1000.0
                    }));
                }
            }
        }
    }
    sampled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kth_keeps_at_most_the_cap() {
        assert_eq!(step(1_000, TRACED_TASKS, false), 1);
        assert_eq!(step(1_001, TRACED_TASKS, false), 2);
        assert_eq!(step(100_000, TRACED_TASKS, false), 100);
        assert_eq!(100_000usize.div_ceil(100), 1_000);
        assert_eq!(step(100_000, TRACED_TASKS, true), 1);
    }
}
