//! Grading tests for 02_sequential_vs_concurrent.

use support::grade::graded;
use support::grade::watched;
use std::time::Duration;

use ex02_sequential_vs_concurrent::*;
use support::grade::{expect_peak, expect_simulated, expect_simulated_exactly, measure, ms};
use support::world::{expected_user, World};

fn expected(ids: &[u32]) -> Vec<support::world::User> {
    ids.iter().map(|&id| expected_user(id)).collect()
}

#[tokio::test(start_paused = true)]
async fn sequential_fetch_returns_users_in_order_one_at_a_time() {
    watched(async {
        let world = World::new();
        let ids = [3, 1, 2];
        let run = measure(fetch_sequential(&world, &ids)).await;
        assert!(run.output == expected(&ids), "wrong users or order: {:?}", run.output);
        assert!(world.served(&run.output), "the users were not served by the world: return the users the calls return, not ones made up without them (expected_user)");
        let peak = world.peak_in_flight();
        assert!(peak == 1, "{peak} calls were in flight at once; this baseline should await them one after another");
        expect_simulated_exactly(run.simulated, 900, "await the three calls one after another");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn concurrent_fetch_returns_the_same_users_in_order() {
    watched(async {
        let world = World::new();
        let ids = [5, 4, 0, 2];
        let users = fetch_concurrent(&world, &ids).await;
        assert!(users == expected(&ids), "wrong users or order: {users:?}");
        assert!(world.served(&users), "the users were not served by the world: return the users the calls return, not ones made up without them (expected_user)");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn concurrent_fetch_overlaps_the_waits() {
    watched(async {
        let world = World::new();
        let ids: Vec<u32> = (0..10).collect();
        let run = measure(fetch_concurrent(&world, &ids)).await;
        assert!(
            run.output == expected(&ids) && world.served(&run.output),
            "the users returned must be the ones the ten calls returned, in order: {:?}",
            run.output
        );
        expect_simulated(run.simulated, 300, "let the ten calls wait together (futures::future::join_all)");
        let peak = world.peak_in_flight();
        expect_peak(peak, 10, "calls", "start all ten before awaiting");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn concurrent_fetch_of_nothing_is_empty() {
    watched(async {
        let world = World::new();
        let users = fetch_concurrent(&world, &[]).await;
        assert!(users.is_empty(), "no ids should give no users, got {users:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn profiles_keep_their_steps_in_order_but_overlap_each_other() {
    watched(async {
        let world = World::new();
        let ids = [1, 2, 3, 4];
        let run = measure(load_profiles(&world, &ids)).await;
        let other = World::new().with_latency(Duration::ZERO);
        let expected_orders: Vec<_> = futures::future::join_all(ids.iter().map(|&id| other.fetch_orders(id))).await;
        for (((_, orders), want), id) in run.output.iter().zip(&expected_orders).zip(&ids) {
            assert!(orders == want, "profile {id} should have its own orders {want:?}, got {orders:?}");
        }
        assert!(run.output.len() == 4, "expected 4 profiles, got {}", run.output.len());
        for ((user, orders), &id) in run.output.iter().zip(&ids) {
            assert!(user.id == id, "profile for id {id} has user {}", user.id);
            assert!(orders.iter().all(|o| o.user_id == id), "profile {id} has someone else's orders");
        }
        expect_simulated(
            run.simulated,
            600,
            "each profile needs two steps in a row (600 ms), but profiles don't depend on each other: run the profiles concurrently",
        );
    })
    .await
}

#[test]
fn predictions_for_waiting() {
    graded(|| {
        for waits in [vec![100, 250, 50], vec![30, 20], vec![7], vec![5, 500, 60, 1]] {
            let (sum, max) = (waits.iter().sum::<u64>(), *waits.iter().max().unwrap());
            let seq = predict_sequential_ms(&waits);
            assert!(seq == sum, "one after another, waits of {waits:?} ms take their sum; you predicted {seq}");
            let conc = predict_concurrent_ms(&waits);
            assert!(conc == max, "awaited together, waits of {waits:?} ms take as long as the longest; you predicted {conc}");
        }
        assert!(predict_sequential_ms(&[]) == 0 && predict_concurrent_ms(&[]) == 0, "no waits take 0 ms");
    })
}

#[test]
fn prediction_for_cpu_work() {
    graded(|| {
        for work in [vec![100, 250, 50], vec![40, 2]] {
            let cpu = predict_concurrent_cpu_ms(&work);
            let sum: u64 = work.iter().sum();
            assert!(
                cpu == sum,
                "join! polls its branches on one thread, so CPU work of {work:?} ms (which never waits) does not overlap; you predicted {cpu}"
            );
        }
    })
}

#[tokio::test(start_paused = true)]
async fn predictions_match_the_clock() {
    watched(async {
        let sleep = |ms| tokio::time::sleep(Duration::from_millis(ms));
        let seq = measure(async {
            sleep(120).await;
            sleep(80).await;
        })
        .await;
        let conc = measure(async { tokio::join!(sleep(120), sleep(80)) }).await;
        let (p_seq, p_conc) = (predict_sequential_ms(&[120, 80]), predict_concurrent_ms(&[120, 80]));
        assert!(ms(seq.simulated) as u64 == p_seq, "sequential: clock says {} ms, you predicted {p_seq}", ms(seq.simulated));
        assert!(ms(conc.simulated) as u64 == p_conc, "concurrent: clock says {} ms, you predicted {p_conc}", ms(conc.simulated));
    })
    .await
}
