//! `asyncwork init [DIR]`: write the exercise workbook; `init --repair` restores the shipped files
//! of one whose `info.toml` or `Cargo.toml` are gone, keeping the learner's code and record.

use std::path::PathBuf;

use super::{Exit, Global};
use crate::render::{self, plural};
use crate::workbook::{ExerciseCatalogue, Workbook, discover, init, reset, warm};
use std::io::IsTerminal as _;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where to write the workbook [default: asyncwork-workbook]. With --repair: the workbook to
    /// repair (default: the one here or above).
    pub dir: Option<PathBuf>,
    /// Restore the shipped files of an existing workbook (info.toml, Cargo.toml, the tests, the
    /// support crate) without touching your code in src/ or your record.
    #[arg(long)]
    pub repair: bool,
    /// Do not start building the workbook in the background (in a terminal it does, at low
    /// priority, so the first check is quick; never off a terminal)
    #[arg(long)]
    pub no_build: bool,
}

/// Set to anything to never start the background build (tests that drive a terminal).
const NO_WARM_ENV: &str = "ASYNCWORK_NO_WARM";

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    if args.repair {
        return repair(g, args);
    }
    let target = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(init::DEFAULT_DIR));
    let dir = init::init(&target)?;
    let cat = ExerciseCatalogue::embedded();
    outln!(
        "{}",
        render::workbook::written(
            &plural(cat.exercises.len(), "exercise"),
            &dir.display().to_string()
        )
    );
    let warm = !args.no_build
        && std::io::stdout().is_terminal()
        && std::env::var_os(NO_WARM_ENV).is_none_or(|v| v.is_empty());
    let warming = warm
        && std::env::current_exe()
            .ok()
            .is_some_and(|exe| warm::start(&Workbook::new(&dir), &exe).is_ok());
    render::emit(&render::workbook::next_steps(
        &target.display().to_string(),
        cat.exercises.first().map(|e| e.name.as_str()),
        warming,
        render::width(),
    ));
    Ok(Exit::Success)
}

fn repair(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let root = discover::discover_for_repair(args.dir.as_deref().or(g.workbook()))?;
    if init::is_unfinished(&root) {
        // An `init` that was stopped: nothing of the learner's is in there yet; finish it.
        init::init(&root)?;
        outln!(
            "{} was left unfinished by an interrupted `asyncwork init`; it is whole now.",
            root.display()
        );
        return Ok(Exit::Success);
    }
    let wb = Workbook::new(&root);
    let done = reset::repair(&wb)?;
    if done.is_empty() {
        outln!(
            "{} is whole: every shipped file is in place.",
            wb.root.display()
        );
        return Ok(Exit::Success);
    }
    outln!(
        "{}",
        render::workbook::repaired(
            &wb.root.display().to_string(),
            &plural(done.restored.len(), "file")
        )
    );
    super::reset::show_restored(&wb, &done);
    outln!("{}", render::workbook::repair_touched_nothing_else());
    Ok(Exit::Success)
}
