//! `asyncwork progress`: done / attempted / not started for every exercise.

use anyhow::Context as _;
use console::style;

use super::{Exit, Global};
use crate::progress::{Progress, Status};
use crate::render::table::Table;
use crate::workbook::ExerciseCatalogue;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(g: &Global, _args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    let progress = Progress::open(&wb.progress_path())?;
    out!("{}", progress_table(wb.catalogue(), &progress)?);
    Ok(Exit::Success)
}

/// The progress table: one row per exercise, grouped by lesson in curriculum order.
pub fn progress_table(
    catalogue: &ExerciseCatalogue,
    progress: &Progress,
) -> anyhow::Result<String> {
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
