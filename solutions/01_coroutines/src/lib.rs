//! Exercise 01: coroutines (solution).

use std::future::Future;

use support::world::{User, World};
use tokio::task::JoinHandle;

/// Fetch the user and return `"Hello, NAME!"`.
pub async fn greet(world: &World, id: u32) -> String {
    // `.await` polls the future until it is ready; while it waits, this task
    // yields its thread to other tasks. Forgetting `.await` would not compile
    // here (a future is not a `User`); where it would compile, rustc warns
    // "futures do nothing unless you `.await` or poll them".
    let user = world.fetch_user(id).await;
    format!("Hello, {}!", user.name)
}

/// The unstarted work of fetching user `id`.
pub fn lazy_user(world: &World, id: u32) -> impl Future<Output = User> + '_ {
    // Calling an async fn only builds the future (a state machine); nothing
    // runs until it is polled. Same as calling an `async def` in Python,
    // which returns a coroutine object. The `'_` says the future borrows
    // `world`, so it cannot outlive it.
    world.fetch_user(id)
}

/// Start fetching user `id` in the background now.
pub fn start_fetch(world: &World, id: u32) -> JoinHandle<User> {
    // `tokio::spawn` is `asyncio.create_task`: the task is handed to the
    // scheduler at once and runs whether or not anyone awaits the handle.
    // A spawned task may outlive this function, so it must own everything it
    // uses (`'static`) and be `Send` (the multi-thread runtime may move it
    // between threads): hence the clone, which only bumps a reference count.
    //
    // Dropping the JoinHandle detaches the task; it keeps running. (To stop
    // it, call `handle.abort()`, or use a JoinSet, see exercise 04.)
    let world = world.clone();
    tokio::spawn(async move { world.fetch_user(id).await })
}

/// The Rust `asyncio.run(greet(...))`.
pub fn greet_blocking(world: &World, id: u32) -> String {
    // A current-thread runtime is the closest match to asyncio's single event
    // loop; `enable_all` turns on the timer and I/O drivers (without the
    // timer, `sleep` panics). `#[tokio::main]` on `main` writes this for you.
    //
    // Never do this *inside* async code: `block_on` within a runtime panics
    // with "Cannot start a runtime from within a runtime" (exercise 13).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("failed to build a tokio runtime");
    runtime.block_on(greet(world, id))
}
