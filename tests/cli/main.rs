//! Tests through the built binary, the way a person types the commands: the lesson commands and
//! `lesson run`, claims, every command's first line, hostile input, the learner's path, the
//! terminal screens (tmux), the demo server and `--python`.
//!
//! Tests whose verdict depends on real time hold `common::timing()`; tests that keep a core busy
//! hold `common::busy()`, so the two never run side by side in this one process. The few tests
//! here that compile an exercise are in the slow tier (`#[ignore = "builds exercise crates"]`).

#[path = "../common/mod.rs"]
mod common;

mod claims;
mod commands;
mod hostile;
mod learner;
mod lesson_cli;
mod python_lessons;
mod python_runner;
mod run_cli;
mod server;
mod signals;
mod terminal;
