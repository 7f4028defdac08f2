//! `asyncwork reset [EX] | --all`: restore exercises to their shipped files, after confirmation,
//! and make them "to do" again in the record (earlier attempts stop counting; see
//! `crate::course`).

use super::{Exit, Global};
use crate::progress::Progress;
use crate::render::{self, plural};
use crate::workbook::Workbook;
use crate::workbook::reset::{self, Restored};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The exercise to restore. Without one: the exercise whose folder you are in, else the
    /// first one not done.
    #[arg(conflicts_with = "all")]
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::exercise_names))]
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
    // The record, opened once: it says which exercise is current and takes the resets. One that
    // cannot be opened does not stop the reset; it is said after.
    let record = Progress::open(&wb.progress_path());
    let (question, name) = if args.all {
        (
            format!(
                "Restore ALL exercises in {} to their original state? Your versions are moved to .asyncwork/trash/",
                wb.root.display()
            ),
            None,
        )
    } else {
        let Some(ex) =
            g.exercise_or_current(&wb, args.exercise.as_deref(), record.as_ref().ok())?
        else {
            outln!(
                "Every exercise is done: name the one to restore, e.g. `asyncwork reset 03_gather`."
            );
            return Ok(Exit::Failure);
        };
        (
            format!(
                "Restore {} to its original state? Your versions are moved to .asyncwork/trash/",
                ex.name
            ),
            Some(ex.name.clone()),
        )
    };
    if !confirm(&question, args.yes)? {
        outln!("{}", render::workbook::nothing_changed());
        return Ok(Exit::Failure);
    }
    let done = match &name {
        Some(n) => reset::reset_exercise(&wb, n)?,
        None => reset::reset_all(&wb)?,
    };
    let names: Vec<String> = match &name {
        Some(n) => vec![n.clone()],
        None => wb.catalogue().names(),
    };
    let recorded = record.and_then(|p| names.iter().try_for_each(|n| p.record_reset(n)));
    if let Err(e) = recorded {
        errln!(
            "{}",
            render::workbook::reset_not_recorded(&format!("{e:#}"))
        );
    }
    if done.is_empty() {
        outln!("{}", render::workbook::already_as_shipped());
        return Ok(Exit::Success);
    }
    outln!(
        "{}",
        render::workbook::restored(&plural(done.restored.len(), "file"))
    );
    show_restored(&wb, &done);
    Ok(Exit::Success)
}

/// The files put back, and where the learner's own versions went (`reset`, `init --repair`).
pub(crate) fn show_restored(wb: &Workbook, done: &Restored) {
    for c in &done.restored {
        outln!("{}", render::workbook::file_line(&c.to_string()));
    }
    if let Some(trash) = &done.trash {
        outln!(
            "{}",
            render::workbook::moved_aside(&wb.display_rel(trash).to_string())
        );
        for m in &done.moved {
            outln!("{}", render::workbook::file_line(&m.to_string()));
        }
    }
}

/// Asks before files are moved (the library never prompts: the command does). Can we ask? `--yes` skips the question; without a terminal and without `--yes`, refuse.
fn confirm(question: &str, yes: bool) -> anyhow::Result<bool> {
    use std::io::IsTerminal;
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        anyhow::bail!(
            "refusing to reset without confirmation: there is no terminal to ask on.\n\
             Pass --yes to reset anyway (your versions of these files are moved to \
             .asyncwork/trash/)."
        );
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()?)
}
