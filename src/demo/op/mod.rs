//! Ops: what one task does. The strategies never look inside.
//!
//! One op, one file: its module owns its lesson-file parameters (a struct deserialized from the
//! `[[demo.task]]` table), their checks, its durations for the ideal-time model and the
//! forecasts, what it needs started (the demo server, the database), its Python counterpart's
//! parameters, and its `run`, all as an impl of [`Kind`]. Adding an op is its module, one line
//! in `op_list!` (`demo/kinds.rs`), its branch in `python/runner.py`'s `op` and its row in
//! `lessons/README.md`; the compiler and `tests/engine/architecture.rs` point at anything missing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::demo::ctx::Ctx;
use crate::demo::kinds::{ParamError, parse_checked};
use crate::demo::lab::Latency;

pub use crate::demo::kinds::OpKind;
pub use resource::Open;

/// What an op needs started before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// The loopback demo server.
    Server,
    /// The temporary SQLite database.
    Database,
}

/// What one op's module knows about it. What differs from op to op is required; the five
/// answers most ops share (nothing added to the ideal, never fails, no server time, no items,
/// nothing to measure) and its durations (just its whole) have defaults here, which an op that
/// differs overrides in its own file.
pub(crate) trait Kind: Sized {
    /// Its lesson-file parameters, each with what it means: the missing- and unknown-key
    /// messages of the parse come from this list (a test checks it against the struct).
    const PARAMS: &'static [(&'static str, &'static str)];
    /// What must be started for it.
    const NEEDS: Needs;
    /// Has a body other resources nest in (`inside`) and phases a claim can name.
    const HAS_BODY: bool;
    /// Needs a core while it runs, even off the runtime's threads.
    const IS_CPU: bool;

    /// Checks of the values serde cannot express (ranges, a path the server would refuse):
    /// each with its key, or `None` for the table as a whole.
    fn problems(&self) -> Vec<ParamError>;
    /// How long it takes on its own, in lesson milliseconds.
    fn nominal_ms(&self) -> u64;
    /// What the ideal-time model adds to [`Kind::nominal_ms`]: the expected backoff of a retry,
    /// what was measured for real I/O. In lesson ms.
    fn added_ms(&self) -> f64 {
        0.0
    }
    /// How many timer waits it makes one after another (each may fire up to one timer tick late
    /// in real time).
    fn timer_waits(&self) -> u32;
    /// The durations a claim about it may turn on (each part of it), in lesson ms.
    fn durations(&self) -> Vec<u64> {
        vec![self.nominal_ms()]
    }
    /// Holds its thread for its whole duration (cannot be interleaved on one thread).
    fn is_blocking(&self) -> bool;
    /// When it fails, in lesson ms after it starts; `None` when it succeeds.
    fn fails_at(&self) -> Option<u64> {
        None
    }
    /// The demo server's time on it that blocks the server's only thread (requests to a
    /// `def`-style handler are served one after another), in lesson ms.
    fn server_blocking_ms(&self) -> f64 {
        0.0
    }
    /// How many items it yields, for a stream (the report counts them as they arrive).
    fn items(&self) -> Option<u32> {
        None
    }
    /// Its parameters in the Python runner's plan, durations in real ms at `speed`. `task` is
    /// the task's name (for a default error message).
    fn python(&self, task: &str, speed: f64) -> Map<String, Value>;
    /// Adds what was measured on this machine (`latency`: the demo server's, when it runs) at
    /// `speed` to what the ideal-time model knows of it.
    fn estimate(&mut self, latency: Option<&Latency>, speed: f64) {
        let _ = (latency, speed);
    }

    /// Runs task `id`; `parent` is the resource it is nested in, if any. `Err` carries the error
    /// message. The future of [`run_in`]'s match is as large as its largest arm, and 100,000
    /// sleeping tasks each carry one, so the common ops stay small and inline and the big, rare
    /// ones box theirs (measured: 464 -> 160 bytes per task future).
    fn run(
        &self,
        cx: &Arc<Ctx>,
        id: u32,
        parent: Option<Open>,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

/// Called with the list of ops (`op_list!` in `demo/kinds.rs`): it writes the [`Op`] enum (one
/// variant per module's parameters struct) and every delegating match, so no code elsewhere
/// matches over ops.
macro_rules! ops {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        $(pub mod $module;)*

        /// What one task does, with its parameters (durations in lesson milliseconds, before
        /// `--speed`), validated.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Op {
            $($(#[$doc])* $variant($module::$variant),)*
        }

        impl OpKind {
            /// Has a body other resources nest in and phases a claim can name.
            pub fn has_body(self) -> bool {
                match self {
                    $(OpKind::$variant => <$module::$variant as Kind>::HAS_BODY,)*
                }
            }
        }

        impl Op {
            /// The kind of op, whose `as_str` lesson files use.
            pub fn kind(&self) -> OpKind {
                match self {
                    $(Op::$variant(_) => OpKind::$variant,)*
                }
            }

            /// Every kind's keys: listed in `PARAMS`, and as serde sees them (for their test).
            #[cfg(test)]
            fn params_of(kind: OpKind) -> (Vec<String>, Vec<String>) {
                match kind {
                    $(OpKind::$variant => crate::demo::kinds::listed_and_serde_keys::<
                        $module::$variant,
                    >(<$module::$variant as Kind>::PARAMS),)*
                }
            }

            /// The op of `kind` from the keys of its table (the keys every task has taken out),
            /// or every reason it does not make one.
            pub(crate) fn from_table(kind: OpKind, params: toml::Table) -> Result<Self, Vec<ParamError>> {
                let what = format!("op `{}`", kind.as_str());
                Ok(match kind {
                    $(OpKind::$variant => Op::$variant(parse_checked(
                        &what,
                        <$module::$variant as Kind>::PARAMS,
                        COMMON,
                        params,
                        <$module::$variant as Kind>::problems,
                    )?),)*
                })
            }

            /// What must be started for it.
            pub fn needs(&self) -> Needs {
                match self {
                    $(Op::$variant(_) => <$module::$variant as Kind>::NEEDS,)*
                }
            }

            /// Needs a core while it runs, even off the runtime's threads.
            pub fn is_cpu(&self) -> bool {
                match self {
                    $(Op::$variant(_) => <$module::$variant as Kind>::IS_CPU,)*
                }
            }

            /// Problems with its parameters' values.
            pub(crate) fn problems(&self) -> Vec<ParamError> {
                match self {
                    $(Op::$variant(k) => k.problems(),)*
                }
            }

            /// How long the op takes on its own, in lesson milliseconds.
            pub fn nominal_ms(&self) -> u64 {
                match self {
                    $(Op::$variant(k) => k.nominal_ms(),)*
                }
            }

            /// [`Op::nominal_ms`] plus the expected backoff of a retrying op and what was
            /// measured for a real-I/O op, in lesson milliseconds: what the ideal-time model
            /// uses, at validation (the forecasts) and after a run alike.
            pub fn ideal_ms(&self) -> f64 {
                let added = match self {
                    $(Op::$variant(k) => k.added_ms(),)*
                };
                self.nominal_ms() as f64 + added
            }

            /// Timer waits one after another.
            pub fn timer_waits(&self) -> u32 {
                match self {
                    $(Op::$variant(k) => k.timer_waits(),)*
                }
            }

            /// The durations a claim about this op may turn on, in lesson ms.
            pub fn durations(&self) -> Vec<u64> {
                match self {
                    $(Op::$variant(k) => k.durations(),)*
                }
            }

            /// Holds its thread for its whole duration.
            pub fn is_blocking(&self) -> bool {
                match self {
                    $(Op::$variant(k) => k.is_blocking(),)*
                }
            }

            /// When it fails, in lesson ms after it starts; `None` when it succeeds.
            pub fn fails_at(&self) -> Option<u64> {
                match self {
                    $(Op::$variant(k) => k.fails_at(),)*
                }
            }

            /// The server's time on it that blocks the server's only thread.
            pub fn server_blocking_ms(&self) -> f64 {
                match self {
                    $(Op::$variant(k) => k.server_blocking_ms(),)*
                }
            }

            /// How many items it yields, for a stream.
            pub fn items(&self) -> Option<u32> {
                match self {
                    $(Op::$variant(k) => k.items(),)*
                }
            }

            /// The op in the Python runner's plan: its kind and parameters, in real ms.
            pub(crate) fn python(&self, task: &str, speed: f64) -> Value {
                let mut v = match self {
                    $(Op::$variant(k) => k.python(task, speed),)*
                };
                v.insert("kind".into(), Value::from(self.kind().as_str()));
                Value::Object(v)
            }

            /// The op with what was measured added.
            pub(crate) fn estimated(&self, latency: Option<&Latency>, speed: f64) -> Op {
                let mut op = self.clone();
                match &mut op {
                    $(Op::$variant(k) => k.estimate(latency, speed),)*
                }
                op
            }
        }

        /// Runs task `id`'s op; `parent` is the outer resource it is nested in, if any.
        async fn run_in(cx: &Arc<Ctx>, id: u32, parent: Option<Open>) -> Result<(), String> {
            match cx.plan.op(id) {
                $(Op::$variant(k) => k.run(cx, id, parent).await,)*
            }
        }
    };
}

op_list!(ops);

/// The keys every task takes, whatever its op (said in the messages about the others).
const COMMON: &str = "`name`, `op` and `count` (and `inside`, for a `resource`)";

impl Op {
    /// The name lesson files use.
    pub fn name(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Why it cannot run on tokio's paused clock, if it cannot. Only an op whose time is a
    /// timer's can: the paused clock stands still while a thread is held (a blocking call or
    /// busy work reads as no time at all), and when every task waits on something that is not
    /// a timer, it jumps to the next timer anyway (a socket's timeout fires at once). Decided
    /// by what the op needs and whether it holds its thread, so a new op answers it by those.
    pub fn paused_clock_problem(&self) -> Option<&'static str> {
        match self.needs() {
            Needs::Server => Some(
                "it does real I/O over loopback: the paused clock does not count the time a request takes, and while every task waits on the socket it jumps to the next timer, so a timeout fires at once",
            ),
            Needs::Database => Some(
                "it does real work in SQLite: the query takes real time while the paused clock stands still, so it would read as no time at all",
            ),
            Needs::Nothing if self.is_blocking() => Some(
                "it holds the thread (std::thread::sleep or busy work): the paused clock does not move while it runs, so its time would read as none",
            ),
            Needs::Nothing => None,
        }
    }

    /// A `resource`: the frame (setup, teardown) that the resources nested in it run inside.
    pub fn as_resource(&self) -> Option<&resource::Resource> {
        match self {
            Op::Resource(r) => Some(r),
            _ => None,
        }
    }
}

/// Runs task `id`'s op, which started at `started` (the time its span recorded). `Err` carries
/// the error message.
///
/// A top-level sleep, the op of every large fan-out, runs inline and times its timer from
/// `started` (one clock read per task saved); every other op runs behind a box. The future of a
/// `match` is as large as its largest arm, and 100,000 task futures are 100,000 heap nodes the
/// process must fault in: a sleep's alone is half the size of the match over every op, and an
/// allocation per task for the other ops costs less than that memory.
pub async fn run(cx: &Arc<Ctx>, id: u32, started: tokio::time::Instant) -> Result<(), String> {
    match cx.plan.op(id) {
        Op::Sleep(sleep) => sleep.run_from(cx, started).await,
        _ => Box::pin(run_in(cx, id, None)).await,
    }
}

/// Runs blocking `work` inline on the runtime thread, or on tokio's blocking pool when
/// `offload` (`asyncio.to_thread`), and says how long it held its thread. Inline, nothing else
/// on a current-thread runtime moves until it returns. `std::thread::sleep` does not advance
/// tokio's paused clock, so the recorder is told the held time.
async fn on_thread<T: Send + 'static>(
    offload: bool,
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> (Duration, Result<T, String>) {
    let timed = move || {
        let t = Instant::now();
        let result = work();
        (t.elapsed(), result)
    };
    if offload {
        match tokio::task::spawn_blocking(timed).await {
            Ok(done) => done,
            Err(e) => (
                Duration::ZERO,
                Err(format!("the offloaded work failed: {e}")),
            ),
        }
    } else {
        timed()
    }
}

/// A duration's one problem: over the limit.
fn over_limit(key: &'static str, ms: u64) -> Option<ParamError> {
    use crate::demo::model::MAX_MS;
    (ms > MAX_MS).then(|| ParamError {
        key: Some(key.into()),
        message: format!("{key} = {ms} is over the {MAX_MS} ms (60 s) limit"),
    })
}

/// A lesson duration in real ms at `speed` (what the Python plan carries).
fn real(ms: u64, speed: f64) -> Value {
    Value::from(ms as f64 / speed)
}

/// The error message of a failing task without a `message` of its own.
fn default_message(task: &str, ms: u64) -> String {
    format!("{task} failed after {ms} ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_lists_the_keys_serde_takes() {
        for kind in OpKind::ALL {
            let (listed, serde) = Op::params_of(*kind);
            assert_eq!(listed, serde, "{}", kind.as_str());
        }
    }
}
