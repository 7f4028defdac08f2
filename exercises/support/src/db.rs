//! An in-memory database with two drivers.
//!
//! * [`SyncDriver`] blocks the calling thread for every query, like
//!   `psycopg2` or `sqlite3` (or `rusqlite`, `diesel` in Rust). Fine in a
//!   thread, wrong on the async runtime: call it through `spawn_blocking`.
//! * [`AsyncDriver`] waits on the (virtual) clock, like `asyncpg` or `sqlx`.
//!   It has autocommit inserts and explicit transactions, and counts commits,
//!   so a test can see whether 100 inserts were 100 commits or one.
//!
//! Both drivers share the same rows; both are cheap to clone.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::home::Home;

use crate::ServiceError;

/// Real time one sync query blocks its thread.
pub const SYNC_QUERY: Duration = Duration::from_millis(30);
/// Virtual time of one async query or autocommit statement (before commit).
pub const ASYNC_QUERY: Duration = Duration::from_millis(20);
/// Virtual time of one commit (the fsync).
pub const COMMIT: Duration = Duration::from_millis(20);
/// Virtual time of one insert inside an open transaction.
pub const TX_INSERT: Duration = Duration::from_millis(1);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: u32,
    pub name: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DbStats {
    pub queries: usize,
    pub commits: usize,
    pub rollbacks: usize,
    pub transactions: usize,
}

#[derive(Debug, Default)]
struct State {
    rows: BTreeMap<u32, Row>,
    stats: DbStats,
}

#[derive(Debug, Clone, Default)]
pub struct Db {
    state: Arc<Mutex<State>>,
    home: Home,
}

impl Db {
    pub fn new() -> Self {
        Self::default()
    }

    /// A database that already holds `rows`.
    pub fn with_rows(rows: impl IntoIterator<Item = Row>) -> Self {
        let db = Db::new();
        db.state.lock().unwrap().rows.extend(rows.into_iter().map(|r| (r.id, r)));
        db
    }

    pub fn sync_driver(&self) -> SyncDriver {
        SyncDriver { db: self.clone() }
    }

    pub fn async_driver(&self) -> AsyncDriver {
        AsyncDriver { db: self.clone() }
    }

    pub fn stats(&self) -> DbStats {
        self.state.lock().unwrap().stats
    }

    pub fn rows(&self) -> Vec<Row> {
        self.state.lock().unwrap().rows.values().cloned().collect()
    }

    // The lock is never held across an await: each helper takes it, does its
    // work, and lets go.
    fn get(&self, id: u32) -> Option<Row> {
        let mut state = self.state.lock().unwrap();
        state.stats.queries += 1;
        state.rows.get(&id).cloned()
    }

    fn count(&self) -> usize {
        let mut state = self.state.lock().unwrap();
        state.stats.queries += 1;
        state.rows.len()
    }

    fn commit(&self, rows: Vec<Row>) -> Result<(), ServiceError> {
        let mut state = self.state.lock().unwrap();
        state.stats.commits += 1;
        if let Some(dup) = rows.iter().find(|r| state.rows.contains_key(&r.id)) {
            return Err(ServiceError::Unavailable(format!("duplicate id {}", dup.id)));
        }
        state.rows.extend(rows.into_iter().map(|r| (r.id, r)));
        Ok(())
    }
}

/// Blocking driver: every call holds the calling thread for [`SYNC_QUERY`].
#[derive(Debug, Clone)]
pub struct SyncDriver {
    db: Db,
}

impl SyncDriver {
    pub fn get_user(&self, id: u32) -> Option<Row> {
        crate::grade::block_thread(SYNC_QUERY);
        self.db.get(id)
    }

    pub fn count_users(&self) -> usize {
        crate::grade::block_thread(SYNC_QUERY);
        self.db.count()
    }
}

/// Async driver: waits on tokio's clock.
#[derive(Debug, Clone)]
pub struct AsyncDriver {
    db: Db,
}

impl AsyncDriver {
    pub async fn get_user(&self, id: u32) -> Option<Row> {
        self.db.home.wait("get_user", ASYNC_QUERY).await;
        self.db.get(id)
    }

    pub async fn count_users(&self) -> usize {
        self.db.home.wait("count_users", ASYNC_QUERY).await;
        self.db.count()
    }

    /// Autocommit insert: one statement plus one commit.
    pub async fn insert(&self, row: Row) -> Result<(), ServiceError> {
        self.db.home.wait("insert", ASYNC_QUERY + COMMIT).await;
        self.db.state.lock().unwrap().stats.queries += 1;
        self.db.commit(vec![row])
    }

    /// Open a transaction. Inserts inside it are cheap; [`Transaction::commit`]
    /// applies them all at once. Dropping it without commit rolls back.
    pub async fn begin(&self) -> Transaction {
        self.db.home.wait("begin", ASYNC_QUERY).await;
        self.db.state.lock().unwrap().stats.transactions += 1;
        Transaction { db: self.db.clone(), pending: Vec::new(), finished: false }
    }
}

#[derive(Debug)]
pub struct Transaction {
    db: Db,
    pending: Vec<Row>,
    finished: bool,
}

impl Transaction {
    pub async fn insert(&mut self, row: Row) {
        self.db.home.wait("insert", TX_INSERT).await;
        self.db.state.lock().unwrap().stats.queries += 1;
        self.pending.push(row);
    }

    /// Apply every insert at once (all or nothing).
    pub async fn commit(mut self) -> Result<(), ServiceError> {
        self.db.home.wait("commit", COMMIT).await;
        self.finished = true;
        self.db.commit(std::mem::take(&mut self.pending))
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        // Like SQLAlchemy's session: no commit means rollback. Drop cannot
        // await, but rolling back an in-memory buffer needs no waiting.
        if !self.finished {
            self.db.state.lock().unwrap().stats.rollbacks += 1;
        }
    }
}
