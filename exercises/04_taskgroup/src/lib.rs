//! Exercise 04: task groups.
//!
//! Python 3.11's `asyncio.TaskGroup` runs tasks together and, when one fails,
//! cancels the others. tokio's nearest tool is `tokio::task::JoinSet`: a set
//! of spawned tasks you can await one by one (`join_next`), abort together
//! (`abort_all`), and that aborts whatever is left when it is dropped.
//!
//! Read README.md, then make the tests pass: `asyncwork check 04_taskgroup`.

use support::ServiceError;
use support::world::World;

/// Create every table, each in its own task. If one fails, cancel the others
/// and return that error at once. On success return how many were created.
///
/// TODO: correct but sequential (and the later tables never even start when
/// an early one fails). Spawn one task per table into a `JoinSet`.
pub async fn initialize_tables(world: &World, names: &[&str]) -> Result<usize, ServiceError> {
    for name in names {
        world.create_table(name).await?;
    }
    Ok(names.len())
}

/// Create every table concurrently and let them all finish; return every
/// failure as `(table name, error)`, in the order of `names`. (There is no
/// `ExceptionGroup` in Rust: collecting the errors is up to you.)
///
/// TODO: implement.
pub async fn initialize_tables_collecting_errors(
    world: &World,
    names: &[&str],
) -> Vec<(String, ServiceError)> {
    let _ = (world, names);
    todo!("run every create_table concurrently and collect the failures")
}

/// Write `line` to the audit log in the background and return at once,
/// without waiting for the write (fire and forget).
///
/// TODO: implement.
pub fn audit_in_background(world: &World, line: &str) {
    let _ = (world, line);
    todo!("spawn the audit write and let it run on its own")
}
