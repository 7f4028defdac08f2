//! Grading tests for 12_servers. A user lookup and an e-mail take a time of their own in each
//! run (a lookup 200 to 400 ms, an e-mail 30 to 80 ms), so that no fixed wait fits them, and
//! every test times `serve` from its shutdown to its return.

use support::grade::watched;
use std::time::Duration;

use ex12_servers::{serve, Summary};
use support::grade::{expect_peak, expect_simulated, expect_simulated_each_way, measure};
use support::scratch::unpredictable;
use support::server::{listener, LoadGenerator, RequestKind};
use support::world::{expected_user, World};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Every wait on the server is bounded, so a server that never returns fails
/// with a message instead of hanging (on the paused clock this is instant).
const PATIENCE: Duration = Duration::from_secs(60);

/// What `serve` is told when it returned before its work was done.
const RETURNED_TOO_SOON: &str = "serve returned before the work it had accepted was done: wait for every task it \
    started, the e-mail sent after a reply too (drain a JoinSet with join_next), and only then return";

/// What `serve` is told when it waited longer than its own work.
const WAITED_TOO_LONG: &str = "it waited longer than its own work: wait for the server's own tasks and only until \
    they are done, not a fixed grace period (how long a request takes differs from run to run), nor until the backend has no calls \
    in flight (other clients' calls count there too)";

/// A lookup's latency for this run, in ms.
fn lookup_ms() -> u64 {
    200 + unpredictable(201)
}

/// An e-mail's latency for this run, in ms.
fn email_ms() -> u64 {
    30 + unpredictable(51)
}

fn world(lookup_ms: u64, email_ms: u64) -> World {
    World::new().with_latency(Duration::from_millis(lookup_ms)).with_audit_latency(Duration::from_millis(email_ms))
}

struct Running {
    load: LoadGenerator,
    stop: oneshot::Sender<()>,
    server: JoinHandle<Summary>,
}

fn start(world: &World) -> Running {
    let (load, incoming) = listener(1024);
    let (stop, shutdown) = oneshot::channel();
    let server = tokio::spawn(serve(world.clone(), incoming, shutdown));
    Running { load, stop, server }
}

async fn finish(server: JoinHandle<Summary>) -> Summary {
    let Ok(joined) = tokio::time::timeout(PATIENCE, server).await else {
        panic!(
            "serve did not return within 60 s of shutdown: either it never saw the signal (watch it with tokio::select! \
             beside the next request) or, after it, it waits for something that never ends (a drain that waits for \
             tasks that never finish, or a loop that keeps receiving)"
        )
    };
    joined.expect("serve panicked")
}

/// Wait for `serve` to return and check how long that took on the paused clock: about
/// `expected_ms`, what the work still in flight when it was told to stop needed.
#[track_caller]
fn expect_stopped_in(stopped: Duration, expected_ms: u64, after: &str) {
    expect_simulated_each_way(
        stopped,
        expected_ms,
        &format!("after {after}, serve took"),
        RETURNED_TOO_SOON,
        WAITED_TOO_LONG,
    );
}

/// Someone else's call to the same backend, through its slow "replica" (set up with
/// `World::with_mirror` to outlast the server's work): in flight from now until well after the
/// server's work is done. What the backend counts in flight is not the server's work.
fn another_client(world: &World) -> JoinHandle<()> {
    let world = world.clone();
    tokio::spawn(async move {
        world.fetch_user_from("replica", 0).await;
    })
}

#[tokio::test(start_paused = true)]
async fn requests_are_handled_concurrently() {
    watched(async {
        let lookup = lookup_ms();
        let world = world(lookup, email_ms());
        let app = start(&world);
        let run = measure(async {
            let mut replies = Vec::new();
            for id in 0..50 {
                replies.push(app.load.send(RequestKind::GetUser(id)).await.expect("server stopped accepting"));
            }
            let mut names = Vec::new();
            for reply in replies {
                let name = tokio::time::timeout(PATIENCE, reply).await;
                names.push(name.expect("no reply within 60 s").expect("request dropped without a reply"));
            }
            names
        })
        .await;
        for (id, name) in run.output.iter().enumerate() {
            assert!(*name == expected_user(id as u32).name, "request for user {id} got {name:?}");
        }
        expect_simulated(run.simulated, lookup, "handle each request in its own task (tokio::spawn / JoinSet) so 50 requests overlap");
        let peak = world.peak_in_flight();
        expect_peak(peak, 50, "requests", "all 50 should be");
        // Every request is answered: nothing is in flight, so serve stops at once.
        let _ = app.stop.send(());
        let stopped = measure(finish(app.server)).await;
        expect_stopped_in(stopped.simulated, 0, "shutdown, with every request answered");
        assert!(stopped.output.handled == 50, "50 requests were handled, summary says {}", stopped.output.handled);
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn signup_replies_before_the_background_email() {
    watched(async {
        let email = email_ms();
        let world = world(lookup_ms(), email);
        let app = start(&world);
        // Twenty at once: the work after each reply is done twenty times in a row, so a short
        // blocking step there (a synchronous template, a std::thread::sleep) adds up.
        let names: Vec<String> = (0..20).map(|i| format!("user{i}")).collect();
        let mut replies = Vec::new();
        for name in &names {
            replies.push(app.load.send(RequestKind::Signup(name.clone())).await.expect("server stopped accepting"));
        }
        let run = measure(async {
            let mut bodies = Vec::new();
            for reply in replies {
                bodies.push(reply.await);
            }
            bodies
        })
        .await;
        for (name, body) in names.iter().zip(run.output) {
            let body = body.expect("request dropped without a reply");
            assert!(body == format!("welcome {name}"), "the signup reply should be \"welcome {name}\", got {body:?}");
        }
        assert!(
            run.simulated.is_zero(),
            "the replies took {} ms: reply first, then send the e-mail in the background",
            run.simulated.as_millis()
        );
        tokio::time::sleep(Duration::from_millis(email + 50)).await;
        let mut log = world.audit_log();
        log.sort();
        let mut expected: Vec<String> = names.iter().map(|n| format!("welcome email to {n}")).collect();
        expected.sort();
        assert!(
            log == expected,
            "the welcome e-mails should be sent shortly after the replies, one for each signup; audit log: {log:?}"
        );
        // Every e-mail is sent: nothing is in flight, so serve stops at once.
        let _ = app.stop.send(());
        let stopped = measure(finish(app.server)).await;
        expect_stopped_in(stopped.simulated, 0, "shutdown, with every e-mail sent");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_requests_in_flight() {
    watched(async {
        let lookup = lookup_ms();
        let world = world(lookup, email_ms()).with_mirror("replica", Duration::from_millis(lookup + 400));
        let app = start(&world);
        let other = another_client(&world);
        let mut replies = Vec::new();
        for id in 1..=3 {
            replies.push(app.load.send(RequestKind::GetUser(id)).await.expect("server stopped accepting"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await; // let them be accepted
        let _ = app.stop.send(());
        let run = measure(finish(app.server)).await;
        assert!(
            run.output.handled == 3,
            "3 requests were sent 10 ms before shutdown and the summary counts {} handled: requests still waiting in the \
             channel at shutdown were never accepted; accept each as it arrives and handle it in its own task",
            run.output.handled
        );
        expect_stopped_in(run.simulated, lookup - 10, "shutdown, with 3 lookups in flight");
        for reply in replies {
            let answer = reply.await;
            assert!(answer.is_ok(), "a request accepted before shutdown was dropped without a reply: finish work in flight");
        }
        let _ = other.await;
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_background_emails() {
    watched(async {
        let lookup = lookup_ms();
        let email = email_ms();
        let world = world(lookup, email).with_mirror("replica", Duration::from_millis(email + 400));
        let app = start(&world);
        let other = another_client(&world);
        let reply = app.load.send(RequestKind::Signup("grace".into())).await.expect("server stopped accepting");
        let _ = reply.await;
        let _ = app.stop.send(());
        let stopped = measure(finish(app.server)).await;
        let log = world.audit_log();
        assert!(
            log == ["welcome email to grace"],
            "serve returned before the background e-mail was sent; audit log: {log:?}. Track it like a request and wait for it"
        );
        expect_stopped_in(stopped.simulated, email, "shutdown, with an e-mail in flight");
        let _ = other.await;
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn after_shutdown_nothing_new_is_accepted() {
    watched(async {
        let world = world(lookup_ms(), email_ms());
        let app = start(&world);
        let _ = app.stop.send(());
        let run = measure(finish(app.server)).await;
        assert!(run.output.handled == 0, "nothing was sent, summary says {}", run.output.handled);
        expect_stopped_in(run.simulated, 0, "shutdown, with nothing sent");
        let late = app.load.send(RequestKind::GetUser(1)).await;
        assert!(late.is_none(), "the server accepted a request after it returned; drop the receiver when you stop");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_closed_channel_also_stops_the_server() {
    watched(async {
        let lookup = lookup_ms();
        let world = world(lookup, email_ms());
        let app = start(&world);
        let reply = app.load.send(RequestKind::GetUser(2)).await.expect("server stopped accepting");
        drop(app.load); // every client is gone
        let run = measure(finish(app.server)).await;
        assert!(run.output.handled == 1, "one request was sent, summary says {}", run.output.handled);
        assert!(reply.await.is_ok(), "the last request should still be answered");
        expect_stopped_in(run.simulated, lookup, "the channel closed, with a lookup still to do");
        drop(app.stop);
    })
    .await
}
