//! Strategies: how a demo's tasks are combined. Each module is one idiom, written to be read: it
//! says why, names the alternative and the asyncio construct it mirrors.
//!
//! Every strategy takes the demo's [`Work`] (one future per task) and returns what its caller
//! would see: `Ok(())`, or the error that surfaced. Per-task outcomes are recorded by the spans
//! inside each task, so a strategy that drops a future (cancels it) needs no extra bookkeeping.
//!
//! One strategy, one file: its module owns its lesson-file parameters (a struct deserialized
//! from the `strategies` entry), their checks, what it does in words (tokio's and asyncio's),
//! its ideal time and forecasts, and its `run`, all as an impl of [`Kind`]. Adding a strategy is
//! its module, one line in the list below, its counterpart in `python/runner.py`'s `STRATEGIES`
//! (or `SKIPPED`, with the reason) and its row in `lessons/README.md`; the compiler and
//! `tests/engine/architecture.rs` point at anything missing.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::demo::ideal::Shape;
use crate::demo::kinds::{ParamError, parse_params};
use crate::demo::work::{TaskResult, Work};

pub use crate::demo::kinds::StrategyKind;
pub use timeout::TimeoutScope;

/// What one strategy's module knows about it. What tells strategies apart is required, so a new
/// strategy states each fact; the three answers of a strategy with nothing of its own (no
/// value to check, no parameter for Python, no duration of its own) are defaults here, which
/// a strategy that has one overrides in its own file.
pub(crate) trait Kind: Sized {
    /// Its lesson-file parameters, each with what it means: the missing- and unknown-key
    /// messages of the parse come from this list (a test checks it against the struct).
    const PARAMS: &'static [(&'static str, &'static str)];
    /// Whether each task runs as a task of its own (`tokio::spawn`, a `JoinSet`), which a
    /// multi-thread runtime may run on any of its workers; otherwise every task is a future
    /// polled by the strategy's one task, on one thread at a time.
    const SPAWNS_TASKS: bool;
    /// Whether tasks may outlive the strategy's return (the runner then waits for them).
    const OUTLIVES_CALLER: bool;
    /// Whether blocking and cpu ops run on the blocking pool under this strategy.
    const OFFLOADS: bool;
    /// Whether the strategy's own cost grows with the number of tasks beyond what the ideal
    /// model knows (so a demo of it plays at speed 1, and no ratio is forecast for it).
    const COST_GROWS_WITH_SIZE: bool;

    /// Checks of the values serde cannot express (ranges), as messages about this entry.
    fn problems(&self) -> Vec<String> {
        Vec::new()
    }
    /// One line on what it does under tokio, for the output.
    fn describe(&self) -> String;
    /// The asyncio construct the Python run uses for it.
    fn asyncio(&self) -> String;
    /// Its parameters in the Python runner's plan, durations in real ms (`real` scales them).
    fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
        let _ = real;
        Map::new()
    }

    /// What a runtime with no overhead would take, in lesson ms. `s` is already the shape the
    /// tasks run in (a multi-thread runtime's futures of one task share one thread).
    fn ideal_ms(&self, s: &Shape) -> f64;
    /// Timer waits on its critical path: each may fire up to one timer tick late in real time.
    fn timer_waits(&self, s: &Shape) -> f64;
    /// The most tasks running at once, of `tasks`, when no op holds the thread.
    fn peak(&self, tasks: u32) -> u32;
    /// When each task starts, in lesson ms, in plan order (when the model knows the order).
    fn starts(&self, s: &Shape) -> Vec<f64>;
    /// The durations of its own that the timing turns on (a deadline, the caller's delay, and
    /// how far a deadline is from each task's duration `tasks`), for the fastest judgeable speed.
    fn own_durations(&self, tasks: &[u64]) -> Vec<u64> {
        let _ = tasks;
        Vec::new()
    }

    /// Runs `work` under this strategy.
    fn run(&self, work: Work) -> impl Future<Output = TaskResult>;
}

/// Called with the list of strategies (`strategy_list!` in `demo/kinds.rs`): it writes the
/// [`Strategy`] enum (one variant per module's parameters struct) and every delegating match,
/// so no code elsewhere matches over strategies.
macro_rules! strategies {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        $(pub mod $module;)*

        /// A strategy with its parameters, validated. Durations in lesson milliseconds.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Strategy {
            $($(#[$doc])* $variant($module::$variant),)*
        }

        impl Strategy {
            /// The kind of strategy, whose `as_str` lesson files use.
            pub fn kind(&self) -> StrategyKind {
                match self {
                    $(Strategy::$variant(_) => StrategyKind::$variant,)*
                }
            }

            /// Every kind's keys: listed in `PARAMS`, and as serde sees them (for their test).
            #[cfg(test)]
            fn params_of(kind: StrategyKind) -> (Vec<String>, Vec<String>) {
                match kind {
                    $(StrategyKind::$variant => crate::demo::kinds::listed_and_serde_keys::<
                        $module::$variant,
                    >(<$module::$variant as Kind>::PARAMS),)*
                }
            }

            /// `kind`'s parameters from the keys of its table (the kind and label taken out).
            fn from_params(kind: StrategyKind, params: toml::Table) -> Result<Self, Vec<ParamError>> {
                let what = format!("strategy `{}`", kind.as_str());
                Ok(match kind {
                    $(StrategyKind::$variant => Strategy::$variant(parse_params(
                        &what,
                        <$module::$variant as Kind>::PARAMS,
                        "`label` and `clock`",
                        params,
                    )?),)*
                })
            }

            fn spawns_tasks(&self) -> bool {
                match self {
                    $(Strategy::$variant(_) => <$module::$variant as Kind>::SPAWNS_TASKS,)*
                }
            }

            /// Whether spawned tasks may outlive the strategy (the runner waits for them).
            pub fn spawns(&self) -> bool {
                match self {
                    $(Strategy::$variant(_) => <$module::$variant as Kind>::OUTLIVES_CALLER,)*
                }
            }

            /// Whether blocking and cpu ops run on the blocking pool under this strategy.
            pub fn offloads(&self) -> bool {
                match self {
                    $(Strategy::$variant(_) => <$module::$variant as Kind>::OFFLOADS,)*
                }
            }

            /// Whether the strategy's own cost grows with the number of tasks beyond what the
            /// ideal model knows (`join_all` polls every future under one task's budget).
            pub fn overhead_grows_with_size(&self) -> bool {
                match self {
                    $(Strategy::$variant(_) => <$module::$variant as Kind>::COST_GROWS_WITH_SIZE,)*
                }
            }

            /// Problems with its parameters' values, as messages about its entry.
            pub(crate) fn problems(&self) -> Vec<String> {
                match self {
                    $(Strategy::$variant(s) => s.problems(),)*
                }
            }

            /// One line on what the strategy does, for the output.
            pub fn describe(&self) -> String {
                match self {
                    $(Strategy::$variant(s) => s.describe(),)*
                }
            }

            /// The asyncio construct the Python run uses (`describe` names tokio's).
            pub fn asyncio(&self) -> String {
                match self {
                    $(Strategy::$variant(s) => s.asyncio(),)*
                }
            }

            /// Its parameters in the Python plan, durations in real ms.
            pub(crate) fn python_params(&self, real: &dyn Fn(u64) -> f64) -> Map<String, Value> {
                match self {
                    $(Strategy::$variant(s) => s.python_params(real),)*
                }
            }

            fn kind_ideal_ms(&self, s: &Shape) -> f64 {
                match self {
                    $(Strategy::$variant(k) => k.ideal_ms(s),)*
                }
            }

            /// Timer waits on the strategy's critical path: each may fire up to one timer tick
            /// late in real time, which the claims allow for at fast playback speeds.
            pub fn timer_waits(&self, s: &Shape) -> f64 {
                match self {
                    $(Strategy::$variant(k) => k.timer_waits(s),)*
                }
            }

            /// The most tasks running at once, of `tasks`, when no op holds the thread.
            pub(crate) fn peak(&self, tasks: u32) -> u32 {
                match self {
                    $(Strategy::$variant(k) => k.peak(tasks),)*
                }
            }

            /// When each task starts, in lesson ms, in plan order.
            pub(crate) fn starts(&self, s: &Shape) -> Vec<f64> {
                match self {
                    $(Strategy::$variant(k) => k.starts(s),)*
                }
            }

            /// Its own durations that the timing turns on.
            pub(crate) fn own_durations(&self, tasks: &[u64]) -> Vec<u64> {
                match self {
                    $(Strategy::$variant(k) => k.own_durations(tasks),)*
                }
            }

            /// Runs `work` under this strategy.
            pub async fn run(&self, work: Work) -> TaskResult {
                match self {
                    $(Strategy::$variant(k) => k.run(work).await,)*
                }
            }
        }
    };
}

strategy_list!(strategies);

/// A strategy, the name output and claims use (its kind, or the lesson's `label`), and the
/// clock its runtime keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub name: String,
    pub strategy: Strategy,
    pub clock: crate::demo::model::Clock,
}

impl Strategy {
    /// What a runtime with no overhead would take, in lesson milliseconds.
    pub fn ideal_ms(&self, s: &Shape) -> f64 {
        // One task's futures share its thread, however many workers the runtime has.
        let one_task;
        let s = if s.threads > 1.0 && !self.spawns_tasks() {
            one_task = s.in_one_task();
            &one_task
        } else {
            s
        };
        self.kind_ideal_ms(s).max(0.0)
    }

    /// The strategy of `kind` from the keys of its table (`kind` and `label` taken out), or why
    /// not: an unknown key or a missing one, said with the keys the kind takes.
    pub(crate) fn from_table(kind: StrategyKind, params: toml::Table) -> Result<Self, Vec<String>> {
        Strategy::from_params(kind, params)
            .map_err(|errors| errors.into_iter().map(|e| e.message).collect())
    }
}

/// The one problem a duration parameter can have.
fn over_limit(key: &str, ms: u64) -> Option<String> {
    use crate::demo::model::MAX_MS;
    (ms > MAX_MS).then(|| format!("{key} = {ms} is over the {MAX_MS} ms (60 s) limit"))
}

/// The one problem a `limit` can have.
fn limit_out_of_range(limit: u32) -> Option<String> {
    use crate::demo::model::MAX_TASKS;
    (limit == 0 || u64::from(limit) > MAX_TASKS)
        .then(|| format!("limit must be between 1 and {MAX_TASKS}, got {limit}"))
}

/// `, after N ms of other work by the caller` (nothing for 0).
fn after_delay(delay_ms: u64) -> String {
    match delay_ms {
        0 => String::new(),
        ms => format!(", after {ms} ms of other work by the caller"),
    }
}

/// One timer for the caller's other work, if it does any.
fn caller_timer(delay_ms: u64) -> f64 {
    if delay_ms > 0 { 1.0 } else { 0.0 }
}

/// Start times one after another, each when the previous ends, from `from`.
fn in_series(s: &Shape, from: f64) -> Vec<f64> {
    s.durations
        .iter()
        .scan(from, |t, d| {
            let start = *t;
            *t += d;
            Some(start)
        })
        .collect()
}

/// A parameters map for the Python plan.
fn params(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The caller's "other work" between creating the tasks and awaiting them (a non-blocking wait).
async fn caller_work(delay: Duration) {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_lists_the_parameters_its_struct_takes() {
        for &kind in StrategyKind::ALL {
            let (listed, serde) = Strategy::params_of(kind);
            assert_eq!(listed, serde, "strategy `{}`", kind.as_str());
        }
    }

    #[test]
    fn a_missing_or_stray_key_says_what_the_kind_takes() {
        let e = Strategy::from_table(StrategyKind::Bounded, toml::Table::new())
            .unwrap_err()
            .remove(0);
        assert_eq!(
            e,
            "strategy `bounded` needs `limit` (how many tasks may run at once)"
        );
        let mut t = toml::Table::new();
        t.insert("limit".into(), toml::Value::Integer(2));
        t.insert("lmit".into(), toml::Value::Integer(3));
        let e = Strategy::from_table(StrategyKind::Bounded, t)
            .unwrap_err()
            .remove(0);
        assert!(
            e.starts_with(
                "`lmit` does not apply to strategy `bounded`: strategy `bounded` takes `limit` ("
            ),
            "{e}"
        );
        let mut t = toml::Table::new();
        t.insert("limit".into(), toml::Value::Integer(2));
        let e = Strategy::from_table(StrategyKind::Race, t)
            .unwrap_err()
            .remove(0);
        assert!(
            e.starts_with("`limit` does not apply to strategy `race`"),
            "{e}"
        );
        let mut t = toml::Table::new();
        t.insert("scope".into(), toml::Value::String("grop".into()));
        t.insert("ms".into(), toml::Value::Integer(100));
        let e = Strategy::from_table(StrategyKind::Timeout, t)
            .unwrap_err()
            .remove(0);
        assert!(
            e.starts_with("`scope` of strategy `timeout`: unknown variant `grop`"),
            "{e}"
        );
        let mut t = toml::Table::new();
        t.insert("limit".into(), toml::Value::Integer(2));
        let e = Strategy::from_table(StrategyKind::Race, t)
            .unwrap_err()
            .remove(0);
        assert!(e.contains("takes no parameters besides `label`"), "{e}");
        let mut t = toml::Table::new();
        t.insert("limit".into(), toml::Value::String("two".into()));
        let e = Strategy::from_table(StrategyKind::Bounded, t)
            .unwrap_err()
            .remove(0);
        assert!(
            e.starts_with("`limit` of strategy `bounded`: invalid type"),
            "{e}"
        );
    }
}
