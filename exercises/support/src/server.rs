//! The front door of a tiny server: requests arrive on a channel, each with a
//! one-shot reply slot. A [`LoadGenerator`] plays the clients.
//!
//! Real servers (axum, hyper) hand you requests from a socket instead, but the
//! shape of the code is the same: an accept loop that spawns one task per
//! request, a way to stop accepting, and a wait for work in flight.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestKind {
    /// Answer with the user's name.
    GetUser(u32),
    /// Answer "welcome NAME" at once; send a welcome e-mail in the background.
    Signup(String),
}

#[derive(Debug)]
pub struct Request {
    pub id: u32,
    pub kind: RequestKind,
    /// Send the response body here. Sending fails only if the client went
    /// away; a server ignores that.
    pub reply: oneshot::Sender<String>,
}

/// Create the request channel: the generator side for tests, the receiver for
/// your server. Dropping every generator closes the channel.
pub fn listener(capacity: usize) -> (LoadGenerator, mpsc::Receiver<Request>) {
    let (tx, rx) = mpsc::channel(capacity);
    (LoadGenerator { tx, next_id: Arc::new(AtomicU32::new(1)) }, rx)
}

#[derive(Debug, Clone)]
pub struct LoadGenerator {
    tx: mpsc::Sender<Request>,
    next_id: Arc<AtomicU32>,
}

impl LoadGenerator {
    /// Send one request; await the returned receiver for the response.
    /// `None` if the server stopped accepting.
    pub async fn send(&self, kind: RequestKind) -> Option<oneshot::Receiver<String>> {
        let (reply, response) = oneshot::channel();
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        self.tx.send(Request { id, kind, reply }).await.ok()?;
        Some(response)
    }
}
