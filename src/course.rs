//! Where the learner stands: ONE definition of an exercise's status and ONE count, used by the
//! menu, `progress`, `check`, `watch` and the lesson listings, so no two screens disagree.
//!
//! An exercise is
//! * **done** when an attempt since its latest reset passed (like rustlings: a later failing
//!   attempt does not undo it; `reset` does);
//! * **attempted** when an attempt since its latest reset graded sources the learner changed;
//! * **not started** otherwise: never checked, reset since, or only ever graded as shipped (a
//!   `check --all` grades every exercise, and that is not the learner trying each one).
//!
//! The alternative, a status column written by each command, would let `check --all` and the
//! menu drift apart again; deriving it from the attempts keeps the record the only truth.

use std::collections::HashMap;
use std::fmt;

use crate::progress::{self, ExerciseSummary, Progress, Status};
use crate::workbook::{ExerciseCatalogue, ExerciseInfo, shadow};

/// The status the summary of an exercise's attempts makes.
pub(crate) fn status_of(exercise: &str, summary: Option<&ExerciseSummary>) -> Status {
    match summary {
        None => Status::NotStarted,
        Some(s) if s.passed => Status::Done,
        Some(s) => {
            let pristine = shadow::pristine_hash(exercise);
            if s.hashes.iter().all(|h| *h == pristine) {
                Status::NotStarted
            } else {
                Status::Attempted
            }
        }
    }
}

/// Every exercise of the catalogue with its status, in curriculum order.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub statuses: Vec<(String, Status)>,
}

impl Standing {
    /// From a record's summaries (`None`: no record yet, nothing started).
    pub(crate) fn new(
        catalogue: &ExerciseCatalogue,
        summaries: Option<&HashMap<String, ExerciseSummary>>,
    ) -> Standing {
        Standing {
            statuses: catalogue
                .exercises
                .iter()
                .map(|e| {
                    let s = summaries.and_then(|s| s.get(&e.name));
                    (e.name.clone(), status_of(&e.name, s))
                })
                .collect(),
        }
    }

    /// Read the record.
    pub(crate) fn read(
        catalogue: &ExerciseCatalogue,
        progress: Option<&Progress>,
    ) -> progress::Result<Standing> {
        let summaries = progress.map(Progress::summaries).transpose()?;
        Ok(Standing::new(catalogue, summaries.as_ref()))
    }

    pub fn get(&self, exercise: &str) -> Status {
        self.statuses
            .iter()
            .find(|(n, _)| n == exercise)
            .map_or(Status::NotStarted, |(_, s)| *s)
    }

    pub fn as_map(&self) -> HashMap<String, Status> {
        self.statuses.iter().cloned().collect()
    }

    pub fn counts(&self) -> Counts {
        let n = |want: Status| self.statuses.iter().filter(|(_, s)| *s == want).count();
        Counts {
            done: n(Status::Done),
            attempted: n(Status::Attempted),
            not_started: n(Status::NotStarted),
        }
    }

    /// The first exercise not done, in curriculum order.
    pub(crate) fn current<'a>(&self, catalogue: &'a ExerciseCatalogue) -> Option<&'a ExerciseInfo> {
        catalogue
            .exercises
            .iter()
            .find(|e| self.get(&e.name) != Status::Done)
    }
}

/// The one count every screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub done: usize,
    pub attempted: usize,
    pub not_started: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.done + self.attempted + self.not_started
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} exercises done, {} attempted, {} not started",
            self.done,
            self.total(),
            self.attempted,
            self.not_started
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(passed: bool, hashes: &[&str]) -> ExerciseSummary {
        ExerciseSummary {
            attempts: hashes.len() as u32,
            passed,
            last_outcome: if passed { "pass" } else { "fail" }.into(),
            last_at: String::new(),
            last_failing: vec![],
            hashes: hashes.iter().map(|h| h.to_string()).collect(),
        }
    }

    #[test]
    fn one_definition_of_status() {
        let cat = ExerciseCatalogue::embedded();
        let Some(first) = cat.exercises.first() else {
            return;
        };
        let pristine = shadow::pristine_hash(&first.name);
        assert_eq!(status_of(&first.name, None), Status::NotStarted);
        // Graded as shipped only (check --all): not started.
        assert_eq!(
            status_of(&first.name, Some(&summary(false, &[&pristine]))),
            Status::NotStarted
        );
        assert_eq!(
            status_of(&first.name, Some(&summary(false, &[&pristine, "mine"]))),
            Status::Attempted
        );
        assert_eq!(
            status_of(&first.name, Some(&summary(true, &["mine"]))),
            Status::Done
        );
    }

    #[test]
    fn counts_add_up_and_read_as_one_sentence() {
        let s = Standing {
            statuses: vec![
                ("a".into(), Status::Done),
                ("b".into(), Status::Attempted),
                ("c".into(), Status::NotStarted),
                ("d".into(), Status::NotStarted),
            ],
        };
        let c = s.counts();
        assert_eq!(c.total(), 4);
        assert_eq!(
            c.to_string(),
            "1 of 4 exercises done, 1 attempted, 2 not started"
        );
    }
}
