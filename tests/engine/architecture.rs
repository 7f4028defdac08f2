#![allow(clippy::print_stdout)] // --nocapture shows the import edges
//! The design's rules, checked on the source so they stay true by construction:
//!
//! * no module imports one that imports it back (directly or through others);
//! * data flows one way: the library (`demo`, `io`, `lesson`, `workbook`, `progress`, `text`,
//!   `cleanup`) never reaches up into `render`, `commands` or `cli`, and `render` never reaches
//!   into `commands` or `cli`;
//! * `commands` builds no styled text: every coloured sentence and mark is a `render` function.
//!
//! An edge is any `crate::a::b` path (or `super::x`) in a module's code, outside comments and its
//! `#[cfg(test)]` tail. `cargo test --test engine architecture -- --nocapture` prints the edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `src/demo/strategy/mod.rs` -> `demo::strategy`; `None` for the crate roots.
fn module_of(rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
    if parts.last() == Some(&"mod") {
        parts.pop();
    }
    match parts.as_slice() {
        ["lib"] | ["main"] => None,
        _ => Some(parts.join("::")),
    }
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if let Some(m) = module_of(&rel) {
                out.push((m, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
}

/// The code of a module file: comments and the `#[cfg(test)]` tail removed.
fn code(src: &str) -> String {
    let src = src.split("#[cfg(test)]").next().unwrap_or_default();
    src.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths that follow `prefix` in `code`: `crate::demo::spec::X` -> `["demo", "spec", "X"]`.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    code.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            rest[..end].split("::").filter(|s| !s.is_empty()).collect()
        })
        .collect()
}

fn graph() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    // The longest module a path names: `demo::spec::DemoSpec` -> `demo::spec`.
    let resolve = |parts: &[&str]| {
        (1..=parts.len())
            .rev()
            .map(|k| parts[..k].join("::"))
            .find(|m| modules.contains(m))
    };
    let mut g = Graph::new();
    for (m, src) in &files {
        let code = code(src);
        let parent: Vec<&str> = m.split("::").collect();
        let parent = &parent[..parent.len() - 1];
        let mut targets: Vec<String> = paths_after(&code, "crate::")
            .iter()
            .filter_map(|p| resolve(p))
            .collect();
        for p in paths_after(&code, "super::") {
            let full: Vec<&str> = parent.iter().copied().chain(p).collect();
            targets.extend(resolve(&full));
        }
        let edges = g.entry(m.clone()).or_default();
        for t in targets {
            // A module naming its own parent or child is structure, not a dependency.
            let related =
                t == *m || m.starts_with(&format!("{t}::")) || t.starts_with(&format!("{m}::"));
            if !related {
                edges.insert(t);
            }
        }
    }
    g
}

/// Modules that can reach themselves again.
fn cycles(g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for start in g.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = g[start].iter().collect();
        while let Some(m) = stack.pop() {
            if m == start {
                out.push(start.clone());
                break;
            }
            if seen.insert(m) {
                stack.extend(g.get(m).into_iter().flatten());
            }
        }
    }
    out
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    for (m, edges) in &g {
        if !edges.is_empty() {
            let list: Vec<&str> = edges.iter().map(String::as_str).collect();
            println!("{m} -> {}", list.join(", "));
        }
    }
    let cyclic = cycles(&g);
    assert_eq!(
        cyclic, ENGINE_CORE,
        "modules on an import cycle (only the engine core may be, and all of it is)"
    );
}

/// The one knot, on purpose: an op's module owns its `run` (one kind, one file), which runs in
/// its strategy run's context (`ctx`: the plan, the recorder, the lab), and the plan holds the
/// ops, since a `resource` runs the ops nested in it. So these five are one layer that names
/// itself; nothing outside them may join a cycle, and the list changes only on purpose.
const ENGINE_CORE: &[&str] = &[
    "demo::ctx",
    "demo::lab",
    "demo::op",
    "demo::plan",
    "demo::recorder",
];

#[test]
fn data_flows_one_way() {
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_string();
    let library = [
        "demo", "io", "lesson", "workbook", "progress", "text", "course", "cleanup",
    ];
    let mut wrong = Vec::new();
    for (m, edges) in graph() {
        let forbidden: &[&str] = if library.contains(&top(&m).as_str()) {
            &["render", "commands", "cli"]
        } else if top(&m) == "render" {
            &["commands", "cli"]
        } else {
            &[]
        };
        for e in edges {
            if forbidden.contains(&top(&e).as_str()) {
                wrong.push(format!("{m} -> {e}"));
            }
        }
    }
    assert!(wrong.is_empty(), "edges against the data flow: {wrong:?}");
}

/// The text between `start` and the next line that is exactly `end` (a Python dict or function).
fn between<'a>(src: &'a str, start: &str, end: &str) -> &'a str {
    let from = src
        .find(start)
        .unwrap_or_else(|| panic!("runner.py has no `{start}`"));
    let rest = &src[from..];
    let to = rest.find(end).unwrap_or(rest.len());
    &rest[..to]
}

/// Issue 18: every kind of every family has its asyncio counterpart (or an explicit skip with
/// its reason) in the Python runner, and its row in the authoring guide. Adding a kind to one
/// of the lists in `demo/spec.rs` without them fails here.
#[test]
fn every_kind_has_its_asyncio_counterpart_and_its_guide_row() {
    use asyncwork::demo::spec::{ExpectKind, OpKind, StrategyKind};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runner = std::fs::read_to_string(root.join("src/demo/python/runner.py")).unwrap();
    let guide = std::fs::read_to_string(root.join("lessons/README.md")).unwrap();
    let row = |kind: &str| format!("\n| `{kind}` |");
    let strategies = between(&runner, "\nSTRATEGIES = {", "\n}");
    let skipped = between(&runner, "\nSKIPPED = {", "\n}");
    let mut missing = Vec::new();
    for k in StrategyKind::ALL {
        let key = format!("\"{}\":", k.as_str());
        if !strategies.contains(&key) && !skipped.contains(&key) {
            missing.push(format!(
                "strategy `{}`: no entry in runner.py's STRATEGIES or SKIPPED",
                k.as_str()
            ));
        }
        if !guide.contains(&row(k.as_str())) {
            missing.push(format!(
                "strategy `{}`: no row in lessons/README.md",
                k.as_str()
            ));
        }
    }
    let ops = between(&runner, "    async def op(self, tid):", "\n\n");
    let supported = between(&runner, "unsupported = sorted(", "})");
    for k in OpKind::ALL {
        let name = format!("\"{}\"", k.as_str());
        if !ops.contains(&name) {
            missing.push(format!("op `{}`: not run by runner.py's `op`", k.as_str()));
        }
        if !supported.contains(&name) {
            missing.push(format!(
                "op `{}`: not in runner.py's supported ops",
                k.as_str()
            ));
        }
        if !guide.contains(&row(k.as_str())) {
            missing.push(format!("op `{}`: no row in lessons/README.md", k.as_str()));
        }
    }
    // Claims are judged by the same Rust code on both runs: only the guide row is needed.
    for k in ExpectKind::ALL {
        if !guide.contains(&row(k.as_str())) {
            missing.push(format!(
                "claim kind `{}`: no row in lessons/README.md",
                k.as_str()
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Issue 18: a family's variants are named only in its home (`demo/strategy/`, `demo/claim/`),
/// where one list writes every match over them, so no code elsewhere matches over kinds with a
/// `_ =>` that a new kind would silently fall into.
#[test]
fn a_family_is_matched_over_only_in_its_home() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let homes = [
        ("Strategy::", "demo::strategy"),
        ("Check::", "demo::claim"),
        ("Op::", "demo::op"),
    ];
    let mut wrong = Vec::new();
    for (module, src) in &files {
        let code = code(src);
        for (prefix, home) in homes {
            if module == home || module.starts_with(&format!("{home}::")) {
                continue;
            }
            for (i, _) in code.match_indices(prefix) {
                // `Strategy::Bounded(..)`, not `Strategy::ideal_ms` or `StrategyKind::`.
                let before = code[..i].chars().next_back();
                let after = code[i + prefix.len()..].chars().next();
                let variant = after.is_some_and(|c| c.is_ascii_uppercase());
                let whole_word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
                if variant && whole_word {
                    let name: String = code[i..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '_')
                        .collect();
                    wrong.push(format!("{module} names `{name}`"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Issue 18: the library never prompts. Asking the learner is a command's job (`commands/`);
/// the library returns what it needs asked.
#[test]
fn the_library_does_not_prompt() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let wrong: Vec<&String> = files
        .iter()
        .filter(|(m, src)| !m.starts_with("commands") && code(src).contains("dialoguer::"))
        .map(|(m, _)| m)
        .collect();
    assert!(
        wrong.is_empty(),
        "modules outside commands/ that prompt: {wrong:?}"
    );
}

/// Issue 18: `commands/` is thin wiring; every sentence and mark built with styling (colours,
/// bold, dim, the coloured ✓ and ✗) comes from a function in `render/`. A whole word only:
/// indicatif's `set_style(` sets a progress bar's template, which has no colours.
#[test]
fn commands_build_no_styled_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let mut wrong = Vec::new();
    for (module, src) in files.iter().filter(|(m, _)| m.starts_with("commands")) {
        let code = code(src);
        for needle in ["style(", "console::style", "Style::new"] {
            for (i, _) in code.match_indices(needle) {
                let before = code[..i].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    let line = code[..i].lines().count().max(1);
                    wrong.push(format!("{module}: `{needle}` (code line {line})"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "styled text built in commands/ (move it into a render/ function):\n{}",
        wrong.join("\n")
    );
}

/// Issue 18: `commands/` writes no sentence of its own: what its output macros print is a
/// renderer's (`outln!("{}", render::...)`), with at most layout (spaces, newlines, `{}`) in the
/// format string. Error messages (`bail!`) are the command's.
#[test]
fn commands_write_no_sentence_of_their_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let mut wrong = Vec::new();
    for (module, src) in files.iter().filter(|(m, _)| m.starts_with("commands")) {
        for (n, line) in src.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") || line.starts_with("macro_rules!") {
                continue;
            }
            for needle in [
                "outln!(\"",
                "out!(\"",
                "errln!(\"",
                "err!(\"",
                "emit(&format!(\"",
            ] {
                let Some(at) = line.find(needle) else {
                    continue;
                };
                let literal = &line[at + needle.len()..];
                let literal = literal.split('"').next().unwrap_or("");
                // Placeholders (`{}`, `{name}`) and escapes are layout; a letter outside them is
                // a word.
                let mut depth = 0;
                let mut words = false;
                let mut chars = literal.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        '\\' => {
                            chars.next();
                        }
                        c if depth == 0 && c.is_alphabetic() => words = true,
                        _ => {}
                    }
                }
                if words {
                    wrong.push(format!("{module}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "sentences written in commands/ (move them into a render/ function):\n{}",
        wrong.join("\n")
    );
}
