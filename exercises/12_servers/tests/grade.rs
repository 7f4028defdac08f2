//! Grading tests for 12_servers. A user lookup takes 300 ms, an e-mail 50 ms.

use support::grade::watched;
use std::time::Duration;

use ex12_servers::{serve, Summary};
use support::grade::{expect_peak, expect_simulated, measure};
use support::server::{listener, LoadGenerator, RequestKind};
use support::world::{expected_user, World};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Every wait on the server is bounded, so a server that never returns fails
/// with a message instead of hanging (on the paused clock this is instant).
const PATIENCE: Duration = Duration::from_secs(60);

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

#[tokio::test(start_paused = true)]
async fn requests_are_handled_concurrently() {
    watched(async {
        let world = World::new();
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
        expect_simulated(run.simulated, 300, "handle each request in its own task (tokio::spawn / JoinSet) so 50 requests overlap");
        let peak = world.peak_in_flight();
        expect_peak(peak, 50, "requests", "all 50 should be");
        let _ = app.stop.send(());
        let summary = finish(app.server).await;
        assert!(summary.handled == 50, "50 requests were handled, summary says {}", summary.handled);
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn signup_replies_before_the_background_email() {
    watched(async {
        let world = World::new();
        let app = start(&world);
        let reply = app.load.send(RequestKind::Signup("ada".into())).await.expect("server stopped accepting");
        let run = measure(reply).await;
        let body = run.output.expect("request dropped without a reply");
        assert!(body == "welcome ada", "the signup reply should be \"welcome ada\", got {body:?}");
        assert!(
            run.simulated.is_zero(),
            "the reply took {} ms: reply first, then send the e-mail in the background",
            run.simulated.as_millis()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        let log = world.audit_log();
        assert!(log == ["welcome email to ada"], "the welcome e-mail should be sent shortly after the reply; audit log: {log:?}");
        let _ = app.stop.send(());
        finish(app.server).await;
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_requests_in_flight() {
    watched(async {
        let world = World::new();
        let app = start(&world);
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
        expect_simulated(run.simulated, 290, "after shutdown, wait for the requests in flight");
        for reply in replies {
            let answer = reply.await;
            assert!(answer.is_ok(), "a request accepted before shutdown was dropped without a reply: finish work in flight");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_background_emails() {
    watched(async {
        let world = World::new();
        let app = start(&world);
        let reply = app.load.send(RequestKind::Signup("grace".into())).await.expect("server stopped accepting");
        let _ = reply.await;
        let _ = app.stop.send(());
        finish(app.server).await;
        let log = world.audit_log();
        assert!(
            log == ["welcome email to grace"],
            "serve returned before the background e-mail was sent; audit log: {log:?}. Track it like a request and wait for it"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn after_shutdown_nothing_new_is_accepted() {
    watched(async {
        let world = World::new();
        let app = start(&world);
        let _ = app.stop.send(());
        let run = measure(finish(app.server)).await;
        assert!(run.output.handled == 0, "nothing was sent, summary says {}", run.output.handled);
        assert!(run.simulated.is_zero(), "an idle server should stop at once on shutdown; took {} ms", run.simulated.as_millis());
        let late = app.load.send(RequestKind::GetUser(1)).await;
        assert!(late.is_none(), "the server accepted a request after it returned; drop the receiver when you stop");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_closed_channel_also_stops_the_server() {
    watched(async {
        let world = World::new();
        let app = start(&world);
        let reply = app.load.send(RequestKind::GetUser(2)).await.expect("server stopped accepting");
        drop(app.load); // every client is gone
        let summary = finish(app.server).await;
        assert!(summary.handled == 1, "one request was sent, summary says {}", summary.handled);
        assert!(reply.await.is_ok(), "the last request should still be answered");
        drop(app.stop);
    })
    .await
}
