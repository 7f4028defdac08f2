//! A paginated API: `fetch_page(n)` returns one page of items and the number
//! of the next page, if any. It counts the pages it served, so a test can tell
//! whether your stream fetched lazily (only what was consumed) or eagerly.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::home::Home;

pub const PAGE_LATENCY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub items: Vec<u32>,
    /// The page to ask for next; `None` on the last page.
    pub next_page: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct PagedApi {
    total: u32,
    page_size: u32,
    fetched: Arc<AtomicUsize>,
    home: Home,
}

impl PagedApi {
    /// Items are `1..=total`, served `page_size` per page, pages numbered from 0.
    pub fn new(total: u32, page_size: u32) -> Self {
        assert!(page_size > 0, "page_size must be positive");
        PagedApi { total, page_size, fetched: Arc::new(AtomicUsize::new(0)), home: Home::here() }
    }

    pub async fn fetch_page(&self, page: u32) -> Page {
        self.home.wait("fetch_page", PAGE_LATENCY).await;
        self.fetched.fetch_add(1, Ordering::SeqCst);
        let first = page * self.page_size + 1;
        let last = (first + self.page_size - 1).min(self.total);
        let items: Vec<u32> = (first..=last).collect();
        let next_page = if last < self.total { Some(page + 1) } else { None };
        Page { items, next_page }
    }

    /// How many pages were fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.fetched.load(Ordering::SeqCst)
    }
}
