//! The phrases the grader (`asyncwork check`) looks for in failure messages
//! to say *why* a test failed. Every message that means one of these things
//! contains the phrase, so the grader can classify it without knowing the
//! test. Keep them stable: changing one here needs the same change in the
//! grader.

/// The runtime's thread could not run other tasks for a while (a blocking
/// call, `std::thread::sleep`, a `join()` on a thread, a nested runtime, a
/// long loop). The grader reports it as "blocks the runtime".
pub const RUNTIME_BLOCKED: &str = "the runtime was blocked";

/// Right answer, wrong shape in time (sequential where concurrent was asked,
/// waited too long...). The grader reports it as "timing is off".
pub const SIMULATED_TIME: &str = "of simulated time";
