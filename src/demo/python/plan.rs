//! A typed [`Demo`] as the JSON plan the embedded asyncio runner reads on stdin: every task with
//! its op and durations in real milliseconds (lesson ms divided by the playback speed, as
//! `Ctx::scaled` does for tokio), every strategy with its parameters, the loopback server's
//! address and the database. The runner does no arithmetic on lesson time; the Rust side turns
//! what it measured back into lesson time (see [`super::spans`]).
//!
//! The alternative, handing Python the lesson's TOML, would make it re-validate and re-default
//! every key; the typed demo has done that once.

use serde_json::{Value, json};

use crate::demo::runner::Demo;

/// The plan for `demo` at playback `speed`. `demo` should come from [`Demo::with_lab`] when it
/// has real-I/O ops, so the server's address and the database are in it.
pub fn plan(demo: &Demo, speed: f64) -> Value {
    let real = |ms: u64| ms as f64 / speed;
    let tasks: Vec<Value> = demo
        .plan()
        .groups()
        .map(|(name, op, count)| json!({ "name": name, "count": count, "op": op.python(name, speed) }))
        .collect();
    let strategies: Vec<Value> = demo
        .strategies
        .iter()
        .map(|s| {
            // The clock too: the runner skips a strategy on tokio's paused clock.
            let mut v = json!({ "name": s.name, "kind": s.strategy.kind(), "clock": s.clock });
            for (key, value) in s.strategy.python_params(&real) {
                v[key] = value;
            }
            v
        })
        .collect();
    let lab = demo.lab();
    let server = lab
        .and_then(|l| l.server_addr())
        .map(|a| json!([a.ip().to_string(), a.port()]));
    let db = lab
        .and_then(|l| l.db().ok())
        .map(|d| json!(d.path().to_string_lossy()));
    // Nested resources run inside their outer copy, not under the strategy: the runner needs
    // which copies are top-level (ids 0..roots) and what is inside each outer copy.
    let p = demo.plan();
    let nested: Vec<Value> = (0..p.len() as u32)
        .filter_map(|id| {
            let inner = p.nested_in(id);
            (!inner.is_empty()).then(|| json!([id, inner]))
        })
        .collect();
    json!({
        "demo": demo.name,
        "speed": speed,
        "roots": p.roots(),
        "nested": nested,
        "tasks": tasks,
        "strategies": strategies,
        "server": server,
        "db": db,
        "cleanup_s": 65,
    })
}
