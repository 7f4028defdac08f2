//! Terminal output. Renderers turn data (lesson text, run reports) into text; they never time
//! anything. The live view is the exception that proves the rule: it listens to the engine's
//! events on a channel and draws them, using only the times the engine sends.
//!
//! Colours go through `console::Style`, which honours `console::set_colors_enabled` (the global
//! `--color` flag and `NO_COLOR`, see [`init_color`]).

#![allow(clippy::print_stdout, clippy::print_stderr)] // this layer writes to the terminal

pub mod check;
pub mod costs;
pub mod diagnostic;
pub mod grading;
pub mod hints;
pub mod json;
pub mod lesson;
pub mod live;
pub mod markdown;
pub mod marks;
pub mod menu;
pub mod run;
pub mod screen;
pub mod serve;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod trace;
pub mod watch;
pub mod workbook;

use std::io::{IsTerminal as _, Write as _};
use std::sync::OnceLock;

/// When to use colours (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Apply `--color` and NO_COLOR to both output streams.
pub fn init_color(choice: ColorChoice) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (out, err) = match choice {
        ColorChoice::Always => (true, true),
        ColorChoice::Never => (false, false),
        ColorChoice::Auto => (
            !no_color && std::io::stdout().is_terminal(),
            !no_color && std::io::stderr().is_terminal(),
        ),
    };
    console::set_colors_enabled(out);
    console::set_colors_enabled_stderr(err);
}

/// The first error writing stdout, kept so `main` can end with the right exit code.
static OUTPUT_FAILED: OnceLock<std::io::ErrorKind> = OnceLock::new();

/// Write to stdout. Unlike `println!`, a failed write never panics: the first error is kept
/// (see [`output_failed`]) and later output is dropped, so `asyncwork lesson list | head -1`
/// ends quietly and `asyncwork check --format json > /dev/full` ends with an error.
pub fn emit(text: &str) {
    if OUTPUT_FAILED.get().is_some() {
        return;
    }
    let text = terminal_safe(text);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        let _ = OUTPUT_FAILED.set(e.kind());
    }
}

/// Write to stderr, through the same filter as [`emit`] (`eprint!` that cannot print a control
/// character). A failed write to stderr is dropped: there is nowhere left to say so.
pub fn emit_err(text: &str) {
    let text = terminal_safe(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// The last line of defence before the terminal, applied to everything [`emit`] and
/// [`emit_err`] write: every control character the program did not put there itself becomes a
/// visible escape ([`crate::text::printable`]). The one escape sequence kept is SGR
/// (`ESC [ digits ; ... m`): the colours `console::Style` writes. An SGR sequence can only change
/// colours, never the title, the clipboard or the screen, so a colour that came from outside
/// (which validation and the renderers already escape) could at worst recolour text.
///
/// Renderers still escape what they quote ([`crate::text::printable`]) before styling it: this
/// filter cannot tell a colour the program chose from one a lesson smuggled in.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(crate::text::is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr = rest[1..].strip_prefix('[').and_then(|params| {
                let n = params
                    .bytes()
                    .take(32)
                    .take_while(|b| b.is_ascii_digit() || *b == b';')
                    .count();
                (params.as_bytes().get(n) == Some(&b'm')).then_some(n + 3)
            });
            if let Some(len) = sgr {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        // A CRLF line end (a learner's output written on Windows) is a line end, not an attack.
        let len = if rest.starts_with("\r\n") {
            2
        } else {
            c.len_utf8()
        };
        out.push_str(&crate::text::printable(&rest[..len]));
        rest = &rest[len..];
    }
    std::borrow::Cow::Owned(out)
}

/// Why writing stdout failed, if it did: `BrokenPipe` when the reader went away (not an error
/// for the user), anything else (a full disk) means the output is lost.
pub fn output_failed() -> Option<std::io::ErrorKind> {
    OUTPUT_FAILED.get().copied()
}

/// The terminal's width in columns: stdout's when it is a terminal, else stderr's (output piped
/// into `less` or `head` is still read in the terminal), else $COLUMNS, else 80.
pub fn width() -> usize {
    let terminal = [console::Term::stdout(), console::Term::stderr()]
        .iter()
        .find_map(console::Term::size_checked);
    if let Some((_, cols)) = terminal {
        return usize::from(cols).max(20);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or(80)
}

pub use crate::text::{fmt_ms, plural, printable};

/// `text` wrapped to `width` columns for reading: each of its lines wrapped on its own (line
/// breaks the writer put there stay), the first line after `first`, the rest after `rest`.
/// Words are never broken: a word longer than the line (a path, a command) gets a line of its
/// own and may overflow it, which a terminal shows better than a command cut in two. Colours
/// (ANSI codes) take no width.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let initial = if i == 0 { first } else { rest };
        let options = textwrap::Options::new(width.max(20))
            .initial_indent(initial)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .break_words(false);
        out.push_str(&textwrap::fill(line, options));
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
        out.push('\n');
    }
    out
}

/// Pads or truncates to exactly `width` characters.
pub(crate) fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        format!("{s}{}", " ".repeat(width - n))
    } else if width > 1 {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    } else {
        s.chars().take(width).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn only_colours_pass_to_the_terminal() {
        let red = console::Style::new()
            .red()
            .force_styling(true)
            .apply_to("ok")
            .to_string();
        assert_eq!(terminal_safe(&red), red);
        assert_eq!(
            terminal_safe("\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m"),
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{9b}31m"
        );
        assert_eq!(terminal_safe("a\r\nb\rc"), "a\nb\\u{d}c");
        assert_eq!(terminal_safe("\u{1b}[1;31"), "\\u{1b}[1;31");
    }
}
