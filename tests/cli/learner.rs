//! The learner's path (issue 14), through the built binary: what a new learner meets between the
//! lessons and the exercises. Each test is one bug the trial found, or one promise of the path.
//! None of them compiles an exercise: the record is written directly where a grade would be.

use std::path::Path;

use assert_cmd::Command;
use rusqlite::Connection;

/// `asyncwork` at 70 columns, the narrowest terminal the course supports.
fn asyncwork(dir: &Path) -> Command {
    let mut cmd = crate::common::asyncwork(dir);
    cmd.env("COLUMNS", "70");
    cmd
}

/// Runs `args` in `dir`, expects `code`, returns stdout + stderr.
fn run(dir: &Path, args: &[&str], code: i32) -> String {
    let out = asyncwork(dir).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "asyncwork {}:\n{text}",
        args.join(" ")
    );
    text
}

use crate::common::{exercise_count, fresh_workbook as workbook};

/// Write an attempt into the record as `check` would (the record is created by `progress`).
fn record_attempt(wb: &Path, exercise: &str, outcome: &str, at_ms: i64) {
    run(wb, &["progress"], 0);
    let conn = Connection::open(wb.join(".asyncwork/progress.db")).unwrap();
    conn.execute(
        "INSERT INTO attempts (exercise, started_at_ms, duration_ms, outcome, source_hash)
         VALUES (?1, ?2, 10, ?3, 'the learner''s sources')",
        rusqlite::params![exercise, at_ms, outcome],
    )
    .unwrap();
}

/// The words of `text` on one line: what a wrapped text says, whatever the width.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn row<'a>(text: &'a str, exercise: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(exercise))
        .unwrap_or_else(|| panic!("no row for {exercise} in\n{text}"))
}

/// Every line fits 70 columns, and every word of `words` is whole somewhere in the text.
fn fits_70(text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= 70,
            "{} columns: {line:?}\nin:\n{text}",
            line.chars().count()
        );
    }
}

#[test]
fn reset_makes_an_exercise_to_do_again() {
    let (_tmp, wb) = workbook();
    record_attempt(&wb, "01_coroutines", "pass", 1_700_000_000_000);
    let before = run(&wb, &["progress"], 0);
    assert!(row(&before, "01_coroutines").contains("done"), "{before}");
    assert!(
        before.contains(&format!("1 of {} exercises done", exercise_count())),
        "{before}"
    );
    // `check` (no name) would now pick 02; after the reset, 01 again: hint follows the same rule.
    assert!(run(&wb, &["hint"], 0).contains("asyncwork hint 02_sequential_vs_concurrent"));

    run(&wb, &["reset", "01_coroutines", "--yes"], 0);
    let after = run(&wb, &["progress"], 0);
    assert!(
        row(&after, "01_coroutines").contains("not started"),
        "{after}"
    );
    assert!(
        after.contains(&format!("0 of {} exercises done", exercise_count())),
        "{after}"
    );
    assert!(run(&wb, &["hint"], 0).contains("asyncwork hint 01_coroutines"));
}

#[test]
fn hint_and_reset_default_to_the_current_exercise() {
    let (_tmp, wb) = workbook();
    // At the root: the first exercise not done.
    assert!(run(&wb, &["hint"], 0).contains("asyncwork hint 01_coroutines"));
    // Inside an exercise's folder (or below it): that exercise.
    let src = wb.join("03_gather/src");
    assert!(run(&src, &["hint"], 0).contains("asyncwork hint 03_gather"));
    let lib = src.join("lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, "// mine").unwrap();
    let out = run(&src, &["reset", "--yes"], 0);
    assert!(out.contains("03_gather/src/lib.rs"), "{out}");
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped);
}

#[test]
fn paths_are_relative_to_where_the_learner_stands() {
    let (_tmp, wb) = workbook();
    let ex = wb.join("03_gather");
    std::fs::remove_dir_all(ex.join("src")).unwrap();
    // From inside the exercise: `src`, not `03_gather/src`.
    let inside = run(&ex, &["check"], 1);
    assert!(inside.contains("src is missing or empty"), "{inside}");
    assert!(!inside.contains("03_gather/src"), "{inside}");
    let root = run(&wb, &["check", "03_gather"], 1);
    assert!(root.contains("03_gather/src is missing"), "{root}");
}

#[test]
fn a_lessons_folder_without_lessons_does_not_hide_the_course() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("lessons")).unwrap();
    std::fs::write(tmp.path().join("lessons/notes.md"), "my notes").unwrap();
    let out = flat(&run(tmp.path(), &["lesson", "list"], 0));
    assert!(out.contains("lessons built into asyncwork"), "{out}");
    assert!(out.contains("./lessons has no lesson files"), "{out}");
    assert!(out.contains("coroutines"), "{out}");

    // A ./lessons with lesson files that all fail to load: the built-in course, and why.
    std::fs::write(tmp.path().join("lessons/broken.toml"), "not = [valid").unwrap();
    let out = flat(&run(tmp.path(), &["lesson", "list"], 0));
    assert!(
        out.contains("has no lessons this asyncwork can read"),
        "{out}"
    );
    assert!(out.contains("coroutines"), "{out}");

    // An explicit empty --lessons: an empty course, with the way back.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = flat(&run(
        tmp.path(),
        &["lesson", "list", "--lessons", "empty"],
        0,
    ));
    assert!(out.contains("No lessons in lessons from empty"), "{out}");
    assert!(out.contains("run without --lessons"), "{out}");
}

#[test]
fn init_inside_a_workbook_refuses() {
    let (_tmp, wb) = workbook();
    let out = run(&wb.join("03_gather"), &["init"], 1);
    assert!(out.contains("is inside the workbook"), "{out}");
    assert!(!wb.join("03_gather/asyncwork-workbook").exists());
}

#[test]
fn progress_shows_local_times() {
    let (_tmp, wb) = workbook();
    // 2023-11-14 22:13:20 UTC.
    record_attempt(&wb, "01_coroutines", "fail", 1_700_000_000_000);
    let utc = asyncwork(&wb)
        .env("TZ", "UTC0")
        .arg("progress")
        .output()
        .unwrap();
    let utc = String::from_utf8_lossy(&utc.stdout).into_owned();
    assert!(utc.contains("2023-11-14"), "{utc}");
    assert!(utc.contains("22:13:20"), "{utc}");
    // Nine hours east of UTC (POSIX TZ sign is reversed): the next morning.
    let east = asyncwork(&wb)
        .env("TZ", "XXX-9")
        .arg("progress")
        .output()
        .unwrap();
    let east = String::from_utf8_lossy(&east.stdout).into_owned();
    assert!(east.contains("2023-11-15"), "{east}");
    assert!(east.contains("07:13:20"), "{east}");
    assert!(!east.contains("UTC"), "{east}");
}

#[test]
fn what_a_learner_reads_fits_70_columns() {
    let (_tmp, wb) = workbook();
    record_attempt(
        &wb,
        "02_sequential_vs_concurrent",
        "fail",
        1_700_000_000_000,
    );
    fits_70(&run(&wb, &["progress"], 0));
    for _ in 0..4 {
        fits_70(&run(&wb, &["hint", "02_sequential_vs_concurrent"], 0));
    }
    fits_70(&run(&wb, &["lesson", "list"], 0));
    let show = run(&wb, &["lesson", "show", "gather"], 0);
    // The lesson's hints are shown, wrapped (code blocks may be wider: code is never wrapped).
    assert!(show.contains("1. If three calls do not depend"), "{show}");
    let hints = &show[show.find("Hints (").unwrap()..show.find("Next:").unwrap()];
    fits_70(hints);
    // A demo's claims.
    let run_out = run(
        &wb,
        &[
            "lesson",
            "run",
            "gather",
            "--demo",
            "sequential_vs_gather",
            "--speed",
            "20",
            "--no-live",
        ],
        0,
    );
    let claims = &run_out[run_out.find("Claims").expect(&run_out)..];
    fits_70(claims);
    // A summary table with long outcomes ("1 failed, 2 cancelled (error surfaced)").
    let run_out = run(
        &wb,
        &[
            "lesson",
            "run",
            "gather",
            "--demo",
            "when_one_fails",
            "--speed",
            "20",
            "--no-live",
        ],
        0,
    );
    let summary = &run_out[run_out.find("Summary").expect(&run_out)..];
    fits_70(summary);
}

#[test]
fn off_a_terminal_plain_asyncwork_prints_the_course_and_the_next_command() {
    let (_tmp, wb) = workbook();
    let out = run(&wb, &[], 0);
    assert!(out.starts_with("asyncwork: the course"), "{out}");
    assert!(out.contains("·  1  Calling is not running"), "{out}");
    assert!(
        out.contains(&format!("0 of {} exercises done", exercise_count())),
        "{out}"
    );
    assert!(
        out.contains("Next: asyncwork lesson step coroutines"),
        "{out}"
    );
    fits_70(&out);

    // Every demo of lesson 1 watched (recorded by `lesson run`): ◔, and the task is next.
    run(
        &wb,
        &["lesson", "run", "coroutines", "--speed", "50", "--no-live"],
        0,
    );
    let out = run(&wb, &[], 0);
    assert!(out.contains("◔  1  Calling is not running"), "{out}");
    assert!(out.contains("3 demos, 3 watched"), "{out}");
    assert!(out.contains("Next: asyncwork task 01_coroutines"), "{out}");

    // An attempt: ◐ and check is next; a pass: ✓ and lesson 2 is next.
    record_attempt(&wb, "01_coroutines", "fail", 1_700_000_000_000);
    let out = run(&wb, &[], 0);
    assert!(out.contains("◐  1"), "{out}");
    assert!(out.contains("Next: asyncwork check 01_coroutines"), "{out}");
    record_attempt(&wb, "01_coroutines", "pass", 1_700_000_000_000);
    let out = run(&wb, &[], 0);
    assert!(out.contains("✓  1"), "{out}");
    assert!(
        out.contains(&format!("1 of {} exercises done", exercise_count())),
        "{out}"
    );
    assert!(
        out.contains("Next: asyncwork lesson step sequential_vs_concurrent"),
        "{out}"
    );
}

#[test]
fn without_a_workbook_the_course_says_how_to_start_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &[], 0);
    assert!(out.contains("`asyncwork init` writes one"), "{out}");
    assert!(
        out.contains("Next: asyncwork lesson step coroutines"),
        "{out}"
    );
}

#[test]
fn task_prints_the_exercise_readme_for_the_terminal() {
    let (_tmp, wb) = workbook();
    let out = run(&wb, &["task", "03_gather"], 0);
    assert!(out.starts_with("03 gather: load a dashboard"), "{out}");
    assert!(out.contains("What to do"), "{out}");
    assert!(out.contains("edit      03_gather/src/lib.rs"), "{out}");
    assert!(out.contains("asyncwork check 03_gather"), "{out}");
    // Prose fits; code blocks (indented four) are never re-flowed.
    let prose: String = out
        .lines()
        .filter(|l| !l.starts_with("    ") && !l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    fits_70(&prose);
    // Without a name, inside an exercise: that one, with the path from there.
    let out = run(&wb.join("05_limits"), &["task"], 0);
    assert!(out.contains("edit      src/lib.rs"), "{out}");
    assert!(out.contains("asyncwork check 05_limits"), "{out}");
}

#[test]
fn lesson_step_needs_a_terminal_and_says_what_to_use_instead() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["lesson", "step", "gather"], 1);
    assert!(out.contains("asyncwork lesson show gather"), "{out}");
}

/// What the shell gets when it asks for completions (fish's protocol: one candidate a line,
/// a tab, its description).
fn complete(dir: &Path, words: &[&str]) -> Vec<String> {
    let out = asyncwork(dir)
        .env("COMPLETE", "fish")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn completions_name_lessons_demos_and_exercises() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert_eq!(
        complete(dir, &["asyncwork", "lesson", "step", "ga"]),
        ["gather"]
    );
    assert!(
        complete(
            dir,
            &[
                "asyncwork",
                "lesson",
                "run",
                "gather",
                "--demo",
                "sequential_vs_g"
            ]
        )
        .contains(&"sequential_vs_gather".to_string())
    );
    // Issue 25, defect 9: the named lesson's demos only, and lesson ids where an exercise is
    // asked for.
    let demos = complete(dir, &["asyncwork", "lesson", "run", "gather", "--demo", ""]);
    assert!(
        demos.contains(&"sequential_vs_gather".to_string())
            && demos.contains(&"blocking_branch".to_string()),
        "{demos:?}"
    );
    let everywhere = complete(dir, &["asyncwork", "lesson", "run", "--demo", ""]);
    assert!(demos.len() < everywhere.len(), "{demos:?}");
    assert!(
        demos.iter().all(|d| everywhere.contains(d)),
        "{demos:?} / {everywhere:?}"
    );
    let mut once = everywhere.clone();
    once.sort();
    once.dedup();
    assert_eq!(
        once.len(),
        everywhere.len(),
        "each demo once: {everywhere:?}"
    );
    assert_eq!(complete(dir, &["asyncwork", "task", "ga"]), ["gather"]);
    let exercises = complete(dir, &["asyncwork", "check", "0"]);
    assert!(
        exercises.contains(&"03_gather".to_string()),
        "{exercises:?}"
    );
    assert!(complete(dir, &["asyncwork", "hint", "15"]).contains(&"15_scale".to_string()));
    assert!(complete(dir, &["asyncwork", "ta"]).contains(&"task".to_string()));
    // The scripts a shell sources.
    for shell in ["bash", "zsh", "fish"] {
        let script = run(dir, &["completions", shell], 0);
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
}

/// Issue 25, defect 2: hints are shown when asked for. A failed check says which hint `hint`
/// gives, shows no hint's text and counts none as seen, so the first `hint` gives hint 1.
/// The check fails without a build: code that moves tokio's clock by hand is refused before one.
#[test]
fn a_failed_check_offers_a_hint_and_the_first_request_gives_hint_1() {
    let (_tmp, wb) = workbook();
    let lib = wb.join("01_coroutines/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{shipped}\npub async fn skip() {{ tokio::time::advance(std::time::Duration::from_secs(1)).await; }}\n"),
    )
    .unwrap();
    for _ in 0..2 {
        let out = flat(&run(&wb, &["check", "01_coroutines"], 1));
        assert!(out.contains("moves tokio's clock by hand"), "{out}");
        assert!(
            out.contains("Stuck? `asyncwork hint 01_coroutines` gives hint 1 of 3"),
            "the same offer after every failure: {out}"
        );
        assert!(!out.contains("Hint 1 of"), "no hint's text: {out}");
        assert!(
            !out.contains("Calling an async fn"),
            "no hint's text: {out}"
        );
    }
    let hint = flat(&run(&wb, &["hint", "01_coroutines"], 0));
    assert!(hint.contains("Hint 1 of 3: Calling an async fn"), "{hint}");
    // The offer follows what was seen.
    let out = flat(&run(&wb, &["check", "01_coroutines"], 1));
    assert!(out.contains("gives hint 2 of 3"), "{out}");
}

/// Issue 25, defect 10: `check --help` says which exercise a bare `check` grades, and it does:
/// the one whose folder you are in (here 03, not the first one not done, 01).
#[test]
fn a_bare_check_grades_the_exercise_you_are_in_as_its_help_says() {
    let (_tmp, wb) = workbook();
    let help = flat(&run(&wb, &["check", "--help"], 0));
    assert!(
        help.contains("Without one: the exercise whose folder you are in, else the first one not done in course order"),
        "{help}"
    );
    // Refused before any build (it moves tokio's clock by hand): cheap to grade.
    let lib = wb.join("03_gather/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{shipped}\npub async fn skip() {{ tokio::time::advance(std::time::Duration::from_secs(1)).await; }}\n"),
    )
    .unwrap();
    let out = run(&wb.join("03_gather/src"), &["check"], 1);
    assert!(out.contains("✗ 03_gather"), "{out}");
}

/// Issue 25, defect 5: one failing check makes the exercise "attempted" everywhere: its
/// `progress` row (beside its 1 attempt and `fail`), the course count, and the outline's mark
/// and words for its lesson (the menu's rows; watch's list uses the same status and glyph, see
/// `render::marks`). The check fails without a build: code that moves tokio's clock by hand is
/// refused before one.
#[test]
fn a_failing_attempt_shows_as_attempted_everywhere() {
    let (_tmp, wb) = workbook();
    let lib = wb.join("01_coroutines/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{shipped}\npub async fn skip() {{ tokio::time::advance(std::time::Duration::from_secs(1)).await; }}\n"),
    )
    .unwrap();
    run(&wb, &["check", "01_coroutines"], 1);

    let progress = run(&wb, &["progress"], 0);
    let cells: Vec<&str> = row(&progress, "01_coroutines").split_whitespace().collect();
    // Refused before a build: graded `error`, a failing attempt as much as `fail`.
    assert_eq!(
        &cells[..4],
        ["01_coroutines", "attempted", "1", "error"],
        "{progress}"
    );
    assert!(
        progress.contains(&format!(
            "0 of {} exercises done, 1 attempted,",
            exercise_count()
        )),
        "{progress}"
    );

    // Off a terminal, plain `asyncwork` prints the course outline.
    let outline = run(&wb, &[], 0);
    let lesson = outline
        .lines()
        .position(|l| l.contains("Calling is not running"))
        .expect(&outline);
    let lines: Vec<&str> = outline.lines().collect();
    assert!(lines[lesson].starts_with('◐'), "{outline}");
    assert!(
        flat(&lines[lesson..lesson + 3].join(" ")).contains("01_coroutines attempted"),
        "{outline}"
    );
    assert!(
        outline.contains("◐ exercise attempted"),
        "the legend: {outline}"
    );
    assert!(outline.contains("1 attempted"), "{outline}");
}

/// The "Next:" lines of `lesson show`: from "Next:" to the end of the lesson's text.
fn next_block(show: &str) -> Vec<&str> {
    let from = show.rfind("Next:").expect(show);
    show[from..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect()
}

/// Issue 25, defect 10: `lesson show`'s "Next:" commands line up, `check` is offered inside a
/// workbook only (outside, `init`), and no entry is cut at 70 columns.
#[test]
fn lesson_show_next_steps_are_aligned_whole_and_fit_where_you_are() {
    let (tmp, wb) = workbook();
    let inside = run(&wb, &["lesson", "show", "gather"], 0);
    let steps = next_block(&inside);
    assert!(
        steps
            .iter()
            .any(|l| l.trim().starts_with("asyncwork check 03_gather")),
        "{inside}"
    );
    assert!(!inside.contains('…'), "an entry cut short: {inside}");
    // The whys start in one column (a why too long for the line goes below its command).
    let columns: std::collections::BTreeSet<usize> = steps
        .iter()
        .filter(|l| l.starts_with("  asyncwork"))
        .filter_map(|l| {
            let gap = l.trim_start().find("    ")?;
            l[gap + 2..].find(|c| c != ' ').map(|at| gap + 2 + at)
        })
        .collect();
    assert_eq!(columns.len(), 1, "not aligned:\n{}", steps.join("\n"));
    fits_70(&steps.join("\n"));

    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir(&outside).unwrap();
    let show = run(&outside, &["lesson", "show", "gather"], 0);
    let steps = next_block(&show).join("\n");
    assert!(!steps.contains("asyncwork check"), "{steps}");
    assert!(steps.contains("asyncwork init"), "{steps}");
}
