//! Writing inside a workbook without ever following a symbolic link.
//!
//! A workbook is a folder the learner (or a repository they cloned) controls, and git stores
//! links: a `solutions/03_gather/src/lib.rs` committed as a link to `~/.bashrc` would make a plain
//! `fs::write` replace `~/.bashrc`. So every file asyncwork writes inside a workbook (the grading
//! copy, `solutions/`, the trash, `init`, the background build's log, the record's folder) goes
//! through this module, which does what git does on checkout:
//! * every folder on the way below the trusted `base` must be a real folder: a link in its place
//!   is removed (the link, never what it points to) and a real folder made;
//! * the file itself is opened with `O_NOFOLLOW`; a link in its place is removed and the file
//!   written as a regular file.
//!
//! `reset` and `init --repair` move a learner's links to the trash before writing (they may be the
//! learner's own); what they then write goes through here too. Removing a link loses nothing: its
//! target is untouched, and asyncwork wrote (or will write) the real file in its place.
//!
//! What this does not stop: a process that swaps a folder for a link between the check and the
//! write (a race). The test programs that could try are confined away from the workbook (see
//! `sandbox`), and asyncwork writes nothing while a learner's program runs.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

/// Make `base/rel` a real folder, every step of it (`base` itself is trusted). A link on the way
/// is replaced by a folder; a file on the way is an error (it may be the learner's).
pub(crate) fn real_dir(base: &Path, rel: &Path) -> io::Result<PathBuf> {
    let mut at = base.to_path_buf();
    std::fs::create_dir_all(base)?;
    for part in rel.components() {
        match part {
            Component::Normal(name) => at.push(name),
            Component::CurDir => continue,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{} leaves {}", rel.display(), base.display()),
                ));
            }
        }
        match at.symlink_metadata() {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) if meta.file_type().is_symlink() => {
                std::fs::remove_file(&at)?;
                std::fs::create_dir(&at)?;
            }
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} is a file where a folder belongs", at.display()),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir(&at)?,
            Err(e) => return Err(e),
        }
    }
    Ok(at)
}

/// Remove a link at `path` (never its target). True when there was one.
pub(crate) fn unlink_if_link(path: &Path) -> io::Result<bool> {
    match path.symlink_metadata() {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::remove_file(path)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// `base/rel`, opened for writing (created, truncated) as a regular file: no link followed on
/// the way or at the end.
pub(crate) fn create(base: &Path, rel: &Path) -> io::Result<File> {
    let (dir, name) = split(base, rel)?;
    let path = dir.join(name);
    unlink_if_link(&path)?;
    open_nofollow(&path, true)
}

/// Write `contents` to `base/rel` unless it already holds exactly that (leaving identical files
/// alone keeps their mtime, so cargo does not rebuild what did not change). Returns whether it
/// wrote. Never follows a link (see the module doc).
pub(crate) fn write_if_different(base: &Path, rel: &Path, contents: &[u8]) -> io::Result<bool> {
    let (dir, name) = split(base, rel)?;
    let path = dir.join(name);
    unlink_if_link(&path)?;
    if let Ok(mut existing) = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
    {
        let mut current = Vec::new();
        if existing.read_to_end(&mut current).is_ok() && current == contents {
            return Ok(false);
        }
    }
    let mut file = open_nofollow(&path, true)?;
    file.write_all(contents)?;
    Ok(true)
}

/// The real parent folder of `base/rel`, and the file name.
fn split<'a>(base: &Path, rel: &'a Path) -> io::Result<(PathBuf, &'a std::ffi::OsStr)> {
    let name = rel.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} names no file", rel.display()),
        )
    })?;
    let parent = rel.parent().unwrap_or(Path::new(""));
    Ok((real_dir(base, parent)?, name))
}

fn open_nofollow(path: &Path, truncate: bool) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(truncate)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn keeps_identical_files() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("a/b.txt");
        assert!(write_if_different(dir.path(), rel, b"x").unwrap());
        assert!(!write_if_different(dir.path(), rel, b"x").unwrap());
        assert!(write_if_different(dir.path(), rel, b"y").unwrap());
        assert_eq!(std::fs::read(dir.path().join(rel)).unwrap(), b"y");
    }

    /// Issue 22: a link where a file or a folder belongs is replaced; its target is untouched.
    #[test]
    fn never_writes_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("wb");
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(base.join("a")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("victim"), "precious").unwrap();
        // The file is a link.
        symlink(outside.join("victim"), base.join("a/file")).unwrap();
        assert!(write_if_different(&base, Path::new("a/file"), b"shipped").unwrap());
        assert!(base.join("a/file").symlink_metadata().unwrap().is_file());
        assert_eq!(std::fs::read(base.join("a/file")).unwrap(), b"shipped");
        // A folder on the way is a link.
        symlink(&outside, base.join("b")).unwrap();
        write_if_different(&base, Path::new("b/victim"), b"shipped").unwrap();
        assert!(base.join("b").symlink_metadata().unwrap().is_dir());
        // A dangling link where the file will be created.
        symlink(outside.join("new"), base.join("a/log")).unwrap();
        create(&base, Path::new("a/log"))
            .unwrap()
            .write_all(b"log")
            .unwrap();
        assert!(!outside.join("new").exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("victim")).unwrap(),
            "precious"
        );
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 1);
        // A learner's file where a folder belongs is not deleted.
        std::fs::write(base.join("c"), "mine").unwrap();
        assert!(write_if_different(&base, Path::new("c/x"), b"y").is_err());
        assert_eq!(std::fs::read_to_string(base.join("c")).unwrap(), "mine");
        assert!(write_if_different(&base, Path::new("../x"), b"y").is_err());
    }
}
