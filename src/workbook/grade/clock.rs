//! The test's clock is the grader's: code under test that moves it by hand is refused.
//!
//! The grading tests time the learner's code on tokio's paused clock. `tokio::time::advance`
//! moves that clock by any amount at once, so a backoff that never waits, or a race decided in
//! advance and then jumped past, reads exactly the expected time (issue 27: 12 such attempts
//! passed). Nothing at run time tells a jump made by hand from tokio's own auto-advance, so the
//! learner's source is read instead: a path that ends in `::advance`, or `advance` imported by
//! a `use`, outside comments, string literals and `#[cfg(test)]` items (a learner's own unit
//! tests may move their own clock).
//!
//! A method called `advance` (`.advance(..)`) or a local function of that name is not a path
//! through `tokio::time`, and is left alone.

/// Where `source` moves tokio's clock by hand: 1-based line and column of the first `advance`.
pub(crate) fn moves_the_clock(source: &str) -> Option<(usize, usize)> {
    let code = without_tests(&code_only(source));
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices("advance")
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = code[..i].chars().next_back();
            let after = code[i + "advance".len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .find(|&i| code[..i].trim_end().ends_with("::") || in_use_item(&code[..i]))
        .map(|i| line_col(&code, i))
}

/// Whether an identifier that follows `before` is part of a `use` item: since the last `;`,
/// there is a `use` and nothing after it but a use tree (paths, braces, commas, `as`, `*`).
fn in_use_item(before: &str) -> bool {
    let statement = &before[before.rfind(';').map_or(0, |i| i + 1)..];
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    statement
        .match_indices("use")
        .filter(|(u, _)| {
            let before = statement[..*u].chars().next_back();
            let after = statement[u + 3..].chars().next();
            !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace)
        })
        .last()
        .is_some_and(|(u, _)| {
            statement[u + 3..]
                .chars()
                .all(|c| is_ident(c) || c.is_whitespace() || ":{},*".contains(c))
        })
}

/// 1-based line and column of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

/// `source` with comments and the contents of string and char literals blanked out (newlines
/// kept, so lines and columns stay where they were).
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            // Block comments nest in Rust.
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !ident_before(&chars, i) {
            // A raw string: r"..." or r#"..."#, closed by a quote and as many #.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.extend(std::iter::repeat_n(' ', j - i + 1));
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    out.extend(std::iter::repeat_n(' ', hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(' ');
                    i += 1;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// A `'` opens a char literal (`'a'`, `'\n'`), not a lifetime (`'a`, `'static`).
fn is_char_literal(chars: &[char], i: usize) -> bool {
    matches!(
        (chars.get(i + 1), chars.get(i + 2)),
        (Some(&'\\'), _) | (Some(_), Some(&'\''))
    )
}

/// `code` (already without comments and strings) with every item under `#[cfg(test)]` blanked.
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|i| i + from) {
        from = at + 1;
        // The item runs to its closing brace, or to a `;` if it has no body.
        let rest = &out[at..];
        let Some(open) = rest.find(['{', ';']) else {
            break;
        };
        let end = if rest.as_bytes()[open] == b';' {
            at + open + 1
        } else {
            let mut depth = 0usize;
            let mut end = out.len();
            for (k, b) in out.as_bytes()[at + open..].iter().enumerate() {
                match b {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = at + open + k + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end
        };
        let blanked: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blanked);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jump_by_hand_is_found_however_it_is_named() {
        let at = |s: &str| moves_the_clock(s);
        assert_eq!(
            at("fn f() {\n    tokio::time::advance(d);\n}"),
            Some((2, 18))
        );
        assert_eq!(
            at("use tokio::time as t;\nfn f() { t::advance(d); }"),
            Some((2, 13))
        );
        assert_eq!(at("use tokio::time::{sleep, advance};\n"), Some((1, 26)));
        assert_eq!(at("use tokio::time::advance as skip;\n"), Some((1, 18)));
        assert_eq!(
            at("use tokio::time::{self, Duration};\nasync fn f() { time::advance(x).await }"),
            Some((2, 22))
        );
    }

    #[test]
    fn comments_strings_methods_and_own_tests_are_not_a_jump() {
        let none = |s: &str| assert_eq!(moves_the_clock(s), None, "{s}");
        none("// tokio::time::advance(d) moves the clock by hand\nfn f() {}");
        none("/* use tokio::time::advance; /* nested */ */ fn f() {}");
        none("fn f() { let s = \"tokio::time::advance\"; let r = r#\"::advance\"#; }");
        none("fn f(b: &mut B) { b.advance(3); let advance = 2; advance_by(advance); }");
        none("fn f<'a>(x: &'a str) -> char { 'a' }");
        none(
            "pub fn f() {}\n#[cfg(test)]\nmod tests {\n    #[tokio::test(start_paused = true)]\n    \
             async fn t() { tokio::time::advance(d).await; }\n}\n",
        );
    }
}
