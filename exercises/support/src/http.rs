//! An HTTP-like service: routes with latency, routes that fail the first few
//! attempts (for retries), and a client whose creation is expensive (for
//! "reuse one client").
//!
//! Creating a client costs [`CONNECT_LATENCY`] (think TCP + TLS handshake and
//! a fresh connection pool); reusing one costs nothing. That is why httpx and
//! reqwest both tell you to create one client and share it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::calls::CallBook;
use crate::home::Home;
use crate::ServiceError;

pub const CONNECT_LATENCY: Duration = Duration::from_millis(100);
pub const REQUEST_LATENCY: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub path: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy)]
struct Route {
    latency: Duration,
    fail_first: usize,
}

#[derive(Debug, Default)]
struct Inner {
    routes: HashMap<String, Route>,
    clients: AtomicUsize,
    attempts: Mutex<HashMap<String, Vec<Instant>>>,
    calls: CallBook,
    home: Home,
}

#[derive(Debug, Clone, Default)]
pub struct HttpService {
    inner: Arc<Inner>,
}

impl HttpService {
    pub fn new() -> Self {
        Self::default()
    }

    fn configure(&mut self) -> &mut Inner {
        Arc::get_mut(&mut self.inner).expect("configure the HttpService before cloning it")
    }

    /// A route that answers after [`REQUEST_LATENCY`].
    pub fn route(self, path: &str) -> Self {
        self.slow_route(path, REQUEST_LATENCY)
    }

    /// A route that answers after `latency`.
    pub fn slow_route(mut self, path: &str, latency: Duration) -> Self {
        self.configure().routes.insert(path.to_string(), Route { latency, fail_first: 0 });
        self
    }

    /// A route whose first `fail_first` attempts answer 503.
    pub fn flaky_route(mut self, path: &str, fail_first: usize) -> Self {
        let route = Route { latency: REQUEST_LATENCY, fail_first };
        self.configure().routes.insert(path.to_string(), route);
        self
    }

    /// Create a client: slow, do it once.
    pub async fn connect(&self) -> Client {
        self.inner.home.wait("connect", CONNECT_LATENCY).await;
        self.inner.clients.fetch_add(1, Ordering::SeqCst);
        Client { service: self.clone() }
    }

    pub fn clients_created(&self) -> usize {
        self.inner.clients.load(Ordering::SeqCst)
    }

    /// How many requests were made to `path`.
    pub fn attempts(&self, path: &str) -> usize {
        self.inner.attempts.lock().unwrap().get(path).map_or(0, Vec::len)
    }

    /// When each request to `path` started, relative to the first one.
    pub fn attempt_offsets(&self, path: &str) -> Vec<Duration> {
        let attempts = self.inner.attempts.lock().unwrap();
        let times = attempts.get(path).cloned().unwrap_or_default();
        times.iter().map(|t| *t - times[0]).collect()
    }

    /// The most requests in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.calls.peak_in_flight()
    }
}

/// A connected client. Cheap to clone (clones share the connection pool), so
/// cloning is how you "reuse" it across tasks.
#[derive(Debug, Clone)]
pub struct Client {
    service: HttpService,
}

impl Client {
    pub async fn get(&self, path: &str) -> Result<Response, ServiceError> {
        let inner = &self.service.inner;
        let call = inner.calls.enter("get");
        let attempt = {
            let mut attempts = inner.attempts.lock().unwrap();
            let list = attempts.entry(path.to_string()).or_default();
            list.push(Instant::now());
            list.len()
        };
        let Some(route) = inner.routes.get(path).copied() else {
            inner.home.wait("get", REQUEST_LATENCY).await;
            call.fail();
            return Err(ServiceError::NotFound(path.to_string()));
        };
        inner.home.wait("get", route.latency).await;
        if attempt <= route.fail_first {
            call.fail();
            return Err(ServiceError::Unavailable(format!("{path} (attempt {attempt})")));
        }
        call.succeed();
        Ok(Response { status: 200, path: path.to_string(), body: format!("content of {path}") })
    }
}
