//! Grading tests for 10_databases.

use support::grade::watched;
use ex10_databases::{
    bulk_insert, get_user_offloaded, register_user, DbUserRepository, InMemoryUserRepository, UserRepository,
};
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
