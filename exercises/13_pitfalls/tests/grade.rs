//! Grading tests for 13_pitfalls.

use support::grade::watched;
use std::collections::HashMap;
use std::time::Duration;

use ex13_pitfalls::{add_spending, load_settings, paced_fetch, record_login, save_all};
use futures::future::join_all;
use support::grade::{expect_simulated, expect_simulated_without_blocking, measure, watch_blocking};
use support::world::{expected_user, World};
use tokio::sync::Mutex;

#[tokio::test(start_paused = true)]
async fn pitfall_1_the_audit_line_is_written() {
    watched(async {
        let world = World::new();
        record_login(&world, "ada").await;
        let log = world.audit_log();
        assert!(
            log == ["login: ada"],
            "the audit line was not written: a future does nothing until awaited (`let _ = fut;` just drops it); log: {log:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pitfall_2_pacing_does_not_block_the_runtime() {
    watched(async {
        let world = World::new();
        let gap = Duration::from_millis(30);
        let (run, blocking) = watch_blocking(measure(paced_fetch(&world, &[1, 2, 3], gap))).await;
        expect_simulated_without_blocking(
            run.simulated,
            &blocking,
            960,
            "wait the gaps with tokio::time::sleep(gap).await, not std::thread::sleep (3 x 300 ms calls + 2 x 30 ms gaps)",
        );
        let expected: Vec<_> = [1, 2, 3].iter().map(|&id| expected_user(id)).collect();
        assert!(run.output == expected, "wrong users: {:?}", run.output);
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pitfall_3_concurrent_updates_do_not_wait_for_each_other() {
    watched(async {
        let world = World::new();
        let totals = Mutex::new(HashMap::new());
        let run = measure(join_all((1..=5).map(|id| add_spending(&world, &totals, id)))).await;
        let totals = totals.into_inner();
        for id in 1..=5 {
            let spent = totals.get(&id).copied();
            assert!(spent == Some(6_000), "user {id} spent 6000 cents, totals say {spent:?}");
        }
        expect_simulated(
            run.simulated,
            300,
            "the lock is held while waiting for the service, so the updates queue up: fetch first, lock only to update,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pitfall_4_settings_load_inside_a_runtime() {
    watched(async {
        let world = World::new();
        let prefs = load_settings(&world).await;
        assert!(prefs.user_id == 1, "expected user 1's preferences, got {prefs:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pitfall_5_all_lines_are_written_before_returning() {
    watched(async {
        let world = World::new();
        let lines = ["a", "b", "c", "d"];
        let run = measure(save_all(&world, &lines)).await;
        let mut log = world.audit_log();
        log.sort();
        assert!(
            log == lines,
            "when save_all returned, the log held {log:?}: detached tasks were still running. Await them (JoinSet or join_all)"
        );
        expect_simulated(run.simulated, 50, "write the four lines concurrently");
    })
    .await
}
