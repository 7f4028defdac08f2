//! A typed [`Demo`] as the JSON plan the embedded asyncio runner reads on stdin: every task with
//! its op and durations in real milliseconds (lesson ms divided by the playback speed, as
//! `Ctx::scaled` does for tokio), every strategy with its parameters, the loopback server's
//! address and the database. The runner does no arithmetic on lesson time; the Rust side turns
//! what it measured back into lesson time (see [`super::spans`]).
//!
//! The alternative, handing Python the lesson's TOML, would make it re-validate and re-default
//! every key; the typed demo has done that once.

use serde_json::{Value, json};

use crate::demo::model::{Op, Phase};
use crate::demo::runner::Demo;

/// The plan for `demo` at playback `speed`. `demo` should come from [`Demo::with_lab`] when it
/// has real-I/O ops, so the server's address and the database are in it.
pub fn plan(demo: &Demo, speed: f64) -> Value {
    let real = |ms: u64| ms as f64 / speed;
    let tasks: Vec<Value> = demo
        .plan()
        .groups()
        .map(|(name, op, count)| json!({ "name": name, "count": count, "op": op_value(op, speed) }))
        .collect();
    let strategies: Vec<Value> = demo
        .strategies
        .iter()
        .map(|s| {
            let mut v = json!({ "name": s.name, "kind": s.strategy.kind() });
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

/// One op with real-time durations.
fn op_value(op: &Op, speed: f64) -> Value {
    let real = |ms: u64| ms as f64 / speed;
    let kind = op.name();
    match op {
        Op::Sleep { ms } | Op::Block { ms } | Op::Cpu { ms } => {
            json!({ "kind": kind, "ms": real(*ms) })
        }
        Op::Fail { ms, message } => json!({ "kind": kind, "ms": real(*ms), "message": message }),
        Op::Resource {
            setup_ms,
            ms,
            teardown_ms,
            fails,
        } => json!({
            "kind": kind,
            "setup_ms": real(*setup_ms),
            "ms": real(*ms),
            "teardown_ms": real(*teardown_ms),
            "fails": fails.as_ref().map(|(p, m)| json!([phase(*p), m])),
        }),
        Op::Pages { items, ms } => json!({ "kind": kind, "items": items, "ms": real(*ms) }),
        Op::Http {
            path,
            ms,
            new_client,
            timeout_ms,
            ..
        } => {
            json!({
                "kind": kind,
                "path": real_path(path, *ms, speed),
                "new_client": new_client,
                "timeout_ms": timeout_ms.map(real),
                "timeout_lesson_ms": timeout_ms,
            })
        }
        // The runner sizes the query with its own sqlite3's speed.
        Op::Sqlite { ms, offload } => json!({ "kind": kind, "ms": real(*ms), "offload": offload }),
        Op::HttpRetry {
            path,
            ms,
            attempts,
            backoff_ms,
            timeout_ms,
            ..
        } => {
            json!({
                "kind": kind,
                "path": real_path(path, *ms, speed),
                "attempts": attempts,
                "backoff_ms": real(*backoff_ms),
                "timeout_ms": real(*timeout_ms),
                "timeout_lesson_ms": timeout_ms,
            })
        }
        Op::HttpPages {
            items,
            page_size,
            ms,
            ..
        } => json!({
            "kind": kind,
            "items": items,
            "page_size": page_size,
            // The server's delay per page, in whole real ms (as the Rust op asks for it).
            "delay": real(*ms).round() as u64,
        }),
        Op::SqliteBulk {
            rows,
            transaction,
            offload,
            ..
        } => json!({ "kind": kind, "rows": rows, "transaction": transaction, "offload": offload }),
    }
}

/// A demo server path with `{ms}` as real milliseconds at this speed (`{key}` is the runner's).
fn real_path(path: &str, ms: u64, speed: f64) -> String {
    let real = (ms as f64 / speed).round() as u64;
    path.replace("{ms}", &real.to_string())
}

fn phase(p: Phase) -> &'static str {
    p.as_str()
}

#[cfg(test)]
mod tests {
    use super::plan;
    use crate::demo::runner::Demo;
    use crate::demo::spec::tests::parse;

    const DEMO: &str = r#"
name = "d"
title = "t"
about = "a"
strategies = ["sequential", { kind = "timeout", ms = 300, scope = "task" }, { kind = "bounded", limit = 2 }]

[[task]]
name = "fetch"
op = "sleep"
ms = 200
count = 2

[[task]]
name = "db"
op = "resource"
setup_ms = 10
ms = 100
teardown_ms = 20
fails = "body"
message = "boom"
"#;

    #[test]
    fn a_plan_has_every_task_and_strategy_in_real_milliseconds() {
        let demo = Demo::new(&parse(DEMO).unwrap()).unwrap();
        let p = plan(&demo, 2.0);
        assert_eq!(p["demo"], "d");
        assert_eq!(p["tasks"][0]["name"], "fetch");
        assert_eq!(p["tasks"][0]["count"], 2);
        assert_eq!(p["tasks"][0]["op"]["kind"], "sleep");
        assert_eq!(p["tasks"][0]["op"]["ms"], 100.0);
        let db = &p["tasks"][1]["op"];
        assert_eq!(db["kind"], "resource");
        assert_eq!(db["setup_ms"], 5.0);
        assert_eq!(db["teardown_ms"], 10.0);
        assert_eq!(db["fails"], serde_json::json!(["body", "boom"]));
        let s = &p["strategies"];
        assert_eq!(s[0]["kind"], "sequential");
        assert_eq!(s[0]["delay_ms"], 0.0);
        assert_eq!(s[1]["kind"], "timeout");
        assert_eq!(s[1]["ms"], 150.0);
        assert_eq!(s[1]["lesson_ms"], 300);
        assert_eq!(s[1]["scope"], "task");
        assert_eq!(s[2]["limit"], 2);
        // No real-I/O op: no server, no database.
        assert!(p["server"].is_null() && p["db"].is_null());
    }

    #[test]
    fn nested_resources_are_listed_under_their_outer_copy() {
        let src = r#"
name = "d"
title = "t"
about = "a"
strategies = ["gather"]

[[task]]
name = "conn"
op = "resource"
inside = "pool"
count = 2
ms = 100

[[task]]
name = "pool"
op = "resource"
count = 2
ms = 0
"#;
        let demo = Demo::new(&parse(src).unwrap()).unwrap();
        let p = plan(&demo, 1.0);
        // Top-level copies first (pool#1, pool#2 are ids 0 and 1), whatever the file's order.
        assert_eq!(p["roots"], 2);
        assert_eq!(p["tasks"][0]["name"], "pool");
        assert_eq!(p["nested"], serde_json::json!([[0, [2]], [1, [3]]]));
    }
}
