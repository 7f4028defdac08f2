//! `http_pages`: an async stream over the demo server's `/pages`, consumed item by item as each
//! page lands (an async generator that fetches the next page only when asked).

use std::pin::pin;
use std::sync::Arc;

use futures::stream::{self, Stream, TryStreamExt};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::http::{fetch, lesson, session};
use super::{Kind, Needs, Open, over_limit};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::lab::{Latency, Session};
use crate::demo::model::{MAX_ITEMS, MAX_MS, Measured};
use crate::io::client::Reply;
use crate::io::params::MAX_PAGE_SIZE;

/// `op = "http_pages"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpPages {
    /// How many items the listing has.
    pub items: u32,
    /// Items per page.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// The delay of each page.
    pub ms: u64,
    /// The loopback latency of the pages, once measured.
    #[serde(skip)]
    pub measured: Measured,
}

fn default_page_size() -> u32 {
    10
}

impl HttpPages {
    /// One request per page, then the empty page that ends the listing.
    fn requests(&self) -> u32 {
        self.items.div_ceil(self.page_size.max(1)) + 1
    }
}

impl Kind for HttpPages {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("items", "how many items the listing has"),
        ("page_size", "items per page, default 10"),
        ("ms", "the delay of each page"),
    ];
    const NEEDS: Needs = Needs::Server;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let mut out: Vec<ParamError> = over_limit("ms", self.ms).into_iter().collect();
        let bad = |key: &str, message: String| ParamError {
            key: Some(key.into()),
            message,
        };
        let (n, size) = (self.items, self.page_size);
        if n == 0 || n > MAX_ITEMS {
            out.push(bad("items", format!("items must be between 1 and {MAX_ITEMS}, got {n}")));
        }
        if size == 0 || u64::from(size) > MAX_PAGE_SIZE {
            out.push(bad(
                "page_size",
                format!("page_size must be between 1 and {MAX_PAGE_SIZE}, got {size}"),
            ));
        }
        let total = self.nominal_ms();
        if total > MAX_MS {
            out.push(bad(
                "items",
                format!("pages x ms = {total} ms is over the {MAX_MS} ms (60 s) limit"),
            ));
        }
        out
    }

    fn nominal_ms(&self) -> u64 {
        u64::from(self.requests()).saturating_mul(self.ms)
    }

    fn added_ms(&self) -> f64 {
        self.measured.0
    }

    fn timer_waits(&self) -> u32 {
        self.requests()
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn items(&self) -> Option<u32> {
        Some(self.items)
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        Map::from_iter([
            ("items".into(), Value::from(self.items)),
            ("page_size".into(), Value::from(self.page_size)),
            // The server's delay per page, in whole real ms (as the Rust op asks for it).
            ("delay".into(), Value::from((self.ms as f64 / speed).round() as u64)),
        ])
    }

    fn estimate(&mut self, latency: Option<&Latency>, speed: f64) {
        if let Some(l) = latency {
            self.measured = lesson(f64::from(self.requests()) * l.warm_ms, speed);
        }
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        Box::pin(consume(cx, id, self))
    }
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
async fn consume(cx: &Arc<Ctx>, id: u32, op: &HttpPages) -> Result<(), String> {
    let s = session(cx)?;
    let delay = (cx.scaled(op.ms).as_secs_f64() * 1000.0).round() as u64;
    let query = format!(
        "size={}&delay={delay}&total={}",
        op.page_size, op.items
    );
    // `try_unfold` holds an `async` block, which is `!Unpin`: pin it before `try_next()`.
    let mut items = pin!(items(cx, s, id, query));
    while let Some(_item) = items.try_next().await? {
        cx.rec.item(id);
    }
    Ok(())
}

