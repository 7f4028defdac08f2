//! The slow tier: tests that build exercise crates with cargo (the grader on crafted attempts,
//! the attempts corpus, every lesson snippet compiled). Each is `#[ignore = "builds exercise crates"]`, so
//! `cargo test` skips them and `cargo test -- --include-ignored` (the README's full command, and
//! `.ci/run`) runs them. They share one build cache, `common::exercise_target()`.

#[path = "../common/mod.rs"]
mod common;

mod grading;
mod grading_attempts;
mod snippets;
