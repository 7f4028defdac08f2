//! rusqlite on a temporary database: a synchronous driver, like Python's `sqlite3`.
//!
//! Every call into rusqlite holds the calling thread until SQLite is done. Inside an async task
//! on the runtime's thread that is the blocking pitfall (a sync driver in `async def`); the fix is
//! `spawn_blocking` (`run_in_executor`), or an async driver (sqlx) that does the same inside.
//!
//! The slow query is real SQL work, not a sleep: a recursive CTE that counts to N. N comes from a
//! one-time calibration (how many rows this machine counts per millisecond), so a lesson can ask
//! for "a 300 ms query" and get about that on any machine.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// Most rows one bulk insert may write.
pub const MAX_ROWS: u32 = 10_000;

/// A database in a temporary directory, deleted when dropped, or when a signal stops asyncwork
/// first (`crate::cleanup`; a killed demo used to leave it behind with a hot journal). Tasks open
/// their own connections (a `rusqlite::Connection` is `Send` but not `Sync`: one per thread).
pub struct Db {
    dir: crate::cleanup::TempDir,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({})", self.dir.path().display())
    }
}

impl Db {
    pub fn create() -> std::io::Result<Db> {
        let dir = crate::cleanup::TempDir::new("asyncwork-db-")?;
        Ok(Db { dir })
    }

    /// The main database file (`demo.db`).
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("demo.db")
    }

    /// A database file of its own for `name` (bulk inserts running at once do not wait for each
    /// other's write locks).
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.db"))
    }
}

/// Opens `path` (creating it), waiting up to 5 s for another writer's lock rather than failing
/// with "database is locked" at once.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// The slow query: counts from 1 to `rows` with a recursive CTE and returns the sum.
pub fn count_to(conn: &Connection, rows: u64) -> rusqlite::Result<u64> {
    let sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?1) \
               SELECT sum(x) FROM n";
    let rows = i64::try_from(rows.max(1)).unwrap_or(i64::MAX);
    conn.query_row(sql, [rows], |r| r.get::<_, i64>(0))
        .map(|s| s as u64)
}

/// Rows [`count_to`] gets through per millisecond on this machine: the fastest of five timed
/// runs (the least disturbed by other work), measured once per process.
pub fn rows_per_ms() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        const SAMPLE: u64 = 100_000;
        let Ok(conn) = Connection::open_in_memory() else {
            return 5_000.0;
        };
        let best = (0..5)
            .filter_map(|_| {
                let t = Instant::now();
                count_to(&conn, SAMPLE).ok()?;
                Some(t.elapsed())
            })
            .min()
            .unwrap_or(Duration::from_millis(20));
        SAMPLE as f64 / (best.as_secs_f64() * 1000.0).max(0.001)
    })
}

/// How many rows make [`count_to`] take about `d`.
pub fn rows_for(d: Duration) -> u64 {
    ((d.as_secs_f64() * 1000.0 * rows_per_ms()) as u64).max(1)
}

/// The longest one [`count_to`] of [`query_for`] should take.
const CHUNK: Duration = Duration::from_millis(5);

/// A slow query that holds its thread for `d` of real time whatever the machine's load: the
/// recursive CTE, sized to about 5 ms by the calibration, run again until `d` has passed. One
/// CTE sized for all of `d` would be off by as much as the load changed since the calibration
/// (a calibration on a busy moment makes every later query short). Returns the queries run.
pub fn query_for(conn: &Connection, d: Duration) -> rusqlite::Result<u64> {
    let rows = rows_for(CHUNK.min(d));
    let start = Instant::now();
    let mut queries = 0;
    loop {
        count_to(conn, rows)?;
        queries += 1;
        if start.elapsed() >= d {
            return Ok(queries);
        }
    }
}

/// Inserts `rows` rows into a fresh table of the database at `path`: each in its own implicit
/// transaction (every insert is a commit: a journal written and synced), or all in one.
/// Checks `cancelled` between rows: work on `spawn_blocking` cannot be aborted from outside, so
/// it has to look for itself. Returns the rows written.
pub fn bulk_insert(
    path: &Path,
    rows: u32,
    transaction: bool,
    cancelled: &AtomicBool,
) -> rusqlite::Result<u32> {
    let mut conn = open(path)?;
    conn.execute_batch(
        "DROP TABLE IF EXISTS items; \
         CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    )?;
    let sql = "INSERT INTO items (name) VALUES (?1)";
    let mut written = 0;
    if transaction {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare(sql)?;
            for i in 0..rows {
                if cancelled.load(Relaxed) {
                    break;
                }
                insert.execute([format!("item {i}")])?;
                written += 1;
            }
        }
        tx.commit()?;
    } else {
        let mut insert = conn.prepare(sql)?;
        for i in 0..rows {
            if cancelled.load(Relaxed) {
                break;
            }
            insert.execute([format!("item {i}")])?;
            written += 1;
        }
    }
    Ok(written)
}

/// What one commit and one row inside a transaction cost on this machine's temporary directory,
/// in ms, measured once per process.
#[derive(Debug, Clone, Copy)]
pub struct BulkCosts {
    pub per_commit_ms: f64,
    pub per_row_ms: f64,
}

impl BulkCosts {
    /// The expected time of [`bulk_insert`].
    pub fn estimate_ms(&self, rows: u32, transaction: bool) -> f64 {
        if transaction {
            self.per_commit_ms + f64::from(rows) * self.per_row_ms
        } else {
            f64::from(rows) * self.per_commit_ms
        }
    }
}

/// Measures [`BulkCosts`] with 50 commits and 2,000 rows in one transaction.
pub fn bulk_costs() -> BulkCosts {
    static COSTS: OnceLock<BulkCosts> = OnceLock::new();
    *COSTS.get_or_init(|| {
        let fallback = BulkCosts {
            per_commit_ms: 0.1,
            per_row_ms: 0.002,
        };
        let Ok(db) = Db::create() else {
            return fallback;
        };
        let never = AtomicBool::new(false);
        let time = |rows, tx| {
            let t = Instant::now();
            bulk_insert(&db.scratch("calibrate"), rows, tx, &never).ok()?;
            Some(t.elapsed().as_secs_f64() * 1000.0)
        };
        match (time(50, false), time(2_000, true)) {
            (Some(each), Some(one)) => BulkCosts {
                per_commit_ms: each / 50.0,
                per_row_ms: one / 2_000.0,
            },
            _ => fallback,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slow_query_counts_and_is_calibrated() {
        let conn = Connection::open_in_memory().unwrap();
        assert_eq!(count_to(&conn, 100).unwrap(), 5050);
        assert!(rows_per_ms() > 0.0);
        assert!(rows_for(Duration::from_millis(10)) >= 1);
    }

    #[test]
    fn a_timed_query_holds_its_thread_at_least_that_long() {
        let conn = Connection::open_in_memory().unwrap();
        let t = Instant::now();
        let queries = query_for(&conn, Duration::from_millis(30)).unwrap();
        assert!(t.elapsed() >= Duration::from_millis(30));
        assert!(queries >= 1);
        // Zero still runs one (small) query: the op always touches the database.
        assert_eq!(query_for(&conn, Duration::ZERO).unwrap(), 1);
    }

    #[test]
    fn bulk_inserts_write_every_row_or_stop_when_cancelled() {
        let db = Db::create().unwrap();
        let no = AtomicBool::new(false);
        assert_eq!(bulk_insert(&db.scratch("a"), 20, false, &no).unwrap(), 20);
        assert_eq!(bulk_insert(&db.scratch("b"), 20, true, &no).unwrap(), 20);
        let n: i64 = open(&db.scratch("b"))
            .unwrap()
            .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 20);
        let yes = AtomicBool::new(true);
        assert_eq!(bulk_insert(&db.scratch("c"), 20, false, &yes).unwrap(), 0);
    }

    #[test]
    fn database_errors_are_errors() {
        let db = Db::create().unwrap();
        // A directory is not a database file.
        assert!(open(db.dir.path()).and_then(|c| count_to(&c, 5)).is_err());
    }
}
