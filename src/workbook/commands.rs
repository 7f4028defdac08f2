//! The workbook commands, callable from `main` with their clap arguments:
//! `init`, `check`, `hint`, `reset`, `watch`, `progress`. Each returns the process exit code.

/// `print!` that ends quietly on a closed pipe (`asyncwork check | head`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => { crate::render::emit(&format!($($arg)*)) };
}
/// `println!`, the same way.
macro_rules! outln {
    () => { crate::render::emit("\n") };
    ($($arg:tt)*) => { crate::render::emit(&format!("{}\n", format!($($arg)*))) };
}

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use console::style;

use crate::render::table::Table;
use indicatif::{ProgressBar, ProgressStyle};

use super::grade::{self, ExerciseReport, GradeOptions, Observer};
use super::report::{self, Format};
use super::{Catalogue, ExerciseInfo, Workbook, discover, hints, init, reset, solutions};
use crate::progress::{Progress, Status};

#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// Where to write the workbook.
    #[arg(default_value = init::DEFAULT_DIR)]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// The exercise to grade (name like `03_gather`, its number, or its lesson id).
    /// Without one: the first exercise not yet done.
    pub exercise: Option<String>,
    /// Grade every exercise.
    #[arg(long, conflicts_with = "exercise")]
    pub all: bool,
    /// Instructors/CI: prove in a temporary copy that every exercise fails as shipped and
    /// passes with its solution.
    #[arg(long, conflicts_with = "all")]
    pub solutions: bool,
    /// Stop a test program after this many seconds (it may be stuck).
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Output format: human, json (Exercism results.json v2) or junit (JUnit XML).
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    pub format: Format,
    /// Re-run even when the sources are unchanged since the last check.
    #[arg(long)]
    pub force: bool,
    /// Test programs to run at once (default: half the CPUs).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Human, Format::Json, Format::Junit]
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Junit => "junit",
        }))
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct HintArgs {
    /// The exercise (name, number or lesson id).
    pub exercise: String,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ResetArgs {
    /// The exercise to restore.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub exercise: Option<String>,
    /// Restore every exercise and the shared files.
    #[arg(long)]
    pub all: bool,
    /// Do not ask for confirmation (for scripts).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    /// Poll for changes instead of waiting for file events (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Stop a test program after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ProgressArgs {}

/// Find the workbook (`--workbook`, `$ASYNCWORK_WORKBOOK`, walk up, `./exercises`).
pub fn find_workbook(flag: Option<&Path>) -> Result<Workbook> {
    let (root, _) = discover::discover_from_env(flag)?;
    Ok(Workbook::new(root))
}

/// Progress of each exercise, for lesson listings; `None` when there is no workbook or no
/// readable record (listings still work without one).
pub fn exercise_statuses(flag: Option<&Path>) -> Option<HashMap<String, Status>> {
    let wb = find_workbook(flag).ok()?;
    // Listing lessons must not create a record: no database yet means nothing started.
    let summaries = if wb.progress_path().exists() {
        Progress::open(&wb.progress_path()).ok()?.summaries().ok()?
    } else {
        HashMap::new()
    };
    Some(
        wb.catalogue()
            .exercises
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    summaries
                        .get(&e.name)
                        .map_or(Status::NotStarted, |s| s.status()),
                )
            })
            .collect(),
    )
}

pub fn init(args: &InitArgs) -> Result<i32> {
    let dir = init::init(&args.dir)?;
    let cat = Catalogue::embedded();
    let n = cat.exercises.len();
    outln!(
        "{} wrote a workbook with {n} exercise{} to {}",
        if n == 1 { "" } else { "s" },
        style("✓").green().bold(),
        dir.display()
    );
    outln!("\nNext:");
    outln!("  cd {}", args.dir.display());
    outln!(
        "  asyncwork check      # grade the first exercise (the first build compiles tokio once)"
    );
    outln!("  asyncwork watch      # re-check on every save");
    if let Some(first) = cat.exercises.first() {
        outln!("  asyncwork hint {}   # when stuck", first.name);
    }
    Ok(0)
}

fn open_progress(wb: &Workbook) -> Result<Progress> {
    Ok(Progress::open(&wb.progress_path())?)
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

fn grade_options(timeout: f64, jobs: Option<usize>, force: bool) -> Result<GradeOptions> {
    anyhow::ensure!(
        timeout > 0.0 && timeout.is_finite(),
        "--timeout must be a positive number of seconds"
    );
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

/// The first exercise not done yet, in curriculum order.
pub fn current_exercise<'a>(
    catalogue: &'a Catalogue,
    progress: Option<&Progress>,
) -> Result<Option<&'a ExerciseInfo>> {
    let summaries = match progress {
        Some(p) => p.summaries()?,
        None => HashMap::new(),
    };
    Ok(catalogue
        .exercises
        .iter()
        .find(|e| !summaries.get(&e.name).is_some_and(|s| s.passed)))
}

pub fn check(workbook_flag: Option<&Path>, args: &CheckArgs) -> Result<i32> {
    let opts = grade_options(args.timeout, args.jobs, args.force)?;
    if args.solutions {
        return check_solutions(workbook_flag, args, &opts);
    }
    let wb = find_workbook(workbook_flag)?;
    let catalogue = wb.catalogue();
    let progress = match open_progress(&wb) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "{} {e:#}\n  Grading anyway; this attempt is not recorded.\n",
                style("warning:").yellow().bold()
            );
            None
        }
    };
    let exercises: Vec<&ExerciseInfo> = if args.all {
        catalogue.exercises.iter().collect()
    } else if let Some(name) = &args.exercise {
        vec![catalogue.find(name)?]
    } else {
        match current_exercise(catalogue, progress.as_ref())? {
            Some(ex) => vec![ex],
            None => {
                eprintln!(
                    "{} Every exercise is done. `asyncwork check --all` grades them all again; `asyncwork progress` shows your record.",
                    style("✓").green().bold()
                );
                return Ok(0);
            }
        }
    };
    anyhow::ensure!(!exercises.is_empty(), "this asyncwork has no exercises");
    let bar = Bar::new(args.format == Format::Human, exercises.len());
    let result = grade::grade(&wb, &exercises, &opts, progress.as_ref(), &bar);
    bar.finish();
    let reports = result?;
    let all_passed = reports.iter().all(|r| r.passed());
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&report::results_json_all(&reports))?
        ),
        Format::Junit => outln!("{}", report::junit(&reports)),
        Format::Human if reports.len() == 1 => {
            let r = &reports[0];
            out!("{}", report::human(r));
            print_next_step(&wb, r, progress.as_ref())?;
        }
        Format::Human => {
            out!("{}", report::summary_table(&reports));
            if !all_passed {
                outln!(
                    "{}",
                    style("`asyncwork check EXERCISE` shows why one is not passing.").dim()
                );
            }
        }
    }
    Ok(if all_passed { 0 } else { 1 })
}

/// After a single check: the hint on failure, what comes next on success.
fn print_next_step(wb: &Workbook, r: &ExerciseReport, progress: Option<&Progress>) -> Result<()> {
    let catalogue = wb.catalogue();
    let Some(ex) = catalogue.get(&r.exercise) else {
        return Ok(());
    };
    if r.passed() {
        let next = current_exercise(catalogue, progress)?;
        match next {
            Some(n) => outln!(
                "\nNext: {} ({}): `asyncwork check` grades it.",
                style(&n.name).bold(),
                n.title
            ),
            None => outln!(
                "\n{} That was the last one: every exercise is done.",
                style("✓").green().bold()
            ),
        }
        return Ok(());
    }
    if let Some(p) = progress {
        if let Some((n, total, text)) = hints::hint_after_failure(p, ex, &r.failing_tests())? {
            outln!(
                "\n{} {text}",
                style(format!("Hint {n} of {total}:")).cyan().bold()
            );
            if n < total {
                outln!(
                    "{}",
                    style(format!("More help: asyncwork hint {}", ex.name)).dim()
                );
            }
        }
    }
    Ok(())
}

fn check_solutions(
    workbook_flag: Option<&Path>,
    args: &CheckArgs,
    opts: &GradeOptions,
) -> Result<i32> {
    let catalogue = Catalogue::embedded();
    anyhow::ensure!(
        !catalogue.exercises.is_empty(),
        "this asyncwork was built without exercises"
    );
    let only = match &args.exercise {
        Some(name) => Some(vec![catalogue.find(name)?.name.clone()]),
        None => None,
    };
    // Reuse a build cache when there is one: the workbook's target dir, or $CARGO_TARGET_DIR.
    let target = find_workbook(workbook_flag)
        .ok()
        .map(|wb| wb.target_dir())
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
        });
    let n = only.as_ref().map_or(catalogue.exercises.len(), |o| o.len());
    let bar = Bar::new(args.format == Format::Human, 2 * n);
    let result = solutions::verify(catalogue, only.as_deref(), target, opts, &bar);
    bar.finish();
    let rows = result?;
    let ok = rows.iter().all(|r| r.ok());
    match args.format {
        Format::Human => out!("{}", solutions::table(&rows)),
        Format::Json => {
            let solved: Vec<ExerciseReport> =
                rows.iter().filter_map(|r| r.solved.clone()).collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&report::results_json_all(&solved))?
            )
        }
        Format::Junit => {
            let solved: Vec<ExerciseReport> =
                rows.iter().filter_map(|r| r.solved.clone()).collect();
            outln!("{}", report::junit(&solved))
        }
    }
    Ok(if ok { 0 } else { 1 })
}

pub fn hint(workbook_flag: Option<&Path>, args: &HintArgs) -> Result<i32> {
    let wb = find_workbook(workbook_flag)?;
    let ex = wb.catalogue().find(&args.exercise)?;
    let progress = open_progress(&wb)?;
    let view = hints::next_hint(&progress, ex)?;
    out!("{}", hints::render(&view, &ex.name));
    Ok(0)
}

pub fn reset(workbook_flag: Option<&Path>, args: &ResetArgs) -> Result<i32> {
    let wb = find_workbook(workbook_flag)?;
    let (question, name) = if args.all {
        (
            format!(
                "Restore ALL exercises in {} to their original state? Your code in them will be lost",
                wb.root.display()
            ),
            None,
        )
    } else {
        let ex = wb
            .catalogue()
            .find(args.exercise.as_deref().unwrap_or_default())?;
        (
            format!(
                "Restore {} to its original state? Your code in it will be lost",
                ex.name
            ),
            Some(ex.name.clone()),
        )
    };
    if !reset::confirm(&question, args.yes)? {
        outln!("Nothing changed.");
        return Ok(1);
    }
    let changed = match &name {
        Some(n) => reset::reset_exercise(&wb, n)?,
        None => reset::reset_all(&wb)?,
    };
    if changed.is_empty() {
        outln!("Already as shipped: nothing to restore.");
    } else {
        outln!(
            "{} restored {} file{}:",
            style("✓").green().bold(),
            changed.len(),
            if changed.len() == 1 { "" } else { "s" }
        );
        for c in &changed {
            outln!("  {c}");
        }
    }
    Ok(0)
}

pub fn progress(workbook_flag: Option<&Path>, _args: &ProgressArgs) -> Result<i32> {
    let wb = find_workbook(workbook_flag)?;
    let progress = open_progress(&wb)?;
    out!("{}", progress_table(wb.catalogue(), &progress)?);
    Ok(0)
}

/// The progress table: one row per exercise, grouped by lesson in curriculum order.
pub fn progress_table(catalogue: &Catalogue, progress: &Progress) -> Result<String> {
    let summaries = progress.summaries().context("cannot read progress")?;
    let mut table = Table::new(&[
        "lesson",
        "exercise",
        "status",
        ">attempts",
        "last",
        "when (UTC)",
    ]);
    let (mut done, mut attempted) = (0, 0);
    for ex in &catalogue.exercises {
        let s = summaries.get(&ex.name);
        let status = s.map_or(Status::NotStarted, |s| s.status());
        let label = style(status.label());
        let label = match status {
            Status::Done => {
                done += 1;
                label.green()
            }
            Status::Attempted => {
                attempted += 1;
                label.yellow()
            }
            Status::NotStarted => label.dim(),
        };
        table.row(vec![
            ex.lesson.clone(),
            ex.name.clone(),
            label.to_string(),
            s.map_or(0, |s| s.attempts).to_string(),
            s.map_or("-", |s| s.last_outcome.as_str()).to_string(),
            s.map_or("", |s| s.last_at.as_str()).to_string(),
        ]);
    }
    let total = catalogue.exercises.len();
    Ok(format!(
        "{}\n{done} done, {attempted} attempted, {} not started (of {total})\n",
        table.render(),
        total - done - attempted
    ))
}

pub fn watch(workbook_flag: Option<&Path>, args: &WatchArgs) -> Result<i32> {
    let wb = find_workbook(workbook_flag)?;
    let opts = grade_options(args.timeout, None, false)?;
    super::watch::run(&wb, &opts, args.poll)
}
