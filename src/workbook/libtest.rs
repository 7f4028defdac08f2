//! Reading the output of the Rust test harness (libtest; its JSON format needs nightly).
//!
//! Only to explain a failure: the panic message, its location, what the test printed. Whether a
//! test passed never comes from here: the code under test shares stdout with the harness and can
//! print `test NAME ... ok` (see `grade::judge` and `grade::proof` for where it comes from).

use std::collections::BTreeMap;

/// One failing test's captured block (`---- name stdout ----`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The panic message(s), without the "thread ... panicked at" line and the backtrace note.
    pub(crate) message: String,
    /// `file:line:col` of the first panic.
    pub(crate) location: Option<String>,
    /// What the test printed before panicking.
    pub(crate) output: String,
}

/// What stdout explains about failures. Not whether a test passed (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) failures: BTreeMap<String, Failure>,
    /// The `test result:` line was seen (the harness finished normally).
    pub(crate) completed: bool,
}

/// Parse `--list --format terse` output: one `name: test` per test.
pub(crate) fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// Parse a test binary's stdout for its failure blocks.
pub(crate) fn parse(stdout: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("test result: ") {
            parsed.completed = true;
            continue;
        }
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            let mut block = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("---- ") && next.ends_with(" stdout ----") {
                    break;
                }
                // The summary list after the blocks.
                if *next == "failures:" || next.starts_with("test result: ") {
                    break;
                }
                block.push(lines.next().unwrap_or_default());
            }
            parsed
                .failures
                .insert(name.to_string(), parse_block(&block));
        }
    }
    parsed
}

/// Split a failure block into printed output and panic message(s).
fn parse_block(block: &[&str]) -> Failure {
    let mut failure = Failure::default();
    let mut output = Vec::new();
    let mut messages: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in block {
        // "thread 'name' panicked at ...", since Rust 1.92 "thread 'name' (1234) panicked at ...".
        if line.starts_with("thread '") && line.contains(" panicked at ") {
            if let Some(msg) = current.take() {
                messages.push(msg.join("\n"));
            }
            // Since Rust 1.73: "thread 'x' panicked at file:line:col:" and the message below.
            let after = line
                .split_once(" panicked at ")
                .map(|(_, a)| a)
                .unwrap_or_default();
            let (loc, inline_msg) = match after.strip_suffix(':') {
                Some(loc) => (loc.to_string(), None),
                // Older form: "panicked at 'msg', file:line:col".
                None => match after.rsplit_once("', ") {
                    Some((m, loc)) => (
                        loc.to_string(),
                        Some(m.trim_start_matches('\'').to_string()),
                    ),
                    None => (after.to_string(), None),
                },
            };
            locations.push(loc);
            current = Some(Vec::new());
            if let Some(m) = inline_msg {
                messages.push(m);
                current = None;
            }
            continue;
        }
        if line.starts_with("note: run with `RUST_BACKTRACE=")
            || line.starts_with("stack backtrace:")
        {
            if let Some(msg) = current.take() {
                messages.push(msg.join("\n"));
            }
            continue;
        }
        match current.as_mut() {
            Some(msg) => msg.push(line),
            None => output.push(*line),
        }
    }
    if let Some(msg) = current.take() {
        messages.push(msg.join("\n"));
    }
    let panics: Vec<(&String, &String)> = locations.iter().zip(&messages).collect();
    let kept = relevant_panics(&panics);
    failure.location = kept.first().map(|(loc, _)| loc.to_string());
    failure.message = kept
        .iter()
        .map(|(_, m)| m.trim_end().to_string())
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    failure.output = output.join("\n").trim().to_string();
    failure
}

/// How std's `todo!()` and `unimplemented!()` messages start.
pub(crate) const TODO_PREFIXES: [&str; 2] = ["not yet implemented", "not implemented"];

/// A panic reported by a test (a spawned task that panicked, an `expect` on a `JoinError`) rather
/// than a check that failed.
pub(crate) const PANIC_PHRASES: [&str; 3] = ["panicked", "joinerror::panic", "task panicked"];

/// The panics that explain a failure, from all those printed in its block (location, message),
/// in order. The last one ended the test. An earlier one explains it when the last one reports a
/// panic (a task's `JoinError`, "task panicked") or when it is a `todo!()` left in (a task on
/// another worker may hit it before the test fails for want of its result); any other earlier
/// panic was caught by the code under test and has nothing to do with the failure (code that
/// panics inside its own `catch_unwind` must not become the failure's message and location).
fn relevant_panics<'a>(panics: &[(&'a String, &'a String)]) -> Vec<(&'a String, &'a String)> {
    let Some((last, earlier)) = panics.split_last() else {
        return Vec::new();
    };
    let reports_a_panic = {
        let m = last.1.to_lowercase();
        PANIC_PHRASES.iter().any(|p| m.contains(p))
    };
    let mut kept: Vec<(&String, &String)> = earlier
        .iter()
        .filter(|(_, m)| {
            reports_a_panic || TODO_PREFIXES.iter().any(|p| m.trim_start().starts_with(p))
        })
        .copied()
        .collect();
    kept.push(*last);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILING: &str = "
running 3 tests
test returns_every_part ... ok
test slow_one ... ignored, takes long
test runs_the_calls_concurrently ... FAILED

failures:

---- runs_the_calls_concurrently stdout ----
fetching user
fetching orders

thread 'runs_the_calls_concurrently' panicked at 03_gather/tests/grade.rs:31:5:
took 900 ms of simulated time; run the three calls concurrently to finish in about 300 ms
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    runs_the_calls_concurrently

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s

";

    #[test]
    fn parses_results_and_failures() {
        let p = parse(FAILING);
        assert!(p.completed);
        // Result lines on stdout are not results (the learner's code can print them).
        assert_eq!(p.failures.len(), 1);
        let f = &p.failures["runs_the_calls_concurrently"];
        assert_eq!(f.location.as_deref(), Some("03_gather/tests/grade.rs:31:5"));
        assert_eq!(
            f.message,
            "took 900 ms of simulated time; run the three calls concurrently to finish in about 300 ms"
        );
        assert_eq!(f.output, "fetching user\nfetching orders");
    }

    #[test]
    fn multi_line_and_nested_panics() {
        let out = "running 1 test
test t ... FAILED

failures:

---- t stdout ----

thread 'tokio-runtime-worker' panicked at 03_gather/src/lib.rs:9:5:
not yet implemented: load the dashboard
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

thread 't' (4242) panicked at 03_gather/tests/grade.rs:12:10:
assertion `left == right` failed
  left: 1
 right: 2

failures:
    t

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
        let p = parse(out);
        let f = &p.failures["t"];
        assert_eq!(f.location.as_deref(), Some("03_gather/src/lib.rs:9:5"));
        assert_eq!(
            f.message,
            "not yet implemented: load the dashboard\nassertion `left == right` failed\n  left: 1\n right: 2"
        );
    }

    /// Issue 27: a panic the code caught itself is neither the message nor the location.
    #[test]
    fn a_panic_the_code_caught_is_not_the_failure() {
        let out = "running 1 test
test t ... FAILED

failures:

---- t stdout ----

thread 't' (7) panicked at 02_sequential_vs_concurrent/src/lib.rs:22:41:
caught on purpose
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

thread 't' (7) panicked at support/src/grade.rs:420:9:
the runtime was blocked for ~100 ms during this test

failures:
    t

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s
";
        let f = &parse(out).failures["t"];
        assert_eq!(f.location.as_deref(), Some("support/src/grade.rs:420:9"));
        assert_eq!(
            f.message,
            "the runtime was blocked for ~100 ms during this test"
        );
        // ...but a task's panic that the test reports keeps its place.
        let joined = out.replace(
            "the runtime was blocked for ~100 ms during this test",
            "a request task panicked: JoinError::Panic(Id(3), \"caught on purpose\", ..)",
        );
        let f = &parse(&joined).failures["t"];
        assert_eq!(
            f.location.as_deref(),
            Some("02_sequential_vs_concurrent/src/lib.rs:22:41")
        );
        assert!(
            f.message.starts_with("caught on purpose\n"),
            "{}",
            f.message
        );
    }

    #[test]
    fn killed_mid_run_is_incomplete() {
        let out = "running 2 tests\ntest fast ... ok\ntest endless has been running for over 60 seconds\n";
        let p = parse(out);
        assert!(!p.completed);
        assert!(p.failures.is_empty());
    }

    #[test]
    fn parses_list() {
        let out = "a_test: test\nmod_x::b: test\nsome_bench: bench\n";
        assert_eq!(parse_list(out), vec!["a_test", "mod_x::b"]);
    }
}
