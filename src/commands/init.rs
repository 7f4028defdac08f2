//! `asyncwork init [DIR]`: write the exercise workbook; `init --repair` restores the shipped files
//! of one whose `info.toml` or `Cargo.toml` are gone, keeping the learner's code and record.

use std::path::PathBuf;

use console::style;

use super::{Exit, Global};
use crate::render::plural;
use crate::workbook::{ExerciseCatalogue, Workbook, discover, init, reset};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Where to write the workbook [default: asyncwork-workbook]. With --repair: the workbook to
    /// repair (default: the one here or above).
    pub dir: Option<PathBuf>,
    /// Restore the shipped files of an existing workbook (info.toml, Cargo.toml, the tests, the
    /// support crate) without touching your code in src/ or your record.
    #[arg(long)]
    pub repair: bool,
}

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
        "{} wrote a workbook with {} to {}",
        style("✓").green().bold(),
        plural(cat.exercises.len(), "exercise"),
        dir.display()
    );
    outln!("\nNext:");
    outln!("  cd {}", target.display());
    outln!(
        "  asyncwork check      # grade the first exercise (the first build compiles tokio once)"
    );
    outln!("  asyncwork watch      # re-check on every save");
    if let Some(first) = cat.exercises.first() {
        outln!("  asyncwork hint {}   # when stuck", first.name);
    }
    Ok(Exit::Success)
}

fn repair(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let root = discover::discover_for_repair(args.dir.as_deref().or(g.workbook()))?;
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
        "{} repaired {}: restored {}:",
        style("✓").green().bold(),
        wb.root.display(),
        plural(done.restored.len(), "file")
    );
    for c in &done.restored {
        outln!("  {c}");
    }
    if let Some(trash) = &done.trash {
        outln!(
            "Your versions were moved aside, not deleted: {} (same paths):",
            wb.display_rel(trash)
        );
        for m in &done.moved {
            outln!("  {m}");
        }
    }
    outln!("Your code in src/ and your record were not touched.");
    Ok(Exit::Success)
}
