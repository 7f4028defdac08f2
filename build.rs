//! Copies `exercises/` and `solutions/` into `$OUT_DIR/embedded/`, leaving out every `target/`
//! and `.asyncwork/` directory, so that `include_dir!` can embed them (it cannot exclude paths
//! itself, and a learner's or grader's `exercises/target` holds gigabytes).
//!
//! `rerun-if-changed` is emitted per copied file and per copied sub-directory, never for
//! `exercises/` itself: cargo scans a directory recursively, and `exercises/target` changes on
//! every grading run, which would rebuild asyncwork each time.

use std::fs;
use std::io;
use std::path::Path;

const SKIP: &[&str] = &["target", ".asyncwork"];

fn copy_tree(src: &Path, dst: &Path, is_root: bool) -> io::Result<()> {
    fs::create_dir_all(dst)?;
    if !is_root {
        println!("cargo:rerun-if-changed={}", src.display());
    }
    let mut entries: Vec<_> = fs::read_dir(src)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_str = name.to_string_lossy();
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if SKIP.contains(&name_str.as_ref()) {
                continue;
            }
            copy_tree(&path, &dst.join(&name), false)?;
        } else if kind.is_file() {
            // Editor droppings are not curriculum.
            if name_str.ends_with('~') || name_str.ends_with(".swp") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            fs::copy(&path, dst.join(&name))?;
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let embedded = Path::new(&out_dir).join("embedded");
    if embedded.exists() {
        fs::remove_dir_all(&embedded)?;
    }
    for name in ["exercises", "solutions"] {
        let src = Path::new(&manifest_dir).join(name);
        let dst = embedded.join(name);
        if name == "exercises" {
            // Adding an exercise changes both; the directory itself cannot be watched (target/).
            println!("cargo:rerun-if-changed={}", src.join("info.toml").display());
            println!(
                "cargo:rerun-if-changed={}",
                src.join("Cargo.toml").display()
            );
        } else {
            println!("cargo:rerun-if-changed={}", src.display());
        }
        if src.is_dir() {
            copy_tree(&src, &dst, true)?;
        } else {
            fs::create_dir_all(&dst)?;
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    Ok(())
}
