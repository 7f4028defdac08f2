//! The real-I/O ops' parameters (`http`, `http_retry`, `http_pages`, `sqlite`, `sqlite_bulk`):
//! which keys each takes, their bounds, and their conversion to [`Op`].
//!
//! A `path` is checked with the demo server's own parser ([`Target::parse`]), so a lesson cannot
//! ask for a request the server would refuse. Durations in a path are written `{ms}` and given as
//! `ms = N`, so `--speed` scales them like every other duration.

use super::{MAX_ITEMS, MAX_MS, OpKind, SpecProblem, TaskSpec};
use crate::demo::model::{Measured, Op};
use crate::io::db::MAX_ROWS;
use crate::io::params::{MAX_PAGE_SIZE, Target};

/// Most tries of one `http_retry`.
pub const MAX_ATTEMPTS: u32 = 10;
/// Longest `path`.
const MAX_PATH: usize = 200;

impl OpKind {
    /// Does real network or database I/O (and so has parameters of its own).
    pub fn is_real_io(self) -> bool {
        matches!(
            self,
            OpKind::Http
                | OpKind::HttpRetry
                | OpKind::HttpPages
                | OpKind::Sqlite
                | OpKind::SqliteBulk
        )
    }
}

impl TaskSpec {
    /// `path` with `{ms}` and `{key}` filled in as the op will (the lesson's `ms`, a sample key).
    fn sample_target(&self) -> Option<Result<Target, String>> {
        let path = self.path.as_ref()?;
        let ms = self.ms.unwrap_or(0).to_string();
        let filled = path.replace("{ms}", &ms).replace("{key}", "k");
        Some(Target::parse(&filled).map_err(|bad| bad.message))
    }

    pub(super) fn io_problems(&self, at: &str, out: &mut Vec<SpecProblem>) {
        let op = self.op.as_str();
        let k = self.op;
        let allowed: [(&str, bool, bool); 9] = [
            (
                "path",
                self.path.is_some(),
                matches!(k, OpKind::Http | OpKind::HttpRetry),
            ),
            ("new_client", self.new_client.is_some(), k == OpKind::Http),
            (
                "timeout_ms",
                self.timeout_ms.is_some(),
                matches!(k, OpKind::Http | OpKind::HttpRetry),
            ),
            ("attempts", self.attempts.is_some(), k == OpKind::HttpRetry),
            (
                "backoff_ms",
                self.backoff_ms.is_some(),
                k == OpKind::HttpRetry,
            ),
            (
                "page_size",
                self.page_size.is_some(),
                k == OpKind::HttpPages,
            ),
            (
                "offload",
                self.offload.is_some(),
                matches!(k, OpKind::Sqlite | OpKind::SqliteBulk),
            ),
            ("rows", self.rows.is_some(), k == OpKind::SqliteBulk),
            (
                "transaction",
                self.transaction.is_some(),
                k == OpKind::SqliteBulk,
            ),
        ];
        for (key, present, ok) in allowed {
            if present && !ok {
                out.push(SpecProblem::at(
                    format!("{at}.{key}"),
                    format!("`{key}` does not apply to op `{op}`"),
                ));
            }
        }
        if !k.is_real_io() {
            return;
        }
        let needs = |key: &str, what: &str, present: bool, out: &mut Vec<SpecProblem>| {
            if !present {
                out.push(SpecProblem::at(
                    format!("{at}.op"),
                    format!("op `{op}` needs `{key}` ({what})"),
                ));
            }
        };
        match k {
            OpKind::Http | OpKind::HttpRetry => {
                needs(
                    "path",
                    "the demo server path to GET, e.g. \"/delay/{ms}\"",
                    self.path.is_some(),
                    out,
                );
                self.path_problems(at, out);
            }
            OpKind::HttpPages => {
                needs("ms", "the delay of each page", self.ms.is_some(), out);
                match self.items {
                    None => needs("items", "how many items the listing has", false, out),
                    Some(n) if n == 0 || n > MAX_ITEMS => out.push(SpecProblem::at(
                        format!("{at}.items"),
                        format!("items must be between 1 and {MAX_ITEMS}, got {n}"),
                    )),
                    Some(_) => {}
                }
                if let Some(size) = self.page_size
                    && (size == 0 || u64::from(size) > MAX_PAGE_SIZE)
                {
                    out.push(SpecProblem::at(
                        format!("{at}.page_size"),
                        format!("page_size must be between 1 and {MAX_PAGE_SIZE}, got {size}"),
                    ));
                }
                let total = self.to_io_op(self.ms.unwrap_or(0)).nominal_ms();
                if total > MAX_MS {
                    out.push(SpecProblem::at(
                        format!("{at}.items"),
                        format!("pages x ms = {total} ms is over the {MAX_MS} ms (60 s) limit"),
                    ));
                }
            }
            OpKind::Sqlite => needs("ms", "how long the query runs", self.ms.is_some(), out),
            OpKind::SqliteBulk => {
                if self.ms.is_some() {
                    out.push(SpecProblem::at(
                        format!("{at}.ms"),
                        "`ms` does not apply to op `sqlite_bulk`: its time is what the inserts take",
                    ));
                }
                match self.rows {
                    None => needs("rows", "how many rows to insert", false, out),
                    Some(n) if n == 0 || n > MAX_ROWS => out.push(SpecProblem::at(
                        format!("{at}.rows"),
                        format!("rows must be between 1 and {MAX_ROWS}, got {n}"),
                    )),
                    Some(_) => {}
                }
                needs(
                    "transaction",
                    "true: one transaction; false: each insert committed on its own",
                    self.transaction.is_some(),
                    out,
                );
            }
            _ => {}
        }
        if k == OpKind::HttpRetry {
            needs(
                "attempts",
                "how many tries at most",
                self.attempts.is_some(),
                out,
            );
            needs(
                "timeout_ms",
                "the deadline of each attempt",
                self.timeout_ms.is_some(),
                out,
            );
            if let Some(n) = self.attempts
                && (n == 0 || n > MAX_ATTEMPTS)
            {
                out.push(SpecProblem::at(
                    format!("{at}.attempts"),
                    format!("attempts must be between 1 and {MAX_ATTEMPTS}, got {n}"),
                ));
            }
        }
        for (key, v) in [
            ("timeout_ms", self.timeout_ms),
            ("backoff_ms", self.backoff_ms),
        ] {
            match v {
                Some(0) if key == "timeout_ms" => out.push(SpecProblem::at(
                    format!("{at}.{key}"),
                    "timeout_ms must be at least 1",
                )),
                Some(v) if v > MAX_MS => out.push(SpecProblem::at(
                    format!("{at}.{key}"),
                    format!("{key} = {v} is over the {MAX_MS} ms (60 s) limit"),
                )),
                _ => {}
            }
        }
    }

    fn path_problems(&self, at: &str, out: &mut Vec<SpecProblem>) {
        let Some(path) = &self.path else {
            return;
        };
        let key = format!("{at}.path");
        if !path.starts_with('/') || path.len() > MAX_PATH || path.chars().any(char::is_whitespace)
        {
            out.push(SpecProblem::at(
                key,
                format!(
                    "path must start with `/`, have no spaces and be at most {MAX_PATH} characters"
                ),
            ));
            return;
        }
        let has_ms = path.contains("{ms}");
        if has_ms && self.ms.is_none() {
            out.push(SpecProblem::at(
                format!("{at}.op"),
                "the path has `{ms}`: give `ms` (milliseconds, scaled by --speed)",
            ));
        }
        if !has_ms && self.ms.is_some() {
            out.push(SpecProblem::at(
                format!("{at}.ms"),
                "`ms` is used only as `{ms}` in the path, and the path has none",
            ));
        }
        match self.sample_target() {
            Some(Err(message)) => out.push(SpecProblem::at(
                key,
                format!("the server would refuse it: {message}"),
            )),
            Some(Ok(target)) if !has_ms && target.server_ms() > 0 => out.push(SpecProblem::at(
                key,
                "write the path's duration as `{ms}` and give `ms = N`, so --speed scales it",
            )),
            _ => {}
        }
    }

    /// The real-I/O op of this (validated) table. `ms` is the lesson's, already bounded.
    pub(super) fn to_io_op(&self, ms: u64) -> Op {
        let path = || self.path.clone().unwrap_or_default();
        // The server's own time on one request: `{ms}`, times the chunks of a stream.
        let server_ms = || match self.sample_target() {
            Some(Ok(t)) => t.server_ms().min(MAX_MS),
            _ => ms,
        };
        match self.op {
            OpKind::HttpRetry => {
                let attempts = self.attempts.unwrap_or(1).clamp(1, MAX_ATTEMPTS);
                let timeout_ms = self.timeout_ms.unwrap_or(MAX_MS).clamp(1, MAX_MS);
                // How many attempts will fail before one succeeds (or all do), as far as the path
                // tells: for the ideal time only.
                let failures = match self.sample_target() {
                    _ if server_ms() >= timeout_ms => attempts - 1,
                    Some(Ok(Target::Flaky { fail, .. })) => {
                        (fail.min(u64::from(attempts - 1))) as u32
                    }
                    Some(Ok(Target::Status { code })) if code == 429 || code >= 500 => attempts - 1,
                    _ => 0,
                };
                Op::HttpRetry {
                    path: path(),
                    ms,
                    server_ms: server_ms(),
                    attempts,
                    backoff_ms: self.backoff_ms.unwrap_or(100).min(MAX_MS),
                    timeout_ms,
                    failures,
                    measured: Measured::default(),
                }
            }
            OpKind::HttpPages => Op::HttpPages {
                items: self.items.unwrap_or(1).clamp(1, MAX_ITEMS),
                page_size: self.page_size.unwrap_or(10).clamp(1, MAX_PAGE_SIZE as u32),
                ms,
                measured: Measured::default(),
            },
            OpKind::Sqlite => Op::Sqlite {
                ms,
                offload: self.offload.unwrap_or(false),
            },
            OpKind::SqliteBulk => Op::SqliteBulk {
                rows: self.rows.unwrap_or(1).clamp(1, MAX_ROWS),
                transaction: self.transaction.unwrap_or(true),
                offload: self.offload.unwrap_or(false),
                measured: Measured::default(),
            },
            // `http` (and, never reached, the other ops: the caller matches real-I/O ops only).
            _ => Op::Http {
                path: path(),
                ms,
                server_ms: server_ms(),
                new_client: self.new_client.unwrap_or(false),
                timeout_ms: self.timeout_ms.map(|t| t.clamp(1, MAX_MS)),
                measured: Measured::default(),
            },
        }
    }
}
