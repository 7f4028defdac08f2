//! `http`: one GET to the loopback demo server with reqwest, through the run's shared client
//! (its pool reuses connections) or a new client per request (a new TCP connection every time,
//! like `httpx.get` without a client). Also the request helpers `http_retry` and `http_pages`
//! share.
//!
//! Every failure (a status of 400 or more, a timeout, a refused connection, a body that is not the
//! JSON expected) is the task's `Err`, with the path and the reason: never a panic.
//!
//! A `path` is checked with the demo server's own parser ([`Target::parse`]), so a lesson cannot
//! ask for a request the server would refuse. Durations in a path are written `{ms}` and given as
//! `ms = N`, so `--speed` scales them like every other duration.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Kind, Needs, Open, over_limit};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::lab::{Latency, Session};
use crate::demo::model::{MAX_MS, Measured};
use crate::io::client::{self, Reply};
use crate::io::params::Target;

/// Longest `path`.
const MAX_PATH: usize = 200;

/// `op = "http"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    /// The demo server path to GET (`/delay/{ms}`).
    pub path: String,
    /// What `{ms}` in the path stands for.
    #[serde(default)]
    pub ms: Option<u64>,
    /// A new client (and connection) for this request instead of the run's shared one.
    #[serde(default)]
    pub new_client: bool,
    /// The request's deadline.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// The loopback latency of one request, once measured.
    #[serde(skip)]
    pub measured: Measured,
}

/// What `path` and `ms` say together: the path with `{ms}` and `{key}` filled in as the op will
/// (the lesson's `ms`, a sample key), parsed as the server parses it.
pub(super) fn sample_target(path: &str, ms: Option<u64>) -> Result<Target, String> {
    let filled = path
        .replace("{ms}", &ms.unwrap_or(0).to_string())
        .replace("{key}", "k");
    Target::parse(&filled).map_err(|bad| bad.message)
}

/// The server's own time on one request to `path`: `{ms}`, times the chunks of a stream.
pub(super) fn server_ms(path: &str, ms: Option<u64>) -> u64 {
    match sample_target(path, ms) {
        Ok(t) => t.server_ms().min(MAX_MS),
        Err(_) => ms.unwrap_or(0),
    }
}

/// The problems of a `path` and the `ms` that fills its `{ms}`.
pub(super) fn path_problems(path: &str, ms: Option<u64>) -> Vec<ParamError> {
    let at = |key: &str, message: &str| ParamError {
        key: Some(key.into()),
        message: message.into(),
    };
    if !path.starts_with('/') || path.len() > MAX_PATH || path.chars().any(char::is_whitespace) {
        return vec![at(
            "path",
            &format!("path must start with `/`, have no spaces and be at most {MAX_PATH} characters"),
        )];
    }
    let mut out: Vec<ParamError> = ms.and_then(|ms| over_limit("ms", ms)).into_iter().collect();
    let has_ms = path.contains("{ms}");
    if has_ms && ms.is_none() {
        out.push(ParamError {
            key: None,
            message: "the path has `{ms}`: give `ms` (milliseconds, scaled by --speed)".into(),
        });
    }
    if !has_ms && ms.is_some() {
        out.push(at(
            "ms",
            "`ms` is used only as `{ms}` in the path, and the path has none",
        ));
    }
    match sample_target(path, ms) {
        Err(message) => out.push(at(
            "path",
            &format!("the server would refuse it: {message}"),
        )),
        Ok(target) if !has_ms && target.server_ms() > 0 => out.push(at(
            "path",
            "write the path's duration as `{ms}` and give `ms = N`, so --speed scales it",
        )),
        Ok(_) => {}
    }
    out
}

/// The problems of a request deadline.
pub(super) fn timeout_problems(timeout_ms: Option<u64>) -> Option<ParamError> {
    match timeout_ms? {
        0 => Some(ParamError {
            key: Some("timeout_ms".into()),
            message: "timeout_ms must be at least 1".into(),
        }),
        t => over_limit("timeout_ms", t),
    }
}

/// A demo server path with `{ms}` as real milliseconds at this speed (`{key}` is the runner's).
pub(super) fn real_path(path: &str, ms: Option<u64>, speed: f64) -> String {
    let real = (ms.unwrap_or(0) as f64 / speed).round() as u64;
    path.replace("{ms}", &real.to_string())
}

/// A measured time in real ms as lesson ms at `speed`.
pub(super) fn lesson(real_ms: f64, speed: f64) -> Measured {
    Measured(real_ms * speed)
}

impl Kind for Http {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("path", "the demo server path to GET, e.g. \"/delay/{ms}\""),
        ("ms", "what `{ms}` in the path stands for"),
        ("new_client", "a new client for this request instead of the shared one"),
        ("timeout_ms", "the request's deadline"),
    ];
    const NEEDS: Needs = Needs::Server;
    const HAS_BODY: bool = false;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let mut out = path_problems(&self.path, self.ms);
        out.extend(timeout_problems(self.timeout_ms));
        out
    }

    fn nominal_ms(&self) -> u64 {
        // A deadline cuts a slow request short.
        let server = server_ms(&self.path, self.ms);
        self.timeout_ms.map_or(server, |t| t.clamp(1, MAX_MS).min(server))
    }

    fn added_ms(&self) -> f64 {
        self.measured.0
    }

    fn timer_waits(&self) -> u32 {
        // A request waits on the server's timer (and the network).
        1
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn server_blocking_ms(&self) -> f64 {
        // `/work/blocking` is a `def`-style handler: it holds the server's only thread.
        if self.path.starts_with("/work/blocking") {
            server_ms(&self.path, self.ms) as f64
        } else {
            0.0
        }
    }

    fn python(&self, _task: &str, speed: f64) -> Map<String, Value> {
        let timeout = self.timeout_ms.map(|t| t.clamp(1, MAX_MS));
        Map::from_iter([
            ("path".into(), Value::from(real_path(&self.path, self.ms, speed))),
            ("new_client".into(), Value::from(self.new_client)),
            ("timeout_ms".into(), Value::from(timeout.map(|t| t as f64 / speed))),
            ("timeout_lesson_ms".into(), Value::from(timeout)),
        ])
    }

    fn estimate(&mut self, latency: Option<&Latency>, speed: f64) {
        if let Some(l) = latency {
            let real = if self.new_client { l.cold_ms } else { l.warm_ms };
            self.measured = lesson(real, speed);
        }
    }

    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        _parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        Box::pin(get(cx, id, self))
    }
}

pub(super) fn session(cx: &Ctx) -> Result<&Session, String> {
    cx.io
        .as_ref()
        .ok_or_else(|| "this demo run has no demo server".to_string())
}

/// `path` with `{ms}` (scaled by `--speed`) and `{key}` (unique to this copy and run) filled in.
pub(super) fn fill(cx: &Ctx, s: &Session, id: u32, path: &str, ms: Option<u64>) -> String {
    let ms = (cx.scaled(ms.unwrap_or(0)).as_secs_f64() * 1000.0).round() as u64;
    path.replace("{ms}", &ms.to_string())
        .replace("{key}", &format!("r{}-t{id}", s.run))
}

/// One GET, its connection recorded; `/stream` lines count as items as they arrive.
pub(super) async fn fetch(
    cx: &Ctx,
    s: &Session,
    id: u32,
    path: &str,
    new_client: bool,
) -> Result<Reply, String> {
    let url = s.lab.url(path)?;
    let fresh;
    let client = if new_client {
        // What `httpx.get(url)` does: a client (and a connection) for this one request.
        fresh = client::client()?;
        &fresh
    } else {
        s.client.as_ref().map_err(Clone::clone)?
    };
    let lines = path.starts_with("/stream");
    let reply = client::get(client, &url, |chunk| {
        if lines {
            for _ in chunk.iter().filter(|b| **b == b'\n') {
                cx.rec.item(id);
            }
        }
    })
    .await?;
    if let Some(c) = reply.connection {
        cx.rec.connection(id, c);
    }
    Ok(reply)
}

/// `http`: one GET; a status of 400 or more fails the task.
async fn get(cx: &Arc<Ctx>, id: u32, op: &Http) -> Result<(), String> {
    let s = session(cx)?;
    let path = fill(cx, s, id, &op.path, op.ms);
    let request = fetch(cx, s, id, &path, op.new_client);
    let reply = match op.timeout_ms.map(|t| t.clamp(1, MAX_MS)) {
        // On expiry the request's future is dropped: reqwest closes that connection.
        Some(t) => tokio::time::timeout(cx.scaled(t), request)
            .await
            .map_err(|_| format!("GET {path}: no answer within {t} ms"))?,
        None => request.await,
    }
    .map_err(|e| format!("GET {path}: {e}"))?;
    if reply.is_success() {
        Ok(())
    } else {
        Err(format!("GET {path}: {}", reply.describe_status()))
    }
}

