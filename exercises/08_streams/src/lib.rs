//! Exercise 08: streams.
//!
//! A `Stream` is the async version of an iterator: `next().await` gives the
//! next item, or `None` at the end. It is what Python's async generators
//! (`async def` + `yield`, consumed with `async for`) become in Rust.
//!
//! Read README.md, then make the tests pass: `asyncwork check 08_streams`.

use futures::Stream;
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

/// Every item, collected into a `Vec`: the async list comprehension
/// `[item async for item in all_items(api)]`.
///
/// TODO: implement on top of `all_items` (one line with `StreamExt::collect`).
pub async fn collect_all(api: &PagedApi) -> Vec<u32> {
    let _ = api;
    todo!("collect every item of all_items(api)")
}

/// The first item greater than `threshold`, fetching no more pages than
/// needed to find it.
///
/// TODO: correct, but fetches every page before looking. Consume
/// `all_items` item by item and stop as soon as you find one.
pub async fn first_above(api: &PagedApi, threshold: u32) -> Option<u32> {
    let mut items = Vec::new();
    let mut next = Some(0);
    while let Some(page_no) = next {
        let page = api.fetch_page(page_no).await;
        items.extend(page.items);
        next = page.next_page;
    }
    items.into_iter().find(|&item| item > threshold)
}
