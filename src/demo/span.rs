//! The recorded span of one task copy, as a guard: if the task's future is dropped after it
//! started and before it finished (that is what cancellation is in Rust), `Drop` records
//! `cancelled`. Python has no such guard: asyncio raises `CancelledError` inside the coroutine
//! and a `try/finally` sees it; here the future is simply never polled again and dropped.

use std::sync::Arc;

use crate::demo::ctx::Ctx;

pub struct TaskSpan {
    cx: Arc<Ctx>,
    id: u32,
    started: bool,
    done: bool,
}

impl TaskSpan {
    /// A span for task copy `id`, not started yet (a future that was never polled never ran).
    pub fn new(cx: &Arc<Ctx>, id: u32) -> TaskSpan {
        cx.rec.created();
        TaskSpan {
            cx: cx.clone(),
            id,
            started: false,
            done: false,
        }
    }

    pub fn cx(&self) -> &Arc<Ctx> {
        &self.cx
    }

    /// Records the start and returns its time, for an op that times itself from it.
    pub fn start(&mut self) -> tokio::time::Instant {
        self.started = true;
        self.cx.rec.begin(self.id)
    }

    pub fn finish(&mut self, result: &Result<(), String>) {
        self.done = true;
        self.cx.rec.finish(self.id, result);
    }
}

impl Drop for TaskSpan {
    fn drop(&mut self) {
        if self.started && !self.done {
            self.cx.rec.cancelled(self.id);
        }
        self.cx.rec.dropped();
    }
}
