//! Exercise 09: blocking (solution).

use std::time::Duration;

use support::legacy::legacy_checksum;
use support::world::Order;

/// Wait for `d` while letting other tasks run.
pub async fn pause(d: Duration) {
    // `tokio::time::sleep` registers a timer and returns `Pending`, handing
    // the thread back to the runtime. `std::thread::sleep` would park the
    // whole thread, and with it every task scheduled on it (Python:
    // `time.sleep` inside `async def`).
    tokio::time::sleep(d).await;
}

/// Checksum `data` on the blocking pool.
pub async fn checksum(data: Vec<u8>) -> u64 {
    // `spawn_blocking` runs the closure on a separate pool of threads meant
    // for blocking work (asyncio: `await asyncio.to_thread(f, data)`). The
    // closure must be `'static`, hence `data` is moved in, not borrowed.
    //
    // Once started, a blocking job cannot be aborted: dropping the handle only
    // stops us from waiting for it. Alternative for CPU-heavy work at scale:
    // a dedicated pool such as rayon, fed through a oneshot channel.
    tokio::task::spawn_blocking(move || legacy_checksum(&data))
        .await
        .expect("the checksum job panicked")
}

/// Checksum every item, side by side, results in input order.
pub async fn checksum_all(items: Vec<Vec<u8>>) -> Vec<u64> {
    // Start every job first (spawn_blocking starts at once), then await the
    // handles in order. Awaiting each right after spawning would be correct
    // but sequential. The pool grows on demand (up to 512 threads by default),
    // so four jobs run at the same time.
    let handles: Vec<_> = items
        .into_iter()
        .map(|item| tokio::task::spawn_blocking(move || legacy_checksum(&item)))
        .collect();
    let mut sums = Vec::with_capacity(handles.len());
    for handle in handles {
        sums.push(handle.await.expect("a checksum job panicked"));
    }
    sums
}

/// The total of some orders, in cents.
pub fn total_cents(orders: &[Order]) -> u64 {
    // Microseconds of work: a plain function is right. Making it `async`
    // adds nothing (it never waits), and `spawn_blocking` would cost more in
    // thread hand-off than the sum itself. Offload only what takes long
    // enough to starve other tasks (rule of thumb: more than ~100 µs).
    orders.iter().map(|o| o.total_cents).sum()
}
