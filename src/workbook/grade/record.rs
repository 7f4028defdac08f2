//! The record's side of grading: answering an unchanged attempt from the learner's progress
//! database, and writing every attempt to it.
//!
//! An attempt is identified by the hash of the learner's `src/` and of the grader build (see
//! `shadow::source_hash`). Only verdicts that do not depend on the time limit are reused, and a
//! failure of the toolchain (cargo missing, a network error) is recorded as an attempt but not
//! kept as an answer: the same sources may well pass once the toolchain works.

use anyhow::Result;

use crate::progress::{self, Attempt, Progress};
use crate::workbook::report::{ExerciseReport, Verdict};

/// The stored report of the latest attempt at these exact sources, marked as answered from the
/// record. `None` when there is none, or when it no longer parses (an older asyncwork wrote it).
pub(crate) fn recorded(
    progress: &Progress,
    exercise: &str,
    source_hash: &str,
) -> Result<Option<ExerciseReport>> {
    let Some((json, at)) = progress.recorded_report(exercise, source_hash)? else {
        return Ok(None);
    };
    Ok(serde_json::from_str::<ExerciseReport>(&json)
        .ok()
        .map(|mut report| {
            report.from_record = Some(at);
            report
        }))
}

/// Write one attempt to the record; when that is impossible (a read-only record, a full disk),
/// say why in the report and go on: a grade the learner waited for is never lost to the record.
pub(crate) fn record_or_note(
    progress: Option<&Progress>,
    report: &mut ExerciseReport,
    from_record: bool,
) {
    if let Err(e) = record(progress, report, from_record) {
        report.not_recorded = Some(format!("{e:#}"));
    }
}

/// Write one attempt to the record (when there is one). Reports without a source hash (no
/// sources to hash) are not attempts.
fn record(progress: Option<&Progress>, report: &ExerciseReport, from_record: bool) -> Result<()> {
    let Some(p) = progress else { return Ok(()) };
    if report.source_hash.is_empty() {
        return Ok(());
    }
    let mut stored = report.clone();
    stored.from_record = None;
    stored.tampered = Vec::new();
    let keep_report =
        !from_record && (report.verdict != Verdict::Error || !report.errors.is_empty());
    p.record_attempt(&Attempt {
        exercise: report.exercise.clone(),
        started_at_ms: progress::now_ms() - report.duration_ms as i64,
        duration_ms: report.duration_ms as i64,
        outcome: report.verdict.as_str().to_string(),
        failing_tests: report.failing_tests(),
        source_hash: report.source_hash.clone(),
        from_record,
        report: keep_report.then(|| serde_json::to_string(&stored).unwrap_or_default()),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::report::Verdict;

    /// Issue 13, item 9: when the record cannot be written, the report says why and grading
    /// goes on.
    #[test]
    fn an_unwritable_record_is_noted_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.db");
        drop(Progress::open(&path).unwrap());
        let read_only = Progress::open_read_only_for_tests(&path);
        let mut report: ExerciseReport = serde_json::from_value(serde_json::json!({
            "exercise": "03_gather", "title": "t", "lesson": "gather", "outcome": "fail",
            "message": "1 of 3 tests failed", "tests": [], "errors": [], "tampered": [],
            "duration_ms": 5, "tests_ms": 3, "timeout_secs": 60.0, "source_hash": "h"
        }))
        .unwrap();
        record_or_note(Some(&read_only), &mut report, false);
        assert_eq!(report.verdict, Verdict::Fail);
        let why = report.not_recorded.as_deref().unwrap_or_default();
        assert!(why.contains("read-only"), "{why}");
    }
}
