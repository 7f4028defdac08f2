//! Where lessons come from: `--lessons DIR`, else `$ASYNCWORK_LESSONS`, else `./lessons` when it
//! holds lesson files, else the copies embedded in the binary at build time (so an installed
//! binary works from any directory).
//!
//! A `lessons/` folder that happens to be where the learner stands (their own notes, another
//! project) must not hide the course: it is used only when it has `*.toml` files, the source is
//! always named with the reason it was chosen, and the command layer falls back to the built-in
//! course when it yields no lesson at all (see `commands::lesson::load`).

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use include_dir::{Dir, include_dir};

use super::diag::Diagnostic;
use super::parse::{MAX_LESSON_BYTES, too_large};

/// The default curriculum, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");

/// The lesson authoring guide (`lessons/README.md`), compiled in with the lessons: an installed
/// binary's user has no checkout to read it in (`asyncwork lesson guide` prints it).
pub fn guide() -> &'static str {
    EMBEDDED
        .get_file("README.md")
        .and_then(|f| f.contents_utf8())
        .unwrap_or("")
}

/// The environment variable that names a lessons directory.
pub const LESSONS_ENV: &str = "ASYNCWORK_LESSONS";

/// How the lessons directory was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    CurrentDir,
    Embedded,
}

/// A place lessons are read from.
#[derive(Debug, Clone)]
pub struct Source {
    pub origin: Origin,
    /// `None` for the embedded lessons.
    pub dir: Option<PathBuf>,
    /// Why this source and not another, when that is not obvious (a `./lessons` passed over).
    pub note: Option<String>,
}

/// One lesson file's name and contents, or why it could not be read.
#[derive(Debug)]
pub struct LessonFile {
    /// The name shown in messages.
    pub label: String,
    /// The file name without `.toml`: the id the lesson must have.
    pub stem: String,
    pub bytes: Result<Vec<u8>, Diagnostic>,
}

impl Source {
    /// Pick the source: the flag, then the environment, then `./lessons`, then embedded.
    pub fn discover(flag: Option<&Path>) -> anyhow::Result<Source> {
        if let Some(dir) = flag {
            return Source::dir(dir, Origin::Flag);
        }
        if let Some(dir) = std::env::var_os(LESSONS_ENV).filter(|v| !v.is_empty()) {
            return Source::dir(Path::new(&dir), Origin::Env);
        }
        let here = Path::new("./lessons");
        let mut note = None;
        if here.is_dir() {
            if has_toml(here) {
                return Ok(Source {
                    origin: Origin::CurrentDir,
                    dir: Some(here.to_path_buf()),
                    note: None,
                });
            }
            note = Some("./lessons has no lesson files (*.toml), so not that folder".to_string());
        }
        Ok(Source {
            origin: Origin::Embedded,
            dir: None,
            note,
        })
    }

    /// The built-in course, chosen because `instead` gave no lessons.
    pub fn embedded_instead_of(instead: &Source) -> Source {
        Source {
            origin: Origin::Embedded,
            dir: None,
            note: Some(format!(
                "{} has no lessons this asyncwork can read",
                instead.dir.as_deref().unwrap_or(Path::new("?")).display()
            )),
        }
    }

    fn dir(dir: &Path, origin: Origin) -> anyhow::Result<Source> {
        if !dir.is_dir() {
            let named = match origin {
                Origin::Env => format!(" (from ${LESSONS_ENV})"),
                _ => String::new(),
            };
            bail!(
                "lessons directory {}{named} does not exist or is not a directory",
                dir.display()
            );
        }
        Ok(Source {
            origin,
            dir: Some(dir.to_path_buf()),
            note: None,
        })
    }

    /// Every `*.toml` file of the source, sorted by name.
    pub fn files(&self) -> anyhow::Result<Vec<LessonFile>> {
        match &self.dir {
            Some(dir) => dir_files(dir),
            None => Ok(embedded_files()),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self
            .dir
            .as_deref()
            .map(|d| d.display().to_string())
            .unwrap_or_default();
        match self.origin {
            Origin::Flag => write!(f, "lessons from {dir} (--lessons)"),
            Origin::Env => write!(f, "lessons from {dir} (${LESSONS_ENV})"),
            Origin::CurrentDir => write!(f, "lessons from {dir} (found in the current directory)"),
            Origin::Embedded => write!(
                f,
                "lessons built into asyncwork {}",
                env!("CARGO_PKG_VERSION")
            ),
        }?;
        match &self.note {
            Some(note) => write!(f, "; {note}"),
            None => Ok(()),
        }
    }
}

/// Does `dir` hold at least one `*.toml` file?
fn has_toml(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let path = e.path();
            path.extension().is_some_and(|x| x == "toml") && path.is_file()
        })
    })
}

/// Every `*.toml` in `dir` (not recursive), sorted by name.
///
/// A link is followed only to a file inside `dir`: a link out of the folder (to `~/.ssh/config`,
/// say) is reported without being read, so its contents are never quoted in a message.
pub fn dir_files(dir: &Path) -> anyhow::Result<Vec<LessonFile>> {
    let mut paths = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml")
            && entry.file_type().is_ok_and(|t| !t.is_dir())
        {
            paths.push(path);
        }
    }
    paths.sort();
    let inside = std::fs::canonicalize(dir).ok();
    Ok(paths
        .iter()
        .filter_map(|p| {
            let is_link = p
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
            if !is_link {
                return Some(read_file(p));
            }
            let target = std::fs::canonicalize(p).ok();
            match (&inside, &target) {
                (Some(dir), Some(t)) if t.starts_with(dir) => {
                    // A link within the folder: an alias of a lesson file, read like one.
                    t.is_file().then(|| read_file(p))
                }
                // A dangling link or a directory link: not a lesson file.
                (_, None) => None,
                (_, Some(t)) if t.is_dir() => None,
                _ => Some(refused(
                    p,
                    "a link to a file outside the lessons folder; it was not read",
                    "copy the lesson into the folder instead of linking to it",
                )),
            }
        })
        .collect())
}

fn refused(path: &Path, why: &str, help: &str) -> LessonFile {
    let label = path.display().to_string();
    LessonFile {
        stem: stem_of(path),
        bytes: Err(Diagnostic::whole_file(&label, why).with_help(help)),
        label,
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Read one file, never more than the size limit (a 50 MB file is refused, not loaded), and
/// only a regular file: a FIFO would block the read forever and `/dev/zero` never ends.
pub fn read_file(path: &Path) -> LessonFile {
    let label = path.display().to_string();
    let stem = stem_of(path);
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            use std::os::unix::fs::FileTypeExt as _;
            let t = meta.file_type();
            let kind = if t.is_fifo() {
                "a named pipe (FIFO)"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else if t.is_socket() {
                "a socket"
            } else if t.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            return refused(
                path,
                &format!("{kind}, not a lesson file; it was not read"),
                "lesson files are regular .toml files",
            );
        }
    }
    let bytes = (|| {
        let file = std::fs::File::open(path)?;
        let mut bytes = Vec::new();
        file.take(MAX_LESSON_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    })()
    .map_err(|e: std::io::Error| {
        Diagnostic::whole_file(&label, format!("cannot read the file: {e}"))
    });
    let bytes = match (bytes, std::fs::metadata(path)) {
        (Ok(b), Ok(meta)) if b.len() > MAX_LESSON_BYTES => Err(too_large(&label, meta.len())),
        (b, _) => b,
    };
    LessonFile { label, stem, bytes }
}

fn embedded_files() -> Vec<LessonFile> {
    let mut files: Vec<LessonFile> = EMBEDDED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .map(|f| LessonFile {
            label: format!("<built-in>/{}", f.path().display()),
            stem: f
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bytes: Ok(f.contents().to_vec()),
        })
        .collect();
    files.sort_by(|a, b| a.label.cmp(&b.label));
    files
}
