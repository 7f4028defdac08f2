//! `asyncwork check [EX | --all | --solutions]`: grade exercises and explain what failed.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use super::{Exit, Global};
use crate::course::Standing;
use crate::progress::Progress;
use crate::render;
use crate::render::grading::{self as report, Format};
use crate::workbook::grade::{self, GradeOptions, Observer};
use crate::workbook::report::ExerciseReport;
use crate::workbook::{ExerciseCatalogue, ExerciseInfo, Workbook, hints, solutions};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The exercise to grade (name like `03_gather`, its number, or its lesson id).
    /// Without one: the exercise whose folder you are in, else the first one not done in
    /// course order.
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::exercise_names))]
    pub exercise: Option<String>,
    /// Grade every exercise.
    #[arg(long, conflicts_with = "exercise")]
    pub all: bool,
    /// Instructors/CI: prove in a temporary copy that every exercise fails as shipped and
    /// passes with its solution.
    #[arg(long, conflicts_with = "all")]
    pub solutions: bool,
    /// Stop a test program after this many seconds (it may be stuck).
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = super::parse_seconds)]
    pub timeout: f64,
    /// Stop the build after this many seconds (code that runs at compile time, a `const` or a
    /// macro, may never end). The first build compiles tokio; later ones take seconds.
    #[arg(long, value_name = "SECS", default_value_t = grade::DEFAULT_BUILD_TIMEOUT.as_secs_f64(),
          value_parser = super::parse_seconds)]
    pub build_timeout: f64,
    /// Output format: human, json (Exercism's results.json: version 3, whose tests name their
    /// README task, where the exercise has tasks; else version 2) or junit (JUnit XML).
    #[arg(long, value_name = "FORMAT", default_value = "human", value_parser = parse_format)]
    pub format: Format,
    /// Re-run even when the sources are unchanged since the last check.
    #[arg(long)]
    pub force: bool,
    /// Test programs to run at once (default: half the CPUs).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

impl Args {
    /// `asyncwork check EXERCISE` with every flag at its default (for the menu's and the
    /// stepped lesson's "check it").
    pub(crate) fn for_exercise(exercise: &str) -> Args {
        Args {
            exercise: Some(exercise.to_string()),
            all: false,
            solutions: false,
            timeout: 60.0,
            build_timeout: grade::DEFAULT_BUILD_TIMEOUT.as_secs_f64(),
            format: Format::Human,
            force: false,
            jobs: None,
        }
    }
}

fn parse_format(s: &str) -> Result<Format, String> {
    match s {
        "human" => Ok(Format::Human),
        "json" => Ok(Format::Json),
        "junit" => Ok(Format::Junit),
        _ => Err(format!("`{s}` is not a format: use human, json or junit")),
    }
}

/// The record, opened for grading; warns when it was emptied (see `Progress::was_emptied`).
pub(crate) fn open_progress(wb: &Workbook) -> Result<Progress> {
    let p = Progress::open(&wb.progress_path())?;
    if p.was_emptied() {
        errln!(
            "{}",
            render::check::record_emptied(&wb.progress_path().display().to_string())
        );
    }
    Ok(p)
}

/// A spinner / bar on stderr while grading, when a person is watching.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new(enabled: bool, total: usize) -> Bar {
        if !enabled || !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = if total > 1 {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        } else {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b
        };
        bar.enable_steady_tick(Duration::from_millis(100));
        Bar { bar: Some(bar) }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Observer for Bar {
    fn waiting_for_lock(&self) {
        if let Some(b) = &self.bar {
            b.set_message(render::check::waiting_for_lock());
        }
    }
    fn building(&self, count: usize) {
        if let Some(b) = &self.bar {
            b.set_message(format!(
                "compiling {count} exercise{}…",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    fn running(&self, exercise: &str) {
        if let Some(b) = &self.bar {
            b.set_message(format!("running the tests of {exercise}…"));
        }
    }
    fn finished(&self, _report: &ExerciseReport) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
}

/// The grader's options from the flags. `timeout` was range-checked by [`super::parse_seconds`].
pub(crate) fn grade_options(
    timeout: f64,
    jobs: Option<usize>,
    force: bool,
) -> Result<GradeOptions> {
    let mut opts = GradeOptions {
        timeout: Duration::from_secs_f64(timeout),
        use_record: !force,
        ..Default::default()
    };
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    Ok(opts)
}

/// The first exercise not done yet, in curriculum order (see `crate::course`).
pub(crate) fn current_exercise<'a>(
    catalogue: &'a ExerciseCatalogue,
    progress: Option<&Progress>,
) -> Result<Option<&'a ExerciseInfo>> {
    Ok(Standing::read(catalogue, progress)?.current(catalogue))
}

pub fn run(g: &Global, args: &Args) -> Result<Exit> {
    let mut opts = grade_options(args.timeout, args.jobs, args.force)?;
    opts.build_timeout = Duration::from_secs_f64(args.build_timeout);
    if args.solutions {
        return check_solutions(args, &opts);
    }
    let wb = g.find_workbook()?;
    let catalogue = wb.catalogue();
    let progress = match open_progress(&wb) {
        Ok(p) => Some(p),
        Err(e) => {
            errln!("{}", render::check::record_unreadable(&format!("{e:#}")));
            None
        }
    };
    let exercises: Vec<&ExerciseInfo> = if args.all {
        catalogue.exercises.iter().collect()
    } else {
        match g.exercise_or_current(&wb, args.exercise.as_deref(), progress.as_ref())? {
            Some(ex) => vec![ex],
            None => {
                errln!("{}", render::check::all_done());
                return Ok(Exit::Success);
            }
        }
    };
    anyhow::ensure!(!exercises.is_empty(), "this asyncwork has no exercises");
    if !crate::workbook::sandbox::writes_confined() {
        // Once per check, on stderr (JSON and JUnit on stdout stay clean).
        errln!("{}", render::check::writes_not_confined());
    }
    let bar = Bar::new(args.format == Format::Human, exercises.len());
    // A signal while grading: the spinner cleared and one line, not a frozen `compiling...`.
    // No `^C` echoed into the spinner's line either (see `screen::NoEcho`).
    let no_echo = bar
        .bar
        .as_ref()
        .and_then(|_| crate::commands::screen::NoEcho::new());
    let farewell = bar.bar.clone().map(|b| {
        crate::commands::term_guard::farewell(move || {
            b.finish_and_clear();
            errln!("{}", render::check::interrupted());
        })
    });
    let result = grade::grade(&wb, &exercises, &opts, progress.as_ref(), &bar);
    drop(farewell);
    bar.finish();
    drop(no_echo);
    let reports = result?;
    let all_passed = reports.iter().all(|r| r.passed());
    match args.format {
        Format::Json => outln!(
            "{}",
            crate::render::json::pretty(&report::results_json_all(&reports))?
        ),
        Format::Junit => outln!("{}", report::junit(&reports)),
        Format::Human if reports.len() == 1 => {
            let r = &reports[0];
            out!("{}", report::human(r));
            print_next_step(&wb, r, progress.as_ref())?;
        }
        Format::Human => {
            out!(
                "{}",
                report::summary_table(&reports, crate::render::width())
            );
            // The one count the menu and `progress` show too (see `crate::course`).
            if let Ok(standing) = Standing::read(catalogue, progress.as_ref()) {
                outln!(
                    "{}",
                    render::check::your_course(&standing.counts().to_string())
                );
            }
            if !all_passed {
                outln!("{}", render::check::why_not_passing());
            }
        }
    }
    Ok(Exit::from_ok(all_passed))
}

/// After a single check: how to get a hint on failure, what comes next on success.
fn print_next_step(wb: &Workbook, r: &ExerciseReport, progress: Option<&Progress>) -> Result<()> {
    let catalogue = wb.catalogue();
    let Some(ex) = catalogue.get(&r.exercise) else {
        return Ok(());
    };
    if r.passed() {
        if let Some(line) = solution_line(wb, &r.exercise) {
            out!(
                "{}",
                crate::render::wrap(&line, crate::render::width(), "", "  ")
            );
        }
        let next = current_exercise(catalogue, progress)?;
        match next {
            Some(n) => outln!("\n{}", render::check::next_exercise(&n.name, &n.title)),
            None => outln!("\n{}", render::check::last_one()),
        }
        return Ok(());
    }
    // Hints are given when asked for: say which one `hint` gives, show and count none.
    if let Some(p) = progress {
        if let Some(offer) = hints::offer_after_failure(p, ex, &r.failing_tests())? {
            out!(
                "\n{}",
                render::hints::offer(
                    &offer,
                    render::hints::Ask::Command(&ex.name),
                    render::width()
                )
            );
        }
    }
    Ok(())
}

/// After a pass: the reference solution written where the README promises, and where it is.
pub(crate) fn solution_line(wb: &Workbook, exercise: &str) -> Option<String> {
    match solutions::write_for_learner(wb, exercise) {
        Ok(Some(path)) => Some(render::check::reference_solution(&wb.display_rel(&path))),
        Ok(None) => None,
        Err(e) => Some(render::check::reference_solution_failed(&format!("{e:#}"))),
    }
}

fn check_solutions(args: &Args, opts: &GradeOptions) -> Result<Exit> {
    let catalogue = ExerciseCatalogue::embedded();
    anyhow::ensure!(
        !catalogue.exercises.is_empty(),
        "this asyncwork was built without exercises"
    );
    let only = match &args.exercise {
        Some(name) => Some(vec![catalogue.find(name)?.name.clone()]),
        None => None,
    };
    let n = only.as_ref().map_or(catalogue.exercises.len(), |o| o.len());
    let bar = Bar::new(args.format == Format::Human, 2 * n);
    let result = solutions::verify(catalogue, only.as_deref(), None, opts, &bar);
    bar.finish();
    let rows = result?;
    let ok = rows.iter().all(|r| r.ok());
    match args.format {
        Format::Human => out!("{}", report::solutions_table(&rows)),
        Format::Json => {
            let solved: Vec<ExerciseReport> =
                rows.iter().filter_map(|r| r.solved.clone()).collect();
            outln!(
                "{}",
                crate::render::json::pretty(&report::results_json_all(&solved))?
            )
        }
        Format::Junit => {
            let solved: Vec<ExerciseReport> =
                rows.iter().filter_map(|r| r.solved.clone()).collect();
            outln!("{}", report::junit(&solved))
        }
    }
    Ok(Exit::from_ok(ok))
}
