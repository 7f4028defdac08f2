//! Code under test must not read what tells grading apart from the learner's own `cargo test`.
//!
//! The grader builds and runs the learner's `src/` in a grading copy of its own (see `shadow`):
//! another folder (so another `CARGO_MANIFEST_DIR`, current directory and executable path), a
//! workspace version tagged `+g<hash>` (`CARGO_PKG_VERSION`), a workspace manifest with a header
//! of its own, another `TMPDIR`, and the grader's environment. Code that reads any of these can
//! behave one way under `cargo test` and another under the grader: keep the buggy code for the
//! learner's eyes and forge only where it is graded (issue 27: an attempt read the grading copy's
//! `CARGO_MANIFEST_DIR` and padded a fire-and-forget write only there). No exercise needs any of
//! them, so reading them is refused before anything is built, with where, as the clock check
//! does (`clock.rs`, the same token reader):
//!
//! * `env!` and `option_env!` (what cargo set at build time);
//! * `std::env`, or a path through an `env` module, except `env::consts` (the platform's
//!   constants are the same everywhere): variables, arguments, the current directory and
//!   executable, the temporary directory;
//! * `include_str!`, `include_bytes!` and `include!` of a path that leaves `src/` (`..`): the
//!   manifests and tests around it are the grading copy's.
//!
//! The learner's own `#[cfg(test)]` items may read them (they are not built for grading).

use proc_macro2::{TokenStream, TokenTree};

use super::clock::{after_path_separator, first};

/// Where `source` reads a fact of its surroundings: 1-based line and column, and what it is.
/// Source that does not even lex is left to the compiler.
pub(crate) fn reads_surroundings(source: &str) -> Option<(usize, usize, String)> {
    let tokens: TokenStream = source.parse().ok()?;
    first(tokens, &std_use, &spot)
}

/// Only a `use` of std's `env` reads it: a module of the learner's called `env` does not. So a
/// `use` counts when its path starts at `std`.
fn std_use(tokens: &[TokenTree], i: usize) -> bool {
    tokens[i + 1..]
        .iter()
        .find(|t| !matches!(t, TokenTree::Punct(p) if p.as_char() == ':'))
        .is_some_and(|t| matches!(t, TokenTree::Ident(root) if root == "std"))
}

/// What token `i` reads, if it reads a fact of its surroundings.
fn spot(tokens: &[TokenTree], i: usize, in_use: bool) -> Option<(usize, usize, String)> {
    let TokenTree::Ident(id) = &tokens[i] else {
        return None;
    };
    let at = |what: String| {
        let start = id.span().start();
        Some((start.line, start.column + 1, what))
    };
    let punct =
        |i: usize, c: char| matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let name = id.to_string();
    let name = name.trim_start_matches("r#");
    let macro_call = punct(i + 1, '!') && !after_path_separator(&tokens[..i]);
    match name {
        "env" | "option_env" if macro_call => at(format!("{name}!")),
        "include_str" | "include_bytes" | "include" if macro_call => match tokens.get(i + 2) {
            Some(TokenTree::Group(g)) if g.stream().to_string().contains("..") => {
                at(format!("{name}!({})", g.stream()))
            }
            _ => None,
        },
        "env" => {
            // `env::consts::OS` and the like are the same wherever the code runs.
            let consts = punct(i + 1, ':')
                && punct(i + 2, ':')
                && matches!(tokens.get(i + 3), Some(TokenTree::Ident(c)) if c == "consts");
            // `env::var(..)` after a `use std::env` (a path that starts at `env`; one through a
            // module of the learner's, `crate::env::..`, does not).
            let through_path =
                punct(i + 1, ':') && punct(i + 2, ':') && !after_path_separator(&tokens[..i]);
            let from_std = i >= 3
                && after_path_separator(&tokens[..i])
                && matches!(&tokens[i - 3], TokenTree::Ident(s) if s == "std");
            if !consts && (through_path || from_std || in_use) {
                at("std::env".to_string())
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(s: &str) -> Option<String> {
        reads_surroundings(s).map(|(line, col, what)| format!("{line}:{col} {what}"))
    }

    #[test]
    fn reading_the_build_or_the_process_is_found() {
        assert_eq!(
            what("fn f() -> &'static str {\n    env!(\"CARGO_MANIFEST_DIR\")\n}").as_deref(),
            Some("2:5 env!")
        );
        assert_eq!(
            what("fn f() { let _ = option_env!(\"CARGO_PKG_VERSION\"); }").as_deref(),
            Some("1:18 option_env!")
        );
        assert_eq!(
            what("fn f() { std::env::var(\"CARGO_MANIFEST_DIR\").ok(); }").as_deref(),
            Some("1:15 std::env")
        );
        assert_eq!(
            what("use std::env;\nfn f() { env::current_dir(); }").as_deref(),
            Some("1:10 std::env")
        );
        assert_eq!(
            what("use std::{env as e, time};\n").as_deref(),
            Some("1:11 std::env")
        );
        assert_eq!(
            what("fn f() { ::std::env::args(); }").as_deref(),
            Some("1:17 std::env")
        );
        assert_eq!(
            what("const M: &str = include_str!(\"../Cargo.toml\");").as_deref(),
            Some("1:17 include_str!(\"../Cargo.toml\")")
        );
    }

    #[test]
    fn constants_own_files_comments_strings_and_own_tests_are_not_reads() {
        let none = |s: &str| assert_eq!(reads_surroundings(s), None, "{s}");
        none("fn f() -> &'static str { std::env::consts::OS }");
        none("// std::env::var(\"X\") would differ\nfn f() {}");
        none("fn f() { let s = \"env!(CARGO_MANIFEST_DIR)\"; }");
        none("mod data;\nconst D: &str = include_str!(\"data.txt\");");
        none("fn f(env: &Env) { let env2 = env; env.get(); }");
        none("struct S { env: u32 }\nfn f(s: S) -> u32 { s.env }");
        none("mod env { pub fn level() {} }\nuse crate::env::level;\nuse self::env as settings;");
        none(
            "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    fn t() { let _ = std::env::var(\"HOME\"); }\n}\n",
        );
    }
}
