//! `asyncwork lesson list | show | run | validate | new | guide`: one module per subcommand, and what
//! they share (loading the lessons, reporting their problems, finding one by id).

pub mod guide;
pub mod list;
pub mod new;
pub mod run;
pub mod show;
pub mod step;
pub mod validate;

use std::path::Path;

use anyhow::bail;

use super::{Exit, known_exercises};
use crate::lesson::parse::Depth;
use crate::lesson::source::Origin;
use crate::lesson::{Catalogue, Diagnostic, ParsedLesson, Source};
use crate::render::plural;

/// Load the lessons from the discovered source, printing any problems to stderr.
pub(crate) fn load(lessons_dir: Option<&Path>) -> anyhow::Result<(Source, Catalogue)> {
    load_to(lessons_dir, Depth::Full)
}

/// [`load`], each lesson checked to `depth` (`lesson list` needs no forecast to list titles).
pub(crate) fn load_to(
    lessons_dir: Option<&Path>,
    depth: Depth,
) -> anyhow::Result<(Source, Catalogue)> {
    let (source, catalogue) = load_quiet_to(lessons_dir, depth)?;
    report_problems(&catalogue.problems);
    Ok((source, catalogue))
}

/// Load the lessons without printing. A `./lessons` found in the current directory that yields
/// no lesson gives way to the built-in course (the source says so): a folder a learner happens
/// to stand beside must never leave them with an empty course. An explicit `--lessons` or
/// `$ASYNCWORK_LESSONS` is kept, and the screens that show an empty course name the way back.
pub(crate) fn load_quiet(lessons_dir: Option<&Path>) -> anyhow::Result<(Source, Catalogue)> {
    load_quiet_to(lessons_dir, Depth::Full)
}

/// [`load_quiet`], each lesson checked to `depth`.
pub(crate) fn load_quiet_to(
    lessons_dir: Option<&Path>,
    depth: Depth,
) -> anyhow::Result<(Source, Catalogue)> {
    let source = Source::discover(lessons_dir)?;
    let catalogue = Catalogue::check_to(source.files()?, &known_exercises(), depth);
    if catalogue.lessons.is_empty() && source.origin == Origin::CurrentDir {
        let builtin = Source::embedded_instead_of(&source);
        let catalogue = Catalogue::check_to(builtin.files()?, &known_exercises(), depth);
        return Ok((builtin, catalogue));
    }
    Ok((source, catalogue))
}

/// What to tell a learner whose course is empty: where the lessons were looked for and how to
/// get the built-in ones back.
pub(crate) fn empty_course_help(source: &Source) -> String {
    format!(
        "No lessons in {source}.\nThe built-in course: run without --lessons and with \
         ${} unset (`unset {}`).",
        crate::lesson::source::LESSONS_ENV,
        crate::lesson::source::LESSONS_ENV
    )
}

/// Problems in lesson files, for commands that are not `validate`: the first problem of each bad
/// file and how many it has, so one bad file in the folder does not flood every command's output.
fn report_problems(problems: &[Diagnostic]) {
    let mut files: Vec<&str> = problems.iter().map(|d| d.file.as_str()).collect();
    files.dedup();
    for file in &files {
        let mine: Vec<&Diagnostic> = problems.iter().filter(|d| d.file == *file).collect();
        let total: usize = mine.iter().map(|d| d.count).sum();
        err!("{}", crate::render::diagnostic::diagnostic(mine[0]));
        if total > 1 {
            errln!("{}", crate::render::lesson::more_problems_in(file, total));
        }
    }
    if !problems.is_empty() {
        errln!(
            "{}",
            crate::render::lesson::problems_warning(Diagnostic::total(problems), files.len())
        );
    }
}

/// `Success` when there are no problems.
fn exit_code(problems: &[Diagnostic]) -> Exit {
    Exit::from_ok(problems.is_empty())
}

/// The lesson `id`, or an error that names the closest ids (or all of them).
pub(crate) fn find<'a>(catalogue: &'a Catalogue, id: &str) -> anyhow::Result<&'a ParsedLesson> {
    if let Some(parsed) = catalogue.lessons.iter().find(|p| p.lesson.id == id) {
        return Ok(parsed);
    }
    // A lesson file with that name that did not load: its problems were printed by `load`.
    let file = format!("{id}.toml");
    let broken: Vec<&Diagnostic> = catalogue
        .problems
        .iter()
        .filter(|d| d.file == file || d.file.ends_with(&format!("/{file}")))
        .collect();
    if let Some(first) = broken.first() {
        bail!(
            "lesson `{id}` is invalid ({} above); fix them, then `asyncwork lesson validate {}`",
            plural(broken.len(), "problem"),
            first.file
        );
    }
    let near = catalogue.closest_ids(id);
    let all: Vec<&str> = catalogue
        .lessons
        .iter()
        .map(|p| p.lesson.id.as_str())
        .collect();
    let hint = match (near.is_empty(), all.is_empty()) {
        (false, _) => format!("did you mean: {}?", near.join(", ")),
        (true, false) => format!("lessons: {}", all.join(", ")),
        (true, true) => "no lessons were found".into(),
    };
    bail!("no lesson `{id}`; {hint}");
}
