//! `asyncwork hint EX`: the next hint for an exercise.

use super::{Exit, Global};
use crate::progress::Progress;
use crate::workbook::hints;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The exercise (name, number or lesson id).
    pub exercise: String,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    let ex = wb.catalogue().find(&args.exercise)?;
    let progress = Progress::open(&wb.progress_path())?;
    let view = hints::next_hint(&progress, ex)?;
    out!("{}", crate::render::hints::render(&view, &ex.name));
    Ok(Exit::Success)
}
