//! Exercise 01: coroutines.
//!
//! Calling an `async fn` runs none of its body: it builds a *future*, a value
//! that describes the work. The work happens when something polls the future:
//! `.await` (inside another async fn), the runtime (`block_on`, the Rust
//! `asyncio.run`), or a spawned task (`tokio::spawn`, the Rust `create_task`).
//!
//! Read README.md, then make the tests pass: `asyncwork check 01_coroutines`.

use std::future::Future;

use support::world::{User, World};
use tokio::task::JoinHandle;

/// Fetch the user and return `"Hello, NAME!"`.
///
/// TODO: implement with `world.fetch_user(id)` (an async fn: await it).
pub async fn greet(world: &World, id: u32) -> String {
    let _ = (world, id);
    todo!("fetch the user and greet them")
}

/// Return the *unstarted* work of fetching user `id`: nothing may happen
/// until the caller awaits the returned future.
///
/// TODO: return the future of `world.fetch_user(id)` without awaiting it.
pub fn lazy_user(world: &World, id: u32) -> impl Future<Output = User> + '_ {
    let _ = (world, id);
    async move { todo!("return the future instead of this placeholder") }
}

/// Start fetching user `id` in the background *now* and return a handle to
/// the result, so the caller can do other things meanwhile.
///
/// TODO: spawn a task. (Hint: a spawned task may outlive this function, so it
/// cannot borrow `world`; `World` is cheap to clone.)
pub fn start_fetch(world: &World, id: u32) -> JoinHandle<User> {
    let _ = (world, id);
    todo!("spawn the fetch and return its JoinHandle")
}

/// The Rust `asyncio.run(greet(...))`: called from plain synchronous code
/// (no runtime running), build a runtime and run `greet` to completion on it.
///
/// TODO: implement.
pub fn greet_blocking(world: &World, id: u32) -> String {
    let _ = (world, id);
    todo!("build a tokio runtime and block_on greet")
}
