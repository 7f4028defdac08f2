//! Exercise 11: HTTP clients (solution).

use std::time::Duration;

use futures::future::join_all;
use support::ServiceError;
use support::http::{Client, HttpService, Response};
use tokio::time::{sleep, timeout};

/// One client, all requests together, outcomes in input order.
pub async fn fetch_all(service: &HttpService, paths: &[&str]) -> Vec<Result<Response, ServiceError>> {
    // Creating a client is the expensive part (handshakes, a new connection
    // pool); reusing one is free. In an application, create it once at
    // startup (the lifespan of exercise 07) and share it: reqwest's `Client`
    // is an `Arc` inside, so cloning it into tasks is cheap, like this one.
    let client = service.connect().await;
    // A handful of paths: `join_all` on this task is enough. For many, bound
    // it (`buffered(n)`, exercise 05): servers rate-limit too.
    join_all(paths.iter().map(|path| client.get(path))).await
}

/// How to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (at least 1).
    pub max_attempts: u32,
    /// The wait after the first failed attempt; it doubles after each failure.
    pub base_delay: Duration,
    /// Each attempt is abandoned after this long.
    pub per_attempt_timeout: Duration,
}

/// Only failures that may go away by themselves are worth retrying.
fn is_transient(error: &ServiceError) -> bool {
    matches!(error, ServiceError::Unavailable(_) | ServiceError::Timeout | ServiceError::TooManyRequests)
}

/// GET with per-attempt timeouts and exponential backoff.
pub async fn get_with_retry(client: &Client, path: &str, policy: &RetryPolicy) -> Result<Response, ServiceError> {
    let mut delay = policy.base_delay;
    let mut attempt = 1;
    loop {
        // The timeout wraps one attempt, not the whole loop: a hung attempt
        // is abandoned (dropped) and retried. Wrap the whole call in a second
        // `timeout` if the caller also needs an overall deadline.
        let outcome = match timeout(policy.per_attempt_timeout, client.get(path)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(ServiceError::Timeout),
        };
        match outcome {
            Ok(response) => return Ok(response),
            Err(error) if is_transient(&error) && attempt < policy.max_attempts => {
                // Real clients add random jitter to `delay` so that many
                // clients that failed together do not retry in lockstep.
                // Crates such as `backon` or `tokio-retry` package all this.
                sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            // Permanent error, or out of attempts: give up with this error.
            Err(error) => return Err(error),
        }
    }
}

// ----- the real thing: reqwest against a loopback server -----------------

/// GET `url` and return its body as text; a 4xx or 5xx answer is an error.
pub async fn get_text(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    client.get(url).send().await?.error_for_status()?.text().await
}

/// One client for the application's lifetime.
pub struct Fetcher {
    // A `reqwest::Client` is a handle on a connection pool (an `Arc` inside):
    // keep one and every request after the first reuses an open keep-alive
    // connection instead of a new TCP handshake (and, with https, a new TLS
    // handshake). Clone it into tasks if you spawn: clones share the pool.
    client: reqwest::Client,
}

impl Fetcher {
    pub fn new() -> Fetcher {
        Fetcher { client: reqwest::Client::new() }
    }

    /// Every request at once, on one client, outcomes in input order.
    pub async fn fetch_all(&self, urls: &[String]) -> Vec<Result<String, reqwest::Error>> {
        // HTTP/1.1 carries one request at a time per connection, so N
        // requests at once open N connections the first time; the next batch
        // finds them idle in the pool. For hundreds of URLs, bound it
        // (`stream::iter(..).buffered(n)`, exercise 05): servers limit you.
        join_all(urls.iter().map(|url| get_text(&self.client, url))).await
    }
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new()
    }
}
