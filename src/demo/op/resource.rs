//! `async with resource:` in Rust, and `async with outer: async with inner:` (what Python's
//! `AsyncExitStack` builds): setup, the body, then an explicit async `close()` on both success
//! and error, innermost first.
//!
//! Rust has no async `Drop`. If the task is cancelled (its future dropped) between setup and
//! close, nothing can be awaited any more, so the guard's `Drop` *spawns* the async teardown as a
//! new task, and the runner waits for such cleanups before it reports. Nested resources make that
//! harder: the inner and the outer guards are dropped in one go, and each spawns its own teardown.
//! Spawned tasks run in any order, so the outer's teardown first waits until every resource opened
//! inside it has closed ([`Open`]): the order `async with` promises, kept after cancellation too.
//! (The alternative, one cleanup task that tears the whole stack down in order, needs the outer to
//! own its inner guards, which a stack built by nesting futures does not give you.)

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::sync::watch;

use super::fail::message_problem;
use super::{Kind, Needs, default_message, over_limit, real};
use crate::demo::ctx::Ctx;
use crate::demo::kinds::ParamError;
use crate::demo::model::{MAX_MS, Phase};
use crate::demo::report::PhaseName;
use crate::demo::span::TaskSpan;

/// `op = "resource"`: setup, body, teardown, like `async with`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The body's duration, between setup and teardown.
    pub ms: u64,
    #[serde(default)]
    pub setup_ms: u64,
    #[serde(default)]
    pub teardown_ms: u64,
    /// The phase that errors, if any.
    #[serde(default)]
    pub fails: Option<FailsIn>,
    /// The error message of a failing phase. Default: "`<task>` failed after `<ms>` ms".
    #[serde(default)]
    pub message: Option<String>,
}

impl Resource {
    /// The phase that fails, if any.
    pub fn failing_phase(&self) -> Option<Phase> {
        self.fails.and_then(FailsIn::phase)
    }

    fn message(&self, task: &str) -> String {
        self.message
            .clone()
            .unwrap_or_else(|| default_message(task, self.ms))
    }

    /// When one copy fails (ms after it starts) with `nested` inside its body, one after
    /// another, each given as (its duration, when it fails): a nested failure surfaces after
    /// this resource has closed, as an exception leaves `async with`.
    pub fn fails_with_nested(&self, nested: &[(f64, Option<f64>)]) -> Option<f64> {
        if self.failing_phase() == Some(Phase::Setup) {
            return self.fails_at().map(|ms| ms as f64);
        }
        let mut at = self.setup_ms as f64;
        for (ms, fails_at) in nested {
            if let Some(f) = fails_at {
                return Some(at + f + self.teardown_ms as f64);
            }
            at += ms;
        }
        self.fails
            .and_then(FailsIn::phase)
            .map(|_| at + self.ms as f64 + self.teardown_ms as f64)
    }
}

impl Kind for Resource {
    const PARAMS: &'static [(&'static str, &'static str)] = &[
        ("ms", "the body's duration"),
        ("setup_ms", "the setup's duration, default 0"),
        ("teardown_ms", "the teardown's duration, default 0"),
        (
            "fails",
            "the phase that fails: \"setup\", \"body\" (or true) or \"teardown\"",
        ),
        ("message", "the error message of the failing phase"),
    ];
    const NEEDS: Needs = Needs::Nothing;
    const HAS_BODY: bool = true;
    const IS_CPU: bool = false;

    fn problems(&self) -> Vec<ParamError> {
        let mut out: Vec<ParamError> = [
            ("setup_ms", self.setup_ms),
            ("ms", self.ms),
            ("teardown_ms", self.teardown_ms),
        ]
        .into_iter()
        .filter_map(|(k, v)| over_limit(k, v))
        .collect();
        // Each part over the limit is reported on its own; only a sum of sound parts here.
        let parts = [self.setup_ms, self.ms, self.teardown_ms];
        let total: u64 = parts.iter().sum();
        if out.is_empty() && total > MAX_MS {
            out.push(ParamError {
                key: Some("ms".into()),
                message: format!("setup + body + teardown = {total} ms is over the {MAX_MS} ms limit"),
            });
        }
        out.extend(message_problem(&self.message));
        out
    }

    fn nominal_ms(&self) -> u64 {
        self.setup_ms + self.ms + self.teardown_ms
    }

    fn timer_waits(&self) -> u32 {
        3
    }

    fn durations(&self) -> Vec<u64> {
        vec![self.setup_ms, self.ms, self.teardown_ms, self.nominal_ms()]
    }

    fn is_blocking(&self) -> bool {
        false
    }

    fn fails_at(&self) -> Option<u64> {
        // Failing in setup, it never gets a teardown; otherwise it closes before the error
        // surfaces.
        match self.failing_phase()? {
            Phase::Setup => Some(self.setup_ms),
            Phase::Body | Phase::Teardown => Some(self.nominal_ms()),
        }
    }

    fn python(&self, task: &str, speed: f64) -> Map<String, Value> {
        let fails = self
            .failing_phase()
            .map(|p| json!([p.as_str(), self.message(task)]));
        Map::from_iter([
            ("setup_ms".into(), real(self.setup_ms, speed)),
            ("ms".into(), real(self.ms, speed)),
            ("teardown_ms".into(), real(self.teardown_ms, speed)),
            ("fails".into(), fails.unwrap_or(Value::Null)),
        ])
    }

    /// Boxed as a `dyn` future: a resource runs the ones nested in it through
    /// [`super::run_in`], which runs this again, and a future cannot contain itself.
    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send {
        let durations = [self.setup_ms, self.ms, self.teardown_ms].map(|m| cx.scaled(m));
        let fails = self
            .failing_phase()
            .map(|p| (p, self.message(cx.plan.task_name(id))));
        let run: BoxFuture<'static, _> = Box::pin(run(cx.clone(), id, durations, fails, parent));
        run
    }
}

/// `fails` of a `resource` task: `true` (the body), `false`, or the phase's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailsIn {
    Body(bool),
    Phase(Phase),
}

/// By hand rather than `untagged`, so a typo names the values it could have been (an untagged
/// enum only says that nothing matched).
impl<'de> Deserialize<'de> for FailsIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const EXPECTED: &str = "true, false, \"setup\", \"body\" or \"teardown\"";
        struct FailsVisitor;
        impl Visitor<'_> for FailsVisitor {
            type Value = FailsIn;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "one of {EXPECTED}")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FailsIn, E> {
                Ok(FailsIn::Body(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<FailsIn, E> {
                match v {
                    "setup" => Ok(FailsIn::Phase(Phase::Setup)),
                    "body" => Ok(FailsIn::Phase(Phase::Body)),
                    "teardown" => Ok(FailsIn::Phase(Phase::Teardown)),
                    _ => Err(E::custom(format!(
                        "unknown value `{v}` for `fails`, expected one of {EXPECTED}"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(FailsVisitor)
    }
}

impl FailsIn {
    fn phase(self) -> Option<Phase> {
        match self {
            FailsIn::Body(true) => Some(Phase::Body),
            FailsIn::Body(false) => None,
            FailsIn::Phase(p) => Some(p),
        }
    }
}

/// How many resources are still open inside one resource. A `watch` channel holds the count, so
/// the outer's teardown can wait for "zero" however the inner ones end.
#[derive(Clone)]
pub struct Open(Arc<watch::Sender<usize>>);

impl Open {
    fn new() -> Open {
        Open(Arc::new(watch::Sender::new(0)))
    }

    fn opened(&self) {
        self.0.send_modify(|n| *n += 1);
    }

    fn closed(&self) {
        self.0.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Returns once every resource opened inside has closed.
    async fn all_closed(&self) {
        let mut count = self.0.subscribe();
        // `wait_for` checks the current value first, so an already-empty stack returns at once.
        let _ = count.wait_for(|n| *n == 0).await;
    }
}

/// Runs resource `id`: setup, then its body (the resources nested in it, one after another, then
/// `body` of its own work), then teardown. `parent` is the resource it is nested in.
async fn run(
    cx: Arc<Ctx>,
    id: u32,
    [setup, body, teardown]: [Duration; 3],
    fails: Option<(Phase, String)>,
    parent: Option<Open>,
) -> Result<(), String> {
    let cx = &cx;
    let failure = |at: Phase| match &fails {
        Some((phase, message)) if *phase == at => {
            cx.rec.failed_in(id, at);
            Err(message.clone())
        }
        _ => Ok(()),
    };
    let phase = cx.rec.phase_begin(id, PhaseName::SETUP);
    tokio::time::sleep(setup).await;
    cx.rec.phase_end(phase);
    // A setup that fails acquired nothing: there is nothing to tear down (`__aenter__` raised,
    // so `__aexit__` never runs).
    failure(Phase::Setup)?;
    // Setup is done: from here on the resource must be torn down, whatever happens.
    if let Some(parent) = &parent {
        parent.opened();
    }
    let guard = Teardown {
        cx: cx.clone(),
        id,
        teardown,
        inner: Open::new(),
        parent,
        started: None,
        closed: false,
    };

    let phase = cx.rec.phase_begin(id, PhaseName::BODY);
    let mut result = Ok(());
    for inner in cx.plan.nested_in(id) {
        // Each nested resource is a task of its own on the timeline, with its own span.
        let mut span = TaskSpan::new(cx, inner);
        span.start();
        let r = super::run_in(cx, inner, Some(guard.inner.clone())).await;
        span.finish(&r);
        if let Err(message) = r {
            // The inner error leaves the outer `async with` too, after the outer closes.
            cx.rec.failed_in(id, Phase::Body);
            result = Err(format!("{}: {message}", cx.plan.name(inner)));
            break;
        }
    }
    if result.is_ok() {
        tokio::time::sleep(body).await;
    }
    cx.rec.phase_end(phase);
    let result = result.and_then(|()| failure(Phase::Body));
    // Success or error: close explicitly (the `__aexit__` of the normal path).
    guard.close().await;
    // The body's error wins over the teardown's, as in Python when both raise.
    result.and(failure(Phase::Teardown))
}

/// The RAII guard of [`run`]. `close()` is the normal, awaited teardown; `Drop` is the fallback
/// for cancellation and can only start the teardown, not wait for it.
struct Teardown {
    cx: Arc<Ctx>,
    id: u32,
    teardown: Duration,
    /// The resources opened inside this one and not closed yet.
    inner: Open,
    /// The resource this one is nested in: told when this one has closed.
    parent: Option<Open>,
    /// The teardown phase, once `close()` began it.
    started: Option<usize>,
    closed: bool,
}

impl Teardown {
    async fn close(mut self) {
        // On the normal path the inner resources closed at the end of their own bodies.
        self.inner.all_closed().await;
        let phase = self.cx.rec.phase_begin(self.id, PhaseName::TEARDOWN);
        self.started = Some(phase);
        tokio::time::sleep(self.teardown).await;
        self.cx.rec.phase_end(phase);
        self.closed = true;
        if let Some(parent) = &self.parent {
            parent.closed();
        }
    }
}

impl Drop for Teardown {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        // Cancelled: either before close() or in the middle of it. Finish the teardown on a fresh
        // task. `tokio::spawn` needs a runtime; during runtime shutdown there is none to run it,
        // and the phase stays unfinished in the report.
        let rec = &self.cx.rec;
        if tokio::runtime::Handle::try_current().is_err() {
            if self.started.is_none() {
                rec.phase_begin(self.id, PhaseName::TEARDOWN);
            }
            return;
        }
        let (cx, id, teardown, started) = (self.cx.clone(), self.id, self.teardown, self.started);
        let (inner, parent) = (self.inner.clone(), self.parent.take());
        self.cx.rec.spawn_cleanup(async move {
            // Innermost first: wait for the resources nested in this one to finish closing.
            inner.all_closed().await;
            let phase = started.unwrap_or_else(|| cx.rec.phase_begin(id, PhaseName::TEARDOWN));
            tokio::time::sleep(teardown).await;
            cx.rec.phase_end(phase);
            if let Some(parent) = parent {
                parent.closed();
            }
        });
    }
}
