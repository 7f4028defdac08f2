//! Grading tests for 05_limits. The API accepts 5 requests in flight. The
//! requests take different times (40 to 220 ms, depending on the id), as
//! real requests do: that is what tells "5 in flight at all times" from
//! "batches of 5", which waits for the slowest of each batch.
//!
//! The expected times are computed from the latencies below, by simulating
//! the schedule each approach produces (see `keep_n_in_flight`).

use std::time::Duration;

use ex05_limits::{fetch_all_buffered, fetch_all_with_semaphore, sum_all};
use support::api::RateLimitedApi;
use support::grade::watched;
use support::grade::{expect_simulated, expect_simulated_exactly, expect_simulated_at_most, measure};

const LIMIT: usize = 5;

/// How long the request for `id` takes: 40 to 220 ms.
fn latency_ms(id: u32) -> u64 {
    40 + (id as u64 * 37 % 7) * 30
}

fn api(max_in_flight: usize) -> RateLimitedApi {
    RateLimitedApi::with_latency_fn(max_in_flight, |id| Duration::from_millis(latency_ms(id)))
}

fn ids() -> Vec<u32> {
    (1..=20).collect()
}

/// The time `ids` take with `limit` requests in flight at all times: each
/// request starts as soon as any earlier one finishes (a semaphore,
/// `buffer_unordered`).
fn keep_n_in_flight(ids: &[u32], limit: usize) -> u64 {
    let mut free_at = vec![0u64; limit.min(ids.len()).max(1)];
    for &id in ids {
        let slot = (0..free_at.len()).min_by_key(|&i| free_at[i]).unwrap();
        free_at[slot] += latency_ms(id);
    }
    free_at.into_iter().max().unwrap_or(0)
}

/// The time with `buffered(limit)`: results come out in input order, and a
/// finished result waiting for an earlier one still holds its place.
fn buffered_in_order(ids: &[u32], limit: usize) -> u64 {
    let mut yielded: Vec<u64> = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        let start = if i < limit { 0 } else { yielded[i - limit] };
        let done = start + latency_ms(id);
        yielded.push(done.max(yielded.last().copied().unwrap_or(0)));
    }
    yielded.last().copied().unwrap_or(0)
}

fn check_results(api: &RateLimitedApi, results: &[Result<u32, support::ServiceError>], ids: &[u32]) {
    let rejected = results.iter().filter(|r| r.is_err()).count();
    assert!(rejected == 0, "{rejected} requests failed (429 Too Many Requests?); stay within the limit");
    let values: Vec<u32> = results.iter().map(|r| *r.as_ref().unwrap()).collect();
    let expected: Vec<u32> = ids.iter().map(|id| id * 2).collect();
    assert!(values == expected, "results should be the API's answers in the order of ids: got {values:?}");
    let calls = api.calls();
    assert!(calls == ids.len(), "{calls} requests reached the API for {} ids; ask the API once per id", ids.len());
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
    watched(async {
        let api = api(LIMIT);
        let run = measure(fetch_all_with_semaphore(&api, &ids(), LIMIT)).await;
        check_results(&api, &run.output, &ids());
        check_peak(&api, LIMIT);
        expect_simulated_at_most(
            run.simulated,
            keep_n_in_flight(&ids(), LIMIT),
            "start the next request as soon as any of the 5 finishes (a semaphore permit per request), not in batches of 5,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn semaphore_with_a_limit_of_one_is_sequential() {
    watched(async {
        let api = api(1);
        let run = measure(fetch_all_with_semaphore(&api, &[1, 2, 3], 1)).await;
        check_results(&api, &run.output, &[1, 2, 3]);
        check_peak(&api, 1);
        expect_simulated_exactly(run.simulated, keep_n_in_flight(&[1, 2, 3], 1), "with a limit of 1, one request at a time");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn semaphore_with_fewer_ids_than_permits() {
    watched(async {
        let api = api(50);
        let run = measure(fetch_all_with_semaphore(&api, &[4, 5, 6], 50)).await;
        check_results(&api, &run.output, &[4, 5, 6]);
        expect_simulated(
            run.simulated,
            keep_n_in_flight(&[4, 5, 6], 50),
            "start all three at once: there are enough permits",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn semaphore_with_another_limit() {
    watched(async {
        let ids: Vec<u32> = (30..42).collect();
        let api = api(3);
        let run = measure(fetch_all_with_semaphore(&api, &ids, 3)).await;
        check_results(&api, &run.output, &ids);
        check_peak(&api, 3);
        expect_simulated_at_most(
            run.simulated,
            keep_n_in_flight(&ids, 3),
            "use the `limit` you are given, and start a request as soon as a permit is free,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn buffered_stream_keeps_results_in_order_and_within_the_limit() {
    watched(async {
        let api = api(LIMIT);
        let run = measure(fetch_all_buffered(&api, &ids(), LIMIT)).await;
        check_results(&api, &run.output, &ids());
        check_peak(&api, LIMIT);
        expect_simulated_at_most(
            run.simulated,
            buffered_in_order(&ids(), LIMIT),
            "keep 5 requests in flight (StreamExt::buffered), not batches of 5,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn buffered_stream_of_nothing_is_empty() {
    watched(async {
        let api = api(LIMIT);
        let results = fetch_all_buffered(&api, &[], LIMIT).await;
        assert!(results.is_empty(), "no ids should give no results, got {results:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn sum_all_adds_every_answer_within_the_limit() {
    watched(async {
        let api = api(LIMIT);
        let run = measure(sum_all(&api, &ids(), LIMIT)).await;
        let expected: u64 = ids().iter().map(|&id| id as u64 * 2).sum();
        assert!(run.output == Ok(expected), "the sum should be Ok({expected}), got {:?}", run.output);
        assert!(api.calls() == ids().len(), "{} requests reached the API for 20 ids; ask the API once per id", api.calls());
        check_peak(&api, LIMIT);
        expect_simulated_at_most(
            run.simulated,
            keep_n_in_flight(&ids(), LIMIT),
            "keep 5 requests in flight at all times (StreamExt::buffer_unordered) and use each answer as it arrives,",
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn sum_all_reports_a_rejection() {
    watched(async {
        // The caller asks for more than the API allows: the error must surface.
        let api = api(2);
        let result = sum_all(&api, &ids(), 4).await;
        let peak = api.peak_in_flight();
        assert!(
            peak > 2,
            "sum_all was allowed 4 requests in flight but never had more than {peak} at once, so the API \
             (which allows 2) never rejected one; use the limit you are given (buffer_unordered(limit))"
        );
        assert!(
            result == Err(support::ServiceError::TooManyRequests),
            "with {peak} requests in flight against an API that allows 2, the API answered 429; that error \
             should be returned, got {result:?}"
        );
    })
    .await
}
