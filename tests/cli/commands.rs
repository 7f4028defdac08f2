//! Every command, run once through the built binary the way a person types it, with the first
//! line it prints checked. (The commands' details are tested elsewhere; this catches a command
//! that no longer starts, or one whose first sentence reads wrong, like the `init` line that
//! once printed `s wrote a workbook with 15 exercise✓`.)

use std::path::Path;

use crate::common::{asyncwork_building as asyncwork, exercise_count, exercise_target};

/// Runs `args`, expects `code`, and returns the first line of stdout (or of stderr when stdout
/// is empty).
fn first_line(dir: &Path, args: &[&str], code: i32) -> String {
    let out = asyncwork(dir).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "asyncwork {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        args.join(" ")
    );
    let text = if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    };
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_command_starts_with_the_right_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // Lessons (the built-in ones: no ./lessons here).
    assert_eq!(
        first_line(dir, &["lesson", "list"], 0),
        format!("lessons built into asyncwork {}", env!("CARGO_PKG_VERSION"))
    );
    assert!(first_line(dir, &["lesson", "show", "gather"], 0).starts_with("Lesson 3"));
    let line = first_line(
        dir,
        &[
            "lesson",
            "run",
            "coroutines",
            "--no-live",
            "--demo",
            "await_or_spawn",
        ],
        0,
    );
    assert!(line.starts_with("▶ "), "{line}");
    assert_eq!(
        first_line(dir, &["lesson", "new", "select_loops"], 0),
        "wrote lessons/select_loops.toml"
    );
    assert_eq!(
        first_line(dir, &["lesson", "validate", "lessons/select_loops.toml"], 0),
        "ok lessons/select_loops.toml"
    );

    // The workbook.
    assert_eq!(
        first_line(dir, &["init", "wb"], 0),
        format!(
            "✓ wrote a workbook with {} exercises to {}",
            exercise_count(),
            dir.join("wb").display()
        )
    );
    let wb = dir.join("wb");
    // A file where the workbook would go: said in words, not "Not a directory (os error 20)".
    std::fs::write(dir.join("afile"), "").unwrap();
    for (target, words) in [
        (
            "afile",
            "afile is a file, not a folder: the workbook cannot be written over it",
        ),
        (
            "afile/wb",
            "afile is a file, not a folder: the workbook cannot go in it (afile/wb)",
        ),
    ] {
        let line = first_line(dir, &["init", target], 1);
        assert!(line.contains(words), "{line}");
        assert!(!line.contains("os error"), "{line}");
    }
    assert!(first_line(&wb, &["progress"], 0).starts_with("exercise"));
    assert!(
        first_line(&wb, &["hint", "01_coroutines"], 0)
            .starts_with("Hint 1 of 3: Calling an async fn")
    );

    // The rest.
    assert!(first_line(dir, &["completions", "bash"], 0).starts_with("_clap_complete_asyncwork()"));
    // No command and no terminal: the course outline and the next command, exit 0.
    assert!(first_line(dir, &[], 0).starts_with("asyncwork: the course"));
}

/// `check` and `watch`, the two commands that build an exercise (slow tier: the first build
/// compiles tokio into the shared build cache).
#[test]
#[ignore = "builds exercise crates"]
fn check_and_watch_start_with_the_right_line() {
    let _cache = crate::common::exercise_cache();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    first_line(dir, &["init", "wb"], 0);
    let wb = dir.join("wb");
    let line = first_line(&wb, &["check", "01_coroutines", "--timeout", "120"], 1);
    assert!(line.starts_with("✗ 01_coroutines"), "{line}");
    assert_eq!(
        first_line(&wb, &["reset", "01_coroutines", "--yes"], 0),
        "Already as shipped: nothing to restore."
    );
    // watch runs until told to quit: read its first line, then stop it.
    let mut watch = std::process::Command::new(crate::common::bin())
        .current_dir(&wb)
        .args(["watch", "--poll", "--timeout", "120"])
        .env("NO_COLOR", "1")
        .env("CARGO_TARGET_DIR", exercise_target())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(watch.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let _ = watch.kill();
    let _ = watch.wait();
    assert!(first.starts_with("checking 01_coroutines"), "{first}");
}

#[test]
fn a_lost_report_is_an_error() {
    // /dev/full accepts no byte: the JSON is lost, so the exit code must say so.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(crate::common::bin())
        .current_dir(tmp.path())
        .args(["lesson", "list", "--json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"));
}

#[test]
fn durations_from_the_command_line_are_range_checked() {
    let tmp = tempfile::tempdir().unwrap();
    for value in ["1e20", "1e300", "0", "-1", "nan", "inf"] {
        let out = asyncwork(tmp.path())
            .args(["check", &format!("--timeout={value}")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--timeout {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--timeout"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// Issue 25, defect 10: every subcommand's help lists its own options apart from the global
/// `--lessons`, `--color` and `--workbook`, under a "Global options" heading of their own.
#[test]
fn every_help_puts_the_global_flags_under_their_own_heading() {
    let dir = tempfile::tempdir().unwrap();
    for words in [
        &["progress"][..],
        &["check"],
        &["lesson", "run"],
        &["lesson", "show"],
        &["init"],
        &["watch"],
    ] {
        let out = crate::common::asyncwork(dir.path())
            .args(words)
            .arg("--help")
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let own = help.find("\nOptions:").expect(&help);
        let global = help.find("\nGlobal options:").expect(&help);
        assert!(own < global, "{help}");
        for flag in ["--lessons <DIR>", "--color <WHEN>", "--workbook <DIR>"] {
            let at = help.find(flag).expect(&help);
            assert!(
                at > global,
                "{words:?}: {flag} among its own options:\n{help}"
            );
        }
    }
}
