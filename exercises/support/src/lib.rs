//! # support: the simulated world
//!
//! Every exercise talks to services defined here instead of a real database or
//! network (exercises 10 and 11 end with a part on the real thing: a SQLite
//! file and a loopback HTTP server, with helpers here too). Each simulated
//! service:
//!
//! * waits with [`tokio::time::sleep`], never [`std::thread::sleep`], so a test
//!   that runs on the *paused clock* (`#[tokio::test(start_paused = true)]`)
//!   gets its "300 ms" instantly and the same way every run;
//! * notes a call that reaches it from a runtime other than the test's (see
//!   `home.rs`): the test's clock and watchdog must see the work they grade (and a
//!   thread the code starts must not outlive the test: see `threads.rs`);
//! * records what your code did (how many calls started, finished, failed or
//!   were cancelled, how many were in flight at once), so the tests grade
//!   behaviour instead of text.
//!
//! You may read all of it (it is short) but you never need to change it.
//!
//! | module | what lives there | used by |
//! |---|---|---|
//! | [`world`] | users, orders, preferences, reports, tables, mirrors, an audit log | most exercises |
//! | [`api`] | a rate-limited API that counts requests in flight and the peak | 05, 15 |
//! | [`resource`] | connections that record open / close / release | 07 |
//! | [`pages`] | a paginated API | 08 |
//! | [`legacy`] | synchronous "library" functions that really block the thread | 09, 13 |
//! | [`db`] | an in-memory database with a blocking driver and an async one | 10, 14 |
//! | [`http`] | an HTTP-like service with latency, failures and timeouts | 11 |
//! | [`server`] | a request channel to build a tiny server on | 12 |
//! | [`loopback`] | a real HTTP server on 127.0.0.1 that counts connections and requests | 11 |
//! | [`scratch`] | a temporary directory (for a database file) and a per-run token | 10, 11 |
//! | [`grade`] | helpers the tests use: clocks, blocking detection, messages, the grader's proof that a test's body returned | tests |
//! | [`markers`] | the phrases in those messages that asyncwork's grader reads | the grader |

pub mod api;
pub mod db;
pub mod grade;
mod home;
pub mod http;
pub mod legacy;
pub mod loopback;
pub mod markers;
pub mod pages;
pub mod resource;
pub mod scratch;
pub mod server;
pub mod world;

mod calls;
mod proof;
mod threads;
pub use calls::{CallStats, ServiceError};
