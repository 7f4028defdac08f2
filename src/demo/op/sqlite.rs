//! The SQLite ops: rusqlite, a synchronous driver, called from async code.
//!
//! Called inline, every rusqlite call holds the runtime thread until SQLite returns: on a
//! current-thread runtime no other task moves meanwhile (a sync driver inside `async def`).
//! `offload = true` (or the `offload` strategy) runs it on `spawn_blocking` instead, asyncio's
//! `run_in_executor`. An async driver such as sqlx does that hand-off for you.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crate::demo::ctx::Ctx;
use crate::demo::model::Op;
use crate::io::db;

/// Runs `work` inline or on the blocking pool, and says how long it held its thread.
async fn run_blocking<T: Send + 'static>(
    offload: bool,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> (Duration, Result<T, String>) {
    let timed = move || {
        let t = Instant::now();
        let result = work();
        (t.elapsed(), result)
    };
    if offload {
        match tokio::task::spawn_blocking(timed).await {
            Ok(done) => done,
            Err(e) => (
                Duration::ZERO,
                Err(format!("the offloaded query failed: {e}")),
            ),
        }
    } else {
        timed()
    }
}

/// `sqlite`: a query that keeps SQLite busy for `ms` (see [`db::query_for`]).
pub(super) async fn query(cx: &Arc<Ctx>, id: u32, ms: u64, offload: bool) -> Result<(), String> {
    let lab = &cx.io.as_ref().ok_or("this demo run has no database")?.lab;
    let path = lab.db()?.path();
    let d = cx.scaled(ms);
    let (held, result) = run_blocking(offload || cx.offload, move || {
        let conn = db::open(&path).map_err(|e| format!("cannot open the database: {e}"))?;
        db::query_for(&conn, d).map_err(|e| format!("the query failed: {e}"))
    })
    .await;
    cx.rec.blocked(id, held);
    result.map(|_| ())
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
pub(super) async fn bulk(cx: &Arc<Ctx>, id: u32) -> Result<(), String> {
    let Op::SqliteBulk {
        rows,
        transaction,
        offload,
        ..
    } = cx.plan.op(id)
    else {
        return Err("not a sqlite_bulk task".into());
    };
    let (rows, transaction) = (*rows, *transaction);
    let session = cx.io.as_ref().ok_or("this demo run has no database")?;
    let path = session
        .lab
        .db()?
        .scratch(&format!("bulk-r{}-t{id}", session.run));
    let stop = StopOnDrop(Arc::new(AtomicBool::new(false)));
    let flag = stop.0.clone();
    let (held, result) = run_blocking(*offload || cx.offload, move || {
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
