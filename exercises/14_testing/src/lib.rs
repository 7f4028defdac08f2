//! Exercise 14: testing async code.
//!
//! Two tools make async code testable: a clock you control (tokio's paused
//! clock, what `#[tokio::test(start_paused = true)]` sets up) and stubs that
//! stand in for data access. Here you build both, and the tests use them.
//!
//! Read README.md, then make the tests pass: `asyncwork check 14_testing`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use support::ServiceError;

// ----- 1. a runtime with a paused clock -----------------------------------

/// Build the runtime `#[tokio::test(start_paused = true)]` builds: a
/// current-thread runtime, with the time driver enabled, whose clock starts
/// paused (so sleeps complete instantly, in order, on a virtual clock).
///
/// TODO: implement with `tokio::runtime::Builder`.
pub fn paused_runtime() -> tokio::runtime::Runtime {
    todo!("build a current-thread runtime with a paused clock")
}

/// Await `future` and return its output with the time it took on the
/// *tokio* clock (the one a paused runtime controls).
///
/// TODO: measures with the wrong clock: `std::time::Instant` is the wall
/// clock, which the paused runtime does not control.
pub async fn elapsed_of<F: Future>(future: F) -> (F::Output, Duration) {
    let start = std::time::Instant::now();
    let output = future.await;
    (output, start.elapsed())
}

// ----- 2. a stub for data access -------------------------------------------

/// Data access for items of type `T`, by string id (like the seeds'
/// `DataInterface`).
#[allow(async_fn_in_trait)]
pub trait DataInterface<T> {
    /// `ServiceError::NotFound(id)` if there is no such item.
    async fn read_by_id(&self, id: &str) -> Result<T, ServiceError>;
    /// Every item, sorted by id.
    async fn read_all(&self) -> Vec<T>;
    /// Store `item` under `id` (replacing any previous one) and return it.
    async fn create(&self, id: &str, item: T) -> T;
    /// `ServiceError::NotFound(id)` if there is no such item.
    async fn delete(&self, id: &str) -> Result<(), ServiceError>;
}

/// An in-memory stand-in for a database table: instant, deterministic,
/// inspectable.
pub struct StubDataInterface<T> {
    items: Mutex<HashMap<String, T>>,
}

impl<T> StubDataInterface<T> {
    pub fn new() -> Self {
        StubDataInterface { items: Mutex::new(HashMap::new()) }
    }
}

impl<T> Default for StubDataInterface<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> DataInterface<T> for StubDataInterface<T> {
    async fn read_by_id(&self, id: &str) -> Result<T, ServiceError> {
        // TODO
        let _ = (&self.items, id);
        todo!()
    }

    async fn read_all(&self) -> Vec<T> {
        // TODO (sorted by id)
        todo!()
    }

    async fn create(&self, id: &str, item: T) -> T {
        // TODO
        let _ = (id, item);
        todo!()
    }

    async fn delete(&self, id: &str) -> Result<(), ServiceError> {
        // TODO
        let _ = id;
        todo!()
    }
}

// ----- the code under test (nothing to change below) ---------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: String,
    pub price_per_night: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: String,
    pub room_id: String,
    pub nights: u64,
    pub price: u64,
}

/// Book `room_id` for `nights` nights: look the room up, price the stay,
/// store the booking.
pub async fn create_booking(
    bookings: &impl DataInterface<Booking>,
    rooms: &impl DataInterface<Room>,
    booking_id: &str,
    room_id: &str,
    nights: u64,
) -> Result<Booking, ServiceError> {
    let room = rooms.read_by_id(room_id).await?;
    let booking = Booking {
        id: booking_id.to_string(),
        room_id: room.id,
        nights,
        price: room.price_per_night * nights,
    };
    Ok(bookings.create(booking_id, booking).await)
}
