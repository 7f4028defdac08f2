//! Grading tests for 15_scale: thousands of simulated requests of 100 ms each.
//! On the paused clock the whole suite takes milliseconds of real time, so
//! the wall-clock checks below measure the cost of the tasks themselves.

use support::grade::watched;
use std::time::Duration;

use ex15_scale::{sum_bounded, sum_fan_out};
use support::api::RateLimitedApi;
use support::grade::{expect_peak, expect_simulated, expect_simulated_at_most, measure, ms, poll_once};

fn expected_sum(n: u32) -> u64 {
    (0..n as u64).map(|id| id * 2).sum()
}

/// Request latencies vary (40 to 220 ms by id), as real ones do.
fn latency_ms(id: u32) -> u64 {
    40 + (id as u64 * 37 % 7) * 30
}

fn varied_api(max_in_flight: usize) -> RateLimitedApi {
    RateLimitedApi::with_latency_fn(max_in_flight, |id| Duration::from_millis(latency_ms(id)))
}

/// The time `0..n` takes with `limit` in flight at all times: a request
/// starts as soon as any other finishes.
fn keep_n_in_flight(n: u32, limit: usize) -> u64 {
    let mut free_at = vec![0u64; limit.min(n as usize).max(1)];
    for id in 0..n {
        let slot = (0..free_at.len()).min_by_key(|&i| free_at[i]).unwrap();
        free_at[slot] += latency_ms(id);
    }
    free_at.into_iter().max().unwrap_or(0)
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
        expect_peak(peak, 2_000, "requests", "start them all before collecting");
        assert!(
            run.wall < Duration::from_millis(1_500),
            "2,000 tasks took {} ms of real time; a task should cost microseconds: avoid per-task heavy work (clones of big data, locks)",
            ms(run.wall)
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn fan_out_tasks_run_on_their_own() {
    watched(async {
        // Start sum_fan_out (one poll), then leave it alone for 150 ms: spawned
        // tasks answer meanwhile; a join_all of futures only runs while awaited.
        let api = RateLimitedApi::new(usize::MAX);
        let mut sum = Box::pin(sum_fan_out(&api, 500));
        let _ = poll_once(&mut sum).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        let (calls, in_flight) = (api.calls(), api.in_flight());
        assert!(
            calls == 500 && in_flight == 0,
            "while nobody awaited sum_fan_out, {calls} of 500 requests were made and {in_flight} were still in \
             flight after 150 ms: spawn one task per request (JoinSet) so they run on their own; a join_all of \
             futures runs only while awaited, and at scale it also slows down badly"
        );
        let result = sum.await;
        assert!(result == Ok(expected_sum(500)), "wrong sum: {result:?}");
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
        let api = varied_api(200);
        let run = measure(sum_bounded(&api, 2_000, 200)).await;
        assert!(run.output == Ok(expected_sum(2_000)), "wrong sum (or rejected requests): {:?}", run.output);
        assert!(api.calls() == 2_000, "{} requests for 2,000 ids; ask once per id", api.calls());
        let peak = api.peak_in_flight();
        assert!(peak <= 200, "{peak} requests were in flight at once; the limit is 200");
        assert!(peak == 200, "at most {peak} requests were in flight; keep 200 in flight to finish sooner");
        expect_simulated_at_most(
            run.simulated,
            keep_n_in_flight(2_000, 200),
            "keep 200 requests in flight at all times: start the next one as soon as any finishes (buffer_unordered), not in batches of 200,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bounded_fan_out_with_a_limit_above_n() {
    watched(async {
        let api = varied_api(1_000);
        let run = measure(sum_bounded(&api, 50, 1_000)).await;
        assert!(run.output == Ok(expected_sum(50)), "wrong sum: {:?}", run.output);
        expect_simulated(run.simulated, keep_n_in_flight(50, 1_000), "start all 50 at once when the limit allows");
    })
    .await
}
