//! Exercise 05: limits (solution).

use std::sync::Arc;

use futures::future::join_all;
use futures::{StreamExt, TryStreamExt};
use support::ServiceError;
use support::api::RateLimitedApi;
use tokio::sync::Semaphore;

/// At most `limit` in flight, with a semaphore.
pub async fn fetch_all_with_semaphore(
    api: &RateLimitedApi,
    ids: &[u32],
    limit: usize,
) -> Vec<Result<u32, ServiceError>> {
    // The `Arc` is only needed if the futures were spawned as tasks; with
    // `join_all` on this task a plain `Semaphore` borrowed by each future
    // works too. `Arc` keeps the code ready for `tokio::spawn`.
    let semaphore = Arc::new(Semaphore::new(limit));
    let requests = ids.iter().map(|&id| {
        let semaphore = semaphore.clone();
        async move {
            // The permit is an RAII guard: holding it = one slot taken. It is
            // released when `_permit` is dropped at the end of the block, on
            // success, error *or* cancellation (asyncio: `async with sem:`).
            // `acquire` fails only if the semaphore was closed; we never close it.
            let _permit = semaphore.acquire().await.expect("semaphore closed");
            api.get(id).await
        }
    });
    // All futures exist at once, but only `limit` get past `acquire`. That
    // is fine for thousands of ids; for millions, prefer the stream version,
    // which never creates more than `limit` request futures.
    join_all(requests).await
}

/// At most `limit` in flight, as a stream.
pub async fn fetch_all_buffered(
    api: &RateLimitedApi,
    ids: &[u32],
    limit: usize,
) -> Vec<Result<u32, ServiceError>> {
    // `buffered(n)` pulls futures from the stream lazily, keeps up to `n` of
    // them running, and yields outputs in the *input* order.
    futures::stream::iter(ids)
        .map(|&id| api.get(id))
        .buffered(limit)
        .collect()
        .await
}

/// Add up every answer as soon as it arrives.
pub async fn sum_all(api: &RateLimitedApi, ids: &[u32], limit: usize) -> Result<u64, ServiceError> {
    // `buffer_unordered(n)` yields outputs in *completion* order: a slow
    // request never holds back the ones behind it. `try_fold` stops at the
    // first `Err` and drops the stream, cancelling what is still in flight.
    futures::stream::iter(ids)
        .map(|&id| api.get(id))
        .buffer_unordered(limit)
        .try_fold(0u64, |sum, value| async move { Ok(sum + value as u64) })
        .await
}
