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

/// Write one attempt to the record (when there is one). Reports without a source hash (no
/// sources to hash) are not attempts.
pub(crate) fn record(
    progress: Option<&Progress>,
    report: &ExerciseReport,
    from_record: bool,
) -> Result<()> {
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
