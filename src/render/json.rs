//! `--json`: the whole run as one JSON document on stdout (see `LessonReport`).

use crate::demo::report::LessonReport;

pub fn to_json(report: &LessonReport) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
