//! `asyncwork` with no command: the course, and the next step highlighted.
//!
//! In a terminal, a menu: what to do next (step through the next lesson, watch its demos, read
//! the exercise's task, check, hint, watch mode, progress), then every lesson in order with the
//! learner's mark (· not started, ◔ demos watched, ◐ exercise attempted, ✓ done). Off a
//! terminal (a pipe, CI), the same course as an outline with the next command, exit 0.
//!
//! The menu only chooses; it never does the work itself. Each choice becomes the command line a
//! learner could have typed (`lesson step gather`, `check 03_gather`), which `main.rs` parses and
//! dispatches like any other (the `dispatch` callback). So the menu cannot drift from the
//! commands, and it teaches them: the command is printed before it runs, and shown beside each
//! entry when the terminal is wide enough.

use console::Term;

use super::screen::{self, Picked, Row};
use super::{Exit, Global};
use crate::course::{Course, LessonStanding, NextStep};
use crate::render::menu::mark;
use crate::render::{self, plural};

/// An entry: what it says, the command it runs, and whether to wait for a key afterwards (not
/// for the screens that are interactive themselves: they end when the learner leaves them).
struct Action {
    label: String,
    words: Vec<String>,
    pause: bool,
}

fn action(label: String, words: &[&str], pause: bool) -> Action {
    Action {
        label,
        words: words.iter().map(|w| w.to_string()).collect(),
        pause,
    }
}

/// The entries for one lesson, in the order a learner takes them.
fn lesson_actions(course: &Course, lesson: &LessonStanding) -> Vec<Action> {
    let id = lesson.id.as_str();
    let mut actions = vec![action(
        format!(
            "Step through lesson {}, a screen at a time",
            lesson.position
        ),
        &["lesson", "step", id],
        false,
    )];
    if !lesson.demos.is_empty() {
        actions.push(action(
            format!("Watch its {} live", plural(lesson.demos.len(), "demo")),
            &["lesson", "run", id],
            true,
        ));
    }
    actions.push(action(
        "Read the whole lesson".into(),
        &["lesson", "show", id],
        true,
    ));
    match (&lesson.exercise, course.has_workbook) {
        (Some((ex, _)), true) => {
            actions.push(action(
                format!("Read the task of exercise {ex}"),
                &["task", ex],
                true,
            ));
            actions.push(action(format!("Check {ex}"), &["check", ex], true));
            actions.push(action(format!("A hint for {ex}"), &["hint", ex], true));
        }
        (Some(_), false) => actions.push(action(
            "Write the exercise workbook (init)".into(),
            &["init"],
            true,
        )),
        (None, _) => {}
    }
    actions
}

/// The entries that are not about one lesson.
fn course_actions(course: &Course) -> Vec<Action> {
    let mut actions = Vec::new();
    if course.has_workbook {
        actions.push(action(
            "Watch mode: check on every save".into(),
            &["watch"],
            false,
        ));
        actions.push(action("My progress".into(), &["progress"], true));
    }
    actions
}

/// Which entry the next step is.
fn default_entry(actions: &[Action], next: &NextStep) -> usize {
    let wanted = next.command();
    actions
        .iter()
        .position(|a| format!("asyncwork {}", a.words.join(" ")) == wanted)
        .unwrap_or(0)
}

fn lesson_row(lesson: &LessonStanding, next: bool) -> Row {
    Row::item(render::menu::lesson_label(lesson, next), lesson.id.clone())
}

/// The menu, until the learner quits. `dispatch` runs a command line (without `asyncwork`) and
/// returns its exit code.
pub fn run(g: &Global, dispatch: &mut dyn FnMut(Vec<String>) -> u8) -> anyhow::Result<Exit> {
    let term = Term::stderr();
    // A lesson picked from the course list: its own entries until Back.
    let mut focus: Option<String> = None;
    loop {
        let (source, course) = g.course()?;
        let width = usize::from(term.size().1).max(20);
        let mut text = render::menu::header(&source, &course, width);
        if course.lessons.is_empty() {
            text.push_str(&super::lesson::empty_course_help(&source));
            text.push('\n');
            screen::write(&term, &text);
            return Ok(Exit::Success);
        }
        let next = course.next_lesson().map(|l| l.id.clone());
        let focused = focus
            .as_ref()
            .and_then(|id| course.lessons.iter().find(|l| &l.id == id));
        let shown = focused.or(course.next_lesson());
        let mut rows = Vec::new();
        let mut actions = Vec::new();
        if let Some(lesson) = shown {
            let title = if focused.is_some() {
                format!("Lesson {}: {}", lesson.position, lesson.title)
            } else {
                format!("Next: lesson {}, {}", lesson.position, lesson.title)
            };
            rows.push(Row::heading(render::menu::heading(&title)));
            actions = lesson_actions(&course, lesson);
        } else {
            rows.push(Row::heading(render::menu::all_lessons_done()));
        }
        if focused.is_none() {
            actions.extend(course_actions(&course));
        }
        let default = if focused.is_some() {
            0
        } else {
            default_entry(&actions, &course.next_step())
        };
        for a in &actions {
            rows.push(Row::item(
                a.label.clone(),
                format!("asyncwork {}", a.words.join(" ")),
            ));
        }
        let back_or_quit = rows.len();
        rows.push(Row::item(
            if focused.is_some() {
                "← Back to the course"
            } else {
                "Quit"
            },
            "",
        ));
        rows.push(Row::heading(String::new()));
        rows.push(Row::heading(render::menu::course_heading()));
        rows.push(Row::heading(render::menu::legend()));
        let first_lesson = rows.len();
        for l in &course.lessons {
            rows.push(lesson_row(l, Some(&l.id) == next.as_ref()));
        }
        let picked = screen::pick(&term, &text, &rows, 1 + default);
        match picked {
            Picked::Interrupted => return Ok(Exit::Interrupted),
            Picked::Quit if focused.is_some() => focus = None,
            Picked::Quit => return Ok(Exit::Success),
            Picked::Row(i) if i == back_or_quit => {
                if focused.is_some() {
                    focus = None;
                } else {
                    return Ok(Exit::Success);
                }
            }
            Picked::Row(i) if i >= first_lesson => {
                focus = Some(course.lessons[i - first_lesson].id.clone());
            }
            Picked::Row(i) => {
                let Some(a) = actions.get(i - 1) else {
                    continue;
                };
                screen::clear(&term);
                screen::write(&term, &render::menu::command_line(&a.words));
                let code = dispatch(a.words.clone());
                if code == Exit::Interrupted.code() {
                    // Ctrl-C in the command: back to the menu, not out of asyncwork.
                    screen::write(&term, "\n");
                }
                if a.pause && !screen::any_key(&term, "\nPress any key for the menu ") {
                    return Ok(Exit::Interrupted);
                }
            }
        }
    }
}

/// Off a terminal: the course as an outline with marks, and the next command to run.
pub fn outline(g: &Global) -> anyhow::Result<Exit> {
    let width = render::width();
    let (source, course) = g.course()?;
    let mut out = format!(
        "{}\n",
        render::wrap(
            &format!("asyncwork: the course ({source})"),
            width,
            "",
            "  "
        )
        .trim_end()
    );
    if course.lessons.is_empty() {
        outln!("{out}{}", super::lesson::empty_course_help(&source));
        return Ok(Exit::Success);
    }
    out.push('\n');
    for l in &course.lessons {
        out.push_str(&render::wrap(
            &format!("{} {:>2}  {}", mark(l.mark), l.position, l.title),
            width,
            "",
            "       ",
        ));
        let mut facts = vec![l.id.clone()];
        if !l.demos.is_empty() {
            facts.push(format!(
                "{}, {} watched",
                plural(l.demos.len(), "demo"),
                l.watched
            ));
        }
        if let Some((ex, status)) = &l.exercise {
            facts.push(if course.has_workbook {
                format!("{ex} {}", status.label())
            } else {
                ex.clone()
            });
        }
        out.push_str(&render::wrap(
            &facts.join(" · "),
            width,
            "       ",
            "       ",
        ));
    }
    out.push('\n');
    if course.has_workbook {
        out.push_str(&format!("{}.\n", course.exercises.counts()));
    } else {
        out.push_str(&render::wrap(
            "No exercise workbook yet: `asyncwork init` writes one.",
            width,
            "",
            "",
        ));
    }
    out.push_str(&format!("Marks: {}\n", render::marks::legend()));
    let next = course.next_step();
    let why = match (&next, course.next_lesson()) {
        (NextStep::AllDone, _) | (_, None) => "every lesson is done".to_string(),
        (_, Some(l)) => format!("lesson {}, {}", l.position, l.title),
    };
    out.push_str(&render::menu::next_command(&next.command(), &why, width));
    out!("{out}");
    Ok(Exit::Success)
}
