//! Shell completion, dynamic: the shell asks asyncwork itself (`COMPLETE=bash asyncwork ...`,
//! clap_complete's `CompleteEnv`), so lesson ids, demo names and exercise names complete too,
//! not only commands and flags, and they always match the binary that runs them.
//!
//! `asyncwork completions SHELL` prints the few lines a shell needs to ask (the same ones
//! `COMPLETE=SHELL asyncwork` prints). The alternative, a static script generated once, cannot
//! know the lessons, and goes stale when asyncwork is updated.

use clap_complete::engine::CompletionCandidate;
use clap_complete::env::EnvCompleter;

use super::{Exit, Global};
use crate::lesson::{Catalogue, Source};
use crate::workbook::ExerciseCatalogue;

/// The environment variable the shell scripts set to ask for completions.
pub const VAR: &str = "COMPLETE";

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Install (once):\n  \
    bash:  echo 'source <(asyncwork completions bash)' >> ~/.bashrc\n  \
    zsh:   echo 'source <(asyncwork completions zsh)' >> ~/.zshrc\n  \
    fish:  echo 'asyncwork completions fish | source' > ~/.config/fish/completions/asyncwork.fish")]
pub struct Args {
    /// The shell to write completions for
    pub shell: clap_complete::Shell,
}

/// `command` is the whole command line's clap definition (`Cli::command()`), which this layer
/// cannot name without depending on `cli.rs`; `main.rs` passes it in.
pub fn run(_g: &Global, args: &Args, command: clap::Command) -> anyhow::Result<Exit> {
    use clap_complete::Shell;
    let name = command.get_name().to_string();
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::Elvish => &clap_complete::env::Elvish,
        Shell::PowerShell => &clap_complete::env::Powershell,
        other => anyhow::bail!("no completions for {other} yet; bash, zsh and fish have them"),
    };
    let mut out = Vec::new();
    shell.write_registration(VAR, &name, &name, &name, &mut out)?;
    out!("{}", String::from_utf8_lossy(&out));
    Ok(Exit::Success)
}

/// The lessons a completion offers: the ones `lesson list` would show from here.
fn lessons() -> Option<Catalogue> {
    let source = Source::discover(None).ok()?;
    let (_, catalogue) = super::lesson::load_quiet(source.dir.as_deref()).ok()?;
    Some(catalogue)
}

/// Lesson ids, each with its title.
pub fn lesson_ids() -> Vec<CompletionCandidate> {
    lessons()
        .map(|c| {
            c.lessons
                .iter()
                .map(|p| {
                    CompletionCandidate::new(&p.lesson.id).help(Some(p.lesson.title.clone().into()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every lesson's demo names, each with its lesson (the demo flag cannot see which lesson the
/// command line names).
pub fn demo_names() -> Vec<CompletionCandidate> {
    lessons()
        .map(|c| {
            c.lessons
                .iter()
                .flat_map(|p| {
                    p.lesson.demos.iter().map(|d| {
                        CompletionCandidate::new(&d.name)
                            .help(Some(format!("{}: {}", p.lesson.id, d.title).into()))
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Exercise names, each with its title.
pub fn exercise_names() -> Vec<CompletionCandidate> {
    ExerciseCatalogue::embedded()
        .exercises
        .iter()
        .map(|e| CompletionCandidate::new(&e.name).help(Some(e.title.clone().into())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: Vec<CompletionCandidate>) -> Vec<String> {
        c.iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn candidates_name_lessons_demos_and_exercises() {
        assert!(values(lesson_ids()).contains(&"gather".to_string()));
        assert!(values(demo_names()).contains(&"sequential_vs_gather".to_string()));
        assert!(values(exercise_names()).contains(&"03_gather".to_string()));
    }
}
