//! The lesson commands end to end: listing from any directory, showing, validating the catalogue
//! of bad lesson files, and `lesson new` round-tripping through `validate`.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::common::asyncwork_here as asyncwork;

use crate::common::repo;

fn bad(name: &str) -> PathBuf {
    repo().join("tests/bad_lessons").join(name)
}

/// Validate `paths`; assert exit 1, no panic, and that stderr names `file` at `line`.
fn assert_rejected(paths: &[&Path], file: &str, line: usize) -> String {
    let out = asyncwork()
        .arg("lesson")
        .arg("validate")
        .args(paths)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1, stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    let located = format!("{file}:{line}:");
    assert!(
        stderr.contains(&located),
        "expected `{located}` in:\n{stderr}"
    );
    stderr
}

#[test]
fn list_from_repo_root_uses_the_lessons_directory() {
    asyncwork()
        .current_dir(repo())
        .args(["lesson", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "./lessons (found in the current directory)",
        ))
        .stdout(predicate::str::contains("coroutines"))
        .stdout(predicate::str::contains("gather"));
}

#[test]
fn list_from_elsewhere_uses_the_embedded_lessons() {
    let dir = tempfile::tempdir().unwrap();
    asyncwork()
        .current_dir(dir.path())
        .args(["lesson", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("built into asyncwork"))
        .stdout(predicate::str::contains("coroutines"))
        .stdout(predicate::str::contains("gather"));
}

#[test]
fn list_json_is_an_array_with_id_title_position() {
    let out = asyncwork()
        .current_dir(repo())
        .args(["lesson", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().expect("an array");
    assert!(items.len() >= 2);
    for item in items {
        assert!(item["id"].is_string() && item["title"].is_string() && item["position"].is_u64());
    }
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        &ids[..2],
        ["coroutines", "sequential_vs_concurrent"],
        "course order"
    );
}

#[test]
fn env_var_chooses_the_lessons_directory_and_flag_beats_it() {
    let dir = tempfile::tempdir().unwrap();
    asyncwork()
        .env("ASYNCWORK_LESSONS", dir.path())
        .args(["lesson", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("$ASYNCWORK_LESSONS"))
        .stdout(predicate::str::contains("No lessons in"))
        .stdout(predicate::str::contains("run without --lessons"));
    asyncwork()
        .env("ASYNCWORK_LESSONS", dir.path())
        .arg("--lessons")
        .arg(repo().join("lessons"))
        .args(["lesson", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(--lessons)"))
        .stdout(predicate::str::contains("gather"));
}

#[test]
fn missing_lessons_directory_is_a_clear_error() {
    asyncwork()
        .args(["--lessons", "/nonexistent/lessons", "lesson", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/nonexistent/lessons does not exist",
        ));
}

#[test]
fn show_renders_headings_code_and_next_steps() {
    asyncwork()
        .current_dir(repo())
        .env("COLUMNS", "120")
        .args(["lesson", "show", "gather"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## Waiting together"))
        .stdout(predicate::str::contains("─ Python"))
        .stdout(predicate::str::contains("─ Rust"))
        .stdout(predicate::str::contains("Hints (from gentle to specific"))
        .stdout(predicate::str::contains("1. If three calls do not depend"))
        .stdout(predicate::str::contains("Next:"));
}

#[test]
fn show_fits_a_narrow_terminal_without_colour_codes() {
    let out = asyncwork()
        .current_dir(repo())
        .env("COLUMNS", "60")
        .args(["lesson", "show", "coroutines"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\x1b'),
        "no escape codes when stdout is not a terminal"
    );
    let prose_too_wide = text
        .lines()
        .filter(|l| !l.contains('│') && !l.contains('─'))
        .find(|l| l.chars().count() > 60);
    assert_eq!(prose_too_wide, None);
}

#[test]
fn show_unknown_id_suggests_the_closest() {
    asyncwork()
        .current_dir(repo())
        .args(["lesson", "show", "gathr"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no lesson `gathr`"))
        .stderr(predicate::str::contains("did you mean: gather"));
}

#[test]
fn shipped_lessons_validate() {
    asyncwork()
        .current_dir(repo())
        .args(["lesson", "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 problems"));
}

// The catalogue of bad lesson files: each is rejected with exit 1, the file and the line.

#[test]
fn syntax_error() {
    assert_rejected(&[&bad("syntax_error.toml")], "syntax_error.toml", 3);
}

#[test]
fn wrong_type() {
    let err = assert_rejected(&[&bad("wrong_type.toml")], "wrong_type.toml", 4);
    assert!(err.contains("expected a whole number"), "{err}");
}

#[test]
fn unknown_key_with_a_near_miss() {
    let err = assert_rejected(&[&bad("unknown_key.toml")], "unknown_key.toml", 3);
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn unknown_key_inside_a_demo() {
    let err = assert_rejected(
        &[&bad("unknown_demo_key.toml")],
        "unknown_demo_key.toml",
        15,
    );
    assert!(err.contains("did you mean `title`?"), "{err}");
}

/// A paused-clock strategy runs only timer ops: each op doing real work is refused at its line,
/// with the reason.
#[test]
fn real_io_on_the_paused_clock() {
    let file = "paused_real_io.toml";
    let err = assert_rejected(&[&bad(file)], file, 19);
    assert!(err.contains(&format!("{file}:24:")), "{err}");
    assert!(
        err.contains("op `sqlite` cannot run on the paused clock of strategy `paused`: it does real work in SQLite"),
        "{err}"
    );
    assert!(
        err.contains("op `http` cannot run on the paused clock of strategy `paused`: it does real I/O over loopback"),
        "{err}"
    );
}

#[test]
fn top_level_key_after_a_table_header() {
    let err = assert_rejected(
        &[&bad("top_key_in_section.toml")],
        "top_key_in_section.toml",
        10,
    );
    assert!(err.contains("is a top-level key"), "{err}");
}

#[test]
fn missing_field() {
    let err = assert_rejected(&[&bad("missing_field.toml")], "missing_field.toml", 1);
    assert!(err.contains("missing required key `summary`"), "{err}");
}

#[test]
fn empty_file() {
    let err = assert_rejected(&[&bad("empty.toml")], "empty.toml", 1);
    assert!(err.contains("the file is empty"), "{err}");
}

#[test]
fn binary_garbage() {
    let err = assert_rejected(&[&bad("binary_garbage.toml")], "binary_garbage.toml", 1);
    assert!(
        err.contains("not a text file") || err.contains("binary data"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_names_the_line() {
    assert_rejected(&[&bad("invalid_utf8.toml")], "invalid_utf8.toml", 9);
}

#[test]
fn bad_id() {
    assert_rejected(&[&bad("bad_id.toml")], "bad_id.toml", 2);
}

#[test]
fn id_differs_from_file_name() {
    let err = assert_rejected(&[&bad("id_mismatch.toml")], "id_mismatch.toml", 2);
    assert!(err.contains("differs from the file name"), "{err}");
}

#[test]
fn unsupported_format_version() {
    assert_rejected(
        &[&bad("bad_format_version.toml")],
        "bad_format_version.toml",
        1,
    );
}

#[test]
fn dangling_exercise_reference() {
    let err = assert_rejected(
        &[&bad("dangling_exercise.toml")],
        "dangling_exercise.toml",
        12,
    );
    assert!(err.contains("planned = true"), "{err}");
}

#[test]
fn dangling_demo_reference() {
    assert_rejected(&[&bad("dangling_demo.toml")], "dangling_demo.toml", 10);
}

/// A compile-fail block must quote rustc as rustc prints it: a code in brackets or a lint's
/// name (not both), and a one-line headline.
#[test]
fn a_compile_fail_block_is_checked() {
    let err = assert_rejected(
        &[&bad("bad_compile_fail.toml")],
        "bad_compile_fail.toml",
        11,
    );
    for expected in [
        "`error = \"0728\"` is not a rustc error code",
        "has `error` or `warning`, not both",
        "`warning = \"Unused Must Use\"` is not a lint name",
        "`message` must be one non-empty line",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
}

#[test]
fn summary_on_two_lines() {
    assert_rejected(
        &[&bad("summary_two_lines.toml")],
        "summary_two_lines.toml",
        5,
    );
}

#[test]
fn every_problem_in_a_file_is_reported() {
    let err = assert_rejected(
        &[&bad("several_problems.toml")],
        "several_problems.toml",
        13,
    );
    assert!(
        err.contains("several_problems.toml:16:"),
        "second problem missing:\n{err}"
    );
    assert!(err.contains("did you mean `body`?"), "{err}");
}

#[test]
fn duplicate_id_across_files() {
    let first = bad("duplicate_id/first/dup.toml");
    let second = bad("duplicate_id/second/dup.toml");
    let err = assert_rejected(&[&first, &second], "second/dup.toml", 2);
    assert!(err.contains("duplicate id `dup`"), "{err}");
}

#[test]
fn duplicate_position_across_files() {
    let err = assert_rejected(&[&bad("duplicate_position")], "beta.toml", 4);
    assert!(err.contains("duplicate position 5"), "{err}");
}

#[test]
fn huge_file_is_refused_without_loading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let line = format!("# {}\n", "x".repeat(1000));
    std::fs::write(&path, line.repeat(50_000)).unwrap();
    let err = assert_rejected(&[&path], "huge.toml", 1);
    assert!(err.contains("MB; a lesson file may be at most"), "{err}");
}

#[test]
fn a_40000_character_line_is_shown_as_a_short_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long_line.toml");
    let text = format!(
        "format_version = 1\nid = \"long_line\"\ntitle = [{}\n",
        "1, ".repeat(13_000) + "\"x\""
    );
    std::fs::write(&path, text).unwrap();
    let err = assert_rejected(&[&path], "long_line.toml", 3);
    assert!(err.len() < 2_000, "message of {} bytes:\n{err}", err.len());
}

#[test]
fn deeply_nested_tables_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.toml");
    let text = format!("hints = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&path, text).unwrap();
    assert_rejected(&[&path], "deep.toml", 1);
    let tables = (0..5000)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(".");
    std::fs::write(&path, format!("[{tables}]\n")).unwrap();
    assert_rejected(&[&path], "deep.toml", 1);
}

#[test]
fn new_lesson_round_trips_through_validate() {
    let dir = tempfile::tempdir().unwrap();
    let lessons = dir.path().join("lessons");
    asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "new", "select_loops"])
        .assert()
        .success()
        .stdout(predicate::str::contains("select_loops.toml"));
    asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "validate"])
        .assert()
        .success();
    // It refuses to overwrite, and refuses bad ids.
    asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "new", "select_loops"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "new", "Bad Id"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("invalid lesson id"));
    assert!(!lessons.exists());
}

#[test]
fn new_lesson_in_the_current_directory_takes_the_next_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lessons")).unwrap();
    for lesson in ["coroutines", "gather"] {
        let name = format!("{lesson}.toml");
        std::fs::copy(
            repo().join("lessons").join(&name),
            dir.path().join("lessons").join(&name),
        )
        .unwrap();
    }
    asyncwork()
        .current_dir(dir.path())
        .args(["lesson", "new", "extra"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("lessons/extra.toml")).unwrap();
    assert!(text.contains("position = 4"), "{text}");
    asyncwork()
        .current_dir(dir.path())
        .args(["lesson", "validate"])
        .assert()
        .success();
}

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        vec!["--help"],
        vec!["lesson", "--help"],
        vec!["lesson", "list", "--help"],
        vec!["lesson", "show", "--help"],
        vec!["lesson", "validate", "--help"],
        vec!["lesson", "new", "--help"],
        vec!["completions", "--help"],
    ] {
        asyncwork()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
    asyncwork()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("asyncwork"));
}

#[test]
fn the_authoring_guide_example_validates() {
    let guide = std::fs::read_to_string(repo().join("lessons/README.md")).unwrap();
    let example = guide
        .split("```toml\n")
        .last()
        .and_then(|rest| rest.split("```").next())
        .expect("a toml example in lessons/README.md");
    let dir = tempfile::tempdir().unwrap();
    let id = example
        .lines()
        .find_map(|l| l.strip_prefix("id = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("an id in the example");
    let path = dir.path().join(format!("{id}.toml"));
    std::fs::write(&path, example).unwrap();
    asyncwork()
        .arg("lesson")
        .arg("validate")
        .arg(&path)
        .assert()
        .success();
}

/// Issue 14: off a terminal, plain `asyncwork` prints the course and the next command to run
/// (it used to print the usage and exit 2).
#[test]
fn bare_command_without_a_terminal_prints_the_course_and_the_next_command() {
    asyncwork()
        .assert()
        .code(0)
        .stdout(predicate::str::contains("asyncwork: the course"))
        .stdout(predicate::str::contains("Next: asyncwork lesson step"));
}

/// Issue 25, defect 10: `lesson show --lessons DIR` suggests commands that read the same DIR
/// (quoted for the shell), and a course of one lesson says "1 lesson".
#[test]
fn show_with_a_lessons_dir_suggests_commands_that_carry_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my lessons");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(repo().join("lessons/gather.toml"), dir.join("gather.toml")).unwrap();
    let out = asyncwork()
        .arg("--lessons")
        .arg(&dir)
        .args(["lesson", "show", "gather"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 lesson in this course"), "{text}");
    let flag = format!("--lessons '{}'", dir.display());
    let runs: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("asyncwork lesson run gather"))
        .collect();
    assert!(runs.len() >= 2, "{text}");
    for line in runs {
        assert!(line.contains(&flag), "{line}\nin:\n{text}");
    }
}

/// Issue 25, defect 10: a subcommand with two letters swapped gets clap's "did you mean" (clap's
/// own measure finds nothing near `rnu`).
#[test]
fn a_mistyped_subcommand_gets_a_suggestion() {
    for (args, near) in [
        (&["lesson", "rnu"][..], "'run'"),
        (&["lesson", "shwo"], "'show'"),
        (&["chekc"], "'check'"),
    ] {
        let out = asyncwork().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("tip: a similar subcommand exists: {near}")),
            "{args:?}: {err}"
        );
    }
    // Nothing near: no tip.
    let out = asyncwork().args(["lesson", "zzzz"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unrecognized subcommand 'zzzz'"), "{err}");
    assert!(!err.contains("tip:"), "{err}");
}

/// Issue 25, defect 10: the skeleton points at a guide an installed binary has, and it prints.
#[test]
fn the_skeleton_points_at_the_guide_the_binary_prints() {
    let dir = tempfile::tempdir().unwrap();
    asyncwork()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "new", "select_loops"])
        .assert()
        .success();
    let skeleton = std::fs::read_to_string(dir.path().join("select_loops.toml")).unwrap();
    assert!(
        skeleton
            .lines()
            .next()
            .unwrap()
            .contains("asyncwork lesson guide"),
        "{skeleton}"
    );
    assert!(!skeleton.contains("lessons/README.md"), "{skeleton}");
    // From anywhere (no checkout): the same text as the source tree's guide.
    let here = tempfile::tempdir().unwrap();
    let out = asyncwork()
        .current_dir(here.path())
        .args(["lesson", "guide"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let guide = std::fs::read_to_string(repo().join("lessons/README.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), guide);
}
