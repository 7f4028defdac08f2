//! Grading tests for 04_taskgroup.

use support::grade::watched;
use std::time::Duration;

use ex04_taskgroup::{audit_in_background, initialize_tables, initialize_tables_collecting_errors};
use support::ServiceError;
use support::grade::{expect_simulated, measure, poll_once};
use support::world::World;

const TABLES: [&str; 4] = ["users", "orders", "items", "payments"];

#[tokio::test(start_paused = true)]
async fn all_tables_are_created_concurrently() {
    watched(async {
        let world = World::new();
        let run = measure(initialize_tables(&world, &TABLES)).await;
        assert!(run.output == Ok(4), "creating 4 good tables should give Ok(4), got {:?}", run.output);
        let stats = world.stats("create_table");
        assert!(stats.finished == 4, "every table should be created exactly once; stats: {stats:?}");
        expect_simulated(run.simulated, 300, "create the tables concurrently (one task each in a JoinSet)");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_tables_are_tasks_that_run_on_their_own() {
    watched(async {
        // Start `initialize_tables` (one poll), then stop polling it for 400 ms.
        // Spawned tasks keep running meanwhile; futures that only run when
        // the caller polls them (join_all, try_join_all, join!) stand still.
        let world = World::new();
        let mut setup = Box::pin(initialize_tables(&world, &TABLES));
        let _ = poll_once(&mut setup).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let stats = world.stats("create_table");
        assert!(
            stats.finished == 4,
            "while nobody awaited initialize_tables, {} of 4 tables were created; a TaskGroup runs each table \
             as a task of its own: spawn them into a JoinSet (join_all/try_join_all only run while awaited)",
            stats.finished
        );
        let result = setup.await;
        assert!(result == Ok(4), "creating 4 good tables should give Ok(4), got {result:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn no_tables_is_fine() {
    watched(async {
        let world = World::new();
        let result = initialize_tables(&world, &[]).await;
        assert!(result == Ok(0), "no tables should give Ok(0), got {result:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_failure_is_returned_at_once() {
    watched(async {
        let world = World::new().with_failing_table("items");
        let run = measure(initialize_tables(&world, &TABLES)).await;
        assert!(
            matches!(&run.output, Err(ServiceError::Unavailable(what)) if what.contains("items")),
            "the failure of table `items` should be returned, got {:?}",
            run.output
        );
        expect_simulated(run.simulated, 100, "return the first error as soon as any task fails (JoinSet::join_next)");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_failure_cancels_the_sibling_tasks() {
    watched(async {
        let world = World::new().with_failing_table("items");
        let _ = initialize_tables(&world, &TABLES).await;
        // Give any task that was left running plenty of time to finish.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let stats = world.stats("create_table");
        assert!(
            stats.finished == 0 && stats.cancelled == 3,
            "after `items` failed, the other 3 tables should have been cancelled, not finished; stats: {stats:?}. \
             Abort the rest (JoinSet::abort_all, or just drop the JoinSet by returning)"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_caller_giving_up_cancels_every_task() {
    watched(async {
        let world = World::new();
        // The caller stops waiting after 50 ms: the future is dropped.
        let gave_up = tokio::time::timeout(Duration::from_millis(50), initialize_tables(&world, &TABLES)).await;
        assert!(gave_up.is_err(), "the 300 ms setup should not finish within 50 ms");
        tokio::time::sleep(Duration::from_secs(1)).await;
        let stats = world.stats("create_table");
        assert!(
            stats.finished == 0,
            "tables kept being created after the caller gave up; stats: {stats:?}. \
             Plain tokio::spawn handles detach when dropped; a JoinSet aborts its tasks when dropped"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn collecting_errors_keeps_every_failure_in_input_order() {
    watched(async {
        let world = World::new().with_failing_table("payments").with_failing_table("orders");
        let run = measure(initialize_tables_collecting_errors(&world, &TABLES)).await;
        let names: Vec<&str> = run.output.iter().map(|(name, _)| name.as_str()).collect();
        assert!(names == ["orders", "payments"], "expected the failures of orders and payments, in that order; got {names:?}");
        let stats = world.stats("create_table");
        assert!(stats.finished == 2, "the two good tables should still be created; stats: {stats:?}");
        expect_simulated(run.simulated, 300, "run all the table creations concurrently");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn collecting_errors_with_no_failures_is_empty() {
    watched(async {
        let world = World::new();
        let errors = initialize_tables_collecting_errors(&world, &TABLES).await;
        assert!(errors.is_empty(), "no table fails, so no errors expected; got {errors:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn background_audit_returns_at_once_and_still_happens() {
    watched(async {
        let world = World::new();
        let run = measure(async {
            audit_in_background(&world, "user 7 logged in");
            audit_in_background(&world, "user 3 logged out");
        })
        .await;
        assert!(run.simulated.is_zero(), "audit_in_background should return at once, without waiting for the write");
        assert!(world.audit_log().is_empty(), "audit_in_background should not wait for the write (it takes 50 ms)");
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut log = world.audit_log();
        log.sort();
        assert!(
            log == ["user 3 logged out", "user 7 logged in"],
            "both background writes should have happened by now; audit log: {log:?}"
        );
    })
    .await
}
