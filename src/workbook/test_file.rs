//! The grading tests as their file lists them: the order every report shows them in, and the
//! README task each one checks.
//!
//! libtest lists and reports tests in alphabetical order, but a reader of the report, the test
//! file beside it and Exercism's test-runner interface ("the tests MUST be returned in the order
//! they are specified in the tests file": only the first failure is shown, and tests are written
//! in a TDD order) all expect the file's order. The file is the pristine one embedded in the
//! binary, so a learner's edit of `tests/` (ignored for grading anyway) cannot reorder a report.
//!
//! Which task of the README's "What to do" a test checks is stated in `info.toml` (`tasks`):
//! a test's name alone does not say it, and guessing from the functions a test calls links a
//! test that uses two of them to the wrong one.

use std::path::Path;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::ExerciseInfo;
use super::embed;
use super::report::ExerciseReport;

/// The pristine grading tests of an exercise (`tests/*.rs`, in path order), concatenated.
pub(crate) fn source(exercise: &str) -> Option<String> {
    let mut all = String::new();
    for (path, contents) in embed::exercise_files(exercise) {
        if path.starts_with(Path::new(exercise).join("tests"))
            && path.extension().is_some_and(|e| e == "rs")
        {
            all.push_str(&String::from_utf8_lossy(contents));
            all.push('\n');
        }
    }
    (!all.is_empty()).then_some(all)
}

/// The names of the test functions in `source` (`#[test]`, `#[tokio::test]`, `#[tokio::test(..)]`),
/// in the order the file has them, modules included. Source that does not lex has none.
pub(crate) fn test_names(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(tokens) = source.parse::<TokenStream>() {
        collect(tokens, &mut out);
    }
    out
}

fn collect(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut test_attribute = false;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                test_attribute |= is_test_attribute(tokens.get(i + 1));
            }
            TokenTree::Ident(id) if id == "fn" && test_attribute => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    out.push(name.to_string().trim_start_matches("r#").to_string());
                }
                test_attribute = false;
            }
            // A test's attribute belongs to the next item: an item that ends first (a `struct`'s
            // `;`, a `mod`'s braces) was not a test function.
            TokenTree::Punct(p) if p.as_char() == ';' => test_attribute = false,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                collect(g.stream(), out);
                test_attribute = false;
            }
            _ => {}
        }
    }
}

/// Whether `attribute` is the `[test]`, `[tokio::test]` or `[tokio::test(..)]` of an attribute.
fn is_test_attribute(attribute: Option<&TokenTree>) -> bool {
    let Some(TokenTree::Group(g)) = attribute else {
        return false;
    };
    if g.delimiter() != Delimiter::Bracket {
        return false;
    }
    let path: String = g
        .stream()
        .into_iter()
        .take_while(|t| !matches!(t, TokenTree::Group(_)))
        .map(|t| t.to_string())
        .collect();
    path == "test" || path == "tokio::test"
}

/// A test's name without the test program's prefix (`grade::name` when an exercise has several
/// test programs).
fn bare(name: &str) -> &str {
    name.rsplit("::").next().unwrap_or(name)
}

/// Put `report`'s tests in the order of the exercise's test file. Tests the file does not name
/// (a learner's own unit tests) come after, in the order they were in.
pub(crate) fn order(report: &mut ExerciseReport) {
    let Some(source) = source(&report.exercise) else {
        return;
    };
    let names = test_names(&source);
    let place = |name: &str| {
        names
            .iter()
            .position(|n| n == bare(name))
            .unwrap_or(names.len())
    };
    // A stable sort: equal places keep their order.
    report.tests.sort_by_key(|t| place(&t.name));
}

/// The README task (from 1) that `test` checks, when `info.toml` links it to exactly one.
pub(crate) fn task_of(ex: &ExerciseInfo, test: &str) -> Option<usize> {
    let mut tasks = ex
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, tests)| tests.iter().any(|t| t == bare(test)));
    match (tasks.next(), tasks.next()) {
        (Some((i, _)), None) => Some(i + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::ExerciseCatalogue;
    use crate::workbook::report::{TestReport, TestStatus, Verdict};

    #[test]
    fn test_functions_in_file_order() {
        let source = r##"
use std::time::Duration;

fn helper() -> u32 { 1 }

#[tokio::test(start_paused = true)]
async fn zebra_first() {
    async fn inner() {}
    inner().await;
}

#[test]
#[should_panic]
fn apple_second() {}

// #[test] fn commented_out() {}
#[derive(Debug)]
struct NotATest;

#[cfg(test)]
mod more {
    #[tokio::test]
    async fn mango_third() { let s = "#[test] fn in_a_string() {}"; }
}
"##;
        assert_eq!(
            test_names(source),
            ["zebra_first", "apple_second", "mango_third"]
        );
        assert!(test_names("fn f( {").is_empty(), "does not lex: none");
    }

    #[test]
    fn reports_follow_the_test_file() {
        let source = source("03_gather").unwrap();
        let names = test_names(&source);
        assert_eq!(
            names[0],
            "dashboard_has_the_right_user_orders_and_preferences"
        );
        let test = |name: &str| TestReport {
            name: name.into(),
            status: TestStatus::Pass,
            kind: None,
            message: None,
            location: None,
            output: None,
        };
        let mut sorted: Vec<&String> = names.iter().collect();
        sorted.sort();
        let mut report = ExerciseReport {
            exercise: "03_gather".into(),
            title: "t".into(),
            lesson: "gather".into(),
            verdict: Verdict::Pass,
            message: String::new(),
            // libtest's order (alphabetical), and a learner's own test.
            tests: std::iter::once(test("ex03_gather::my_own_test"))
                .chain(sorted.iter().map(|n| test(n)))
                .collect(),
            errors: vec![],
            warnings: 0,
            tampered: vec![],
            duration_ms: 0,
            tests_ms: None,
            timeout_secs: 60.0,
            source_hash: String::new(),
            from_record: None,
            not_recorded: None,
        };
        order(&mut report);
        let got: Vec<&str> = report.tests.iter().map(|t| t.name.as_str()).collect();
        let mut want: Vec<&str> = names.iter().map(String::as_str).collect();
        want.push("ex03_gather::my_own_test");
        assert_eq!(got, want);
    }

    /// The number of the README's "What to do" tasks: its numbered items.
    fn readme_tasks(exercise: &str) -> usize {
        let rel = Path::new(exercise).join("README.md");
        let readme = String::from_utf8_lossy(embed::pristine(&rel).unwrap()).into_owned();
        let Some((_, after)) = readme.split_once("## What to do") else {
            return 0;
        };
        let section = after.split("\n## ").next().unwrap_or_default();
        section
            .lines()
            .filter(|l| {
                let digits = l.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && l[digits..].starts_with(". ")
            })
            .count()
    }

    #[test]
    fn every_task_list_matches_its_readme_and_its_test_file() {
        let mut linked = 0;
        for ex in &ExerciseCatalogue::embedded().exercises {
            if ex.tasks.is_empty() {
                continue;
            }
            linked += 1;
            assert_eq!(
                ex.tasks.len(),
                readme_tasks(&ex.name),
                "{}: one test list per numbered task of the README",
                ex.name
            );
            let names = test_names(&source(&ex.name).unwrap());
            let listed: Vec<&String> = ex.tasks.iter().flatten().collect();
            for name in &listed {
                assert!(
                    names.contains(name),
                    "{}: `{name}` is no test of its test file",
                    ex.name
                );
            }
            for name in &names {
                let times = listed.iter().filter(|l| **l == name).count();
                assert_eq!(times, 1, "{}: `{name}` is in {times} tasks", ex.name);
                assert!(task_of(ex, name).is_some());
            }
        }
        assert!(linked >= 14, "only {linked} exercises link tests to tasks");
    }
}
