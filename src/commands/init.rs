//! `asyncwork init [DIR]`: write the exercise workbook.

use std::path::PathBuf;

use console::style;

use super::{Exit, Global};
use crate::render::plural;
use crate::workbook::{ExerciseCatalogue, init};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where to write the workbook.
    #[arg(default_value = init::DEFAULT_DIR)]
    pub dir: PathBuf,
}

pub fn run(_g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let dir = init::init(&args.dir)?;
    let cat = ExerciseCatalogue::embedded();
    outln!(
        "{} wrote a workbook with {} to {}",
        style("✓").green().bold(),
        plural(cat.exercises.len(), "exercise"),
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
    Ok(Exit::Success)
}
