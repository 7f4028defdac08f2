//! asyncwork: a command-line workbook that teaches async Rust.
//!
//! ```text
//! main.rs -> cli (clap) -> commands::<one per command>::run(&Global, &Args) -> Exit
//!                              |            |                  \
//!   lesson file -> lesson (parse, validate) |                   render (text for people)
//!              -> demo::spec -> demo::runner::Demo -> Demo::run --Observer--> live view
//!                               (typed: Op, Strategy, Claim)   -> report -> expect (claims)
//!   learner crate -> workbook::grade (shadow, cargo, process, judge, classify) -> report
//!   io: loopback server, client, SQLite for demos     progress: the learner's SQLite record
//!   cleanup: temporary folders and process groups to undo if a signal stops asyncwork
//! ```
//!
//! Data flows down and to the right only: the library (`demo`, `lesson`, `workbook`,
//! `progress`, `io`, `text`, `cleanup`) returns data and never prints; `render` and `commands`
//! write to the terminal. `tests/engine/architecture.rs` and the clippy lints in `Cargo.toml` keep it
//! so.

pub mod cleanup;
pub mod cli;
pub mod commands;
pub mod course;
pub mod demo;
pub mod io;
pub mod lesson;
pub mod progress;
pub mod render;
pub(crate) mod text;
pub mod workbook;
