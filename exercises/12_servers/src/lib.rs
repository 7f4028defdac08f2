//! Exercise 12: servers.
//!
//! A server is an accept loop: take the next request, hand it to its own
//! task, go back to accepting. On shutdown it stops accepting, lets the work
//! in flight finish, and only then returns. Here requests arrive on a channel
//! (`support::server`) instead of a socket; the shape is the same as with
//! axum or hyper.
//!
//! Read README.md, then make the tests pass: `asyncwork check 12_servers`.

use support::server::{Request, RequestKind};
use support::world::World;
use tokio::sync::{mpsc, oneshot};

/// What `serve` reports when it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Requests accepted and answered.
    pub handled: usize,
}

/// Answer one request:
/// * `GetUser(id)`: reply with the user's name (`world.fetch_user`, 300 ms);
/// * `Signup(name)`: reply `"welcome NAME"`, and send the welcome e-mail,
///   which is `world.audit("welcome email to NAME")` (50 ms).
///
/// TODO: the signup reply waits for the e-mail. Reply first, then send the
/// e-mail (the client should not wait for work it does not need).
pub async fn handle_request(world: World, request: Request) {
    match request.kind {
        RequestKind::GetUser(id) => {
            let user = world.fetch_user(id).await;
            let _ = request.reply.send(user.name);
        }
        RequestKind::Signup(name) => {
            world.audit(&format!("welcome email to {name}")).await;
            let _ = request.reply.send(format!("welcome {name}"));
        }
    }
}

/// The accept loop. Handle every request from `incoming` concurrently, each
/// in its own task. Stop accepting when `shutdown` fires (or when `incoming`
/// is closed), then wait until every accepted request, including its
/// background e-mail, is done, and return how many were handled.
///
/// TODO: one request at a time, and `shutdown` is ignored. Spawn a task per
/// request (a `JoinSet` keeps track of them), watch `shutdown` with
/// `tokio::select!`, and drain the set before returning.
pub async fn serve(world: World, mut incoming: mpsc::Receiver<Request>, shutdown: oneshot::Receiver<()>) -> Summary {
    let _ = shutdown;
    let mut handled = 0;
    while let Some(request) = incoming.recv().await {
        handle_request(world.clone(), request).await;
        handled += 1;
    }
    Summary { handled }
}
