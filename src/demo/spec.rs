//! The demo part of a lesson file: `[[demo]]` tables.
//!
//! This is the contract between lesson authors and the engine. The lesson loader deserializes each
//! `[[demo]]` table into a [`DemoSpec`] on its own (so one broken demo does not hide another) and then
//! asks [`DemoSpec::problems`] for the checks serde cannot express.
//!
//! ```toml
//! [[demo]]
//! name = "sequential_vs_gather"
//! title = "Three calls, one after another and together"
//! about = "The same three 300 ms calls, awaited in turn and then gathered."
//! strategies = ["sequential", "gather", { kind = "bounded", limit = 2 }]
//!
//! [[demo.task]]
//! name = "fetch"
//! op = "sleep"
//! ms = 300
//! count = 3
//!
//! [[demo.expect]]
//! claim = "gather is at least 2.5x faster than sequential"
//! kind = "faster"
//! strategy = "gather"
//! than = "sequential"
//! factor = 2.5
//! ```
//!
//! Every struct denies unknown fields and every closed set is an enum, so a typo in a kind's name
//! is a serde error with a line and column (`unknown variant `slep`, expected one of ...`). A
//! task's, a strategy entry's or a claim table's own keys are deserialized into its kind's
//! struct (`demo/op/`, `demo/strategy/`, `demo/claim/`) on their own: an unknown, missing or
//! mistyped one there is a problem of that table, reported beside the demo's others. Everything
//! else (references between tables, absurd sizes) is checked by [`DemoSpec::problems`], which
//! never panics on any input.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

pub use crate::demo::report::Outcome;

use crate::demo::claim::{Check, Claim, ClaimRuntime, Names, TaskName};
pub use crate::demo::claim::{CleanupTiming, ExpectKind};
pub use crate::demo::kinds::OpKind;
pub use crate::demo::kinds::ParamError;
pub use crate::demo::model::{Clock, MAX_ITEMS, MAX_MS, MAX_TASKS, MAX_WORKERS, RuntimeFlavor};
use crate::demo::op::Op;
use crate::demo::plan::Task;
use crate::demo::strategy::{Named, Strategy};
pub use crate::demo::strategy::{StrategyKind, TimeoutScope};

/// One `[[demo]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSpec {
    /// Short identifier, unique within the lesson: `[a-z0-9_-]+`.
    pub name: String,
    /// One line shown above the demo's output.
    pub title: String,
    /// One paragraph: what the demo shows.
    pub about: String,
    /// The runtime the demo runs on. Default `current_thread`: one thread, like asyncio's loop.
    #[serde(default)]
    pub runtime: RuntimeFlavor,
    /// Worker threads of a `multi_thread` runtime (default: the number of cores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<u32>,
    /// The strategies to compare, in order. Each is run on a fresh runtime.
    #[serde(default = "default_strategies")]
    pub strategies: Vec<StrategySpec>,
    /// `[[demo.task]]` tables: what runs.
    #[serde(default, rename = "task")]
    pub tasks: Vec<TaskSpec>,
    /// `[[demo.expect]]` tables: the claims the demo makes, checked after the run.
    #[serde(default, rename = "expect")]
    pub expectations: Vec<ExpectSpec>,
}

fn default_strategies() -> Vec<StrategySpec> {
    vec![
        StrategySpec::new(StrategyKind::Sequential),
        StrategySpec::new(StrategyKind::Gather),
    ]
}

/// One `[[demo.task]]` table. `count` replicates it: `fetch` with `count = 3` runs `fetch#1`,
/// `fetch#2`, `fetch#3`. The keys every task takes are here; the op's own are its module's
/// struct (see `demo/op/`), deserialized from the table's other keys.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    /// Unique within the demo: `[A-Za-z0-9_-]+`.
    pub name: String,
    /// What the task does.
    pub op: OpKind,
    /// How many copies of this task run (default 1, at most 100,000).
    pub count: u32,
    /// `resource` only: the name of another `resource` task this one is nested in. Copy N runs
    /// inside the body of the outer's copy N and is torn down before it (`AsyncExitStack`).
    pub inside: Option<String>,
    /// The op's parameters, or why the table's other keys do not make them (reported by
    /// [`DemoSpec::problems`] beside the demo's other problems).
    pub params: Result<Op, Vec<ParamError>>,
}

/// Key by key rather than through a `toml::Table`, so an error in a key every task has (an
/// unknown op, a negative count) keeps that value's line and column.
impl<'de> Deserialize<'de> for TaskSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TaskVisitor;
        impl<'de> Visitor<'de> for TaskVisitor {
            type Value = TaskSpec;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [[demo.task]] table with a `name` and an `op`")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TaskSpec, A::Error> {
                let (mut name, mut op, mut count, mut inside) = (None, None, None, None);
                let mut params = toml::Table::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value::<String>()?),
                        "op" => op = Some(map.next_value::<OpKind>()?),
                        "count" => count = Some(map.next_value::<u32>()?),
                        "inside" => inside = Some(map.next_value::<String>()?),
                        _ => {
                            let value = map.next_value::<toml::Value>()?;
                            params.insert(key, value);
                        }
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
                let op = op.ok_or_else(|| de::Error::missing_field("op"))?;
                Ok(TaskSpec {
                    name,
                    op,
                    count: count.unwrap_or(1),
                    inside,
                    params: Op::from_table(op, params),
                })
            }
        }
        deserializer.deserialize_map(TaskVisitor)
    }
}

/// One entry of `strategies`: either a bare name (`"gather"`) or an inline table
/// (`{ kind = "bounded", limit = 3 }`). The kind's own parameters are its module's struct (see
/// `demo/strategy/`), deserialized from the table's other keys.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySpec {
    pub kind: StrategyKind,
    /// Name shown in output and used by expectations; default: the kind. Needed when the same
    /// kind appears twice (`{ kind = "bounded", limit = 2, label = "bounded_2" }`).
    pub label: Option<String>,
    /// The clock its runtime keeps (`clock = "paused"`; default the real one).
    pub clock: Clock,
    /// The kind's parameters, or why the table's keys do not make them (an unknown key, a
    /// missing one, a wrong type). [`DemoSpec::problems`] reports it, beside the demo's other
    /// problems, rather than the parse stopping at it.
    pub strategy: Result<Strategy, Vec<String>>,
}

impl StrategySpec {
    pub fn new(kind: StrategyKind) -> Self {
        StrategySpec {
            kind,
            label: None,
            clock: Clock::Real,
            strategy: Strategy::from_table(kind, toml::Table::new()),
        }
    }

    /// The name output and expectations use.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or(self.kind.as_str())
    }
}

impl<'de> Deserialize<'de> for StrategySpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrategyVisitor;
        impl<'de> Visitor<'de> for StrategyVisitor {
            type Value = StrategySpec;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a strategy name such as \"gather\" or a table such as { kind = \"bounded\", limit = 3 }",
                )
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<StrategySpec, E> {
                let kind = StrategyKind::deserialize(s.into_deserializer())?;
                Ok(StrategySpec::new(kind))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StrategySpec, A::Error> {
                let mut table =
                    toml::Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let plain = |e: toml::de::Error| de::Error::custom(e.message().trim());
                let kind = table
                    .remove("kind")
                    .ok_or_else(|| de::Error::missing_field("kind"))?;
                let kind = StrategyKind::deserialize(kind).map_err(plain)?;
                let label = match table.remove("label") {
                    Some(label) => Some(String::deserialize(label).map_err(|_| {
                        de::Error::custom("`label` must be a string, such as \"bounded_2\"")
                    })?),
                    None => None,
                };
                let clock = match table.remove("clock") {
                    Some(clock) => Clock::deserialize(clock).map_err(|_| {
                        de::Error::custom(
                            "`clock` must be \"real\" or \"paused\" (tokio's paused clock)",
                        )
                    })?,
                    None => Clock::Real,
                };
                Ok(StrategySpec {
                    kind,
                    label,
                    clock,
                    strategy: Strategy::from_table(kind, table),
                })
            }
        }
        deserializer.deserialize_any(StrategyVisitor)
    }
}

/// One `[[demo.expect]]` table: a claim the demo makes, checked against the measurement. The
/// keys every kind takes are here; the kind's own are its module's struct (see `demo/claim/`),
/// deserialized from the table's other keys.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectSpec {
    /// The sentence shown to the learner, e.g. "gather is at least 2.5x faster than sequential".
    pub claim: String,
    pub kind: ExpectKind,
    /// The strategy (its name or label) the claim is about.
    pub strategy: String,
    /// `"rust"` or `"python"`: the claim is judged only on that runtime's run (where tokio and
    /// asyncio differ, e.g. what `race` does to the losers). Default: judged on both; the Python
    /// run happens only with `lesson run --python`.
    pub runtime: Option<ClaimRuntime>,
    /// The kind's parameters, or why the table's keys do not make them (reported by
    /// [`DemoSpec::problems`] beside the demo's other problems).
    pub check: Result<Check, Vec<ParamError>>,
}

impl<'de> Deserialize<'de> for ExpectSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut table = toml::Table::deserialize(deserializer)?;
        let mut take = |key: &'static str| {
            table
                .remove(key)
                .ok_or_else(|| de::Error::missing_field(key))
        };
        let plain = |e: toml::de::Error| de::Error::custom(e.message().trim());
        let claim = String::deserialize(take("claim")?).map_err(plain)?;
        let kind = ExpectKind::deserialize(take("kind")?).map_err(plain)?;
        let strategy = String::deserialize(take("strategy")?).map_err(plain)?;
        let runtime = match table.remove("runtime") {
            Some(v) => Some(ClaimRuntime::deserialize(v).map_err(plain)?),
            None => None,
        };
        Ok(ExpectSpec {
            claim,
            kind,
            strategy,
            runtime,
            check: Check::from_table(kind, table),
        })
    }
}

/// A problem serde cannot detect, e.g. a reference to a task that does not exist.
/// `key` names the offending key inside the demo table as a dotted path: `strategies.2`,
/// `task.1.ms`, `expect.0.strategy` (array indexes count from 0), so the loader can point at its
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub key: Option<String>,
    pub message: String,
}

impl SpecProblem {
    fn at(key: impl Into<String>, message: impl Into<String>) -> Self {
        SpecProblem {
            key: Some(key.into()),
            message: message.into(),
        }
    }
}

fn valid_ident(s: &str, allow_upper: bool) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || c == '_'
                || c == '-'
                || (allow_upper && c.is_ascii_uppercase())
        })
}

impl TaskSpec {
    fn problems(&self, at: &str, out: &mut Vec<SpecProblem>) {
        if !valid_ident(&self.name, true) {
            out.push(SpecProblem::at(
                format!("{at}.name"),
                format!(
                    "task name `{}` must be 1 to 64 letters, digits, `_` or `-`",
                    self.name
                ),
            ));
        }
        if self.count == 0 || u64::from(self.count) > MAX_TASKS {
            out.push(SpecProblem::at(
                format!("{at}.count"),
                format!(
                    "count must be between 1 and {MAX_TASKS}, got {}",
                    self.count
                ),
            ));
        }
        if self.inside.is_some() && !self.op.has_body() {
            out.push(SpecProblem::at(
                format!("{at}.inside"),
                format!(
                    "`inside` does not apply to op `{}`: only a `resource` has a body to nest in",
                    self.op.as_str()
                ),
            ));
        }
        // A problem of the op's table as a whole (a missing key) shows at its `op`.
        let key = |k: Option<&str>| format!("{at}.{}", k.unwrap_or("op"));
        let errors = match &self.params {
            Err(errors) => errors.clone(),
            Ok(op) => op.problems(),
        };
        for e in errors {
            out.push(SpecProblem::at(key(e.key.as_deref()), e.message));
        }
    }
}

impl StrategySpec {
    fn problems(&self, at: &str, out: &mut Vec<SpecProblem>) {
        match &self.strategy {
            Err(why) => {
                for message in why {
                    out.push(SpecProblem::at(at, message.clone()));
                }
            }
            Ok(strategy) => {
                for message in strategy.problems() {
                    out.push(SpecProblem::at(at, message));
                }
            }
        }
        if let Some(label) = &self.label
            && !valid_ident(label, false)
        {
            out.push(SpecProblem::at(
                at,
                format!("label `{label}` must be 1 to 64 lowercase letters, digits, `_` or `-`"),
            ));
        }
    }
}

impl ExpectSpec {
    fn problems(&self, at: &str, names: &Names, out: &mut Vec<SpecProblem>) {
        if self.claim.trim().is_empty() {
            out.push(SpecProblem::at(
                format!("{at}.claim"),
                "the claim sentence is empty",
            ));
        }
        if !names.strategies.contains(&self.strategy.as_str()) {
            out.push(SpecProblem::at(
                format!("{at}.strategy"),
                format!(
                    "strategy `{}` is not one of this demo's strategies ({})",
                    self.strategy,
                    names.strategies.join(", ")
                ),
            ));
        }
        // asyncio has no paused clock: the Python run skips such a strategy, so a claim about it
        // says it is judged on tokio alone.
        if names.paused.contains(&self.strategy.as_str())
            && self.runtime != Some(ClaimRuntime::Rust)
        {
            out.push(SpecProblem::at(
                format!("{at}.strategy"),
                format!(
                    "strategy `{}` runs on tokio's paused clock, which asyncio does not have (the Python run skips it): add runtime = \"rust\" to this claim",
                    self.strategy
                ),
            ));
        }
        // A problem of the table as a whole (a missing key) shows at its `kind`.
        let key = |k: Option<&str>| format!("{at}.{}", k.unwrap_or("kind"));
        match &self.check {
            Err(errors) => {
                for e in errors {
                    out.push(SpecProblem::at(key(e.key.as_deref()), e.message.clone()));
                }
            }
            Ok(check) => {
                let names = Names {
                    strategy: &self.strategy,
                    ..*names
                };
                for p in check.problems(&names) {
                    out.push(SpecProblem::at(key(p.key), p.message));
                }
            }
        }
    }
}

/// `inside = "outer"` of task `i`: an existing `resource` with as many copies, and no loop.
fn nesting_problems(tasks: &[TaskSpec], i: usize, at: &str, out: &mut Vec<SpecProblem>) {
    let task = &tasks[i];
    let (Some(outer), true) = (&task.inside, task.op.has_body()) else {
        return;
    };
    let at = format!("{at}.inside");
    let Some(o) = tasks.iter().position(|t| t.name == *outer) else {
        let names: Vec<&str> = tasks.iter().map(|t| t.name.as_str()).collect();
        out.push(SpecProblem::at(
            at,
            format!(
                "task `{outer}` is not one of this demo's tasks ({})",
                names.join(", ")
            ),
        ));
        return;
    };
    if o == i {
        out.push(SpecProblem::at(
            at,
            "a resource cannot be nested inside itself",
        ));
        return;
    }
    if !tasks[o].op.has_body() {
        out.push(SpecProblem::at(
            at,
            format!(
                "task `{outer}` is a `{}` task: only a `resource` has a body to nest in",
                tasks[o].op.as_str()
            ),
        ));
        return;
    }
    // Follow the chain outwards: it must end at a top-level task, not come back here.
    let mut seen = vec![i];
    let mut at_task = o;
    while let Some(next) = &tasks[at_task].inside {
        if seen.contains(&at_task) {
            out.push(SpecProblem::at(
                at,
                format!(
                    "`{}` and `{outer}` are nested inside each other: one of them must be top-level",
                    task.name
                ),
            ));
            return;
        }
        seen.push(at_task);
        match tasks.iter().position(|t| t.name == *next) {
            Some(n) => at_task = n,
            None => break,
        }
    }
    if task.count != tasks[o].count {
        out.push(SpecProblem::at(
            at,
            format!(
                "a nested resource has one copy inside each copy of `{outer}`: set count = {} (it is {})",
                tasks[o].count, task.count
            ),
        ));
    }
}

impl DemoSpec {
    /// Checks that need the whole demo table. Empty when the demo is sound.
    pub fn problems(&self) -> Vec<SpecProblem> {
        let mut out = Vec::new();
        // The demo `name` is checked by the lesson loader (valid, unique within the lesson).
        if self.title.trim().is_empty() {
            out.push(SpecProblem::at("title", "the title is empty"));
        }
        if self.about.trim().is_empty() {
            out.push(SpecProblem::at(
                "about",
                "`about` is empty: say in one paragraph what the demo shows",
            ));
        }
        match (self.runtime, self.workers) {
            (RuntimeFlavor::CurrentThread, Some(_)) => out.push(SpecProblem::at(
                "workers",
                "`workers` applies only to runtime = \"multi_thread\"",
            )),
            (RuntimeFlavor::MultiThread, Some(w)) if w == 0 || w > MAX_WORKERS => {
                out.push(SpecProblem::at(
                    "workers",
                    format!("workers must be between 1 and {MAX_WORKERS}, got {w}"),
                ))
            }
            _ => {}
        }
        self.paused_clock_problems(&mut out);
        if self.tasks.is_empty() {
            out.push(SpecProblem {
                key: None,
                message: "the demo has no tasks: add at least one [[demo.task]] table".into(),
            });
        }
        let mut seen = HashSet::new();
        let mut total: u64 = 0;
        for (i, task) in self.tasks.iter().enumerate() {
            let at = format!("task.{i}");
            task.problems(&at, &mut out);
            if !seen.insert(task.name.as_str()) {
                out.push(SpecProblem::at(
                    format!("{at}.name"),
                    format!("task name `{}` is used twice", task.name),
                ));
            }
            total += u64::from(task.count);
            nesting_problems(&self.tasks, i, &at, &mut out);
        }
        if total > MAX_TASKS {
            out.push(SpecProblem::at(
                "task",
                format!("the tasks add up to {total} copies; at most {MAX_TASKS} per demo"),
            ));
        }
        if self.strategies.is_empty() {
            out.push(SpecProblem::at("strategies", "list at least one strategy"));
        }
        let mut names = HashSet::new();
        for (i, s) in self.strategies.iter().enumerate() {
            s.problems(&format!("strategies.{i}"), &mut out);
            if !names.insert(s.name()) {
                out.push(SpecProblem::at(
                    format!("strategies.{i}"),
                    format!(
                        "strategy `{}` appears twice (entry {}): give one a `label`",
                        s.name(),
                        i + 1
                    ),
                ));
            }
        }
        let mut strategies: Vec<&str> = names.iter().copied().collect();
        strategies.sort_unstable();
        let tasks: Vec<TaskName> = self
            .tasks
            .iter()
            .map(|t| TaskName {
                name: &t.name,
                count: t.count,
                op: t.op,
            })
            .collect();
        let mut paused: Vec<&str> = self
            .strategies
            .iter()
            .filter(|s| s.clock == Clock::Paused)
            .map(StrategySpec::name)
            .collect();
        paused.sort_unstable();
        let names = Names {
            strategy: "",
            strategies: &strategies,
            paused: &paused,
            tasks: &tasks,
        };
        for (i, e) in self.expectations.iter().enumerate() {
            e.problems(&format!("expect.{i}"), &names, &mut out);
        }
        out
    }

    /// A strategy on the paused clock needs a current-thread runtime (tokio pauses no other)
    /// and ops whose time is a timer's (see [`Op::paused_clock_problem`]): each task that is
    /// not is refused at its `op`, with the reason.
    fn paused_clock_problems(&self, out: &mut Vec<SpecProblem>) {
        let paused: Vec<(usize, &StrategySpec)> = self
            .strategies
            .iter()
            .enumerate()
            .filter(|(_, s)| s.clock == Clock::Paused)
            .collect();
        let Some((_, first)) = paused.first() else {
            return;
        };
        if self.runtime == RuntimeFlavor::MultiThread {
            for (i, s) in &paused {
                out.push(SpecProblem::at(
                    format!("strategies.{i}"),
                    format!(
                        "strategy `{}` runs on the paused clock, which only a current_thread runtime can keep (tokio panics when a multi_thread runtime is built paused)",
                        s.name()
                    ),
                ));
            }
        }
        for (i, task) in self.tasks.iter().enumerate() {
            let Ok(op) = &task.params else { continue };
            if let Some(why) = op.paused_clock_problem() {
                out.push(SpecProblem::at(
                    format!("task.{i}.op"),
                    format!(
                        "op `{}` cannot run on the paused clock of strategy `{}`: {why}; only an op whose time is a timer's can",
                        op.name(),
                        first.name()
                    ),
                ));
            }
        }
    }
}

/// From tables to types. Call these only on a demo whose [`DemoSpec::problems`] is empty: they
/// trust the checks there (a missing required value reads as 0 rather than panicking).
impl DemoSpec {
    /// The validated tasks.
    pub fn tasks(&self) -> Vec<Task> {
        self.tasks.iter().filter_map(TaskSpec::to_task).collect()
    }

    /// The validated strategies, each with the name output and claims use.
    pub fn strategies(&self) -> Vec<Named> {
        self.strategies
            .iter()
            .filter_map(|s| {
                Some(Named {
                    name: s.name().to_string(),
                    strategy: s.strategy.clone().ok()?,
                    clock: s.clock,
                })
            })
            .collect()
    }

    /// The validated claims.
    pub fn claims(&self) -> Vec<Claim> {
        self.expectations
            .iter()
            .enumerate()
            .filter_map(|(index, e)| {
                Some(Claim {
                    index,
                    text: e.claim.clone(),
                    strategy: e.strategy.clone(),
                    check: e.check.clone().ok()?,
                    at: None,
                    runtime: e.runtime,
                })
            })
            .collect()
    }
}

impl TaskSpec {
    fn to_task(&self) -> Option<Task> {
        Some(Task {
            name: self.name.clone(),
            op: self.params.clone().ok()?,
            count: self.count,
            inside: self.inside.clone(),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn parse(src: &str) -> Result<DemoSpec, toml::de::Error> {
        toml::from_str(src)
    }

    pub(crate) const GOOD: &str = r#"
name = "seq_vs_gather"
title = "t"
about = "a"
strategies = ["sequential", "gather", { kind = "bounded", limit = 2 }]
[[task]]
name = "fetch"
op = "sleep"
ms = 300
count = 3
[[expect]]
claim = "gather is faster"
kind = "faster"
strategy = "gather"
than = "sequential"
factor = 2.5
"#;

    #[test]
    fn good_demo_has_no_problems() {
        let d = parse(GOOD).unwrap();
        assert_eq!(d.strategies.len(), 3);
        assert_eq!(
            d.strategies[2].strategy,
            Ok(Strategy::Bounded(crate::demo::strategy::bounded::Bounded {
                limit: 2
            }))
        );
        assert_eq!(d.problems(), vec![]);
    }

    #[test]
    fn unknown_strategy_and_op_are_serde_errors() {
        let e = parse(&GOOD.replace("\"gather\",", "\"gahter\",")).unwrap_err();
        assert!(e.to_string().contains("unknown variant"), "{e}");
        let e = parse(&GOOD.replace("op = \"sleep\"", "op = \"slep\"")).unwrap_err();
        assert!(e.to_string().contains("expected one of"), "{e}");
        // A strategy's unknown key is a problem of its entry, beside the demo's others, and
        // says what the kind takes.
        let d = parse(&GOOD.replace("limit = 2", "limit = 2, lmit = 3")).unwrap();
        let p = d.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("strategies.2"));
        assert!(
            p[0].message.starts_with("`lmit` does not apply to strategy `bounded`: strategy `bounded` takes `limit` (how many tasks may run at once), besides `label`"),
            "{p:?}"
        );
        // So is an op's: at its own key, with what the op takes.
        let d = parse(&GOOD.replace("count = 3", "count = 3\ncolor = 1")).unwrap();
        let p = d.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("task.0.color"));
        assert!(
            p[0].message.starts_with("`color` does not apply to op `sleep`: op `sleep` takes `ms` (its duration in milliseconds), besides `name`"),
            "{p:?}"
        );
        let e = parse(&GOOD.replace("count = 3", "count = -3")).unwrap_err();
        assert!(e.to_string().contains("count"), "{e}");
    }

    #[test]
    fn semantic_problems_name_their_key() {
        let src = GOOD
            .replace("count = 3", "count = 0\nitems = 4")
            .replace("than = \"sequential\"", "than = \"sequentail\"")
            .replace("limit = 2", "limit = 0");
        let d = parse(&src).unwrap();
        let p = d.problems();
        let keys: Vec<_> = p.iter().filter_map(|p| p.key.clone()).collect();
        assert!(keys.contains(&"task.0.count".to_string()), "{p:?}");
        assert!(keys.contains(&"task.0.items".to_string()), "{p:?}");
        assert!(keys.contains(&"expect.0.than".to_string()), "{p:?}");
        assert!(keys.contains(&"strategies.2".to_string()), "{p:?}");
    }

    /// Issue 18: a bad value beside a stray or missing key of the same task is reported in the
    /// same pass, and nothing is said about the stand-in a missing key was given.
    #[test]
    fn an_op_table_reports_its_bad_values_beside_its_unknown_and_missing_keys() {
        let src = GOOD.replace(
            "op = \"sleep\"\nms = 300",
            "op = \"sqlite_bulk\"\nms = 5\nrows = 0\ntransaction = true",
        );
        let keys: Vec<String> = parse(&src)
            .unwrap()
            .problems()
            .into_iter()
            .filter_map(|p| p.key)
            .collect();
        assert_eq!(keys, ["task.0.ms", "task.0.rows"]);
        let src = GOOD.replace(
            "op = \"sleep\"\nms = 300",
            "op = \"http_retry\"\nattempts = 99\ntimeout_ms = 0",
        );
        let p = parse(&src).unwrap().problems();
        let said: Vec<(Option<&str>, &str)> = p
            .iter()
            .map(|p| (p.key.as_deref(), p.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    Some("task.0.op"),
                    "op `http_retry` needs `path` (the demo server path to GET, e.g. \"/flaky/{key}?fail=2\")"
                ),
                (Some("task.0.timeout_ms"), "timeout_ms must be at least 1"),
                (
                    Some("task.0.attempts"),
                    "attempts must be between 1 and 10, got 99"
                ),
            ]
        );
    }

    #[test]
    fn absurd_values_are_problems_not_panics() {
        // An op's key holds what a TOML integer can (an i64): beyond that the parse stops at
        // the value, with its line and column.
        let e = parse(&GOOD.replace("ms = 300", "ms = 18446744073709551615")).unwrap_err();
        assert!(e.to_string().contains("line 9, column 6"), "{e}");
        for (from, to) in [
            ("ms = 300", "ms = 9223372036854775807"),
            ("count = 3", "count = 4294967295"),
            ("ms = 300", "ms = 60001"),
            ("factor = 2.5", "factor = -1.0"),
            ("factor = 2.5", "factor = nan"),
        ] {
            let d = parse(&GOOD.replace(from, to)).unwrap();
            assert!(!d.problems().is_empty(), "{to}");
        }
    }

    /// A strategy on the paused clock runs only timer ops, on a current-thread runtime, and its
    /// claims are tokio's alone: each problem at its own key (so at its line).
    #[test]
    fn the_paused_clock_refuses_real_io_blocking_and_a_multi_thread_runtime() {
        let paused = GOOD.replace(
            "{ kind = \"bounded\", limit = 2 }",
            "{ kind = \"gather\", label = \"paused\", clock = \"paused\" }",
        );
        let d = parse(&paused).unwrap();
        assert_eq!(d.strategies[2].clock, Clock::Paused);
        assert_eq!(d.strategies()[2].clock, Clock::Paused);
        assert_eq!(d.problems(), vec![]);
        // The loopback server, SQLite, a blocking sleep: each refused at its task's `op`.
        for (op, extra, why) in [
            ("http", "path = \"/delay/{ms}\"", "real I/O over loopback"),
            ("sqlite", "", "real work in SQLite"),
            ("block", "", "holds the thread"),
            ("cpu", "", "holds the thread"),
        ] {
            let src = paused.replace("op = \"sleep\"", &format!("op = \"{op}\"\n{extra}"));
            let p = parse(&src).unwrap().problems();
            assert_eq!(p.len(), 1, "{op}: {p:?}");
            assert_eq!(p[0].key.as_deref(), Some("task.0.op"), "{op}");
            assert!(
                p[0].message.starts_with(&format!(
                    "op `{op}` cannot run on the paused clock of strategy `paused`: it "
                )) && p[0].message.contains(why),
                "{op}: {p:?}"
            );
        }
        // tokio pauses only a current-thread runtime's clock.
        let p = parse(&format!("runtime = \"multi_thread\"\n{paused}"))
            .unwrap()
            .problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("strategies.2"));
        assert!(
            p[0].message.contains("only a current_thread runtime"),
            "{p:?}"
        );
        // asyncio has no paused clock: a claim about the strategy says it is tokio's.
        let claim = paused.replace("strategy = \"gather\"", "strategy = \"paused\"");
        let p = parse(&claim).unwrap().problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].key.as_deref(), Some("expect.0.strategy"));
        assert!(
            p[0].message
                .ends_with("add runtime = \"rust\" to this claim"),
            "{p:?}"
        );
        let p = parse(&format!("{claim}runtime = \"rust\"\n"))
            .unwrap()
            .problems();
        assert_eq!(p, vec![]);
        // A clock that is not one is a parse error of the entry.
        let e = parse(&paused.replace("clock = \"paused\"", "clock = \"stopped\"")).unwrap_err();
        assert!(
            e.to_string()
                .contains("`clock` must be \"real\" or \"paused\""),
            "{e}"
        );
    }

    #[test]
    fn duplicate_names_and_missing_params() {
        let src = r#"
name = "d"
title = "t"
about = "a"
strategies = ["gather", "gather", "timeout", "bounded"]
[[task]]
name = "x"
op = "pages"
ms = 10
[[task]]
name = "x"
op = "resource"
[[expect]]
claim = "c"
kind = "teardown"
strategy = "gather"
"#;
        let d = parse(src).unwrap();
        let msgs: Vec<_> = d.problems().into_iter().map(|p| p.message).collect();
        let all = msgs.join("\n");
        for needle in [
            "appears twice",
            "needs `ms`",
            "needs `limit`",
            "needs `items`",
            "used twice",
            "needs `task`",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in\n{all}");
        }
    }
}
