//! The demo server: axum on a single-threaded tokio runtime, bound to 127.0.0.1 only.
//!
//! One thread drives every connection, like one uvicorn worker running FastAPI's event loop. That
//! is what makes the three `/work/*` handler styles worth comparing: `/work/async` awaits a timer
//! and the thread serves other requests meanwhile; `/work/blocking` calls `std::thread::sleep` and
//! every other request waits (FastAPI would run a plain `def` handler on its thread pool; axum has
//! no such pool, so this is `time.sleep` inside `async def`); `/work/offload` moves the sleep to
//! `spawn_blocking`, which is FastAPI's thread pool done by hand.
//!
//! The server runs on its own thread with its own runtime, so it outlives any one demo runtime
//! and a demo's blocking ops cannot stall it. [`Server::start`] binds before it returns (a port in
//! use is an error the caller can name); dropping the [`Server`] shuts it down gracefully:
//! in-flight requests finish, idle keep-alive connections close.
//!
//! A connection that sends no complete request head within [`IDLE_TIMEOUT`] (a slow client, or
//! an idle keep-alive connection between requests) is closed, as uvicorn closes idle keep-alive
//! connections after 5 s: without it, a few hundred silent connections would take every file
//! descriptor the process may open.
//!
//! Every response carries `x-connection: N`, the number of the TCP connection that served it (in
//! accept order), so a client can tell how many connections its requests really used.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

use crate::io::params::{self, Bad, Style};

/// The name of the server's threads: a demo's CPU-wait measure counts them, since a request
/// waits for them too (`demo/cpu_wait.rs`).
pub const THREAD_NAME: &str = "asyncwork-server";

/// The response header that names the connection a request came on.
pub const CONNECTION_HEADER: &str = "x-connection";

/// Most `/flaky` keys remembered; past it the table starts over (a client cannot grow it forever).
const MAX_KEYS: usize = 10_000;

/// One endpoint, for the banner of `asyncwork serve`, the index page and the tests.
pub struct Endpoint {
    pub route: &'static str,
    pub about: &'static str,
    /// A path to try it with (`curl http://ADDR` + this).
    pub example: &'static str,
}

/// Every endpoint, in the order the banner lists them.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        route: "/delay/{ms}",
        about: "answers after ms milliseconds",
        example: "/delay/500",
    },
    Endpoint {
        route: "/pages?page=&size=&delay=&total=",
        about: "one page of JSON items (size 10 of total 50 by default); an empty page ends the listing",
        example: "/pages?page=0&size=5&delay=100",
    },
    Endpoint {
        route: "/flaky/{key}?fail=K",
        about: "fails (503) the first K attempts for each key, then answers",
        example: "/flaky/mykey?fail=2",
    },
    Endpoint {
        route: "/limited?max=N&ms=",
        about: "429 when more than N requests are in flight; otherwise answers after ms",
        example: "/limited?max=2&ms=1000",
    },
    Endpoint {
        route: "/status/{code}",
        about: "answers with that status code (200 to 599)",
        example: "/status/503",
    },
    Endpoint {
        route: "/stream?chunks=&ms=",
        about: "a streamed body: one JSON line every ms, sent as it is produced",
        example: "/stream?chunks=5&ms=200",
    },
    Endpoint {
        route: "/work/async?ms=",
        about: "slow work that awaits a timer: the server's thread serves others meanwhile",
        example: "/work/async?ms=1000",
    },
    Endpoint {
        route: "/work/blocking?ms=",
        about: "std::thread::sleep in the handler: holds the server's only thread (at most 10 s)",
        example: "/work/blocking?ms=1000",
    },
    Endpoint {
        route: "/work/offload?ms=",
        about: "the same sleep on spawn_blocking: the server's thread stays free",
        example: "/work/offload?ms=1000",
    },
];

/// A log queue's size for [`Options::log`]: about 175 bytes a line, so at most a few hundred KB.
pub const LOG_QUEUE: usize = 1024;

/// One request the server answered, for a log line.
#[derive(Debug, Clone)]
pub struct RequestLog {
    /// The connection it came on (1 for the first accepted).
    pub connection: u64,
    pub peer: SocketAddr,
    pub method: String,
    /// Path and query, at most 200 characters.
    pub target: String,
    pub status: u16,
    /// Until the response head was ready (a streamed body goes on after it).
    pub elapsed: Duration,
}

/// How long a connection may take to send a request's head, or sit idle between requests.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// How to start the server.
#[derive(Debug, Default)]
pub struct Options {
    /// How long a connection may take to send a request head or sit idle (`None`:
    /// [`IDLE_TIMEOUT`]).
    pub idle_timeout: Option<Duration>,
    /// 0: any free port (what demos and tests use).
    pub port: u16,
    /// Where to send a [`RequestLog`] per request. Bounded ([`LOG_QUEUE`] is a good size): when
    /// it is full (nobody reads the output) a line is dropped and counted
    /// ([`Server::dropped_logs`]), so an unread stdout cannot grow the server's memory.
    pub log: Option<mpsc::Sender<RequestLog>>,
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("port {0} on 127.0.0.1 is already in use")]
    PortInUse(u16),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot start the server's thread: {0}")]
    Thread(std::io::Error),
}

/// A running server. Dropping it shuts it down.
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    /// Hears from the server's thread when it has stopped (in a Mutex: a Receiver is not Sync).
    stopped: Mutex<std::sync::mpsc::Receiver<()>>,
    accepted: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Server({})", self.addr)
    }
}

impl Server {
    /// Binds 127.0.0.1:`port` and serves on a thread of its own.
    pub fn start(options: Options) -> Result<Server, StartError> {
        let port = options.port;
        let bind_error = |source: std::io::Error| match source.kind() {
            std::io::ErrorKind::AddrInUse => StartError::PortInUse(port),
            _ => StartError::Bind { port, source },
        };
        // Bind here, not on the server's thread, so the caller hears about a port in use.
        let listener =
            std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            // Its blocking pool (the offloading handler) carries the name too.
            .thread_name(THREAD_NAME)
            .build()
            .map_err(StartError::Thread)?;
        let accepted = Arc::new(AtomicU64::new(0));
        let options_idle = options.idle_timeout.unwrap_or(IDLE_TIMEOUT);
        let shared = Arc::new(Shared {
            flaky: Mutex::default(),
            in_flight: AtomicU64::new(0),
            log: options.log,
            dropped: Arc::new(AtomicU64::new(0)),
        });
        let dropped = shared.dropped.clone();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let (stopped_tx, stopped) = std::sync::mpsc::channel();
        let counter = accepted.clone();
        std::thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = TcpListener::from_std(listener) else {
                        return;
                    };
                    let app = router(shared);
                    let idle = options_idle;
                    // Serving never fails on its own (accept errors are retried); it returns when
                    // `stop` fires (or the Server is dropped) and in-flight requests are done.
                    serve(listener, counter, app, stop_rx, idle).await;
                });
                // A `/work/blocking` or offloaded sleep still running is not waited for long.
                runtime.shutdown_timeout(Duration::from_millis(200));
                let _ = stopped_tx.send(());
            })
            .map_err(StartError::Thread)?;
        Ok(Server {
            addr,
            stop: Some(stop),
            stopped: Mutex::new(stopped),
            accepted,
            dropped,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Log lines dropped so far because the log queue was full.
    pub fn dropped_logs(&self) -> u64 {
        self.dropped.load(Relaxed)
    }

    /// The count behind [`Server::dropped_logs`], for a thread that prints the log while
    /// another owns the server (`asyncwork serve`).
    pub fn dropped_counter(&self) -> Arc<AtomicU64> {
        self.dropped.clone()
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.accepted.load(Relaxed)
    }

    /// Stops accepting, lets in-flight requests finish (at most `wait`). `true` when it stopped
    /// within `wait`.
    pub fn stop(mut self, wait: Duration) -> bool {
        self.signal();
        self.wait_stopped(wait)
    }

    fn wait_stopped(&self, wait: Duration) -> bool {
        let stopped = self.stopped.lock().unwrap_or_else(|e| e.into_inner());
        stopped.recv_timeout(wait).is_ok()
    }

    fn signal(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop.is_some() {
            self.signal();
            self.wait_stopped(Duration::from_secs(2));
        }
    }
}

/// What the handlers share.
struct Shared {
    /// `/flaky`: attempts so far per key.
    flaky: Mutex<HashMap<String, u64>>,
    /// `/limited`: requests in flight.
    in_flight: AtomicU64,
    log: Option<mpsc::Sender<RequestLog>>,
    /// Log lines dropped because the queue was full.
    dropped: Arc<AtomicU64>,
}

/// The routes. Each handler parses its parameters with [`crate::io::params`] (a bad one is a 400
/// with one line) and then does its work.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/delay/{ms}", get(delay))
        .route("/pages", get(pages))
        .route("/flaky/{key}", get(flaky))
        .route("/limited", get(limited))
        .route("/status/{code}", get(status))
        .route("/stream", get(stream))
        .route("/work/{style}", get(work))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), observe))
        .with_state(shared)
}

impl IntoResponse for Bad {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, format!("{}\n", self.message)).into_response()
    }
}

fn json(value: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{value}\n"),
    )
        .into_response()
}

/// The list of endpoints. `/?x=1` is a 400 like an unknown parameter anywhere else.
async fn index(RawQuery(q): RawQuery) -> Result<String, Bad> {
    params::no_query(q.as_deref())?;
    let mut text = String::from("asyncwork demo server: GET any of\n");
    for e in ENDPOINTS {
        text.push_str(&format!("  {:<34} {}\n", e.route, e.about));
    }
    Ok(text)
}

async fn not_found(req: Request) -> Bad {
    let path = req.uri().path().to_string();
    params::Target::parse(&path).err().unwrap_or(Bad {
        status: 405,
        message: format!("{} is not allowed here: use GET", req.method()),
    })
}

async fn delay(Path(ms): Path<String>, RawQuery(q): RawQuery) -> Result<Response, Bad> {
    let ms = params::delay(&ms, q.as_deref())?;
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(json(serde_json::json!({ "slept_ms": ms })))
}

async fn pages(RawQuery(q): RawQuery) -> Result<Response, Bad> {
    let p = params::pages(q.as_deref())?;
    tokio::time::sleep(Duration::from_millis(p.delay_ms)).await;
    let ids = p.ids();
    let next = (ids.end < p.total && !ids.is_empty()).then_some(p.page + 1);
    let items: Vec<serde_json::Value> = ids
        .map(|id| serde_json::json!({ "id": id, "name": format!("item {id}") }))
        .collect();
    Ok(json(
        serde_json::json!({ "page": p.page, "items": items, "next": next }),
    ))
}

async fn flaky(
    State(shared): State<Arc<Shared>>,
    Path(key): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, Bad> {
    let (key, fail) = params::flaky(&key, q.as_deref())?;
    let attempt = {
        let mut seen = shared.flaky.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_KEYS && !seen.contains_key(&key) {
            seen.clear();
        }
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        *n
    };
    if attempt <= fail {
        return Err(Bad {
            status: 503,
            message: format!(
                "attempt {attempt} for `{key}` fails on purpose (the first {fail} do)"
            ),
        });
    }
    Ok(json(serde_json::json!({ "key": key, "attempt": attempt })))
}

/// Decrements the in-flight count however the handler ends (a client that hangs up drops it).
struct InFlight<'a>(&'a AtomicU64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}

async fn limited(State(shared): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let (max, ms) = match params::limited(q.as_deref()) {
        Ok(v) => v,
        Err(bad) => return bad.into_response(),
    };
    let now = shared.in_flight.fetch_add(1, Relaxed) + 1;
    let _slot = InFlight(&shared.in_flight);
    if now > max {
        let body = format!("{now} requests in flight; the limit is {max}\n");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            body,
        )
            .into_response();
    }
    tokio::time::sleep(Duration::from_millis(ms)).await;
    json(serde_json::json!({ "in_flight": now, "max": max }))
}

async fn status(Path(code): Path<String>, RawQuery(q): RawQuery) -> Result<Response, Bad> {
    let code = params::status(&code, q.as_deref())?;
    let status = StatusCode::from_u16(code).map_err(|_| Bad::request("not a status code"))?;
    // 204 and 304 responses have no body.
    let body = match code {
        204 | 304 => String::new(),
        _ => format!("status {code}\n"),
    };
    Ok((status, body).into_response())
}

/// FastAPI's `StreamingResponse`: each chunk is sent as soon as it is produced, so the client
/// can use it before the last one exists.
async fn stream(RawQuery(q): RawQuery) -> Result<Response, Bad> {
    let (chunks, ms) = params::stream(q.as_deref())?;
    let body = futures::stream::unfold(0u64, move |i| async move {
        if i == chunks {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let line = format!("{}\n", serde_json::json!({ "chunk": i }));
        Some((Ok::<_, Infallible>(line), i + 1))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(body),
    )
        .into_response())
}

async fn work(Path(style): Path<String>, RawQuery(q): RawQuery) -> Result<Response, Bad> {
    let style = params::work_style(&style)?;
    let ms = params::work(style, q.as_deref())?;
    let d = Duration::from_millis(ms);
    match style {
        // Awaiting: this handler is parked and the thread serves other connections.
        Style::Async => tokio::time::sleep(d).await,
        // The pitfall: the server's only thread sleeps, and so does every other request.
        Style::Blocking => std::thread::sleep(d),
        // The fix for blocking code you cannot rewrite: run it on tokio's blocking pool.
        Style::Offload => tokio::task::spawn_blocking(move || std::thread::sleep(d))
            .await
            .map_err(|e| Bad {
                status: 500,
                message: format!("the offloaded work failed: {e}"),
            })?,
    }
    Ok(json(
        serde_json::json!({ "style": style.as_str(), "ms": ms }),
    ))
}

/// Middleware around every request: stamps `x-connection` on the response and logs one line.
async fn observe(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    req: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let target: String = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .chars()
        .take(200)
        .collect();
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(CONNECTION_HEADER, HeaderValue::from(peer.connection));
    if let Some(log) = &shared.log {
        let line = RequestLog {
            connection: peer.connection,
            peer: peer.addr,
            method,
            target,
            status: res.status().as_u16(),
            elapsed: start.elapsed(),
        };
        // Never wait for the reader: a full queue drops the line and counts it.
        if let Err(mpsc::error::TrySendError::Full(_)) = log.try_send(line) {
            shared.dropped.fetch_add(1, Relaxed);
        }
    }
    res
}

/// Who is on the other end of a connection, and which connection it is.
#[derive(Debug, Clone, Copy)]
struct Peer {
    addr: SocketAddr,
    connection: u64,
}

/// Accepts connections until `stop`, serving each on a task of its own; then lets every
/// connection finish its in-flight request (idle ones close at once) and returns.
///
/// What `axum::serve` does, plus hyper's timer: `header_read_timeout` closes a connection that
/// has not sent a complete request head within `idle`, counted from when hyper starts waiting
/// for one (at accept, and again after each response).
async fn serve(
    listener: TcpListener,
    accepted: Arc<AtomicU64>,
    app: Router,
    stop: oneshot::Receiver<()>,
    idle: Duration,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let (closing, closing_rx) = tokio::sync::watch::channel(());
    let mut connections = tokio::task::JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (io, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait and try again (axum's own
                // listener does the same) rather than ending the server.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        // Small responses go out at once rather than waiting to be coalesced.
        let _ = io.set_nodelay(true);
        let peer = Peer {
            addr,
            connection: accepted.fetch_add(1, Relaxed) + 1,
        };
        // `ConnectInfo<Peer>` is read from the request's extensions, where axum's
        // `into_make_service_with_connect_info` would have put it.
        let service = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(Body::new)
            });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let mut closing = closing_rx.clone();
        connections.spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(idle)
                .serve_connection(TokioIo::new(io), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = closing.changed() => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
        // Forget the connections that ended, so the set holds only live ones.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = closing.send(());
    while connections.join_next().await.is_some() {}
}
