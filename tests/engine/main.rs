//! In-process tests: the library called directly, no binary and no exercise build. Engine
//! semantics on tokio's paused clock, the renderers, the real-I/O ops on loopback, the lesson
//! loader's fuzz target, the course's Python snippets under asyncio, the coverage table and the
//! architecture's rules.
//!
//! One binary, not one per file: each integration-test binary links the whole library with
//! tokio, axum, reqwest and rusqlite, so a change in `src/` relinks every one of them.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod coverage;
mod engine_semantics;
mod fuzz_lessons;
mod play;
mod python_snippets;
mod real_io_ops;
mod render;
