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
//!
//! A lesson's mark adds the demos watched (also in the record): not started, demos watched,
//! exercise attempted, done. The next step of the course is the first lesson not done, and what
//! to do in it follows from its mark (step through it, read the task, check).

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::lesson::Catalogue;
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

/// Where a learner stands on one lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LessonMark {
    NotStarted,
    DemosWatched,
    Attempted,
    Done,
}

impl LessonMark {
    pub fn label(self) -> &'static str {
        match self {
            LessonMark::NotStarted => "not started",
            LessonMark::DemosWatched => "demos watched",
            LessonMark::Attempted => "exercise attempted",
            LessonMark::Done => "done",
        }
    }
}

/// One lesson of the course, with the learner's mark.
#[derive(Debug, Clone)]
pub struct LessonStanding {
    pub id: String,
    pub position: u32,
    pub title: String,
    pub demos: Vec<String>,
    pub watched: usize,
    /// The lesson's exercise (when it is written) and its status.
    pub exercise: Option<(String, Status)>,
    pub mark: LessonMark,
}

/// What to do next, as the command that does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Read the lesson a screen at a time (`lesson step ID`).
    Step { lesson: String },
    /// Demos watched, no workbook yet: `init`.
    Init,
    /// Demos watched: read the exercise's task (`task EX`).
    Task { exercise: String },
    /// Attempted: grade it again (`check EX`).
    Check { exercise: String },
    /// Nothing left.
    AllDone,
}

impl NextStep {
    /// The command line, as the learner would type it.
    pub fn command(&self) -> String {
        match self {
            NextStep::Step { lesson } => format!("asyncwork lesson step {lesson}"),
            NextStep::Init => "asyncwork init".to_string(),
            NextStep::Task { exercise } => format!("asyncwork task {exercise}"),
            NextStep::Check { exercise } => format!("asyncwork check {exercise}"),
            NextStep::AllDone => "asyncwork progress".to_string(),
        }
    }
}

/// The whole course: each lesson with its mark, and the exercises' standing.
#[derive(Debug, Clone)]
pub struct Course {
    pub lessons: Vec<LessonStanding>,
    pub exercises: Standing,
    /// False without a workbook: exercises cannot be started yet.
    pub has_workbook: bool,
}

impl Course {
    /// Put the lessons and the record together. `watched`: demos watched per lesson;
    /// `standing`: `None` without a workbook.
    pub fn new(
        lessons: &Catalogue,
        standing: Option<Standing>,
        watched: &HashMap<String, BTreeSet<String>>,
    ) -> Course {
        let has_workbook = standing.is_some();
        let exercises = standing.unwrap_or_default();
        let lessons = lessons
            .lessons
            .iter()
            .map(|p| {
                let l = &p.lesson;
                let demos: Vec<String> = l.demos.iter().map(|d| d.name.clone()).collect();
                let seen = watched.get(&l.id);
                let watched = demos
                    .iter()
                    .filter(|d| seen.is_some_and(|s| s.contains(*d)))
                    .count();
                let exercise = l
                    .main_exercise()
                    .filter(|e| !e.planned)
                    .map(|e| (e.name.clone(), exercises.get(&e.name)));
                let all_watched = !demos.is_empty() && watched == demos.len();
                let mark = match exercise.as_ref().map(|(_, s)| *s) {
                    Some(Status::Done) => LessonMark::Done,
                    Some(Status::Attempted) => LessonMark::Attempted,
                    Some(Status::NotStarted) if all_watched => LessonMark::DemosWatched,
                    None if all_watched => LessonMark::Done,
                    _ => LessonMark::NotStarted,
                };
                LessonStanding {
                    id: l.id.clone(),
                    position: l.position,
                    title: l.title.clone(),
                    demos,
                    watched,
                    exercise,
                    mark,
                }
            })
            .collect();
        Course {
            lessons,
            exercises,
            has_workbook,
        }
    }

    /// The first lesson not done: where the learner goes next.
    pub fn next_lesson(&self) -> Option<&LessonStanding> {
        self.lessons.iter().find(|l| l.mark != LessonMark::Done)
    }

    /// The next step, as a command.
    pub fn next_step(&self) -> NextStep {
        let Some(lesson) = self.next_lesson() else {
            return NextStep::AllDone;
        };
        match (lesson.mark, &lesson.exercise) {
            (LessonMark::Attempted, Some((ex, _))) => NextStep::Check {
                exercise: ex.clone(),
            },
            (LessonMark::DemosWatched, Some(_)) if !self.has_workbook => NextStep::Init,
            (LessonMark::DemosWatched, Some((ex, _))) => NextStep::Task {
                exercise: ex.clone(),
            },
            _ => NextStep::Step {
                lesson: lesson.id.clone(),
            },
        }
    }
}

/// Read the demos watched from a record (none without one).
pub(crate) fn demos_watched(
    progress: Option<&Progress>,
) -> progress::Result<HashMap<String, BTreeSet<String>>> {
    progress.map_or_else(|| Ok(HashMap::new()), Progress::demos_watched)
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

    #[test]
    fn lesson_marks_and_the_next_step() {
        let source = crate::lesson::Source::discover(None).unwrap();
        let known: std::collections::BTreeSet<String> =
            ExerciseCatalogue::embedded().names().into_iter().collect();
        let lessons = Catalogue::check(source.files().unwrap(), &known);
        let first = &lessons.lessons[0].lesson;
        let ex = first.main_exercise().unwrap().name.clone();
        let mut standing = Standing::new(ExerciseCatalogue::embedded(), None);

        let course = Course::new(&lessons, Some(standing.clone()), &HashMap::new());
        assert_eq!(course.lessons[0].mark, LessonMark::NotStarted);
        assert_eq!(
            course.next_step().command(),
            format!("asyncwork lesson step {}", first.id)
        );

        let all: BTreeSet<String> = first.demos.iter().map(|d| d.name.clone()).collect();
        let watched = HashMap::from([(first.id.clone(), all)]);
        let course = Course::new(&lessons, Some(standing.clone()), &watched);
        assert_eq!(course.lessons[0].mark, LessonMark::DemosWatched);
        assert_eq!(
            course.next_step(),
            NextStep::Task {
                exercise: ex.clone()
            }
        );
        // Without a workbook the exercise cannot start: init first.
        assert_eq!(
            Course::new(&lessons, None, &watched).next_step(),
            NextStep::Init
        );

        for (name, status) in &mut standing.statuses {
            if *name == ex {
                *status = Status::Attempted;
            }
        }
        let course = Course::new(&lessons, Some(standing.clone()), &watched);
        assert_eq!(course.lessons[0].mark, LessonMark::Attempted);
        assert_eq!(
            course.next_step(),
            NextStep::Check {
                exercise: ex.clone()
            }
        );

        for (name, status) in &mut standing.statuses {
            if *name == ex {
                *status = Status::Done;
            }
        }
        let course = Course::new(&lessons, Some(standing), &watched);
        assert_eq!(course.lessons[0].mark, LessonMark::Done);
        assert_eq!(
            course.next_lesson().unwrap().id,
            lessons.lessons[1].lesson.id
        );
    }
}
