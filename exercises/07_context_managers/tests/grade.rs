//! Grading tests for 07_context_managers.

use support::grade::watched;
use std::time::Duration;

use ex07_context_managers::{shutdown, start_timer, startup, with_connection, PING_EVERY};
use support::ServiceError;
use support::resource::{Event, Metrics, Resources};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn closed(name: &str) -> Event {
    Event::Closed(name.to_string())
}
fn released(name: &str) -> Event {
    Event::Released(name.to_string())
}

// ----- the timer guard -----------------------------------------------------

#[tokio::test(start_paused = true)]
async fn timer_records_the_time_when_dropped() {
    watched(async {
        let metrics = Metrics::new();
        {
            let _timer = start_timer(&metrics, "load");
            tokio::time::sleep(ms(120)).await;
        }
        let records = metrics.records();
        assert!(records == [("load".to_string(), ms(120))], "expected [(\"load\", 120ms)], got {records:?}; record in Drop");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn timer_records_on_an_early_error_return() {
    watched(async {
        let metrics = Metrics::new();
        async fn failing(metrics: &Metrics) -> Result<(), ServiceError> {
            let _timer = start_timer(metrics, "save");
            tokio::time::sleep(ms(30)).await;
            Err(ServiceError::Unavailable("disk".into()))?;
            tokio::time::sleep(ms(1000)).await;
            Ok(())
        }
        let _ = failing(&metrics).await;
        let records = metrics.records();
        assert!(records == [("save".to_string(), ms(30))], "the `?` return should still record 30 ms; got {records:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn timer_records_when_its_future_is_cancelled() {
    watched(async {
        let metrics = Metrics::new();
        let work = async {
            let _timer = start_timer(&metrics, "slow");
            tokio::time::sleep(ms(1000)).await;
        };
        let _ = tokio::time::timeout(ms(50), work).await;
        let records = metrics.records();
        assert!(
            records == [("slow".to_string(), ms(50))],
            "a cancelled future runs only Drop, so the guard must record there: expected [(\"slow\", 50ms)], got {records:?}"
        );
    })
    .await
}

// ----- with_connection ----------------------------------------------------

#[tokio::test(start_paused = true)]
async fn with_connection_closes_after_success() {
    watched(async {
        let res = Resources::new();
        let out = with_connection(&res, "db", async |conn| conn.query("select 1").await).await;
        assert!(out.as_deref() == Ok("rows for `select 1`"), "the work's result should be returned, got {out:?}");
        let events = res.events();
        assert!(events.ends_with(&[closed("db"), released("db")]), "the connection should be closed then released; events: {events:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn with_connection_closes_after_an_error_and_returns_it() {
    watched(async {
        let res = Resources::new();
        let out = with_connection(&res, "db", async |conn| conn.query("please fail").await).await;
        assert!(matches!(out, Err(ServiceError::Unavailable(_))), "the work's error should be returned, got {out:?}");
        let events = res.events();
        assert!(
            events.contains(&closed("db")),
            "the connection was not closed gracefully on the error path (did a `?` return early?); events: {events:?}"
        );
        assert!(events.last() == Some(&released("db")), "release should come last; events: {events:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn with_connection_releases_on_cancellation() {
    watched(async {
        let res = Resources::new();
        let slow = with_connection(&res, "db", async |conn| {
            conn.query("one").await?;
            tokio::time::sleep(ms(5000)).await;
            conn.query("two").await
        });
        let _ = tokio::time::timeout(ms(300), slow).await;
        let events = res.events();
        // No async cleanup can run in a dropped future; Drop still releases.
        assert!(events.last() == Some(&released("db")), "a cancelled call must still release the connection; events: {events:?}");
        assert!(!events.contains(&Event::Query("two".into())), "nothing should run after cancellation; events: {events:?}");
    })
    .await
}

// ----- lifespan -------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn startup_opens_the_db_and_starts_the_worker() {
    watched(async {
        let res = Resources::new();
        let mut app = startup(&res).await;
        tokio::time::sleep(PING_EVERY * 5 + ms(70)).await;
        let pings = res.count(|e| *e == Event::Query("ping".into()));
        assert!(pings >= 2, "the worker should ping every 100 ms in the background; only {pings} ping(s) after ~570 ms");
        let out = app.db.query("select 1").await;
        assert!(out.is_ok(), "the db connection should be usable after startup: {out:?}");
        shutdown(app).await;
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn shutdown_stops_the_worker_gracefully_and_closes_everything() {
    watched(async {
        let res = Resources::new();
        let app = startup(&res).await;
        tokio::time::sleep(ms(250)).await;
        shutdown(app).await;
        let events = res.events();
        assert!(
            events.contains(&closed("worker")) || events.contains(&released("worker")),
            "the worker's connection was neither closed nor released: the worker still runs after shutdown returned; \
             signal it to stop and await it; events: {events:?}"
        );
        assert!(
            events.contains(&closed("worker")),
            "the worker's connection was dropped without close() (aborting the task, or dropping the connection, runs \
             only Drop): stop the worker with a signal so it can call close() itself; events: {events:?}"
        );
        // The connection closed must be the one that pinged: not a second
        // "worker" opened just to be closed.
        let history = res.events_by_connection();
        let mut pingers: Vec<u64> =
            history.iter().filter(|(_, e)| *e == Event::Query("ping".into())).map(|(serial, _)| *serial).collect();
        pingers.dedup();
        let opened_workers = res.count(|e| *e == Event::Opened("worker".into()));
        assert!(
            opened_workers == 1 && pingers.len() == 1,
            "the worker should open one connection and ping on it until shutdown; {opened_workers} \"worker\" \
             connection(s) were opened; events: {events:?}"
        );
        assert!(
            history.iter().any(|(serial, e)| *serial == pingers[0] && *e == closed("worker")),
            "the worker's own connection (the one that pinged) was never closed gracefully: stop the worker with \
             a signal so it can call close() itself (abort() runs only Drop); events: {events:?}"
        );
        let worker_closed = events.iter().position(|e| *e == closed("worker")).unwrap();
        let db_closed = events.iter().position(|e| *e == closed("db"));
        assert!(
            db_closed.is_some_and(|db| db > worker_closed),
            "close \"db\" after the worker has stopped; events: {events:?}"
        );
        let pings = res.count(|e| *e == Event::Query("ping".into()));
        tokio::time::sleep(ms(1000)).await;
        let later = res.count(|e| *e == Event::Query("ping".into()));
        assert!(later == pings, "the worker kept pinging after shutdown ({pings} -> {later})");
    })
    .await
}
