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
        assert!(world.served(&run.output), "the users were not served by the world: return the users the calls return, not ones made up without them (expected_user)");
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
        // A latency no other test uses: the answer must come from the service.
        let world = World::new().with_latency(std::time::Duration::from_millis(170));
        let run = measure(load_settings(&world)).await;
        let prefs = run.output;
        let stats = world.stats("fetch_preferences");
        assert!(
            stats.finished == 1,
            "load_settings should fetch user 1's preferences from the service (once), stats: {stats:?}"
        );
        assert!(
            prefs.user_id == 1 && prefs.theme == "light",
            "expected user 1's preferences (theme \"light\"), got {prefs:?}"
        );
        expect_simulated(run.simulated, 170, "await the service on the runtime you are already on");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pitfall_5_all_lines_are_written_before_returning() {
    watched(async {
        // Audit writes of different lengths: the lines are written when (and
        // only when) every write has finished, whatever it takes.
        // Each length varies from run to run: no fixed sleep "long enough" matches them.
        for (base, lines) in [(50, vec!["a", "b", "c", "d"]), (83, vec!["x", "y"]), (9, vec!["only"])] {
            let latency = base + support::scratch::unpredictable(20);
            let world = World::new().with_audit_latency(std::time::Duration::from_millis(latency));
            let run = measure(save_all(&world, &lines)).await;
            let mut log = world.audit_log();
            log.sort();
            assert!(
                log == lines,
                "when save_all returned, the log held {log:?}: detached tasks were still running. Await them (JoinSet or join_all)"
            );
            let in_flight = world.in_flight();
            assert!(in_flight == 0, "{in_flight} audit write(s) were still running when save_all returned; await every write");
            expect_simulated(
                run.simulated,
                latency,
                &format!("write the lines concurrently and return when the last one is written ({latency} ms each)"),
            );
        }
    })
    .await
}
