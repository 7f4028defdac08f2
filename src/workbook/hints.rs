//! Hints: one more each time the learner asks, remembered in the progress record; once all
//! have been seen, all of them.

use super::ExerciseInfo;
use crate::progress::{self, Progress};

/// What to show for a hint request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HintView {
    /// (number from 1, text) of each hint to show.
    pub(crate) hints: Vec<(usize, String)>,
    pub(crate) total: usize,
    /// True when this request revealed a hint not seen before.
    pub(crate) new: bool,
}

/// `asyncwork hint EX`: reveal the next hint (or show all when all have been seen).
pub(crate) fn next_hint(progress: &Progress, ex: &ExerciseInfo) -> progress::Result<HintView> {
    let total = ex.hints.len();
    // One atomic step: two requests at once reveal two different hints.
    let (before, after) =
        progress.update_hints_shown(
            &ex.name,
            |shown| {
                if shown < total { shown + 1 } else { shown }
            },
        )?;
    if after != before {
        Ok(HintView {
            hints: vec![(after, ex.hints[after - 1].clone())],
            total,
            new: true,
        })
    } else {
        Ok(HintView {
            hints: ex
                .hints
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, h)| (i + 1, h))
                .collect(),
            total,
            new: false,
        })
    }
}

/// After a failed check: the hint about the first failing test, if one names it (hints may
/// name their tests in info.toml); otherwise the latest general hint the learner has reached (at
/// least the first, which this marks as seen).
pub(crate) fn hint_after_failure(
    progress: &Progress,
    ex: &ExerciseInfo,
    failing: &[String],
) -> progress::Result<Option<(usize, usize, String)>> {
    let total = ex.hints.len();
    if total == 0 {
        return Ok(None);
    }
    let (_, shown) = progress.update_hints_shown(&ex.name, |shown| shown.max(1))?;
    let shown = shown.min(total);
    let about = |i: usize| ex.hint_tests.get(i).map(Vec::as_slice).unwrap_or_default();
    // The first failing test is the one the report leads with: its own hint, if it has one.
    if let Some(test) = failing.first() {
        if let Some(i) = (0..total).find(|&i| about(i).iter().any(|t| t == test)) {
            return Ok(Some((i + 1, total, ex.hints[i].clone())));
        }
    }
    // No hint names a failing test: the latest general one reached.
    let general = (0..shown)
        .rev()
        .find(|&i| about(i).is_empty())
        .unwrap_or(shown - 1);
    Ok(Some((general + 1, total, ex.hints[general].clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex() -> ExerciseInfo {
        ExerciseInfo {
            name: "03_gather".into(),
            package: "ex03_gather".into(),
            lesson: "gather".into(),
            title: "t".into(),
            hints: vec!["one".into(), "two".into(), "three".into()],
            hint_tests: vec![vec![], vec![], vec!["pair_test".into()]],
        }
    }

    #[test]
    fn next_then_all() {
        let p = Progress::open_in_memory().unwrap();
        let ex = ex();
        assert_eq!(
            next_hint(&p, &ex).unwrap().hints,
            vec![(1, "one".to_string())]
        );
        assert_eq!(
            next_hint(&p, &ex).unwrap().hints,
            vec![(2, "two".to_string())]
        );
        assert_eq!(
            hint_after_failure(&p, &ex, &[]).unwrap(),
            Some((2, 3, "two".to_string()))
        );
        assert_eq!(
            next_hint(&p, &ex).unwrap().hints,
            vec![(3, "three".to_string())]
        );
        let all = next_hint(&p, &ex).unwrap();
        assert!(!all.new);
        assert_eq!(all.hints.len(), 3);
    }

    #[test]
    fn failure_shows_first_hint() {
        let p = Progress::open_in_memory().unwrap();
        assert_eq!(
            hint_after_failure(&p, &ex(), &[]).unwrap(),
            Some((1, 3, "one".to_string()))
        );
        assert_eq!(p.update_hints_shown("03_gather", |n| n).unwrap().0, 1);
    }

    #[test]
    fn failure_shows_the_hint_about_the_failing_test() {
        let p = Progress::open_in_memory().unwrap();
        let failing = vec!["pair_test".to_string(), "other".to_string()];
        assert_eq!(
            hint_after_failure(&p, &ex(), &failing).unwrap(),
            Some((3, 3, "three".to_string()))
        );
        // A failing test no hint names: the general hint reached so far.
        assert_eq!(
            hint_after_failure(&p, &ex(), &["other".to_string()]).unwrap(),
            Some((1, 3, "one".to_string()))
        );
    }
}
