//! asyncwork: a command-line workbook that teaches async Rust.
//!
//! Data flows one way: lesson file -> validated model (`lesson`) -> demo spec -> engine (`demo`)
//! -> report -> renderers (`render`). `commands` glue them together for `main.rs`.

pub mod cli;
pub mod commands;
pub mod course;
pub mod demo;
pub mod lesson;
pub mod progress;
pub mod render;
pub mod text;
pub mod workbook;
