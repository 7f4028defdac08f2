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

/// Stand-ins for the real crates the real-I/O lessons name, with the signatures of the parts the
/// snippets use (reqwest 0.12, rusqlite 0.40, axum 0.8), so the snippets compile without the
/// crates' build (and without a network). Keep each signature as the real crate has it.
pub mod reqwest {
    use std::time::Duration;

    #[derive(Debug)]
    pub struct Error;
    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("request failed")
        }
    }
    impl std::error::Error for Error {}
    impl Error {
        pub fn is_timeout(&self) -> bool {
            false
        }
        pub fn status(&self) -> Option<StatusCode> {
            None
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct StatusCode(u16);
    impl StatusCode {
        pub const TOO_MANY_REQUESTS: StatusCode = StatusCode(429);
        pub fn as_u16(&self) -> u16 {
            self.0
        }
        pub fn is_success(&self) -> bool {
            (200..300).contains(&self.0)
        }
        pub fn is_server_error(&self) -> bool {
            self.0 >= 500
        }
    }

    #[derive(Debug, Clone, Default)]
    pub struct Client;
    pub struct ClientBuilder;
    pub struct RequestBuilder;
    pub struct Response;

    impl Client {
        pub fn new() -> Client {
            Client
        }
        pub fn builder() -> ClientBuilder {
            ClientBuilder
        }
        pub fn get<U: AsRef<str>>(&self, url: U) -> RequestBuilder {
            RequestBuilder
        }
    }
    impl ClientBuilder {
        pub fn timeout(self, timeout: Duration) -> ClientBuilder {
            self
        }
        pub fn build(self) -> Result<Client, Error> {
            Ok(Client)
        }
    }
    impl RequestBuilder {
        pub fn timeout(self, timeout: Duration) -> RequestBuilder {
            self
        }
        pub async fn send(self) -> Result<Response, Error> {
            Ok(Response)
        }
    }
    impl Response {
        pub fn status(&self) -> StatusCode {
            StatusCode(200)
        }
        pub fn error_for_status(self) -> Result<Response, Error> {
            Ok(self)
        }
        pub async fn text(self) -> Result<String, Error> {
            Ok(String::new())
        }
        pub async fn chunk(&mut self) -> Result<Option<Vec<u8>>, Error> {
            Ok(None)
        }
    }
}

/// rand 0.9's top-level `random_range` (the real one is generic over `SampleUniform`).
pub mod rand {
    pub fn random_range<R: std::ops::RangeBounds<u64>>(range: R) -> u64 {
        match range.start_bound() {
            std::ops::Bound::Included(&n) => n,
            std::ops::Bound::Excluded(&n) => n + 1,
            std::ops::Bound::Unbounded => 0,
        }
    }
}

pub mod rusqlite {
    #[derive(Debug)]
    pub struct Error;
    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("sqlite error")
        }
    }
    impl std::error::Error for Error {}
    pub type Result<T, E = Error> = std::result::Result<T, E>;

    /// A value SQLite can bind (rusqlite's `ToSql`).
    pub trait ToSql {}
    impl ToSql for str {}
    impl ToSql for String {}
    impl ToSql for i64 {}
    impl<T: ToSql + ?Sized> ToSql for &T {}

    /// Bound parameters: `[]`, `[a]`, `[a, b]`, ... as in rusqlite.
    pub trait Params {}
    impl Params for [&(dyn ToSql + Send + Sync); 0] {}
    impl<T: ToSql> Params for [T; 1] {}
    impl<T: ToSql> Params for [T; 2] {}
    impl<T: ToSql> Params for [T; 3] {}

    pub struct Connection;
    pub struct Transaction<'conn>(&'conn mut Connection);
    pub struct Row;

    impl Connection {
        pub fn open<P: AsRef<std::path::Path>>(path: P) -> Result<Connection> {
            Ok(Connection)
        }
        pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
            Ok(1)
        }
        pub fn query_row<T, P: Params, F>(&self, sql: &str, params: P, f: F) -> Result<T>
        where
            F: FnOnce(&Row) -> Result<T>,
        {
            f(&Row)
        }
        pub fn transaction(&mut self) -> Result<Transaction<'_>> {
            Ok(Transaction(self))
        }
    }
    impl Transaction<'_> {
        pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
            Ok(1)
        }
        pub fn commit(self) -> Result<()> {
            Ok(())
        }
    }
    impl Row {
        pub fn get<I, T: Default>(&self, idx: I) -> Result<T> {
            Ok(T::default())
        }
    }
}

pub mod axum {
    use std::future::Future;

    pub struct Router;
    pub struct MethodRouter;
    pub struct Serve;

    impl Router {
        pub fn new() -> Router {
            Router
        }
        pub fn route(self, path: &str, method_router: MethodRouter) -> Router {
            self
        }
    }
    pub mod routing {
        pub fn get<H>(handler: H) -> super::MethodRouter {
            super::MethodRouter
        }
    }
    pub fn serve(listener: tokio::net::TcpListener, app: Router) -> Serve {
        Serve
    }
    impl Serve {
        pub async fn with_graceful_shutdown<F>(self, signal: F) -> std::io::Result<()>
        where
            F: Future<Output = ()> + Send + 'static,
        {
            signal.await;
            Ok(())
        }
    }
    pub mod body {
        pub struct Body;
        impl Body {
            pub fn empty() -> Body {
                Body
            }
        }
    }
    pub mod extract {
        /// `Path(id): Path<u64>` in a handler's arguments.
        pub struct Path<T>(pub T);
    }
    /// axum re-exports the `http` crate: `Request::get(uri).body(b)` builds a request.
    pub mod http {
        #[derive(Debug)]
        pub struct Error;
        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("invalid request")
            }
        }
        impl std::error::Error for Error {}

        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct StatusCode(u16);
        impl StatusCode {
            pub const OK: StatusCode = StatusCode(200);
            pub const NOT_FOUND: StatusCode = StatusCode(404);
        }

        pub struct Request<T>(T);
        pub struct Builder;
        impl Request<()> {
            pub fn get(uri: &str) -> Builder {
                Builder
            }
        }
        impl Builder {
            pub fn body<T>(self, body: T) -> Result<Request<T>, Error> {
                Ok(Request(body))
            }
        }
        pub struct Response;
        impl Response {
            pub fn status(&self) -> StatusCode {
                StatusCode::OK
            }
        }
    }
}

/// tower's `ServiceExt::oneshot`, as axum's `Router` (a tower `Service`) has it: its error
/// type is `Infallible`.
pub mod tower {
    use super::axum::{Router, body::Body, http::Request, http::Response};
    pub trait ServiceExt<R>: Sized {
        fn oneshot(
            self,
            req: R,
        ) -> impl std::future::Future<Output = Result<Response, std::convert::Infallible>>;
    }
    impl ServiceExt<Request<Body>> for Router {
        async fn oneshot(self, req: Request<Body>) -> Result<Response, std::convert::Infallible> {
            Ok(Response)
        }
    }
}

/// Sends a confirmation e-mail (a slow call a handler should not wait for).
pub async fn send_email(to: String) -> Result<(), AppError> {
    Ok(())
}
