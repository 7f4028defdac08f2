//! `--trace FILE`: Chrome trace-event JSON (open it in https://ui.perfetto.dev or
//! chrome://tracing). Each strategy of each demo is a process (and with `--python`, its asyncio
//! run another), each task a thread; a task is a
//! complete event (`ph: "X"`) with its phases beside it and each streamed item an instant event.
//!
//! [`TraceWriter`] writes the file demo by demo, one event at a time, as the run goes: a
//! 100,000-task demo is a few hundred thousand events, and building them all as one JSON value
//! first cost gigabytes. [`chrome_trace`] builds the same document in memory, for small reports.

use std::io::Write;

use serde_json::{Value, json};

use crate::demo::report::{DemoReport, LessonReport};

pub fn chrome_trace(report: &LessonReport) -> Value {
    let mut events = Vec::new();
    let mut pid = 0u64;
    for demo in &report.demos {
        demo_events(demo, &mut pid, &mut |e| events.push(e));
    }
    json!({ "traceEvents": events, "displayTimeUnit": "ms", "otherData": { "lesson": report.lesson } })
}

/// Writes a trace file as the run goes: [`TraceWriter::demo`] after each demo, then
/// [`TraceWriter::finish`].
pub struct TraceWriter<W: Write> {
    out: W,
    pid: u64,
    events: u64,
}

impl<W: Write> TraceWriter<W> {
    pub fn begin(mut out: W) -> std::io::Result<TraceWriter<W>> {
        out.write_all(b"{\"traceEvents\":[")?;
        Ok(TraceWriter {
            out,
            pid: 0,
            events: 0,
        })
    }

    /// Writes every event of one finished demo.
    pub fn demo(&mut self, demo: &DemoReport) -> std::io::Result<()> {
        let mut result = Ok(());
        let (out, events) = (&mut self.out, &mut self.events);
        demo_events(demo, &mut self.pid, &mut |e| {
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
        let tail = json!({ "lesson": lesson });
        write!(
            self.out,
            "],\"displayTimeUnit\":\"ms\",\"otherData\":{tail}}}"
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Every trace event of one demo, handed to `emit` one at a time; `pid` numbers the strategies
/// across the whole run.
fn demo_events(demo: &DemoReport, pid: &mut u64, events: &mut dyn FnMut(Value)) {
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
            events(json!({
                "name": s.name, "cat": "strategy", "ph": "X", "pid": pid, "tid": 0,
                "ts": 0.0, "dur": s.wall_ms * 1000.0,
                "args": { "detail": s.detail, "ideal_ms": s.ideal_ms, "error": s.error }
            }));
            for (i, t) in s.tasks.iter().enumerate() {
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
                for at in &t.item_ms {
                    events(json!({
                        "name": "item", "cat": "item", "ph": "i", "s": "t", "pid": pid, "tid": tid,
                        "ts": at * 1000.0
                    }));
                }
            }
        }
    }
}
