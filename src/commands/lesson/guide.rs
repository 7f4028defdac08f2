//! `asyncwork lesson guide`: the lesson authoring guide, built into the binary (it is
//! `lessons/README.md` of the source tree, which an installed binary's user does not have).

use crate::commands::{Exit, Global};
use crate::render::emit;

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  asyncwork lesson guide | less")]
pub struct Args {}

pub fn run(_g: &Global, _args: &Args) -> anyhow::Result<Exit> {
    emit(crate::lesson::source::guide());
    Ok(Exit::Success)
}
