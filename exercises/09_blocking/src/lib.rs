//! Exercise 09: blocking.
//!
//! An async runtime runs many tasks on few threads. A task gives its thread
//! back only at an `.await` that is not ready. Code that blocks the thread
//! instead (`std::thread::sleep`, a synchronous library, a long computation)
//! stops every other task on that thread until it returns.
//!
//! Read README.md, then make the tests pass: `asyncwork check 09_blocking`.

use std::time::Duration;

use support::legacy::legacy_checksum;
use support::world::Order;

/// Wait for `d` while letting other tasks run.
///
/// TODO: `std::thread::sleep` blocks the whole runtime thread. Wait on
/// tokio's clock instead.
pub async fn pause(d: Duration) {
    std::thread::sleep(d);
}

/// Checksum `data` with the legacy (synchronous, slow) library without
/// blocking the runtime.
///
/// TODO: `legacy_checksum` holds the thread for 30 ms. Run it on tokio's
/// blocking thread pool.
pub async fn checksum(data: Vec<u8>) -> u64 {
    legacy_checksum(&data)
}

/// Checksum every item, results in the order of `items`, the slow calls
/// running side by side on the blocking pool.
///
/// TODO: blocks the runtime for 30 ms per item. Start every checksum on the
/// blocking pool first, then collect the results.
pub async fn checksum_all(items: Vec<Vec<u8>>) -> Vec<u64> {
    items.iter().map(|item| legacy_checksum(item)).collect()
}

/// The total of some orders, in cents.
///
/// TODO: implement. This one is *not* slow: a few additions. Should it be
/// `async`, or use `spawn_blocking`? (The signature is a hint.)
pub fn total_cents(orders: &[Order]) -> u64 {
    let _ = orders;
    todo!("sum the orders' totals")
}
