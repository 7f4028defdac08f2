//! reqwest: the HTTP client the lessons name (httpx's counterpart).
//!
//! A `reqwest::Client` holds a connection pool; clones share it. Build one and pass it around
//! (like one `httpx.AsyncClient` for the app's lifetime): every request after the first reuses an
//! open keep-alive connection instead of a TCP handshake. Building a client per request (what
//! `httpx.get(...)` does) opens a new connection every time. The demo server numbers its
//! connections in the `x-connection` header, so [`Reply::connection`] shows which one served a
//! request.

use std::time::Duration;

use crate::io::server::CONNECTION_HEADER;

/// The client every request of a demo run shares. Its own timeout is a backstop: ops set their
/// own deadlines with `tokio::time::timeout`.
pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        // The demo server is on loopback: never send its requests through a proxy from the
        // environment (HTTP_PROXY).
        .no_proxy()
        .timeout(Duration::from_secs(65))
        .build()
        .map_err(|e| describe(&e))
}

/// What a GET returned.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The server connection that answered (`x-connection`), when the server said.
    pub connection: Option<u64>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `503 Service Unavailable: the first line of the body`.
    pub fn describe_status(&self) -> String {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        let body = String::from_utf8_lossy(&self.body);
        let line: String = body
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(120)
            .collect();
        match (reason, line.is_empty()) {
            (r, true) => format!("{} {r}", self.status).trim_end().to_string(),
            (r, false) => format!("{} {r}: {line}", self.status),
        }
    }
}

/// GETs `url` and reads the whole body, calling `on_chunk` with each piece as it arrives (a
/// streamed body comes in pieces). Any status is a `Reply`; transport errors are `Err`.
pub async fn get(
    client: &reqwest::Client,
    url: &str,
    mut on_chunk: impl FnMut(&[u8]),
) -> Result<Reply, String> {
    let mut res = client.get(url).send().await.map_err(|e| describe(&e))?;
    let status = res.status().as_u16();
    let connection = res
        .headers()
        .get(CONNECTION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let mut body = Vec::new();
    // Reading to the end also returns the connection to the pool for the next request.
    while let Some(chunk) = res.chunk().await.map_err(|e| describe(&e))? {
        on_chunk(&chunk);
        if body.len() < 1 << 20 {
            body.extend_from_slice(&chunk);
        }
    }
    Ok(Reply {
        status,
        connection,
        body,
    })
}

/// A reqwest error with its causes (`error sending request: connection refused`), on one line.
pub fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
