//! Exercise 12: servers (solution).

use support::server::{Request, RequestKind};
use support::world::World;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

/// What `serve` reports when it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Requests accepted and answered.
    pub handled: usize,
}

/// Answer one request; background work comes after the reply.
pub async fn handle_request(world: World, request: Request) {
    match request.kind {
        RequestKind::GetUser(id) => {
            // An async handler awaits async I/O: while it waits, the runtime
            // serves other requests. A blocking call here would stall them
            // (exercise 09); FastAPI would push a plain `def` handler to a
            // thread pool instead.
            let user = world.fetch_user(id).await;
            // `send` fails only if the client went away; nothing to do then.
            let _ = request.reply.send(user.name);
        }
        RequestKind::Signup(name) => {
            // Reply first: the client has what it needs. The same task then
            // goes on with the e-mail, so it stays tracked by the server's
            // JoinSet and graceful shutdown waits for it. This is FastAPI's
            // `BackgroundTasks` (run after the response). A detached
            // `tokio::spawn` would also reply at once, but shutdown could
            // not wait for it, and the e-mail could be lost on exit.
            let _ = request.reply.send(format!("welcome {name}"));
            world.audit(&format!("welcome email to {name}")).await;
        }
    }
}

/// The accept loop with graceful shutdown.
pub async fn serve(world: World, mut incoming: mpsc::Receiver<Request>, mut shutdown: oneshot::Receiver<()>) -> Summary {
    let mut tasks = JoinSet::new();
    let mut handled = 0;
    loop {
        tokio::select! {
            // `biased` checks the branches in order: once shutdown is
            // signalled, no further request is accepted, even if some are
            // queued. A dropped sender counts as a signal too.
            biased;
            _ = &mut shutdown => break,
            // Reap finished tasks as we go, so the set does not grow with
            // every request ever served (and a panicking handler surfaces).
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                done.expect("a request handler panicked");
            }
            request = incoming.recv() => match request {
                Some(request) => {
                    handled += 1;
                    // One task per request: a slow request never holds up
                    // the loop. `World` is cloned because tasks are 'static.
                    tasks.spawn(handle_request(world.clone(), request));
                }
                None => break, // every client is gone
            },
        }
    }
    // Stop accepting: dropping the receiver makes further `send`s fail fast,
    // instead of queueing requests nobody will answer.
    drop(incoming);
    // Drain: wait for every request in flight and its background work. A
    // real server would bound this wait (`tokio::time::timeout`) and then
    // `tasks.abort_all()`, as Kubernetes gives a pod a grace period.
    while let Some(done) = tasks.join_next().await {
        done.expect("a request handler panicked");
    }
    Summary { handled }
}
