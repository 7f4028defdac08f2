//! Parse the command line, dispatch, map errors to exit codes; nothing else.

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use console::style;

use asyncwork::cli::{Cli, Command, LessonCommand};
use asyncwork::commands;
use asyncwork::render;

fn main() -> ExitCode {
    let cli = Cli::parse();
    render::init_color(cli.color);
    let lessons = cli.lessons.as_deref();
    let result = match &cli.command {
        Command::Lesson(cmd) => match cmd {
            LessonCommand::List { json } => commands::lesson::list(lessons, *json),
            LessonCommand::Show { id } => commands::lesson::show(lessons, id),
            LessonCommand::Run {
                id,
                demo,
                speed,
                json,
                trace,
                no_live,
                strict,
            } => commands::run::run(
                lessons,
                id,
                &commands::run::RunArgs {
                    demo: demo.clone(),
                    speed: *speed,
                    json: *json,
                    trace: trace.clone(),
                    live: !*no_live,
                    strict: *strict,
                },
            ),
            LessonCommand::Validate { paths } => commands::lesson::validate(lessons, paths),
            LessonCommand::New { id } => commands::lesson::new(lessons, id),
        },
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "asyncwork", &mut out);
            render::emit(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("{} {e:#}", style("error:").red().bold());
        ExitCode::FAILURE
    })
}
