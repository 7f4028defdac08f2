//! `asyncwork hint [EX]`: the next hint for an exercise (the current one without a name).

use super::{Exit, Global};
use crate::progress::Progress;
use crate::workbook::hints;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The exercise (name, number or lesson id). Without one: the exercise whose folder you are
    /// in, else the first one not done.
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::exercise_names))]
    pub exercise: Option<String>,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    let progress = Progress::open(&wb.progress_path())?;
    let Some(ex) = g.exercise_or_current(&wb, args.exercise.as_deref(), Some(&progress))? else {
        outln!(
            "Every exercise is done: name one for its hints, e.g. `asyncwork hint {}`.",
            wb.catalogue()
                .exercises
                .first()
                .map_or("01_coroutines", |e| e.name.as_str())
        );
        return Ok(Exit::Success);
    };
    let view = hints::next_hint(&progress, ex)?;
    out!("{}", crate::render::hints::render(&view, &ex.name));
    Ok(Exit::Success)
}
