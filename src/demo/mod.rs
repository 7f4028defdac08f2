//! The scenario engine: a lesson's demo is a set of tasks run under several strategies on tokio.
//!
//! Data flows one way: `spec` (what the lesson file says) -> engine (runs, records spans) -> report
//! (pure data) -> renderers. The engine never prints.

pub mod spec;
