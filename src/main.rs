//! Parse the command line, dispatch, map errors to exit codes; nothing else.

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use console::style;

use asyncwork::cli::{Cli, Command, LessonCommand};
use asyncwork::commands;
use asyncwork::commands::menu::Choice;
use asyncwork::render;
use asyncwork::workbook::commands as workbook;

fn main() -> ExitCode {
    let cli = Cli::parse();
    render::init_color(cli.color);
    match &cli.command {
        Some(command) => dispatch(&cli, command),
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => menu(&cli),
        None => {
            // Not a terminal: nobody to ask, so say how to use it.
            let _ = Cli::command().write_help(&mut std::io::stderr());
            ExitCode::from(2)
        }
    }
}

/// The interactive menu: each choice runs as the command line it stands for.
fn menu(cli: &Cli) -> ExitCode {
    loop {
        match commands::menu::choose(cli.lessons.as_deref(), cli.workbook.as_deref()) {
            Ok(Choice::Quit) => return ExitCode::SUCCESS,
            Ok(Choice::Run(words)) => {
                eprintln!(
                    "{}",
                    style(format!("$ asyncwork {}", words.join(" "))).dim()
                );
                let mut argv: Vec<OsString> = vec!["asyncwork".into()];
                for (flag, value) in [("--lessons", &cli.lessons), ("--workbook", &cli.workbook)] {
                    if let Some(value) = value {
                        argv.extend([flag.into(), value.clone().into_os_string()]);
                    }
                }
                argv.extend(words.into_iter().map(OsString::from));
                match Cli::try_parse_from(argv) {
                    Ok(chosen) => {
                        if let Some(command) = &chosen.command {
                            dispatch(&chosen, command);
                        }
                    }
                    Err(e) => {
                        let _ = e.print();
                    }
                }
                eprint!("{}", style("\nPress Enter to return to the menu ").dim());
                if console::Term::stderr().read_line().is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            Err(e) => {
                eprintln!("{} {e:#}", style("error:").red().bold());
                return ExitCode::FAILURE;
            }
        }
    }
}

fn dispatch(cli: &Cli, command: &Command) -> ExitCode {
    let lessons = cli.lessons.as_deref();
    let wb = cli.workbook.as_deref();
    let code = |r: anyhow::Result<i32>| r.map(|c| ExitCode::from(c.clamp(0, 255) as u8));
    let result = match command {
        Command::Lesson(cmd) => match cmd {
            LessonCommand::List { json } => commands::lesson::list(lessons, wb, *json),
            LessonCommand::Show { id } => commands::lesson::show(lessons, wb, id),
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
        Command::Init(args) => code(workbook::init(args)),
        Command::Check(args) => code(workbook::check(wb, args)),
        Command::Hint(args) => code(workbook::hint(wb, args)),
        Command::Reset(args) => code(workbook::reset(wb, args)),
        Command::Watch(args) => code(workbook::watch(wb, args)),
        Command::Progress(args) => code(workbook::progress(wb, args)),
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
