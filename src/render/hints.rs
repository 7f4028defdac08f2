//! Hints as text: the `hint` command's answer.
//!
//! Which hint to show is decided by `workbook::hints` (it counts what the learner has seen in the
//! record); this module only decides how it looks.

use console::style;

use crate::workbook::hints::HintView;

/// The answer to `asyncwork hint EXERCISE`.
pub(crate) fn render(view: &HintView, exercise: &str) -> String {
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
        out.push_str(&format!(
            "{} {}\n",
            style(format!("Hint {n} of {}:", view.total)).cyan().bold(),
            text
        ));
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
}
