//! Real I/O for the demos: sleeps explain the idea, real sockets and a real database make it
//! believable.
//!
//! - [`server`]: the loopback demo server (axum on a single-threaded tokio runtime): delays,
//!   pages, a flaky endpoint, a rate limit, status codes, a streaming body and the same slow work
//!   under three handler styles. `asyncwork serve` runs it standalone; demos start one per run.
//! - [`params`]: the server's parameters, parsed and bounded in one place (the handlers and the
//!   lesson validator share it, so a lesson cannot ask for what the server would refuse).
//! - [`client`]: reqwest, the client the lessons name (httpx's counterpart): one shared client, or
//!   one per request to show what connection reuse saves.
//! - [`db`]: rusqlite (a synchronous driver, like `sqlite3`) on a temporary database: a slow query
//!   sized by a one-time calibration and bulk inserts.
//!
//! Nothing here prints: the server reports each request as data through a channel, and
//! `commands/serve.rs` draws it. Nothing here knows the demo engine either: `demo` uses `io`, never
//! the other way round.

pub mod client;
pub mod db;
pub mod params;
pub mod server;
