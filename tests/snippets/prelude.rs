//! Stubs that lesson snippets may use, so a snippet can show the pattern without the plumbing.
//! Compiled by `tests/snippets.rs`; every snippet glob-imports this module.
//! Add a stub here when a lesson needs one; keep names the lessons' prose uses.
#![allow(dead_code, unused_variables)]

pub use futures::future::join_all;
pub use futures::{Stream, StreamExt, TryStreamExt, stream};
pub use std::collections::HashMap;
pub use std::sync::Arc;
pub use std::time::Duration;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub const ONE_SEC: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Default)]
pub struct User {
    pub id: u64,
    pub name: String,
}
#[derive(Debug, Clone, Default)]
pub struct Order {
    pub id: u64,
    pub total: u64,
}
#[derive(Debug, Clone, Default)]
pub struct Prefs;
#[derive(Debug, Clone, Default)]
pub struct Report;
#[derive(Debug, Clone, Default)]
pub struct Item {
    pub id: u64,
    pub name: String,
}
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<u32>,
}

/// An application error.
#[derive(Debug)]
pub struct AppError(pub String);
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for AppError {}

pub async fn fetch_user(id: u64) -> User {
    User::default()
}
pub async fn fetch_orders(id: u64) -> Vec<Order> {
    Vec::new()
}
pub async fn fetch_preferences(id: u64) -> Prefs {
    Prefs
}
pub async fn try_fetch_user(id: u64) -> Result<User, AppError> {
    Ok(User::default())
}
pub async fn try_fetch_orders(id: u64) -> Result<Vec<Order>, AppError> {
    Ok(Vec::new())
}
pub async fn fetch_report(id: u64) -> Result<Report, AppError> {
    Ok(Report)
}
pub async fn fetch_item(id: u64) -> Item {
    Item::default()
}
pub async fn fetch_page(n: u32) -> Page {
    Page::default()
}
pub async fn create_table(name: String) -> Result<(), AppError> {
    Ok(())
}
pub async fn do_other_work() {}
pub async fn process(item: Item) {}
pub fn blocking_io() {}
pub fn legacy_checksum(data: &[u8]) -> u32 {
    0
}
pub fn crunch(data: Vec<u8>) -> u64 {
    0
}

/// An HTTP client handle: cheap to clone, clones share one pool (like `reqwest::Client`).
#[derive(Debug, Clone, Default)]
pub struct Client;
impl Client {
    pub fn new() -> Self {
        Client
    }
    pub async fn get(&self, url: &str) -> Result<String, AppError> {
        Ok(String::new())
    }
    pub async fn close(self) {}
}

/// A connection pool handle (like `sqlx::PgPool`).
#[derive(Debug, Clone, Default)]
pub struct Pool;
impl Pool {
    pub async fn connect(url: &str) -> Result<Pool, AppError> {
        Ok(Pool)
    }
    pub async fn get_item(&self, id: u64) -> Result<Item, AppError> {
        Ok(Item::default())
    }
    pub async fn close(&self) {}
}

/// A connection with a graceful, async close.
#[derive(Debug, Default)]
pub struct Conn;
impl Conn {
    pub async fn open(url: &str) -> Result<Conn, AppError> {
        Ok(Conn)
    }
    pub async fn query(&mut self, sql: &str) -> Result<Vec<User>, AppError> {
        Ok(Vec::new())
    }
    pub async fn close(self) {}
}

pub async fn find_user(name: &str) -> User {
    User {
        id: 1,
        name: name.to_string(),
    }
}

/// A paginated source: every item, page by page (the `streams` lesson writes it).
pub fn all_items() -> impl Stream<Item = Item> {
    stream::unfold(Some(0u32), |page_no| async move {
        let page = fetch_page(page_no?).await;
        let next = page.next;
        Some((stream::iter(page.items), next))
    })
    .flatten()
}
