//! Claims a learner can trust: a lesson that states what the ideal model contradicts does not
//! validate (with the line and the predicted value), a thin margin is a warning with a safe
//! value, and `--explain` shows every forecast.

use std::path::Path;

/// A lesson with one demo: three 300 ms calls, sequential / gather / bounded(1), and `claim`.
fn lesson(claim: &str) -> String {
    format!(
        r#"format_version = 1
id = "claims"
title = "Claims"
position = 1
summary = "Claims checked against the ideal model."

[[section]]
heading = "One"
body = "Three calls."
demo = "three"

[[demo]]
name = "three"
title = "Three calls"
about = "Three 300 ms calls."
strategies = ["sequential", "gather", {{ kind = "bounded", limit = 1 }}]

[[demo.task]]
name = "fetch"
op = "sleep"
ms = 300
count = 3

[[demo.expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"
factor = 2.0

[[demo.expect]]
{claim}
"#
    )
}

/// The line before the first line of the claim under test.
const CLAIM_LINE: usize = 31;

fn validate(dir: &Path, claim: &str, extra: &[&str]) -> (i32, String, String) {
    let file = dir.join("claims.toml");
    std::fs::write(&file, lesson(claim)).unwrap();
    let out = crate::common::asyncwork(crate::common::repo())
        .env("NO_COLOR", "1")
        .args(["lesson", "validate"])
        .arg(&file)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_template_lesson_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = validate(
        dir.path(),
        "claim = \"one at a time\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_most = 1",
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn impossible_claims_are_refused_with_line_and_predicted_value() {
    let dir = tempfile::tempdir().unwrap();
    for (claim, line, predicted) in [
        (
            "claim = \"bounded is 10x faster\"\nkind = \"faster\"\nstrategy = \"bounded\"\nthan = \"gather\"\nfactor = 10.0",
            CLAIM_LINE + 5,
            "the ideal ratio is 0.33x; claims at least 10x",
        ),
        (
            "claim = \"gather in 200 ms\"\nkind = \"wall\"\nstrategy = \"gather\"\nat_most_ms = 200",
            CLAIM_LINE + 4,
            "the ideal wall time is 300 ms; claims at most 200 ms",
        ),
        (
            "claim = \"two at once\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_least = 2",
            CLAIM_LINE + 4,
            "the peak is 1 at once; claims at least 2",
        ),
        (
            "claim = \"third starts at once\"\nkind = \"started\"\nstrategy = \"sequential\"\ntask = \"fetch#3\"\nbefore_ms = 100",
            CLAIM_LINE + 5,
            "`fetch#3` starts at 600 ms; claims no later than 100 ms",
        ),
    ] {
        let (code, _, stderr) = validate(dir.path(), claim, &[]);
        assert_eq!(code, 1, "{claim}\n{stderr}");
        let at = format!("claims.toml:{line}:");
        assert!(stderr.contains(&at), "expected {at} in\n{stderr}");
        assert!(
            stderr.contains(predicted),
            "expected {predicted:?} in\n{stderr}"
        );
        assert!(stderr.contains("cannot hold"), "{stderr}");
    }
}

#[test]
fn a_thin_margin_is_a_warning_that_names_a_safe_value() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = validate(
        dir.path(),
        "claim = \"gather in 310 ms\"\nkind = \"wall\"\nstrategy = \"gather\"\nat_most_ms = 310",
        &[],
    );
    assert_eq!(code, 0, "a warning does not fail validation:\n{stderr}");
    assert!(stderr.contains("warning:"), "{stderr}");
    assert!(
        stderr.contains("a safe value: at_most_ms = 375"),
        "{stderr}"
    );
    assert!(stdout.contains("1 warning"), "{stdout}");
}

#[test]
fn explain_prints_every_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = validate(
        dir.path(),
        "claim = \"bounded keeps one in flight\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_most = 1",
        &["--explain"],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("claims / three"), "{stdout}");
    assert!(
        stdout.contains("the ideal ratio is 3.00x; claims at least 2x: 67 % of the ideal"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the peak is 1 at once; claims at most 1"),
        "{stdout}"
    );
}

/// Issue 18: a file with a broken demo still explains its sound ones (it printed only errors).
#[test]
fn explain_still_forecasts_the_sound_demos_of_a_file_with_problems() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "claim = \"one at a time\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_most = 1\n\n\
                  [[demo]]\nname = \"broken\"\ntitle = \"t\"\nabout = \"a\"\n\n\
                  [[demo.task]]\nname = \"a\"\nop = \"sleep\"\nmss = 10";
    let (code, stdout, stderr) = validate(dir.path(), broken, &["--explain"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`mss` does not apply to op `sleep`"),
        "{stderr}"
    );
    assert!(stdout.contains("claims / three"), "{stdout}");
    assert!(
        stdout.contains("the ideal ratio is 3.00x; claims at least 2x: 67 % of the ideal"),
        "{stdout}"
    );
    assert!(!stdout.contains("claims / broken"), "{stdout}");
}

/// The template with `from` replaced by `to`, validated (or shown) from a lessons folder.
fn lesson_dir_with(from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let claim =
        "claim = \"one at a time\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_most = 1";
    let text = lesson(claim);
    assert!(text.contains(from), "{from}");
    std::fs::write(dir.path().join("claims.toml"), text.replace(from, to)).unwrap();
    dir
}

fn asyncwork_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = crate::common::asyncwork(crate::common::repo())
        .env("NO_COLOR", "1")
        .arg("--lessons")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_broken_demo_is_reported_once_not_as_missing_from_its_section() {
    let dir = lesson_dir_with("count = 3", "count = 3\ncolour = 2");
    let (code, stderr) = asyncwork_in(dir.path(), &["lesson", "validate"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("colour"), "{stderr}");
    assert!(!stderr.contains("no demo named"), "{stderr}");
}

#[test]
fn planned_on_an_exercise_that_exists_is_an_error() {
    let dir = lesson_dir_with(
        "[[demo]]",
        "[[exercise]]\nname = \"03_gather\"\nplanned = true\n\n[[demo]]",
    );
    let (code, stderr) = asyncwork_in(dir.path(), &["lesson", "validate"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("exercise `03_gather` exists"), "{stderr}");
    // An unknown one lists those that exist.
    let dir = lesson_dir_with(
        "[[demo]]",
        "[[exercise]]\nname = \"zz_nothing\"\n\n[[demo]]",
    );
    let (_, stderr) = asyncwork_in(dir.path(), &["lesson", "validate"]);
    assert!(
        stderr.contains("01_coroutines, 02_sequential_vs_concurrent"),
        "{stderr}"
    );
}

#[test]
fn showing_or_running_an_invalid_lesson_says_it_is_invalid() {
    let dir = lesson_dir_with("count = 3", "count = 3\ncolour = 2");
    for cmd in [
        &["lesson", "show", "claims"][..],
        &["lesson", "run", "claims"],
    ] {
        let (code, stderr) = asyncwork_in(dir.path(), cmd);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("lesson `claims` is invalid (1 problem above)"),
            "{stderr}"
        );
        assert!(!stderr.contains("no lesson"), "{stderr}");
    }
}

#[test]
fn lesson_new_starts_a_course_in_a_new_folder_and_names_its_real_path() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course");
    let (code, stderr) = asyncwork_in(&course, &["lesson", "new", "select_loops"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(course.join("select_loops.toml")).unwrap();
    let expected = format!(
        "# Check this file with: asyncwork lesson validate {}",
        course.join("select_loops.toml").display()
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn a_section_may_point_at_several_demos() {
    let dir = lesson_dir_with("demo = \"three\"", "demos = [\"three\", \"four\"]");
    let (code, stderr) = asyncwork_in(dir.path(), &["lesson", "validate"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no demo named `four`"), "{stderr}");
    let dir = lesson_dir_with("demo = \"three\"", "demo = \"three\"\ndemos = [\"three\"]");
    let out = crate::common::asyncwork(crate::common::repo())
        .env("NO_COLOR", "1")
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "show", "claims"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("--demo three").count(), 2, "{stdout}");
}

#[test]
fn a_code_line_too_wide_for_its_box_is_a_warning_and_wraps_on_screen() {
    let long = format!("let x = {};", "1 + ".repeat(30));
    let dir = lesson_dir_with(
        "demo = \"three\"",
        &format!("demo = \"three\"\n[section.code]\nrust = '''\n{long}\n'''"),
    );
    let (code, stderr) = asyncwork_in(dir.path(), &["lesson", "validate"]);
    assert_eq!(code, 0, "a warning, not an error: {stderr}");
    assert!(stderr.contains("a code line of 129 characters"), "{stderr}");
    let out = crate::common::asyncwork(crate::common::repo())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "70")
        .arg("--lessons")
        .arg(dir.path())
        .args(["lesson", "show", "claims"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("↪"), "{stdout}");
    for line in stdout.lines() {
        assert!(
            line.chars().count() <= 70,
            "{line:?} is wider than 70 columns"
        );
    }
}

#[test]
fn the_id_suggestion_is_itself_a_valid_id() {
    let dir = tempfile::tempdir().unwrap();
    let claim =
        "claim = \"one at a time\"\nkind = \"concurrency\"\nstrategy = \"bounded\"\nat_most = 1";
    let file = dir.path().join("My Lesson.toml");
    std::fs::write(&file, lesson(claim)).unwrap();
    let out = crate::common::asyncwork(crate::common::repo())
        .env("NO_COLOR", "1")
        .args(["lesson", "validate"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rename the file to `claims.toml`"),
        "{stderr}"
    );
    assert!(!stderr.contains("set id ="), "{stderr}");
}
