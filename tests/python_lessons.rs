//! The shipped lessons whose claims differ between tokio and asyncio (`runtime = "rust"` /
//! `"python"`), and those with real I/O, run with `--python --strict` at one fast speed: every
//! claim on both runtimes is shown or honestly not judged. Skipped, with the reason printed,
//! when python3 >= 3.11 is not here. The others run under `.ci/lessons-at-every-speed` on tokio
//! alone (running all of them under asyncio too would add about 90 s to CI).
#![allow(clippy::print_stderr)]

use std::path::PathBuf;

use assert_cmd::Command;

/// Lessons with per-runtime claims, then the real-I/O ones (HTTP client, SQLite).
const LESSONS: [&str; 5] = [
    "gather",
    "context_managers",
    "timeouts",
    "http_clients",
    "databases",
];

fn python_ok() -> Result<(), String> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)",
        ])
        .output()
        .map_err(|e| format!("no python3 on the PATH ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err("python3 is older than 3.11".into())
    }
}

#[test]
fn lessons_show_their_claims_on_both_runtimes() {
    if let Err(why) = python_ok() {
        eprintln!("skipped: {why}");
        return;
    }
    let lessons = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lessons");
    for id in LESSONS {
        let out = Command::cargo_bin("asyncwork")
            .unwrap()
            .env_remove("ASYNCWORK_LESSONS")
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&lessons)
            .args(["lesson", "run", id, "--python", "--strict", "--no-live"])
            .args(["--no-pause", "--speed", "5"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{id}:\n{stderr}\n{stdout}");
        assert!(
            stdout.contains("Claims on the asyncio run"),
            "{id}:\n{stdout}"
        );
        assert!(
            !stdout.contains("the asyncio runner"),
            "{id}: the runner broke:\n{stdout}"
        );
    }
}
