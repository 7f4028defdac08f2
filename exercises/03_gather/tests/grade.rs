//! Grading tests for 03_gather. They run on the paused clock: every simulated
//! 300 ms call is instant in real time, and the virtual clock tells us whether
//! the calls overlapped.

use support::grade::watched;
use ex03_gather::{load_all_reports, load_dashboard, load_report_pair};
use support::ServiceError;
use support::grade::{expect_peak, expect_simulated, measure};
use support::world::{expected_user, World};

#[tokio::test(start_paused = true)]
async fn dashboard_has_the_right_user_orders_and_preferences() {
    watched(async {
        let world = World::new();
        for id in [4, 7] {
            let dashboard = load_dashboard(&world, id).await;
            assert_eq!(dashboard.user, expected_user(id), "the dashboard of user {id} shows the wrong user");
            assert!(world.served(std::slice::from_ref(&dashboard.user)), "the dashboard's user was not served by the world: return the users the calls return, not ones made up without them (expected_user)");
            assert_eq!(dashboard.orders, world.fetch_orders(id).await, "the dashboard of user {id} shows the wrong orders");
            assert_eq!(
                dashboard.preferences,
                world.fetch_preferences(id).await,
                "the dashboard of user {id} shows the wrong preferences"
            );
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn dashboard_calls_each_service_once() {
    watched(async {
        let world = World::new();
        load_dashboard(&world, 1).await;
        for op in ["fetch_user", "fetch_orders", "fetch_preferences"] {
            let started = world.stats(op).started;
            assert!(started == 1, "`{op}` was called {started} times; call each service exactly once");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn dashboard_runs_the_three_calls_concurrently() {
    watched(async {
        let world = World::new();
        let run = measure(load_dashboard(&world, 1)).await;
        expect_simulated(run.simulated, 300, "run the three calls concurrently (tokio::join!)");
        let peak = world.peak_in_flight();
        expect_peak(peak, 3, "calls", "all three should wait together");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn all_reports_keeps_every_outcome_in_order() {
    watched(async {
        let world = World::new().with_failing_report(2);
        let results = load_all_reports(&world, &[1, 2, 3]).await;
        assert!(results.len() == 3, "expected 3 outcomes, got {}; keep one per id", results.len());
        assert!(
            matches!(&results[0], Ok(r) if r.id == 1),
            "outcome 0 should be Ok(report 1), got {:?}",
            results[0]
        );
        assert!(
            matches!(&results[1], Err(ServiceError::Unavailable(_))),
            "outcome 1 should be the error of report 2, got {:?}",
            results[1]
        );
        assert!(
            matches!(&results[2], Ok(r) if r.id == 3),
            "outcome 2 should be Ok(report 3): one failure must not hide the others; got {:?}",
            results[2]
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn all_reports_are_fetched_concurrently() {
    watched(async {
        let world = World::new();
        let ids = [9, 3, 14, 1, 6];
        let run = measure(load_all_reports(&world, &ids)).await;
        expect_simulated(run.simulated, 300, "fetch the five reports concurrently (futures::future::join_all)");
        let got: Vec<Option<u32>> = run.output.iter().map(|r| r.as_ref().ok().map(|r| r.id)).collect();
        let want: Vec<Option<u32>> = ids.iter().map(|&id| Some(id)).collect();
        assert!(got == want, "every report should load, in the order of ids {ids:?}; got {:?}", run.output);
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn all_reports_of_no_ids_is_empty() {
    watched(async {
        let world = World::new();
        let results = load_all_reports(&world, &[]).await;
        assert!(results.is_empty(), "no ids should give no outcomes, got {results:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn report_pair_returns_both_reports_concurrently() {
    watched(async {
        let world = World::new();
        let run = measure(load_report_pair(&world, 7, 8)).await;
        let (a, b) = run.output.expect("both reports exist, so the pair should load");
        assert!(a.id == 7 && b.id == 8, "expected reports (7, 8), got ({}, {})", a.id, b.id);
        expect_simulated(run.simulated, 300, "fetch both reports concurrently (tokio::try_join!)");
    })
    .await
}

/// Fail fast, whichever of the two fails. The cancelled call is checked a
/// second later: a dropped future is cancelled at once, an aborted task
/// (JoinSet, `abort()`) when the runtime next gets to it; both are right.
async fn check_pair_fails_fast(first: u32, second: u32, failing: u32) {
    let world = World::new().with_failing_report(failing);
    let run = measure(load_report_pair(&world, first, second)).await;
    assert!(
        matches!(&run.output, Err(ServiceError::Unavailable(what)) if what.contains(&failing.to_string())),
        "report {failing} fails, so the pair should be its error; got {:?}",
        run.output
    );
    expect_simulated(
        run.simulated,
        100,
        "return the first error as soon as it happens (tokio::try_join!)",
    );
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let stats = world.stats("fetch_report");
    assert!(
        stats.started == 2,
        "only {} of the two reports was requested; request both at once (concurrently), then return the first error",
        stats.started
    );
    assert!(
        stats.finished == 0 && stats.cancelled == 1,
        "the still-running report call should have been cancelled when its sibling failed, not left running; stats: {stats:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn report_pair_fails_fast_and_cancels_the_other_call() {
    watched(check_pair_fails_fast(1, 2, 2)).await
}

#[tokio::test(start_paused = true)]
async fn report_pair_fails_fast_when_the_first_one_fails() {
    watched(check_pair_fails_fast(5, 6, 5)).await
}
