//! `asyncwork watch`: re-check the current exercise on every save.
//!
//! In a terminal it is a screen, like rustlings' watch mode: each run clears the screen and
//! shows the result, a bar of the whole course and the path of the file to edit, then waits for
//! a save or a single key (no Enter): `n` next exercise, `h` a hint, `l` the list to jump to
//! another, `c` check them all, `x` reset this one (after a `y`), `q` quit, Enter check now. A
//! pass says "done", writes the reference solution to compare, and waits for `n`: the learner
//! chooses when to move on. Off a terminal (a script, CI, a test), nobody presses keys: a pass
//! moves on by itself, as before.
//!
//! File events come from `notify` (debounced). Some setups never deliver them (network drives,
//! editors on the host of a container, WSL paths): the current exercise's sources are also
//! hashed every second, and when a change shows up that no event announced, watch says so and
//! keeps going by polling. `--poll` polls from the start.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Result;
use console::{Key, Term};
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};

use super::check::{current_exercise, grade_options, solution_line};
use super::screen::{self, Input, Picked, Row};
use super::{Exit, Global};
use crate::course::Standing;
use crate::progress::{Progress, Status};
use crate::render::{self, grading as report, watch as words};
use crate::workbook::grade::{self, GradeOptions, Quiet};
use crate::workbook::{ExerciseInfo, Workbook, hints, reset, shadow};

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
    // A record that cannot be used is `check`'s rule too: grade, do not record, say so.
    let progress = match super::check::open_progress(&wb) {
        Ok(p) => p,
        Err(e) => {
            errln!("{}", render::check::record_unreadable(&format!("{e:#}")));
            Progress::open_in_memory()?
        }
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let Some(start) = g.exercise_or_current(&wb, None, Some(&progress))? else {
        outln!("{}", words::all_done());
        return Ok(Exit::Success);
    };
    let mut w = Watch {
        wb: &wb,
        progress: &progress,
        opts,
        interactive,
        current: start,
    };
    w.watch(args.poll)
}

const POLL_EVERY: Duration = Duration::from_secs(1);
/// A change the poll saw and no event announced within this long: events are not arriving.
const EVENT_GRACE: Duration = Duration::from_millis(1500);
/// How long one wait for a key lasts before file events are looked at again.
const KEY_TICK: Duration = Duration::from_millis(100);

fn hash_of(wb: &Workbook, ex: &ExerciseInfo) -> String {
    shadow::learner_sources(wb, &ex.name)
        .map(|s| shadow::source_hash(&ex.name, &s))
        .unwrap_or_default()
}

struct Watch<'a> {
    wb: &'a Workbook,
    progress: &'a Progress,
    opts: GradeOptions,
    interactive: bool,
    current: &'a ExerciseInfo,
}

/// What the main loop does after a key.
enum Then {
    Stay,
    Recheck { force: bool },
    Leave(Exit),
}

impl<'a> Watch<'a> {
    fn watch(&mut self, force_poll: bool) -> Result<Exit> {
        let catalogue = self.wb.catalogue();
        let (tx, rx) = mpsc::channel::<DebounceEventResult>();
        let mut polling = force_poll;
        let mut _debouncer = None;
        if !polling {
            match new_debouncer(Duration::from_millis(250), move |res| {
                let _ = tx.send(res);
            }) {
                Ok(mut d) => {
                    let mut ok = true;
                    for ex in &catalogue.exercises {
                        let dir = self.wb.exercise_dir(&ex.name);
                        if dir.exists()
                            && d.watcher().watch(&dir, RecursiveMode::Recursive).is_err()
                        {
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
                outln!("{}", words::no_file_events());
            }
        }

        let mut suspect: Option<Instant> = None;
        let mut last_poll = Instant::now();
        if self.show(&self.opts.clone())? && self.advance_by_itself()? {
            return Ok(Exit::Success);
        }
        let mut last_hash = hash_of(self.wb, self.current);
        loop {
            let wait = POLL_EVERY
                .saturating_sub(last_poll.elapsed())
                .max(Duration::from_millis(50));
            let mut recheck = None;
            if self.interactive {
                if let Some(input) = screen::key_within(wait.min(KEY_TICK)) {
                    match self.on_key(input)? {
                        Then::Stay => {}
                        Then::Recheck { force } => recheck = Some(force),
                        Then::Leave(exit) => return Ok(exit),
                    }
                    last_hash = hash_of(self.wb, self.current);
                }
            }
            let event = if self.interactive {
                rx.try_recv().map_err(|e| match e {
                    mpsc::TryRecvError::Empty => mpsc::RecvTimeoutError::Timeout,
                    mpsc::TryRecvError::Disconnected => mpsc::RecvTimeoutError::Disconnected,
                })
            } else {
                rx.recv_timeout(wait)
            };
            match event {
                Ok(Ok(events)) => {
                    let dir = self.wb.exercise_dir(&self.current.name);
                    if events.iter().any(|e| e.path.starts_with(&dir)) {
                        suspect = None;
                        let h = hash_of(self.wb, self.current);
                        if h != last_hash {
                            last_hash = h;
                            recheck.get_or_insert(false);
                        }
                    }
                }
                Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // No watcher: poll only.
                    polling = true;
                    if !self.interactive {
                        std::thread::sleep(wait);
                    }
                }
            }
            if last_poll.elapsed() >= POLL_EVERY {
                last_poll = Instant::now();
                let h = hash_of(self.wb, self.current);
                if h != last_hash {
                    if polling {
                        last_hash = h;
                        recheck.get_or_insert(false);
                    } else {
                        let since = *suspect.get_or_insert_with(Instant::now);
                        if since.elapsed() >= EVENT_GRACE {
                            polling = true;
                            suspect = None;
                            outln!("\n{}", words::events_not_arriving());
                            last_hash = h;
                            recheck.get_or_insert(false);
                        }
                    }
                }
            }
            if let Some(force) = recheck {
                let opts = GradeOptions {
                    use_record: self.opts.use_record && !force,
                    ..self.opts.clone()
                };
                if self.show(&opts)? && self.advance_by_itself()? {
                    return Ok(Exit::Success);
                }
                last_hash = hash_of(self.wb, self.current);
            }
        }
    }

    /// One key, in a terminal.
    fn on_key(&mut self, input: Input) -> Result<Then> {
        let key = match input {
            Input::Interrupt => {
                outln!();
                return Ok(Then::Leave(Exit::Interrupted));
            }
            Input::Key(k) => k,
        };
        Ok(match key {
            Key::Char('q') | Key::Escape => {
                outln!();
                Then::Leave(Exit::Success)
            }
            Key::Char('n') => match self.next_after_current()? {
                Some(next) => {
                    self.current = next;
                    Then::Recheck { force: false }
                }
                None => {
                    outln!("\n{}", words::all_done_q_quits());
                    Then::Stay
                }
            },
            Key::Char('h') => {
                let view = hints::next_hint(self.progress, self.current)?;
                out!(
                    "\n{}",
                    crate::render::hints::render(&view, &self.current.name)
                );
                outln!("{}", words::keys());
                Then::Stay
            }
            Key::Char('l') => {
                if let Some(ex) = self.pick_exercise()? {
                    self.current = ex;
                }
                Then::Recheck { force: false }
            }
            Key::Char('c') => {
                self.check_all()?;
                Then::Stay
            }
            Key::Char('x') => {
                if self.confirm_reset()? {
                    Then::Recheck { force: false }
                } else {
                    outln!("{}", crate::render::workbook::nothing_changed());
                    outln!("{}", words::keys());
                    Then::Stay
                }
            }
            Key::Enter => Then::Recheck { force: true },
            _ => {
                outln!("{}", words::keys());
                Then::Stay
            }
        })
    }

    /// The next exercise not done after the current one, in course order (wrapping round).
    fn next_after_current(&self) -> Result<Option<&'a ExerciseInfo>> {
        let catalogue = self.wb.catalogue();
        let standing = Standing::read(catalogue, Some(self.progress))?;
        let all = &catalogue.exercises;
        let at = all
            .iter()
            .position(|e| e.name == self.current.name)
            .unwrap_or(0);
        Ok((1..=all.len())
            .map(|k| &all[(at + k) % all.len()])
            .find(|e| standing.get(&e.name) != Status::Done))
    }

    /// `l`: every exercise with its status; Enter jumps to one.
    fn pick_exercise(&self) -> Result<Option<&'a ExerciseInfo>> {
        let catalogue = self.wb.catalogue();
        let standing = Standing::read(catalogue, Some(self.progress))?;
        let rows: Vec<Row> = catalogue
            .exercises
            .iter()
            .map(|e| {
                Row::item(
                    words::exercise_label(standing.get(&e.name), &e.name),
                    e.title.clone(),
                )
            })
            .collect();
        let at = catalogue
            .exercises
            .iter()
            .position(|e| e.name == self.current.name)
            .unwrap_or(0);
        let header = words::pick_header();
        Ok(match screen::pick(&Term::stdout(), &header, &rows, at) {
            Picked::Row(i) => catalogue.exercises.get(i),
            Picked::Quit | Picked::Interrupted => None,
        })
    }

    /// `c`: grade every exercise, then the table and the one count.
    fn check_all(&self) -> Result<()> {
        let catalogue = self.wb.catalogue();
        let all: Vec<&ExerciseInfo> = catalogue.exercises.iter().collect();
        outln!("\n{}", words::checking_all(all.len()));
        let reports = grade::grade(self.wb, &all, &self.opts, Some(self.progress), &Quiet)?;
        out!("{}", report::summary_table(&reports, render::width()));
        outln!(
            "Your course: {}.",
            Standing::read(catalogue, Some(self.progress))?.counts()
        );
        outln!("{}", words::keys());
        Ok(())
    }

    /// `x`: reset the current exercise after a `y`.
    fn confirm_reset(&self) -> Result<bool> {
        out!("{}", words::reset_question(&self.current.name));
        let answer = loop {
            if let Some(input) = screen::key_within(Duration::from_secs(60)) {
                break input;
            }
        };
        outln!();
        if answer != Input::Key(Key::Char('y')) {
            return Ok(false);
        }
        reset::reset_exercise(self.wb, &self.current.name)?;
        self.progress.record_reset(&self.current.name)?;
        Ok(true)
    }

    /// Grade the current exercise and show it; true when it passed.
    fn show(&self, opts: &GradeOptions) -> Result<bool> {
        let ex = self.current;
        if self.interactive {
            screen::clear(&Term::stdout());
        }
        outln!("{}", words::checking(&ex.name));
        let reports = grade::grade(self.wb, &[ex], opts, Some(self.progress), &Quiet)?;
        let r = &reports[0];
        if self.interactive {
            screen::clear(&Term::stdout());
        }
        out!("{}", report::human(r));
        let lib = self
            .wb
            .display_rel(&self.wb.exercise_dir(&ex.name).join("src/lib.rs"));
        if r.passed() {
            if self.interactive {
                outln!("\n{}", words::exercise_done(&ex.name));
                if let Some(line) = solution_line(self.wb, &ex.name) {
                    out!("{}", render::wrap(&line, render::width(), "", "  "));
                }
                match self.next_after_current()? {
                    Some(next) => out!(
                        "{}",
                        words::press_n_for_next(&next.name, &next.title, render::width())
                    ),
                    None => outln!("{}", render::check::last_one()),
                }
            }
        } else {
            // Hints are given when asked for (`h`): say which one, show and count none.
            if let Some(offer) = hints::offer_after_failure(self.progress, ex, &r.failing_tests())?
            {
                let ask = if self.interactive {
                    render::hints::Ask::Key
                } else {
                    render::hints::Ask::Command(&ex.name)
                };
                out!("\n{}", render::hints::offer(&offer, ask, render::width()));
            }
            out!(
                "\n{}",
                render::wrap(
                    &format!("Edit {lib} and save: it is checked again."),
                    render::width(),
                    "",
                    ""
                )
            );
        }
        if self.interactive {
            out!("{}", self.footer(&lib, r)?);
        }
        Ok(r.passed())
    }

    /// Under every run: the verdict again (a long report scrolls its first line away), the
    /// course's bar, the file to edit, the keys.
    fn footer(&self, lib: &str, r: &crate::workbook::report::ExerciseReport) -> Result<String> {
        let counts = Standing::read(self.wb.catalogue(), Some(self.progress))?.counts();
        Ok(words::footer(
            &self.current.name,
            r.passed(),
            &r.message,
            &counts,
            lib,
            render::width(),
        ))
    }

    /// Off a terminal, a pass moves on by itself to the next exercise not done (nobody is there
    /// to press `n`). True when none is left. In a terminal, the learner moves on with `n`.
    fn advance_by_itself(&mut self) -> Result<bool> {
        if self.interactive {
            return Ok(false);
        }
        loop {
            match current_exercise(self.wb.catalogue(), Some(self.progress))? {
                None => {
                    outln!("\n{}", words::all_done_well_played());
                    return Ok(true);
                }
                Some(next) => {
                    outln!(
                        "\n{}",
                        words::passes_next(&self.current.name, &next.name, &next.title)
                    );
                    self.current = next;
                    if !self.show(&self.opts.clone())? {
                        return Ok(false);
                    }
                }
            }
        }
    }
}
