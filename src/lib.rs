//! asyncwork: a command-line workbook that teaches async Rust.
//!
//! Data flows one way: lesson file -> validated model (`lesson`) -> demo spec -> engine (`demo`)
//! -> report -> renderers (`render`).

pub mod demo;
pub mod progress;
pub mod workbook;
