//! The scenario engine: a lesson's demo is a set of tasks run under several strategies on tokio.
//!
//! Data flows one way:
//!
//! ```text
//! spec (serde: what the lesson file says) --problems()--> runner::Demo (typed: op::Op,
//!   strategy::Strategy, claim::Claim; plan expands tasks to ids; ideal estimates)
//!   --run()--> a runtime per strategy: the strategy combines the work, each task runs its op
//!   inside a span of the recorder (ctx is what they share) --> report (pure data)
//!   --> expect (claims judged) --> renderers, via an Observer while it runs
//! ```
//!
//! `python` runs the same typed demo under Python's asyncio (an embedded script, the learner's
//! `python3`) and turns what it measured into the same report data, for `lesson run --python`.
//!
//! The engine never prints.

#[macro_use]
pub mod kinds;

pub mod claim;
pub(crate) mod cpu_wait;
pub(crate) mod ctx;
pub(crate) mod ideal;
pub mod interrupt;
pub mod lab;
pub mod model;
pub(crate) mod op;
pub mod plan;
pub mod predict;
pub mod python;
pub(crate) mod recorder;
pub mod report;
pub mod runner;
pub(crate) mod span;
pub mod spec;
pub mod strategy;
pub mod tally;
pub(crate) mod work;
