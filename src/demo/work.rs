//! What the strategies combine: one future per task copy. A strategy only sees [`Work`]: how many
//! tasks there are and, for each, a future that runs the task's op inside a recorded span.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use crate::demo::ctx::Ctx;
use crate::demo::op;
use crate::demo::span::TaskSpan;

/// A task's error, as the strategy's caller sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    pub task: String,
    pub message: String,
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.task, self.message)
    }
}

impl std::error::Error for TaskError {}

pub type TaskResult = Result<(), TaskError>;

/// The tasks of one strategy run.
#[derive(Clone)]
pub struct Work {
    cx: Arc<Ctx>,
}

impl Work {
    pub fn new(cx: Arc<Ctx>) -> Work {
        Work { cx }
    }

    /// The number of tasks to run (top-level copies: a nested resource runs inside its outer).
    pub fn len(&self) -> usize {
        self.cx.plan.roots()
    }

    pub fn is_empty(&self) -> bool {
        self.cx.plan.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = u32> + use<> {
        0..self.len() as u32
    }

    /// The future of task `id`. Like calling an `async fn`, this runs nothing: the span starts when
    /// the future is first polled. `Send + 'static`, so it can also be spawned.
    pub fn call(&self, id: u32) -> impl Future<Output = TaskResult> + Send + 'static + use<> {
        let mut span = TaskSpan::new(&self.cx, id);
        async move {
            let started = span.start();
            let result = op::run(span.cx(), id, started).await;
            span.finish(&result);
            result.map_err(|message| TaskError {
                task: span.cx().plan.name(id),
                message,
            })
        }
    }

    /// Every task's future, in order.
    pub fn calls(
        &self,
    ) -> impl Iterator<Item = impl Future<Output = TaskResult> + Send + 'static + use<>> + use<>
    {
        let me = self.clone();
        self.ids().map(move |id| me.call(id))
    }

    /// A strategy parameter in lesson milliseconds, as real time at this speed.
    pub fn scaled(&self, ms: u64) -> Duration {
        self.cx.scaled(ms)
    }

    /// Task `id` (and what is nested in it) was dropped because a deadline passed, not for
    /// another reason.
    pub fn timed_out(&self, id: u32) {
        for id in self.cx.plan.stack(id) {
            self.cx.rec.mark_timed_out(id);
        }
    }

    /// Every unfinished task was dropped because of a deadline.
    pub fn all_timed_out(&self) {
        self.cx.rec.mark_all_timed_out();
    }
}
