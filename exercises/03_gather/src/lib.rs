//! Exercise 03: gather.
//!
//! A dashboard needs three independent things: the user, their orders, their
//! preferences. Each call takes 300 ms. One after another that is 900 ms; the
//! calls do not depend on each other, so they can wait *together* and the
//! page is ready in about 300 ms.
//!
//! Read README.md, then make the tests pass: `asyncwork check 03_gather`.

use support::ServiceError;
use support::world::{Order, Preferences, Report, User, World};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub user: User,
    pub orders: Vec<Order>,
    pub preferences: Preferences,
}

/// Load everything the dashboard shows.
///
/// TODO: this is correct but sequential (900 ms). Run the three calls
/// concurrently so it takes about 300 ms.
pub async fn load_dashboard(world: &World, user_id: u32) -> Dashboard {
    let user = world.fetch_user(user_id).await;
    let orders = world.fetch_orders(user_id).await;
    let preferences = world.fetch_preferences(user_id).await;
    Dashboard { user, orders, preferences }
}

/// Fetch every report in `ids`, keeping *every* outcome, in the order of
/// `ids`: one failing report must not hide the others
/// (asyncio: `gather(..., return_exceptions=True)`).
///
/// TODO: correct but sequential. Fetch all reports concurrently.
pub async fn load_all_reports(world: &World, ids: &[u32]) -> Vec<Result<Report, ServiceError>> {
    let mut results = Vec::new();
    for &id in ids {
        results.push(world.fetch_report(id).await);
    }
    results
}

/// Fetch two reports that only make sense together: if either fails, return
/// that error *as soon as it happens* and stop waiting for the other.
///
/// TODO: correct but sequential, and not fail-fast: if the second report
/// fails we still wait 300 ms for the first one. Make it concurrent and
/// fail-fast.
pub async fn load_report_pair(
    world: &World,
    first: u32,
    second: u32,
) -> Result<(Report, Report), ServiceError> {
    let a = world.fetch_report(first).await?;
    let b = world.fetch_report(second).await?;
    Ok((a, b))
}
