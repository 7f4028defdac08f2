//! Grading tests for 08_streams. Each page takes 100 ms; 25 items in pages
//! of 10 make 3 pages.

use support::grade::watched;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ex08_streams::{all_items, collect_all, first_above};
use futures::StreamExt;
use support::grade::{expect_simulated, measure};
use support::pages::PagedApi;
use support::scratch::unpredictable;

fn api() -> PagedApi {
    PagedApi::new(25, 10)
}

/// A stream of the test's own: 30 increasing numbers that differ from run to run, and a count
/// of the items taken from it. `collect_all` and `first_above` get the items from their
/// stream and nowhere else.
fn numbers() -> (Vec<u32>, Arc<AtomicUsize>) {
    let items = (0..30).map(|i| 1_000 + i * 10 + unpredictable(10) as u32).collect();
    (items, Arc::new(AtomicUsize::new(0)))
}

fn counted(items: &[u32], taken: &Arc<AtomicUsize>) -> impl futures::Stream<Item = u32> + use<> {
    let taken = taken.clone();
    futures::stream::iter(items.to_vec()).inspect(move |_| {
        taken.fetch_add(1, Ordering::SeqCst);
    })
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_every_item_in_order() {
    watched(async {
        for (total, size) in [(25, 10), (7, 3), (40, 8)] {
            let api = PagedApi::new(total, size);
            let items: Vec<u32> = all_items(&api).collect().await;
            assert!(items == (1..=total).collect::<Vec<_>>(), "expected items 1..={total} in order, got {items:?}");
            let pages = api.pages_fetched() as u32;
            let need = total.div_ceil(size);
            assert!(pages == need, "{total} items in pages of {size} need {need} page fetches, not {pages}");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_stream_fetches_nothing_until_polled() {
    watched(async {
        let api = api();
        let stream = all_items(&api);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let pages = api.pages_fetched();
        assert!(pages == 0, "{pages} page(s) were fetched before anyone asked for an item; fetch inside the stream, lazily");
        drop(stream);
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn the_stream_fetches_only_the_pages_consumed() {
    watched(async {
        let api = api();
        let run = measure(all_items(&api).take(3).collect::<Vec<u32>>()).await;
        assert!(run.output == [1, 2, 3], "the first three items should be 1, 2, 3; got {:?}", run.output);
        let pages = api.pages_fetched();
        assert!(pages == 1, "taking 3 items should fetch 1 page, not {pages}: fetch the next page only when it is needed");
        expect_simulated(run.simulated, 100, "fetch one page for the first three items");
        // Once the consumer stopped (and dropped the stream), nothing goes on fetching.
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let later = api.pages_fetched();
        assert!(
            later == pages,
            "{} more page(s) were fetched after the consumer stopped: a task that fetches ahead (a prefetcher) \
             must stop with the stream, not run on detached",
            later - pages
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn an_empty_api_gives_an_empty_stream() {
    watched(async {
        let api = PagedApi::new(0, 10);
        let items: Vec<u32> = all_items(&api).collect().await;
        assert!(items.is_empty(), "no items expected, got {items:?}");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn collect_all_gets_everything() {
    watched(async {
        for (total, size) in [(7, 3), (33, 5)] {
            let api = PagedApi::new(total, size);
            let run = measure(collect_all(all_items(&api))).await;
            assert!(run.output == (1..=total).collect::<Vec<_>>(), "expected 1..={total}, got {:?}", run.output);
            let pages = total.div_ceil(size) as u64;
            expect_simulated(run.simulated, pages * 100, &format!("fetch each of the {pages} pages once"));
        }
        let (items, taken) = numbers();
        let got = collect_all(counted(&items, &taken)).await;
        assert!(
            got == items,
            "collect_all of a stream of 30 numbers should return those 30 numbers, in order; got {got:?}: collect the \
             stream it is given (and only it)"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_above_stops_fetching_once_found() {
    watched(async {
        for (threshold, pages_needed) in [(12, 2), (3, 1), (29, 3)] {
            let api = PagedApi::new(45, 10);
            let run = measure(first_above(all_items(&api), threshold)).await;
            let want = threshold + 1;
            assert!(run.output == Some(want), "the first item above {threshold} is {want}, got {:?}", run.output);
            let pages = api.pages_fetched();
            assert!(
                pages >= pages_needed,
                "finding {want} needs {pages_needed} page(s), but {pages} were fetched: the answer must come from the pages \
                 (fetch each page as the stream is consumed, and read the items from it)"
            );
            assert!(
                pages == pages_needed,
                "finding {want} needs {pages_needed} page(s), but {pages} were fetched: all_items should fetch a page only when \
                 the consumer reaches its items, and first_above should stop taking items once it has found one"
            );
            expect_simulated(run.simulated, pages_needed as u64 * 100, "stop after the page that holds the answer");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_above_takes_items_only_up_to_the_match() {
    watched(async {
        let (items, taken) = numbers();
        let at = 5 + unpredictable(20) as usize;
        let threshold = items[at] - 1;
        let found = first_above(counted(&items, &taken), threshold).await;
        assert!(
            found == Some(items[at]),
            "the first number above {threshold} in the stream it was given is {}, got {found:?}: look for it in that \
             stream (and only in it)",
            items[at]
        );
        let taken = taken.load(Ordering::SeqCst);
        assert!(
            taken == at + 1,
            "the match was item {} of the stream, but {taken} items were taken from it: take them one by one \
             (StreamExt::next) and stop at the first match",
            at + 1
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_above_gives_none_when_nothing_matches() {
    watched(async {
        let api = api();
        let found = first_above(all_items(&api), 100).await;
        assert!(found.is_none(), "no item is above 100, got {found:?}");
    })
    .await
}
