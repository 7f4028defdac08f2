//! The test's clock is the grader's: code under test that moves it by hand is refused.
//!
//! The grading tests time the learner's code on tokio's paused clock. `tokio::time::advance`
//! moves that clock by any amount at once, so a backoff that never waits, or a race decided in
//! advance and then jumped past, reads exactly the expected time (issue 27: 12 such attempts
//! passed). Nothing at run time tells a jump made by hand from tokio's own auto-advance, so the
//! learner's source is read instead, as tokens (`proc-macro2`'s lexer: comments and literals are
//! what rustc says they are): a path that ends in `::advance`, or `advance` in a `use` tree,
//! outside `#[cfg(test)]` items (a learner's own unit tests may move their own clock).
//!
//! A method called `advance` (`.advance(..)`) or a local function of that name is not a path
//! through `tokio::time`, and is left alone.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Where `source` moves tokio's clock by hand: 1-based line and column of the first `advance`.
/// Source that does not even lex is left to the compiler, which refuses it.
pub(crate) fn moves_the_clock(source: &str) -> Option<(usize, usize)> {
    let tokens: TokenStream = source.parse().ok()?;
    // Every `use` may bring `advance` in (`use tokio::time::{sleep, advance}`).
    first(
        tokens,
        &|_, _| true,
        &|tokens, i, in_use| match &tokens[i] {
            // `r#advance` is the same function.
            TokenTree::Ident(id)
                if id.to_string().trim_start_matches("r#") == "advance"
                    && (in_use || after_path_separator(&tokens[..i])) =>
            {
                let at = id.span().start();
                Some((at.line, at.column + 1))
            }
            _ => None,
        },
    )
}

/// Whether the `use` at `tokens[i]` starts a declaration that counts.
pub(super) type OpensUse = dyn Fn(&[TokenTree], usize) -> bool;
/// What `tokens[i]` is, if it is what is looked for; `in_use`: inside a counted `use`.
pub(super) type Spot<T> = dyn Fn(&[TokenTree], usize, bool) -> Option<T>;

/// The token reader this check and `facts` share: walks `tokens` and every group in them,
/// skipping `#[cfg(test)]` items (the learner's own tests), and returns the first thing `spot`
/// finds. `spot(tokens, i, in_use)` looks at `tokens[i]`; `in_use` says it sits in a `use`
/// declaration (the braces of its tree included) that `opens_use(tokens, i)` accepted at its
/// `use` keyword.
pub(super) fn first<T>(tokens: TokenStream, opens_use: &OpensUse, spot: &Spot<T>) -> Option<T> {
    walk(tokens, false, opens_use, spot)
}

fn walk<T>(
    tokens: TokenStream,
    mut in_use: bool,
    opens_use: &OpensUse,
    spot: &Spot<T>,
) -> Option<T> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Punct(p) if p.as_char() == '#' && is_cfg_test(tokens.get(i + 1)) => {
                i = end_of_item(&tokens, i + 2);
                continue;
            }
            TokenTree::Punct(p) if p.as_char() == ';' => in_use = false,
            TokenTree::Ident(id) if id == "use" => in_use = opens_use(&tokens, i),
            TokenTree::Group(g) => {
                let use_tree = in_use && g.delimiter() == Delimiter::Brace;
                if let Some(found) = walk(g.stream(), use_tree, opens_use, spot) {
                    return Some(found);
                }
            }
            _ => {
                if let Some(found) = spot(&tokens, i, in_use) {
                    return Some(found);
                }
            }
        }
        i += 1;
    }
    None
}

/// Whether the tokens end in `::`.
pub(super) fn after_path_separator(before: &[TokenTree]) -> bool {
    let colon =
        |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
    colon(before.last()) && colon(before.len().checked_sub(2).and_then(|i| before.get(i)))
}

/// Whether `attribute` is the `[cfg(test)]` of `#[cfg(test)]`.
pub(super) fn is_cfg_test(attribute: Option<&TokenTree>) -> bool {
    let Some(TokenTree::Group(g)) = attribute else {
        return false;
    };
    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
    g.delimiter() == Delimiter::Bracket
        && matches!(&inner[..], [TokenTree::Ident(cfg), TokenTree::Group(arg)]
            if cfg == "cfg" && arg.stream().to_string() == "test")
}

/// The index just after the item that starts at `from` (after its attributes): its `{ ... }`
/// body, or its closing `;`.
pub(super) fn end_of_item(tokens: &[TokenTree], from: usize) -> usize {
    tokens[from..]
        .iter()
        .position(|t| match t {
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        })
        .map_or(tokens.len(), |k| from + k + 1)
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
        assert_eq!(at("fn f() { tokio::time::r#advance(d); }"), Some((1, 23)));
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
