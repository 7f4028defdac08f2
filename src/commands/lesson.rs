//! `asyncwork lesson list | show | validate | new`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use console::style;
use serde::Serialize;

use super::known_exercises;
use crate::lesson::{self, Catalogue, Diagnostic, LessonFile, Source};
use crate::render::{self, emit, plural, table::Table};

/// Load the lessons from the discovered source, printing any problems to stderr.
pub fn load(lessons_dir: Option<&Path>) -> anyhow::Result<(Source, Catalogue)> {
    let source = Source::discover(lessons_dir)?;
    let catalogue = Catalogue::check(source.files()?, &known_exercises());
    report_problems(&catalogue.problems);
    Ok((source, catalogue))
}

fn report_problems(problems: &[Diagnostic]) {
    for d in problems {
        eprint!("{}", d.render());
    }
    if !problems.is_empty() {
        eprintln!(
            "{} {} in lesson files; `asyncwork lesson validate` lists them all",
            style("warning:").yellow().bold(),
            plural(problems.len(), "problem")
        );
    }
}

fn exit_code(problems: &[Diagnostic]) -> ExitCode {
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
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

pub fn list(
    lessons_dir: Option<&Path>,
    workbook: Option<&Path>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let (source, catalogue) = load(lessons_dir)?;
    let statuses = crate::workbook::commands::exercise_statuses(workbook);
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
        emit(&(serde_json::to_string_pretty(&entries)? + "\n"));
        return Ok(exit_code(&catalogue.problems));
    }
    let mut out = format!("{}\n\n", style(source.to_string()).dim());
    let mut table = Table::new(&[">#", "id", "title", ">demos", "exercise"]);
    for e in &entries {
        // A status exists only for exercises in the workbook's catalogue, so an exercise a
        // lesson still calls planned shows its status as soon as it ships.
        let exercise = match (e.exercise, e.exercise_planned, e.exercise_status) {
            (Some(name), _, Some(status)) => format!("{name} {}", status_mark(status)),
            (Some(name), false, None) => name.to_string(),
            (Some(name), true, None) => format!("{name} {}", style("(planned)").dim()),
            (None, _, _) => style("-").dim().to_string(),
        };
        table.row(vec![
            e.position.to_string(),
            style(e.id).bold().to_string(),
            e.title.to_string(),
            e.demos.to_string(),
            exercise,
        ]);
    }
    if table.is_empty() {
        out.push_str("no lessons found\n");
    } else {
        out.push_str(&table.render());
        out.push_str(&format!(
            "\n{}\n",
            style("Read one with: asyncwork lesson show ID").dim()
        ));
    }
    emit(&out);
    Ok(exit_code(&catalogue.problems))
}

/// How far the learner is with an exercise, for listings.
fn status_mark(status: crate::progress::Status) -> String {
    use crate::progress::Status;
    match status {
        Status::Done => style("(done)").green().to_string(),
        Status::Attempted => style("(attempted)").yellow().to_string(),
        Status::NotStarted => style("(not started)").dim().to_string(),
    }
}

pub fn show(
    lessons_dir: Option<&Path>,
    workbook: Option<&Path>,
    id: &str,
) -> anyhow::Result<ExitCode> {
    let (_, catalogue) = load(lessons_dir)?;
    let Some(lesson) = catalogue.get(id) else {
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
    };
    let cx = render::lesson::Context {
        total_lessons: catalogue.lessons.len(),
        next_lesson: catalogue.next_after(lesson),
    };
    let mut text = render::lesson::render(lesson, &cx, render::width());
    if let Some(statuses) = crate::workbook::commands::exercise_statuses(workbook) {
        let mut lines = String::new();
        for e in &lesson.exercises {
            if let Some(status) = statuses.get(&e.name) {
                lines.push_str(&format!(
                    "  {}: {}\n    asyncwork check {}\n",
                    e.name,
                    status_mark(*status),
                    e.name
                ));
            }
        }
        if !lines.is_empty() {
            text.push_str(&format!("\n{}\n{lines}", style("Your progress").bold()));
        }
    }
    emit(&text);
    Ok(ExitCode::SUCCESS)
}

pub fn validate(lessons_dir: Option<&Path>, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let (files, what) = if paths.is_empty() {
        let source = Source::discover(lessons_dir)?;
        (source.files()?, source.to_string())
    } else {
        let mut files = Vec::new();
        for path in paths {
            if path.is_dir() {
                files.extend(lesson::source::dir_files(path)?);
            } else if path.exists() {
                files.push(lesson::source::read_file(path));
            } else {
                bail!("{} does not exist", path.display());
            }
        }
        (files, plural(paths.len(), "path"))
    };
    let catalogue = Catalogue::check(files, &known_exercises());
    let mut out = String::new();
    for file in &catalogue.files {
        let bad = catalogue
            .problems
            .iter()
            .filter(|d| &d.file == file)
            .count();
        if bad == 0 {
            out.push_str(&format!("{} {file}\n", style("ok").green().bold()));
        }
    }
    emit(&out);
    for d in &catalogue.problems {
        eprint!("{}", d.render());
    }
    let bad_files = catalogue
        .files
        .iter()
        .filter(|f| catalogue.problems.iter().any(|d| &d.file == *f))
        .count();
    let summary = format!(
        "{what}: {} checked, {} in {}",
        plural(catalogue.files.len(), "file"),
        plural(catalogue.problems.len(), "problem"),
        plural(bad_files, "file")
    );
    if catalogue.problems.is_empty() {
        emit(&format!("{summary}\n"));
    } else {
        eprintln!("{summary}");
    }
    Ok(exit_code(&catalogue.problems))
}

pub fn new(lessons_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    if !lesson::model::is_valid_id(id) {
        bail!("invalid lesson id {id:?}: use 1 to 64 characters of a-z, 0-9, _ and -");
    }
    let source = Source::discover(lessons_dir)?;
    let dir = source
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("lessons"));
    let path = dir.join(format!("{id}.toml"));
    if path.exists() {
        bail!(
            "{} already exists; asyncwork never overwrites a lesson",
            path.display()
        );
    }
    let existing: Vec<LessonFile> = if dir.is_dir() {
        source.files()?
    } else {
        Vec::new()
    };
    let catalogue = Catalogue::check(existing, &known_exercises());
    if catalogue.get(id).is_some() {
        bail!(
            "a lesson with id `{id}` already exists in {}",
            dir.display()
        );
    }
    let position = catalogue
        .lessons
        .iter()
        .map(|p| p.lesson.position)
        .max()
        .unwrap_or(0)
        + 1;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let text = lesson::skeleton::skeleton(id, position);
    // `create_new` refuses to overwrite even if the file appeared since the check above.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    emit(&format!(
        "wrote {}\nnext: edit it, then run `asyncwork lesson validate {}`\n",
        path.display(),
        path.display()
    ));
    Ok(ExitCode::SUCCESS)
}
