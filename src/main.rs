//! Parse the command line, dispatch, map errors to exit codes; nothing else.

#![allow(clippy::print_stdout, clippy::print_stderr)] // this layer writes to the terminal

use std::ffi::OsString;
use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use console::style;

use asyncwork::cli::{Cli, Command, LessonCommand};
use asyncwork::commands::{self, Exit};
use asyncwork::render;

/// `eprintln!` through [`render::emit_err`]: an error quoting a file name with an ESC in it
/// prints the escape, not the sequence.
macro_rules! errln {
    ($($arg:tt)*) => { render::emit_err(&format!("{}\n", format!($($arg)*))) };
}

fn main() -> ExitCode {
    // The shell asking for completions (`COMPLETE=bash asyncwork ...`): answer and stop.
    let cwd = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(commands::completions::VAR)
        .try_complete(std::env::args_os(), cwd.as_deref())
    {
        Ok(true) => return ExitCode::SUCCESS,
        Ok(false) => {}
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = Cli::try_parse_from(&args).unwrap_or_else(|e| Cli::with_suggestion(e, &args).exit());
    // From here on a signal (or a panic, or the return) leaves the terminal as it was found and
    // removes what asyncwork made; see `commands::term_guard`.
    let _terminal = commands::term_guard::install();
    render::init_color(cli.color);
    let code = match &cli.command {
        Some(command) => dispatch(&cli, command),
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => menu(&cli),
        // Not a terminal: nobody to ask; the course and the next command to run.
        None => exit(commands::menu::outline(&cli.global())),
    };
    match render::output_failed() {
        // The reader went away (`| head`): what it wanted, it got.
        None | Some(std::io::ErrorKind::BrokenPipe) => code,
        Some(kind) => {
            let e = std::io::Error::from(kind);
            errln!(
                "{} cannot write the output: {e}",
                style("error:").red().bold()
            );
            ExitCode::FAILURE
        }
    }
}

/// The interactive menu: each choice runs as the command line it stands for, parsed here like
/// any other (with the global flags the menu was started with).
fn menu(cli: &Cli) -> ExitCode {
    let mut run_words = |words: Vec<String>| -> u8 {
        let mut argv: Vec<OsString> = vec!["asyncwork".into()];
        for (flag, value) in [("--lessons", &cli.lessons), ("--workbook", &cli.workbook)] {
            if let Some(value) = value {
                argv.extend([flag.into(), value.clone().into_os_string()]);
            }
        }
        argv.extend(words.into_iter().map(OsString::from));
        match Cli::try_parse_from(argv) {
            Ok(chosen) => match &chosen.command {
                Some(command) => exit_code(dispatch(&chosen, command)),
                None => 0,
            },
            Err(e) => {
                let _ = e.print();
                2
            }
        }
    };
    exit(commands::menu::run(&cli.global(), &mut run_words))
}

fn exit(result: anyhow::Result<Exit>) -> ExitCode {
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            errln!("{} {e:#}", style("error:").red().bold());
            ExitCode::FAILURE
        }
    }
}

/// The number behind an `ExitCode` made by [`dispatch`] (`ExitCode` hides it).
fn exit_code(code: ExitCode) -> u8 {
    if code == ExitCode::SUCCESS {
        0
    } else if code == ExitCode::from(Exit::Interrupted.code()) {
        Exit::Interrupted.code()
    } else {
        1
    }
}

fn dispatch(cli: &Cli, command: &Command) -> ExitCode {
    let g = cli.global();
    let result: anyhow::Result<Exit> = match command {
        Command::Lesson(cmd) => match cmd {
            LessonCommand::List(args) => commands::lesson::list::run(&g, args),
            LessonCommand::Show(args) => commands::lesson::show::run(&g, args),
            LessonCommand::Step(args) => commands::lesson::step::run(&g, args),
            LessonCommand::Run(args) => commands::lesson::run::run(&g, args),
            LessonCommand::Validate(args) => commands::lesson::validate::run(&g, args),
            LessonCommand::New(args) => commands::lesson::new::run(&g, args),
            LessonCommand::Guide(args) => commands::lesson::guide::run(&g, args),
        },
        Command::Init(args) => commands::init::run(&g, args),
        Command::Task(args) => commands::task::run(&g, args),
        Command::Check(args) => commands::check::run(&g, args),
        Command::Hint(args) => commands::hint::run(&g, args),
        Command::Reset(args) => commands::reset::run(&g, args),
        Command::Watch(args) => commands::watch::run(&g, args),
        Command::Progress(args) => commands::progress::run(&g, args),
        Command::WarmBuild(args) => commands::warm_build::run(&g, args),
        Command::Serve(args) => commands::serve::run(&g, args),
        Command::Completions(args) => commands::completions::run(&g, args, Cli::command()),
    };
    exit(result)
}
