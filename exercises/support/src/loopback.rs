//! A real HTTP server on 127.0.0.1, for the real part of exercise 11.
//!
//! The test starts it on an ephemeral port (`127.0.0.1:0`), points your `reqwest` client at it and
//! then asks it what happened: how many TCP connections your client opened, how many requests
//! came, and how many were in flight at once. Every answer carries a token made up for this run,
//! so a body written into the code cannot match.
//!
//! The server runs on a thread of its own with its own small tokio runtime: its timing (each
//! `/items/..` answer waits [`LoopbackServer::delay`]) does not depend on what your code does to
//! the test's runtime.
//!
//! Why hand-written, not axum or hyper: this crate is built by every exercise, so anything it
//! depends on lands in a learner's very first `check`. A server with hyper would add hyper's
//! server half and its helpers to that build (measured on the 2-core machine: 16 s of CPU, 14 s
//! of wall time on top of tokio's 23 s / 25 s, so about 1.6 times the first build); the hundred
//! lines below need nothing but tokio. They
//! speak just enough HTTP/1.1 for a client on loopback: GET, keep-alive, `Content-Length`
//! bodies. (asyncwork's own demo server, `asyncwork serve`, is axum: there the build cost is paid
//! once, by asyncwork.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server counts.
#[derive(Debug, Default)]
struct Stats {
    connections: AtomicUsize,
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

/// A running loopback server; stopped when dropped.
#[derive(Debug)]
pub struct LoopbackServer {
    addr: SocketAddr,
    token: String,
    delay: Duration,
    stats: Arc<Stats>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LoopbackServer {
    /// Start a server whose `/items/..` answers each wait `delay` before answering.
    pub fn start(delay: Duration) -> std::io::Result<LoopbackServer> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let token = crate::scratch::run_token();
        let stats = Arc::new(Stats::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = {
            let (stats, token) = (stats.clone(), token.clone());
            std::thread::Builder::new().name("loopback-server".into()).spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the loopback server");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("the loopback listener");
                    tokio::select! {
                        _ = stopped => {}
                        _ = accept(listener, stats, token, delay) => {}
                    }
                });
                // Dropping the runtime here drops every connection task with it.
            })?
        };
        Ok(LoopbackServer { addr, token, delay, stats, stop: Some(stop), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The body `/items/..` answers for `path`: it holds this run's token.
    pub fn body_for(&self, path: &str) -> String {
        format!("{path} {}", self.token)
    }

    /// How long each `/items/..` answer waits.
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// TCP connections accepted so far. A client that reuses its connections (one
    /// `reqwest::Client`, kept) opens as many as it had requests in flight at once; a new client
    /// per request opens one per request.
    pub fn connections_opened(&self) -> usize {
        self.stats.connections.load(Ordering::SeqCst)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.stats.requests.load(Ordering::SeqCst)
    }

    /// The most requests that were being answered at once.
    pub fn peak_in_flight(&self) -> usize {
        self.stats.peak_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept(listener: TcpListener, stats: Arc<Stats>, token: String, delay: Duration) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: wait a little rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        stats.connections.fetch_add(1, Ordering::SeqCst);
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(stream, stats.clone(), token.clone(), delay));
    }
}

/// Counts a request as in flight from its head's arrival until its answer is written.
struct InFlight<'a>(&'a Stats);

impl<'a> InFlight<'a> {
    fn enter(stats: &'a Stats) -> InFlight<'a> {
        stats.requests.fetch_add(1, Ordering::SeqCst);
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(stats)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One connection: requests one after another (HTTP/1.1 keep-alive) until the client closes it.
async fn serve(mut stream: TcpStream, stats: Arc<Stats>, token: String, delay: Duration) {
    const MAX_HEAD: usize = 16 * 1024;
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        let head_len = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > MAX_HEAD {
                return;
            }
            let mut chunk = [0u8; 2048];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_len]).into_owned();
        buf.drain(..head_len);
        let mut lines = head.split("\r\n");
        let mut words = lines.next().unwrap_or_default().split(' ');
        let (method, path) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        let mut close = false;
        let mut body_len = 0usize;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else { continue };
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
            if name == "connection" && value == "close" {
                close = true;
            } else if name == "content-length" {
                body_len = value.parse().unwrap_or(0);
            }
        }
        // A request body (none expected) is read and ignored.
        while buf.len() < body_len {
            let mut chunk = [0u8; 2048];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..body_len);

        let in_flight = InFlight::enter(&stats);
        let (status, body) = if method != "GET" {
            ("405 Method Not Allowed", "only GET here\n".to_string())
        } else if path.starts_with("/items/") {
            tokio::time::sleep(delay).await;
            ("200 OK", format!("{path} {token}"))
        } else {
            ("404 Not Found", format!("no such page: {path}\n"))
        };
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n{}\r\n{body}",
            body.len(),
            if close { "connection: close\r\n" } else { "" }
        );
        let written = stream.write_all(response.as_bytes()).await;
        drop(in_flight);
        if written.is_err() || close {
            return;
        }
    }
}
