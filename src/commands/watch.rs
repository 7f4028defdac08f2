//! `asyncwork watch`: re-check the current exercise on every save, move on when it passes.
//!
//! File events come from `notify` (debounced). Some setups never deliver them (network drives,
//! editors on the host of a container, WSL paths): the current exercise's sources are also
//! hashed every second, and when a change shows up that no event announced, watch says so and
//! keeps going by polling. `--poll` polls from the start.

use std::io::{BufRead, IsTerminal};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use console::style;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};

use super::check::{current_exercise, grade_options};
use super::{Exit, Global};
use crate::progress::Progress;
use crate::render::grading as report;
use crate::workbook::grade::{self, GradeOptions, Quiet};
use crate::workbook::{ExerciseInfo, Workbook, hints, shadow};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Poll for changes instead of waiting for file events (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Stop a test program after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0, value_parser = super::parse_seconds)]
    pub timeout: f64,
}

pub fn run(g: &Global, args: &Args) -> Result<Exit> {
    let wb = g.find_workbook()?;
    let opts = grade_options(args.timeout, None, false)?;
    watch(&wb, &opts, args.poll)
}

enum Msg {
    Fs(DebounceEventResult),
    Key(String),
}

const POLL_EVERY: Duration = Duration::from_secs(1);
/// A change the poll saw and no event announced within this long: events are not arriving.
const EVENT_GRACE: Duration = Duration::from_millis(1500);

fn hash_of(wb: &Workbook, ex: &ExerciseInfo) -> String {
    shadow::learner_sources(wb, &ex.name)
        .map(|s| shadow::source_hash(&ex.name, &s))
        .unwrap_or_default()
}

fn watch(wb: &Workbook, opts: &GradeOptions, force_poll: bool) -> Result<Exit> {
    let progress = Progress::open(&wb.progress_path())?;
    let catalogue = wb.catalogue();
    let (tx, rx) = mpsc::channel::<Msg>();

    let mut polling = force_poll;
    let mut _debouncer = None;
    if !polling {
        let fs_tx = tx.clone();
        match new_debouncer(Duration::from_millis(250), move |res| {
            let _ = fs_tx.send(Msg::Fs(res));
        }) {
            Ok(mut d) => {
                let mut ok = true;
                for ex in &catalogue.exercises {
                    let dir = wb.exercise_dir(&ex.name);
                    if dir.exists() && d.watcher().watch(&dir, RecursiveMode::Recursive).is_err() {
                        ok = false;
                    }
                }
                if ok {
                    _debouncer = Some(d);
                } else {
                    polling = true;
                }
            }
            Err(_) => polling = true,
        }
        if polling {
            outln!(
                "{}",
                style(
                    "File events are not available here; checking for changes every second instead."
                )
                .yellow()
            );
        }
    }

    if std::io::stdin().is_terminal() {
        let key_tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if key_tx.send(Msg::Key(line.trim().to_lowercase())).is_err() {
                    break;
                }
            }
            let _ = key_tx.send(Msg::Key("q".into()));
        });
    }
    drop(tx);

    let Some(mut current) = current_exercise(catalogue, Some(&progress))? else {
        outln!("{} Every exercise is done.", style("✓").green().bold());
        return Ok(Exit::Success);
    };
    let mut last_hash = hash_of(wb, current);
    let mut suspect: Option<Instant> = None;
    let mut last_poll = Instant::now();
    if check_and_show(wb, current, opts, &progress)? {
        match advance(wb, &progress, opts, &mut current)? {
            true => return Ok(Exit::Success),
            false => last_hash = hash_of(wb, current),
        }
    }
    loop {
        let msg = rx.recv_timeout(
            POLL_EVERY
                .saturating_sub(last_poll.elapsed())
                .max(Duration::from_millis(50)),
        );
        let mut recheck = false;
        match msg {
            Ok(Msg::Fs(Ok(events))) => {
                let dir = wb.exercise_dir(&current.name);
                if events.iter().any(|e| e.path.starts_with(&dir)) {
                    suspect = None;
                    let h = hash_of(wb, current);
                    if h != last_hash {
                        last_hash = h;
                        recheck = true;
                    }
                }
            }
            Ok(Msg::Fs(Err(_))) => {}
            Ok(Msg::Key(k)) => match k.as_str() {
                "q" | "quit" | "exit" => return Ok(Exit::Failure),
                "h" | "hint" => {
                    let view = hints::next_hint(&progress, current)?;
                    out!("\n{}", crate::render::hints::render(&view, &current.name));
                    print_keys();
                }
                "" | "c" | "check" => {
                    let passed = check_and_show(
                        wb,
                        current,
                        &GradeOptions {
                            use_record: false,
                            ..opts.clone()
                        },
                        &progress,
                    )?;
                    if passed && advance(wb, &progress, opts, &mut current)? {
                        return Ok(Exit::Success);
                    }
                    last_hash = hash_of(wb, current);
                }
                _ => print_keys(),
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // No watcher and no keyboard: poll only.
                polling = true;
                std::thread::sleep(POLL_EVERY);
            }
        }
        if last_poll.elapsed() >= POLL_EVERY {
            last_poll = Instant::now();
            let h = hash_of(wb, current);
            if h != last_hash {
                if polling {
                    last_hash = h;
                    recheck = true;
                } else {
                    let since = *suspect.get_or_insert_with(Instant::now);
                    if since.elapsed() >= EVENT_GRACE {
                        polling = true;
                        suspect = None;
                        outln!(
                            "\n{}",
                            style("File change events are not arriving (a network drive, a container or WSL path?); checking for changes every second instead.").yellow()
                        );
                        last_hash = h;
                        recheck = true;
                    }
                }
            }
        }
        if recheck {
            if check_and_show(wb, current, opts, &progress)?
                && advance(wb, &progress, opts, &mut current)?
            {
                return Ok(Exit::Success);
            }
            last_hash = hash_of(wb, current);
        }
    }
}

fn print_keys() {
    outln!(
        "{}",
        style("Watching for saves. Keys (then Enter): h hint · c check now · q quit").dim()
    );
}

/// Grade and show; true when it passed.
fn check_and_show(
    wb: &Workbook,
    ex: &ExerciseInfo,
    opts: &GradeOptions,
    progress: &Progress,
) -> Result<bool> {
    show(wb, ex, opts, progress, true)
}

fn show(
    wb: &Workbook,
    ex: &ExerciseInfo,
    opts: &GradeOptions,
    progress: &Progress,
    clear: bool,
) -> Result<bool> {
    if clear && std::io::stdout().is_terminal() {
        let _ = console::Term::stdout().clear_screen();
    }
    outln!("{}", style(format!("checking {}…", ex.name)).dim());
    let reports = grade::grade(wb, &[ex], opts, Some(progress), &Quiet)?;
    let r = &reports[0];
    out!("{}", report::human(r));
    if !r.passed() {
        if let Some((n, total, text)) = hints::hint_after_failure(progress, ex)? {
            out!(
                "
{}",
                crate::render::hints::hint_line(n, total, &text, crate::render::width())
            );
        }
        outln!(
            "\nEdit {} and save: it is checked again.",
            wb.display_rel(&wb.exercise_dir(&ex.name).join("src/lib.rs"))
        );
        print_keys();
    }
    Ok(r.passed())
}

/// Move to the next exercise not done; true when there is none left.
fn advance<'a>(
    wb: &'a Workbook,
    progress: &Progress,
    opts: &GradeOptions,
    current: &mut &'a ExerciseInfo,
) -> Result<bool> {
    loop {
        match current_exercise(wb.catalogue(), Some(progress))? {
            None => {
                outln!(
                    "\n{} Every exercise is done. Well played.",
                    style("✓").green().bold()
                );
                return Ok(true);
            }
            Some(next) => {
                outln!(
                    "\n{} {} passes. Next: {} ({})\n",
                    style("✓").green().bold(),
                    current.name,
                    next.name,
                    next.title
                );
                *current = next;
                if !show(wb, next, opts, progress, false)? {
                    return Ok(false);
                }
            }
        }
    }
}
