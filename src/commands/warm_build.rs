//! `asyncwork warm-build` (hidden): the background build `init` starts (see `workbook::warm`).
//! Nobody reads its output (it runs detached); the log is in `.asyncwork/warm.log`.

use super::{Exit, Global};
use crate::workbook::warm::{self, Outcome};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

pub fn run(g: &Global, _args: &Args) -> anyhow::Result<Exit> {
    let wb = g.find_workbook()?;
    Ok(match warm::run(&wb)? {
        Outcome::Built | Outcome::Busy => Exit::Success,
        Outcome::Failed => Exit::Failure,
    })
}
