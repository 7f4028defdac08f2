//! Terminal output. Renderers turn data (lesson text, run reports) into text; they never time
//! anything. The live view is the exception that proves the rule: it listens to the engine's
//! events on a channel and draws them, using only the times the engine sends.
//!
//! Colours go through `console::Style`, which honours `console::set_colors_enabled` (the global
//! `--color` flag and `NO_COLOR`, see [`init_color`]).

#![allow(clippy::print_stdout, clippy::print_stderr)] // this layer writes to the terminal

pub mod diagnostic;
pub mod grading;
pub mod hints;
pub mod json;
pub mod lesson;
pub mod live;
pub mod markdown;
pub mod serve;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod trace;

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
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        let _ = OUTPUT_FAILED.set(e.kind());
    }
}

/// Why writing stdout failed, if it did: `BrokenPipe` when the reader went away (not an error
/// for the user), anything else (a full disk) means the output is lost.
pub fn output_failed() -> Option<std::io::ErrorKind> {
    OUTPUT_FAILED.get().copied()
}

/// The terminal's width in columns when stdout is a terminal, else $COLUMNS, else 80.
pub fn width() -> usize {
    let term = console::Term::stdout();
    if let Some((_, cols)) = term.size_checked() {
        return usize::from(cols).max(20);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or(80)
}

pub use crate::text::{fmt_ms, plural};

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
