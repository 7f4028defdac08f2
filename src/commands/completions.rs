//! `asyncwork completions SHELL`: a shell completion script on stdout.

use super::{Exit, Global};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The shell to write completions for
    pub shell: clap_complete::Shell,
}

/// `command` is the whole command line's clap definition (`Cli::command()`), which this layer
/// cannot name without depending on `cli.rs`; `main.rs` passes it in.
pub fn run(_g: &Global, args: &Args, mut command: clap::Command) -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "asyncwork", &mut out);
    out!("{}", String::from_utf8_lossy(&out));
    Ok(Exit::Success)
}
