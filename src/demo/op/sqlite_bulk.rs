//! `sqlite_bulk`: `rows` inserts into a database file of the task's own, each committed on its
//! own or all in one transaction. A commit waits for the disk, so one transaction for many rows
//! is the usual fix (`executemany` inside one `BEGIN`).
//!
//! Like `sqlite`, the driver is synchronous: inline it holds the runtime thread; `offload = true`
//! (or the `offload` strategy) moves it to `spawn_blocking`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, on_thread};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::lab::Latency;
use crate::demo::model::Measured;
use crate::io::db::{self, MAX_ROWS};

/// `op = "sqlite_bulk"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqliteBulk {
    /// How many rows to insert.
    pub rows: u32,
    /// All rows in one transaction (true) or each committed on its own (false).
    pub transaction: bool,
    /// Run the driver on `spawn_blocking` (default: inline on the runtime thread).
    #[serde(default)]
    pub offload: bool,
    /// What the inserts cost on this disk, once calibrated.
    #[serde(skip)]
    pub measured: Measured,
}

impl Kind for SqliteBulk {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("rows", "how many rows to insert"),
        (
            "transaction",
            "true: one transaction; false: each insert committed on its own",
        ),
        ("offload", "run the driver on spawn_blocking; default false"),
    ];
    const NEEDS: Needs = Needs::Database;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let n = self.rows;
        (n == 0 || n > MAX_ROWS)
            .then(|| ParamError {
                key: Some("rows".into()),
                message: format!("rows must be between 1 and {MAX_ROWS}, got {n}"),
            })
            .into_iter()
            .collect()
    }

    fn nominal_ms(&self) -> u64 {
        // Its time is what the inserts take on this disk: all of it is measured.
        0
    }

    fn added_ms(&self) -> f64 {
        self.measured.0
    }

    fn timer_waits(&self) -> u32 {
        0
    }

    fn is_blocking(&self) -> bool {
        !self.offload
    }

    fn python(&self, _task: &str, _speed: f64) -> Map<String, Value> {
        Map::from_iter([
            ("rows".into(), Value::from(self.rows)),
            ("transaction".into(), Value::from(self.transaction)),
            ("offload".into(), Value::from(self.offload)),
        ])
    }

    fn estimate(&mut self, _latency: Option<&Latency>, speed: f64) {
        // Calibrated once per process, on this disk, without the server.
        self.measured = Measured(db::bulk_costs().estimate_ms(self.rows, self.transaction) * speed);
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        Box::pin(bulk(cx, id, self))
    }
}

/// Tells blocking work to stop when the task's future is dropped: `spawn_blocking` work cannot be
/// aborted from outside, so it checks this flag between rows.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Relaxed);
    }
}

/// `sqlite_bulk`: `rows` inserts into a database file of this task's own, each committed on its
/// own or all in one transaction.
async fn bulk(cx: &Arc<Ctx>, id: u32, op: &SqliteBulk) -> Result<(), String> {
    let (rows, transaction) = (op.rows, op.transaction);
    let session = cx.io.as_ref().ok_or("this demo run has no database")?;
    let path = session
        .lab
        .db()?
        .scratch(&format!("bulk-r{}-t{id}", session.run));
    let stop = StopOnDrop(Arc::new(AtomicBool::new(false)));
    let flag = stop.0.clone();
    let (held, result) = on_thread(op.offload || cx.offload, move || {
        db::bulk_insert(&path, rows, transaction, &flag).map_err(|e| format!("insert failed: {e}"))
    })
    .await;
    drop(stop);
    cx.rec.blocked(id, held);
    match result? {
        n if n == rows => Ok(()),
        n => Err(format!("stopped after {n} of {rows} rows")),
    }
}
