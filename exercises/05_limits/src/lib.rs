//! Exercise 05: limits.
//!
//! "Run everything concurrently" has a limit: the other side. An API that
//! accepts 5 requests at a time answers the 6th with "429 Too Many Requests";
//! a database pool of 10 connections makes the 11th caller wait or fail.
//! Bounded concurrency keeps exactly N requests in flight: never more, and
//! (to finish fast) never fewer while work is left.
//!
//! Read README.md, then make the tests pass: `asyncwork check 05_limits`.

use futures::future::join_all;
use support::ServiceError;
use support::api::RateLimitedApi;

/// Fetch every id, at most `limit` requests in flight, results in the order
/// of `ids`. Use a semaphore.
///
/// TODO: correct but sequential: only 1 request in flight. Use a
/// `tokio::sync::Semaphore` with `limit` permits.
pub async fn fetch_all_with_semaphore(
    api: &RateLimitedApi,
    ids: &[u32],
    limit: usize,
) -> Vec<Result<u32, ServiceError>> {
    let _ = limit;
    let mut results = Vec::new();
    for &id in ids {
        results.push(api.get(id).await);
    }
    results
}

/// The same, written as a stream: at most `limit` in flight, results in the
/// order of `ids`.
///
/// TODO: fast but unbounded: every request at once, so the API rejects most
/// of them. Bound it with `futures::StreamExt::buffered`.
pub async fn fetch_all_buffered(
    api: &RateLimitedApi,
    ids: &[u32],
    limit: usize,
) -> Vec<Result<u32, ServiceError>> {
    let _ = limit;
    join_all(ids.iter().map(|&id| api.get(id))).await
}

/// Add up every answer, at most `limit` in flight. Order does not matter
/// here, so a result may be used as soon as it arrives. Fail on the first
/// error.
///
/// TODO: implement (hint: `buffer_unordered`).
pub async fn sum_all(api: &RateLimitedApi, ids: &[u32], limit: usize) -> Result<u64, ServiceError> {
    let _ = (api, ids, limit);
    todo!("sum the answers with at most `limit` requests in flight")
}
