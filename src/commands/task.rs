//! `asyncwork task [EX]`: the exercise's task (its README) for the terminal, then where to edit
//! and how to check (learnyounode's `print`). Without a name: the exercise whose folder the
//! learner is in, else the first one not done.

use super::{Exit, Global};
use crate::progress::Progress;
use crate::render;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The exercise (name, number or lesson id). Without one: the exercise whose folder you are
    /// in, else the first one not done.
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::exercise_names))]
    pub exercise: Option<String>,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    let progress = wb
        .progress_path()
        .exists()
        .then(|| Progress::open(&wb.progress_path()).ok())
        .flatten();
    let Some(ex) = g.exercise_or_current(&wb, args.exercise.as_deref(), progress.as_ref())? else {
        outln!("{}", render::workbook::task_all_done());
        return Ok(Exit::Success);
    };
    let dir = wb.exercise_dir(&ex.name);
    let readme = dir.join("README.md");
    let text = std::fs::read_to_string(&readme).map_err(|e| {
        anyhow::anyhow!(
            "cannot read {}: {e}\n`asyncwork reset {}` restores the exercise's files.",
            wb.display_rel(&readme),
            ex.name
        )
    })?;
    let width = render::width();
    out!("{}", render::markdown::render(&text, width));
    let lib = wb.display_rel(&dir.join("src/lib.rs"));
    outln!();
    outln!("{}", render::workbook::your_turn());
    outln!("{}", render::workbook::edit_line(&lib));
    outln!("{}", render::workbook::commands_for(&ex.name));
    Ok(Exit::Success)
}
