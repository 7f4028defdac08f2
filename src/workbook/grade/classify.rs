//! Naming a failure in the learner's terms: timing, blocking, a `todo!()` left in, a panic in
//! their code, a wrong result, a crash.
//!
//! The test harness only says "panicked at FILE:LINE: MESSAGE". Two things tell the kinds apart:
//! where the panic happened (the learner's `src/` or the pristine `tests/`), and marker phrases in
//! the message. The markers the support crate writes live in one file shared by both sides,
//! `exercises/support/src/markers.rs`, included here as [`markers`]; the phrases of std and tokio
//! (not ours to change) are the constants below.

use crate::workbook::libtest::Failure;
use crate::workbook::process::Finished;
use crate::workbook::report::FailureKind;

/// The support crate's marker phrases (the same file it compiles as `support::markers`).
#[path = "../../../exercises/support/src/markers.rs"]
pub(crate) mod markers;

/// Phrases that mean "the runtime was blocked", lower case.
const BLOCKING: [&str; 3] = [
    markers::RUNTIME_BLOCKED,
    markers::BLOCKED_THE_RUNTIME,
    markers::BLOCKING_THE_RUNTIME,
];

/// Phrases that mean "right answer, wrong shape in time", lower case: on the paused clock, or on
/// the wall clock for the real-I/O tests.
const TIMING: [&str; 2] = [markers::SIMULATED_TIME, markers::WALL_CLOCK_TIME];

/// How std's `todo!()` and `unimplemented!()` messages start.
const TODO_PREFIXES: [&str; 2] = ["not yet implemented", "not implemented"];

/// A panic reported by a test (a spawned task that panicked, an `expect` on a `JoinError`) rather
/// than a check that failed.
const PANIC_PHRASES: [&str; 3] = ["panicked", "joinerror::panic", "task panicked"];

/// Name the failure from the panic message and where it happened.
pub(crate) fn classify(exercise: &str, failure: &Failure) -> FailureKind {
    let msg = failure.message.to_lowercase();
    let loc = failure.location.as_deref().unwrap_or_default();
    if BLOCKING.iter().any(|m| msg.contains(m)) {
        FailureKind::Blocking
    } else if TIMING.iter().any(|m| msg.contains(m)) {
        FailureKind::Timing
    } else if TODO_PREFIXES.iter().any(|p| msg.starts_with(p)) {
        FailureKind::Todo
    } else if loc.starts_with(&format!("{exercise}/src/")) || loc.starts_with("src/") {
        FailureKind::Panic
    } else if loc.contains("/tests/") || loc.starts_with("tests/") || loc.starts_with("support/") {
        if PANIC_PHRASES.iter().any(|p| msg.contains(p)) {
            FailureKind::Panic
        } else {
            FailureKind::Assertion
        }
    } else {
        FailureKind::Panic
    }
}

/// Say how a test program that ended without a verdict died: a signal, a stack overflow, or an
/// exit code with the tail of what it wrote to stderr.
pub(crate) fn describe_crash(f: &Finished) -> String {
    let stderr_hint = if f.stderr.contains("has overflowed its stack") {
        ": a stack overflow (endless recursion?)"
    } else {
        ""
    };
    match f.signal() {
        Some(sig) => format!("the test program crashed (signal {sig}){stderr_hint}"),
        None => {
            let lines: Vec<&str> = f.stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(8)..].join("\n");
            format!(
                "the test program exited with {} before reporting results{stderr_hint}\n{tail}",
                f.status
                    .and_then(|s| s.code())
                    .map(|c| format!("code {c}"))
                    .unwrap_or_default(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn f(message: &str, location: &str) -> Failure {
        Failure {
            message: message.into(),
            location: Some(location.into()),
            output: String::new(),
        }
    }

    #[test]
    fn classifies_failures() {
        let ex = "03_gather";
        assert_eq!(
            classify(
                ex,
                &f(
                    "took 900 ms of simulated time; run the three calls concurrently",
                    "03_gather/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Timing
        );
        assert_eq!(
            classify(
                ex,
                &f(
                    "the runtime was blocked for ~300 ms: use tokio::time::sleep",
                    "03_gather/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Blocking
        );
        assert_eq!(
            classify(
                ex,
                &f(
                    "took 1221 ms of wall-clock time; send the requests together",
                    "11_http_clients/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Timing
        );
        // Older messages that say "of real time" keep their verdict (a wrong result).
        assert_eq!(
            classify(
                ex,
                &f(
                    "took 121 ms of real time for 4 blocking calls of 30 ms",
                    "09_blocking/tests/grade.rs:3:1"
                )
            ),
            FailureKind::Assertion
        );
        assert_eq!(
            classify(ex, &f("not yet implemented", "03_gather/src/lib.rs:9:5")),
            FailureKind::Todo
        );
        assert_eq!(
            classify(ex, &f("oops", "03_gather/src/lib.rs:9:5")),
            FailureKind::Panic
        );
        assert_eq!(
            classify(
                ex,
                &f(
                    "assertion `left == right` failed",
                    "03_gather/tests/grade.rs:9:5"
                )
            ),
            FailureKind::Assertion
        );
    }

    #[test]
    fn every_phrase_is_lower_case() {
        // The message is lower-cased before matching; a marker with a capital would never match.
        for m in BLOCKING
            .iter()
            .chain(&TIMING)
            .chain(&TODO_PREFIXES)
            .chain(&PANIC_PHRASES)
        {
            assert_eq!(*m, m.to_lowercase());
        }
        for phrase in BLOCKING {
            let msg = format!("The code {} here", phrase.to_uppercase());
            assert_eq!(
                classify("03_gather", &f(&msg, "03_gather/tests/grade.rs:1:1")),
                FailureKind::Blocking
            );
        }
    }

    /// The panic message of `check`, as the test harness would show it.
    fn panic_message(check: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let err = std::panic::catch_unwind(check).expect_err("the check fails");
        std::panic::set_hook(hook);
        err.downcast_ref::<String>()
            .cloned()
            .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    }

    /// The support crate's real messages (it is a dev-dependency) are classified as meant: the two
    /// sides agree because they share `markers.rs`, and this proves the messages use it.
    #[test]
    fn the_support_crates_messages_are_classified_as_meant() {
        use support::grade::{
            Blocking, expect_not_blocked, expect_real_time_at_most, expect_simulated,
            expect_simulated_at_most, expect_simulated_without_blocking,
        };
        let at = "03_gather/tests/grade.rs:12:5";
        let ms = Duration::from_millis;
        let blocked = Blocking {
            in_sync_calls: ms(30),
            longest_stall: ms(30),
        };
        let cases: Vec<(String, FailureKind)> = vec![
            (
                panic_message(|| expect_simulated(ms(900), 300, "run them concurrently")),
                FailureKind::Timing,
            ),
            (
                panic_message(|| expect_simulated_at_most(ms(900), 300, "run them concurrently")),
                FailureKind::Timing,
            ),
            (
                panic_message(|| {
                    expect_real_time_at_most(ms(1600), 400, "send the eight requests together")
                }),
                FailureKind::Timing,
            ),
            (
                panic_message(|| expect_not_blocked(&blocked, "use spawn_blocking")),
                FailureKind::Blocking,
            ),
            (
                panic_message(|| {
                    expect_simulated_without_blocking(ms(0), &blocked, 300, "use tokio's sleep")
                }),
                FailureKind::Blocking,
            ),
        ];
        for (message, kind) in cases {
            assert!(!message.is_empty());
            assert_eq!(classify("03_gather", &f(&message, at)), kind, "{message}");
        }
    }
}
