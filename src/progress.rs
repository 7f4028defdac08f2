//! The learner's record, in SQLite (`<workbook>/.asyncwork/progress.db`).
//!
//! Demos watched to the end (by `lesson run` or `lesson step`) are kept per lesson, so the menu
//! and `progress` show the whole course, not only the exercises.
//!
//! Every `check` is an attempt: when, how long, the outcome, the failing tests, a hash of the
//! learner's sources and the full report (so a re-check of unchanged sources can be answered
//! from the record). Hints seen are counted per exercise. A `reset` is recorded too: attempts
//! before an exercise's latest reset no longer count, so a reset exercise is "to do" again (its
//! history stays, for `progress` and for answering re-checks).
//!
//! Migrations only add tables (`CREATE TABLE IF NOT EXISTS`), so a record written by an older
//! asyncwork opens, keeps every row, and gains the new tables; the schema version says which
//! tables exist.
//!
//! WAL mode and a busy timeout let two `asyncwork check`s write at once without losing either.
//! A database that cannot be read is reported with the way out (move it aside), never a panic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

/// How long a writer waits for another one before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS attempts (
    id            INTEGER PRIMARY KEY,
    exercise      TEXT NOT NULL,
    started_at_ms INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    outcome       TEXT NOT NULL,
    failing_tests TEXT NOT NULL DEFAULT '[]',
    source_hash   TEXT NOT NULL,
    from_record   INTEGER NOT NULL DEFAULT 0,
    report        TEXT
);
CREATE INDEX IF NOT EXISTS attempts_by_exercise ON attempts(exercise, id);
CREATE TABLE IF NOT EXISTS hints (
    exercise TEXT PRIMARY KEY,
    shown    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS resets (
    id            INTEGER PRIMARY KEY,
    exercise      TEXT NOT NULL,
    at_ms         INTEGER NOT NULL,
    after_attempt INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS resets_by_exercise ON resets(exercise, after_attempt);
CREATE TABLE IF NOT EXISTS demos_watched (
    lesson        TEXT NOT NULL,
    demo          TEXT NOT NULL,
    first_at_ms   INTEGER NOT NULL,
    times         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (lesson, demo)
);
";

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error(
        "cannot read your progress database {path}: {detail}\n\
         It may be damaged. Move it aside to start a fresh record (your exercises are not touched):\n    \
         mv '{path}' '{path}.broken'"
    )]
    Unreadable { path: PathBuf, detail: String },
    #[error("cannot create the progress database at {path}: {detail}")]
    Create { path: PathBuf, detail: String },
    #[error(
        "your progress database {path} cannot be written: it, or the folder it is in, is read-only.\n\
         Nothing is damaged. Make both writable to record your progress again:\n    \
         chmod u+w '{path}' '{folder}'",
        folder = path.parent().unwrap_or(Path::new(".")).display()
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "another program holds your progress database {path} (another asyncwork check, or a \
         program that opened it); try again when it has finished. Nothing is damaged."
    )]
    Locked { path: PathBuf },
    #[error(
        "the disk that holds your progress database {path} is full: this was not recorded. \
         Nothing is damaged; free some space and it is recorded again."
    )]
    DiskFull { path: PathBuf },
    #[error(
        "{folder} is a file, but asyncwork keeps its record in a folder of that name.\n\
         Move the file aside (asyncwork creates the folder again):\n    \
         mv '{folder}' '{folder}.moved'"
    )]
    FolderIsAFile { folder: PathBuf },
    #[error(
        "your progress database {path} was deleted or replaced while asyncwork had it open: this \
         was not recorded (it would have gone into the deleted file). The next command starts \
         from the file now at that path."
    )]
    Gone { path: PathBuf },
    #[error(
        "the progress database {path} was written by a newer asyncwork (schema {found}, this one knows {SCHEMA_VERSION}); \
         update asyncwork, or move the file aside"
    )]
    TooNew { path: PathBuf, found: i64 },
}

pub type Result<T> = std::result::Result<T, ProgressError>;

/// One grading attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub exercise: String,
    pub started_at_ms: i64,
    pub duration_ms: i64,
    /// `pass`, `fail`, `error` or `stuck`.
    pub outcome: String,
    pub failing_tests: Vec<String>,
    pub source_hash: String,
    /// Answered from the record instead of running cargo.
    pub from_record: bool,
    /// The full report as JSON, to answer a re-check of the same sources.
    pub report: Option<String>,
}

/// Where a learner stands on one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Attempted,
    NotStarted,
}

impl Status {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Attempted => "attempted",
            Status::NotStarted => "not started",
        }
    }
}

/// Summary of one exercise's attempts since its latest reset (all of them when never reset).
/// Which status that makes is decided in one place, `crate::course`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExerciseSummary {
    pub attempts: u32,
    pub(crate) passed: bool,
    pub(crate) last_outcome: String,
    /// Local time, `YYYY-MM-DD HH:MM:SS`; `?` when the stored time is out of range.
    pub(crate) last_at: String,
    pub(crate) last_failing: Vec<String>,
}

pub struct Progress {
    conn: Connection,
    path: PathBuf,
    /// The file's identity (device, inode) when it was opened: a write checks the path still
    /// names it, so an attempt is not written into a file deleted meanwhile, unseen.
    file: Option<(u64, u64)>,
    /// The file was there but empty (0 bytes) where asyncwork had graded before: a record lost
    /// (truncated), started again from nothing. See [`Progress::was_emptied`].
    emptied: bool,
}

/// The (device, inode) of the file at `path`, if any.
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("path", &self.path)
            .finish()
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The true cause of a database error: a read-only file or folder is not damage, and moving it
/// aside (the advice for a damaged file) would not help.
fn open_error(path: &Path, e: rusqlite::Error) -> ProgressError {
    use rusqlite::ErrorCode::{
        CannotOpen, DatabaseBusy, DatabaseLocked, DiskFull, PermissionDenied, ReadOnly,
    };
    // A locked record and a full disk are not damage either: say what they are.
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => {
            return ProgressError::Locked {
                path: path.to_path_buf(),
            };
        }
        Some(DiskFull) => {
            return ProgressError::DiskFull {
                path: path.to_path_buf(),
            };
        }
        _ => {}
    }
    let read_only = matches!(e.sqlite_error_code(), Some(ReadOnly | PermissionDenied))
        || (e.sqlite_error_code() == Some(CannotOpen) && path_is_read_only(path));
    if read_only {
        ProgressError::ReadOnly {
            path: path.to_path_buf(),
        }
    } else {
        ProgressError::Unreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    }
}

/// Does the file or its folder lack write permission?
fn path_is_read_only(path: &Path) -> bool {
    let read_only = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    read_only(path) || path.parent().is_some_and(read_only)
}

impl Progress {
    /// Open (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Progress> {
        if let Some(parent) = path.parent() {
            if parent.exists() && !parent.is_dir() {
                return Err(ProgressError::FolderIsAFile {
                    folder: parent.to_path_buf(),
                });
            }
            std::fs::create_dir_all(parent).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    ProgressError::ReadOnly {
                        path: path.to_path_buf(),
                    }
                }
                _ => ProgressError::Create {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                },
            })?;
        }
        // 0 bytes beside the grading folder: there was a record here once (a check made that
        // folder and wrote the record); SQLite would silently start a new one.
        let emptied = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
            && path.with_file_name("grade").is_dir();
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        let mut p = Self::setup(conn, path.to_path_buf())?;
        p.emptied = emptied;
        Ok(p)
    }

    /// Was the record an empty file where asyncwork had graded before (so it is a new, empty
    /// record now)? The command layer warns: the learner's history is gone, not just unread.
    pub fn was_emptied(&self) -> bool {
        self.emptied
    }

    /// The path still names the file opened: not deleted or replaced since.
    fn still_there(&self) -> Result<()> {
        match self.file {
            Some(file) if identity(&self.path) != Some(file) => Err(ProgressError::Gone {
                path: self.path.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Open the record at `path` for a command that only reads it (`progress`, the course's
    /// marks): as [`Progress::open`] does, or, when the record or its folder is read-only
    /// (where `open` cannot switch the journal or create its files), read-only: reading needs
    /// no write. The record must exist (reading never creates one).
    pub fn open_to_read(path: &Path) -> Result<Progress> {
        match Progress::open(path) {
            Err(ProgressError::ReadOnly { .. }) if path.is_file() => Progress::open_read_only(path),
            other => other,
        }
    }

    /// The record at `path` opened read-only. A record in WAL mode wants its `-shm` file, which
    /// a read-only folder cannot hold: then it is read as immutable, which needs none (the last
    /// writer to close folded its log into the file, so nothing is missed).
    fn open_read_only(path: &Path) -> Result<Progress> {
        use rusqlite::OpenFlags;
        let read = |conn: Connection| {
            let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok::<_, rusqlite::Error>((conn, version))
        };
        let plain = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .and_then(read)
            .or_else(|_| {
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(
                    uri,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
                )
                .and_then(read)
            });
        let (conn, version) = plain.map_err(|e| open_error(path, e))?;
        if version != SCHEMA_VERSION {
            // An older record needs a migration (a write); a newer one is not ours to read.
            return Err(if version > SCHEMA_VERSION {
                ProgressError::TooNew {
                    path: path.to_path_buf(),
                    found: version,
                }
            } else {
                ProgressError::ReadOnly {
                    path: path.to_path_buf(),
                }
            });
        }
        Ok(Progress {
            conn,
            path: path.to_path_buf(),
            file: identity(path),
            emptied: false,
        })
    }

    /// A throwaway record in memory: for tests, and for `watch` when the learner's record cannot
    /// be opened (it grades, and remembers for the session only, what it cannot record).
    pub(crate) fn open_in_memory() -> Result<Progress> {
        let conn = Connection::open_in_memory().map_err(|e| ProgressError::Create {
            path: PathBuf::from(":memory:"),
            detail: e.to_string(),
        })?;
        Self::setup(conn, PathBuf::from(":memory:"))
    }

    /// The record at `path`, opened read-only: what a record whose file or folder is read-only
    /// behaves like, even for root (who can write through chmod).
    #[cfg(test)]
    pub(crate) fn open_read_only_for_tests(path: &Path) -> Progress {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        let conn = Connection::open_with_flags(path, flags).unwrap();
        Self::setup(conn, path.to_path_buf()).unwrap()
    }

    fn setup(conn: Connection, path: PathBuf) -> Result<Progress> {
        let unreadable = |e: rusqlite::Error| open_error(&path, e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(unreadable)?;
        // Reading the journal mode is the first real read: a file that is not a database
        // fails here ("file is not a database").
        // Switching to WAL takes an exclusive lock and SQLite does not wait for it through the busy
        // handler: two first runs at once would see "database is locked". Retry within the busy
        // timeout instead.
        let started = std::time::Instant::now();
        let _mode: String = loop {
            match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)) {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                other => break other.map_err(unreadable)?,
            }
        };
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(unreadable)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(unreadable)?;
        if version > SCHEMA_VERSION {
            return Err(ProgressError::TooNew {
                path,
                found: version,
            });
        }
        if version < SCHEMA_VERSION {
            // IMMEDIATE: two first runs at once must not both migrate half-way.
            // Another first run may have migrated while this one waited for the lock: look again
            // inside the transaction.
            conn.execute_batch("BEGIN IMMEDIATE").map_err(unreadable)?;
            let now: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(unreadable)?;
            let migrate = if now < SCHEMA_VERSION {
                format!("{SCHEMA} PRAGMA user_version = {SCHEMA_VERSION};")
            } else {
                String::new()
            };
            conn.execute_batch(&format!("{migrate} COMMIT;"))
                .map_err(unreadable)?;
        }
        let file = identity(&path);
        Ok(Progress {
            conn,
            path,
            file,
            emptied: false,
        })
    }

    fn err(&self, e: rusqlite::Error) -> ProgressError {
        open_error(&self.path, e)
    }

    /// Record one attempt; returns its id.
    pub(crate) fn record_attempt(&self, a: &Attempt) -> Result<i64> {
        self.still_there()?;
        let failing = serde_json::to_string(&a.failing_tests).unwrap_or_else(|_| "[]".into());
        self.conn
            .execute(
                "INSERT INTO attempts (exercise, started_at_ms, duration_ms, outcome, failing_tests,
                                       source_hash, from_record, report)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    a.exercise,
                    a.started_at_ms,
                    a.duration_ms,
                    a.outcome,
                    failing,
                    a.source_hash,
                    a.from_record,
                    a.report
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The stored report of the latest graded attempt at these exact sources, with its time.
    /// Only results that do not depend on the time limit (pass, fail, error) are reused.
    pub(crate) fn recorded_report(
        &self,
        exercise: &str,
        source_hash: &str,
    ) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT report, COALESCE(datetime(started_at_ms / 1000, 'unixepoch', 'localtime'), '?')
                 FROM attempts
                 WHERE exercise = ?1 AND source_hash = ?2 AND report IS NOT NULL
                   AND outcome IN ('pass', 'fail', 'error')
                 ORDER BY id DESC LIMIT 1",
                params![exercise, source_hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// All attempts at one exercise, oldest first.
    pub fn attempts(&self, exercise: &str) -> Result<Vec<Attempt>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT exercise, started_at_ms, duration_ms, outcome, failing_tests, source_hash,
                        from_record, report
                 FROM attempts WHERE exercise = ?1 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![exercise], |r| {
                let failing: String = r.get(4)?;
                Ok(Attempt {
                    exercise: r.get(0)?,
                    started_at_ms: r.get(1)?,
                    duration_ms: r.get(2)?,
                    outcome: r.get(3)?,
                    failing_tests: serde_json::from_str(&failing).unwrap_or_default(),
                    source_hash: r.get(5)?,
                    from_record: r.get(6)?,
                    report: r.get(7)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Per exercise: attempt count, whether it passed, the last result, counting only the
    /// attempts since the exercise's latest reset. An exercise reset after its last attempt has
    /// no summary: it is to do again.
    pub(crate) fn summaries(&self) -> Result<HashMap<String, ExerciseSummary>> {
        let mut stmt = self
            .conn
            .prepare(
                "WITH live AS (
                     SELECT * FROM attempts t
                     WHERE t.id > COALESCE((SELECT MAX(after_attempt) FROM resets r
                                            WHERE r.exercise = t.exercise), 0))
                 SELECT a.exercise, agg.n, agg.passed, a.outcome,
                        COALESCE(datetime(a.started_at_ms / 1000, 'unixepoch', 'localtime'), '?'),
                        a.failing_tests
                 FROM live a
                 JOIN (SELECT exercise, COUNT(*) AS n, MAX(outcome = 'pass') AS passed, MAX(id) AS last
                       FROM live GROUP BY exercise) agg ON a.id = agg.last",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let failing: String = r.get(5)?;
                Ok((
                    r.get::<_, String>(0)?,
                    ExerciseSummary {
                        attempts: r.get(1)?,
                        passed: r.get::<_, i64>(2)? != 0,
                        last_outcome: r.get(3)?,
                        last_at: r.get(4)?,
                        last_failing: serde_json::from_str(&failing).unwrap_or_default(),
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<HashMap<_, _>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Record that the demo `demo` of lesson `lesson` ran to its end in front of the learner.
    pub(crate) fn record_demo_watched(&self, lesson: &str, demo: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO demos_watched (lesson, demo, first_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(lesson, demo) DO UPDATE SET times = times + 1",
                params![lesson, demo, now_ms()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The demos watched, per lesson.
    pub(crate) fn demos_watched(
        &self,
    ) -> Result<HashMap<String, std::collections::BTreeSet<String>>> {
        let mut stmt = self
            .conn
            .prepare("SELECT lesson, demo FROM demos_watched")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        let mut out: HashMap<String, std::collections::BTreeSet<String>> = HashMap::new();
        for row in rows {
            let (lesson, demo) = row.map_err(|e| self.err(e))?;
            out.entry(lesson).or_default().insert(demo);
        }
        Ok(out)
    }

    /// Record that `exercise` was restored to its shipped files: its earlier attempts stop
    /// counting (they stay in the record).
    pub(crate) fn record_reset(&self, exercise: &str) -> Result<()> {
        self.still_there()?;
        self.conn
            .execute(
                "INSERT INTO resets (exercise, at_ms, after_attempt)
                 VALUES (?1, ?2, COALESCE((SELECT MAX(id) FROM attempts), 0))",
                params![exercise, now_ms()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// How many hints of `exercise` the learner has seen. Only reads: a failing check says what
    /// `hint` would give next without taking the write lock [`Self::update_hints_shown`] takes.
    pub(crate) fn hints_shown(&self, exercise: &str) -> Result<usize> {
        hints_shown_in(&self.conn, exercise).map_err(|e| self.err(e))
    }

    /// Change the count of hints seen of `exercise` to `change(count)`, atomically: the read and
    /// the write happen in one IMMEDIATE transaction, so two `hint` commands at once cannot both
    /// read 2 and both write 3 (or one write 1 after the other wrote 3). Returns (before, after).
    pub(crate) fn update_hints_shown(
        &self,
        exercise: &str,
        change: impl FnOnce(usize) -> usize,
    ) -> Result<(usize, usize)> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(|e| self.err(e))?;
        let before = hints_shown_in(&tx, exercise).map_err(|e| self.err(e))?;
        let after = change(before);
        if after != before {
            tx.execute(
                "INSERT INTO hints (exercise, shown) VALUES (?1, ?2)
                 ON CONFLICT(exercise) DO UPDATE SET shown = excluded.shown",
                params![exercise, after as i64],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok((before, after))
    }
}

/// The count of hints of `exercise` seen, read on `conn` (a transaction's, for an update).
fn hints_shown_in(conn: &rusqlite::Connection, exercise: &str) -> rusqlite::Result<usize> {
    let shown: Option<i64> = conn
        .query_row(
            "SELECT shown FROM hints WHERE exercise = ?1",
            params![exercise],
            |r| r.get(0),
        )
        .optional()?;
    Ok(shown.unwrap_or(0).max(0) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Done / attempted / not started, the way every reader of the record computes it.
    fn status(p: &Progress, exercise: &str) -> Status {
        crate::course::status_of(p.summaries().unwrap().get(exercise))
    }

    fn attempt(ex: &str, outcome: &str, hash: &str) -> Attempt {
        Attempt {
            exercise: ex.into(),
            started_at_ms: now_ms(),
            duration_ms: 12,
            outcome: outcome.into(),
            failing_tests: if outcome == "pass" {
                vec![]
            } else {
                vec!["t1".into()]
            },
            source_hash: hash.into(),
            from_record: false,
            report: Some(format!("{{\"o\":\"{outcome}\"}}")),
        }
    }

    #[test]
    fn records_and_summarises() {
        let p = Progress::open_in_memory().unwrap();
        assert_eq!(status(&p, "03_gather"), Status::NotStarted);
        p.record_attempt(&attempt("03_gather", "fail", "h1"))
            .unwrap();
        assert_eq!(status(&p, "03_gather"), Status::Attempted);
        p.record_attempt(&attempt("03_gather", "pass", "h2"))
            .unwrap();
        p.record_attempt(&attempt("03_gather", "fail", "h3"))
            .unwrap();
        // Once passed, done (like rustlings), even if a later attempt broke it.
        assert_eq!(status(&p, "03_gather"), Status::Done);
        let s = p.summaries().unwrap();
        let g = &s["03_gather"];
        assert_eq!(g.attempts, 3);
        assert!(g.passed);
        assert_eq!(g.last_outcome, "fail");
        assert_eq!(g.last_failing, vec!["t1".to_string()]);
        assert_eq!(g.last_at.len(), 19, "{}", g.last_at);
        assert_eq!(p.attempts("03_gather").unwrap().len(), 3);
    }

    /// Issue 14: `reset` makes an exercise "to do" again; its history stays.
    #[test]
    fn a_reset_makes_an_exercise_to_do_again() {
        let p = Progress::open_in_memory().unwrap();
        p.record_attempt(&attempt("03_gather", "pass", "h1"))
            .unwrap();
        p.record_attempt(&attempt("04_taskgroup", "fail", "h2"))
            .unwrap();
        assert_eq!(status(&p, "03_gather"), Status::Done);
        p.record_reset("03_gather").unwrap();
        assert_eq!(status(&p, "03_gather"), Status::NotStarted);
        assert_eq!(
            status(&p, "04_taskgroup"),
            Status::Attempted,
            "only that one"
        );
        assert_eq!(p.attempts("03_gather").unwrap().len(), 1, "history kept");
        p.record_attempt(&attempt("03_gather", "fail", "h3"))
            .unwrap();
        assert_eq!(status(&p, "03_gather"), Status::Attempted);
        assert_eq!(p.summaries().unwrap()["03_gather"].attempts, 1);
    }

    /// A record written by the first schema (no `resets` table) opens, keeps its rows and gains
    /// the new table.
    #[test]
    fn a_version_1_record_is_migrated_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE attempts (
                    id INTEGER PRIMARY KEY, exercise TEXT NOT NULL, started_at_ms INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL, outcome TEXT NOT NULL,
                    failing_tests TEXT NOT NULL DEFAULT '[]', source_hash TEXT NOT NULL,
                    from_record INTEGER NOT NULL DEFAULT 0, report TEXT);
                 CREATE TABLE hints (exercise TEXT PRIMARY KEY, shown INTEGER NOT NULL);
                 INSERT INTO attempts (exercise, started_at_ms, duration_ms, outcome, source_hash)
                    VALUES ('03_gather', 1700000000000, 5, 'pass', 'h');
                 INSERT INTO hints VALUES ('03_gather', 2);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let p = Progress::open(&path).unwrap();
        assert_eq!(status(&p, "03_gather"), Status::Done);
        assert_eq!(p.update_hints_shown("03_gather", |n| n).unwrap().0, 2);
        assert!(p.demos_watched().unwrap().is_empty());
        p.record_demo_watched("gather", "sequential_vs_gather")
            .unwrap();
        p.record_demo_watched("gather", "sequential_vs_gather")
            .unwrap();
        assert_eq!(p.demos_watched().unwrap()["gather"].len(), 1);
        p.record_reset("03_gather").unwrap();
        assert_eq!(status(&p, "03_gather"), Status::NotStarted);
        let version: i64 = p
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn recorded_report_only_for_same_sources_and_stable_outcomes() {
        let p = Progress::open_in_memory().unwrap();
        p.record_attempt(&attempt("03_gather", "fail", "h1"))
            .unwrap();
        p.record_attempt(&attempt("03_gather", "stuck", "h2"))
            .unwrap();
        assert!(
            p.recorded_report("03_gather", "h1")
                .unwrap()
                .unwrap()
                .0
                .contains("fail")
        );
        assert!(
            p.recorded_report("03_gather", "h2").unwrap().is_none(),
            "stuck depends on --timeout"
        );
        assert!(p.recorded_report("04_taskgroup", "h1").unwrap().is_none());
    }

    #[test]
    fn hints_are_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".asyncwork/progress.db");
        {
            let p = Progress::open(&path).unwrap();
            assert_eq!(p.update_hints_shown("03_gather", |_| 2).unwrap(), (0, 2));
        }
        let p = Progress::open(&path).unwrap();
        assert_eq!(p.hints_shown("03_gather").unwrap(), 2);
        assert_eq!(p.hints_shown("04_taskgroup").unwrap(), 0);
        assert_eq!(p.update_hints_shown("03_gather", |n| n).unwrap(), (2, 2));
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        let threads: Vec<_> = (0..6)
            .map(|t| {
                let path = path.clone();
                std::thread::spawn(move || {
                    // Each thread is its own connection, like two `asyncwork check` processes.
                    let p = Progress::open(&path).unwrap();
                    for i in 0..40 {
                        p.record_attempt(&attempt(&format!("ex{t}"), "fail", &format!("h{i}")))
                            .unwrap();
                        if i % 10 == 0 {
                            p.update_hints_shown(&format!("ex{t}"), |_| i).unwrap();
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let p = Progress::open(&path).unwrap();
        let s = p.summaries().unwrap();
        assert_eq!(s.len(), 6);
        assert!(s.values().all(|s| s.attempts == 40));
    }

    /// Issue 13, item 10: concurrent hint requests (each its own connection, like separate
    /// `asyncwork hint` processes) each reveal a different hint, and the counter ends at the
    /// number of requests: no read-then-write race loses an update.
    #[test]
    fn concurrent_hint_counts_lose_no_update() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        Progress::open(&path).unwrap();
        let start = std::sync::Arc::new(std::sync::Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    let p = Progress::open(&path).unwrap();
                    start.wait();
                    (0..5)
                        .map(|_| p.update_hints_shown("03_gather", |n| n + 1).unwrap().1)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut seen: Vec<usize> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            (1..=40).collect::<Vec<_>>(),
            "each request its own hint"
        );
        let p = Progress::open(&path).unwrap();
        assert_eq!(p.update_hints_shown("03_gather", |n| n).unwrap().0, 40);
    }

    /// Issue 13, item 9: a record that cannot be written is called read-only, not damaged.
    /// (Tests run as root here, where chmod does not stop writes: a read-only connection gives
    /// SQLite's real answer.)
    #[test]
    fn a_read_only_record_is_named_read_only_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        drop(Progress::open(&path).unwrap());
        let conn =
            Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let p = Progress::setup(conn, path.clone()).unwrap();
        let err = p
            .record_attempt(&attempt("03_gather", "fail", "h"))
            .unwrap_err();
        assert!(matches!(err, ProgressError::ReadOnly { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains("read-only") && msg.contains("chmod u+w"),
            "{msg}"
        );
        assert!(
            !msg.contains("may be damaged") && !msg.contains("mv "),
            "{msg}"
        );
    }

    /// Issue 13, item 9: `.asyncwork` as a regular file gets its name and the way out, not a bare
    /// "File exists (os error 17)".
    /// Issue 23: `progress` failed on a read-only `.asyncwork/`; a command that only reads
    /// opens the record read-only. (As root, chmod does not stop writes, so the read-only
    /// opening is tested directly.)
    #[test]
    fn a_read_only_record_is_read_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        {
            let p = Progress::open(&path).unwrap();
            p.record_attempt(&attempt("01_x", "pass", "h1")).unwrap();
        }
        let p = Progress::open_read_only(&path).unwrap();
        assert_eq!(status(&p, "01_x"), Status::Done);
        let err = p.record_demo_watched("gather", "demo").unwrap_err();
        assert!(matches!(err, ProgressError::ReadOnly { .. }), "{err:?}");
    }

    /// Issue 23: the record deleted during a check took the attempt into the unlinked file,
    /// silently; a 0-byte record where asyncwork had graded was silently a new one.
    #[test]
    fn a_deleted_record_is_said_and_an_emptied_one_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        let p = Progress::open(&path).unwrap();
        assert!(!p.was_emptied());
        std::fs::remove_file(&path).unwrap();
        let err = p.record_attempt(&attempt("01_x", "pass", "h")).unwrap_err();
        assert!(matches!(err, ProgressError::Gone { .. }), "{err:?}");
        assert!(err.to_string().contains("not recorded"), "{err}");
        drop(p);

        // Empty, with no sign of earlier grading: a new record, nothing to say.
        std::fs::write(&path, "").unwrap();
        assert!(!Progress::open(&path).unwrap().was_emptied());
        std::fs::write(&path, "").unwrap();
        std::fs::create_dir(dir.path().join("grade")).unwrap();
        assert!(Progress::open(&path).unwrap().was_emptied());
    }

    #[test]
    fn the_record_folder_as_a_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(".asyncwork");
        std::fs::write(&folder, "not a folder").unwrap();
        let msg = Progress::open(&folder.join("progress.db"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains(".asyncwork is a file"), "{msg}");
        assert!(msg.contains("mv '"), "{msg}");
        assert!(!msg.contains("os error"), "{msg}");
    }

    /// Issue 13, item 9: one row with an out-of-range time does not break the summaries.
    #[test]
    fn an_out_of_range_time_does_not_break_the_record() {
        let p = Progress::open_in_memory().unwrap();
        let mut a = attempt("03_gather", "fail", "h1");
        a.started_at_ms = i64::MAX;
        p.record_attempt(&a).unwrap();
        let s = p.summaries().unwrap();
        assert_eq!(s["03_gather"].last_at, "?");
        assert!(p.recorded_report("03_gather", "h1").unwrap().is_some());
    }

    #[test]
    fn corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        std::fs::write(&path, b"this is not a database, just text that happens to be long enough to fill a header page ".repeat(50)).unwrap();
        let err = Progress::open(&path).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, ProgressError::Unreadable { .. }));
        assert!(msg.contains("cannot read your progress database"), "{msg}");
        assert!(msg.contains("mv '"), "the way out is named: {msg}");
        assert!(msg.contains(".broken"), "{msg}");
    }

    /// Issue 23: a locked record and a full disk were "It may be damaged. Move it aside": each
    /// is named, and moving a healthy file is never advised.
    #[test]
    fn a_locked_record_and_a_full_disk_are_named_not_damaged() {
        let path = Path::new("/wb/.asyncwork/progress.db");
        let sqlite = |code| {
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("boom".into()))
        };
        for (code, words) in [
            (rusqlite::ffi::SQLITE_BUSY, "another program holds"),
            (rusqlite::ffi::SQLITE_LOCKED, "another program holds"),
            (rusqlite::ffi::SQLITE_FULL, "the disk that holds"),
        ] {
            let msg = open_error(path, sqlite(code)).to_string();
            assert!(msg.contains(words), "{msg}");
            assert!(msg.contains("Nothing is damaged"), "{msg}");
            assert!(
                !msg.contains("may be damaged") && !msg.contains("mv "),
                "{msg}"
            );
        }
        let msg = open_error(path, sqlite(rusqlite::ffi::SQLITE_CORRUPT)).to_string();
        assert!(msg.contains("may be damaged"), "{msg}");
    }

    #[test]
    fn unreadable_location_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be.
        let path = dir.path().join("progress.db");
        std::fs::create_dir_all(&path).unwrap();
        let msg = Progress::open(&path).unwrap_err().to_string();
        assert!(msg.contains("progress database"), "{msg}");
    }
}
