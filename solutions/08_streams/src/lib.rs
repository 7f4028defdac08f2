//! Exercise 08: streams (solution).

use futures::stream::{self, Stream, StreamExt};
use support::pages::PagedApi;

/// Every item of every page, fetched lazily.
pub fn all_items(api: &PagedApi) -> impl Stream<Item = u32> + '_ {
    // `unfold(state, step)`: each time the consumer wants more, `step` gets
    // the state and returns `Some((value, next_state))` or `None` to end.
    // Here the state is "the next page to fetch, if any", and each value is a
    // whole page; `flatten` turns the stream of pages into a stream of items.
    // Nothing runs before the first poll, and page N+1 is fetched only when
    // page N's items are used up: the behaviour of a Python async generator.
    //
    // Alternative: the `async-stream` crate's `stream!` macro lets you write
    // `yield item` in a loop, closer to Python's syntax.
    stream::unfold(Some(0), move |next_page| async move {
        let page_no = next_page?; // `None` state: no more pages, end the stream
        let page = api.fetch_page(page_no).await;
        Some((stream::iter(page.items), page.next_page))
    })
    .flatten()
}

/// Every item of the stream, collected.
pub async fn collect_all(items: impl Stream<Item = u32>) -> Vec<u32> {
    // The async list comprehension `[x async for x in items]`.
    items.collect().await
}

/// The first item above `threshold`, taking as few items as possible.
pub async fn first_above(items: impl Stream<Item = u32>, threshold: u32) -> Option<u32> {
    // A stream built by `unfold` holds a future across polls, so it is
    // `!Unpin`: it must stay put in memory once polled. `next()` needs a
    // pinned (or Unpin) stream, and `pin!` pins it on the stack.
    let mut items = std::pin::pin!(items);
    while let Some(item) = items.next().await {
        if item > threshold {
            // Returning drops the stream: no further page is ever fetched.
            return Some(item);
        }
    }
    None
    // Shorter, same behaviour: `items.filter(..).next()` after pinning, or
    // `StreamExt::skip_while` + `next`.
}
