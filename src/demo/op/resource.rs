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

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::demo::ctx::Ctx;
use crate::demo::model::Phase;
use crate::demo::span::TaskSpan;

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
pub async fn run(
    cx: &Arc<Ctx>,
    id: u32,
    [setup, body, teardown]: [Duration; 3],
    fails: Option<(Phase, &str)>,
    parent: Option<Open>,
) -> Result<(), String> {
    let failure = |at: Phase| match fails {
        Some((phase, message)) if phase == at => {
            cx.rec.failed_in(id, at);
            Err(message.to_string())
        }
        _ => Ok(()),
    };
    let phase = cx.rec.phase_begin(id, "setup");
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

    let phase = cx.rec.phase_begin(id, "body");
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
        let phase = self.cx.rec.phase_begin(self.id, "teardown");
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
                rec.phase_begin(self.id, "teardown");
            }
            return;
        }
        let (cx, id, teardown, started) = (self.cx.clone(), self.id, self.teardown, self.started);
        let (inner, parent) = (self.inner.clone(), self.parent.take());
        self.cx.rec.spawn_cleanup(async move {
            // Innermost first: wait for the resources nested in this one to finish closing.
            inner.all_closed().await;
            let phase = started.unwrap_or_else(|| cx.rec.phase_begin(id, "teardown"));
            tokio::time::sleep(teardown).await;
            cx.rec.phase_end(phase);
            if let Some(parent) = parent {
                parent.closed();
            }
        });
    }
}
