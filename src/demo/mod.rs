//! The scenario engine: a lesson's demo is a set of tasks run under several strategies on tokio.
//!
//! Data flows one way: `spec` (what the lesson file says) -> `plan` (tasks expanded to ids) ->
//! `runner` (a runtime per strategy; `strategy` combines the `work`, each task runs its `op`
//! inside a span of the `recorder`) -> `report` (pure data) -> `expect` (claims checked) ->
//! renderers. The engine never prints.

pub mod expect;
pub mod ideal;
pub mod op;
pub mod plan;
pub mod recorder;
pub mod report;
pub mod runner;
pub mod spec;
pub mod strategy;
pub mod work;
