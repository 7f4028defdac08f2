//! Grading tests for 01_coroutines.

use support::grade::graded;
use support::grade::watched;
use std::time::Duration;

use ex01_coroutines::{greet, greet_blocking, lazy_user, start_fetch};
use support::grade::{expect_simulated, measure};
use support::world::{expected_user, World};

#[tokio::test(start_paused = true)]
async fn greet_says_hello_to_the_user() {
    watched(async {
        let world = World::new();
        for id in [1, 4, 11] {
            let greeting = greet(&world, id).await;
            let want = format!("Hello, {}!", expected_user(id).name);
            assert!(greeting == want, "greet({id}) should be {want:?}, got {greeting:?}");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn greet_fetches_the_user_once() {
    watched(async {
        let world = World::new();
        let run = measure(greet(&world, 0)).await;
        let stats = world.stats("fetch_user");
        assert!(stats.finished == 1, "fetch_user should run to completion once, stats: {stats:?}");
        expect_simulated(run.simulated, 300, "make exactly one fetch_user call");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn lazy_user_does_nothing_until_awaited() {
    watched(async {
        for id in [2, 9] {
        let world = World::new();
        let future = lazy_user(&world, id);
        // Give any eagerly started work plenty of time to show up.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let started = world.stats("fetch_user").started;
        assert!(
            started == 0,
            "fetch_user started before the future was awaited; return the future itself (do not spawn or await it)"
        );
        let user = future.await;
        assert!(user == expected_user(id), "awaiting the future should give user {id}, got {user:?}");
        let stats = world.stats("fetch_user");
        assert!(stats.finished == 1, "awaiting the future should run world.fetch_user once; stats: {stats:?}");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn start_fetch_begins_at_once() {
    watched(async {
        let world = World::new();
        let handle = start_fetch(&world, 3);
        // One turn of the scheduler: a spawned task gets to start.
        tokio::task::yield_now().await;
        let started = world.stats("fetch_user").started;
        assert!(started == 1, "the fetch had not started one scheduler turn after start_fetch returned: call tokio::spawn in start_fetch itself (a spawn inside an async block, or a future returned unpolled, waits until it is awaited)");
        let user = handle.await.expect("the spawned task panicked");
        assert!(user == expected_user(3), "the handle should give user 3, got {user:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn start_fetch_overlaps_with_other_work() {
    watched(async {
        let world = World::new();
        let run = measure(async {
            let handle = start_fetch(&world, 4);
            tokio::time::sleep(Duration::from_millis(300)).await; // other work
            handle.await.expect("the spawned task panicked")
        })
        .await;
        expect_simulated(run.simulated, 300, "start the fetch in the background (tokio::spawn) so it overlaps with other work");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_dropped_handle_does_not_stop_the_task() {
    watched(async {
        let world = World::new();
        drop(start_fetch(&world, 5));
        tokio::time::sleep(Duration::from_millis(400)).await;
        let stats = world.stats("fetch_user");
        assert!(stats.finished == 1, "the spawned fetch should finish even after its handle was dropped; stats: {stats:?}");
    })
    .await
}

#[test]
fn greet_blocking_runs_greet_on_its_own_runtime() {
    graded(|| {
        // No tokio runtime here: this is a plain #[test], like `main` in a script.
        let world = World::new().with_latency(Duration::from_millis(1));
        for id in [3, 8] {
            let greeting = greet_blocking(&world, id);
            let want = format!("Hello, {}!", expected_user(id).name);
            assert!(greeting == want, "greet_blocking({id}) should be {want:?}, got {greeting:?}");
        }
        let stats = world.stats("fetch_user");
        assert!(stats.finished == 2, "greet_blocking should run greet (one fetch_user each time); stats: {stats:?}");
    })
}
