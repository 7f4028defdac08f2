//! Exercise 10: databases.
//!
//! Three database habits from FastAPI projects, in tokio:
//! 1. a synchronous driver (psycopg2, sqlite3; in Rust rusqlite, diesel)
//!    must not run on the async runtime: offload it;
//! 2. many inserts belong in ONE transaction: one commit instead of N, and
//!    all or nothing;
//! 3. code talks to a repository trait, so tests can swap the database for
//!    an in-memory stub;
//! 4. the same two habits on the real thing: rusqlite on a SQLite file.
//!
//! Read README.md, then make the tests pass: `asyncwork check 10_databases`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;

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

// ----- 4. the real thing: rusqlite on a SQLite file -----------------------
//
// The database is a file at `db` with one table:
//     CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)
// rusqlite is a synchronous driver, like Python's sqlite3: every call holds
// the calling thread until SQLite is done, including the time it waits for
// another writer to let go of the file.

/// Open the database file (nothing to change here). rusqlite waits up to
/// 5 s for another connection's lock instead of failing with "database is
/// locked" at once: on the runtime's thread, that wait blocks every task.
pub fn open(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The users whose name starts with `prefix`, in id order, read with
/// rusqlite without blocking the runtime.
///
/// TODO: this runs rusqlite on the runtime's thread. Run the whole job (open,
/// query, read the rows) with `tokio::task::spawn_blocking`: one connection
/// per blocking job. The closure must own what it uses: a `PathBuf`, a
/// `String`.
pub async fn find_users(db: &Path, prefix: &str) -> rusqlite::Result<Vec<Row>> {
    let conn = open(db)?;
    let mut query = conn.prepare("SELECT id, name FROM users WHERE substr(name, 1, length(?1)) = ?1 ORDER BY id")?;
    let rows = query.query_map([prefix], |r| Ok(Row { id: r.get(0)?, name: r.get(1)? }))?;
    rows.collect()
}

/// Insert every row into `users` in ONE transaction (one commit, all or
/// nothing), without blocking the runtime.
///
/// TODO: one autocommit INSERT per row: one commit (and one fsync) per row,
/// and a failure halfway leaves the first rows behind. It also runs on the
/// runtime's thread. Use `conn.transaction()?`, insert through the
/// transaction, `tx.commit()`, all inside `spawn_blocking`.
pub async fn insert_users(db: &Path, rows: Vec<Row>) -> rusqlite::Result<()> {
    let conn = open(db)?;
    for row in &rows {
        conn.execute("INSERT INTO users (id, name) VALUES (?1, ?2)", (row.id, &row.name))?;
    }
    Ok(())
}
