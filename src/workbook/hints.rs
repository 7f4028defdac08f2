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

/// After a failed check: the latest hint the learner has reached (at least the first, which
/// this marks as seen).
pub(crate) fn hint_after_failure(
    progress: &Progress,
    ex: &ExerciseInfo,
) -> progress::Result<Option<(usize, usize, String)>> {
    let total = ex.hints.len();
    if total == 0 {
        return Ok(None);
    }
    let (_, shown) = progress.update_hints_shown(&ex.name, |shown| shown.max(1))?;
    let shown = shown.min(total);
    Ok(Some((shown, total, ex.hints[shown - 1].clone())))
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
            hint_after_failure(&p, &ex).unwrap(),
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
            hint_after_failure(&p, &ex()).unwrap(),
            Some((1, 3, "one".to_string()))
        );
        assert_eq!(p.update_hints_shown("03_gather", |n| n).unwrap().0, 1);
    }
}
