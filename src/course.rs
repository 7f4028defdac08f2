//! Where the learner stands: ONE definition of an exercise's status and ONE count, used by the
//! menu, `progress`, `check`, `watch` and the lesson listings, so no two screens disagree.
//!
//! An exercise is
//! * **done** when an attempt since its latest reset passed (like rustlings: a later failing
//!   attempt does not undo it; `reset` does);
//! * **attempted** when it was graded since its latest reset and did not pass;
//! * **not started** otherwise: never graded, or reset since.
//!
//! So a status never contradicts the attempts beside it (issue 25: "not started" next to 9
//! attempts and `fail`, when every status left out attempts at the shipped code). What keeps
//! `check --all` (or watch's `c`) from marking every exercise attempted is on the grader's side:
//! grading several exercises at once does not record one still as shipped (see
//! `workbook::grade`), since that is not the learner trying it.
//!
//! The alternative, a status column written by each command, would let `check --all` and the
//! menu drift apart again; deriving it from the attempts keeps the record the only truth. The
//! marks and words for each status are in one place too, `render::marks`.
//!
//! A lesson's mark adds the demos watched (also in the record): not started, demos watched (all
//! of them, the exercise not started or none written), exercise attempted, done (its exercise
//! done, or all demos watched when it has none). The next step of the course is the first lesson not done, and what
//! to do in it follows from its mark (step through it, read the task, check).

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::lesson::Catalogue;
use crate::progress::{self, ExerciseSummary, Progress, Status};
use crate::workbook::{ExerciseCatalogue, ExerciseInfo};

/// The status the summary of an exercise's attempts since its latest reset makes.
pub(crate) fn status_of(summary: Option<&ExerciseSummary>) -> Status {
    match summary {
        None => Status::NotStarted,
        Some(s) if s.passed => Status::Done,
        Some(s) if s.attempts > 0 => Status::Attempted,
        Some(_) => Status::NotStarted,
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
                    (e.name.clone(), status_of(s))
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

/// An exercise's status as the mark of a lesson whose exercise it is (before demos watched).
impl From<Status> for LessonMark {
    fn from(status: Status) -> LessonMark {
        match status {
            Status::Done => LessonMark::Done,
            Status::Attempted => LessonMark::Attempted,
            Status::NotStarted => LessonMark::NotStarted,
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
                // The exercise's status decides; all demos watched lift a lesson whose exercise
                // is not started (or which has none) off "not started".
                let mark = match exercise.as_ref().map(|(_, s)| *s) {
                    Some(Status::NotStarted) if all_watched => LessonMark::DemosWatched,
                    Some(s) => LessonMark::from(s),
                    None if all_watched => LessonMark::Done,
                    None => LessonMark::NotStarted,
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

    fn summary(passed: bool, attempts: u32) -> ExerciseSummary {
        ExerciseSummary {
            attempts,
            passed,
            last_outcome: if passed { "pass" } else { "fail" }.into(),
            last_at: String::new(),
            last_failing: vec![],
        }
    }

    #[test]
    fn not_started_is_no_attempt_since_the_latest_reset() {
        // Never graded, or reset after the last attempt (the record then has no summary).
        assert_eq!(status_of(None), Status::NotStarted);
        assert_eq!(status_of(Some(&summary(false, 0))), Status::NotStarted);
    }

    #[test]
    fn attempted_is_any_graded_attempt_that_did_not_pass() {
        // One failing check, whatever the sources: the status agrees with "1 attempt, fail".
        assert_eq!(status_of(Some(&summary(false, 1))), Status::Attempted);
        assert_eq!(status_of(Some(&summary(false, 9))), Status::Attempted);
    }

    #[test]
    fn done_is_a_pass_since_the_latest_reset() {
        // A later failing attempt does not undo it (the summary's `passed` is over them all).
        assert_eq!(status_of(Some(&summary(true, 1))), Status::Done);
        assert_eq!(status_of(Some(&summary(true, 3))), Status::Done);
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
