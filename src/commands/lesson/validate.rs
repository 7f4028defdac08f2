//! `asyncwork lesson validate [PATH...]`: every problem in lesson files, with file:line:column.

use std::path::PathBuf;

use anyhow::bail;

use super::exit_code;
use crate::commands::{Exit, Global, known_exercises};
use crate::lesson::{self, Catalogue, Diagnostic, Source};
use crate::render::{emit, plural};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  asyncwork lesson validate\n  asyncwork lesson validate lessons/gather.toml\n  \
                  asyncwork lesson validate my-course/"
)]
pub struct Args {
    /// Lesson files or directories (default: the lessons asyncwork would load)
    pub paths: Vec<PathBuf>,
    /// Also print, for every claim, what the ideal model predicts and the claim's margin
    #[arg(long)]
    pub explain: bool,
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    let paths = &args.paths;
    let (files, what) = if paths.is_empty() {
        let source = Source::discover(g.lessons())?;
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
            out.push_str(&crate::render::lesson::valid_file(file));
        }
    }
    emit(&out);
    for d in &catalogue.problems {
        err!("{}", crate::render::diagnostic::diagnostic(d));
    }
    for d in &catalogue.warnings {
        err!("{}", crate::render::diagnostic::diagnostic(d));
    }
    if args.explain {
        emit(&explain(&catalogue));
    }
    let bad_files = catalogue
        .files
        .iter()
        .filter(|f| catalogue.problems.iter().any(|d| &d.file == *f))
        .count();
    let mut summary = format!(
        "{what}: {} checked, {} in {}",
        plural(catalogue.files.len(), "file"),
        plural(Diagnostic::total(&catalogue.problems), "problem"),
        plural(bad_files, "file")
    );
    if !catalogue.warnings.is_empty() {
        summary.push_str(&format!(
            ", {}",
            plural(catalogue.warnings.len(), "warning")
        ));
    }
    if catalogue.problems.is_empty() {
        emit(&format!("{summary}\n"));
    } else {
        errln!("{summary}");
    }
    Ok(exit_code(&catalogue.problems))
}

/// Every claim of every sound demo with its forecast: what the ideal model predicts and how
/// much margin the claim leaves.
fn explain(catalogue: &Catalogue) -> String {
    let mut out = String::new();
    // A file with problems still explains its sound demos.
    for parsed in catalogue.lessons.iter().chain(&catalogue.rejected) {
        for spec in &parsed.lesson.demos {
            // A demo with a problem in one claim still explains its other claims.
            let checked = parsed.checked(spec);
            let Some(demo) = checked.demo else { continue };
            let lines = parsed.claim_lines.get(&demo.name);
            out.push_str(&crate::render::lesson::forecast_heading(
                &parsed.lesson.id,
                &demo.name,
                demo.max_speed(),
            ));
            for f in checked.forecasts {
                let Some(claim) = demo.claims.iter().find(|c| c.index == f.index) else {
                    continue;
                };
                let line = lines.and_then(|l| l.get(f.index)).copied().unwrap_or(0);
                out.push_str(&crate::render::lesson::forecast_claim(
                    &f.verdict,
                    &parsed.file,
                    line,
                    &claim.text,
                ));
                out.push_str(&crate::render::lesson::forecast_prediction(
                    &f.predicted,
                    &f.margin,
                ));
            }
        }
    }
    out
}
