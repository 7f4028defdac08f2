//! Grading tests for 10_databases. The first part runs on the paused clock against the
//! simulated database; the last part (`real_*`) uses rusqlite on a SQLite file in a temporary
//! directory, on the real clock.

use std::path::{Path, PathBuf};
use std::time::Duration;

use support::grade::watched;
use ex10_databases::{
    bulk_insert, find_users, get_user_offloaded, insert_users, register_user, DbUserRepository,
    InMemoryUserRepository, UserRepository,
};
use support::scratch::{run_token, TempDir};
use support::ServiceError;
use support::db::{Db, Row};
use support::grade::{expect_not_blocked, expect_simulated, measure, watch_blocking};

fn row(id: u32, name: &str) -> Row {
    Row { id, name: name.to_string() }
}

fn rows(n: u32) -> Vec<Row> {
    (1..=n).map(|id| row(id, &format!("user{id}"))).collect()
}

#[tokio::test(start_paused = true)]
async fn offloaded_lookup_finds_the_user_without_blocking() {
    watched(async {
        let db = Db::with_rows([row(1, "Ada"), row(2, "Grace")]);
        let driver = db.sync_driver();
        let (found, blocking) = watch_blocking(get_user_offloaded(&driver, 2)).await;
        expect_not_blocked(&blocking, "call the sync driver inside tokio::task::spawn_blocking");
        assert!(found == Some(row(2, "Grace")), "user 2 should be Grace, got {found:?}");
        let queries = db.stats().queries;
        assert!(queries == 1, "{queries} queries reached the database for one lookup; call driver.get_user once");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn offloaded_lookup_of_a_missing_user_is_none() {
    watched(async {
        let db = Db::with_rows([row(1, "Ada")]);
        let found = get_user_offloaded(&db.sync_driver(), 9).await;
        assert!(found.is_none(), "user 9 does not exist, got {found:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bulk_insert_uses_one_transaction_and_one_commit() {
    watched(async {
        let db = Db::new();
        let run = measure(bulk_insert(&db.async_driver(), rows(20))).await;
        assert!(run.output.is_ok(), "inserting 20 new rows should succeed, got {:?}", run.output);
        assert!(db.rows() == rows(20), "all 20 rows should be stored");
        let stats = db.stats();
        assert!(
            stats.commits == 1 && stats.transactions == 1,
            "made {} commit(s) in {} transaction(s); wrap the inserts in one transaction (driver.begin(), tx.commit())",
            stats.commits,
            stats.transactions
        );
        // begin (20) + 20 inserts (1 each) + commit (20)
        expect_simulated(run.simulated, 60, "insert inside one transaction and commit once");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bulk_insert_is_all_or_nothing() {
    watched(async {
        let db = Db::with_rows([row(5, "already here")]);
        let result = bulk_insert(&db.async_driver(), rows(10)).await;
        assert!(
            matches!(result, Err(ServiceError::Unavailable(_))),
            "row 5 exists, so the bulk insert should fail; got {result:?}"
        );
        let stored = db.rows();
        assert!(
            stored == [row(5, "already here")],
            "a failed bulk insert must store nothing, but the table now holds {} rows; use one transaction",
            stored.len()
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bulk_insert_of_nothing_is_fine() {
    watched(async {
        let db = Db::new();
        let result = bulk_insert(&db.async_driver(), Vec::new()).await;
        assert!(result.is_ok(), "no rows should be Ok, got {result:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn db_repository_reads_and_writes_the_database() {
    watched(async {
        let db = Db::with_rows([row(1, "Ada")]);
        let repo = DbUserRepository::new(db.async_driver());
        assert!(repo.get(1).await == Some(row(1, "Ada")), "get(1) should find Ada");
        assert!(repo.get(2).await.is_none(), "get(2) should be None");
        let added = repo.add(row(2, "Grace")).await;
        assert!(added.is_ok(), "adding a new id should work, got {added:?}");
        assert!(db.rows().contains(&row(2, "Grace")), "the row should be in the database after add");
        let dup = repo.add(row(1, "Again")).await;
        assert!(dup.is_err(), "adding an existing id should fail, got {dup:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_in_memory_stub_behaves_like_the_database() {
    watched(async {
        let repo = InMemoryUserRepository::new();
        assert!(repo.get(1).await.is_none(), "a new stub is empty");
        let added = repo.add(row(1, "Ada")).await;
        assert!(added.is_ok(), "adding to an empty stub should work, got {added:?}");
        assert!(repo.get(1).await == Some(row(1, "Ada")), "get(1) should find Ada after add");
        let dup = repo.add(row(1, "Again")).await;
        assert!(dup.is_err(), "adding an existing id should fail like the database does, got {dup:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn business_logic_runs_on_both_repositories() {
    watched(async {
        let stub = InMemoryUserRepository::new();
        let run = measure(register_user(&stub, 7, "Ken")).await;
        assert!(run.output == Ok(row(7, "Ken")), "registering on the stub should work, got {:?}", run.output);
        assert!(run.simulated.is_zero(), "the stub should answer at once (no sleeping): that is what makes tests with it fast");
        assert!(register_user(&stub, 7, "Ken").await.is_err(), "registering an id twice should fail on the stub");

        let db = Db::new();
        let repo = DbUserRepository::new(db.async_driver());
        let out = register_user(&repo, 7, "Ken").await;
        assert!(out == Ok(row(7, "Ken")), "registering on the database should work, got {out:?}");
        assert!(register_user(&repo, 7, "Ken").await.is_err(), "registering an id twice should fail on the database");
    })
    .await
}

// ----- the real part: rusqlite on a SQLite file, on the real clock ----------

/// How long another writer holds the database in the tests that check for blocking. A query
/// waits for it (rusqlite's busy timeout): on the runtime's thread, that wait blocks every task
/// for about this long, far above the watchdog's threshold; on the blocking pool, nobody notices.
const LOCK_HELD: Duration = Duration::from_millis(200);

/// A database file `users.db` in `dir` whose `users` table holds `rows`.
fn real_db(dir: &TempDir, rows: &[Row]) -> PathBuf {
    let path = dir.join("users.db");
    let mut conn = rusqlite::Connection::open(&path).expect("create the test database");
    conn.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").unwrap();
    let tx = conn.transaction().unwrap();
    for r in rows {
        tx.execute("INSERT INTO users (id, name) VALUES (?1, ?2)", (r.id, &r.name)).unwrap();
    }
    tx.commit().unwrap();
    path
}

/// What the file holds now, read by a connection of the test's own.
fn stored(path: &Path) -> Vec<Row> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut q = conn.prepare("SELECT id, name FROM users ORDER BY id").unwrap();
    q.query_map([], |r| Ok(Row { id: r.get(0)?, name: r.get(1)? })).unwrap().map(Result::unwrap).collect()
}

/// SQLite's own count of committed write transactions: the "file change counter", 4 bytes
/// big-endian at offset 24 of the database header. In SQLite's default (rollback journal) mode
/// every commit that changed the file adds one, whichever connection made it.
fn commits_so_far(path: &Path) -> u32 {
    use std::io::Read;
    let mut header = [0u8; 28];
    std::fs::File::open(path).unwrap().read_exact(&mut header).unwrap();
    u32::from_be_bytes([header[24], header[25], header[26], header[27]])
}

/// Another connection takes the database (`BEGIN EXCLUSIVE`) on a thread of its own and lets go
/// after `hold`. Returns once the lock is taken.
fn another_writer_holds(path: &Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let (taken, is_taken) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    let writer = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        taken.send(()).unwrap();
        std::thread::sleep(hold);
        conn.execute_batch("ROLLBACK").unwrap();
    });
    is_taken.recv().expect("the other writer took the lock");
    writer
}

/// People whose names carry this run's token: a list written into the code cannot match.
fn people(token: &str) -> Vec<Row> {
    ["Ada", "Alan", "Grace", "O'Brien", "Ole", "Adele"]
        .iter()
        .enumerate()
        .map(|(i, name)| row(i as u32 + 1, &format!("{name} {token}")))
        .collect()
}

#[tokio::test]
async fn real_query_runs_off_the_runtime() {
    let dir = TempDir::new("ex10").unwrap();
    let token = run_token();
    let path = real_db(&dir, &people(&token));
    let writer = another_writer_holds(&path, LOCK_HELD);
    watched(async {
        let (found, blocking) = watch_blocking(find_users(&path, "Gr")).await;
        expect_not_blocked(
            &blocking,
            "another connection held the database for 200 ms, and your rusqlite call waited for it \
             on the runtime's thread. Run the whole job (open, query, collect the rows) inside \
             tokio::task::spawn_blocking and .await its handle",
        );
        let found = found.expect("the query should succeed once the other writer lets go");
        assert!(found == [row(3, &format!("Grace {token}"))], "prefix \"Gr\" should find Grace (id 3), got {found:?}");
    })
    .await;
    writer.join().unwrap();
}

#[tokio::test]
async fn real_query_finds_the_matching_users_in_id_order() {
    let dir = TempDir::new("ex10").unwrap();
    let token = run_token();
    let all = people(&token);
    let path = real_db(&dir, &all);
    watched(async {
        for (prefix, ids) in [("A", vec![1, 2, 6]), ("Ad", vec![1, 6]), ("O'", vec![4]), ("Zed", vec![])] {
            let found = find_users(&path, prefix).await;
            let expected: Vec<Row> = all.iter().filter(|r| ids.contains(&r.id)).cloned().collect();
            assert!(
                found.as_ref().is_ok_and(|f| *f == expected),
                "find_users(\"{prefix}\") should return {expected:?} (read from the file, in id order), got \
                 {found:?}. Pass the prefix as a parameter (?1), never format it into the SQL"
            );
        }
    })
    .await
}

#[tokio::test]
async fn real_bulk_insert_commits_once() {
    let dir = TempDir::new("ex10").unwrap();
    let path = real_db(&dir, &[]);
    let token = run_token();
    let new: Vec<Row> = (1..=200).map(|id| row(id, &format!("user{id} {token}"))).collect();
    let before = commits_so_far(&path);
    watched(async {
        let result = insert_users(&path, new.clone()).await;
        assert!(result.is_ok(), "inserting 200 new rows should succeed, got {result:?}");
        assert!(stored(&path) == new, "the file should hold the 200 rows inserted");
        let commits = commits_so_far(&path).wrapping_sub(before);
        assert!(
            commits == 1,
            "SQLite counted {commits} commits for 200 rows: each INSERT outside a transaction is \
             committed on its own (and waits for the disk each time). Open one with \
             conn.transaction(), insert through it, then tx.commit() once"
        );
    })
    .await
}

#[tokio::test]
async fn real_bulk_insert_runs_off_the_runtime() {
    let dir = TempDir::new("ex10").unwrap();
    let path = real_db(&dir, &[]);
    let token = run_token();
    let new: Vec<Row> = (1..=20).map(|id| row(id, &format!("user{id} {token}"))).collect();
    let writer = another_writer_holds(&path, LOCK_HELD);
    watched(async {
        let (result, blocking) = watch_blocking(insert_users(&path, new.clone())).await;
        expect_not_blocked(
            &blocking,
            "another connection held the database for 200 ms, and your insert waited for it on the \
             runtime's thread. Run the whole transaction inside tokio::task::spawn_blocking",
        );
        assert!(result.is_ok(), "the insert should succeed once the other writer lets go, got {result:?}");
        assert!(stored(&path) == new, "the file should hold the 20 rows inserted");
    })
    .await;
    writer.join().unwrap();
}

#[tokio::test]
async fn real_bulk_insert_is_all_or_nothing() {
    let dir = TempDir::new("ex10").unwrap();
    let token = run_token();
    let here = row(5, &format!("already here {token}"));
    let path = real_db(&dir, std::slice::from_ref(&here));
    let new: Vec<Row> = (1..=10).map(|id| row(id, &format!("user{id} {token}"))).collect();
    watched(async {
        let result = insert_users(&path, new).await;
        assert!(result.is_err(), "id 5 exists, so the insert should fail (a UNIQUE constraint); got {result:?}");
        let now = stored(&path);
        assert!(
            now == [here.clone()],
            "a failed bulk insert must store nothing, but the table now holds {} rows: insert inside one \
             transaction, so the error rolls everything back (dropping an uncommitted \
             rusqlite::Transaction is a ROLLBACK)",
            now.len()
        );
    })
    .await
}
