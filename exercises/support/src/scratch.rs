//! A temporary directory for the tests that use a real database file (exercise 10).
//!
//! Each test gets a directory of its own under the system's temp dir, removed when the
//! [`TempDir`] is dropped, so tests running at once never share a file and nothing is left
//! behind. (The `tempfile` crate does the same and more; twenty lines of std keep the workbook's
//! first build one crate smaller.)

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory that is deleted, with everything in it, when dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// A new empty directory named after `label`, the process and a counter.
    pub fn new(label: &str) -> std::io::Result<TempDir> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("asyncwork-{label}-{}-{n}", std::process::id()));
        // A leftover of a killed run with the same pid: start clean.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(TempDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A file name inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A token that differs from run to run (and from call to call), for answers a constant in the
/// code under test cannot match.
pub fn run_token() -> String {
    format!("{:012x}", random_bits() & 0xffff_ffff_ffff)
}

/// A number in `0..n` (`n > 0`) that differs from run to run, for latencies a test varies so
/// that no constant in the code under test (a sleep "long enough") can match them.
pub fn unpredictable(n: u64) -> u64 {
    random_bits() % n
}

fn random_bits() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    // std's hasher keys are random per process: a cheap source of unpredictable bits.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_usize(NEXT.fetch_add(1, Ordering::Relaxed));
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish()
}
