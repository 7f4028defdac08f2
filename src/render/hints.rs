//! Hints as text: the `hint` command's answer.
//!
//! Which hint to show is decided by `workbook::hints` (it counts what the learner has seen in the
//! record); this module only decides how it looks.

use console::style;

use crate::workbook::hints::HintView;

/// The answer to `asyncwork hint EXERCISE`, at the terminal's width.
pub(crate) fn render(view: &HintView, exercise: &str) -> String {
    render_at(view, exercise, super::width())
}

/// One hint, wrapped between words: "Hint 1 of 3:" then the text, continuation lines indented.
pub(crate) fn hint_line(n: usize, total: usize, text: &str, width: usize) -> String {
    // Prose is hard to read past about 100 columns, however wide the terminal.
    let width = width.min(100);
    let label = style(format!("Hint {n} of {total}:")).cyan().bold();
    super::wrap(&format!("{label} {text}"), width, "", "  ")
}

/// [`render`] at `width` columns.
pub(crate) fn render_at(view: &HintView, exercise: &str, width: usize) -> String {
    let mut out = String::new();
    if view.total == 0 {
        return format!("{exercise} has no hints. Its README.md explains the task.\n");
    }
    if !view.new {
        out.push_str(&format!(
            "{}\n\n",
            style(format!("All {} hints for {exercise}:", view.total)).bold()
        ));
    }
    for (n, text) in &view.hints {
        out.push_str(&hint_line(*n, view.total, text, width));
    }
    if view.new && view.hints.last().is_some_and(|(n, _)| *n < view.total) {
        out.push_str(&format!(
            "\n{}\n",
            style(format!(
                "Ask again for the next one: asyncwork hint {exercise}"
            ))
            .dim()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_one_or_all() {
        console::set_colors_enabled(false);
        let all = HintView {
            hints: vec![(1, "one".into()), (2, "two".into()), (3, "three".into())],
            total: 3,
            new: false,
        };
        assert!(render(&all, "03_gather").contains("All 3 hints"));
        let one = HintView {
            hints: vec![(1, "one".into())],
            total: 3,
            new: true,
        };
        let text = render(&one, "03_gather");
        assert!(text.contains("Hint 1 of 3: one"), "{text}");
        assert!(text.contains("asyncwork hint 03_gather"), "{text}");
    }

    #[test]
    fn a_long_hint_wraps_between_words_at_70_columns() {
        console::set_colors_enabled(false);
        let long = "fetch_concurrent: `join_all(ids.iter().map(|&id| world.fetch_user(id))).await`. \
                    load_profiles: map each id to an async move block and join_all those blocks.";
        let view = HintView {
            hints: vec![(3, long.into())],
            total: 3,
            new: true,
        };
        let text = render_at(&view, "02_sequential_vs_concurrent", 70);
        for line in text.lines() {
            assert!(line.chars().count() <= 70, "{line:?}");
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for w in long.split_whitespace() {
            assert!(words.contains(&w), "`{w}` was broken:\n{text}");
        }
    }
}
