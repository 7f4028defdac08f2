//! `asyncwork reset EX | --all`: restore exercises to their shipped files, after confirmation.

use console::style;

use super::{Exit, Global};
use crate::render::plural;
use crate::workbook::reset;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
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

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    let (question, name) = if args.all {
        (
            format!(
                "Restore ALL exercises in {} to their original state? Your versions are moved to .asyncwork/trash/",
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
                "Restore {} to its original state? Your versions are moved to .asyncwork/trash/",
                ex.name
            ),
            Some(ex.name.clone()),
        )
    };
    if !reset::confirm(&question, args.yes)? {
        outln!("Nothing changed.");
        return Ok(Exit::Failure);
    }
    let done = match &name {
        Some(n) => reset::reset_exercise(&wb, n)?,
        None => reset::reset_all(&wb)?,
    };
    if done.is_empty() {
        outln!("Already as shipped: nothing to restore.");
        return Ok(Exit::Success);
    }
    outln!(
        "{} restored {}:",
        style("✓").green().bold(),
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
    Ok(Exit::Success)
}
