//! `asyncwork lesson step ID`: a lesson one section per screen, the section's demo run in place.
//!
//! Each screen is cleared and shows one section: its prose and its Python | Rust code, a page
//! at a time when it is taller than the terminal, so the heading is never scrolled away unread.
//! On a section's last page `d` runs its demo in place (it starts on the key, not by itself: a
//! demo that started at once would scroll the prose away before it was read). Enter or → goes
//! on (a page, then a screen), ← back, `q` leaves; the last screen offers the exercise (its
//! task, a check, a hint) and the next lesson. Keys are single presses read raw, so Ctrl-C is a
//! key too: the screen leaves with exit code 130 and the cursor visible.
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
                        Keys: Enter or → next (page, then screen) · ← back · d run the section's demo · q leave")]
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
    // Where the learner is: the screen (a section, then the last screen) and its page.
    let (mut at, mut page) = (0, 0);
    // `false` right after a demo ran: its output is on screen, under the section's page, until
    // the next key, so the page is not drawn over it.
    let mut redraw = true;
    // After a key that does nothing the screen stays as it is, its keys line too.
    let mut ignored = false;
    // t/c/h on the last screen: only for a written exercise, and inside a workbook (outside
    // one, `task`, `check` and `hint` have nothing to read; the screen says `init` instead).
    let exercise_keys =
        lesson.main_exercise().is_some_and(|e| !e.planned) && g.find_workbook().is_ok();
    loop {
        let (rows, cols) = term.size();
        let width = usize::from(cols).max(20);
        let demo = lesson.sections.get(at).is_some_and(|s| s.demo.is_some());
        let text = match lesson.sections.get(at) {
            Some(section) => render::lesson::section_text(section, width),
            None => last_screen(lesson, g, next.as_deref(), width),
        };
        // The title, the page, and the keys line (with its blank line above) fit the terminal:
        // a screen taller than that is shown a page at a time. The keys line is measured as
        // it would be with a page count, the longer of the two.
        let head = title(lesson, at, screens, width);
        let keys_rows = rows_of(&keys_line(at, screens, (0, 2), demo, exercise_keys), width);
        let room = usize::from(rows).saturating_sub(rows_of(&head, width) + keys_rows);
        let pages = paginate(&text, room.max(5));
        page = page.min(pages.len() - 1);
        if redraw {
            screen::clear(&term);
            emit(&head);
            emit(pages[page]);
        }
        redraw = true;
        let last_page = page + 1 == pages.len();
        if !ignored {
            emit(&keys_line(
                at,
                screens,
                (page, pages.len()),
                demo && last_page,
                exercise_keys,
            ));
        }
        ignored = false;
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
            Input::Key(Key::Enter | Key::ArrowRight | Key::Char(' ' | 'n') | Key::PageDown) => {
                if !last_page {
                    page += 1;
                } else if at + 1 < screens {
                    (at, page) = (at + 1, 0);
                }
            }
            Input::Key(Key::ArrowLeft | Key::Backspace | Key::Char('b' | 'p') | Key::PageUp) => {
                if page > 0 {
                    page -= 1;
                } else if at > 0 {
                    // The previous screen from its last page, as a pager goes back.
                    (at, page) = (at - 1, usize::MAX);
                }
            }
            // The demo starts on a key, once its section has been read: run in place, below
            // the section's title line, its output left on screen until the next key.
            Input::Key(Key::Char('d')) if demo && last_page => {
                screen::clear(&term);
                emit(&title(lesson, at, screens, width));
                demo_of(&mut watched, parsed, at, args.speed)?;
                redraw = false;
            }
            Input::Key(Key::Char(c @ ('t' | 'c' | 'h'))) if exercise_keys && at + 1 == screens => {
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
            Input::Key(_) => (redraw, ignored) = (false, true),
        }
    }
}

/// How many terminal rows `text` takes at `width` columns (a long line wraps).
fn rows_of(text: &str, width: usize) -> usize {
    text.trim_end_matches('\n')
        .split('\n')
        .map(|line| console::measure_text_width(line).div_ceil(width).max(1))
        .sum()
}

/// `text` cut into pages of at most `rows` lines (at least one page), each page whole lines.
fn paginate(text: &str, rows: usize) -> Vec<&str> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut lines = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            lines += 1;
            if lines == rows {
                pages.push(&text[start..=i]);
                (start, lines) = (i + 1, 0);
            }
        }
    }
    if start < text.len() || pages.is_empty() {
        pages.push(&text[start..]);
    }
    pages
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

/// The bottom line: where the learner is, and the keys. At the bottom because a demo's output
/// can be taller than the terminal, and this line must stay in sight. `page` is the page shown
/// and how many the screen has; `demo`: the demo can be run from here.
/// `exercise`: offer t/c/h on the last screen (a written exercise, inside a workbook).
fn keys_line(
    at: usize,
    screens: usize,
    (page, pages): (usize, usize),
    demo: bool,
    exercise: bool,
) -> String {
    let mut position = format!("screen {} of {screens}", at + 1);
    if pages > 1 {
        position.push_str(&format!(", page {} of {pages}", page + 1));
    }
    let mut keys = vec![position.as_str()];
    if page + 1 < pages {
        keys.push("Enter/→ more");
    } else if at + 1 < screens {
        keys.push("Enter/→ next");
    }
    if at > 0 || page > 0 {
        keys.push("← back");
    }
    if demo {
        keys.push("d run the demo");
    }
    if exercise && at + 1 == screens {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25, defect 10: the last screen offers t/c/h only when they can work (a written
    /// exercise inside a workbook); the other screens never do.
    #[test]
    fn the_exercise_keys_only_where_they_work() {
        console::set_colors_enabled(false);
        let last = keys_line(4, 5, (0, 1), false, true);
        assert!(last.contains(EXERCISE_KEYS), "{last}");
        let outside = keys_line(4, 5, (0, 1), false, false);
        assert!(!outside.contains("c check"), "{outside}");
        assert!(outside.contains("q leave"), "{outside}");
        let first = keys_line(0, 5, (0, 1), false, true);
        assert!(!first.contains(EXERCISE_KEYS), "{first}");
    }
}
