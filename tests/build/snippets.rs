//! Every `rust` snippet of every lesson in `lessons/` compiles.
//!
//! The convention (documented in `lessons/README.md`, "Rust snippets compile"): each snippet
//! becomes the body of its own `async fn snippet() -> Result<(), BoxError>` in a scratch crate
//! that depends on tokio ("full", "test-util") and futures. The body glob-imports
//! `tests/snippets/prelude.rs` (stub async fns and types such as `fetch_user`, `User`) and
//! starts with a few common locals (`id`, `user_id`, `ids`, `urls`). Items (`fn`, `struct`,
//! `impl`, `use`, `#[tokio::main] async fn main`) may appear in a snippet: Rust allows items
//! inside a function body, and they shadow the prelude's.
//!
//! The scratch crate lives under `CARGO_TARGET_TMPDIR` with its own target directory, so the
//! first run compiles tokio and futures once (`cargo check`, no codegen) and later runs only
//! the snippets. It is checked `--offline`: the main build has already fetched every crate.
//!
//! The second test does the opposite for `[[section.compile_fail]]` blocks: each must NOT
//! compile (or must draw its lint's warning), and the code and message rustc prints must be
//! the ones the lesson quotes, so the lesson shows learners rustc's real words rather than
//! words typed from memory. Each block is a binary of a second scratch crate, because rustc
//! stops at the first failing phase of a crate (an `await` outside `async` ends compilation
//! before type checking): one binary per block gets every message. The crate shares the first
//! one's target directory, so tokio and futures are checked once for both, and one
//! `cargo check --keep-going` builds every binary.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Lesson {
    id: String,
    #[serde(default)]
    section: Vec<Section>,
}

#[derive(Deserialize)]
struct Section {
    heading: String,
    code: Option<Code>,
    #[serde(default)]
    compile_fail: Vec<CompileFail>,
}

/// `[[section.compile_fail]]`, as `src/lesson/model.rs` defines it.
#[derive(Deserialize)]
struct CompileFail {
    rust: String,
    error: Option<String>,
    warning: Option<String>,
    message: String,
    label: Option<String>,
    note: Option<String>,
}

/// One compile-fail block: where it comes from, its binary's name and what rustc must say.
struct Rejected {
    lesson: String,
    heading: String,
    bin: String,
    block: CompileFail,
}

impl Rejected {
    /// The lesson's quote, formatted as rustc prints its headline.
    fn expected(&self) -> String {
        let b = &self.block;
        match (&b.error, &b.warning) {
            (Some(code), _) => format!("error[{code}]: {}", b.message),
            (None, Some(_)) => format!("warning: {}", b.message),
            (None, None) => format!("error: {}", b.message),
        }
    }
}

/// What rustc said, from one `compiler-message` of `cargo check --message-format json`.
struct Said {
    level: String,
    code: Option<String>,
    message: String,
    /// The labels under the code, primary and secondary.
    labels: Vec<String>,
    /// The `= note:` and `= help:` lines.
    notes: Vec<String>,
}

impl Said {
    fn headline(&self) -> String {
        match &self.code {
            Some(code) if self.level == "error" => format!("error[{code}]: {}", self.message),
            _ => format!("{}: {}", self.level, self.message),
        }
    }
}

#[derive(Deserialize)]
struct Code {
    rust: Option<String>,
}

/// One snippet: where it comes from and the module it is compiled as.
struct Snippet {
    lesson: String,
    heading: String,
    module: String,
    code: String,
}

/// Lines of the generated file before the snippet's first line.
const HEADER_LINES: usize = 14;

fn snippet_file(s: &Snippet) -> String {
    let mut f = String::new();
    // Keep exactly HEADER_LINES lines before the snippet (the failure message relies on it).
    writeln!(f, "// lesson `{}`, section {:?}", s.lesson, s.heading).unwrap();
    writeln!(f, "#[allow(unused_imports)]").unwrap();
    writeln!(f, "use crate::prelude::*;").unwrap();
    writeln!(f, "#[allow(unused, unreachable_code, clippy::all)]").unwrap();
    snippet_fn(&mut f, &s.code, HEADER_LINES);
    f
}

/// `async fn snippet()` around `code`, with the locals every snippet may use (`id`, `client`,
/// ...): the convention shared by the snippets that compile and the blocks that must not.
/// `header_lines`, when the file so far plus the preamble must have that many lines (the failure
/// message maps line numbers back to the lesson with it).
fn snippet_fn(f: &mut String, code: &str, header_lines: usize) {
    f.push_str(concat!(
        "pub async fn snippet() -> Result<(), BoxError> {\n",
        "    let id: u64 = 1;\n",
        "    let user_id: u64 = 1;\n",
        "    let ids: Vec<u64> = vec![1, 2, 3];\n",
        "    let urls: Vec<String> = vec![\"/a\".into()];\n",
        "    let client = Client::default();\n",
        "    let pool = Pool::default();\n",
        "    #[allow(clippy::let_unit_value)]\n",
        "    let _ = {\n",
        "// ---- snippet ----\n",
    ));
    assert!(header_lines == 0 || f.lines().count() == header_lines);
    f.push_str(code);
    if !code.ends_with('\n') {
        f.push('\n');
    }
    f.push_str("// ---- end ----\n    };\n    Ok(())\n}\n");
}

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

fn lessons() -> Vec<Lesson> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("read lessons/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read lesson");
            toml::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not a lesson: {e}", path.display()))
        })
        .collect()
}

fn collect_rejected() -> Vec<Rejected> {
    let mut out = Vec::new();
    for lesson in lessons() {
        for (i, section) in lesson.section.into_iter().enumerate() {
            for (j, block) in section.compile_fail.into_iter().enumerate() {
                out.push(Rejected {
                    bin: format!("{}_{}_{}", lesson.id.replace('-', "_"), i + 1, j + 1),
                    lesson: lesson.id.clone(),
                    heading: section.heading.clone(),
                    block,
                });
            }
        }
    }
    out
}

/// A compile-fail block as a binary: the snippet convention's locals and prelude, with every
/// lint on except the ones that would only be noise around the mistake being shown.
fn rejected_file(r: &Rejected) -> String {
    let mut f = String::new();
    writeln!(f, "// lesson `{}`, section {:?}", r.lesson, r.heading).unwrap();
    writeln!(f, "#![allow(dead_code, unused_variables, unused_imports)]").unwrap();
    writeln!(f, "#![allow(unused_mut, unreachable_code)]").unwrap();
    writeln!(f, "#[path = \"../prelude.rs\"]\nmod prelude;").unwrap();
    writeln!(f, "use prelude::*;").unwrap();
    writeln!(f, "fn main() {{}}").unwrap();
    snippet_fn(&mut f, &r.block.rust, 0);
    f
}

/// Every diagnostic rustc gave each binary, by binary name, from cargo's JSON messages.
fn diagnostics(json_lines: &str) -> std::collections::BTreeMap<String, Vec<Said>> {
    let mut out: std::collections::BTreeMap<String, Vec<Said>> = Default::default();
    for line in json_lines.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" {
            continue;
        }
        let m = &v["message"];
        let text = m["message"].as_str().unwrap_or_default().to_string();
        let level = m["level"].as_str().unwrap_or_default().to_string();
        // rustc's summary lines ("aborting due to 2 previous errors", "1 warning emitted").
        if m["spans"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let notes = m["children"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["message"].as_str().map(str::to_string))
            .collect();
        let labels = m["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["label"].as_str().map(str::to_string))
            .collect();
        out.entry(v["target"]["name"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(Said {
                level,
                code: m["code"]["code"].as_str().map(str::to_string),
                message: text,
                labels,
                notes,
            });
    }
    out
}

/// The one problem with a block, judged against what rustc said about its binary: an error
/// block must draw its error and no other; a warning block must compile and draw its lint.
fn judge(r: &Rejected, said: &[Said]) -> Option<String> {
    let expected = r.expected();
    let errors: Vec<&Said> = said.iter().filter(|d| d.level == "error").collect();
    let (candidates, others): (Vec<&Said>, Vec<&Said>) = match &r.block.warning {
        Some(lint) => said
            .iter()
            .filter(|d| d.level == "warning" || d.level == "error")
            .partition(|d| d.level == "warning" && d.code.as_deref() == Some(lint.as_str())),
        None => errors
            .iter()
            .partition(|d| d.code == r.block.error && d.message == r.block.message),
    };
    let heard: Vec<String> = said.iter().map(Said::headline).collect();
    let heard = if heard.is_empty() {
        "nothing: it compiles cleanly".to_string()
    } else {
        heard.join("\n      ")
    };
    let Some(found) = candidates.iter().find(|d| d.headline() == expected) else {
        return Some(format!(
            "the lesson quotes `{expected}`; rustc said:\n      {heard}"
        ));
    };
    if let Some(label) = &r.block.label
        && !found.labels.iter().any(|l| l == label)
    {
        return Some(format!(
            "the lesson quotes the label `{label}`; rustc's labels: {:?}",
            found.labels
        ));
    }
    if let Some(note) = &r.block.note
        && !found.notes.iter().any(|n| n == note)
    {
        return Some(format!(
            "the lesson quotes the note `{note}`; rustc's notes: {:?}",
            found.notes
        ));
    }
    let unexpected: Vec<&&Said> = others.iter().filter(|d| d.level == "error").collect();
    if !unexpected.is_empty() {
        return Some(format!(
            "it fails for another reason too; rustc said:\n      {heard}"
        ));
    }
    None
}

fn collect_snippets() -> Vec<Snippet> {
    let mut out = Vec::new();
    for lesson in lessons() {
        for (i, section) in lesson.section.iter().enumerate() {
            if let Some(rust) = section.code.as_ref().and_then(|c| c.rust.clone()) {
                out.push(Snippet {
                    module: format!("{}_{}", lesson.id.replace('-', "_"), i + 1),
                    lesson: lesson.id.clone(),
                    heading: section.heading.clone(),
                    code: rust,
                });
            }
        }
    }
    out
}

/// Both scratch crates build into one target directory: tokio and futures are checked once.
fn shared_target_dir() -> PathBuf {
    scratch_root("lesson-snippets").join("target")
}

fn scratch_root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// The scratch crate's `Cargo.toml` (tokio and futures) and the main build's lock file, which
/// pins the same tokio and futures the main build downloaded.
fn write_scratch_manifest(root: &Path, name: &str) {
    write_if_changed(
        &root.join("Cargo.toml"),
        &format!(
            r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tokio = {{ version = "1", features = ["full", "test-util"] }}
futures = "0.3"

[workspace]
"#
        ),
    );
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("read Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        write_if_changed(&root.join("Cargo.lock"), &lock);
    }
}

/// Writes `path` only when its content changed, so cargo's fingerprints stay warm.
fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

#[test]
#[ignore = "builds exercise crates"]
fn every_rust_snippet_of_every_lesson_compiles() {
    let snippets = collect_snippets();
    assert!(!snippets.is_empty(), "no rust snippets found in lessons/");

    let root = scratch_root("lesson-snippets");
    let src = root.join("src");
    // Stale modules of renamed lessons would fail to compile against nothing: start clean.
    let _ = std::fs::remove_dir_all(src.join("s"));
    write_scratch_manifest(&root, "lesson-snippets");
    let prelude = include_str!("snippets/prelude.rs");
    write_if_changed(&src.join("prelude.rs"), prelude);

    let mut lib = String::from("#![allow(warnings)]\npub mod prelude;\n");
    for s in &snippets {
        writeln!(lib, "#[path = \"s/{0}.rs\"]\npub mod {0};", s.module).unwrap();
        write_if_changed(
            &src.join("s").join(format!("{}.rs", s.module)),
            &snippet_file(s),
        );
    }
    write_if_changed(&src.join("lib.rs"), &lib);

    let output = cargo_check(&root, &["--quiet", "--color", "never"]);
    if output.status.success() {
        return;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut report = String::from("some lesson snippets do not compile\n");
    for s in &snippets {
        if stderr.contains(&format!("s/{}.rs", s.module)) {
            writeln!(
                report,
                "  lesson `{}`, section {:?}: see src/s/{}.rs below (snippet line N is file line N + {})",
                s.lesson, s.heading, s.module, HEADER_LINES
            )
            .unwrap();
        }
    }
    writeln!(report, "scratch crate: {}\n\n{stderr}", root.display()).unwrap();
    panic!("{report}");
}

#[test]
#[ignore = "builds exercise crates"]
fn every_compile_fail_block_quotes_what_rustc_says() {
    let rejected = collect_rejected();
    assert!(
        !rejected.is_empty(),
        "no [[section.compile_fail]] blocks found in lessons/"
    );

    let root = scratch_root("lesson-compile-fail");
    let src = root.join("src");
    let _ = std::fs::remove_dir_all(src.join("bin"));
    write_scratch_manifest(&root, "lesson-compile-fail");
    write_if_changed(&src.join("prelude.rs"), include_str!("snippets/prelude.rs"));
    for r in &rejected {
        write_if_changed(
            &src.join("bin").join(format!("{}.rs", r.bin)),
            &rejected_file(r),
        );
    }

    let output = cargo_check(
        &root,
        &[
            "--bins",
            "--keep-going",
            "--message-format",
            "json",
            "--color",
            "never",
        ],
    );
    let said = diagnostics(&String::from_utf8_lossy(&output.stdout));

    let mut report = String::new();
    for r in &rejected {
        let heard = said.get(&r.bin).map(Vec::as_slice).unwrap_or_default();
        if let Some(problem) = judge(r, heard) {
            writeln!(
                report,
                "  lesson `{}`, section {:?}, src/bin/{}.rs: {problem}",
                r.lesson, r.heading, r.bin
            )
            .unwrap();
        }
    }
    assert!(
        report.is_empty(),
        "compile-fail blocks whose quote is not what rustc says (scratch crate: {}):\n{report}\n\
         cargo's stderr:\n{}",
        root.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `cargo check --offline` of the scratch crate at `root`, in the target dir both tests share
/// (tokio and futures are checked once for both).
fn cargo_check(root: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["check", "--offline"])
        .args(args)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(shared_target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check")
}
