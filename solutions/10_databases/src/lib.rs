//! Exercise 10: databases (solution).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;

use support::ServiceError;
use support::db::{AsyncDriver, Row, SyncDriver};

// ----- 1. a sync driver in async code -----------------------------------

/// The blocking lookup, moved to the blocking pool.
pub async fn get_user_offloaded(driver: &SyncDriver, id: u32) -> Option<Row> {
    // The closure must own what it uses (`'static`): the driver is a cheap
    // clonable handle. With a real sync driver you would usually keep a small
    // pool of connections, each used by one blocking job at a time.
    //
    // Better still, when one exists: an async driver (sqlx, tokio-postgres),
    // as asyncpg replaces psycopg2. Offloading is the bridge for libraries
    // that have no async version (or for SQLite, where sync is often fine
    // *off* the runtime).
    let driver = driver.clone();
    tokio::task::spawn_blocking(move || driver.get_user(id))
        .await
        .expect("the database lookup panicked")
}

// ----- 2. bulk inserts ----------------------------------------------------

/// One transaction, one commit, all or nothing.
pub async fn bulk_insert(driver: &AsyncDriver, rows: Vec<Row>) -> Result<(), ServiceError> {
    let mut tx = driver.begin().await;
    for row in rows {
        tx.insert(row).await;
    }
    // If commit fails (or this future is cancelled before it), nothing is
    // applied: `Transaction`'s Drop rolls back, like SQLAlchemy's
    // `async with session.begin():`. One commit also means one fsync instead
    // of twenty, which is where most of the time went.
    tx.commit().await
}

// ----- 3. a repository trait and two implementations ----------------------

/// Data access for users.
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
        self.driver.get_user(id).await
    }

    async fn add(&self, row: Row) -> Result<(), ServiceError> {
        self.driver.insert(row).await
    }
}

/// The stub for tests: a map in memory, no latency.
#[derive(Default)]
pub struct InMemoryUserRepository {
    // A std Mutex is right here: it is held for a map operation and never
    // across an `.await`. (tokio's Mutex is for the rare case where a lock
    // must be held while awaiting.)
    rows: Mutex<HashMap<u32, Row>>,
}

impl InMemoryUserRepository {
    pub fn new() -> Self {
        Self::default()
    }
}

impl UserRepository for InMemoryUserRepository {
    async fn get(&self, id: u32) -> Option<Row> {
        self.rows.lock().unwrap().get(&id).cloned()
    }

    async fn add(&self, row: Row) -> Result<(), ServiceError> {
        // Mirror the real database's rules (duplicate ids fail), or tests
        // on the stub prove less than they seem to.
        match self.rows.lock().unwrap().entry(row.id) {
            Entry::Occupied(_) => Err(ServiceError::Unavailable(format!("duplicate id {}", row.id))),
            Entry::Vacant(slot) => {
                slot.insert(row);
                Ok(())
            }
        }
    }
}

/// Business logic, written once against the trait.
pub async fn register_user<R: UserRepository>(repo: &R, id: u32, name: &str) -> Result<Row, ServiceError> {
    if repo.get(id).await.is_some() {
        return Err(ServiceError::Unavailable(format!("user id {id} is taken")));
    }
    let row = Row { id, name: name.to_string() };
    repo.add(row.clone()).await?;
    Ok(row)
}

// ----- 4. the real thing: rusqlite on a SQLite file -----------------------

/// Open the database file, waiting up to 5 s for another connection's lock.
pub fn open(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The query, whole, on the blocking pool.
pub async fn find_users(db: &Path, prefix: &str) -> rusqlite::Result<Vec<Row>> {
    // One connection per blocking job: opening a SQLite file takes
    // microseconds, and a job that owns its connection shares nothing, so
    // there is no lock to hold and nothing to hand back. The closure owns
    // its inputs (`'static`): a PathBuf and a String, not borrows.
    //
    // The alternative keeps one connection and moves it in and out:
    // `spawn_blocking(move || { let r = query(&conn); (conn, r) })`. Worth it
    // when opening is expensive (a server across the network) or per-
    // connection state matters (prepared statements, PRAGMAs); a pool
    // (deadpool, r2d2) does that for many tasks at once.
    let (db, prefix) = (db.to_path_buf(), prefix.to_string());
    tokio::task::spawn_blocking(move || {
        let conn = open(&db)?;
        let mut query =
            conn.prepare("SELECT id, name FROM users WHERE substr(name, 1, length(?1)) = ?1 ORDER BY id")?;
        let rows = query.query_map([&prefix], |r| Ok(Row { id: r.get(0)?, name: r.get(1)? }))?;
        rows.collect()
    })
    .await
    .expect("the query panicked")
}

/// One transaction, one commit, on the blocking pool.
pub async fn insert_users(db: &Path, rows: Vec<Row>) -> rusqlite::Result<()> {
    let db = db.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut conn = open(&db)?;
        // `transaction()` is BEGIN; dropping `tx` without `commit` is
        // ROLLBACK, so an error (a duplicate id) halfway stores nothing:
        // the `?` below returns early and the drop rolls back.
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO users (id, name) VALUES (?1, ?2)")?;
            for row in &rows {
                insert.execute((row.id, &row.name))?;
            }
        }
        // One commit: one journal write and fsync for all the rows, instead
        // of one per row (SQLAlchemy's `async with session.begin():`).
        tx.commit()
    })
    .await
    .expect("the insert panicked")
}
