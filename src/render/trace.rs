//! `--trace FILE`: Chrome trace-event JSON (open it in https://ui.perfetto.dev or
//! chrome://tracing). Each strategy of each demo is a process, each task a thread; a task is a
//! complete event (`ph: "X"`) with its phases beside it and each streamed item an instant event.

use serde_json::{Value, json};

use crate::demo::report::LessonReport;

pub fn chrome_trace(report: &LessonReport) -> Value {
    let mut events = Vec::new();
    let mut pid = 0u64;
    for demo in &report.demos {
        for s in &demo.strategies {
            pid += 1;
            events.push(json!({
                "name": "process_name", "ph": "M", "pid": pid, "tid": 0,
                "args": { "name": format!("{} / {}", demo.name, s.name) }
            }));
            events.push(json!({
                "name": "process_sort_index", "ph": "M", "pid": pid, "tid": 0,
                "args": { "sort_index": pid }
            }));
            events.push(json!({
                "name": s.name, "cat": "strategy", "ph": "X", "pid": pid, "tid": 0,
                "ts": 0.0, "dur": s.wall_ms * 1000.0,
                "args": { "detail": s.detail, "ideal_ms": s.ideal_ms, "error": s.error }
            }));
            for (i, t) in s.tasks.iter().enumerate() {
                let tid = i as u64 + 1;
                let Some(start) = t.start_ms else { continue };
                let end = t.end_ms.unwrap_or(s.wall_ms).max(start);
                events.push(json!({
                    "name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                    "args": { "name": t.name }
                }));
                let mut args = json!({ "outcome": t.outcome.as_str(), "op": t.op });
                if let Some(e) = &t.error {
                    args["error"] = json!(e);
                }
                events.push(json!({
                    "name": t.name, "cat": t.outcome.as_str(), "ph": "X", "pid": pid, "tid": tid,
                    "ts": start * 1000.0, "dur": (end - start) * 1000.0, "args": args
                }));
                for p in &t.phases {
                    let pend = p.end_ms.unwrap_or(p.start_ms).max(p.start_ms);
                    events.push(json!({
                        "name": p.name, "cat": "phase", "ph": "X", "pid": pid, "tid": tid,
                        "ts": p.start_ms * 1000.0, "dur": (pend - p.start_ms) * 1000.0
                    }));
                }
                for at in &t.item_ms {
                    events.push(json!({
                        "name": "item", "cat": "item", "ph": "i", "s": "t", "pid": pid, "tid": tid,
                        "ts": at * 1000.0
                    }));
                }
            }
        }
    }
    json!({ "traceEvents": events, "displayTimeUnit": "ms", "otherData": { "lesson": report.lesson } })
}
