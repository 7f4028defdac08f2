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

/// The demo names `lesson run ID --demo <Tab>` offers: the named lesson's demos, or every
/// lesson's (each once) while no lesson is named yet.
pub fn demo_names() -> Vec<CompletionCandidate> {
    lessons()
        .map(|c| demos_for(&c, &command_line()))
        .unwrap_or_default()
}

/// The words of the command line being completed. clap_complete's candidate functions are given
/// no other argument's value, but the shell passes the whole line to the process after a `--`
/// (`COMPLETE=fish asyncwork -- asyncwork lesson run gather --demo ''`), so it is read there.
fn command_line() -> Vec<String> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match args.iter().position(|a| a == "--") {
        Some(i) => args[i + 1..].to_vec(),
        None => Vec::new(),
    }
}

/// [`demo_names`] for the command line `words`: the lesson is the first word after `run` that
/// is a lesson id (a flag's value, `--speed 5`, is none).
fn demos_for(catalogue: &Catalogue, words: &[String]) -> Vec<CompletionCandidate> {
    let named = words
        .iter()
        .skip_while(|w| *w != "run")
        .skip(1)
        .find_map(|w| catalogue.lessons.iter().find(|p| p.lesson.id == *w));
    let mut seen = std::collections::HashSet::new();
    catalogue
        .lessons
        .iter()
        .filter(|p| named.is_none_or(|n| n.lesson.id == p.lesson.id))
        .flat_map(|p| {
            p.lesson
                .demos
                .iter()
                .map(move |d| (d, format!("{}: {}", p.lesson.id, d.title)))
        })
        // Two lessons may have a demo of the same name: offered once.
        .filter(|(d, _)| seen.insert(d.name.clone()))
        .map(|(d, help)| CompletionCandidate::new(&d.name).help(Some(help.into())))
        .collect()
}

/// Exercise names, each with its title, then the lesson ids that name an exercise too
/// (`task gather`, `check gather`).
pub fn exercise_names() -> Vec<CompletionCandidate> {
    let exercises = &ExerciseCatalogue::embedded().exercises;
    let names = exercises
        .iter()
        .map(|e| CompletionCandidate::new(&e.name).help(Some(e.title.clone().into())));
    let lessons = exercises
        .iter()
        .map(|e| CompletionCandidate::new(&e.lesson).help(Some(e.name.clone().into())));
    names.chain(lessons).collect()
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
        let exercises = values(exercise_names());
        assert!(exercises.contains(&"03_gather".to_string()));
        assert!(exercises.contains(&"gather".to_string()), "{exercises:?}");
    }

    #[test]
    fn the_demo_flag_offers_the_named_lessons_demos() {
        let catalogue = lessons().unwrap();
        let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
        let gather: Vec<String> = catalogue
            .lessons
            .iter()
            .find(|p| p.lesson.id == "gather")
            .unwrap()
            .lesson
            .demos
            .iter()
            .map(|d| d.name.clone())
            .collect();
        for line in [
            "asyncwork lesson run gather --demo ",
            "asyncwork lesson run --speed 5 gather --demo s",
        ] {
            assert_eq!(
                values(demos_for(&catalogue, &words(line))),
                gather,
                "{line}"
            );
        }
        // No lesson named yet: every demo, each name once.
        let all = values(demos_for(
            &catalogue,
            &words("asyncwork lesson run --demo "),
        ));
        assert!(all.len() > gather.len());
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }
}
