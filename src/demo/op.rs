//! Ops: what one task does. One async function per [`Op`] variant; the strategies never look
//! inside.
//!
//! Ops are not yet one file per kind, as strategies (`demo/strategy/`) and claims
//! (`demo/claim/`) are. Adding an op today touches: its name in `OpKind` and its keys in
//! `TaskSpec` (`demo/spec.rs`, with the rows of `stray_params`), its checks and conversion in
//! `demo/spec/io_ops.rs` (for real I/O), its variant and every method of [`Op`] in
//! `demo/model.rs` (several end in `_ =>`: read each), its arm in `run_in` below (a big one in a
//! module of its own: `op/http.rs`, `op/sqlite.rs`), `demo/lab.rs` if it measures something, its
//! entry in `python/plan.rs` and `python/runner.py`, and its row in `lessons/README.md`.

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::{self, Stream};

use crate::demo::ctx::Ctx;
use crate::demo::model::Op;

mod http;
mod resource;
mod sqlite;

/// Runs task `id`'s op. `Err` carries the error message.
pub async fn run(cx: &Arc<Ctx>, id: u32) -> Result<(), String> {
    run_in(cx, id, None).await
}

/// Runs task `id`'s op; `parent` is the outer resource it is nested in, if any.
///
/// The future of this `match` is as large as its largest arm, and 100,000 sleeping tasks each
/// carry one, so the common ops stay small and inline and the big, rare ones (`resource`,
/// `pages`) are boxed (measured: 464 -> 160 bytes per task future, and a quarter less overhead).
async fn run_in(cx: &Arc<Ctx>, id: u32, parent: Option<resource::Open>) -> Result<(), String> {
    match cx.plan.op(id) {
        Op::Sleep { ms } => {
            tokio::time::sleep(cx.scaled(*ms)).await;
            Ok(())
        }
        Op::Block { ms } => block(cx, id, cx.scaled(*ms)).await,
        Op::Cpu { ms } => cpu(cx, id, cx.scaled(*ms)).await,
        Op::Fail { ms, message } => {
            tokio::time::sleep(cx.scaled(*ms)).await;
            Err(message.clone())
        }
        Op::Resource {
            setup_ms,
            ms,
            teardown_ms,
            fails,
        } => {
            let durations = [*setup_ms, *ms, *teardown_ms].map(|m| cx.scaled(m));
            let fails = fails
                .as_ref()
                .map(|(phase, message)| (*phase, message.as_str()));
            Box::pin(resource::run(cx, id, durations, fails, parent)).await
        }
        Op::Pages { items, ms } => Box::pin(pages(cx, id, *items, cx.scaled(*ms))).await,
        Op::Http { .. } => Box::pin(http::get(cx, id)).await,
        Op::HttpRetry { .. } => Box::pin(http::retry(cx, id)).await,
        Op::HttpPages { .. } => Box::pin(http::pages(cx, id)).await,
        Op::Sqlite { ms, offload } => Box::pin(sqlite::query(cx, id, *ms, *offload)).await,
        Op::SqliteBulk { .. } => Box::pin(sqlite::bulk(cx, id)).await,
    }
}

/// The pitfall: `std::thread::sleep` never yields, so on a current-thread runtime nothing else
/// runs until it returns (`time.sleep` inside `async def`). Under the `offload` strategy it runs on
/// tokio's blocking pool instead (`asyncio.to_thread`). Note: it does not advance tokio's paused
/// clock, so the recorder also notes how long the thread was held.
async fn block(cx: &Arc<Ctx>, id: u32, d: Duration) -> Result<(), String> {
    let held = if cx.offload {
        tokio::task::spawn_blocking(move || hold(|| std::thread::sleep(d)))
            .await
            .map_err(|e| e.to_string())?
    } else {
        hold(|| std::thread::sleep(d))
    };
    cx.rec.blocked(id, held);
    Ok(())
}

/// CPU-bound work: also never yields. Offloading it frees the runtime thread, but it still needs a
/// core: on 2 cores, 4 offloaded 100 ms computations take 200 ms.
async fn cpu(cx: &Arc<Ctx>, id: u32, d: Duration) -> Result<(), String> {
    let held = if cx.offload {
        tokio::task::spawn_blocking(move || hold(|| spin(d)))
            .await
            .map_err(|e| e.to_string())?
    } else {
        hold(|| spin(d))
    };
    cx.rec.blocked(id, held);
    Ok(())
}

fn hold(f: impl FnOnce()) -> Duration {
    let t = std::time::Instant::now();
    f();
    t.elapsed()
}

/// Busy-loops for `d` of real time.
fn spin(d: Duration) {
    let end = std::time::Instant::now() + d;
    let mut x: u64 = 1;
    while std::time::Instant::now() < end {
        for _ in 0..1000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        }
        std::hint::black_box(x);
    }
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

/// Consumes the stream item by item, as the items arrive (`async for page in pages():`).
async fn pages(cx: &Arc<Ctx>, id: u32, items: u32, delay: Duration) -> Result<(), String> {
    // The stream holds an `async` block, which is `!Unpin`: `pin!` it before calling `next()`.
    let mut stream = pin!(page_stream(items, delay));
    while let Some(_page) = stream.next().await {
        cx.rec.item(id);
    }
    Ok(())
}
