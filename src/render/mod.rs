//! Terminal output. Renderers turn data into text; they never time or compute anything else.

pub mod lesson;
pub mod table;

use std::io::{IsTerminal as _, Write as _};

use crate::cli::ColorChoice;

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
