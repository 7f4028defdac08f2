//! `pages`: an async stream of `items` items, one every `ms`, consumed item by item as they
//! arrive (`async for page in pages():` over an async generator).

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::{self, Stream};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::model::{MAX_ITEMS, MAX_MS};

/// `op = "pages"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pages {
    /// How many items the stream yields.
    pub items: u32,
    /// The delay before each item.
    pub ms: u64,
}

/// An async generator of pages: `futures::stream::unfold` threads a state (the next page number)
/// through an async closure. (`async-stream`'s `stream!` macro reads more like Python's `yield`.)
fn page_stream(items: u32, delay: Duration) -> impl Stream<Item = u32> {
    stream::unfold(0u32, move |page| async move {
        if page == items {
            return None;
        }
        tokio::time::sleep(delay).await; // fetch the next page
        Some((page, page + 1))
    })
}

/// Consumes the stream item by item, as the items arrive.
async fn consume(cx: &Arc<Ctx>, id: u32, items: u32, delay: Duration) -> Result<(), String> {
    // The stream holds an `async` block, which is `!Unpin`: `pin!` it before calling `next()`.
    let mut stream = pin!(page_stream(items, delay));
    while let Some(_page) = stream.next().await {
        cx.rec.item(id);
    }
    Ok(())
}

impl Kind for Pages {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("items", "how many items the stream yields"),
        ("ms", "the delay before each item"),
    ];
    const NEEDS: Needs = Needs::Nothing;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let mut out: Vec<ParamError> = over_limit("ms", self.ms).into_iter().collect();
        let n = self.items;
        let total = u64::from(n).saturating_mul(self.ms);
        if n == 0 || n > MAX_ITEMS {
            out.push(ParamError {
                key: Some("items".into()),
                message: format!("items must be between 1 and {MAX_ITEMS}, got {n}"),
            });
        } else if total > MAX_MS {
            out.push(ParamError {
                key: Some("items".into()),
                message: format!("items x ms = {total} ms is over the {MAX_MS} ms (60 s) limit"),
            });
        }
        out
    }

    fn nominal_ms(&self) -> u64 {
        u64::from(self.items) * self.ms
    }

    fn added_ms(&self) -> f64 {
        // Each item is its own sleep, which ends on the first timer tick at or after its
        // deadline.
        f64::from(self.items) * crate::demo::ideal::TIMER_TICK_MS
    }

    fn timer_waits(&self) -> u32 {
        self.items
    }

    fn durations(&self) -> Vec<u64> {
        vec![self.ms, self.nominal_ms()]
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
            ("ms".into(), real(self.ms, speed)),
        ])
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        // Boxed: a stream's state would make every task's future larger (see `Kind::run`).
        Box::pin(consume(cx, id, self.items, cx.scaled(self.ms)))
    }
}
