//! Exercise 02: sequential vs concurrent (solution).

use futures::future::join_all;
use support::world::{Order, User, World};

/// One after another: each `.await` finishes before the next call starts.
pub async fn fetch_sequential(world: &World, ids: &[u32]) -> Vec<User> {
    let mut users = Vec::with_capacity(ids.len());
    for &id in ids {
        users.push(world.fetch_user(id).await);
    }
    users
}

/// All the calls waiting together.
pub async fn fetch_concurrent(world: &World, ids: &[u32]) -> Vec<User> {
    // Build every future first (nothing runs yet), then `join_all` polls them
    // together on this task and returns the outputs in input order. Total
    // time: the slowest call, not the sum. Alternative: spawn each call as a
    // task (JoinSet, exercise 04) when the work should also use other threads.
    join_all(ids.iter().map(|&id| world.fetch_user(id))).await
}

/// Two dependent steps per profile; profiles overlap.
pub async fn load_profiles(world: &World, ids: &[u32]) -> Vec<(User, Vec<Order>)> {
    // An `async` block is a future too: inside it the steps run in order,
    // and `join_all` runs the blocks concurrently. That is the general
    // recipe: sequence what depends, join what doesn't. (Python: one
    // coroutine per profile, then `gather` them.)
    let profile = |id: u32| async move {
        let user = world.fetch_user(id).await;
        let orders = world.fetch_orders(user.id).await;
        (user, orders)
    };
    join_all(ids.iter().map(|&id| profile(id))).await
}

/// Waits in a row add up.
pub fn predict_sequential_ms(waits_ms: &[u64]) -> u64 {
    waits_ms.iter().sum()
}

/// Waits that overlap take as long as the longest.
pub fn predict_concurrent_ms(waits_ms: &[u64]) -> u64 {
    waits_ms.iter().copied().max().unwrap_or(0)
}

/// CPU work never yields, so `join!` on one thread runs it one piece after
/// another: concurrency is not parallelism. For parallel CPU work use
/// `spawn_blocking`, rayon, or tasks on a multi-thread runtime.
pub fn predict_concurrent_cpu_ms(work_ms: &[u64]) -> u64 {
    work_ms.iter().sum()
}
