//! The command line, as clap derive definitions. Dispatch lives in `main.rs`, behaviour in
//! `commands/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "asyncwork",
    version,
    about = "A workbook that teaches async Rust: live, timed demos and graded exercises",
    long_about = "asyncwork teaches async programming in Rust (tokio) to people who know Python's \
                  asyncio. Lessons run live demos that time sequential and concurrent code side by \
                  side; exercises are graded on correctness and on concurrency.",
    after_help = "Examples:\n  asyncwork                     (in a terminal: a menu of lessons)\n  asyncwork lesson list\n  asyncwork lesson show gather\n  \
                  asyncwork lesson validate lessons/"
)]
pub struct Cli {
    /// Read lessons from DIR (default: $ASYNCWORK_LESSONS, else ./lessons, else the built-in ones)
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<PathBuf>,

    /// When to use colours (NO_COLOR in the environment also turns them off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Use the exercise workbook in DIR (default: $ASYNCWORK_WORKBOOK, else the nearest one at or
    /// above the current directory, else ./exercises)
    #[arg(long, global = true, value_name = "DIR")]
    pub workbook: Option<PathBuf>,

    #[command(subcommand)]
    /// Without a command, in a terminal: an interactive menu of lessons and exercises.
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
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
    Init(crate::workbook::commands::InitArgs),

    /// Grade an exercise: build it, run its tests with a time limit, explain what failed
    #[command(
        after_help = "Examples:\n  asyncwork check                 # the first exercise not done yet\n  \
                      asyncwork check 03_gather\n  asyncwork check --all --format junit > report.xml\n  \
                      asyncwork check 03_gather --format json   # Exercism results.json v2\n  \
                      asyncwork check --solutions     # instructors: shipped fails, solution passes\n\n\
                      Exit code: 0 when everything graded passed, 1 otherwise."
    )]
    Check(crate::workbook::commands::CheckArgs),

    /// Show the next hint for an exercise (all of them once each has been seen)
    #[command(after_help = "Example:\n  asyncwork hint 03_gather")]
    Hint(crate::workbook::commands::HintArgs),

    /// Restore an exercise (or all of them) to its original files
    #[command(after_help = "Examples:\n  asyncwork reset 03_gather\n  asyncwork reset --all --yes")]
    Reset(crate::workbook::commands::ResetArgs),

    /// Re-check the current exercise on every save; move on when it passes
    #[command(
        after_help = "Example:\n  asyncwork watch\n  asyncwork watch --poll   # when file events do not arrive"
    )]
    Watch(crate::workbook::commands::WatchArgs),

    /// Show done / attempted / not started for every exercise
    #[command(after_help = "Example:\n  asyncwork progress")]
    Progress(crate::workbook::commands::ProgressArgs),

    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  asyncwork completions bash > ~/.local/share/bash-completion/completions/asyncwork"
    )]
    Completions {
        /// The shell to write completions for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum LessonCommand {
    /// List the lessons in course order
    #[command(
        after_help = "Examples:\n  asyncwork lesson list\n  asyncwork lesson list --json | jq '.[].id'"
    )]
    List {
        /// Print a JSON array of lessons instead of a table
        #[arg(long)]
        json: bool,
    },

    /// Show a lesson: prose, Python and Rust side by side, hints and what to run next
    #[command(after_help = "Example:\n  asyncwork lesson show gather")]
    Show {
        /// The lesson id (see `asyncwork lesson list`)
        id: String,
    },

    /// Run a lesson's demos live: every strategy timed, drawn as a timeline, its claims checked
    #[command(after_help = "Examples:\n  asyncwork lesson run gather\n  \
                            asyncwork lesson run gather --demo sequential_vs_gather --speed 0.2\n  \
                            asyncwork lesson run coroutines --json | jq '.demos[].expectations'\n  \
                            asyncwork lesson run gather --trace gather.json   # open in ui.perfetto.dev\n\n\
                            Exit codes: 0 done, 1 a claim was not shown (with --strict) or an error, \
                            130 interrupted (Ctrl-C).")]
    Run {
        /// The lesson id (see `asyncwork lesson list`)
        id: String,
        /// Run only this demo (default: every demo of the lesson, in order)
        #[arg(long, value_name = "NAME")]
        demo: Option<String>,
        /// Multiply every duration by F: 0.1 runs ten times faster (0.01 to 10)
        #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = parse_speed)]
        speed: f64,
        /// Print one JSON document on stdout instead of the live view, timelines and tables
        #[arg(long)]
        json: bool,
        /// Also write every task span as Chrome trace-event JSON to FILE (Perfetto opens it)
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// Do not draw the live view while strategies run
        #[arg(long)]
        no_live: bool,
        /// Exit 1 when the run did not show one of the demos' claims
        #[arg(long)]
        strict: bool,
    },

    /// Check lesson files and report every problem with file, line and column
    #[command(
        after_help = "Examples:\n  asyncwork lesson validate\n  asyncwork lesson validate lessons/gather.toml\n  \
                            asyncwork lesson validate my-course/"
    )]
    Validate {
        /// Lesson files or directories (default: the lessons asyncwork would load)
        paths: Vec<PathBuf>,
    },

    /// Write a new lesson skeleton that validates as written
    #[command(after_help = "Example:\n  asyncwork lesson new select_loops")]
    New {
        /// The new lesson's id: a-z, 0-9, _ and -
        id: String,
    },
}

fn parse_speed(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number (try 0.2 or 1)"))?;
    if v.is_finite() && (0.01..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("speed must be between 0.01 and 10, got {s}"))
    }
}
