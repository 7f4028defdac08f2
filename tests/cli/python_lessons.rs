//! The shipped lessons whose claims differ between tokio and asyncio (`runtime = "rust"` /
//! `"python"`), and those with real I/O, run with `--python --strict` at one fast speed: every
//! claim on both runtimes is shown or honestly not judged. Skipped, with the reason printed,
//! when python3 >= 3.11 is not here, except under `CI`, where that fails. The others run under
//! `.ci/lessons-at-every-speed` on tokio alone (running all of them under asyncio too would add
//! about 90 s to CI).

/// Lessons with per-runtime claims, then the real-I/O ones (HTTP client, SQLite).
const LESSONS: [&str; 5] = [
    "gather",
    "context_managers",
    "timeouts",
    "http_clients",
    "databases",
];

#[test]
fn lessons_show_their_claims_on_both_runtimes() {
    if !crate::common::require_python() {
        return;
    }
    let _t = crate::common::timing();
    for id in LESSONS {
        let out = crate::common::asyncwork_lessons()
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
