//! Exercise 14: testing async code (solution).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use support::ServiceError;

// ----- 1. a runtime with a paused clock -----------------------------------

/// What `#[tokio::test(start_paused = true)]` builds.
pub fn paused_runtime() -> tokio::runtime::Runtime {
    // The paused clock needs tokio's `test-util` feature and a current-thread
    // runtime. When every task is idle, tokio advances the clock straight to
    // the next timer, so tests of timeouts, retries and backoff run in
    // microseconds and the same way every time. (Python needs a library for
    // this, e.g. a fake event-loop clock; pytest-asyncio has none built in.)
    // Inside a test, `tokio::time::advance(d)` moves the clock by hand.
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("failed to build a paused runtime")
}

/// The future's output and how long it took on the tokio clock.
pub async fn elapsed_of<F: Future>(future: F) -> (F::Output, Duration) {
    // `tokio::time::Instant` reads the runtime's clock, paused or not;
    // `std::time::Instant` reads the wall clock, which the paused runtime
    // cannot touch. (Conversely, only the wall clock sees blocking code.)
    let start = tokio::time::Instant::now();
    let output = future.await;
    (output, start.elapsed())
}

// ----- 2. a stub for data access -------------------------------------------

/// Data access for items of type `T`, by string id.
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

/// An in-memory stand-in for a database table.
pub struct StubDataInterface<T> {
    // std Mutex: each method locks, works, unlocks, with no `.await` in
    // between. `&self` methods plus interior mutability match how real
    // repositories are shared (behind `Arc`, used from many tasks).
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
        self.items.lock().unwrap().get(id).cloned().ok_or_else(|| ServiceError::NotFound(id.to_string()))
    }

    async fn read_all(&self) -> Vec<T> {
        let items = self.items.lock().unwrap();
        // A HashMap has no order; sort so tests (and callers) get a stable one.
        let mut entries: Vec<(&String, &T)> = items.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.into_iter().map(|(_, item)| item.clone()).collect()
    }

    async fn create(&self, id: &str, item: T) -> T {
        self.items.lock().unwrap().insert(id.to_string(), item.clone());
        item
    }

    async fn delete(&self, id: &str) -> Result<(), ServiceError> {
        match self.items.lock().unwrap().remove(id) {
            Some(_) => Ok(()),
            None => Err(ServiceError::NotFound(id.to_string())),
        }
    }
}

// ----- the code under test ---------------------------------------------------

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

/// Book `room_id` for `nights` nights.
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
