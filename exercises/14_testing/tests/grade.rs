//! Grading tests for 14_testing.

use support::grade::graded;
use support::grade::watched;
use std::time::Duration;

use ex14_testing::*;
use support::ServiceError;

// ----- the paused runtime ---------------------------------------------------

#[test]
fn paused_runtime_makes_an_hour_of_sleep_instant() {
    graded(|| {
        let runtime = paused_runtime();
        let wall = std::time::Instant::now();
        let slept = runtime.block_on(async {
            let start = tokio::time::Instant::now();
            tokio::time::sleep(Duration::from_secs(3600)).await;
            start.elapsed()
        });
        assert!(slept >= Duration::from_secs(3600), "the tokio clock should read an hour after sleeping an hour, read {slept:?}");
        assert!(
            wall.elapsed() < Duration::from_millis(500),
            "sleeping an hour took {:?} of real time; start the clock paused (Builder::start_paused(true))",
            wall.elapsed()
        );
    })
}

#[test]
fn paused_runtime_is_single_threaded_and_paused_from_the_start() {
    graded(|| {
        let runtime = paused_runtime();
        let flavor = runtime.handle().runtime_flavor();
        assert!(
            flavor == tokio::runtime::RuntimeFlavor::CurrentThread,
            "expected a current-thread runtime (the paused clock requires it), got {flavor:?}"
        );
        let moved = runtime.block_on(async {
            let start = tokio::time::Instant::now();
            std::thread::sleep(Duration::from_millis(3)); // real time passes...
            start.elapsed() // ...virtual time does not
        });
        assert!(moved.is_zero(), "the tokio clock moved by {moved:?} with no timers pending: it should be paused");
    })
}

#[test]
fn elapsed_of_reads_the_tokio_clock() {
    graded(|| {
        let runtime = paused_runtime();
        for (secs, value) in [(5, 42), (2, 7), (0, 1)] {
            let (out, took) = runtime.block_on(elapsed_of(async move {
                tokio::time::sleep(Duration::from_secs(secs)).await;
                value
            }));
            assert!(out == value, "elapsed_of should return the future's output {value}, got {out}");
            let slept = Duration::from_secs(secs);
            // A clock paused after the runtime started (tokio::time::pause() in block_on) ends a
            // sleep on the timer's next 1 ms tick: up to 1 ms more is still the tokio clock.
            assert!(
                took >= slept,
                "elapsed_of measured {took:?} for a {secs} s sleep on the paused clock: a paused sleep takes \
                 almost no real time, so that is the wall clock (std::time::Instant); measure with tokio::time::Instant"
            );
            assert!(
                took <= slept + Duration::from_millis(1),
                "elapsed_of measured {took:?} for a {secs} s sleep on the paused clock, more than the sleep: \
                 take the start time just before awaiting the future and the elapsed time just after"
            );
        }
    })
}

// ----- the stub ---------------------------------------------------------------

fn room(id: &str, price: u64) -> Room {
    Room { id: id.to_string(), price_per_night: price }
}

#[tokio::test(start_paused = true)]
async fn the_stub_creates_and_reads() {
    watched(async {
        let rooms = StubDataInterface::new();
        let created = rooms.create("r1", room("r1", 100)).await;
        assert!(created == room("r1", 100), "create should return the stored item, got {created:?}");
        let read = rooms.read_by_id("r1").await;
        assert!(read == Ok(room("r1", 100)), "read_by_id(r1) should find it, got {read:?}");
        let missing = rooms.read_by_id("r9").await;
        assert!(
            missing == Err(ServiceError::NotFound("r9".into())),
            "a missing id should be Err(NotFound(\"r9\")), got {missing:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_stub_lists_sorted_by_id_and_replaces_on_create() {
    watched(async {
        let rooms = StubDataInterface::new();
        rooms.create("b", room("b", 2)).await;
        rooms.create("a", room("a", 1)).await;
        rooms.create("c", room("c", 3)).await;
        rooms.create("b", room("b", 20)).await;
        let all = rooms.read_all().await;
        assert!(
            all == [room("a", 1), room("b", 20), room("c", 3)],
            "read_all should list every item once, sorted by id, latest version; got {all:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_stub_deletes() {
    watched(async {
        let rooms = StubDataInterface::new();
        rooms.create("r1", room("r1", 100)).await;
        assert!(rooms.delete("r1").await.is_ok(), "deleting an existing item should work");
        assert!(rooms.read_by_id("r1").await.is_err(), "a deleted item should be gone");
        let again = rooms.delete("r1").await;
        assert!(again == Err(ServiceError::NotFound("r1".into())), "deleting twice should be NotFound, got {again:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn bookings_are_priced_from_the_room_using_stubs() {
    watched(async {
        let rooms = StubDataInterface::new();
        let bookings = StubDataInterface::new();
        rooms.create("room-1", room("room-1", 100)).await;
        let start = tokio::time::Instant::now();
        let booking = create_booking(&bookings, &rooms, "b1", "room-1", 3).await;
        assert!(start.elapsed().is_zero(), "stubs should answer without any waiting");
        let booking = booking.expect("booking an existing room should work");
        assert!(booking.price == 300, "3 nights at 100 should cost 300, got {}", booking.price);
        assert!(bookings.read_by_id("b1").await == Ok(booking), "the booking should be stored in the bookings stub");
        let unknown = create_booking(&bookings, &rooms, "b2", "room-9", 1).await;
        assert!(matches!(unknown, Err(ServiceError::NotFound(_))), "an unknown room should be NotFound, got {unknown:?}");
    })
    .await
}
