//! The command layer: one module per command, each with its clap `Args` beside a `run` that loads
//! what it needs, calls the library and hands the result to a renderer. Only this layer and
//! `render` write to the terminal; `main.rs` parses, dispatches and turns an [`Exit`] into the
//! process exit code.

// No `print!` here (clippy denies it): the macros below write through `render::emit`, which lets
// no control character through and ends quietly on a closed pipe.

/// `print!` through [`crate::render::emit`]: a closed pipe ends the output quietly.
macro_rules! out {
    ($($arg:tt)*) => { $crate::render::emit(&format!($($arg)*)) };
}
/// `println!`, the same way.
macro_rules! outln {
    () => { $crate::render::emit("\n") };
    ($($arg:tt)*) => { $crate::render::emit(&format!("{}\n", format!($($arg)*))) };
}
/// `eprint!` through [`crate::render::emit_err`]: no control character reaches the terminal.
macro_rules! err {
    ($($arg:tt)*) => { $crate::render::emit_err(&format!($($arg)*)) };
}
/// `eprintln!`, the same way.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::render::emit_err(&format!("{}\n", format!($($arg)*))) };
}

pub mod check;
pub mod completions;
pub mod hint;
pub mod init;
pub mod lesson;
pub mod menu;
pub mod progress;
pub mod reset;
pub(crate) mod screen;
pub mod serve;
pub mod task;
pub mod term_guard;
pub mod warm_build;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::course::{Course, Standing};
use crate::progress::{Progress, Status};
use crate::workbook::{ExerciseInfo, Workbook, discover};

/// How a command ended, as the process exit code tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Success,
    /// 1: something the user should look at (a failed check, an invalid lesson, a claim not shown
    /// with `--strict`).
    Failure,
    /// 130: stopped by Ctrl-C, as shells expect (128 + SIGINT).
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Interrupted => 130,
        }
    }

    /// `Success` when `ok`, else `Failure`.
    pub fn from_ok(ok: bool) -> Exit {
        if ok { Exit::Success } else { Exit::Failure }
    }
}

/// What every command may need from the global flags.
#[derive(Debug, Clone, Default)]
pub struct Global {
    /// `--lessons DIR`.
    pub lessons: Option<PathBuf>,
    /// `--workbook DIR`.
    pub workbook: Option<PathBuf>,
}

impl Global {
    pub fn lessons(&self) -> Option<&Path> {
        self.lessons.as_deref()
    }

    pub fn workbook(&self) -> Option<&Path> {
        self.workbook.as_deref()
    }

    /// The learner's workbook (`--workbook`, `$ASYNCWORK_WORKBOOK`, walk up, `./exercises`).
    pub fn find_workbook(&self) -> anyhow::Result<Workbook> {
        let (root, _) = discover::discover_from_env(self.workbook())?;
        Ok(Workbook::new(root))
    }

    /// Progress of each exercise, for lesson listings; `None` when there is no workbook or no
    /// readable record (listings still work without one).
    pub fn exercise_statuses(&self) -> Option<HashMap<String, Status>> {
        self.standing().map(|s| s.as_map())
    }

    /// The exercise a command without a name means: `named` when given; else the exercise
    /// whose folder the learner stands in; else the first one not done. `None`: all done.
    pub(crate) fn exercise_or_current<'a>(
        &self,
        wb: &'a Workbook,
        named: Option<&str>,
        progress: Option<&Progress>,
    ) -> anyhow::Result<Option<&'a ExerciseInfo>> {
        let catalogue = wb.catalogue();
        if let Some(name) = named {
            return Ok(Some(catalogue.find(name)?));
        }
        if let Some(here) = std::env::current_dir()
            .ok()
            .and_then(|cwd| wb.exercise_at(&cwd))
        {
            return Ok(Some(here));
        }
        Ok(Standing::read(catalogue, progress)?.current(catalogue))
    }

    /// The record to note demos watched in: the learner's workbook's, when there is one. The
    /// repository's own `./exercises` (a dev checkout) gets one only if it already has one, so
    /// running demos from a checkout leaves no new files behind.
    pub(crate) fn learner_record(&self) -> Option<Progress> {
        let (root, source) = discover::discover_from_env(self.workbook()).ok()?;
        let wb = Workbook::new(root);
        if source == discover::Source::DevCheckout && !wb.progress_path().exists() {
            return None;
        }
        Progress::open(&wb.progress_path()).ok()
    }

    /// Where this command notes the demos of lesson `lesson` that ran to their end (see
    /// [`Watched`]).
    pub(crate) fn watched(&self, lesson: &str) -> Watched<'_> {
        Watched {
            global: self,
            lesson: lesson.to_string(),
            record: std::cell::OnceCell::new(),
        }
    }

    /// The whole course with the learner's marks, and where its lessons came from.
    pub(crate) fn course(&self) -> anyhow::Result<(crate::lesson::Source, Course)> {
        // The menu lists lessons; the commands it runs load them in full.
        let (source, lessons) =
            lesson::load_quiet_to(self.lessons(), crate::lesson::parse::Depth::Listing)?;
        let wb = self.find_workbook().ok();
        let progress = wb
            .as_ref()
            .filter(|wb| wb.progress_path().exists())
            .and_then(|wb| Progress::open_to_read(&wb.progress_path()).ok());
        let standing = wb
            .as_ref()
            .map(|wb| Standing::read(wb.catalogue(), progress.as_ref()))
            .transpose()?;
        let watched = crate::course::demos_watched(progress.as_ref())?;
        Ok((source, Course::new(&lessons, standing, &watched)))
    }

    /// Where the learner stands (see `crate::course`); `None` without a workbook or a readable
    /// record. Reading never creates a record: no database yet means nothing started.
    pub fn standing(&self) -> Option<Standing> {
        let wb = self.find_workbook().ok()?;
        let progress = if wb.progress_path().exists() {
            Some(Progress::open_to_read(&wb.progress_path()).ok()?)
        } else {
            None
        };
        Standing::read(wb.catalogue(), progress.as_ref()).ok()
    }
}

/// The demos a command ran to their end in front of the learner, noted in the learner's record,
/// opened once for the whole command, when the first demo ends (a run stopped before that
/// leaves no record behind). Best effort: a demo is never spoiled by a record that cannot be
/// written.
pub(crate) struct Watched<'g> {
    global: &'g Global,
    lesson: String,
    record: std::cell::OnceCell<Option<Progress>>,
}

/// A demo run to its end counts as watched; an interrupted one does not.
impl crate::lesson::play::DemoSink for Watched<'_> {
    fn demo(&mut self, report: &crate::demo::report::DemoReport) -> anyhow::Result<()> {
        if !report.interrupted
            && let Some(p) = self.record.get_or_init(|| self.global.learner_record())
        {
            let _ = p.record_demo_watched(&self.lesson, &report.name);
        }
        Ok(())
    }
}

/// The exercise crates that exist, for checking lessons' `[[exercise]]` references: the
/// catalogue (`info.toml`) embedded in this binary. Others must be marked `planned = true`.
pub(crate) fn known_exercises() -> BTreeSet<String> {
    crate::workbook::ExerciseCatalogue::embedded()
        .names()
        .into_iter()
        .collect()
}

/// Parses a number of seconds given on the command line (`--timeout`): positive, finite, and
/// no more than a day, so no later arithmetic on it can overflow.
pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    const MAX: f64 = 86_400.0;
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds (try 30)"))?;
    if v.is_finite() && v > 0.0 && v <= MAX {
        Ok(v)
    } else {
        Err(format!(
            "must be more than 0 and at most {MAX} seconds (a day), got {s}"
        ))
    }
}
