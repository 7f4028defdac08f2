//! Exercise 08: streams.
//!
//! A `Stream` is the async version of an iterator: `next().await` gives the
//! next item, or `None` at the end. It is what Python's async generators
//! (`async def` + `yield`, consumed with `async for`) become in Rust.
//!
//! Read README.md, then make the tests pass: `asyncwork check 08_streams`.

use futures::{Stream, StreamExt};
use support::pages::PagedApi;

/// Every item of every page, in order, as a stream. Pages are fetched
/// lazily: page N+1 only once the consumer has used up page N, and nothing at
/// all before the first item is asked for.
///
/// TODO: yields nothing. Build the stream, for example with
/// `futures::stream::unfold` (the state: the next page to fetch, if any).
pub fn all_items(api: &PagedApi) -> impl Stream<Item = u32> + '_ {
    let _ = api;
    futures::stream::empty()
}

/// Every item of `items`, collected into a `Vec`: the async list
/// comprehension `[item async for item in items]`. The grading tests call it
/// as `collect_all(all_items(&api))`, and with streams of their own.
///
/// TODO: implement it (one line with `StreamExt::collect`).
pub async fn collect_all(items: impl Stream<Item = u32>) -> Vec<u32> {
    let _ = items;
    todo!("collect every item of the stream")
}

/// The first item of `items` greater than `threshold`, taking no more items
/// from the stream than needed to find it (so that `all_items` fetches no more
/// pages than needed).
///
/// TODO: correct, but takes every item of the stream before looking. Take
/// the items one by one (`StreamExt::next`) and stop as soon as you find one.
pub async fn first_above(items: impl Stream<Item = u32>, threshold: u32) -> Option<u32> {
    let items: Vec<u32> = items.collect().await;
    items.into_iter().find(|&item| item > threshold)
}
