//! Grading tests for 06_timeouts. Each user/orders call takes 300 ms.

use support::grade::watched;
use std::time::Duration;

use ex06_timeouts::{fastest_mirror, fetch_user_within, user_and_orders_within};
use support::ServiceError;
use support::grade::{expect_simulated, measure};
use support::world::{expected_user, World};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Wait a second before reading what was cancelled. A dropped future is
/// cancelled at once; an aborted task (`handle.abort()`, a JoinSet) when the
/// runtime next gets to it. Both are right, and a call that was left running
/// instead has finished by then, which the checks see.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}

#[tokio::test(start_paused = true)]
async fn a_call_within_the_limit_succeeds() {
    watched(async {
        let world = World::new();
        let run = measure(fetch_user_within(&world, 2, ms(500))).await;
        assert!(run.output == Ok(expected_user(2)), "a 300 ms call with a 500 ms limit should succeed; got {:?}", run.output);
        expect_simulated(run.simulated, 300, "return as soon as the call finishes");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_slow_call_times_out_and_is_cancelled() {
    watched(async {
        let world = World::new();
        let run = measure(fetch_user_within(&world, 2, ms(100))).await;
        assert!(
            run.output == Err(ServiceError::Timeout),
            "a 300 ms call with a 100 ms limit should give Err(ServiceError::Timeout); got {:?}",
            run.output
        );
        expect_simulated(run.simulated, 100, "give up when the limit is reached (tokio::time::timeout)");
        settle().await;
        let stats = world.stats("fetch_user");
        assert!(stats.finished == 0 && stats.cancelled == 1, "the timed-out call should have been cancelled (dropped); stats: {stats:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_pair_fits_in_one_deadline_when_concurrent() {
    watched(async {
        let world = World::new();
        let run = measure(user_and_orders_within(&world, 3, ms(400))).await;
        let (user, orders) = run.output.expect(
            "user and orders (300 ms each) should fit in a 400 ms deadline when they run concurrently",
        );
        assert!(user == expected_user(3) && orders.len() == 3, "wrong user or orders: {user:?} {orders:?}");
        expect_simulated(run.simulated, 300, "run both calls concurrently inside the timeout");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_pair_times_out_as_a_group_and_both_calls_are_cancelled() {
    watched(async {
        let world = World::new();
        let run = measure(user_and_orders_within(&world, 3, ms(250))).await;
        assert!(run.output == Err(ServiceError::Timeout), "a 250 ms deadline should expire; got {:?}", run.output);
        expect_simulated(run.simulated, 250, "put one timeout around the whole pair");
        settle().await;
        let (u, o) = (world.stats("fetch_user"), world.stats("fetch_orders"));
        assert!(
            u.cancelled == 1 && o.cancelled == 1,
            "both calls should have been cancelled when the deadline passed; fetch_user {u:?}, fetch_orders {o:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_faster_mirror_wins_and_the_loser_is_cancelled() {
    watched(async {
        let world = World::new().with_mirror("eu", ms(300)).with_mirror("us", ms(120));
        let run = measure(fastest_mirror(&world, 4, ["eu", "us"])).await;
        let (mirror, user) = run.output;
        assert!(mirror == "us", "`us` (120 ms) should beat `eu` (300 ms); got {mirror:?}");
        assert!(user == expected_user(4), "wrong user from the mirror: {user:?}");
        assert!(world.served(std::slice::from_ref(&user)), "the user was not served by the world: return the users the calls return, not ones made up without them (expected_user)");
        expect_simulated(run.simulated, 120, "race both mirrors (tokio::select!) and return the first answer");
        settle().await;
        let stats = world.stats("fetch_user_from");
        assert!(
            stats.finished == 1 && stats.cancelled == 1,
            "the losing request should be cancelled, not left running; stats: {stats:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_race_works_whichever_mirror_is_listed_first() {
    watched(async {
        let world = World::new().with_mirror("eu", ms(80)).with_mirror("us", ms(200));
        let run = measure(fastest_mirror(&world, 1, ["us", "eu"])).await;
        assert!(run.output.0 == "eu", "`eu` (80 ms) should beat `us` (200 ms); got {:?}", run.output.0);
        assert!(run.output.1 == expected_user(1), "wrong user from the mirror: {:?}", run.output.1);
        assert!(world.served(std::slice::from_ref(&run.output.1)), "the user was not served by the world: return the users the calls return, not ones made up without them (expected_user)");
        expect_simulated(run.simulated, 80, "race both mirrors, whichever comes first");
    })
    .await
}
