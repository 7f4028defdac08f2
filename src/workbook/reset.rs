//! Restoring exercises to their shipped files, without losing anything the learner wrote.
//!
//! A reset never deletes and never writes through a link:
//! * every learner file it would remove or overwrite (an added file, an edited original, a
//!   symlink, a file where a folder belongs) is first **moved aside** into
//!   `.asyncwork/trash/<UTC time>/`, under the same relative path, and the result says where;
//! * a symlink met on the way (an exercise folder that links out of the workbook, `src` linked
//!   elsewhere, a linked `lib.rs`) is moved aside as a link: what it points to is never read,
//!   changed or deleted, and the shipped files are written into a real folder in its place.
//!
//! The alternative, deleting after a confirmation, is what lost a learner's files when an
//! exercise folder was a symlink to their own project.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Workbook, embed, nofollow};

/// What a reset did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Files written with their shipped contents, relative to the workbook.
    pub restored: Vec<String>,
    /// The learner's files (and links) moved aside, relative to the workbook; each is now at the
    /// same relative path below [`Restored::trash`].
    pub moved: Vec<String>,
    /// Where moved files went (`<workbook>/.asyncwork/trash/<time>`), when any were.
    pub trash: Option<PathBuf>,
}

impl Restored {
    /// Nothing changed: the files were already as shipped.
    pub fn is_empty(&self) -> bool {
        self.restored.is_empty() && self.moved.is_empty()
    }
}

/// The folder moved files go to, created on first use; one per reset.
struct Trash<'a> {
    wb: &'a Workbook,
    stamp: String,
    out: Restored,
}

impl<'a> Trash<'a> {
    fn new(wb: &'a Workbook) -> Trash<'a> {
        Trash {
            wb,
            stamp: utc_stamp(std::time::SystemTime::now()),
            out: Restored::default(),
        }
    }

    fn dir(&mut self) -> Result<PathBuf> {
        if let Some(dir) = &self.out.trash {
            return Ok(dir.clone());
        }
        // The trash is in the learner's tree: a link as `.asyncwork` or `trash` is replaced by
        // a real folder, so nothing is moved out of the workbook (see `nofollow`).
        let trash = Path::new(".asyncwork").join("trash");
        let base = nofollow::real_dir(&self.wb.root, &trash).with_context(|| {
            format!(
                "cannot create {}",
                self.wb.display_rel(&self.wb.root.join(&trash))
            )
        })?;
        // Two resets in the same second get their own folders.
        let mut name = self.stamp.clone();
        let mut n = 1;
        while base.join(&name).symlink_metadata().is_ok() {
            n += 1;
            name = format!("{}-{n}", self.stamp);
        }
        let dir = nofollow::real_dir(&base, Path::new(&name))
            .with_context(|| format!("cannot create {}", self.wb.display_rel(&base.join(&name))))?;
        self.out.trash = Some(dir.clone());
        Ok(dir)
    }

    /// Move `rel` (relative to the workbook: a file, a link or a folder) into the trash.
    fn put(&mut self, rel: &Path) -> Result<()> {
        let from = self.wb.root.join(rel);
        let trash = self.dir()?;
        let to = trash.join(rel);
        nofollow::real_dir(&trash, rel.parent().unwrap_or(Path::new("")))?;
        // A rename moves a link as a link: what it points to is not touched.
        std::fs::rename(&from, &to).with_context(|| {
            format!(
                "cannot move {} aside to {}; nothing was deleted",
                rel.display(),
                self.wb.display_rel(&to)
            )
        })?;
        self.out.moved.push(rel.display().to_string());
        Ok(())
    }
}

/// Write the shipped `contents` at `rel` (relative to the workbook). Every folder on the way
/// must be a real folder: a link or a file in its place is moved aside first, as is a learner's
/// different version of the file itself. Returns whether anything was written.
fn restore_file(trash: &mut Trash<'_>, rel: &Path, contents: &[u8]) -> Result<bool> {
    let root = trash.wb.root.clone();
    let mut at = PathBuf::new();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if let Ok(meta) = root.join(&at).symlink_metadata() {
            if !meta.is_dir() {
                trash.put(&at)?;
            }
        }
    }
    let dest = root.join(rel);
    let occupied = match dest.symlink_metadata() {
        Ok(meta) if meta.is_file() => {
            if std::fs::read(&dest).is_ok_and(|existing| existing == contents) {
                return Ok(false);
            }
            true
        }
        // A link, a folder, anything else where the file belongs.
        Ok(_) => true,
        Err(_) => false,
    };
    if occupied {
        // The shipped file is written in full beside the learner's before theirs is moved
        // aside, then renamed into place: on a full disk the write fails first and the
        // learner's version stays where it is (moving it first once left a 0-byte file).
        let name = rel.file_name().unwrap_or_default().to_string_lossy();
        let staged_rel = rel.with_file_name(format!(".{name}.asyncwork-reset"));
        let staged = root.join(&staged_rel);
        // Like every write into the workbook, never through a link (see `nofollow`).
        let written = nofollow::create(&root, &staged_rel).and_then(|mut f| {
            std::io::Write::write_all(&mut f, contents)?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&staged);
            return Err(anyhow::Error::new(e).context(format!(
                "cannot write {}; your version is untouched",
                rel.display()
            )));
        }
        if let Err(e) = trash.put(rel) {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        std::fs::rename(&staged, &dest).with_context(|| {
            format!(
                "cannot put the shipped {} in place (it is at {}); your version is in the trash",
                rel.display(),
                staged.display()
            )
        })?;
    } else {
        nofollow::write_if_different(&root, rel, contents)
            .with_context(|| format!("cannot write {}", rel.display()))?;
    }
    trash.out.restored.push(rel.display().to_string());
    Ok(true)
}

/// Files and links below `dir` (never following a link, skipping `target/`), relative to `dir`.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(list) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in list.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                if entry.file_name() != "target" {
                    walk(base, &path, out);
                }
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Restore `exercise` to its shipped files. Files the learner added are moved aside, as are
/// their versions of shipped files and any link met on the way (see the module doc).
pub fn reset_exercise(wb: &Workbook, exercise: &str) -> Result<Restored> {
    let mut trash = Trash::new(wb);
    reset_one(&mut trash, exercise)?;
    Ok(finish(trash))
}

fn reset_one(trash: &mut Trash<'_>, exercise: &str) -> Result<()> {
    let files = embed::exercise_files(exercise);
    anyhow::ensure!(
        !files.is_empty(),
        "no exercise named `{exercise}` in this asyncwork"
    );
    let dir = trash.wb.exercise_dir(exercise);
    // The exercise folder itself as a link (or a file): move it aside before looking inside.
    if let Ok(meta) = dir.symlink_metadata() {
        if !meta.is_dir() {
            trash.put(Path::new(exercise))?;
        }
    }
    let shipped: std::collections::BTreeSet<&Path> = files.iter().map(|(p, _)| *p).collect();
    for rel in entries(&dir) {
        let full_rel = Path::new(exercise).join(&rel);
        if !shipped.contains(full_rel.as_path()) {
            trash.put(&full_rel)?;
        }
    }
    for (rel, contents) in files {
        restore_file(trash, rel, contents)?;
    }
    Ok(())
}

fn finish(trash: Trash<'_>) -> Restored {
    let mut out = trash.out;
    out.restored.sort();
    out.moved.sort();
    out
}

/// Restore every exercise and the shared files (workspace manifest, `support`, catalogue).
pub fn reset_all(wb: &Workbook) -> Result<Restored> {
    let mut trash = Trash::new(wb);
    let names: std::collections::BTreeSet<String> = wb.catalogue().names().into_iter().collect();
    for name in &names {
        reset_one(&mut trash, name)?;
    }
    for (rel, contents) in embed::files(embed::exercises()) {
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        // `.gitignore` is the learner's (init adds `.asyncwork/` to it), not curriculum.
        if first.is_some_and(|f| names.contains(&f)) || rel == Path::new(".gitignore") {
            continue;
        }
        restore_file(&mut trash, rel, contents)?;
    }
    Ok(finish(trash))
}

/// Make a damaged workbook whole: restore every shipped file except the exercises' `src/` (the
/// learner's code, never touched here) and `.gitignore`. A learner's different version of a
/// restored file is moved aside like in a reset. The record is not touched either.
pub fn repair(wb: &Workbook) -> Result<Restored> {
    let mut trash = Trash::new(wb);
    let names: std::collections::BTreeSet<String> = wb.catalogue().names().into_iter().collect();
    for (rel, contents) in embed::files(embed::exercises()) {
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        let (first, second) = (parts.next(), parts.next());
        let learners =
            first.as_deref().is_some_and(|f| names.contains(f)) && second.as_deref() == Some("src");
        if learners || rel == Path::new(".gitignore") {
            continue;
        }
        restore_file(&mut trash, rel, contents)?;
    }
    Ok(finish(trash))
}

/// `2025-01-31T09-05-00Z` for a time: sortable, readable, and valid in a file name everywhere.
fn utc_stamp(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil: the proleptic Gregorian date of a day count from 1970.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}-{:02}-{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_exercise() -> Option<String> {
        crate::workbook::ExerciseCatalogue::embedded()
            .exercises
            .first()
            .map(|e| e.name.clone())
    }

    #[test]
    fn reset_restores_and_moves_the_learners_files_aside() {
        let Some(ex) = first_exercise() else { return };
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        embed::write_all(&embed::files(embed::exercises()), tmp.path()).unwrap();
        let lib = tmp.path().join(&ex).join("src/lib.rs");
        std::fs::write(&lib, "// mine").unwrap();
        std::fs::write(tmp.path().join(&ex).join("src/extra.rs"), "// mine too").unwrap();
        let r = reset_exercise(&wb, &ex).unwrap();
        assert_eq!(r.restored, vec![format!("{ex}/src/lib.rs")]);
        assert_eq!(
            r.moved,
            vec![format!("{ex}/src/extra.rs"), format!("{ex}/src/lib.rs")]
        );
        assert_ne!(std::fs::read_to_string(&lib).unwrap(), "// mine");
        assert!(!tmp.path().join(&ex).join("src/extra.rs").exists());
        let trash = r.trash.unwrap();
        assert!(trash.starts_with(tmp.path().join(".asyncwork/trash")));
        let kept = |p: &str| std::fs::read_to_string(trash.join(&ex).join(p)).unwrap();
        assert_eq!(kept("src/lib.rs"), "// mine");
        assert_eq!(kept("src/extra.rs"), "// mine too");
        assert!(reset_exercise(&wb, &ex).unwrap().is_empty());
    }

    /// Issue 23: the shipped file is written before the learner's is moved aside, so a write
    /// that fails (a full disk; here a folder where the staged copy goes) leaves their version
    /// in place, and the message says so.
    #[test]
    fn a_failed_write_leaves_the_learners_file_in_place() {
        let Some(ex) = first_exercise() else { return };
        let tmp = tempfile::tempdir().unwrap();
        let wb = Workbook::new(tmp.path());
        embed::write_all(&embed::files(embed::exercises()), tmp.path()).unwrap();
        let lib = tmp.path().join(&ex).join("src/lib.rs");
        std::fs::write(&lib, "// mine").unwrap();
        let mut trash = Trash::new(&wb);
        std::fs::create_dir(tmp.path().join(&ex).join("src/.lib.rs.asyncwork-reset")).unwrap();
        let rel = Path::new(&ex).join("src/lib.rs");
        let err = restore_file(&mut trash, &rel, b"// shipped").unwrap_err();
        assert!(
            format!("{err:#}").contains("your version is untouched"),
            "{err:#}"
        );
        assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// mine");
        assert!(trash.out.moved.is_empty());
    }

    /// Issue 13, item 7: links are moved aside as links; what they point to is never touched.
    #[test]
    fn links_are_moved_aside_and_never_followed() {
        let Some(ex) = first_exercise() else { return };
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("wb");
        let wb = Workbook::new(&root);
        embed::write_all(&embed::files(embed::exercises()), &root).unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("precious.txt"), "keep me").unwrap();
        std::fs::write(outside.join("lib.rs"), "// not the workbook's").unwrap();
        // `src/lib.rs` is a link to a file outside.
        let lib = root.join(&ex).join("src/lib.rs");
        std::fs::remove_file(&lib).unwrap();
        std::os::unix::fs::symlink(outside.join("lib.rs"), &lib).unwrap();
        let r = reset_exercise(&wb, &ex).unwrap();
        assert_eq!(r.moved, vec![format!("{ex}/src/lib.rs")]);
        assert!(lib.symlink_metadata().unwrap().is_file());
        assert_eq!(
            std::fs::read_to_string(outside.join("lib.rs")).unwrap(),
            "// not the workbook's"
        );
        // The whole exercise folder is a link out of the workbook.
        let dir = root.join(&ex);
        std::fs::remove_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(&outside, &dir).unwrap();
        let r = reset_exercise(&wb, &ex).unwrap();
        assert_eq!(r.moved, vec![ex.clone()]);
        assert!(dir.symlink_metadata().unwrap().is_dir());
        assert_eq!(
            std::fs::read_to_string(outside.join("precious.txt")).unwrap(),
            "keep me"
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 2);
        let link = r.trash.unwrap().join(&ex);
        assert_eq!(std::fs::read_link(link).unwrap(), outside);
    }

    #[test]
    fn stamps_are_utc_civil_time() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_738_314_300);
        assert_eq!(utc_stamp(t), "2025-01-31T09-05-00Z");
        assert_eq!(utc_stamp(std::time::UNIX_EPOCH), "1970-01-01T00-00-00Z");
        let leap = std::time::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(utc_stamp(leap), "2000-02-29T00-00-00Z");
    }
}
