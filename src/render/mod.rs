//! Terminal output. Renderers read reports (pure data) and return text; they never time anything.
//! The live view is the exception that proves the rule: it listens to the engine's events on a
//! channel and draws them, using only the times the engine sends.
//!
//! Colours go through `console::Style`, which honours `console::set_colors_enabled` (the global
//! `--color` flag and `NO_COLOR`).

pub mod json;
pub mod live;
pub mod summary;
pub mod timeline;
pub mod trace;

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
