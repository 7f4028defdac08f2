//! Grading tests for 09_blocking.
//!
//! Blocking is invisible to the paused clock (virtual time does not move while
//! the thread is stuck). So the legacy library notes which thread it runs on,
//! and the runtime is watched on the wall clock: see
//! `support::grade::watch_blocking`. The blocking calls are short (30-40 ms)
//! to keep the suite fast.

use support::grade::graded;
use support::grade::watched;
use std::time::Duration;

use ex09_blocking::{checksum, checksum_all, pause, total_cents};
use support::grade::{
    expect_not_blocked, expect_simulated, expect_simulated_exactly, expect_simulated_without_blocking, measure, ms,
    watch_blocking,
};
use support::legacy::{expected_checksum, legacy_calls_for, legacy_most_at_once};
use support::world::Order;

#[tokio::test(start_paused = true)]
async fn pause_waits_on_the_tokio_clock_without_blocking() {
    watched(async {
        let (run, blocking) = watch_blocking(measure(pause(Duration::from_millis(40)))).await;
        expect_simulated_without_blocking(
            run.simulated,
            &blocking,
            40,
            "wait with tokio::time::sleep(d).await, not std::thread::sleep(d)",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pause_lets_other_tasks_run_meanwhile() {
    watched(async {
        // Two pauses on the same task via join!: if they overlap, 40 ms in total.
        let run = measure(async {
            tokio::join!(pause(Duration::from_millis(40)), pause(Duration::from_millis(40)))
        })
        .await;
        expect_simulated(run.simulated, 40, "make `pause` yield to other tasks (tokio::time::sleep)");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn checksum_gives_the_library_result_without_blocking_the_runtime() {
    watched(async {
        let data = b"hello, tokio: checksum test".to_vec();
        let (sum, blocking) = watch_blocking(checksum(data.clone())).await;
        expect_not_blocked(&blocking, "run legacy_checksum inside tokio::task::spawn_blocking");
        assert!(sum == expected_checksum(&data), "checksum returned {sum}, the library says {}", expected_checksum(&data));
        let calls = legacy_calls_for(&data);
        assert!(
            calls == 1,
            "legacy_checksum ran {calls} time(s) on this data; the task is to call the legacy library (once), off the runtime"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn checksum_all_runs_the_calls_side_by_side_and_keeps_order() {
    watched(async {
        let items: Vec<Vec<u8>> = (0u8..4).map(|i| vec![100 + i; 8 + i as usize]).collect();
        let expected: Vec<u64> = items.iter().map(|i| expected_checksum(i)).collect();
        let items_copy = items.clone();
        let (run, blocking) = watch_blocking(measure(checksum_all(items))).await;
        expect_not_blocked(&blocking, "run each legacy_checksum inside tokio::task::spawn_blocking");
        assert!(run.output == expected, "checksums out of order or wrong: got {:?}, expected {:?}", run.output, expected);
        for item in &items_copy {
            let calls = legacy_calls_for(item);
            assert!(calls == 1, "legacy_checksum ran {calls} time(s) on item {item:?}; call the library once per item");
        }
        // 4 calls of 30 ms each: side by side ~30 ms, one after another 120 ms. On a busy
        // machine calls side by side can take longer than that, but they still overlap.
        let at_once = legacy_most_at_once(&items_copy);
        assert!(
            run.wall < Duration::from_millis(100) || at_once >= 2,
            "took {} ms of real time for 4 blocking calls of 30 ms, one after another; spawn all of them before \
             awaiting any, to finish in about 30 ms",
            ms(run.wall)
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn checksum_all_of_nothing_is_empty() {
    watched(async {
        let out = checksum_all(Vec::new()).await;
        assert!(out.is_empty(), "no items should give no checksums, got {out:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn pause_waits_as_long_as_asked() {
    watched(async {
        for d in [7, 55, 130] {
            let run = measure(pause(Duration::from_millis(d))).await;
            expect_simulated_exactly(run.simulated, d, &format!("wait exactly the {d} ms asked for"));
        }
    })
    .await
}

#[test]
fn total_cents_adds_the_orders() {
    graded(|| {
        let orders = [
            Order { id: 1, user_id: 1, total_cents: 250 },
            Order { id: 2, user_id: 1, total_cents: 1_000 },
        ];
        let total = total_cents(&orders);
        assert!(total == 1_250, "250 + 1000 cents should be 1250, got {total}");
        let more = [Order { id: 3, user_id: 2, total_cents: 99 }, Order { id: 4, user_id: 2, total_cents: 1 }, orders[0].clone()];
        assert!(total_cents(&more) == 350, "99 + 1 + 250 cents should be 350, got {}", total_cents(&more));
        assert!(total_cents(&[]) == 0, "no orders should total 0");
    })
}
