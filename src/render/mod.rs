//! Terminal output. Renderers turn data (lesson text, run reports) into text; they never time
//! anything. The live view is the exception that proves the rule: it listens to the engine's
//! events on a channel and draws them, using only the times the engine sends.
//!
//! Colours go through `console::Style`, which honours `console::set_colors_enabled` (the global
//! `--color` flag and `NO_COLOR`, see [`init_color`]).

pub mod grading;
pub mod hints;
pub mod json;
pub mod lesson;
pub mod live;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod trace;

use std::io::{IsTerminal as _, Write as _};

use crate::cli::ColorChoice;

/// "1 file", "3 files": a count with its noun.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
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

/// Write to stdout. A closed pipe (`asyncwork lesson list | head -1`) ends the program quietly
/// instead of panicking the way `println!` does.
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
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

/// Formats milliseconds for people: `0.4 ms`, `42.0 ms`, `301 ms`, `2.41 s`.
pub fn fmt_ms(ms: f64) -> String {
    if !ms.is_finite() {
        "-".into()
    } else if ms.abs() >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms.abs() >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms.abs() >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
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
