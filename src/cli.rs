//! The command line, as clap derive definitions. Each command's flags live with the command in
//! `commands/`; this file only names them. `main.rs` dispatches.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::{self, Global};
use crate::render::ColorChoice;

/// The heading the global flags go under in every command's help, apart from its own options.
const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "asyncwork",
    version,
    about = "A workbook that teaches async Rust: live, timed demos and graded exercises",
    long_about = "asyncwork teaches async programming in Rust (tokio) to people who know Python's \
                  asyncio. Lessons run live demos that time sequential and concurrent code side by \
                  side; exercises are graded on correctness and on concurrency.",
    after_help = "Examples:\n  asyncwork                     (the course and your next step; a menu in a terminal)\n  asyncwork lesson step gather\n  asyncwork task\n  asyncwork lesson show gather\n  \
                  asyncwork lesson validate lessons/"
)]
pub struct Cli {
    /// Read lessons from DIR (default: $ASYNCWORK_LESSONS, else ./lessons, else the built-in ones)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "DIR")]
    pub lessons: Option<PathBuf>,

    /// When to use colours (NO_COLOR in the environment also turns them off)
    #[arg(long, global = true, help_heading = GLOBAL, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Use the exercise workbook in DIR (default: $ASYNCWORK_WORKBOOK, else the nearest one at or
    /// above the current directory, else ./exercises)
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "DIR")]
    pub workbook: Option<PathBuf>,

    #[command(subcommand)]
    /// Without a command: the course with your marks and the next step (in a terminal, a menu).
    pub command: Option<Command>,
}

impl Cli {
    /// `err` from parsing `args`, with a suggestion when it is a mistyped subcommand clap found
    /// nothing near. clap's measure (Jaro similarity) scores two swapped letters of a short
    /// word low (`lesson rnu`: 0.56, under its 0.7), so subcommands one edit away (a swap, a
    /// letter missing, extra or wrong: the Damerau-Levenshtein distance) are offered too.
    pub fn with_suggestion(mut err: clap::Error, args: &[std::ffi::OsString]) -> clap::Error {
        use clap::CommandFactory as _;
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if err.kind() != ErrorKind::InvalidSubcommand
            || err.get(ContextKind::SuggestedSubcommand).is_some()
        {
            return err;
        }
        let Some(ContextValue::String(typed)) = err.get(ContextKind::InvalidSubcommand) else {
            return err;
        };
        let typed = typed.clone();
        // The command whose subcommand was mistyped: follow the words that name subcommands.
        let mut cmd = Cli::command();
        for word in args.iter().skip(1).map(|a| a.to_string_lossy()) {
            if word == typed {
                break;
            }
            if let Some(sub) = cmd.find_subcommand(word.as_ref()) {
                cmd = sub.clone();
            }
        }
        let near: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .filter(|name| strsim::damerau_levenshtein(&typed, name) == 1)
            .collect();
        if !near.is_empty() {
            err.insert(
                ContextKind::SuggestedSubcommand,
                ContextValue::Strings(near),
            );
        }
        err
    }

    /// The global flags every command may use.
    pub fn global(&self) -> Global {
        Global {
            lessons: self.lessons.clone(),
            workbook: self.workbook.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Browse, read and write lessons
    #[command(
        subcommand,
        after_help = "Examples:\n  asyncwork lesson list\n  asyncwork lesson show coroutines"
    )]
    Lesson(LessonCommand),

    /// Write the exercise workbook (a Cargo workspace of exercise crates) into DIR
    #[command(after_help = "Examples:\n  asyncwork init\n  asyncwork init ~/async-exercises")]
    Init(commands::init::Args),

    /// Print an exercise's task (its README) and where to edit it
    #[command(
        after_help = "Examples:\n  asyncwork task             # the exercise you are in, else the next one\n  asyncwork task 03_gather"
    )]
    Task(commands::task::Args),

    /// Grade an exercise: build it, run its tests with a time limit, explain what failed
    #[command(
        after_help = "Examples:\n  asyncwork check                 # the exercise you are in, else the next one\n  \
                      asyncwork check 03_gather\n  asyncwork check --all --format junit > report.xml\n  \
                      asyncwork check 03_gather --format json   # Exercism's results.json\n  \
                      asyncwork check --solutions     # instructors: shipped fails, solution passes\n\n\
                      Exit code: 0 when everything graded passed, 1 otherwise."
    )]
    Check(commands::check::Args),

    /// Show the next hint for an exercise (all of them once each has been seen)
    #[command(after_help = "Example:\n  asyncwork hint 03_gather")]
    Hint(commands::hint::Args),

    /// Restore an exercise (or all of them) to its original files
    #[command(after_help = "Examples:\n  asyncwork reset 03_gather\n  asyncwork reset --all --yes")]
    Reset(commands::reset::Args),

    /// Re-check the current exercise on every save; move on when it passes
    #[command(
        after_help = "Example:\n  asyncwork watch\n  asyncwork watch --poll   # when file events do not arrive"
    )]
    Watch(commands::watch::Args),

    /// Show done / attempted / not started for every exercise
    #[command(after_help = "Example:\n  asyncwork progress")]
    Progress(commands::progress::Args),

    /// The background build `init` starts (internal)
    #[command(name = "warm-build", hide = true)]
    WarmBuild(commands::warm_build::Args),
    /// Run the loopback demo server (delays, pages, flaky, rate limit, handler styles) for curl
    #[command(
        after_help = "Examples:\n  asyncwork serve\n  asyncwork serve --port 0   # any free port\n  \
                      curl -s http://127.0.0.1:8000/delay/500"
    )]
    Serve(commands::serve::Args),

    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  asyncwork completions bash > ~/.local/share/bash-completion/completions/asyncwork"
    )]
    Completions(commands::completions::Args),
}

#[derive(Debug, Subcommand)]
pub enum LessonCommand {
    /// List the lessons in course order
    List(commands::lesson::list::Args),
    /// Show a lesson: prose, Python and Rust side by side, hints and what to run next
    Show(commands::lesson::show::Args),
    /// Step through a lesson a screen at a time, each section's demo run in place
    Step(commands::lesson::step::Args),
    /// Run a lesson's demos live: every strategy timed, drawn as a timeline, its claims checked
    Run(commands::lesson::run::Args),
    /// Check lesson files and report every problem with file, line and column
    Validate(commands::lesson::validate::Args),
    /// Write a new lesson skeleton that validates as written
    New(commands::lesson::new::Args),
    /// Print the lesson authoring guide (every key of a lesson file, and how to check one)
    Guide(commands::lesson::guide::Args),
}
