//! Exercise 02: sequential vs concurrent.
//!
//! Concurrency overlaps *waiting*. Ten calls that each wait 300 ms take 3 s
//! one after another and about 300 ms together: no call got faster, they just
//! stopped waiting in line. Work that keeps the CPU busy does not overlap on
//! one thread at all.
//!
//! Read README.md, then make the tests pass:
//! `asyncwork check 02_sequential_vs_concurrent`.

use support::world::{Order, User, World};

/// Fetch the users one after another, in the order of `ids`.
///
/// TODO: implement (this is the baseline: sequential on purpose).
pub async fn fetch_sequential(world: &World, ids: &[u32]) -> Vec<User> {
    let _ = (world, ids);
    todo!("await world.fetch_user for each id, one after another")
}

/// The same users, in the same order, but all the calls waiting together.
///
/// TODO: correct but sequential. Make the calls overlap.
pub async fn fetch_concurrent(world: &World, ids: &[u32]) -> Vec<User> {
    let mut users = Vec::new();
    for &id in ids {
        users.push(world.fetch_user(id).await);
    }
    users
}

/// For each id: first the user, then (using `user.id`) their orders. The two
/// steps of one profile depend on each other; different profiles do not.
///
/// TODO: correct but fully sequential. Keep the two steps of each profile in
/// order, but let different profiles overlap.
pub async fn load_profiles(world: &World, ids: &[u32]) -> Vec<(User, Vec<Order>)> {
    let mut profiles = Vec::new();
    for &id in ids {
        let user = world.fetch_user(id).await;
        let orders = world.fetch_orders(user.id).await;
        profiles.push((user, orders));
    }
    profiles
}

/// Predict: how many ms do waits of `waits_ms` take, awaited one after another?
///
/// TODO: implement.
pub fn predict_sequential_ms(waits_ms: &[u64]) -> u64 {
    let _ = waits_ms;
    todo!()
}

/// Predict: how many ms do the same waits take, awaited together (`join!`)?
///
/// TODO: implement.
pub fn predict_concurrent_ms(waits_ms: &[u64]) -> u64 {
    let _ = waits_ms;
    todo!()
}

/// Predict: how many ms does CPU-bound work of `work_ms` take when the pieces
/// are combined with `join!` on a single thread (no waiting at all)?
///
/// TODO: implement.
pub fn predict_concurrent_cpu_ms(work_ms: &[u64]) -> u64 {
    let _ = work_ms;
    todo!()
}
