//! Hints: one more each time the learner asks, remembered in the progress record; once all
//! have been seen, all of them. A failed check shows none and counts none: it only says which
//! one a request would give ([`offer_after_failure`]).

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

/// What a failed check says about hints. Hints are given only when asked for (`asyncwork
/// hint`, watch's `h`): a check that showed one and counted it as seen made the first request
/// skip to the second, which is nearly the answer. So a check only says which hint a request
/// would give, and counts nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HintOffer {
    /// The hint the next request gives (from 1); `None` once all have been seen (a request then
    /// shows them all again).
    pub(crate) next: Option<usize>,
    pub(crate) total: usize,
    /// A hint about the first failing test (hints may name their tests in info.toml): its
    /// number and the test's name.
    pub(crate) about: Option<(usize, String)>,
}

/// After a failed check: what a hint request would give (see [`HintOffer`]). Reads the record
/// and changes nothing; `None` when the exercise has no hints.
pub(crate) fn offer_after_failure(
    progress: &Progress,
    ex: &ExerciseInfo,
    failing: &[String],
) -> progress::Result<Option<HintOffer>> {
    let total = ex.hints.len();
    if total == 0 {
        return Ok(None);
    }
    let shown = progress.hints_shown(&ex.name)?.min(total);
    let about = |i: usize| ex.hint_tests.get(i).map(Vec::as_slice).unwrap_or_default();
    // The first failing test is the one the report leads with: a hint of its own, if it has one.
    let about = failing.first().and_then(|test| {
        (0..total)
            .find(|&i| about(i).iter().any(|t| t == test))
            .map(|i| (i + 1, test.clone()))
    });
    Ok(Some(HintOffer {
        next: (shown < total).then_some(shown + 1),
        total,
        about,
    }))
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
            tasks: vec![],
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
            next_hint(&p, &ex).unwrap().hints,
            vec![(3, "three".to_string())]
        );
        let all = next_hint(&p, &ex).unwrap();
        assert!(!all.new);
        assert_eq!(all.hints.len(), 3);
    }

    #[test]
    fn a_failure_offers_the_next_hint_and_counts_none() {
        let p = Progress::open_in_memory().unwrap();
        let offer = |p: &Progress| offer_after_failure(p, &ex(), &[]).unwrap().unwrap();
        assert_eq!(offer(&p).next, Some(1));
        assert_eq!(
            offer(&p).next,
            Some(1),
            "a second failure offers the same hint"
        );
        assert_eq!(p.hints_shown("03_gather").unwrap(), 0);
        // The first request after the failures gives hint 1, then the offer moves on.
        assert_eq!(next_hint(&p, &ex()).unwrap().hints[0].0, 1);
        assert_eq!(offer(&p).next, Some(2));
        p.update_hints_shown("03_gather", |_| 3).unwrap();
        assert_eq!(offer(&p).next, None, "all seen: a request shows them all");
        assert_eq!(p.hints_shown("03_gather").unwrap(), 3);
    }

    #[test]
    fn a_failure_names_the_hint_about_the_failing_test() {
        let p = Progress::open_in_memory().unwrap();
        let failing = vec!["pair_test".to_string(), "other".to_string()];
        let offer = offer_after_failure(&p, &ex(), &failing).unwrap().unwrap();
        assert_eq!(offer.about, Some((3, "pair_test".to_string())));
        assert_eq!(offer.next, Some(1), "hints still come in order");
        // A failing test no hint names: no hint is about it.
        let offer = offer_after_failure(&p, &ex(), &["other".to_string()])
            .unwrap()
            .unwrap();
        assert_eq!(offer.about, None);
        assert_eq!(p.hints_shown("03_gather").unwrap(), 0);
    }

    #[test]
    fn no_hints_no_offer() {
        let p = Progress::open_in_memory().unwrap();
        let mut none = ex();
        none.hints.clear();
        none.hint_tests.clear();
        assert_eq!(offer_after_failure(&p, &none, &[]).unwrap(), None);
    }
}
