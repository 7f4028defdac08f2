//! Grading tests for 08_streams. Each page takes 100 ms; 25 items in pages
//! of 10 make 3 pages.

use support::grade::watched;
use std::time::Duration;

use ex08_streams::{all_items, collect_all, first_above};
use futures::StreamExt;
use support::grade::{expect_simulated, measure};
use support::pages::PagedApi;

fn api() -> PagedApi {
    PagedApi::new(25, 10)
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
            let run = measure(collect_all(&api)).await;
            assert!(run.output == (1..=total).collect::<Vec<_>>(), "expected 1..={total}, got {:?}", run.output);
            let pages = total.div_ceil(size) as u64;
            expect_simulated(run.simulated, pages * 100, &format!("fetch each of the {pages} pages once"));
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_above_stops_fetching_once_found() {
    watched(async {
        for (threshold, pages_needed) in [(12, 2), (3, 1), (29, 3)] {
            let api = PagedApi::new(45, 10);
            let run = measure(first_above(&api, threshold)).await;
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
                "finding {want} needs {pages_needed} page(s), but {pages} were fetched: stop consuming the stream once found"
            );
            expect_simulated(run.simulated, pages_needed as u64 * 100, "stop after the page that holds the answer");
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn first_above_gives_none_when_nothing_matches() {
    watched(async {
        let api = api();
        let found = first_above(&api, 100).await;
        assert!(found.is_none(), "no item is above 100, got {found:?}");
    })
    .await
}
