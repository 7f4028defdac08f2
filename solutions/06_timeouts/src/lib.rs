//! Exercise 06: timeouts and races (solution).

use std::time::Duration;

use support::ServiceError;
use support::world::{Order, User, World};
use tokio::time::timeout;

/// One call, one limit.
pub async fn fetch_user_within(world: &World, id: u32, limit: Duration) -> Result<User, ServiceError> {
    // `timeout` returns `Err(Elapsed)` when the limit passes first; the inner
    // future is dropped at that moment, so the request is cancelled, not left
    // running in the background (asyncio.timeout cancels too, by throwing
    // CancelledError into the coroutine; Rust just stops polling it).
    timeout(limit, world.fetch_user(id)).await.map_err(|_elapsed| ServiceError::Timeout)
}

/// Two calls, one deadline.
pub async fn user_and_orders_within(
    world: &World,
    id: u32,
    limit: Duration,
) -> Result<(User, Vec<Order>), ServiceError> {
    // The timeout wraps the *group*: `join!` inside makes both calls overlap
    // (300 ms), and expiry drops the join, which drops both calls. A timeout
    // per call instead would allow up to 2 x limit for the pair.
    //
    // Alternative when the deadline comes from outside (a request budget):
    // `tokio::time::timeout_at(deadline, ...)` with an `Instant`.
    let both = async { tokio::join!(world.fetch_user(id), world.fetch_orders(id)) };
    timeout(limit, both).await.map_err(|_elapsed| ServiceError::Timeout)
}

/// First answer wins; the other request is dropped.
pub async fn fastest_mirror(world: &World, id: u32, mirrors: [&str; 2]) -> (String, User) {
    let [a, b] = mirrors;
    // `select!` polls both branches and runs the handler of the first to
    // finish; the other future is dropped there and then. asyncio's
    // `wait(..., return_when=FIRST_COMPLETED)` leaves the loser running
    // until you cancel it yourself.
    tokio::select! {
        user = world.fetch_user_from(a, id) => (a.to_string(), user),
        user = world.fetch_user_from(b, id) => (b.to_string(), user),
    }
}
