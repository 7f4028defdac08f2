//! Building exercise crates with cargo and reading `--message-format=json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

/// One compiler diagnostic, reduced to what a learner needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompilerMessage {
    /// `error` or `warning`.
    pub level: String,
    pub code: Option<String>,
    pub message: String,
    /// Path relative to the workbook root, e.g. `03_gather/src/lib.rs`.
    pub file: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// rustc's own rendering (with the code excerpt and notes).
    pub rendered: String,
}

impl CompilerMessage {
    /// `03_gather/src/lib.rs:12:5`
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        })
    }
}

/// What one package produced in a build.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackageBuild {
    pub(crate) errors: Vec<CompilerMessage>,
    pub(crate) warnings: Vec<CompilerMessage>,
    /// Test executables (integration tests), by target name.
    pub(crate) test_executables: BTreeMap<String, PathBuf>,
}

#[derive(Debug, Default)]
pub(crate) struct BuildOutput {
    /// By the directory name of the package (the exercise name), e.g. `03_gather`.
    pub(crate) packages: BTreeMap<String, PackageBuild>,
    pub(crate) success: bool,
}

#[derive(Deserialize)]
struct Msg {
    reason: String,
    #[serde(default)]
    manifest_path: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<RustcMsg>,
    #[serde(default)]
    success: Option<bool>,
}

#[derive(Deserialize)]
struct Target {
    kind: Vec<String>,
    name: String,
    #[serde(default)]
    src_path: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct RustcMsg {
    message: String,
    level: String,
    #[serde(default)]
    code: Option<Code>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: u64,
    column_start: u64,
    is_primary: bool,
}

/// The exercise a manifest (or source) path belongs to: the first component below `root`.
fn package_key(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

/// Parse cargo's JSON stream. `root` is the workspace that was built (the grading copy), so
/// paths can be shown relative to it, which is also relative to the learner's workbook.
pub(crate) fn parse_messages(stdout: &str, root: &Path) -> BuildOutput {
    let mut out = BuildOutput::default();
    let root_str = format!("{}/", root.display());
    for line in stdout.lines() {
        if !line.starts_with('{') {
            continue;
        }
        let Ok(msg) = serde_json::from_str::<Msg>(line) else {
            continue;
        };
        let key = msg
            .manifest_path
            .as_deref()
            .and_then(|p| package_key(root, p))
            .or_else(|| {
                msg.target
                    .as_ref()?
                    .src_path
                    .as_deref()
                    .and_then(|p| package_key(root, p))
            });
        match msg.reason.as_str() {
            "compiler-message" => {
                let (Some(key), Some(m)) = (key, msg.message) else {
                    continue;
                };
                if m.level != "error" && m.level != "warning" {
                    continue;
                }
                // "aborting due to 2 previous errors", "3 warnings emitted": summaries, not news.
                if m.spans.is_empty()
                    && (m.message.starts_with("aborting due to")
                        || m.message.contains("warning emitted")
                        || m.message.contains("warnings emitted"))
                {
                    continue;
                }
                let primary = m.spans.iter().find(|s| s.is_primary).or(m.spans.first());
                let file = primary.map(|s| {
                    s.file_name
                        .strip_prefix(&root_str)
                        .unwrap_or(&s.file_name)
                        .to_string()
                });
                let d = CompilerMessage {
                    level: m.level.clone(),
                    code: m.code.map(|c| c.code),
                    message: m.message,
                    file,
                    line: primary.map(|s| s.line_start),
                    column: primary.map(|s| s.column_start),
                    rendered: m.rendered.unwrap_or_default().replace(&root_str, ""),
                };
                let pkg = out.packages.entry(key).or_default();
                if m.level == "error" {
                    pkg.errors.push(d)
                } else {
                    pkg.warnings.push(d)
                }
            }
            "compiler-artifact" => {
                let (Some(key), Some(target), Some(exe)) = (key, msg.target, msg.executable) else {
                    continue;
                };
                if msg.profile.is_some_and(|p| p.test) && target.kind.iter().any(|k| k == "test") {
                    out.packages
                        .entry(key)
                        .or_default()
                        .test_executables
                        .insert(target.name, exe);
                }
            }
            "build-finished" => out.success = msg.success.unwrap_or(false),
            _ => {}
        }
    }
    out
}

/// The cargo command that builds the integration tests of `packages` in `workspace`.
pub(crate) fn build_tests_command(
    workspace: &Path,
    target_dir: &Path,
    packages: &[&str],
) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // `cargo build --test '*'` builds exactly the integration tests, like `cargo test` would
    // (same artifacts, shared with the learner's own runs); unlike `cargo test` it accepts
    // `--keep-going`, so one exercise that does not compile does not hide the others.
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .args(["--message-format=json", "--keep-going", "--test", "*"])
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        // Grading must not depend on flags the learner set for something else.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        // No wrapper runs instead of rustc, whatever a configuration says: cargo documents an
        // empty RUSTC_WRAPPER (and its workspace twin) as "no wrapper", overriding any config.
        // (The grading copy is outside the workbook, so no configuration the submission
        // commits is read at all; this also covers one planted in the user's cargo home.)
        // No target runner applies either: the grader runs the test programs itself.
        .env("RUSTC_WRAPPER", "")
        .env("RUSTC_WORKSPACE_WRAPPER", "")
        .env("CARGO_BUILD_RUSTC_WRAPPER", "")
        .env("CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER", "")
        .current_dir(workspace);
    for p in packages {
        cmd.args(["-p", p]);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_errors_and_artifacts() {
        let root = Path::new("/wb/.asyncwork/shadow");
        let stream = r#"{"reason":"compiler-artifact","package_id":"path+file:///wb/.asyncwork/shadow/support#0.1.0","manifest_path":"/wb/.asyncwork/shadow/support/Cargo.toml","target":{"kind":["lib"],"crate_types":["lib"],"name":"support","src_path":"/wb/.asyncwork/shadow/support/src/lib.rs"},"profile":{"test":false},"executable":null,"fresh":true}
{"reason":"compiler-message","package_id":"path+file:///wb/.asyncwork/shadow/03_gather#ex03_gather@0.1.0","manifest_path":"/wb/.asyncwork/shadow/03_gather/Cargo.toml","target":{"kind":["lib"],"name":"ex03_gather","src_path":"/wb/.asyncwork/shadow/03_gather/src/lib.rs"},"message":{"rendered":"error[E0308]: mismatched types\n --> 03_gather/src/lib.rs:12:5\n","$message_type":"diagnostic","children":[],"code":{"code":"E0308","explanation":"..."},"level":"error","message":"mismatched types","spans":[{"file_name":"03_gather/src/lib.rs","byte_start":1,"byte_end":2,"line_start":12,"line_end":12,"column_start":5,"column_end":9,"is_primary":true,"text":[],"label":"expected `Dashboard`"}]}}
{"reason":"compiler-message","package_id":"x","manifest_path":"/wb/.asyncwork/shadow/03_gather/Cargo.toml","target":{"kind":["lib"],"name":"ex03_gather","src_path":"/wb/.asyncwork/shadow/03_gather/src/lib.rs"},"message":{"rendered":"error: aborting due to 1 previous error\n","children":[],"code":null,"level":"error","message":"aborting due to 1 previous error","spans":[]}}
{"reason":"compiler-artifact","package_id":"x","manifest_path":"/wb/.asyncwork/shadow/04_taskgroup/Cargo.toml","target":{"kind":["test"],"crate_types":["bin"],"name":"grade","src_path":"/wb/.asyncwork/shadow/04_taskgroup/tests/grade.rs"},"profile":{"test":true},"executable":"/wb/target/debug/deps/grade-1234","fresh":false}
{"reason":"build-finished","success":false}
"#;
        let out = parse_messages(stream, root);
        assert!(!out.success);
        let g = &out.packages["03_gather"];
        assert_eq!(g.errors.len(), 1, "the 'aborting' summary is dropped");
        let e = &g.errors[0];
        assert_eq!(e.location().as_deref(), Some("03_gather/src/lib.rs:12:5"));
        assert_eq!(e.code.as_deref(), Some("E0308"));
        assert!(g.test_executables.is_empty());
        let t = &out.packages["04_taskgroup"];
        assert_eq!(
            t.test_executables["grade"],
            PathBuf::from("/wb/target/debug/deps/grade-1234")
        );
        assert!(
            out.packages
                .get("support")
                .is_none_or(|s| s.test_executables.is_empty())
        );
    }
}
