//! Exercise 11: HTTP clients.
//!
//! Three habits for calling other services: create one client and reuse it;
//! fetch independent URLs concurrently; retry transient failures with
//! exponential backoff, each attempt under its own timeout. The last part
//! does the first two for real: reqwest against an HTTP server on 127.0.0.1.
//!
//! Read README.md, then make the tests pass: `asyncwork check 11_http_clients`.

use std::time::Duration;

use support::ServiceError;
use support::http::{Client, HttpService, Response};

/// GET every path and return the outcomes in the order of `paths`.
///
/// TODO: creates a new client (100 ms handshake) for every path, and fetches
/// one path after another. Connect once, then fetch all paths concurrently.
pub async fn fetch_all(service: &HttpService, paths: &[&str]) -> Vec<Result<Response, ServiceError>> {
    let mut results = Vec::new();
    for path in paths {
        let client = service.connect().await;
        results.push(client.get(path).await);
    }
    results
}

/// How to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (at least 1).
    pub max_attempts: u32,
    /// The wait after the first failed attempt; it doubles after each failure
    /// (100 ms, 200 ms, 400 ms, ...).
    pub base_delay: Duration,
    /// Each attempt is abandoned after this long and counts as
    /// `ServiceError::Timeout`.
    pub per_attempt_timeout: Duration,
}

/// GET `path`, retrying transient failures (`Unavailable` and `Timeout`)
/// with exponential backoff, up to `policy.max_attempts` attempts. Other
/// errors (`NotFound`) are returned at once. Do not wait after the last
/// attempt. When every attempt fails, return the last error.
///
/// TODO: a single attempt, no timeout. Implement the policy.
pub async fn get_with_retry(client: &Client, path: &str, policy: &RetryPolicy) -> Result<Response, ServiceError> {
    let _ = policy;
    client.get(path).await
}

// ----- the real thing: reqwest against a loopback server -----------------

/// GET `url` and return its body as text; a 4xx or 5xx answer is an error
/// (nothing to change here).
pub async fn get_text(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    client.get(url).send().await?.error_for_status()?.text().await
}

/// Fetches URLs for an application: made once, at startup, and used for
/// every batch of requests after that (like an `httpx.AsyncClient` created in
/// FastAPI's lifespan).
pub struct Fetcher {
    // TODO: keep here what every request should share.
}

impl Fetcher {
    pub fn new() -> Fetcher {
        Fetcher {}
    }

    /// GET every URL (with [`get_text`]) and return the outcomes in the order
    /// of `urls`.
    ///
    /// TODO: builds a new `reqwest::Client` (a new connection pool: a new TCP
    /// connection) for every URL, and fetches one URL after another. Build
    /// ONE client in `Fetcher::new`, keep it in the struct, and send all the
    /// requests together.
    pub async fn fetch_all(&self, urls: &[String]) -> Vec<Result<String, reqwest::Error>> {
        let mut results = Vec::new();
        for url in urls {
            let client = reqwest::Client::new();
            results.push(get_text(&client, url).await);
        }
        results
    }
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new()
    }
}
