//! `asyncwork progress`: done / attempted / not started for every exercise.

use anyhow::Context as _;

use super::{Exit, Global};
use crate::course::Standing;
use crate::progress::Progress;
use crate::render::table::Table;
use crate::workbook::ExerciseCatalogue;

#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(g: &Global, _args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    // Only reads: a read-only record (or `.asyncwork/`) is shown, not refused.
    let progress = Progress::open_to_read(&wb.progress_path())?;
    out!(
        "{}",
        progress_table(wb.catalogue(), &progress, crate::render::width())?
    );
    Ok(Exit::Success)
}

/// The progress table at `width` columns: one row per exercise in curriculum order, times in
/// the learner's local time. Below 100 columns the lesson column goes (the exercise's name
/// carries the lesson's), and long cells wrap between words.
pub fn progress_table(
    catalogue: &ExerciseCatalogue,
    progress: &Progress,
    width: usize,
) -> anyhow::Result<String> {
    let summaries = progress.summaries().context("cannot read progress")?;
    let standing = Standing::new(catalogue, Some(&summaries));
    let with_lesson = width >= 100;
    let mut headers = vec!["exercise", "status", ">attempts", "last", "when"];
    if with_lesson {
        headers.insert(0, "lesson");
    }
    let mut table = Table::new(&headers);
    for ex in &catalogue.exercises {
        let s = summaries.get(&ex.name);
        let status = standing.get(&ex.name);
        let mut row = vec![
            ex.name.clone(),
            crate::render::marks::status_label(status),
            s.map_or(0, |s| s.attempts).to_string(),
            s.map_or("-", |s| s.last_outcome.as_str()).to_string(),
            s.map_or("", |s| s.last_at.as_str()).to_string(),
        ];
        if with_lesson {
            row.insert(0, ex.lesson.clone());
        }
        table.row(row);
    }
    Ok(format!(
        "{}\n{}\n",
        table.render_width(width),
        standing.counts()
    ))
}
