//! Grading reports as text: for people (human, the summary table, the `check --solutions`
//! table), for Exercism-style tooling (results.json, version 2 or 3) and for CI (JUnit XML).
//!
//! The grader returns plain data (`workbook::report`); everything that decides how a verdict
//! looks (marks, colours, indentation, truncation, time formats) lives here.

use std::fmt::Write as _;

use console::style;
use serde::Serialize;

use super::fmt_ms;
use super::table::Table;
use crate::workbook::report::{ExerciseReport, FailureKind, TestStatus, Verdict};
use crate::workbook::solutions::SolutionRow;
use crate::workbook::{ExerciseCatalogue, test_file};

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Junit,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "junit" => Ok(Format::Junit),
            _ => Err(format!("unknown format `{s}`: use human, json or junit")),
        }
    }
}

fn mark(verdict: Verdict) -> console::StyledObject<&'static str> {
    match verdict {
        Verdict::Pass => style("✓").green().bold(),
        Verdict::Fail => style("✗").red().bold(),
        Verdict::Error => style("✗").red().bold(),
        Verdict::Stuck => style("⏱").yellow().bold(),
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The human report of one exercise (without the hint, which the caller adds), wrapped to the
/// terminal's width.
pub fn human(report: &ExerciseReport) -> String {
    human_at(report, super::width())
}

/// [`human`] at `width` columns: prose wraps between words; compiler output and what a test
/// printed stay as they are (re-flowed code would be different code).
pub fn human_at(report: &ExerciseReport, width: usize) -> String {
    let wrap = |text: &str, first: &str, rest: &str| super::wrap(text, width, first, rest);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  {}",
        mark(report.verdict),
        style(&report.exercise).bold(),
        style(&report.title).dim()
    );
    let timing = match report.tests_ms {
        Some(ms) => format!(" (tests ran in {})", fmt_ms(ms as f64)),
        None => String::new(),
    };
    let headline = match report.verdict {
        Verdict::Pass => style(format!("{}{timing}", report.message))
            .green()
            .to_string(),
        Verdict::Stuck => style(report.message.clone()).yellow().to_string(),
        _ => format!("{}{timing}", report.message),
    };
    out.push_str(&wrap(&headline, "  ", "  "));
    if let Some(at) = &report.from_record {
        let note = format!(
            "unchanged since the check at {at}: answered from the record (`--force` runs it again)"
        );
        out.push_str(&style(wrap(&note, "  ", "  ").trim_end()).dim().to_string());
        out.push('\n');
    }
    if !report.errors.is_empty() {
        out.push('\n');
        for e in &report.errors {
            let code = e
                .code
                .as_ref()
                .map(|c| format!("[{c}]"))
                .unwrap_or_default();
            let loc = e.location().unwrap_or_else(|| "?".into());
            let line = format!(
                "{}: {}{}: {}",
                style(loc).bold(),
                style("error").red().bold(),
                code,
                e.message
            );
            out.push_str(&wrap(&line, "  ", "      "));
        }
        out.push('\n');
        for e in report.errors.iter().take(3) {
            let _ = writeln!(out, "{}", indent(e.rendered.trim_end(), "  "));
            out.push('\n');
        }
        if report.errors.len() > 3 {
            let _ = writeln!(
                out,
                "  ... and {} more errors (run `cargo build` in the workbook for all)",
                report.errors.len() - 3
            );
        }
    }
    let interesting =
        report.tests.iter().any(|t| t.status != TestStatus::Pass) || report.tests.len() <= 12;
    if !report.tests.is_empty() && interesting {
        out.push('\n');
        for t in &report.tests {
            let (m, name) = match t.status {
                TestStatus::Pass => (style("✓").green(), style(t.name.as_str()).dim()),
                TestStatus::Ignored => (style("-").dim(), style(t.name.as_str()).dim()),
                TestStatus::Fail => (style("✗").red(), style(t.name.as_str()).bold()),
                TestStatus::Stuck => (style("⏱").yellow(), style(t.name.as_str()).bold()),
            };
            let kind = t
                .kind
                .map(|k| format!("  ({})", kind_label(k)))
                .unwrap_or_default();
            let line = format!("{m} {name}{}", style(kind).yellow());
            out.push_str(&wrap(&line, "  ", "      "));
            if let Some(msg) = &t.message {
                out.push_str(&wrap(msg, "      ", "      "));
            }
            if let Some(loc) = &t.location {
                let _ = writeln!(out, "      {}", style(format!("at {loc}")).dim());
            }
            if let Some(output) = &t.output {
                let _ = writeln!(out, "      {}", style("it printed:").dim());
                let _ = writeln!(out, "{}", indent(&truncate(output, 1500), "        "));
            }
        }
    }
    if report.verdict == Verdict::Stuck {
        let note = format!(
            "The tests were stopped after {} (change it with --timeout SECS).",
            fmt_ms(report.timeout_secs * 1000.0)
        );
        out.push('\n');
        out.push_str(&style(wrap(&note, "  ", "  ").trim_end()).dim().to_string());
        out.push('\n');
    }
    if let Some(why) = &report.not_recorded {
        let _ = writeln!(
            out,
            "\n  {} graded, but not recorded:",
            style("!").yellow().bold()
        );
        out.push_str(&wrap(why, "    ", "    "));
    }
    if !report.tampered.is_empty() {
        out.push('\n');
        for t in &report.tampered {
            if let Some(note) = &t.note {
                let line = format!(
                    "{} you {} {}: {note}.",
                    style("!").yellow().bold(),
                    t.change,
                    t.path
                );
                out.push_str(&wrap(&line, "  ", "    "));
                continue;
            }
            let line = format!(
                "{} you {} {}: your edit was ignored; grading used the original test files and manifest.",
                style("!").yellow().bold(),
                match t.change.as_str() {
                    "added" => "added",
                    "deleted" => "deleted",
                    _ => "changed",
                },
                t.path
            );
            out.push_str(&wrap(&line, "  ", "    "));
        }
        let line = format!(
            "Your files are left as they are; only src/ is graded. `asyncwork reset {}` restores the rest.",
            report.exercise
        );
        out.push_str(&wrap(&line, "    ", "    "));
    }
    out
}

fn kind_label(kind: FailureKind) -> &'static str {
    kind.label()
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n... ({} more bytes)", &s[..end], s.len() - end)
}

/// A one-line summary table of several reports, fitted to `width` columns.
pub(crate) fn summary_table(reports: &[ExerciseReport], width: usize) -> String {
    let mut table = Table::new(&["", "exercise", "result"]);
    for r in reports {
        let first_line = r.message.lines().next().unwrap_or_default();
        table.row(vec![
            mark(r.verdict).to_string(),
            r.exercise.clone(),
            first_line.to_string(),
        ]);
    }
    let mut out = table.render_width(width);
    let passed = reports.iter().filter(|r| r.passed()).count();
    let _ = writeln!(out, "\nThis run: {passed} of {} pass.", reports.len());
    out
}

/// The `check --solutions` table: each exercise as shipped and with its solution, then the human
/// report of every solution that does not pass.
pub(crate) fn solutions_table(rows: &[SolutionRow]) -> String {
    let mut table = Table::new(&["", "exercise", "as shipped", "with solution", ">suite"]);
    for r in rows {
        let shipped = match r.shipped.verdict {
            Verdict::Pass => style("passes (should fail)").red().to_string(),
            v => format!("fails ({})", v.as_str()),
        };
        let solved = match &r.solved {
            None => style("no solution".to_string()).red().to_string(),
            Some(s) if s.passed() => "passes".to_string(),
            Some(s) => style(format!("fails ({})", s.verdict.as_str()))
                .red()
                .to_string(),
        };
        let suite = r
            .solved
            .as_ref()
            .and_then(|s| s.tests_ms)
            .map(|ms| fmt_ms(ms as f64))
            .unwrap_or_default();
        let mark = if r.ok() {
            style("✓").green()
        } else {
            style("✗").red()
        };
        table.row(vec![
            mark.to_string(),
            r.exercise.clone(),
            shipped,
            solved,
            suite,
        ]);
    }
    let mut out = table.render();
    let ok = rows.iter().filter(|r| r.ok()).count();
    let _ = writeln!(
        out,
        "\n{ok} of {} exercises fail as shipped and pass when solved",
        rows.len()
    );
    for r in rows.iter().filter(|r| !r.ok()) {
        if let Some(s) = r.solved.as_ref().filter(|s| !s.passed()) {
            let _ = writeln!(out, "\n{} with its solution:\n{}", r.exercise, human(s));
        }
    }
    out
}

// ---- results.json (Exercism's test-runner interface, versions 2 and 3) ----
//
// https://exercism.org/docs/building/tooling/test-runners/interface: the tests in the order of
// the test file (the grader's reports already are, see `workbook::test_file`); a top-level
// `message` only when the status is `error` (it is left out otherwise); version 3 when tests
// are linked to the README's tasks (`task_id`), else version 2.

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct ResultsJson {
    pub(crate) version: u32,
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<String>,
    pub(crate) tests: Vec<ResultsTest>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct ResultsTest {
    pub(crate) name: String,
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) output: Option<String>,
    pub(crate) test_code: String,
    /// The README task the test checks (version 3), when it checks exactly one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) task_id: Option<usize>,
}

impl ResultsJson {
    /// Version 3 when some test names its task, else 2: the two differ only in `task_id`.
    fn new(status: &'static str, message: Option<String>, tests: Vec<ResultsTest>) -> Self {
        let version = if tests.iter().any(|t| t.task_id.is_some()) {
            3
        } else {
            2
        };
        ResultsJson {
            version,
            status,
            // The interface reserves the top-level message for `error`.
            message: message.filter(|_| status == "error"),
            tests,
        }
    }
}

/// The interface's status of one exercise: `error` when its tests did not run cleanly (it does
/// not compile, the test program crashed) or none ran; `fail` when one failed or was stopped at
/// the time limit (that test is an `error`); `pass`.
fn status_of(r: &ExerciseReport) -> &'static str {
    match r.verdict {
        Verdict::Pass => "pass",
        Verdict::Error => "error",
        _ if r.tests.is_empty() => "error",
        Verdict::Fail | Verdict::Stuck => "fail",
    }
}

fn error_message(r: &ExerciseReport) -> String {
    let mut msg = r.message.clone();
    for e in &r.errors {
        msg.push_str("\n\n");
        msg.push_str(e.rendered.trim_end());
    }
    msg
}

fn tests_of(r: &ExerciseReport, prefix: bool) -> Vec<ResultsTest> {
    let source = test_file::source(&r.exercise);
    let info = ExerciseCatalogue::embedded().get(&r.exercise);
    r.tests
        .iter()
        .filter(|t| t.status != TestStatus::Ignored)
        .map(|t| {
            let bare = t.name.rsplit("::").next().unwrap_or(&t.name);
            let mut message = t.message.clone();
            if let (Some(m), Some(kind)) = (&mut message, t.kind) {
                *m = format!("{}: {m}", kind.label());
            }
            ResultsTest {
                name: if prefix {
                    format!("{}/{}", r.exercise, t.name)
                } else {
                    t.name.clone()
                },
                status: match t.status {
                    TestStatus::Pass | TestStatus::Ignored => "pass",
                    TestStatus::Fail => "fail",
                    TestStatus::Stuck => "error",
                },
                message,
                // Exercism truncates output at 500 characters.
                output: t.output.as_ref().map(|o| truncate_chars(o, 500)),
                test_code: source
                    .as_deref()
                    .and_then(|s| test_code(s, bare))
                    .unwrap_or_default(),
                task_id: info.and_then(|ex| test_file::task_of(ex, &t.name)),
            }
        })
        .collect()
}

/// results.json for one exercise.
pub(crate) fn results_json(r: &ExerciseReport) -> ResultsJson {
    ResultsJson::new(status_of(r), Some(error_message(r)), tests_of(r, false))
}

/// results.json for several exercises (beyond the interface, which grades one solution): test
/// names are prefixed with the exercise, an exercise whose tests did not run becomes one `error`
/// test, and the whole is an `error` only when no exercise's tests ran.
pub(crate) fn results_json_all(reports: &[ExerciseReport]) -> ResultsJson {
    if let [one] = reports {
        return results_json(one);
    }
    let mut tests = Vec::new();
    for r in reports {
        if r.tests.is_empty() {
            tests.push(ResultsTest {
                name: format!("{}/build", r.exercise),
                status: if r.passed() { "pass" } else { "error" },
                message: (!r.passed()).then(|| error_message(r)),
                output: None,
                test_code: String::new(),
                task_id: None,
            });
        } else {
            tests.extend(tests_of(r, true));
        }
    }
    let status = if reports.iter().all(|r| r.passed()) {
        "pass"
    } else if !reports.is_empty() && reports.iter().all(|r| status_of(r) == "error") {
        "error"
    } else {
        "fail"
    };
    let message = reports
        .iter()
        .map(|r| format!("{}: {}", r.exercise, error_message(r)))
        .collect::<Vec<_>>()
        .join("\n\n");
    ResultsJson::new(status, Some(message), tests)
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max).collect()
    }
}

/// The body of `fn name` in `source`, dedented (Exercism's `test_code`).
pub(crate) fn test_code(source: &str, name: &str) -> Option<String> {
    let needle = format!("fn {name}(");
    let start = source.find(&needle)?;
    let open = start + source[start..].find('{')?;
    let mut depth = 0usize;
    let mut end = None;
    let bytes = source.as_bytes();
    let mut i = open;
    let mut in_str = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            depth -= 1;
            if depth == 0 {
                end = Some(i);
                break;
            }
        }
        i += 1;
    }
    let body = &source[open + 1..end?];
    let lines: Vec<&str> = body.lines().skip_while(|l| l.trim().is_empty()).collect();
    let min_indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text = lines
        .iter()
        .map(|l| {
            if l.len() >= min_indent {
                &l[min_indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some(text.trim_end().to_string())
}

// ---- JUnit XML ----

pub(crate) fn junit(reports: &[ExerciseReport]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut junit = Report::new("asyncwork");
    for r in reports {
        let mut suite = TestSuite::new(r.exercise.clone());
        suite.set_time(std::time::Duration::from_millis(
            r.tests_ms.unwrap_or(r.duration_ms),
        ));
        if r.tests.is_empty() {
            let status = if r.passed() {
                TestCaseStatus::success()
            } else {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(r.message.lines().next().unwrap_or_default().to_string());
                s.set_description(error_message(r));
                s
            };
            suite.add_test_case(TestCase::new("build", status));
        }
        for t in &r.tests {
            let status = match t.status {
                TestStatus::Pass => TestCaseStatus::success(),
                TestStatus::Ignored => TestCaseStatus::skipped(),
                TestStatus::Fail | TestStatus::Stuck => {
                    let kind = if t.status == TestStatus::Stuck {
                        NonSuccessKind::Error
                    } else {
                        NonSuccessKind::Failure
                    };
                    let mut s = TestCaseStatus::non_success(kind);
                    let label = t.kind.map(|k| k.label()).unwrap_or("failed");
                    s.set_message(format!(
                        "{label}: {}",
                        t.message
                            .as_deref()
                            .unwrap_or_default()
                            .lines()
                            .next()
                            .unwrap_or_default()
                    ));
                    let mut desc = t.message.clone().unwrap_or_default();
                    if let Some(loc) = &t.location {
                        desc.push_str(&format!("\nat {loc}"));
                    }
                    s.set_description(desc);
                    s
                }
            };
            let mut case = TestCase::new(t.name.clone(), status);
            case.set_classname(r.exercise.clone());
            if let Some(out) = &t.output {
                case.set_system_out(out.clone());
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot write JUnit XML: {e} -->"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::cargo::CompilerMessage;
    use crate::workbook::report::TestReport;

    fn report(verdict: Verdict) -> ExerciseReport {
        let t = |name: &str, status, kind, msg: Option<&str>| TestReport {
            name: name.into(),
            status,
            kind,
            message: msg.map(Into::into),
            location: None,
            output: None,
        };
        ExerciseReport {
            exercise: "03_gather".into(),
            title: "Load a dashboard".into(),
            lesson: "gather".into(),
            verdict,
            message: "1 of 2 tests failed".into(),
            tests: match verdict {
                Verdict::Error => vec![],
                _ => vec![
                    t("returns_every_part", TestStatus::Pass, None, None),
                    t(
                        "runs_concurrently",
                        TestStatus::Fail,
                        Some(FailureKind::Timing),
                        Some("took 900 ms of simulated time"),
                    ),
                ],
            },
            errors: match verdict {
                Verdict::Error => vec![CompilerMessage {
                    level: "error".into(),
                    code: Some("E0308".into()),
                    message: "mismatched types".into(),
                    file: Some("03_gather/src/lib.rs".into()),
                    line: Some(12),
                    column: Some(5),
                    rendered: "error[E0308]: mismatched types\n --> 03_gather/src/lib.rs:12:5"
                        .into(),
                }],
                _ => vec![],
            },
            warnings: 0,
            tampered: vec![],
            duration_ms: 10,
            tests_ms: Some(4),
            timeout_secs: 60.0,
            source_hash: "h".into(),
            from_record: None,
            not_recorded: None,
        }
    }

    #[test]
    fn results_json_v2_shape() {
        let v = serde_json::to_value(results_json(&report(Verdict::Fail))).unwrap();
        assert_eq!(v["version"], 2);
        assert_eq!(v["status"], "fail");
        let tests = v["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 2);
        for t in tests {
            let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
            assert!(
                keys.contains(&"name") && keys.contains(&"status") && keys.contains(&"test_code"),
                "{keys:?}"
            );
        }
        // The interface reserves the top-level message for `error`.
        assert!(v.get("message").is_none(), "{v}");
        // No test is linked to a task (these names are no real test's): version 2, no task_id.
        assert!(tests.iter().all(|t| t.get("task_id").is_none()));
        assert_eq!(tests[0]["status"], "pass");
        assert!(tests[0].get("message").is_none());
        assert_eq!(tests[1]["status"], "fail");
        assert!(
            tests[1]["message"]
                .as_str()
                .unwrap()
                .contains("took 900 ms")
        );

        let v = serde_json::to_value(results_json(&report(Verdict::Error))).unwrap();
        assert_eq!(v["status"], "error");
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("03_gather/src/lib.rs:12:5")
        );
        assert_eq!(v["tests"].as_array().unwrap().len(), 0);

        let mut pass = report(Verdict::Pass);
        pass.tests.truncate(1);
        let v = serde_json::to_value(results_json(&pass)).unwrap();
        assert_eq!(v["status"], "pass");
        assert!(v.get("message").is_none());
    }

    #[test]
    fn results_json_for_many() {
        let v = serde_json::to_value(results_json_all(&[report(Verdict::Fail), {
            let mut r = report(Verdict::Error);
            r.exercise = "04_taskgroup".into();
            r
        }]))
        .unwrap();
        assert_eq!(v["status"], "fail");
        assert!(v.get("message").is_none(), "{v}");
        let names: Vec<&str> = v["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "03_gather/returns_every_part",
                "03_gather/runs_concurrently",
                "04_taskgroup/build"
            ]
        );
    }

    #[test]
    fn results_json_for_many_that_all_fail_to_build_is_an_error() {
        let other = {
            let mut r = report(Verdict::Error);
            r.exercise = "04_taskgroup".into();
            r
        };
        let v = serde_json::to_value(results_json_all(&[report(Verdict::Error), other])).unwrap();
        assert_eq!(v["status"], "error");
        let message = v["message"].as_str().unwrap();
        assert!(
            message.contains("03_gather: 1 of 2") && message.contains("04_taskgroup: "),
            "{message}"
        );
    }

    #[test]
    fn a_stopped_test_is_an_error_in_a_failing_run() {
        let mut r = report(Verdict::Stuck);
        r.tests[1].status = TestStatus::Stuck;
        let v = serde_json::to_value(results_json(&r)).unwrap();
        assert_eq!(v["status"], "fail", "tests ran: {v}");
        assert!(v.get("message").is_none(), "{v}");
        assert_eq!(v["tests"][1]["status"], "error");
        // Stopped before any test reported: nothing ran cleanly.
        r.tests.clear();
        let v = serde_json::to_value(results_json(&r)).unwrap();
        assert_eq!(v["status"], "error");
        assert_eq!(v["message"], "1 of 2 tests failed");
    }

    #[test]
    fn results_json_v3_links_tests_to_the_readme_tasks() {
        let mut r = report(Verdict::Fail);
        for (t, name) in r.tests.iter_mut().zip([
            "dashboard_runs_the_three_calls_concurrently",
            "report_pair_fails_fast_when_the_first_one_fails",
        ]) {
            t.name = name.into();
        }
        let v = serde_json::to_value(results_json(&r)).unwrap();
        assert_eq!(v["version"], 3, "{v}");
        assert!(v.get("message").is_none(), "{v}");
        assert_eq!(v["tests"][0]["task_id"], 1);
        assert_eq!(v["tests"][1]["task_id"], 3);
        assert!(
            v["tests"][0]["test_code"]
                .as_str()
                .unwrap()
                .contains("load_dashboard"),
            "{v}"
        );
        // Several exercises: the same links, under prefixed names.
        let v =
            serde_json::to_value(results_json_all(&[r.clone(), report(Verdict::Pass)])).unwrap();
        assert_eq!(v["version"], 3);
        assert_eq!(v["tests"][0]["task_id"], 1);
        assert!(v["tests"][2].get("task_id").is_none());
    }

    #[test]
    fn junit_xml() {
        let xml = junit(&[report(Verdict::Fail), report(Verdict::Error)]);
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert!(xml.contains("<testsuite name=\"03_gather\""), "{xml}");
        assert!(xml.contains("<failure"), "{xml}");
        assert!(xml.contains("<error"), "{xml}");
        assert!(xml.contains("took 900 ms"));
    }

    #[test]
    fn extracts_test_code() {
        let src = r#"
#[tokio::test(start_paused = true)]
async fn runs_concurrently() {
    let world = World::new();
    let m = measure(load_dashboard(&world, 1)).await; // "}" in a comment
    expect_simulated(m.simulated, 300, "run the three calls concurrently");
    if true { let _ = "{"; }
}

fn other() {}
"#;
        let code = test_code(src, "runs_concurrently").unwrap();
        assert!(code.starts_with("let world = World::new();"), "{code}");
        assert!(code.ends_with("if true { let _ = \"{\"; }"), "{code}");
        assert!(test_code(src, "missing").is_none());
    }

    #[test]
    fn human_report_mentions_what_matters() {
        console::set_colors_enabled(false);
        let text = human(&report(Verdict::Fail));
        assert!(text.contains("✗ 03_gather"), "{text}");
        assert!(
            text.contains("runs_concurrently  (timing is off: check what waits together)"),
            "{text}"
        );
        assert!(text.contains("took 900 ms of simulated time"), "{text}");
        let text = human(&report(Verdict::Error));
        assert!(
            text.contains("03_gather/src/lib.rs:12:5: error[E0308]: mismatched types"),
            "{text}"
        );
    }
}
