//! Exercise 06: timeouts and races.
//!
//! `tokio::time::timeout(limit, future)` waits at most `limit`. If the time
//! runs out, the future is *dropped*: it simply stops at the `.await` it was
//! parked on, and nothing inside it runs again. `tokio::select!` races several
//! futures and drops the losers the same way.
//!
//! Read README.md, then make the tests pass: `asyncwork check 06_timeouts`.

use std::time::Duration;

use support::ServiceError;
use support::world::{Order, User, World};

/// Fetch user `id`, giving up after `limit` with `ServiceError::Timeout`.
///
/// TODO: no limit at all yet. Wrap the call in `tokio::time::timeout`.
pub async fn fetch_user_within(world: &World, id: u32, limit: Duration) -> Result<User, ServiceError> {
    let _ = limit;
    Ok(world.fetch_user(id).await)
}

/// Fetch the user and their orders under ONE deadline for the pair:
/// `ServiceError::Timeout` if both are not done within `limit`.
///
/// TODO: sequential and without a deadline. Run both concurrently, inside a
/// single timeout.
pub async fn user_and_orders_within(
    world: &World,
    id: u32,
    limit: Duration,
) -> Result<(User, Vec<Order>), ServiceError> {
    let _ = limit;
    let user = world.fetch_user(id).await;
    let orders = world.fetch_orders(id).await;
    Ok((user, orders))
}

/// Ask both mirrors for user `id`; return the name of the mirror that answered
/// first and its answer. Stop waiting for the other one.
///
/// TODO: only ever asks the first mirror. Race both with `tokio::select!`.
pub async fn fastest_mirror(world: &World, id: u32, mirrors: [&str; 2]) -> (String, User) {
    let user = world.fetch_user_from(mirrors[0], id).await;
    (mirrors[0].to_string(), user)
}
