//! `asyncwork lesson list`: the course in order, with each lesson's exercise and its status.

use serde::Serialize;

use super::{exit_code, load_to};
use crate::commands::{Exit, Global};
use crate::render::marks::status_mark;
use crate::render::{emit, table::Table};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  asyncwork lesson list\n  asyncwork lesson list --json | jq '.[].id'"
)]
pub struct Args {
    /// Print a JSON array of lessons instead of a table
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when a lesson file has a problem (by default the good lessons are listed, the
    /// problems are warned about, and the exit code is 0)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    position: u32,
    summary: &'a str,
    demos: usize,
    exercise: Option<&'a str>,
    exercise_planned: bool,
    /// `done`, `attempted` or `not_started` when a workbook with progress was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    exercise_status: Option<crate::progress::Status>,
    file: &'a str,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let json = args.json;
    // Titles need no forecast: a 1 MiB lesson of thousands of demos lists in milliseconds.
    let (source, catalogue) = load_to(g.lessons(), crate::lesson::parse::Depth::Listing)?;
    let statuses = g.exercise_statuses();
    let entries: Vec<ListEntry> = catalogue
        .lessons
        .iter()
        .map(|p| ListEntry {
            id: &p.lesson.id,
            title: &p.lesson.title,
            position: p.lesson.position,
            summary: &p.lesson.summary,
            demos: p.lesson.demos.len(),
            exercise: p.lesson.main_exercise().map(|e| e.name.as_str()),
            exercise_planned: p.lesson.main_exercise().is_some_and(|e| e.planned),
            exercise_status: p
                .lesson
                .main_exercise()
                .and_then(|e| statuses.as_ref()?.get(&e.name).copied()),
            file: &p.file,
        })
        .collect();
    if json {
        emit(&(crate::render::json::pretty(&entries)? + "\n"));
        return Ok(exit(args, &catalogue.problems));
    }
    let width = crate::render::width();
    let mut out = format!("{}\n", crate::render::lesson::source_line(&source, width));
    let mut table = Table::new(&[">#", "id", "title", ">demos", "exercise"]);
    // Narrower than the table: each lesson on its own lines, wrapped between words.
    let mut narrow = String::new();
    for e in &entries {
        // A status exists only for exercises in the workbook's catalogue, so an exercise a
        // lesson still calls planned shows its status as soon as it ships.
        let exercise = match (e.exercise, e.exercise_planned, e.exercise_status) {
            (Some(name), _, Some(status)) => format!("{name} {}", status_mark(status)),
            (Some(name), false, None) => name.to_string(),
            (Some(name), true, None) => crate::render::lesson::planned(name),
            (None, _, _) => crate::render::lesson::no_exercise(),
        };
        narrow.push_str(&crate::render::wrap(
            &crate::render::lesson::list_title(e.position, e.title),
            width,
            "",
            "    ",
        ));
        narrow.push_str(&crate::render::wrap(
            &format!(
                "{} · {} · {exercise}",
                e.id,
                crate::render::plural(e.demos, "demo")
            ),
            width,
            "    ",
            "    ",
        ));
        table.row(vec![
            e.position.to_string(),
            crate::render::lesson::list_id(e.id),
            e.title.to_string(),
            e.demos.to_string(),
            exercise,
        ]);
    }
    let wide = table.render();
    let fits = wide
        .lines()
        .all(|l| console::measure_text_width(l) <= width);
    out.push('\n');
    if table.is_empty() {
        out.push_str(&super::empty_course_help(&source));
        out.push('\n');
    } else {
        out.push_str(if fits { &wide } else { &narrow });
        out.push_str(&crate::render::lesson::read_one_hint());
    }
    emit(&out);
    Ok(exit(args, &catalogue.problems))
}

/// A bad file elsewhere in the folder does not make the listing of the good ones a failure,
/// unless `--strict` asks for it (for CI).
fn exit(args: &Args, problems: &[crate::lesson::Diagnostic]) -> Exit {
    if args.strict {
        exit_code(problems)
    } else {
        Exit::Success
    }
}
