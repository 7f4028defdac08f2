//! Naming a failure in the learner's terms: timing, blocking, a `todo!()` left in, a panic in
//! their code, a wrong result, a crash.
//!
//! The test harness only says "panicked at FILE:LINE: MESSAGE". Two things tell the kinds apart:
//! where the panic happened (the learner's `src/` or the pristine `tests/`), and marker phrases in
//! the message. The markers the support crate writes live in one file shared by both sides,
//! `exercises/support/src/markers.rs`, included here as [`markers`]; the phrases of std and tokio
//! (not ours to change) are the constants below.

use crate::workbook::libtest::{Failure, PANIC_PHRASES, TODO_PREFIXES};
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

/// tokio's own refusals to block the thread that drives tasks, lower case: `block_in_place` on a
/// current-thread runtime, `blocking_lock`/`blocking_recv`/`blocking_send` in async code, a
/// `block_on` inside the runtime (tokio 1.x, `runtime/scheduler/multi_thread/worker.rs`,
/// `future/block_on.rs`, `runtime/context/runtime.rs`).
const TOKIO_REFUSED_TO_BLOCK: [&str; 3] = [
    "can call blocking only when running on the multi-threaded runtime",
    "cannot block the current thread from within a runtime",
    "cannot start a runtime from within a runtime",
];

/// What [`advice`] adds under one of [`TOKIO_REFUSED_TO_BLOCK`]: the panic names the call, not
/// the mistake, and "the multi-threaded runtime" reads like an instruction to switch runtimes.
const TOKIO_REFUSAL_ADVICE: &str = "\ntokio refused to block the thread that runs your tasks: \
    waiting like this in async code blocks the runtime. Await instead (`.lock().await`, \
    `.recv().await`, the future itself), and run work that really blocks with \
    `tokio::task::spawn_blocking(..).await`. A multi-threaded runtime would not fix it: \
    `block_in_place` there still takes a worker away from every other task.";

/// The support crate's phrase for services called from a runtime other than the test's.
const OFF_RUNTIME: [&str; 1] = [markers::OFF_RUNTIME];

/// Name the failure from the panic message and where it happened.
pub(crate) fn classify(exercise: &str, failure: &Failure) -> FailureKind {
    let msg = failure.message.to_lowercase();
    let loc = failure.location.as_deref().unwrap_or_default();
    if OFF_RUNTIME.iter().any(|m| msg.contains(m)) {
        FailureKind::OffRuntime
    } else if BLOCKING
        .iter()
        .chain(&TOKIO_REFUSED_TO_BLOCK)
        .any(|m| msg.contains(m))
    {
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

/// Whether a test program's stderr holds the watchdog's line for a runtime blocked right now
/// ("support: the runtime was blocked for over 1000 ms and still is").
pub(crate) fn says_still_blocked(stderr: &str) -> bool {
    stderr.lines().any(|l| {
        let l = l.to_lowercase();
        l.starts_with("support: ")
            && l.contains(markers::RUNTIME_BLOCKED)
            && l.ends_with("and still is")
    })
}

/// What to add under a failure's own message, when the message alone points the wrong way.
pub(crate) fn advice(failure: &Failure) -> Option<&'static str> {
    let msg = failure.message.to_lowercase();
    TOKIO_REFUSED_TO_BLOCK
        .iter()
        .any(|m| msg.contains(m))
        .then_some(TOKIO_REFUSAL_ADVICE)
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

    /// Issue 27: tokio's own panics for blocking inside the runtime are blocking, with advice
    /// that does not invite switching runtimes; services reached from another runtime are named.
    #[test]
    fn tokio_refusing_to_block_is_blocking_and_says_why() {
        let at = "13_pitfalls/src/lib.rs:20:9";
        for message in [
            "can call blocking only when running on the multi-threaded runtime",
            "Cannot block the current thread from within a runtime. This happens because a \
             function attempted to block the current thread while the thread is being used to \
             drive asynchronous tasks.",
            "Cannot start a runtime from within a runtime. This happens because a function (like \
             `block_on`) attempted to block the current thread",
        ] {
            assert_eq!(
                classify("13_pitfalls", &f(message, at)),
                FailureKind::Blocking
            );
            let extra = advice(&f(message, at)).expect("advice for a tokio refusal");
            assert!(extra.contains("spawn_blocking"), "{extra}");
            assert!(extra.contains("would not fix it"), "{extra}");
        }
        assert_eq!(advice(&f("oops", at)), None);
        let stray = "the work ran outside the test's runtime: `fetch_user` (3 calls) reached the \
                     services from another thread";
        assert_eq!(
            classify(
                "02_sequential_vs_concurrent",
                &f(stray, "support/src/grade.rs:420:9")
            ),
            FailureKind::OffRuntime
        );
    }

    #[test]
    fn every_phrase_is_lower_case() {
        // The message is lower-cased before matching; a marker with a capital would never match.
        for m in BLOCKING
            .iter()
            .chain(&TOKIO_REFUSED_TO_BLOCK)
            .chain(&OFF_RUNTIME)
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

    /// Issue 27: finishing too soon is not told to add concurrency; a service never called is
    /// told so; a fixed schedule gets its advice either way.
    #[test]
    fn too_fast_and_never_called_get_their_own_words() {
        use support::grade::{expect_peak, expect_simulated, expect_simulated_exactly};
        let ms = Duration::from_millis;
        let too_fast = panic_message(|| expect_simulated(ms(0), 220, "start all 50 at once"));
        assert!(
            too_fast.contains("less than the work itself takes"),
            "{too_fast}"
        );
        assert!(!too_fast.contains("start all 50"), "{too_fast}");
        let too_slow = panic_message(|| expect_simulated(ms(900), 300, "run them concurrently"));
        assert!(
            too_slow.contains("run them concurrently to finish in about 300 ms"),
            "{too_slow}"
        );
        let fixed = panic_message(|| expect_simulated_exactly(ms(300), 900, "one after another"));
        assert!(
            fixed.contains("one after another to finish in about 900 ms"),
            "{fixed}"
        );
        let never = panic_message(|| expect_peak(0, 10, "calls", "start all ten"));
        assert!(never.contains("never called"), "{never}");
        assert!(!never.contains("start all ten"), "{never}");
        let some = panic_message(|| expect_peak(3, 10, "calls", "start all ten"));
        assert!(
            some.contains("only 3 calls were in flight at once; start all ten"),
            "{some}"
        );
        let at = "02_sequential_vs_concurrent/tests/grade.rs:40:9";
        assert_eq!(classify("02", &f(&too_fast, at)), FailureKind::Timing);
        assert_eq!(classify("02", &f(&never, at)), FailureKind::Assertion);
    }
}
