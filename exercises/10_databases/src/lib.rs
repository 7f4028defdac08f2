//! Exercise 10: databases.
//!
//! Three database habits from FastAPI projects, in tokio:
//! 1. a synchronous driver (psycopg2, sqlite3; in Rust rusqlite, diesel)
//!    must not run on the async runtime: offload it;
//! 2. many inserts belong in ONE transaction: one commit instead of N, and
//!    all or nothing;
//! 3. code talks to a repository trait, so tests can swap the database for
//!    an in-memory stub.
//!
//! Read README.md, then make the tests pass: `asyncwork check 10_databases`.

use std::collections::HashMap;
use std::sync::Mutex;

use support::ServiceError;
use support::db::{AsyncDriver, Row, SyncDriver};

// ----- 1. a sync driver in async code -----------------------------------

/// Look user `id` up with the blocking driver, without blocking the runtime.
///
/// TODO: `get_user` blocks the thread for 30 ms. Offload it.
pub async fn get_user_offloaded(driver: &SyncDriver, id: u32) -> Option<Row> {
    driver.get_user(id)
}

// ----- 2. bulk inserts ----------------------------------------------------

/// Insert every row in one transaction: one commit, all or nothing (if any
/// row fails, none is stored).
///
/// TODO: one autocommit insert per row: N commits, and a failure halfway
/// leaves half the rows behind. Use `driver.begin()`, `tx.insert`,
/// `tx.commit()`.
pub async fn bulk_insert(driver: &AsyncDriver, rows: Vec<Row>) -> Result<(), ServiceError> {
    for row in rows {
        driver.insert(row).await?;
    }
    Ok(())
}

// ----- 3. a repository trait and two implementations ----------------------

/// Data access for users. Business code depends on this trait, not on a
/// particular database.
///
/// (`async fn` in a public trait triggers a lint because callers cannot
/// require the returned futures to be `Send`; fine for this workbook. For
/// spawnable futures, write `fn get(..) -> impl Future<Output = ..> + Send`.)
#[allow(async_fn_in_trait)]
pub trait UserRepository {
    async fn get(&self, id: u32) -> Option<Row>;
    /// Fails if the id is taken.
    async fn add(&self, row: Row) -> Result<(), ServiceError>;
}

/// The real thing, on the async driver.
pub struct DbUserRepository {
    driver: AsyncDriver,
}

impl DbUserRepository {
    pub fn new(driver: AsyncDriver) -> Self {
        DbUserRepository { driver }
    }
}

impl UserRepository for DbUserRepository {
    async fn get(&self, id: u32) -> Option<Row> {
        // TODO: use the driver.
        let _ = (&self.driver, id);
        todo!()
    }

    async fn add(&self, row: Row) -> Result<(), ServiceError> {
        // TODO: use the driver.
        let _ = row;
        todo!()
    }
}

/// The stub for tests: a map in memory, no latency.
#[derive(Default)]
pub struct InMemoryUserRepository {
    rows: Mutex<HashMap<u32, Row>>,
}

impl InMemoryUserRepository {
    pub fn new() -> Self {
        Self::default()
    }
}

impl UserRepository for InMemoryUserRepository {
    async fn get(&self, id: u32) -> Option<Row> {
        // TODO: look in `self.rows`.
        let _ = (&self.rows, id);
        todo!()
    }

    async fn add(&self, row: Row) -> Result<(), ServiceError> {
        // TODO: insert into `self.rows`; an existing id is an error, as in the
        // real database.
        let _ = row;
        todo!()
    }
}

/// Business logic, written once against the trait (nothing to change here).
pub async fn register_user<R: UserRepository>(repo: &R, id: u32, name: &str) -> Result<Row, ServiceError> {
    if repo.get(id).await.is_some() {
        return Err(ServiceError::Unavailable(format!("user id {id} is taken")));
    }
    let row = Row { id, name: name.to_string() };
    repo.add(row.clone()).await?;
    Ok(row)
}
