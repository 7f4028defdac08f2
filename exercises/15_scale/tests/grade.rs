//! Grading tests for 15_scale: thousands of simulated requests of 100 ms each.
//! On the paused clock the whole suite takes milliseconds of real time, so
//! the wall-clock checks below measure the cost of the tasks themselves.

use support::grade::watched;
use std::time::Duration;

use ex15_scale::{sum_bounded, sum_fan_out};
use support::api::RateLimitedApi;
use support::grade::{expect_simulated, measure, ms};

fn expected_sum(n: u32) -> u64 {
    (0..n as u64).map(|id| id * 2).sum()
}

#[tokio::test(start_paused = true)]
async fn fan_out_sums_every_answer() {
    watched(async {
        let api = RateLimitedApi::new(usize::MAX);
        let sum = sum_fan_out(&api, 10).await;
        assert!(sum == Ok(expected_sum(10)), "the sum of 0*2..9*2 is {}, got {sum:?}", expected_sum(10));
        let sum = sum_fan_out(&api, 0).await;
        assert!(sum == Ok(0), "no requests sum to 0, got {sum:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn fan_out_of_two_thousand_takes_one_round_trip() {
    watched(async {
        let api = RateLimitedApi::new(usize::MAX);
        let run = measure(sum_fan_out(&api, 2_000)).await;
        assert!(run.output == Ok(expected_sum(2_000)), "wrong sum: {:?}", run.output);
        expect_simulated(run.simulated, 100, "put all 2,000 requests in flight at once (one task each in a JoinSet)");
        let peak = api.peak_in_flight();
        assert!(peak == 2_000, "only {peak} requests were in flight at once; start them all before collecting");
        assert!(
            run.wall < Duration::from_millis(150),
            "2,000 tasks took {} ms of real time; a task should cost microseconds: avoid per-task heavy work (clones of big data, locks)",
            ms(run.wall)
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn fan_out_reports_an_error() {
    watched(async {
        let api = RateLimitedApi::new(100);
        let result = sum_fan_out(&api, 300).await;
        assert!(
            result == Err(support::ServiceError::TooManyRequests),
            "an API that allows 100 in flight rejects some of 300 at once; the error should be returned, got {result:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bounded_fan_out_stays_within_the_limit_and_uses_it() {
    watched(async {
        let api = RateLimitedApi::new(200);
        let run = measure(sum_bounded(&api, 2_000, 200)).await;
        assert!(run.output == Ok(expected_sum(2_000)), "wrong sum (or rejected requests): {:?}", run.output);
        let peak = api.peak_in_flight();
        assert!(peak <= 200, "{peak} requests were in flight at once; the limit is 200");
        assert!(peak == 200, "at most {peak} requests were in flight; keep 200 in flight to finish sooner");
        expect_simulated(run.simulated, 1_000, "keep 200 requests in flight at all times (10 rounds of 100 ms)");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bounded_fan_out_with_a_limit_above_n() {
    watched(async {
        let api = RateLimitedApi::new(1_000);
        let run = measure(sum_bounded(&api, 50, 1_000)).await;
        assert!(run.output == Ok(expected_sum(50)), "wrong sum: {:?}", run.output);
        expect_simulated(run.simulated, 100, "start all 50 at once when the limit allows");
    })
    .await
}
