//! `sqlite`: a real rusqlite query, a synchronous driver called from async code.
//!
//! Called inline, every rusqlite call holds the runtime thread until SQLite returns: on a
//! current-thread runtime no other task moves meanwhile (a sync driver inside `async def`).
//! `offload = true` (or the `offload` strategy) runs it on `spawn_blocking` instead, asyncio's
//! `run_in_executor`. An async driver such as sqlx does that hand-off for you.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, on_thread, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::io::db;

/// `op = "sqlite"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sqlite {
    /// How long the query keeps SQLite busy.
    pub ms: u64,
    /// Run the driver on `spawn_blocking` (default: inline on the runtime thread).
    #[serde(default)]
    pub offload: bool,
}

/// A query that keeps SQLite busy for `ms` (see [`db::query_for`]).
async fn query(cx: &Arc<Ctx>, id: u32, op: &Sqlite) -> Result<(), String> {
    let lab = &cx.io.as_ref().ok_or("this demo run has no database")?.lab;
    let path = lab.db()?.path();
    let d = cx.scaled(op.ms);
    let (held, result) = on_thread(op.offload || cx.offload, move || {
        let conn = db::open(&path).map_err(|e| format!("cannot open the database: {e}"))?;
        db::query_for(&conn, d).map_err(|e| format!("the query failed: {e}"))
    })
    .await;
    cx.rec.blocked(id, held);
    result.map(|_| ())
}

impl Kind for Sqlite {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("ms", "how long the query runs"),
        ("offload", "run the driver on spawn_blocking; default false"),
    ];
    const NEEDS: Needs = Needs::Database;
    const HAS_BODY: bool = false;
    // SQLite computing the slow query is CPU work wherever it runs.
    const IS_CPU: bool = true;

    fn problems(&self) -> Vec<ParamError> {
        over_limit("ms", self.ms).into_iter().collect()
    }

    fn nominal_ms(&self) -> u64 {
        self.ms
    }

    fn timer_waits(&self) -> u32 {
        0
    }

    fn is_blocking(&self) -> bool {
        // A synchronous driver called inline holds the runtime thread.
        !self.offload
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        // The runner sizes the query with its own sqlite3's speed.
        Map::from_iter([
            ("ms".into(), real(self.ms, speed)),
            ("offload".into(), Value::from(self.offload)),
        ])
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        Box::pin(query(cx, id, self))
    }
}
