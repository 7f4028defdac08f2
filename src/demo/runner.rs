//! Runs a demo: a fresh tokio runtime per strategy (the demo's flavour), durations scaled by
//! `--speed`, Ctrl-C cancelling the running strategy. Returns reports; never prints.

use std::future::Future;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::demo::ctx::Ctx;
use crate::demo::expect::{self, Claim};
use crate::demo::ideal::Shape;
use crate::demo::interrupt::Interrupt;
use crate::demo::model::{MAX_STRATEGY_MS, Runtime, RuntimeFlavor};
use crate::demo::plan::Plan;
use crate::demo::recorder::{Event, Recorder};
use crate::demo::report::{DemoReport, StrategyReport};
use crate::demo::spec::{DemoSpec, SpecProblem};
use crate::demo::strategy::{Named, Strategy};
use crate::demo::work::Work;

/// How long the runner waits for cleanup that cancelled tasks spawned (async teardown).
const CLEANUP_LIMIT: Duration = Duration::from_secs(65);

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Multiplies every duration (0.1 runs ten times faster). Must be > 0.
    pub speed: f64,
    /// Cancel the running strategy when this is raised (the command passes
    /// [`Interrupt::ctrl_c`]), report it as interrupted, and run no further strategy.
    pub interrupt: Option<Interrupt>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            speed: 1.0,
            interrupt: None,
        }
    }
}

/// Who watches a demo run: the live view, the plain-lines view, tests. Every method has a
/// default that ignores the event, so an observer implements only what it draws.
pub trait Observer {
    /// Strategy `index` of `demo` is about to run. Return a channel to receive its task events
    /// (they come from the runtime's threads while it runs), or `None`.
    fn strategy_started(&mut self, demo: &Demo, index: usize) -> Option<Sender<Event>> {
        let _ = (demo, index);
        None
    }

    /// Strategy `index` finished (or was interrupted): its report.
    fn strategy_finished(&mut self, demo: &Demo, index: usize, report: &StrategyReport) {
        let _ = (demo, index, report);
    }
}

/// An observer that watches nothing.
pub struct Unobserved;

impl Observer for Unobserved {}

/// A validated demo, ready to run: every value typed and in range.
#[derive(Debug, Clone)]
pub struct Demo {
    pub name: String,
    pub title: String,
    pub about: String,
    pub runtime: Runtime,
    pub strategies: Vec<Named>,
    pub claims: Vec<Claim>,
    plan: Arc<Plan>,
}

impl Demo {
    /// Validates a `[[demo]]` table: its own problems first, then (only when the parts are sound,
    /// since the estimate trusts them) whether any strategy would run absurdly long.
    pub fn new(spec: &DemoSpec) -> Result<Demo, Vec<SpecProblem>> {
        let problems = spec.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let demo = Demo {
            name: spec.name.clone(),
            title: spec.title.clone(),
            about: spec.about.clone(),
            runtime: Runtime {
                flavor: spec.runtime,
                workers: spec.workers,
            },
            strategies: spec.strategies(),
            claims: spec.claims(),
            plan: Arc::new(Plan::new(&spec.tasks())),
        };
        let too_long: Vec<SpecProblem> = demo
            .strategies
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let ms = demo.ideal_ms(&s.strategy);
                (ms > MAX_STRATEGY_MS).then(|| SpecProblem {
                    key: Some(format!("strategies.{i}")),
                    message: format!(
                        "strategy `{}` would take about {:.0} s; keep each under {:.0} s",
                        s.name,
                        ms / 1000.0,
                        MAX_STRATEGY_MS / 1000.0
                    ),
                })
            })
            .collect();
        if too_long.is_empty() {
            Ok(demo)
        } else {
            Err(too_long)
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// What `strategy` would take on a runtime with no overhead, in lesson milliseconds.
    pub fn ideal_ms(&self, strategy: &Strategy) -> f64 {
        strategy.ideal_ms(&Shape::new(&self.plan, &self.runtime))
    }

    /// Runs strategy `index` on its own runtime. `events` feeds a live view.
    fn run_strategy(
        &self,
        index: usize,
        opts: &RunOptions,
        events: Option<Sender<Event>>,
    ) -> std::io::Result<StrategyReport> {
        let strategy = &self.strategies[index];
        let mut builder = match self.runtime.flavor {
            RuntimeFlavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
            RuntimeFlavor::MultiThread => {
                let mut b = tokio::runtime::Builder::new_multi_thread();
                if let Some(w) = self.runtime.workers {
                    b.worker_threads(w.max(1) as usize);
                }
                b
            }
        };
        let rt = builder.enable_all().build()?;
        let interrupt = opts.interrupt.clone();
        let mut report =
            rt.block_on(
                self.run_strategy_async(strategy, opts.speed, events, async move {
                    match &interrupt {
                        Some(i) => i.wait().await,
                        None => std::future::pending::<()>().await,
                    }
                }),
            );
        // Blocking work cannot be aborted: do not let a leftover `spawn_blocking` hold us up.
        rt.shutdown_timeout(Duration::from_millis(200));
        // A Ctrl-C while a blocking op held the only thread may come in after the strategy ended:
        // it still stops the run here.
        if opts.interrupt.as_ref().is_some_and(Interrupt::requested) {
            report.interrupted = true;
        }
        Ok(report)
    }

    /// Runs `strategy` on the current runtime (tests use tokio's paused clock this way) until it
    /// returns or `interrupt` completes.
    pub async fn run_strategy_async(
        &self,
        strategy: &Named,
        speed: f64,
        events: Option<Sender<Event>>,
        interrupt: impl Future<Output = ()>,
    ) -> StrategyReport {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        prime_timer_driver().await;
        let len = self.plan.len();
        let mut rec = Recorder::new(len, events);
        if strategy.strategy.spawns() {
            // Spawned tasks may outlive the strategy (detached): count them to wait for them.
            rec = rec.track_live();
        }
        rec.emit(Event::Begin {
            strategy: strategy.name.clone(),
            tasks: len,
        });
        let cx = Arc::new(Ctx {
            plan: self.plan.clone(),
            rec,
            speed,
            offload: strategy.strategy.offloads(),
        });
        let work = Work::new(cx.clone());

        let (result, interrupted) = tokio::select! {
            result = strategy.strategy.run(work) => (result, false),
            () = interrupt => (Ok(()), true),
        };
        let wall_ms = cx.rec.elapsed_ms();
        cx.rec.emit(Event::End { wall_ms });
        let limit = if interrupted {
            Duration::from_millis(500)
        } else {
            CLEANUP_LIMIT
        };
        // Detached tasks (spawned, handle dropped) outlive the strategy: let them finish.
        cx.rec.wait_idle(limit).await;
        let cleanup_ms = cx.rec.wait_cleanup(limit).await.filter(|ms| *ms > wall_ms);

        let ideal_ms = self.ideal_ms(&strategy.strategy) * speed;
        StrategyReport {
            name: strategy.name.clone(),
            kind: strategy.strategy.kind().to_string(),
            detail: strategy.strategy.describe(),
            wall_ms,
            ideal_ms,
            overhead_ms: wall_ms - ideal_ms,
            speedup: None,
            peak_concurrency: cx.rec.peak(),
            error: result.err().map(|e| e.to_string()),
            cleanup_ms,
            interrupted,
            tasks: cx.rec.tasks(&self.plan, speed),
        }
    }

    /// Assembles the demo's report from its strategies' reports: speedups and verdicts.
    pub fn report(&self, mut strategies: Vec<StrategyReport>, speed: f64) -> DemoReport {
        let sequential = strategies
            .iter()
            .find(|s| s.kind == "sequential" && !s.interrupted)
            .map(|s| s.wall_ms);
        if let Some(seq) = sequential {
            for s in &mut strategies {
                // Under a millisecond (a caller that did not wait) is too short to compare.
                if s.wall_ms >= 1.0 {
                    s.speedup = Some(seq / s.wall_ms);
                }
            }
        }
        let interrupted =
            strategies.iter().any(|s| s.interrupted) || strategies.len() < self.strategies.len();
        let expectations = expect::check(&self.claims, &self.plan, &strategies, speed);
        DemoReport {
            name: self.name.clone(),
            title: self.title.clone(),
            runtime: self.runtime.flavor.as_str().to_string(),
            workers: self.runtime.workers,
            speed,
            strategies,
            expectations,
            interrupted,
        }
    }

    /// Runs every strategy, each on a fresh runtime (stopping after an interrupted one), telling
    /// `observer` as it goes, and checks the claims.
    pub fn run(
        &self,
        opts: &RunOptions,
        observer: &mut dyn Observer,
    ) -> std::io::Result<DemoReport> {
        let mut reports = Vec::new();
        for i in 0..self.strategies.len() {
            let events = observer.strategy_started(self, i);
            let r = self.run_strategy(i, opts, events)?;
            observer.strategy_finished(self, i, &r);
            let stop = r.interrupted;
            reports.push(r);
            if stop {
                break;
            }
        }
        Ok(self.report(reports, opts.speed))
    }

    /// Async twin of [`Demo::run`] on the current runtime (tests, paused clock).
    pub async fn run_async(&self, speed: f64) -> DemoReport {
        let mut reports = Vec::new();
        for s in &self.strategies {
            reports.push(
                self.run_strategy_async(s, speed, None, std::future::pending())
                    .await,
            );
        }
        self.report(reports, speed)
    }
}

/// tokio's timer driver wakes itself up (an `eventfd` write: a system call) whenever a timer is
/// registered earlier than the deadline it last parked with, and before it has ever parked there
/// is no such deadline. A fan-out that registers 100,000 timers within one poll (`gather`) would
/// make 100,000 system calls. Parking once with a 1 ms timer pending sets that deadline first.
/// Measured with strace: 100,001 writes without, 2 with.
async fn prime_timer_driver() {
    let prime = tokio::time::sleep(Duration::from_millis(1));
    tokio::pin!(prime);
    let _ = futures::poll!(prime.as_mut());
    tokio::task::yield_now().await;
}

#[cfg(test)]
mod tests {
    use super::Demo;
    use crate::demo::spec::tests::{GOOD, parse};

    #[test]
    fn absurd_run_times_are_refused_before_running() {
        // 100,000 sequential 300 ms sleeps would take hours.
        let d = parse(&GOOD.replace("count = 3", "count = 100000")).unwrap();
        assert!(
            Demo::new(&d)
                .err()
                .unwrap_or_default()
                .iter()
                .any(|p| p.message.contains("would take"))
        );
        // ... but 100,000 gathered ones are fine.
        let d = parse(
            &GOOD
                .replace("count = 3", "count = 100000")
                .replace("\"sequential\", ", "\"taskgroup\", ")
                .replace("limit = 2", "limit = 50000")
                .replace("than = \"sequential\"", "than = \"taskgroup\""),
        )
        .unwrap();
        let p = Demo::new(&d).err().unwrap_or_default();
        assert!(p.iter().all(|p| !p.message.contains("would take")), "{p:?}");
    }
}
