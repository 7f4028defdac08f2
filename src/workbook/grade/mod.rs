//! The grader: build the learner's code against the pristine tests, run them with a time limit,
//! classify what happened, record it.
//!
//! One idea per module:
//! * this module: the pipeline (answer unchanged sources from the record, sync the grading copy,
//!   one cargo build, then judge every exercise);
//! * [`pool`]: the bounded worker pool the test programs run in;
//! * [`proof`]: the grader's end of the channel a test's verdict comes from;
//! * [`judge`]: one built exercise's test programs, run and turned into a verdict;
//! * [`classify`]: a failure named in the learner's terms, from marker phrases shared with the
//!   support crate;
//! * [`record`]: what grading reads from and writes to the learner's record.
//!
//! Several exercises are built by one cargo invocation (`--keep-going`, so one that does not
//! compile does not hide the others), then their test programs run in parallel, at most `jobs`
//! at a time, each with its own time limit and process group. The results are data
//! ([`super::report`]); `render::grading` shows them.

mod classify;
mod clock;
mod facts;
mod judge;
mod pool;
mod proof;
mod record;

use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::report::ExerciseReport;
use super::shadow::{self, Sources, Tampered};
use super::{ExerciseInfo, Workbook, cargo, process};
use crate::progress::Progress;

/// The failures a grading test program's stdout explains, each named as the grader names it:
/// test name -> (kind, message). For tools and tests that run a test program themselves (the
/// grader's own attempt suite builds attempts with plain cargo); `relocate` rewrites a panic's
/// `file:line` the way the grader would show it. Whether a test passed is not read from stdout
/// (learner code shares it): see `judge`.
pub fn classify_stdout(
    exercise: &str,
    stdout: &str,
    relocate: impl Fn(&str) -> String,
) -> std::collections::BTreeMap<String, (super::report::FailureKind, String)> {
    super::libtest::parse(stdout)
        .failures
        .into_iter()
        .map(|(name, mut f)| {
            f.location = f.location.as_deref().map(&relocate);
            let kind = classify::classify(exercise, &f);
            (name, (kind, f.message))
        })
        .collect()
}

/// The time limit of a test run when none is given.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The time limit of the build when none is given. The first build compiles tokio (a minute or
/// two on a slow machine); a learner's build after that takes seconds. Ten minutes is far above
/// both and still stops a compile-time endless loop (a `const` that never finishes evaluating, a
/// macro that recurses without end) well before anyone gives up on it.
pub const DEFAULT_BUILD_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// How to grade.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// The limit of each exercise's test programs together.
    pub timeout: Duration,
    /// The limit of the build (cargo and every rustc it starts).
    pub build_timeout: Duration,
    /// Test programs run at once.
    pub jobs: usize,
    /// Answer unchanged sources from the record.
    pub use_record: bool,
}

impl Default for GradeOptions {
    fn default() -> Self {
        GradeOptions {
            timeout: DEFAULT_TIMEOUT,
            build_timeout: DEFAULT_BUILD_TIMEOUT,
            // Half the CPUs: test programs are short (building dominates), and the tests that
            // detect a blocked runtime watch the wall clock, which CPU contention disturbs.
            jobs: std::thread::available_parallelism()
                .map(|n| (n.get() / 2).max(1))
                .unwrap_or(1),
            use_record: true,
        }
    }
}

/// Progress callbacks for a UI (spinner, bar). All optional.
pub trait Observer: Sync {
    /// Another grader holds the workbook's lock: this one waits for it.
    fn waiting_for_lock(&self) {}
    fn building(&self, _count: usize) {}
    fn running(&self, _exercise: &str) {}
    fn finished(&self, _report: &ExerciseReport) {}
}

/// An observer that says nothing.
pub struct Quiet;
impl Observer for Quiet {}

/// An exercise that needs a build: its place in the answer, its sources and their hash.
struct ToBuild {
    index: usize,
    sources: Sources,
    hash: String,
    tampered: Vec<Tampered>,
    /// Write its attempt to the record (see `record_in` in [`grade`]).
    record: bool,
}

/// Grade `exercises` of `wb`. Results come back in the order given, each one's tests in the
/// order of its test file. Every attempt is recorded in `progress` when one is given.
pub fn grade(
    wb: &Workbook,
    exercises: &[&ExerciseInfo],
    opts: &GradeOptions,
    progress: Option<&Progress>,
    observer: &dyn Observer,
) -> Result<Vec<ExerciseReport>> {
    let mut reports: Vec<Option<ExerciseReport>> = vec![None; exercises.len()];
    let mut to_build: Vec<ToBuild> = Vec::new();

    for (index, ex) in exercises.iter().enumerate() {
        let started = Instant::now();
        let tampered = shadow::tampered(wb, &ex.name);
        let src_dir = wb.exercise_dir(&ex.name).join("src");
        let sources = match shadow::learner_sources(wb, &ex.name) {
            Ok(s) if !s.is_empty() => s,
            unusable => {
                let message = match unusable {
                    // Files are there but cannot be graded (unreadable, or absurdly large).
                    Err(e) if src_dir.is_dir() => format!("cannot read your code: {e}"),
                    _ => format!(
                        "{} is missing or empty; restore the original with `asyncwork reset {}`",
                        wb.display_rel(&src_dir),
                        ex.name
                    ),
                };
                let report = judge::error_report(ex, message, tampered, opts, started);
                observer.finished(&report);
                reports[index] = Some(report);
                continue;
            }
        };
        let hash = shadow::source_hash(&ex.name, &sources);
        // Grading several exercises at once (`check --all`, watch's `c`) is not the learner
        // trying each one: an exercise still as shipped is graded but not recorded, so it stays
        // "not started" (`crate::course`: any attempt recorded makes it attempted).
        let record_in =
            progress.filter(|_| exercises.len() == 1 || hash != shadow::pristine_hash(&ex.name));
        if let Some(p) = progress.filter(|_| opts.use_record) {
            if let Some(mut report) = record::recorded(p, &ex.name, &hash)? {
                report.tampered = tampered;
                report.duration_ms = started.elapsed().as_millis() as u64;
                record::record_or_note(record_in, &mut report, true);
                observer.finished(&report);
                reports[index] = Some(report);
                continue;
            }
        }
        // The grading tests own the paused clock: a jump by hand would fake any timing.
        if let Some((path, (line, col))) = sources.iter().find_map(|(path, text)| {
            let rust = path.extension().is_some_and(|e| e == "rs");
            rust.then(|| clock::moves_the_clock(&String::from_utf8_lossy(text)))
                .flatten()
                .map(|at| (path, at))
        }) {
            let message = format!(
                "your code moves tokio's clock by hand (`advance` at {}/src/{}:{line}:{col}): \
                 the grading tests time your code on a paused clock that only tokio may move, so \
                 a jump past a wait fakes its timing. Wait for real (tokio::time::sleep, \
                 timeout), and move the clock only in tests of your own (#[cfg(test)])",
                ex.name,
                path.display()
            );
            let mut report = judge::error_report(ex, message, tampered, opts, started);
            report.source_hash = hash;
            record::record_or_note(record_in, &mut report, false);
            observer.finished(&report);
            reports[index] = Some(report);
            continue;
        }
        // Grading runs the code in a copy of its own: code that reads what differs there from
        // the learner's own `cargo test` could behave differently under the grader.
        if let Some((path, (line, col, what))) = sources.iter().find_map(|(path, text)| {
            let rust = path.extension().is_some_and(|e| e == "rs");
            rust.then(|| facts::reads_surroundings(&String::from_utf8_lossy(text)))
                .flatten()
                .map(|at| (path, at))
        }) {
            let message = format!(
                "your code reads where and how it is run (`{what}` at {}/src/{}:{line}:{col}): \
                 grading builds and runs it in a copy of its own, whose folder, environment and \
                 package version differ from your workbook's, so code that reads them can behave \
                 one way in your own `cargo test` and another when graded. No exercise needs \
                 them: remove it (your own #[cfg(test)] tests may keep it)",
                ex.name,
                path.display()
            );
            let mut report = judge::error_report(ex, message, tampered, opts, started);
            report.source_hash = hash;
            record::record_or_note(record_in, &mut report, false);
            observer.finished(&report);
            reports[index] = Some(report);
            continue;
        }
        to_build.push(ToBuild {
            index,
            sources,
            hash,
            tampered,
            record: record_in.is_some(),
        });
    }

    if !to_build.is_empty() {
        // A background build started by `init` gives way (see `warm`).
        super::warm::cancel(wb);
        let _lock = shadow::lock_or_wait(wb, || observer.waiting_for_lock())?;
        let build_started = Instant::now();
        let graded: Vec<(String, Sources)> = to_build
            .iter()
            .map(|b| (exercises[b.index].name.clone(), b.sources.clone()))
            .collect();
        let root = shadow::sync(wb, &graded).context("cannot prepare the grading copy")?;
        observer.building(to_build.len());
        let packages: Vec<&str> = to_build
            .iter()
            .map(|b| exercises[b.index].package.as_str())
            .collect();
        let cmd = cargo::build_tests_command(&root, &wb.target_dir(), &packages);
        let built = run_cargo(cmd, opts.build_timeout)?;
        let build = cargo::parse_messages(&built.stdout, &root);
        let build_share = build_started.elapsed().as_millis() as u64 / to_build.len() as u64;

        let judged = pool::run_bounded(&to_build, opts.jobs, |b| {
            let ex = exercises[b.index];
            let started = Instant::now();
            let pkg = build.packages.get(&ex.name).cloned().unwrap_or_default();
            if built.timed_out && pkg.test_executables.is_empty() && pkg.errors.is_empty() {
                // Exercises whose tests were built before the limit are still judged.
                let mut report = judge::error_report(
                    ex,
                    build_stopped(opts.build_timeout),
                    b.tampered.clone(),
                    opts,
                    started,
                );
                report.source_hash = b.hash.clone();
                report.duration_ms += build_share;
                observer.finished(&report);
                return report;
            }
            observer.running(&ex.name);
            let runs_in = wb.exercise_dir(&ex.name);
            let folders = judge::Folders {
                copy: &root,
                runs_in: &runs_in,
            };
            let mut report = judge::judge(
                &folders,
                ex,
                &pkg,
                &built.stderr,
                opts,
                b.tampered.clone(),
                started,
            );
            report.source_hash = b.hash.clone();
            report.duration_ms += build_share;
            observer.finished(&report);
            report
        });
        for (b, mut report) in to_build.iter().zip(judged) {
            record::record_or_note(progress.filter(|_| b.record), &mut report, false);
            reports[b.index] = Some(report);
        }
    }
    // libtest runs and reports tests alphabetically; every reader expects the test file's
    // order (see `test_file`), records written before this included.
    Ok(reports
        .into_iter()
        .map(|r| {
            let mut r = r.expect("every exercise graded");
            super::test_file::order(&mut r);
            r
        })
        .collect())
}

/// Run the build within `limit`. The learner's code runs at compile time too (`const`
/// evaluation, macros), so the build is bounded like the tests, and killed as a process group:
/// cargo and every rustc it started.
fn run_cargo(cmd: std::process::Command, limit: Duration) -> Result<process::Finished> {
    let finished = process::run_with_timeout(cmd, limit)
        .context("cannot run cargo: is the Rust toolchain installed (https://rustup.rs)?")?;
    Ok(finished)
}

/// The verdict's message for an exercise whose build was stopped at the limit.
fn build_stopped(limit: Duration) -> String {
    format!(
        "the build did not finish within {} and was stopped. Code that runs at compile time may \
         never end: a `const` whose evaluation loops, a macro that recurses without end. \
         (A first build on a slow machine can need longer: raise the limit with \
         --build-timeout SECS.)",
        crate::text::fmt_ms(limit.as_secs_f64() * 1000.0)
    )
}
