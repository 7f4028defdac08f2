//! Exercise 13: pitfalls.
//!
//! Each function below compiles and contains one classic async mistake from
//! FastAPI code bases, translated to Rust. Find it, fix it. Where Rust catches
//! the mistake at compile time instead, README.md shows the compiler message.
//!
//! Read README.md, then make the tests pass: `asyncwork check 13_pitfalls`.

use std::collections::HashMap;
use std::time::Duration;

use support::world::{Preferences, User, World};
use tokio::sync::Mutex;

/// Write "login: NAME" to the audit log before returning.
///
/// TODO: pitfall 1. The line never gets written. Why?
pub async fn record_login(world: &World, name: &str) {
    let _ = world.audit(&format!("login: {name}"));
}

/// Fetch the users one after another, pausing `gap` between two requests
/// (to be gentle with the service), without freezing the rest of the program.
///
/// TODO: pitfall 2.
pub async fn paced_fetch(world: &World, ids: &[u32], gap: Duration) -> Vec<User> {
    let mut users = Vec::new();
    for (i, &id) in ids.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(gap);
        }
        users.push(world.fetch_user(id).await);
    }
    users
}

/// Add what user `user_id` spent (the sum of their orders) into `totals`.
/// Many of these run concurrently, sharing `totals`.
///
/// TODO: pitfall 3. Concurrent calls end up running one after another.
pub async fn add_spending(world: &World, totals: &Mutex<HashMap<u32, u64>>, user_id: u32) {
    let mut totals = totals.lock().await;
    let orders = world.fetch_orders(user_id).await;
    let spent: u64 = orders.iter().map(|o| o.total_cents).sum();
    *totals.entry(user_id).or_default() += spent;
}

/// Load user 1's preferences (called from async code, e.g. a handler).
///
/// TODO: pitfall 4. Panics at run time.
pub async fn load_settings(world: &World) -> Preferences {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(world.fetch_preferences(1))
}

/// Write every line to the audit log, concurrently; when this returns, all
/// lines must be written.
///
/// TODO: pitfall 5. Returns before the work is done.
pub async fn save_all(world: &World, lines: &[&str]) {
    for line in lines {
        let world = world.clone();
        let line = line.to_string();
        tokio::spawn(async move { world.audit(&line).await });
    }
}
