//! `--json`: the whole run as one JSON document on stdout (see `LessonReport`), written demo by
//! demo as each one finishes, so a run holds one demo's report at a time, not the lesson's.
//!
//! The document is `{"lesson": ID, "demos": [...], "interrupted": BOOL}`; with `--python` each
//! demo has a `python` member beside its Rust data (`PythonReport`: the interpreter's version,
//! the asyncio run's strategies in the same shape, skipped strategies, its claims, and any
//! problem). Each demo is written
//! with serde as soon as it ends, and `interrupted` (known last) comes last. A strategy with more
//! than [`SUMMARY_ABOVE`] tasks lists one summary per `[[demo.task]]` (`task_summary`, with
//! `tasks_summarised` copies) instead of every copy, unless `full` is asked for: 100,000 copies
//! would be 25 MB of JSON that no one reads line by line.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::demo::report::{DemoReport, StrategyReport};

/// A whole report as one document in memory, every task listed (for small reports and tests;
/// `lesson run --json` streams with [`JsonStream`]).
pub fn to_json(report: &crate::demo::report::LessonReport) -> String {
    // Serializing plain data with string keys cannot fail.
    pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// JSON text with every character that must not reach a terminal
/// ([`crate::text::is_unsafe_char`]) written as a `\uXXXX` escape. serde_json escapes C0
/// controls (ESC is `\u001b`) but writes C1 (U+009B, a one-byte CSI to many terminals), bidi and
/// zero-width characters raw, and `--json` is often read on a terminal. Outside strings JSON has
/// only ASCII punctuation, so every such character is inside a string and its escape is the same
/// string to any JSON reader. Each is in the Basic Multilingual Plane: four hex digits suffice.
pub fn terminal_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(crate::text::is_unsafe_char) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if crate::text::is_unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `value` as pretty JSON, safe for a terminal ([`terminal_safe`]).
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    Ok(terminal_safe(&text).into_owned())
}

/// Strategies with more tasks than this are summarised (unless `full`).
pub const SUMMARY_ABOVE: usize = 1_000;

/// Writes the document piece by piece through `out`.
pub struct JsonStream<W: Write> {
    out: W,
    full: bool,
    demos: usize,
}

impl<W: Write> JsonStream<W> {
    /// Starts the document for lesson `id`.
    pub fn begin(mut out: W, id: &str, full: bool) -> std::io::Result<JsonStream<W>> {
        write!(out, "{{\n  \"lesson\": {},\n  \"demos\": [", json!(id))?;
        Ok(JsonStream {
            out,
            full,
            demos: 0,
        })
    }

    /// Writes one finished demo.
    pub fn demo(&mut self, d: &DemoReport) -> std::io::Result<()> {
        let sep = if self.demos == 0 { "\n" } else { ",\n" };
        self.out.write_all(sep.as_bytes())?;
        self.demos += 1;
        let mut indented = Indent::new(&mut self.out, "    ");
        let python = d.python.iter().flat_map(|p| &p.strategies);
        if self.full
            || d.strategies
                .iter()
                .chain(python)
                .all(|s| s.tasks.len() <= SUMMARY_ABOVE)
        {
            serde_json::to_writer_pretty(&mut indented, d)?;
        } else {
            serde_json::to_writer_pretty(&mut indented, &Summarised(d))?;
        }
        Ok(())
    }

    /// Ends the document (`interrupted` is written only when true, as serde would).
    pub fn end(mut self, interrupted: bool) -> std::io::Result<W> {
        let close = if self.demos == 0 { "]" } else { "\n  ]" };
        self.out.write_all(close.as_bytes())?;
        if interrupted {
            self.out.write_all(b",\n  \"interrupted\": true")?;
        }
        self.out.write_all(b"\n}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The JSON writer takes each demo as the run ends it.
impl<W: Write> crate::lesson::play::DemoSink for JsonStream<W> {
    fn demo(&mut self, report: &DemoReport) -> anyhow::Result<()> {
        JsonStream::demo(self, report).map_err(|e| anyhow::anyhow!("cannot write the JSON: {e}"))
    }
}

/// A demo whose large strategies are summarised.
struct Summarised<'a>(&'a DemoReport);

impl Serialize for Summarised<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        // The demo as serde writes it, with each strategy then replaced by its own value.
        let head = DemoReport {
            strategies: d.strategies.iter().map(without_tasks).collect(),
            expectations: d.expectations.clone(),
            ..DemoReport {
                name: d.name.clone(),
                title: d.title.clone(),
                runtime: d.runtime.clone(),
                workers: d.workers,
                speed: d.speed,
                requested_speed: d.requested_speed,
                speed_limit: d.speed_limit,
                strategies: Vec::new(),
                expectations: Vec::new(),
                interrupted: d.interrupted,
                python: None,
            }
        };
        let mut v = serde_json::to_value(&head).map_err(serde::ser::Error::custom)?;
        if let Some(Value::Array(list)) = v.get_mut("strategies") {
            for (slot, s) in list.iter_mut().zip(&d.strategies) {
                *slot = strategy_value(s).map_err(serde::ser::Error::custom)?;
            }
        }
        // The Python run of the same demo, its large strategies summarised the same way.
        if let Some(py) = &d.python {
            let mut p = serde_json::to_value(py).map_err(serde::ser::Error::custom)?;
            if let Some(Value::Array(list)) = p.get_mut("strategies") {
                for (slot, s) in list.iter_mut().zip(&py.strategies) {
                    *slot = strategy_value(s).map_err(serde::ser::Error::custom)?;
                }
            }
            v["python"] = p;
        }
        v.serialize(serializer)
    }
}

/// A strategy's report without its tasks (cheap to copy).
fn without_tasks(s: &StrategyReport) -> StrategyReport {
    StrategyReport {
        name: s.name.clone(),
        kind: s.kind,
        detail: s.detail.clone(),
        wall_ms: s.wall_ms,
        clock: s.clock,
        real_ms: s.real_ms,
        ideal_ms: s.ideal_ms,
        overhead_ms: s.overhead_ms,
        allowance_ms: s.allowance_ms,
        cpu_wait_ms: s.cpu_wait_ms,
        speedup: s.speedup,
        peak_concurrency: s.peak_concurrency,
        error: s.error.clone(),
        cleanup_ms: s.cleanup_ms,
        interrupted: s.interrupted,
        tasks: Vec::new(),
    }
}

/// A strategy as JSON; above [`SUMMARY_ABOVE`] tasks, a summary per task instead of each copy.
fn strategy_value(s: &StrategyReport) -> serde_json::Result<Value> {
    if s.tasks.len() <= SUMMARY_ABOVE {
        return serde_json::to_value(s);
    }
    let mut v = serde_json::to_value(without_tasks(s))?;
    #[derive(Default)]
    struct Group {
        copies: u64,
        outcomes: BTreeMap<&'static str, u64>,
        first_start: Option<f64>,
        last_end: Option<f64>,
        total_ms: f64,
        timed: u64,
    }
    let mut groups: Vec<(&str, Group)> = Vec::new();
    for t in &s.tasks {
        let at = match groups.iter().position(|(name, _)| *name == t.task) {
            Some(at) => at,
            None => {
                groups.push((&t.task, Group::default()));
                groups.len() - 1
            }
        };
        let g = &mut groups[at].1;
        g.copies += 1;
        *g.outcomes.entry(t.outcome.as_str()).or_default() += 1;
        if let Some(start) = t.start_ms {
            g.first_start = Some(g.first_start.map_or(start, |f| f.min(start)));
        }
        if let Some(end) = t.end_ms {
            g.last_end = Some(g.last_end.map_or(end, |l| l.max(end)));
        }
        if let Some(d) = t.duration_ms() {
            g.total_ms += d;
            g.timed += 1;
        }
    }
    let summary: Vec<Value> = groups
        .into_iter()
        .map(|(task, g)| {
            json!({
                "task": task,
                "copies": g.copies,
                "outcomes": g.outcomes,
                "first_start_ms": g.first_start,
                "last_end_ms": g.last_end,
                "mean_ms": (g.timed > 0).then(|| g.total_ms / g.timed as f64),
            })
        })
        .collect();
    if let Value::Object(map) = &mut v {
        map.remove("tasks");
        map.insert("tasks_summarised".into(), json!(s.tasks.len()));
        map.insert("task_summary".into(), Value::Array(summary));
    }
    Ok(v)
}

/// Indents every line after the first by `pad` (JSON strings hold no raw newline, so this
/// only touches the layout).
struct Indent<'a, W: Write> {
    out: &'a mut W,
    pad: &'static str,
    started: bool,
}

impl<'a, W: Write> Indent<'a, W> {
    fn new(out: &'a mut W, pad: &'static str) -> Self {
        Indent {
            out,
            pad,
            started: false,
        }
    }
}

impl<W: Write> Write for Indent<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.started {
            self.out.write_all(self.pad.as_bytes())?;
            self.started = true;
        }
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            self.out.write_all(&rest[..=i])?;
            self.out.write_all(self.pad.as_bytes())?;
            rest = &rest[i + 1..];
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// An `io::Write` that hands whole UTF-8 text to [`super::emit`] (which keeps the first write
/// error for `main` to report), holding back a character split between two writes.
#[derive(Default)]
pub struct EmitWriter {
    pending: Vec<u8>,
}

impl Write for EmitWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        if valid > 0 {
            let text = std::str::from_utf8(&self.pending[..valid]).unwrap_or_default();
            super::emit(&terminal_safe(text));
            self.pending.drain(..valid);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::report::{Outcome, TaskReport};

    fn task(i: usize) -> TaskReport {
        TaskReport {
            name: format!("fetch#{i}"),
            task: "fetch".into(),
            op: "sleep".into(),
            start_ms: Some(0.0),
            end_ms: Some(100.0 + i as f64 % 3.0),
            outcome: if i % 10 == 0 {
                Outcome::Failed
            } else {
                Outcome::Ok
            },
            error: None,
            phases: vec![],
            items: None,
            item_ms: vec![],
            blocked_ms: None,
            cut_in: None,
            nominal_ms: 100.0,
            connections: vec![],
            inside: None,
        }
    }

    fn demo(tasks: usize) -> DemoReport {
        DemoReport {
            name: "d".into(),
            title: "t".into(),
            runtime: "current_thread".into(),
            workers: None,
            speed: 1.0,
            requested_speed: None,
            speed_limit: None,
            strategies: vec![StrategyReport {
                name: "gather".into(),
                kind: crate::demo::strategy::StrategyKind::Gather,
                detail: "all at once".into(),
                wall_ms: 102.0,
                clock: crate::demo::model::Clock::Real,
                real_ms: 102.0,
                ideal_ms: 100.0,
                overhead_ms: 2.0,
                allowance_ms: 0.0,
                cpu_wait_ms: 0.0,
                speedup: None,
                peak_concurrency: tasks as u32,
                error: None,
                cleanup_ms: None,
                interrupted: false,
                tasks: (0..tasks).map(task).collect(),
            }],
            expectations: vec![],
            interrupted: false,
            python: None,
        }
    }

    fn document(demos: &[DemoReport], full: bool) -> Value {
        let mut s = JsonStream::begin(Vec::new(), "l", full).unwrap();
        for d in demos {
            s.demo(d).unwrap();
        }
        let bytes = s.end(false).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn small_demos_are_written_whole_and_as_serde_would() {
        let d = demo(3);
        let v = document(&[d.clone(), d.clone()], false);
        assert_eq!(v["lesson"], "l");
        assert!(v.get("interrupted").is_none());
        assert_eq!(v["demos"][1], serde_json::to_value(&d).unwrap());
        assert_eq!(document(&[], false)["demos"], json!([]));
    }

    /// Issue 13, item 5: a large fan-out is summarised unless asked for in full.
    #[test]
    fn large_fan_outs_are_summarised_unless_full() {
        let d = demo(SUMMARY_ABOVE + 1);
        let v = document(std::slice::from_ref(&d), false);
        let s = &v["demos"][0]["strategies"][0];
        assert!(s.get("tasks").is_none(), "{s}");
        assert_eq!(s["tasks_summarised"], SUMMARY_ABOVE + 1);
        let g = &s["task_summary"][0];
        assert_eq!(g["task"], "fetch");
        assert_eq!(g["copies"], SUMMARY_ABOVE + 1);
        assert_eq!(g["outcomes"]["failed"], 101);
        assert_eq!(g["outcomes"]["ok"], 900);
        assert_eq!(g["last_end_ms"], 102.0);
        assert_eq!(s["wall_ms"], 102.0);
        assert_eq!(v["demos"][0]["name"], "d");
        let full = document(&[d], true);
        assert_eq!(
            full["demos"][0]["strategies"][0]["tasks"]
                .as_array()
                .unwrap()
                .len(),
            SUMMARY_ABOVE + 1
        );
    }

    #[test]
    fn json_escapes_what_a_terminal_would_obey() {
        let v = serde_json::json!({"title": "a\u{1b}]0;x\u{7}\u{9b}2J\u{202e}b"});
        let text = super::pretty(&v).unwrap();
        assert!(!text.chars().any(crate::text::is_unsafe_char), "{text}");
        assert!(text.contains("\\u009b"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
