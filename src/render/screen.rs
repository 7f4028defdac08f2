//! The pieces of the full-screen pickers (`commands::screen`): the bar of a course, the
//! pointer and the selected row, the asides, the prompts.

use console::style;

/// A bar of `done` out of `total`, `width` cells wide: `[████░░░░]`.
pub fn bar(done: usize, partly: usize, total: usize, width: usize) -> String {
    let total = total.max(1);
    let full = done * width / total;
    let half = ((done + partly) * width / total).saturating_sub(full);
    let rest = width.saturating_sub(full + half);
    format!(
        "{}{}{}",
        style("█".repeat(full)).green(),
        style("▒".repeat(half)).yellow(),
        style("░".repeat(rest)).dim()
    )
}

/// Under a picker: its keys.
pub fn pick_keys() -> String {
    style("↑/↓ move · Enter choose · q quit").dim().to_string()
}

/// Before the selected row.
pub fn pointer() -> String {
    style("❯ ").cyan().bold().to_string()
}

/// The selected row's label, in the pointer's colour (its own colours taken off).
pub fn selected(label: &str) -> String {
    style(console::strip_ansi_codes(label).into_owned())
        .cyan()
        .bold()
        .to_string()
}

/// What a row shows beside it (the command it runs).
pub fn aside(text: &str) -> String {
    style(text).dim().to_string()
}

/// A prompt waiting for a key.
pub fn prompt(text: &str) -> String {
    style(text).dim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use console::measure_text_width;

    #[test]
    fn a_bar_has_its_width_whatever_the_counts() {
        console::set_colors_enabled(false);
        assert_eq!(bar(0, 0, 15, 10), "░░░░░░░░░░");
        assert_eq!(bar(15, 0, 15, 10), "██████████");
        assert_eq!(bar(3, 3, 15, 10), "██▒▒░░░░░░");
        assert_eq!(measure_text_width(&bar(1, 13, 15, 30)), 30);
    }
}
