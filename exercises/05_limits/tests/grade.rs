//! Grading tests for 05_limits. The API accepts 5 requests in flight; each
//! takes 100 ms. 20 requests, 5 at a time, take 4 rounds: 400 ms.

use ex05_limits::{fetch_all_buffered, fetch_all_with_semaphore, sum_all};
use support::api::RateLimitedApi;
use support::grade::{expect_simulated, measure};

const LIMIT: usize = 5;

fn ids() -> Vec<u32> {
    (1..=20).collect()
}

fn check_results(results: &[Result<u32, support::ServiceError>], ids: &[u32]) {
    let rejected = results.iter().filter(|r| r.is_err()).count();
    assert!(rejected == 0, "{rejected} requests failed (429 Too Many Requests?); stay within the limit");
    let values: Vec<u32> = results.iter().map(|r| *r.as_ref().unwrap()).collect();
    let expected: Vec<u32> = ids.iter().map(|id| id * 2).collect();
    assert!(values == expected, "results should follow the order of ids: got {values:?}");
}

fn check_peak(api: &RateLimitedApi, limit: usize) {
    let peak = api.peak_in_flight();
    assert!(peak <= limit, "{peak} requests were in flight at once; the limit is {limit}");
    assert!(
        peak == limit,
        "at most {peak} request(s) were in flight at once; the limit is {limit}: keep {limit} in flight to finish sooner"
    );
}

#[tokio::test(start_paused = true)]
async fn semaphore_keeps_results_in_order_and_within_the_limit() {
    let api = RateLimitedApi::new(LIMIT);
    let run = measure(fetch_all_with_semaphore(&api, &ids(), LIMIT)).await;
    check_results(&run.output, &ids());
    check_peak(&api, LIMIT);
    expect_simulated(run.simulated, 400, "keep 5 requests in flight at all times");
}

#[tokio::test(start_paused = true)]
async fn semaphore_with_a_limit_of_one_is_sequential() {
    let api = RateLimitedApi::new(1);
    let run = measure(fetch_all_with_semaphore(&api, &[1, 2, 3], 1)).await;
    check_results(&run.output, &[1, 2, 3]);
    check_peak(&api, 1);
    expect_simulated(run.simulated, 300, "with a limit of 1, one request at a time");
}

#[tokio::test(start_paused = true)]
async fn semaphore_with_fewer_ids_than_permits() {
    let api = RateLimitedApi::new(50);
    let run = measure(fetch_all_with_semaphore(&api, &[4, 5, 6], 50)).await;
    check_results(&run.output, &[4, 5, 6]);
    expect_simulated(run.simulated, 100, "start all three at once: there are enough permits");
}

#[tokio::test(start_paused = true)]
async fn buffered_stream_keeps_results_in_order_and_within_the_limit() {
    let api = RateLimitedApi::new(LIMIT);
    let run = measure(fetch_all_buffered(&api, &ids(), LIMIT)).await;
    check_results(&run.output, &ids());
    check_peak(&api, LIMIT);
    expect_simulated(run.simulated, 400, "keep 5 requests in flight at all times (StreamExt::buffered)");
}

#[tokio::test(start_paused = true)]
async fn buffered_stream_of_nothing_is_empty() {
    let api = RateLimitedApi::new(LIMIT);
    let results = fetch_all_buffered(&api, &[], LIMIT).await;
    assert!(results.is_empty(), "no ids should give no results, got {results:?}");
}

#[tokio::test(start_paused = true)]
async fn sum_all_adds_every_answer_within_the_limit() {
    let api = RateLimitedApi::new(LIMIT);
    let run = measure(sum_all(&api, &ids(), LIMIT)).await;
    let expected: u64 = ids().iter().map(|&id| id as u64 * 2).sum();
    assert!(run.output == Ok(expected), "the sum should be Ok({expected}), got {:?}", run.output);
    check_peak(&api, LIMIT);
    expect_simulated(run.simulated, 400, "keep 5 requests in flight at all times (StreamExt::buffer_unordered)");
}

#[tokio::test(start_paused = true)]
async fn sum_all_reports_a_rejection() {
    // The caller asks for more than the API allows: the error must surface.
    let api = RateLimitedApi::new(2);
    let result = sum_all(&api, &ids(), 4).await;
    assert!(
        result == Err(support::ServiceError::TooManyRequests),
        "with 4 in flight against an API that allows 2, the 429 should be returned; got {result:?}"
    );
}
