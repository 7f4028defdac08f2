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
    writeln!(f, "pub async fn snippet() -> Result<(), BoxError> {{").unwrap();
    writeln!(f, "    let id: u64 = 1;").unwrap();
    writeln!(f, "    let user_id: u64 = 1;").unwrap();
    writeln!(f, "    let ids: Vec<u64> = vec![1, 2, 3];").unwrap();
    writeln!(f, "    let urls: Vec<String> = vec![\"/a\".into()];").unwrap();
    writeln!(f, "    let client = Client::default();").unwrap();
    writeln!(f, "    let pool = Pool::default();").unwrap();
    writeln!(f, "    #[allow(clippy::let_unit_value)]").unwrap();
    writeln!(f, "    let _ = {{").unwrap();
    writeln!(f, "// ---- snippet ----").unwrap();
    assert_eq!(f.lines().count(), HEADER_LINES);
    f.push_str(&s.code);
    if !s.code.ends_with('\n') {
        f.push('\n');
    }
    f.push_str("// ---- end ----\n    };\n    Ok(())\n}\n");
    f
}

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

fn collect_snippets() -> Vec<Snippet> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("read lessons/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read lesson");
        let lesson: Lesson = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a lesson: {e}", path.display()));
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

/// Writes `path` only when its content changed, so cargo's fingerprints stay warm.
fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

#[test]
fn every_rust_snippet_of_every_lesson_compiles() {
    let snippets = collect_snippets();
    assert!(!snippets.is_empty(), "no rust snippets found in lessons/");

    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lesson-snippets");
    let src = root.join("src");
    // Stale modules of renamed lessons would fail to compile against nothing: start clean.
    let _ = std::fs::remove_dir_all(src.join("s"));
    write_if_changed(
        &root.join("Cargo.toml"),
        r#"[package]
name = "lesson-snippets"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
tokio = { version = "1", features = ["full", "test-util"] }
futures = "0.3"

[workspace]
"#,
    );
    // The main lock file pins the same tokio and futures the main build downloaded.
    let lock = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
        .expect("read Cargo.lock");
    if !root.join("Cargo.lock").exists() {
        write_if_changed(&root.join("Cargo.lock"), &lock);
    }
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

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--color", "never"])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
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
