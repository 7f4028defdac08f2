//! `asyncwork lesson step ID`: a lesson one section per screen, the section's demo run in place.
//!
//! Each screen is cleared and shows one section: its prose, its Python | Rust code, and, when
//! the section names a demo, that demo running live below it (the first time the screen is
//! shown; `d` runs it again). Enter or → goes on, ← back, `q` leaves; the last screen offers the
//! exercise (its task, a check, a hint) and the next lesson. Keys are single presses read raw, so
//! Ctrl-C is a key too: the screen leaves with exit code 130 and the cursor visible.
//!
//! `lesson show` is the alternative for reading it all at once (or on a page); stepping is for a
//! first reading, where a wall of text and a scrolled-away demo are what lose a learner.

use console::{Key, Term};

use super::run::OnScreen;
use super::{find, load};
use crate::commands::screen::{self, HiddenCursor, Input};
use crate::commands::{Exit, Global, Watched};
use crate::demo::interrupt::Interrupt;
use crate::demo::runner::RunOptions;
use crate::lesson::Lesson;
use crate::lesson::parse::ParsedLesson;
use crate::lesson::play::Play;
use crate::render::{self, emit};

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  asyncwork lesson step gather\n\n\
                        Keys: Enter or → next · ← back · d run the demo again · q leave")]
pub struct Args {
    /// The lesson id (see `asyncwork lesson list`)
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::lesson_ids))]
    pub id: String,
    /// Demo playback speed factor, as for `lesson run` (5 runs five times faster, 0.1 ten times slower)
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = super::run::parse_speed)]
    pub speed: f64,
}

/// What the learner can do on the last screen.
const EXERCISE_KEYS: &str = "t the task · c check it · h a hint";

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let (_, catalogue) = load(g.lessons())?;
    let parsed = find(&catalogue, &args.id)?;
    let lesson = &parsed.lesson;
    let term = Term::stdout();
    if !term.is_term() {
        anyhow::bail!(
            "`lesson step` shows one screen at a time and needs a terminal; \
             `asyncwork lesson show {}` prints the whole lesson",
            lesson.id
        );
    }
    let next = catalogue.next_after(lesson).map(|l| l.id.clone());
    let mut watched = g.watched(&lesson.id);
    let screens = lesson.sections.len() + 1;
    let mut at = 0;
    // Demos already run on their screen: going back does not run them again unasked.
    let mut ran = vec![false; screens];
    loop {
        let width = usize::from(term.size().1).max(20);
        screen::clear(&term);
        emit(&title(lesson, at, screens, width));
        let mut run_demo = false;
        if let Some(section) = lesson.sections.get(at) {
            emit(&render::lesson::section_text(section, width));
            run_demo = section.demo_names().next().is_some() && !ran[at];
        } else {
            emit(&last_screen(lesson, g, next.as_deref(), width));
        }
        if run_demo {
            ran[at] = true;
            demo_of(&mut watched, parsed, at, args.speed)?;
        }
        let demo = lesson.sections.get(at).is_some_and(|s| s.demo.is_some());
        emit(&keys_line(at, screens, demo));
        let _cursor = HiddenCursor::new(&term);
        let input = screen::key(&term);
        drop(_cursor);
        match input {
            Input::Interrupt => {
                emit("\n");
                return Ok(Exit::Interrupted);
            }
            Input::Key(Key::Char('q') | Key::Escape) => {
                emit("\n");
                return Ok(Exit::Success);
            }
            Input::Key(Key::Enter | Key::ArrowRight | Key::Char(' ' | 'n')) => {
                if at + 1 < screens {
                    at += 1;
                }
            }
            Input::Key(Key::ArrowLeft | Key::Backspace | Key::Char('b' | 'p')) => {
                at = at.saturating_sub(1);
            }
            Input::Key(Key::Char('d')) if demo => ran[at] = false,
            Input::Key(Key::Char(c @ ('t' | 'c' | 'h'))) if at + 1 == screens => {
                if let Some(ex) = lesson.main_exercise().filter(|e| !e.planned) {
                    screen::clear(&term);
                    let exit = exercise_command(g, c, &ex.name)?;
                    if exit == Exit::Interrupted
                        || !screen::any_key(&term, "\nPress any key to go back to the lesson ")
                    {
                        return Ok(Exit::Interrupted);
                    }
                }
            }
            Input::Key(_) => {}
        }
    }
}

fn title(lesson: &Lesson, at: usize, screens: usize, width: usize) -> String {
    render::lesson::step_title(lesson, at, screens, width)
}

/// Run the demos of section `at` in place, noting each as watched when it ran to its end; a
/// Ctrl-C stops the rest of them.
fn demo_of(
    watched: &mut Watched,
    parsed: &ParsedLesson,
    at: usize,
    speed: f64,
) -> anyhow::Result<()> {
    let lesson = &parsed.lesson;
    let specs: Vec<_> = lesson.sections[at]
        .demo_names()
        .filter_map(|name| lesson.demos.iter().find(|d| d.name == name))
        .collect();
    let play = Play {
        options: RunOptions {
            speed,
            interrupt: Some(Interrupt::ctrl_c()),
        },
        python: None,
    };
    play.run(
        parsed,
        &specs,
        &mut OnScreen::for_step(speed),
        &mut [watched],
    )?;
    Ok(())
}

/// The bottom line: where the learner is, and the keys. At the bottom because a section with
/// its demo can be taller than the terminal, and this line must stay in sight.
fn keys_line(at: usize, screens: usize, demo: bool) -> String {
    let position = format!("screen {} of {screens}", at + 1);
    let mut keys = vec![position.as_str()];
    if at + 1 < screens {
        keys.push("Enter/→ next");
    }
    if at > 0 {
        keys.push("← back");
    }
    if demo {
        keys.push("d run the demo again");
    }
    if at + 1 == screens {
        keys.push(EXERCISE_KEYS);
    }
    keys.push("q leave");
    render::lesson::step_keys(&keys)
}

/// The last screen: what the lesson led to, and the exercise.
fn last_screen(lesson: &Lesson, g: &Global, next: Option<&str>, width: usize) -> String {
    let mut out = render::lesson::lesson_finished(lesson);
    out.push_str(&render::lesson::hints(lesson, width));
    match lesson.main_exercise() {
        Some(ex) if !ex.planned => {
            let have_workbook = g.find_workbook().is_ok();
            let text = if have_workbook {
                format!(
                    "Now the exercise {}: t prints its task, c checks your code, h gives a hint.",
                    ex.name
                )
            } else {
                format!(
                    "Now the exercise {}: first write the workbook with `asyncwork init`.",
                    ex.name
                )
            };
            out.push_str(&render::wrap(&text, width, "", ""));
        }
        Some(ex) => out.push_str(&render::wrap(
            &format!("Its exercise, {}, is planned: not written yet.", ex.name),
            width,
            "",
            "",
        )),
        None => {}
    }
    if let Some(next) = next {
        out.push_str(&render::lesson::next_lesson(next));
    }
    out
}

/// `t`, `c` or `h` on the last screen: the command a learner would type.
fn exercise_command(g: &Global, key: char, exercise: &str) -> anyhow::Result<Exit> {
    let name = Some(exercise.to_string());
    let result = match key {
        't' => crate::commands::task::run(g, &crate::commands::task::Args { exercise: name }),
        'h' => crate::commands::hint::run(g, &crate::commands::hint::Args { exercise: name }),
        _ => crate::commands::check::run(g, &crate::commands::check::Args::for_exercise(exercise)),
    };
    // An error (no workbook) is shown on this screen, not the end of the lesson.
    result.or_else(|e| {
        emit(&render::marks::error(&format!("{e:#}\n")));
        Ok(Exit::Failure)
    })
}
