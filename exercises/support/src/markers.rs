//! Phrases the grader looks for in a failing test's message.
//!
//! The support crate writes them into its assertion messages; asyncwork's grader reads them to
//! name a failure in the learner's terms ("timing is off", "blocks the runtime"). This one file is
//! compiled into both sides: the support crate declares it as `support::markers`, and asyncwork
//! includes the same file with `#[path]`. A message and the rule that reads it cannot drift apart,
//! and a test on the grader's side feeds the support crate's real messages through classification.
//!
//! Rules for this file: one `pub const` per line, each with a doc comment, written in lower case
//! (the grader matches case-insensitively, as a substring of the message).

/// Right answer, wrong shape in time (sequential where concurrent was asked, waited too long):
/// the code took the wrong amount of virtual time on the paused clock. "timing is off".
pub const SIMULATED_TIME: &str = "of simulated time";
/// The same, measured on the wall clock by the real-I/O tests (a real server, a real database):
/// requests fetched one after another take N times as long. "timing is off". (Not "of real
/// time": older messages of 09, 14 and 15 say that about other mistakes, read as wrong results.)
pub const WALL_CLOCK_TIME: &str = "of wall-clock time";
/// The runtime's thread could not run other tasks for a while (a blocking call,
/// `std::thread::sleep`, a `join()` on a thread, a nested runtime, a long loop), as the watchdog
/// measured it. "blocks the runtime".
pub const RUNTIME_BLOCKED: &str = "the runtime was blocked";
/// Also read as blocking: the same fact in a test's own words.
pub const BLOCKED_THE_RUNTIME: &str = "blocked the runtime";
/// Also read as blocking: the same fact in a test's own words.
pub const BLOCKING_THE_RUNTIME: &str = "blocking the runtime";
/// Simulated services were called from another thread than the test's current-thread runtime
/// (a runtime of the learner's own, in a thread or in `spawn_blocking`). "ran outside the test's
/// runtime".
pub const OFF_RUNTIME: &str = "outside the test's runtime";
