//! The HTTP ops: real requests to the loopback demo server with reqwest.
//!
//! - `http`: one GET, through the run's shared client (its pool reuses connections) or a new
//!   client per request (a new TCP connection every time, like `httpx.get` without a client).
//! - `http_retry`: retries with exponential backoff and jitter, each attempt under its own
//!   timeout; every attempt is a phase on the timeline.
//! - `http_pages`: an async stream over `/pages`, consumed item by item as pages arrive.
//!
//! Every failure (a status of 400 or more, a timeout, a refused connection, a body that is not the
//! JSON expected) is the task's `Err`, with the path and the reason: never a panic.

use std::hash::BuildHasher;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{self, Stream, TryStreamExt};

use crate::demo::ctx::Ctx;
use crate::demo::lab::Session;
use crate::demo::model::Op;
use crate::io::client::{self, Reply};

/// Phase names of `http_retry`'s attempts (the recorder keeps `&'static str` names).
const ATTEMPTS: [&str; 10] = [
    "attempt 1",
    "attempt 2",
    "attempt 3",
    "attempt 4",
    "attempt 5",
    "attempt 6",
    "attempt 7",
    "attempt 8",
    "attempt 9",
    "attempt 10",
];

fn session(cx: &Ctx) -> Result<&Session, String> {
    cx.io
        .as_ref()
        .ok_or_else(|| "this demo run has no demo server".to_string())
}

/// `path` with `{ms}` (scaled by `--speed`) and `{key}` (unique to this copy and run) filled in.
fn fill(cx: &Ctx, s: &Session, id: u32, path: &str, ms: u64) -> String {
    let ms = (cx.scaled(ms).as_secs_f64() * 1000.0).round() as u64;
    path.replace("{ms}", &ms.to_string())
        .replace("{key}", &format!("r{}-t{id}", s.run))
}

/// One GET, its connection recorded; `/stream` lines count as items as they arrive.
async fn fetch(
    cx: &Ctx,
    s: &Session,
    id: u32,
    path: &str,
    new_client: bool,
) -> Result<Reply, String> {
    let url = s.lab.url(path)?;
    let fresh;
    let client = if new_client {
        // What `httpx.get(url)` does: a client (and a connection) for this one request.
        fresh = client::client()?;
        &fresh
    } else {
        s.client.as_ref().map_err(Clone::clone)?
    };
    let lines = path.starts_with("/stream");
    let reply = client::get(client, &url, |chunk| {
        if lines {
            for _ in chunk.iter().filter(|b| **b == b'\n') {
                cx.rec.item(id);
            }
        }
    })
    .await?;
    if let Some(c) = reply.connection {
        cx.rec.connection(id, c);
    }
    Ok(reply)
}

/// `http`: one GET; a status of 400 or more fails the task.
pub(super) async fn get(cx: &Arc<Ctx>, id: u32) -> Result<(), String> {
    let Op::Http {
        path,
        ms,
        new_client,
        timeout_ms,
        ..
    } = cx.plan.op(id)
    else {
        return Err("not an http task".into());
    };
    let s = session(cx)?;
    let path = fill(cx, s, id, path, *ms);
    let request = fetch(cx, s, id, &path, *new_client);
    let reply = match timeout_ms {
        // On expiry the request's future is dropped: reqwest closes that connection.
        Some(t) => tokio::time::timeout(cx.scaled(*t), request)
            .await
            .map_err(|_| format!("GET {path}: no answer within {t} ms"))?,
        None => request.await,
    }
    .map_err(|e| format!("GET {path}: {e}"))?;
    if reply.is_success() {
        Ok(())
    } else {
        Err(format!("GET {path}: {}", reply.describe_status()))
    }
}

/// Worth trying again: the server was overloaded or failing, not told something wrong.
fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

/// A number in [0, 1) from the standard library's per-process random hash keys (no `rand`
/// dependency for one jitter).
fn random_unit() -> f64 {
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u8);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait after failed attempt `n` (1-based): `base * 2^(n-1)`, with "equal jitter" (half of
/// it fixed, half random) so many clients that failed together do not retry together.
fn backoff(base: Duration, n: u32) -> Duration {
    let full = base.mul_f64(2f64.powi(n.saturating_sub(1).min(20) as i32));
    full.mul_f64(0.5 + 0.5 * random_unit())
}

/// `http_retry`: GET until it succeeds, a non-retryable status comes back, or the attempts run
/// out; each attempt is cut off after `timeout_ms`.
pub(super) async fn retry(cx: &Arc<Ctx>, id: u32) -> Result<(), String> {
    let Op::HttpRetry {
        path,
        ms,
        attempts,
        backoff_ms,
        timeout_ms,
        ..
    } = cx.plan.op(id)
    else {
        return Err("not an http_retry task".into());
    };
    let s = session(cx)?;
    let path = fill(cx, s, id, path, *ms);
    let attempts = (*attempts).clamp(1, ATTEMPTS.len() as u32);
    for n in 1..=attempts {
        let phase = cx.rec.phase_begin(id, ATTEMPTS[n as usize - 1]);
        let result =
            tokio::time::timeout(cx.scaled(*timeout_ms), fetch(cx, s, id, &path, false)).await;
        cx.rec.phase_end(phase);
        let error = match result {
            Ok(Ok(reply)) if reply.is_success() => return Ok(()),
            Ok(Ok(reply)) if !retryable(reply.status) => {
                return Err(format!(
                    "GET {path}: {} (not retried: asking again will not change it)",
                    reply.describe_status()
                ));
            }
            Ok(Ok(reply)) => reply.describe_status(),
            Ok(Err(e)) => e,
            Err(_) => format!("no answer within {timeout_ms} ms"),
        };
        if n == attempts {
            return Err(format!(
                "GET {path}: gave up after {attempts} attempts; the last: {error}"
            ));
        }
        tokio::time::sleep(backoff(cx.scaled(*backoff_ms), n)).await;
    }
    Err(format!("GET {path}: no attempt was made"))
}

/// One page of `/pages`: the item ids on it (empty: the listing is over).
fn parse_page(reply: &Reply) -> Result<Vec<u64>, String> {
    let value: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("the page is not JSON: {e}"))?;
    let items = value["items"]
        .as_array()
        .ok_or("the page has no `items` list")?;
    items
        .iter()
        .map(|item| {
            item["id"]
                .as_u64()
                .ok_or_else(|| "an item has no id".into())
        })
        .collect()
}

/// The listing as an async stream of items (an async generator over pages): `try_unfold` fetches
/// the next page only when the consumer asks for more, and stops at the first empty page.
fn items<'a>(
    cx: &'a Ctx,
    s: &'a Session,
    id: u32,
    query: String,
) -> impl Stream<Item = Result<u64, String>> + 'a {
    stream::try_unfold(Some(0u64), move |page| {
        let query = query.clone();
        async move {
            let Some(page) = page else {
                return Ok(None);
            };
            let path = format!("/pages?page={page}&{query}");
            let reply = fetch(cx, s, id, &path, false)
                .await
                .map_err(|e| format!("GET {path}: {e}"))?;
            if !reply.is_success() {
                return Err(format!("GET {path}: {}", reply.describe_status()));
            }
            let ids = parse_page(&reply).map_err(|e| format!("GET {path}: {e}"))?;
            let next = (!ids.is_empty()).then_some(page + 1);
            Ok(Some((stream::iter(ids.into_iter().map(Ok)), next)))
        }
    })
    .try_flatten()
}

/// `http_pages`: `async for item in items():` — each item is handled as soon as its page lands.
pub(super) async fn pages(cx: &Arc<Ctx>, id: u32) -> Result<(), String> {
    let Op::HttpPages {
        items: total,
        page_size,
        ms,
        ..
    } = cx.plan.op(id)
    else {
        return Err("not an http_pages task".into());
    };
    let s = session(cx)?;
    let delay = (cx.scaled(*ms).as_secs_f64() * 1000.0).round() as u64;
    let query = format!("size={page_size}&delay={delay}&total={total}");
    // `try_unfold` holds an `async` block, which is `!Unpin`: pin it before `try_next()`.
    let mut items = pin!(items(cx, s, id, query));
    while let Some(_item) = items.try_next().await? {
        cx.rec.item(id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_equal_jitter() {
        let base = Duration::from_millis(100);
        for n in 1..=4 {
            let full = 100.0 * 2f64.powi(n as i32 - 1);
            let b = backoff(base, n).as_secs_f64() * 1000.0;
            assert!(b >= full / 2.0 - 0.001 && b <= full + 0.001, "{n}: {b}");
        }
        assert!(retryable(503) && retryable(429) && !retryable(404));
    }
}
