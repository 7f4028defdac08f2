//! Hints as text: the `hint` command's answer, and what a failed check says about them.
//!
//! Which hint to show is decided by `workbook::hints` (it counts what the learner has seen in the
//! record); this module only decides how it looks.

use console::style;

use crate::workbook::hints::{HintOffer, HintView};

/// The answer to `asyncwork hint EXERCISE`, at the terminal's width.
pub(crate) fn render(view: &HintView, exercise: &str) -> String {
    render_at(view, exercise, super::width())
}

/// One hint, wrapped between words: "Hint 1 of 3:" then the text, continuation lines indented.
fn hint_line(n: usize, total: usize, text: &str, width: usize) -> String {
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

/// How the learner asks for a hint where the offer is shown.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ask<'a> {
    /// `asyncwork hint EXERCISE` (after `check`, and in watch mode off a terminal).
    Command(&'a str),
    /// Watch mode's `h` key.
    Key,
}

/// Under a failed check: which hint a request would give, and how to ask for it. No hint's
/// text: hints are shown when asked for.
pub(crate) fn offer(offer: &HintOffer, ask: Ask, width: usize) -> String {
    let request = match ask {
        Ask::Command(exercise) => format!("`asyncwork hint {exercise}`"),
        Ask::Key => "`h`".to_string(),
    };
    let total = offer.total;
    let mut text = match offer.next {
        Some(1) if total > 1 => format!(
            "Stuck? {request} gives hint 1 of {total} (they go from a nudge to nearly the answer)."
        ),
        Some(n) => format!("Stuck? {request} gives hint {n} of {total}."),
        None => format!("You have seen all {total} hints: {request} shows them again."),
    };
    if let Some((n, test)) = &offer.about {
        text.push_str(&format!(" Hint {n} is about {test}."));
    }
    // Prose is hard to read past about 100 columns, however wide the terminal.
    let text = super::wrap(&text, width.min(100), "", "");
    format!("{}\n", style(text.trim_end()).dim())
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

    #[test]
    fn an_offer_names_the_request_and_no_hint_text() {
        console::set_colors_enabled(false);
        let first = HintOffer {
            next: Some(1),
            total: 4,
            about: Some((4, "report_pair_fails_fast".into())),
        };
        let text = offer(&first, Ask::Command("03_gather"), 70);
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("`asyncwork hint 03_gather` gives hint 1 of 4"),
            "{text}"
        );
        assert!(
            words.contains("Hint 4 is about report_pair_fails_fast."),
            "{text}"
        );
        assert!(!text.contains("Hint 1 of"), "no hint is shown: {text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 70, "{line:?}");
        }
        let later = HintOffer {
            next: Some(3),
            total: 4,
            about: None,
        };
        assert_eq!(
            offer(&later, Ask::Key, 100),
            "Stuck? `h` gives hint 3 of 4.\n"
        );
        let all = HintOffer {
            next: None,
            total: 4,
            about: None,
        };
        assert!(
            offer(&all, Ask::Command("03_gather"), 100)
                .contains("seen all 4 hints: `asyncwork hint 03_gather` shows them again")
        );
    }
}
