//! What asyncwork must undo if a signal stops it: temporary folders it made and process groups
//! it started.
//!
//! Each is registered for as long as it lives (a [`Registration`] removes the entry when
//! dropped, after its owner cleaned up the usual way). When SIGINT, SIGTERM or SIGHUP ends the
//! process, `commands::term_guard` calls [`run`] on its signal thread (plain thread context, not
//! a signal handler, so removing a folder tree is allowed) before the process ends. `kill -9`
//! cannot be caught: for process groups the grader's guard (`workbook::process`) covers that.
//!
//! Library code registers and never prints; what to say about a signal is the command layer's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// One thing to undo.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Undo {
    /// Remove this folder and everything in it.
    Folder(PathBuf),
    /// SIGKILL every process in this group.
    Group(i32),
    /// SIGKILL this one process (a child left in asyncwork's own group, so that the terminal's
    /// Ctrl-C reaches it too).
    Process(i32),
}

/// Everything registered now, by registration number (the order things were made in).
static PENDING: Mutex<BTreeMap<u64, Undo>> = Mutex::new(BTreeMap::new());
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Keeps one entry registered; dropping it unregisters (the owner cleaned up, or will).
#[derive(Debug)]
#[must_use = "the entry is unregistered when this is dropped"]
pub struct Registration(u64);

impl Drop for Registration {
    fn drop(&mut self) {
        pending().remove(&self.0);
    }
}

fn pending() -> std::sync::MutexGuard<'static, BTreeMap<u64, Undo>> {
    // A panic while the lock was held left a map that is still whole: keep using it.
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

fn register(undo: Undo) -> Registration {
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    pending().insert(id, undo);
    Registration(id)
}

/// Remove `path` (a folder of asyncwork's own) if a signal stops asyncwork while the
/// registration lives.
pub fn folder(path: &Path) -> Registration {
    register(Undo::Folder(path.to_path_buf()))
}

/// Kill process group `pgid` if a signal stops asyncwork while the registration lives.
pub fn group(pgid: i32) -> Registration {
    register(Undo::Group(pgid))
}

/// Kill process `pid` if a signal stops asyncwork while the registration lives.
pub fn process(pid: i32) -> Registration {
    register(Undo::Process(pid))
}

/// A temporary folder (`tempfile::TempDir`) that is also removed when a signal stops asyncwork.
/// Dropped normally, it is removed the usual way.
///
/// Made and registered, and removed and unregistered, under the registry's lock: a signal's
/// [`run`] waits for either to finish, so it never finds the folder without its entry (a
/// signal between the two left the folder behind, seen once in CI).
#[derive(Debug)]
pub struct TempDir {
    id: u64,
    /// `None` once kept.
    dir: Option<tempfile::TempDir>,
}

impl TempDir {
    /// A new folder `<prefix>XXXXXX` in the system's temporary folder (`$TMPDIR`).
    pub fn new(prefix: &str) -> std::io::Result<TempDir> {
        TempDir::made(|| tempfile::Builder::new().prefix(prefix).tempdir())
    }

    /// A new folder `<prefix>XXXXXX` inside `parent`.
    pub fn new_in(prefix: &str, parent: &Path) -> std::io::Result<TempDir> {
        TempDir::made(|| tempfile::Builder::new().prefix(prefix).tempdir_in(parent))
    }

    fn made(make: impl FnOnce() -> std::io::Result<tempfile::TempDir>) -> std::io::Result<TempDir> {
        let mut pending = pending();
        let dir = make()?;
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        pending.insert(id, Undo::Folder(dir.path().to_path_buf()));
        Ok(TempDir { id, dir: Some(dir) })
    }

    pub fn path(&self) -> &Path {
        // Only `keep` takes the folder, and it consumes `self`.
        self.dir
            .as_ref()
            .map_or(Path::new(""), tempfile::TempDir::path)
    }

    /// Keep the folder (it is no longer removed, on a signal or at drop) and return its path:
    /// for a folder renamed into place.
    pub fn keep(mut self) -> PathBuf {
        let mut pending = pending();
        pending.remove(&self.id);
        self.dir
            .take()
            .map(tempfile::TempDir::keep)
            .unwrap_or_default()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let mut pending = pending();
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
        pending.remove(&self.id);
    }
}

/// Undo everything registered: kill the process groups first (so nothing writes into a folder
/// being removed), then remove the folders, newest first. Best effort: what cannot be undone is
/// skipped. For the signal path; it leaves the registrations in place, as the process is ending.
pub fn run() {
    let all: Vec<Undo> = pending().values().rev().cloned().collect();
    undo(&all);
}

fn undo(list: &[Undo]) {
    for u in list {
        match *u {
            // SAFETY: plain syscalls; a negative pid addresses the whole group.
            Undo::Group(pgid) if pgid > 0 => unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            },
            Undo::Process(pid) if pid > 0 => unsafe {
                libc::kill(pid, libc::SIGKILL);
            },
            _ => {}
        }
    }
    for u in list {
        if let Undo::Folder(path) = u {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `run` would undo for these registrations only: tests run in parallel, and a test's
    /// `run()` must not kill another test's children or remove its folders.
    fn undo_only(ids: &[u64]) {
        let list: Vec<Undo> = {
            let p = pending();
            ids.iter().filter_map(|id| p.get(id).cloned()).collect()
        };
        undo(&list);
    }

    #[test]
    fn registered_folders_are_removed_and_unregistered_ones_are_not() {
        let parent = tempfile::tempdir().unwrap();
        let kept = TempDir::new_in("kept-", parent.path()).unwrap();
        std::fs::write(kept.path().join("file"), "x").unwrap();
        let dropped = TempDir::new_in("dropped-", parent.path()).unwrap();
        let dropped_path = dropped.path().to_path_buf();
        let dropped_id = dropped.id;
        drop(dropped);
        // Dropped the usual way, a folder is no longer registered: one made later with the
        // same name is not removed by mistake.
        assert!(!pending().contains_key(&dropped_id));
        std::fs::create_dir(&dropped_path).unwrap();
        undo_only(&[kept.id]);
        assert!(!kept.path().exists(), "the registered folder is removed");
        assert!(
            dropped_path.exists(),
            "an unregistered folder is left alone"
        );
        // Kept (renamed into place), a folder is no longer registered either.
        let renamed = TempDir::new_in("renamed-", parent.path()).unwrap();
        let renamed_id = renamed.id;
        let renamed = renamed.keep();
        assert!(!pending().contains_key(&renamed_id) && renamed.exists());
    }

    #[test]
    fn a_registered_group_is_killed() {
        use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .process_group(0)
            .spawn()
            .unwrap();
        let registration = group(child.id() as i32);
        undo_only(&[registration.0]);
        assert_eq!(child.wait().unwrap().signal(), Some(libc::SIGKILL));
    }
}
