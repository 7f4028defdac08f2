//! The lesson file format: model, discovery, parsing and validation.
//!
//! `source` finds the lesson files, `parse` turns one file into a [`Lesson`] (or diagnostics),
//! and [`Catalogue`] adds the checks that need every file at once (duplicate ids and positions).

pub mod diag;
pub mod model;
pub mod parse;
pub mod play;
pub mod skeleton;
pub mod source;

use std::collections::{BTreeSet, HashMap};

pub use diag::Diagnostic;
pub use model::Lesson;
pub use parse::ParsedLesson;
pub use source::{LessonFile, Source};

/// Every lesson from one source, with every problem found in it.
#[derive(Debug)]
pub struct Catalogue {
    /// Valid lessons, ordered by position (then id).
    pub lessons: Vec<ParsedLesson>,
    /// Problems, ordered by file then line.
    pub problems: Vec<Diagnostic>,
    /// Warnings in valid lessons (thin margins on claims), ordered by file then line.
    pub warnings: Vec<Diagnostic>,
    /// The files that were read, in order.
    pub files: Vec<String>,
    /// Lessons with problems whose TOML is sound, as far as they parsed: their sound demos can
    /// still be explained. Never run or listed.
    pub rejected: Vec<ParsedLesson>,
}

impl Catalogue {
    /// Parse and check `files` as one course. `exercises` names the exercise crates that exist.
    pub fn check(files: Vec<LessonFile>, exercises: &BTreeSet<String>) -> Catalogue {
        Catalogue::check_to(files, exercises, parse::Depth::Full)
    }

    /// [`Catalogue::check`], each file checked to `depth` ([`parse::Depth::Listing`] to list
    /// titles fast whatever sits in the folder).
    pub fn check_to(
        files: Vec<LessonFile>,
        exercises: &BTreeSet<String>,
        depth: parse::Depth,
    ) -> Catalogue {
        let mut lessons = Vec::new();
        let mut problems = Vec::new();
        let mut rejected = Vec::new();
        let mut names = Vec::new();
        for file in files {
            names.push(file.label.clone());
            let parsed = file.bytes.map_err(|d| (vec![d], None)).and_then(|bytes| {
                parse::parse_lesson_keeping(&file.label, &file.stem, &bytes, exercises, depth)
            });
            match parsed {
                Ok(lesson) => lessons.push(lesson),
                Err((mut found, partial)) => {
                    problems.append(&mut found);
                    rejected.extend(partial.map(|p| *p));
                }
            }
        }
        problems.extend(cross_file_problems(&lessons));
        lessons.sort_by(|a, b| {
            (a.lesson.position, &a.lesson.id).cmp(&(b.lesson.position, &b.lesson.id))
        });
        problems.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        let warnings = lessons.iter().flat_map(|p| p.warnings.clone()).collect();
        Catalogue {
            lessons,
            problems,
            warnings,
            files: names,
            rejected,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().map(|p| &p.lesson).find(|l| l.id == id)
    }

    /// The lesson after `lesson` in course order.
    pub fn next_after(&self, lesson: &Lesson) -> Option<&Lesson> {
        let at = self.lessons.iter().position(|p| p.lesson.id == lesson.id)?;
        self.lessons.get(at + 1).map(|p| &p.lesson)
    }

    /// Up to three ids closest to `id`, best first, for "did you mean" messages.
    pub fn closest_ids(&self, id: &str) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .lessons
            .iter()
            .map(|p| p.lesson.id.as_str())
            .map(|c| (strsim::damerau_levenshtein(id, c), c))
            .filter(|(d, c)| *d <= 3.max(c.len() / 2) || c.contains(id) || id.contains(*c))
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, c)| c).collect()
    }
}

/// Two lessons may not share an id or a position: the course would be ambiguous.
fn cross_file_problems(lessons: &[ParsedLesson]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut ids: HashMap<&str, &ParsedLesson> = HashMap::new();
    let mut positions: HashMap<u32, &ParsedLesson> = HashMap::new();
    for parsed in lessons {
        let l = &parsed.lesson;
        if let Some(first) = ids.insert(&l.id, parsed) {
            ids.insert(&l.id, first);
            problems.push(
                parsed
                    .id_diagnostic(format!(
                        "duplicate id `{}`: {} uses it too",
                        l.id, first.file
                    ))
                    .with_help("every lesson needs its own id"),
            );
        }
        if let Some(first) = positions.insert(l.position, parsed) {
            positions.insert(l.position, first);
            let free = (1..).find(|p| !lessons.iter().any(|o| o.lesson.position == *p));
            problems.push(
                parsed
                    .position_diagnostic(format!(
                        "duplicate position {}: {} (`{}`) has it too",
                        l.position, first.file, first.lesson.id
                    ))
                    .with_help(match free {
                        Some(p) => format!("position {p} is free"),
                        None => "choose an unused position".into(),
                    }),
            );
        }
    }
    problems
}
