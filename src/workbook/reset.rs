//! Restoring exercises to their original state.

use std::path::Path;

use anyhow::{Context, Result};

use super::shadow::list_files;
use super::{Workbook, embed};

/// Restore `exercise` to its pristine files: rewrite every original file and delete files the
/// learner added inside it (but never `target/`). Returns the paths changed, relative to the
/// workbook.
pub fn reset_exercise(wb: &Workbook, exercise: &str) -> Result<Vec<String>> {
    let files = embed::exercise_files(exercise);
    anyhow::ensure!(
        !files.is_empty(),
        "no exercise named `{exercise}` in this asyncwork"
    );
    let mut changed = Vec::new();
    let dir = wb.exercise_dir(exercise);
    let pristine: std::collections::BTreeSet<&Path> = files.iter().map(|(p, _)| *p).collect();
    for rel in list_files(&dir) {
        let full_rel = Path::new(exercise).join(&rel);
        if !pristine.contains(full_rel.as_path()) {
            std::fs::remove_file(dir.join(&rel))
                .with_context(|| format!("cannot remove {}", full_rel.display()))?;
            changed.push(full_rel.display().to_string());
        }
    }
    for (rel, contents) in files {
        let dest = wb.root.join(rel);
        if embed::write_if_different(&dest, contents)
            .with_context(|| format!("cannot write {}", dest.display()))?
        {
            changed.push(rel.display().to_string());
        }
    }
    changed.sort();
    Ok(changed)
}

/// Restore every exercise and the shared files (workspace manifest, `support`, catalogue).
pub fn reset_all(wb: &Workbook) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    let names: std::collections::BTreeSet<String> = wb.catalogue().names().into_iter().collect();
    for name in &names {
        changed.extend(reset_exercise(wb, name)?);
    }
    for (rel, contents) in embed::files(embed::exercises()) {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        // `.gitignore` is the learner's (init adds `.asyncwork/` to it), not curriculum.
        if first.is_some_and(|f| names.contains(&f)) || rel == std::path::Path::new(".gitignore") {
            continue;
        }
        let dest = wb.root.join(rel);
        if embed::write_if_different(&dest, contents)? {
            changed.push(rel.display().to_string());
        }
    }
    changed.sort();
    Ok(changed)
}

/// Can we ask? `--yes` skips the question; without a terminal and without `--yes`, refuse.
pub(crate) fn confirm(question: &str, yes: bool) -> Result<bool> {
    use std::io::IsTerminal;
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        anyhow::bail!(
            "refusing to reset without confirmation: there is no terminal to ask on.\n\
             Pass --yes to reset anyway (your changes to these files will be lost)."
        );
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_restores_and_removes_additions() {
        let Some(ex) = crate::workbook::ExerciseCatalogue::embedded()
            .exercises
            .first()
        else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        embed::write_all(&embed::files(embed::exercises()), tmp.path()).unwrap();
        let lib = tmp.path().join(&ex.name).join("src/lib.rs");
        std::fs::write(&lib, "// mine").unwrap();
        std::fs::write(tmp.path().join(&ex.name).join("src/extra.rs"), "// mine").unwrap();
        let changed = reset_exercise(&wb, &ex.name).unwrap();
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert_ne!(std::fs::read_to_string(&lib).unwrap(), "// mine");
        assert!(!tmp.path().join(&ex.name).join("src/extra.rs").exists());
        assert!(reset_exercise(&wb, &ex.name).unwrap().is_empty());
    }
}
