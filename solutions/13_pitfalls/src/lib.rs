//! Exercise 13: pitfalls (solution).

use std::collections::HashMap;
use std::time::Duration;

use futures::future::join_all;
use support::world::{Preferences, User, World};
use tokio::sync::Mutex;

/// Pitfall 1: a future that is never awaited never runs.
pub async fn record_login(world: &World, name: &str) {
    // Without `.await` the future is created and dropped. rustc warns
    // ("unused implementer of `Future` that must be used") unless the value
    // is silenced with `let _ =`, which is exactly what hid the bug.
    world.audit(&format!("login: {name}")).await;
}

/// Pitfall 2: `std::thread::sleep` in async code.
pub async fn paced_fetch(world: &World, ids: &[u32], gap: Duration) -> Vec<User> {
    let mut users = Vec::with_capacity(ids.len());
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            // `time.sleep` vs `asyncio.sleep`: only the async one yields.
            // Not `tokio::time::interval(gap)`: it paces the *starts* of
            // the calls, so with calls longer than the period it never
            // waits at all, and the gap asked for here is between calls.
            tokio::time::sleep(gap).await;
        }
        users.push(world.fetch_user(id).await);
    }
    users
}

/// Pitfall 3: holding a lock across an `.await`.
pub async fn add_spending(world: &World, totals: &Mutex<HashMap<u32, u64>>, user_id: u32) {
    // Do the slow part without the lock, then lock for a moment to update.
    // Holding the guard across `fetch_orders(..).await` made every other
    // caller wait 300 ms for it: correct, but serial.
    //
    // With `std::sync::Mutex`, holding the guard across an await is caught
    // by the compiler as soon as the future must be `Send` (tokio::spawn):
    // "future cannot be sent between threads safely". A std Mutex is in
    // fact the better choice here, since the lock is never held across an
    // await; tokio's Mutex is for locks that must be.
    let orders = world.fetch_orders(user_id).await;
    let spent: u64 = orders.iter().map(|o| o.total_cents).sum();
    *totals.lock().await.entry(user_id).or_default() += spent;
}

/// Pitfall 4: starting a runtime inside a runtime.
pub async fn load_settings(world: &World) -> Preferences {
    // We are already on a runtime (this is an async fn): just await.
    // `block_on` here panics with "Cannot start a runtime from within a
    // runtime", Rust's version of calling `asyncio.run()` inside FastAPI.
    // If sync code deep inside async code truly must wait for a future, use
    // `tokio::task::block_in_place` + `Handle::current().block_on(..)` on a
    // multi-thread runtime, or better, make the sync code async.
    world.fetch_preferences(1).await
}

/// Pitfall 5: fire-and-forget where the result was needed.
pub async fn save_all(world: &World, lines: &[&str]) {
    // Await the writes. They borrow `world` and the lines, so no task, clone
    // or `'static` is needed: `join_all` runs them concurrently right here.
    // (With spawned tasks, collect the handles in a JoinSet and drain it.)
    join_all(lines.iter().map(|line| world.audit(line))).await;
}
