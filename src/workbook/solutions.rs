//! `asyncwork check --solutions`: prove, in a temporary copy, that every exercise fails as
//! shipped and passes with its solution (rustlings' `dev check`).

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::grade::{self, GradeOptions, Observer};
use super::report::ExerciseReport;
use super::{ExerciseCatalogue, Workbook, embed, nofollow};

/// Where a learner finds the reference solution of `exercise` once it passes:
/// `<workbook>/solutions/<exercise>/src/lib.rs` (the workbook's README promises it there).
pub(crate) fn learner_copy_dir(wb: &Workbook, exercise: &str) -> PathBuf {
    wb.root.join("solutions").join(exercise)
}

/// After a pass: write the reference solution where the README says, to compare with the
/// learner's own. Returns the main file's path (`None` when this exercise ships no solution).
/// Written only after a pass, so it never spoils an exercise still to do.
pub(crate) fn write_for_learner(wb: &Workbook, exercise: &str) -> Result<Option<PathBuf>> {
    let files = embed::solution_files(exercise);
    if files.is_empty() {
        return Ok(None);
    }
    let dir = learner_copy_dir(wb, exercise);
    let mut main = None;
    for (rel, contents) in &files {
        let dest = dir.join(rel);
        // `solutions/` is in the learner's tree: never written through a link.
        let in_workbook = Path::new("solutions").join(exercise).join(rel);
        nofollow::write_if_different(&wb.root, &in_workbook, contents)?;
        if main.is_none() || rel == Path::new("src/lib.rs") {
            main = Some(dest);
        }
    }
    Ok(main)
}

#[derive(Debug, Clone)]
pub(crate) struct SolutionRow {
    pub(crate) exercise: String,
    pub(crate) shipped: ExerciseReport,
    /// None when the exercise has no solution files.
    pub(crate) solved: Option<ExerciseReport>,
}

impl SolutionRow {
    /// Fails as shipped and passes when solved.
    pub(crate) fn ok(&self) -> bool {
        !self.shipped.passed() && self.solved.as_ref().is_some_and(|s| s.passed())
    }
}

/// Run the proof. Its build is kept for the next proof (tokio compiles once) in a folder of its
/// own, below `target_dir` when given, else below `$CARGO_TARGET_DIR` or the user's cache (see
/// `Workbook::grading_dir`): never in a learner's workbook's build.
/// The name of the grader's folder for `check --solutions` (see `Workbook::grading_dir`): the
/// course's own exercises and solutions are the only code graded there.
pub(crate) const PROOF_CACHE: &str = "solutions-proof";

pub(crate) fn verify(
    catalogue: &ExerciseCatalogue,
    only: Option<&[String]>,
    target_dir: Option<PathBuf>,
    opts: &GradeOptions,
    observer: &dyn Observer,
) -> Result<Vec<SolutionRow>> {
    // Removed at the end, or by `crate::cleanup` when a signal stops the check first.
    let tmp = crate::cleanup::TempDir::new("asyncwork-solutions-")?;
    let root = tmp.path().join("workbook");
    embed::write_all(&embed::files(embed::exercises()), &root)?;
    let mut wb = Workbook::new(&root);
    // The temporary root changes every run; a fixed name keeps the build for the next proof.
    wb.cache_key = Some(PROOF_CACHE.into());
    wb.target_override = target_dir;
    let exercises: Vec<_> = catalogue
        .exercises
        .iter()
        .filter(|e| only.is_none_or(|o| o.contains(&e.name)))
        .collect();
    let opts = GradeOptions {
        use_record: false,
        ..opts.clone()
    };
    let shipped = grade::grade(&wb, &exercises, &opts, None, observer)?;

    let mut with_solution = Vec::new();
    for ex in &exercises {
        let files = embed::solution_files(&ex.name);
        if files.is_empty() {
            continue;
        }
        for (rel, contents) in files {
            nofollow::write_if_different(&wb.root, &Path::new(&ex.name).join(rel), contents)?;
        }
        with_solution.push(*ex);
    }
    let solved = grade::grade(&wb, &with_solution, &opts, None, observer)?;
    let rows = shipped
        .into_iter()
        .map(|s| {
            let solved = solved.iter().find(|r| r.exercise == s.exercise).cloned();
            SolutionRow {
                exercise: s.exercise.clone(),
                shipped: s,
                solved,
            }
        })
        .collect();
    Ok(rows)
}
