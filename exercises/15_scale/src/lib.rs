//! Exercise 15: scale.
//!
//! Tokio tasks are cheap: a few hundred bytes and well under a microsecond to
//! spawn in release builds, so 100,000 concurrent waits are routine. What
//! stays expensive is waiting in line (sequential code) and overwhelming the
//! other side (unbounded fan-out). This exercise fans out to thousands.
//!
//! Read README.md, then make the tests pass: `asyncwork check 15_scale`.

use support::ServiceError;
use support::api::RateLimitedApi;

/// Request every id in `0..n` (each request takes 100 ms and answers `id * 2`)
/// and return the sum of the answers, all requests in flight at once. The
/// API is unlimited here. Fail on the first error.
///
/// TODO: correct but sequential: 100 ms x n. Spawn one task per request into
/// a `JoinSet` and add the answers up as they complete.
pub async fn sum_fan_out(api: &RateLimitedApi, n: u32) -> Result<u64, ServiceError> {
    let mut sum = 0;
    for id in 0..n {
        sum += api.get(id).await? as u64;
    }
    Ok(sum)
}

/// The same, but never more than `limit` requests in flight (the API rejects
/// more), and never fewer while work is left.
///
/// TODO: implement. Any bounded pattern from exercise 05 works; which one
/// creates the fewest futures up front?
pub async fn sum_bounded(api: &RateLimitedApi, n: u32, limit: usize) -> Result<u64, ServiceError> {
    let _ = (api, n, limit);
    todo!("fan out with at most `limit` requests in flight")
}
