//! `http_retry`: GET until it succeeds, with exponential backoff and jitter between attempts,
//! each attempt under its own timeout (what `tenacity` or a hand-written loop around
//! `asyncio.wait_for` does). Every attempt is a phase on the timeline.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::http::{fetch, fill, lesson, path_problems, real_path, sample_target, server_ms, session, timeout_problems};
use super::{Kind, Needs, Open, over_limit};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::lab::Latency;
use crate::demo::model::Measured;
use crate::demo::report::PhaseName;
use crate::io::params::Target;

/// Most tries of one `http_retry`.
pub const MAX_ATTEMPTS: u32 = 10;


/// `op = "http_retry"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpRetry {
    pub path: String,
    /// What `{ms}` in the path stands for.
    #[serde(default)]
    pub ms: Option<u64>,
    /// How many tries at most.
    pub attempts: u32,
    /// The deadline of each attempt.
    pub timeout_ms: u64,
    /// The first backoff; it doubles after every failed attempt.
    #[serde(default = "default_backoff")]
    pub backoff_ms: u64,
    /// The loopback latency of the attempts, once measured.
    #[serde(skip)]
    pub measured: Measured,
}

fn default_backoff() -> u64 {
    100
}

impl HttpRetry {
    /// The server's time on one attempt.
    fn server_ms(&self) -> u64 {
        server_ms(&self.path, self.ms)
    }

    /// How many attempts will fail before one succeeds (or all do), as far as the path tells:
    /// `/flaky?fail=K`, a retryable status, a server slower than the timeout. For the ideal time.
    fn failures(&self) -> u32 {
        let retries = self.attempts.clamp(1, MAX_ATTEMPTS) - 1;
        match sample_target(&self.path, self.ms) {
            _ if self.server_ms() >= self.timeout_ms => retries,
            Ok(Target::Flaky { fail, .. }) => fail.min(u64::from(retries)) as u32,
            Ok(Target::Status { code }) if retryable(code) => retries,
            _ => 0,
        }
    }
}

impl Kind for HttpRetry {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("path", "the demo server path to GET, e.g. \"/flaky/{key}?fail=2\""),
        ("ms", "what `{ms}` in the path stands for"),
        ("attempts", "how many tries at most"),
        ("timeout_ms", "the deadline of each attempt"),
        ("backoff_ms", "the first backoff, doubled after each failure; default 100"),
    ];
    const NEEDS: Needs = Needs::Server;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let mut out = path_problems(&self.path, self.ms);
        out.extend(timeout_problems(Some(self.timeout_ms)));
        out.extend(over_limit("backoff_ms", self.backoff_ms));
        let n = self.attempts;
        if n == 0 || n > MAX_ATTEMPTS {
            out.push(ParamError {
                key: Some("attempts".into()),
                message: format!("attempts must be between 1 and {MAX_ATTEMPTS}, got {n}"),
            });
        }
        out
    }

    fn nominal_ms(&self) -> u64 {
        // Every failed attempt, then the last one, each cut off at the timeout (the backoff
        // between them is in `added_ms`).
        u64::from(self.failures() + 1) * self.server_ms().min(self.timeout_ms)
    }

    fn added_ms(&self) -> f64 {
        // Equal jitter draws each doubling delay from its upper half: 3/4 of it on average.
        let backoff: f64 = (0..self.failures())
            .map(|k| self.backoff_ms as f64 * 2f64.powi(k as i32) * 0.75)
            .sum();
        backoff + self.measured.0
    }

    fn timer_waits(&self) -> u32 {
        // Each failed attempt, then its backoff, then the last attempt.
        2 * self.failures() + 1
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        let real = |ms: u64| Value::from(ms as f64 / speed);
        Map::from_iter([
            ("path".into(), Value::from(real_path(&self.path, self.ms, speed))),
            ("attempts".into(), Value::from(self.attempts)),
            ("backoff_ms".into(), real(self.backoff_ms)),
            ("timeout_ms".into(), real(self.timeout_ms)),
            ("timeout_lesson_ms".into(), Value::from(self.timeout_ms)),
        ])
    }

    fn estimate(&mut self, latency: Option<&Latency>, speed: f64) {
        // The expected backoff is known before anything runs; the latency of every attempt is
        // measured.
        if let Some(l) = latency {
            self.measured = lesson(f64::from(self.failures() + 1) * l.warm_ms, speed);
        }
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        Box::pin(retry(cx, id, self))
    }
}

/// Worth trying again: the server was overloaded or failing, not told something wrong.
fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

/// A number in [0, 1) from the standard library's per-process random hash keys (no `rand`
/// dependency for one jitter).
fn random_unit() -> f64 {
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u8);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait after failed attempt `n` (1-based): `base * 2^(n-1)`, with "equal jitter" (half of
/// it fixed, half random) so many clients that failed together do not retry together.
fn backoff(base: Duration, n: u32) -> Duration {
    let full = base.mul_f64(2f64.powi(n.saturating_sub(1).min(20) as i32));
    full.mul_f64(0.5 + 0.5 * random_unit())
}

/// `http_retry`: GET until it succeeds, a non-retryable status comes back, or the attempts run
/// out; each attempt is cut off after `timeout_ms`.
async fn retry(cx: &Arc<Ctx>, id: u32, op: &HttpRetry) -> Result<(), String> {
    let s = session(cx)?;
    let path = fill(cx, s, id, &op.path, op.ms);
    let attempts = op.attempts.clamp(1, MAX_ATTEMPTS);
    let (timeout_ms, backoff_ms) = (op.timeout_ms, op.backoff_ms);
    for n in 1..=attempts {
        let phase = cx.rec.phase_begin(id, PhaseName::Attempt(n));
        let result =
            tokio::time::timeout(cx.scaled(timeout_ms), fetch(cx, s, id, &path, false)).await;
        cx.rec.phase_end(phase);
        let error = match result {
            Ok(Ok(reply)) if reply.is_success() => return Ok(()),
            Ok(Ok(reply)) if !retryable(reply.status) => {
                return Err(format!(
                    "GET {path}: {} (not retried: asking again will not change it)",
                    reply.describe_status()
                ));
            }
            Ok(Ok(reply)) => reply.describe_status(),
            Ok(Err(e)) => e,
            Err(_) => format!("no answer within {timeout_ms} ms"),
        };
        if n == attempts {
            return Err(format!(
                "GET {path}: gave up after {attempts} attempts; the last: {error}"
            ));
        }
        tokio::time::sleep(backoff(cx.scaled(backoff_ms), n)).await;
    }
    Err(format!("GET {path}: no attempt was made"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_equal_jitter() {
        let base = Duration::from_millis(100);
        for n in 1..=4 {
            let full = 100.0 * 2f64.powi(n as i32 - 1);
            let b = backoff(base, n).as_secs_f64() * 1000.0;
            assert!(b >= full / 2.0 - 0.001 && b <= full + 0.001, "{n}: {b}");
        }
        assert!(retryable(503) && retryable(429) && !retryable(404));
    }
}
