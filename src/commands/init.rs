//! `asyncwork init [DIR]`: write the exercise workbook.

use std::path::PathBuf;

use console::style;

use super::{Exit, Global};
use crate::render::plural;
use crate::workbook::{ExerciseCatalogue, Workbook, init, warm};
use std::io::IsTerminal as _;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where to write the workbook.
    #[arg(default_value = init::DEFAULT_DIR)]
    pub dir: PathBuf,
    /// Do not start building the workbook in the background (in a terminal it does, at low
    /// priority, so the first check is quick; never off a terminal)
    #[arg(long)]
    pub no_build: bool,
}

/// Set to anything to never start the background build (tests that drive a terminal).
const NO_WARM_ENV: &str = "ASYNCWORK_NO_WARM";

pub fn run(_g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let dir = init::init(&args.dir)?;
    let cat = ExerciseCatalogue::embedded();
    outln!(
        "{} wrote a workbook with {} to {}",
        style("✓").green().bold(),
        plural(cat.exercises.len(), "exercise"),
        dir.display()
    );
    let warm = !args.no_build
        && std::io::stdout().is_terminal()
        && std::env::var_os(NO_WARM_ENV).is_none_or(|v| v.is_empty());
    let warming = warm
        && std::env::current_exe()
            .ok()
            .is_some_and(|exe| warm::start(&Workbook::new(&dir), &exe).is_ok());
    outln!("\nNext:");
    outln!("  cd {}", args.dir.display());
    outln!("  asyncwork            # the course: lessons, demos and exercises in order");
    if warming {
        outln!("  asyncwork check      # grade the first exercise");
        outln!(
            "{}",
            style(
                "\n(Compiling tokio and the support crate in the background, at low priority, so \
                 your first check takes seconds, not half a minute. Its log: \
                 .asyncwork/warm.log)"
            )
            .dim()
        );
        outln!();
    } else {
        outln!(
            "  asyncwork check      # grade the first exercise (the first build compiles tokio once)"
        );
    }
    outln!("  asyncwork watch      # re-check on every save");
    if let Some(first) = cat.exercises.first() {
        outln!("  asyncwork hint {}   # when stuck", first.name);
    }
    Ok(Exit::Success)
}
