//! Exercise 03: gather (solution).

use futures::future::join_all;
use support::ServiceError;
use support::world::{Order, Preferences, Report, User, World};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub user: User,
    pub orders: Vec<Order>,
    pub preferences: Preferences,
}

/// Load everything the dashboard shows, the three calls waiting together.
pub async fn load_dashboard(world: &World, user_id: u32) -> Dashboard {
    // `join!` polls the three futures on *this* task until all are done: they
    // wait concurrently (300 ms in total) but never run in parallel, so a
    // blocking branch would stall the other two. That is fine here: they only
    // wait. It also needs no `'static` data, so borrowing `world` works.
    //
    // Alternative: `tokio::spawn` each call to run them on other worker
    // threads; that needs owned data (`world.clone()`) and buys nothing when
    // the work is pure waiting.
    let (user, orders, preferences) = tokio::join!(
        world.fetch_user(user_id),
        world.fetch_orders(user_id),
        world.fetch_preferences(user_id),
    );
    Dashboard { user, orders, preferences }
}

/// Every outcome kept, in the order of `ids` (asyncio's
/// `gather(..., return_exceptions=True)`).
pub async fn load_all_reports(world: &World, ids: &[u32]) -> Vec<Result<Report, ServiceError>> {
    // `join_all` is `join!` for a number of futures known only at run time. It
    // returns outputs in input order, and since each output is a `Result`, one
    // `Err` is just another value: nothing is short-circuited.
    //
    // For thousands of futures prefer a `JoinSet` or a bounded stream
    // (`buffered(n)`), see exercises 05 and 15: `join_all` polls everything on
    // one task and interacts badly with tokio's cooperative budget at scale.
    join_all(ids.iter().map(|&id| world.fetch_report(id))).await
}

/// Both reports, or the first error as soon as it happens.
pub async fn load_report_pair(
    world: &World,
    first: u32,
    second: u32,
) -> Result<(Report, Report), ServiceError> {
    // `try_join!` returns at the first `Err` and *drops* the other future,
    // which cancels it (the service records a cancelled call). asyncio's plain
    // `gather` raises the first exception too but leaves the other coroutines
    // running; `TaskGroup` cancels them, which is closer to this.
    tokio::try_join!(world.fetch_report(first), world.fetch_report(second))
}
