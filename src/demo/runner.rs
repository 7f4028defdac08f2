//! Runs a demo: a fresh tokio runtime per strategy (the demo's flavour), durations scaled by
//! `--speed`, Ctrl-C cancelling the running strategy. Returns reports; never prints.

use std::future::Future;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

use crate::demo::claim::{self, Claim, ClaimRuntime};
use crate::demo::cpu_wait;
use crate::demo::ctx::Ctx;
use crate::demo::ideal::Shape;
use crate::demo::interrupt::Interrupt;
use crate::demo::lab::Lab;
use crate::demo::model::{Clock, MAX_STRATEGY_MS, Runtime, RuntimeFlavor};
use crate::demo::plan::Plan;
use crate::demo::predict::{self, Forecast, Verdict};
use crate::demo::recorder::{Event, Recorder};
pub use crate::demo::report::SpeedLimit;
use crate::demo::report::{DemoReport, StrategyReport};
use crate::demo::spec::{DemoSpec, SpecProblem};
use crate::demo::strategy::{Named, Strategy, StrategyKind};
use crate::demo::work::Work;

/// How long the runner waits for cleanup that cancelled tasks spawned (async teardown).
const CLEANUP_LIMIT: Duration = Duration::from_secs(65);

/// The shortest real time a duration that claims turn on may shrink to at a fast playback speed.
/// tokio's timers fire on 1 ms ticks; below a few ticks, which of two timers fires first (a
/// deadline or the task it guards) is a coin toss, and no claim about it can be judged.
const SHORTEST_REAL_MS: f64 = 4.0;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Playback speed: 5 runs five times faster, 0.5 half as fast (0.1 to 100). A demo whose
    /// shortest durations would be lost in timer ticks runs at the fastest speed that keeps them
    /// (see [`Demo::max_speed`]).
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
    /// See [`Demo::max_speed`].
    max_speed: f64,
    /// The demo server and database of a run with real-I/O ops (see [`Demo::with_lab`]).
    lab: Option<Arc<Lab>>,
}

/// A `[[demo]]` table checked: every problem, and, when its tasks and strategies are sound
/// enough to model, the demo and the forecasts of its sound claims (`lesson validate
/// --explain` shows them even when a claim has a problem). Run a demo only from [`Demo::new`].
#[derive(Debug, Clone)]
pub struct Checked {
    pub demo: Option<Demo>,
    pub forecasts: Vec<Forecast>,
    pub problems: Vec<SpecProblem>,
}

impl Checked {
    /// The demo, ready to run, or every problem that stops it.
    pub fn runnable(&self) -> Result<Demo, Vec<SpecProblem>> {
        match &self.demo {
            Some(demo) if self.problems.is_empty() => Ok(demo.clone()),
            _ => Err(self.problems.clone()),
        }
    }

    /// Claims that hold in the ideal model with less margin than a real run on a busy machine
    /// can honour, each with a safe value for the key to change.
    pub fn thin_margins(&self) -> Vec<SpecProblem> {
        self.forecasts
            .iter()
            .filter_map(|f| match &f.verdict {
                Verdict::Thin { key, safe } => Some(SpecProblem {
                    key: Some(format!("expect.{}.{key}", f.index)),
                    message: format!(
                        "{}; {}: a busy machine will refute it now and then (a safe value: {key} = {safe})",
                        f.predicted, f.margin
                    ),
                }),
                _ => None,
            })
            .collect()
    }
}

/// What every strategy run pays in real time, whatever it runs: the runtime's start and the
/// priming of its timer, the recording and polling of each task, and each timer firing on the
/// next 1 ms tick. Measured once per process on this machine ([`FixedCosts::measured`]); the
/// paused clock of the tests has none ([`FixedCosts::NONE`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedCosts {
    pub runtime_ms: f64,
    pub task_ms: f64,
    pub tick_ms: f64,
    /// Starting a thread of the blocking pool for an offloaded op.
    pub thread_ms: f64,
}

impl FixedCosts {
    pub const NONE: FixedCosts = FixedCosts {
        runtime_ms: 0.0,
        task_ms: 0.0,
        tick_ms: 0.0,
        thread_ms: 0.0,
    };

    /// Measures the costs once (a few tens of milliseconds), then answers from memory.
    pub fn measured() -> FixedCosts {
        static COSTS: std::sync::OnceLock<FixedCosts> = std::sync::OnceLock::new();
        *COSTS.get_or_init(|| {
            let runs: Vec<(f64, f64, f64, f64)> = (0..3).filter_map(|_| measure_once()).collect();
            let worst =
                |f: fn(&(f64, f64, f64, f64)) -> f64| runs.iter().map(f).fold(0.0, f64::max);
            if runs.is_empty() {
                return FixedCosts {
                    runtime_ms: 5.0,
                    task_ms: 0.01,
                    tick_ms: 2.0,
                    thread_ms: 1.0,
                };
            }
            // The worst of three, doubled: the machine's load can change during a lesson.
            FixedCosts {
                runtime_ms: 1.0 + 2.0 * worst(|r| r.0),
                task_ms: 2.0 * worst(|r| r.1),
                tick_ms: (2.0 * worst(|r| r.2)).max(1.0) + 1.0,
                thread_ms: 2.0 * worst(|r| r.3),
            }
        })
    }

    /// The allowance for one strategy run, in real milliseconds. `threads`: blocking-pool
    /// threads it may start.
    fn allowance_ms(&self, tasks: usize, timer_waits: f64, threads: usize) -> f64 {
        self.runtime_ms
            + self.task_ms * tasks as f64
            + self.tick_ms * timer_waits
            + self.thread_ms * threads as f64
    }
}

/// One measurement on a fresh current-thread runtime, in real ms: (what a strategy pays to get
/// going: spawning and joining a few tasks; per task of a 1,000-task fan-out; how late one timer
/// wait fires under the machine's current load).
fn measure_once() -> Option<(f64, f64, f64, f64)> {
    use futures::StreamExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let costs = rt.block_on(async {
        prime_timer_driver().await;
        let t = std::time::Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..4 {
            set.spawn(tokio::task::yield_now());
        }
        while set.join_next().await.is_some() {}
        let start_ms = t.elapsed().as_secs_f64() * 1000.0;

        const N: usize = 1000;
        let t = std::time::Instant::now();
        let mut all: futures::stream::FuturesUnordered<_> =
            (0..N).map(|_| tokio::task::yield_now()).collect();
        while all.next().await.is_some() {}
        let task_ms = t.elapsed().as_secs_f64() * 1000.0 / N as f64;

        const WAITS: u32 = 5;
        let wait = Duration::from_millis(2);
        let t = std::time::Instant::now();
        for _ in 0..WAITS {
            tokio::time::sleep(wait).await;
        }
        let late_ms = (t.elapsed() - wait * WAITS).as_secs_f64() * 1000.0 / f64::from(WAITS);
        // A fresh runtime's blocking pool has no thread yet: each of these starts one.
        const THREADS: usize = 4;
        let t = std::time::Instant::now();
        let handles: Vec<_> = (0..THREADS)
            .map(|_| tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_micros(200))))
            .collect();
        for h in handles {
            let _ = h.await;
        }
        let thread_ms = (t.elapsed().as_secs_f64() * 1000.0 - 0.2) / THREADS as f64;
        (start_ms, task_ms, late_ms, thread_ms.max(0.0))
    });
    rt.shutdown_timeout(Duration::from_millis(10));
    Some(costs)
}

impl Demo {
    /// Validates a `[[demo]]` table: every problem of it (see [`Demo::check`]), or the demo.
    pub fn new(spec: &DemoSpec) -> Result<Demo, Vec<SpecProblem>> {
        Demo::check(spec).runnable()
    }

    /// Every problem of a `[[demo]]` table, reported together: its own problems, and, as long
    /// as its tasks, strategies and runtime are sound (the estimates trust them), whether a
    /// strategy would run absurdly long and which sound claims the ideal model contradicts.
    /// A bad parameter in one claim (`factor = 0`) hides nothing about the others.
    pub fn check(spec: &DemoSpec) -> Checked {
        Demo::check_with(spec, spec.problems())
    }

    /// [`Demo::check`] with the table's own problems already found (`spec.problems()`), for a
    /// caller that looked at them first.
    pub fn check_with(spec: &DemoSpec, problems: Vec<SpecProblem>) -> Checked {
        let mut problems = problems;
        // A claim's own problems are under `expect.N`; anything else makes the model unsound.
        let claim_of = |p: &SpecProblem| {
            let key = p.key.as_deref()?;
            let rest = key.strip_prefix("expect.")?;
            rest.split('.').next()?.parse::<usize>().ok()
        };
        let about_text = |p: &SpecProblem| matches!(p.key.as_deref(), Some("title" | "about"));
        if problems
            .iter()
            .any(|p| claim_of(p).is_none() && !about_text(p))
        {
            return Checked {
                demo: None,
                forecasts: Vec::new(),
                problems,
            };
        }
        let unsound: Vec<usize> = problems.iter().filter_map(claim_of).collect();
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
            max_speed: 1.0,
            lab: None,
        };
        let demo = Demo {
            max_speed: demo.fastest_judgeable_speed(),
            ..demo
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
        if !too_long.is_empty() {
            problems.extend(too_long);
            return Checked {
                demo: None,
                forecasts: Vec::new(),
                problems,
            };
        }
        // Claims the ideal model contradicts cannot hold at any speed on any machine.
        let forecasts: Vec<Forecast> = demo
            .forecasts()
            .into_iter()
            .filter(|f| !unsound.contains(&f.index))
            .collect();
        problems.extend(forecasts.iter().filter_map(|f| match f.verdict {
            Verdict::Impossible { key } => Some(SpecProblem {
                key: Some(format!("expect.{}.{key}", f.index)),
                message: format!("{}; {}, which cannot hold", f.predicted, f.margin),
            }),
            _ => None,
        }));
        Checked {
            demo: Some(demo),
            forecasts,
            problems,
        }
    }

    /// What the ideal model predicts for each claim (see [`crate::demo::predict`]).
    pub fn forecasts(&self) -> Vec<Forecast> {
        // With the durations the run will estimate for its ops (bulk inserts at this disk's
        // calibrated rate), so a forecast and a run's ideal time agree.
        let plan = Lab::calibrate(&self.plan);
        predict::forecasts(&plan, &self.runtime, &self.strategies, &self.claims)
    }

    /// Where each claim is written (`lessons/gather.toml:120`), for messages about it.
    pub fn locate_claims(&mut self, file: &str, lines: &[usize]) {
        for claim in &mut self.claims {
            if let Some(line) = lines.get(claim.index) {
                claim.at = Some(format!("{file}:{line}"));
            }
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The fastest playback speed at which every duration the demo's timing turns on (each op's
    /// parts, each deadline and delay, and the gap between a deadline and the tasks it guards)
    /// still lasts [`SHORTEST_REAL_MS`] of real time. Never below 1: at speed 1 a lesson runs as
    /// written.
    pub fn max_speed(&self) -> f64 {
        self.max_speed
    }

    fn fastest_judgeable_speed(&self) -> f64 {
        let mut durations: Vec<u64> = Vec::new();
        for (_, op, _) in self.plan.groups() {
            durations.extend(op.durations());
        }
        let tasks = durations.clone();
        for s in &self.strategies {
            durations.extend(s.strategy.own_durations(&tasks));
        }
        let shortest = durations.into_iter().filter(|d| *d > 0).min();
        shortest.map_or(f64::INFINITY, |ms| (ms as f64 / SHORTEST_REAL_MS).max(1.0))
    }

    /// A demo whose point is a strategy's own cost (`join_all` over thousands of futures)
    /// measures real time that no speed scales: played faster or slower, the effect it shows
    /// would shrink or swell against the durations. It always plays at speed 1.
    pub fn plays_at_one_speed(&self) -> bool {
        self.strategies
            .iter()
            .any(|s| s.strategy.overhead_grows_with_size())
    }

    /// The speed a run asked for `requested` plays at, as far as the lesson alone decides (its
    /// shortest durations, a strategy whose cost no speed scales). [`Demo::speed_for`] also
    /// keeps every timing claim judgeable on this machine.
    pub fn playback(&self, requested: f64) -> f64 {
        let requested = if requested.is_finite() && requested > 0.0 {
            requested
        } else {
            1.0
        };
        if self.plays_at_one_speed() {
            return 1.0;
        }
        requested.min(self.max_speed)
    }

    /// The speed a run asked for `requested` plays at on a machine whose fixed real-time costs are
    /// `costs`: [`Demo::playback`], and no faster than [`Demo::claims_speed`], so that the
    /// allowance for fixed costs (which grows with the speed) never swamps a timing claim. Never
    /// slowed below 1 by the claims: at speed 1 a lesson runs as written.
    pub fn speed_for(&self, requested: f64, costs: &FixedCosts) -> f64 {
        let speed = self.playback(requested);
        if speed <= 1.0 {
            return speed;
        }
        // In tenths, so the speed shown is the speed played.
        let claims = (self.claims_speed(costs) * 10.0).floor() / 10.0;
        speed.min(claims.max(1.0))
    }

    /// Why a run asked for `requested` plays at another speed, before it runs; `None` when it
    /// plays as asked.
    pub fn speed_limit(&self, requested: f64, costs: &FixedCosts) -> Option<SpeedLimit> {
        self.limit_of(self.speed_for(requested, costs), requested)
    }

    /// Why the demo played at `speed` when `requested` was asked for.
    fn limit_of(&self, speed: f64, requested: f64) -> Option<SpeedLimit> {
        if speed == requested {
            return None;
        }
        Some(if self.plays_at_one_speed() {
            SpeedLimit::RuntimeCost
        } else if speed < self.playback(requested) {
            SpeedLimit::Claims
        } else {
            SpeedLimit::Timers
        })
    }

    /// The fastest speed at which every timing claim of the tokio run can still be judged with
    /// fixed real-time costs of `costs`: the claim's own scale (a `wall` bound, a `started`
    /// bound, a `faster` strategy's ideal time) at least twice the allowance, which grows with
    /// the speed. Infinite when no claim turns on timing or the costs are nil (paused clock).
    pub fn claims_speed(&self, costs: &FixedCosts) -> f64 {
        let mut fastest = f64::INFINITY;
        for claim in self.claims_for(ClaimRuntime::Rust) {
            let Some(named) = self.strategies.iter().find(|s| s.name == claim.strategy) else {
                continue;
            };
            let costs = &costs_on(named.clock, *costs);
            let Some(scale) = claim.check.timing_scale(self.ideal_ms(&named.strategy)) else {
                continue;
            };
            let allowance = self.allowance_ms(&named.strategy, costs, 1.0);
            if allowance > 0.0 {
                fastest = fastest.min(scale / (2.0 * allowance));
            }
        }
        fastest
    }

    /// This demo with its real-I/O world started (the loopback server, a temporary database) and
    /// measured latencies in its ideal times; the same demo when it has no real-I/O op. The world
    /// lives as long as the returned demo: dropping it shuts the server down.
    pub fn with_lab(&self, speed: f64) -> Demo {
        let mut demo = self.clone();
        if let Some(lab) = Lab::start(&self.plan) {
            demo.plan = Arc::new(lab.estimate(&self.plan, speed));
            demo.lab = Some(lab);
        }
        demo
    }

    /// How much of `strategy`'s wall time fixed real-time `costs` may explain at `speed`, in
    /// lesson ms: what timing claims allow for (see [`crate::demo::claim`]). The Python run
    /// passes the costs its runner measured for asyncio.
    pub fn allowance_ms(&self, strategy: &Strategy, costs: &FixedCosts, speed: f64) -> f64 {
        let shape = Shape::new(&self.plan, &self.runtime);
        let threads = if strategy.offloads() {
            self.plan
                .groups()
                .filter(|(_, op, _)| op.is_blocking())
                .map(|(_, _, n)| n as usize)
                .sum()
        } else {
            0
        };
        costs.allowance_ms(self.plan.len(), strategy.timer_waits(&shape), threads) * speed
    }

    /// The claims judged on `runtime`'s run: those for both runtimes and those for it alone.
    pub fn claims_for(&self, runtime: ClaimRuntime) -> Vec<Claim> {
        self.claims
            .iter()
            .filter(|c| c.runtime.is_none_or(|r| r == runtime))
            .cloned()
            .collect()
    }

    /// The loopback server and database of a demo started with [`Demo::with_lab`].
    pub(crate) fn lab(&self) -> Option<&Arc<Lab>> {
        self.lab.as_ref()
    }

    /// What `strategy` would take on a runtime with no overhead, in lesson milliseconds.
    pub fn ideal_ms(&self, strategy: &Strategy) -> f64 {
        strategy.ideal_ms(&Shape::new(&self.plan, &self.runtime))
    }

    /// Runs strategy `index` on its own runtime. `events` feeds a live view.
    fn run_strategy(
        &self,
        index: usize,
        speed: f64,
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
        // What `#[tokio::test(start_paused = true)]` builds (validation allows it only on a
        // current-thread runtime, the one tokio can pause).
        if strategy.clock == Clock::Paused {
            builder.start_paused(true);
        }
        // Named, so the CPU-wait measure knows which threads run the strategy.
        let rt = builder
            .enable_all()
            .thread_name(cpu_wait::STRATEGY_THREAD)
            .build()?;
        let interrupt = opts.interrupt.clone();
        let mut report = rt.block_on(self.run_strategy_async(
            strategy,
            speed,
            costs_on(strategy.clock, FixedCosts::measured()),
            events,
            async move {
                match &interrupt {
                    Some(i) => i.wait().await,
                    None => std::future::pending::<()>().await,
                }
            },
        ));
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
        costs: FixedCosts,
        events: Option<Sender<Event>>,
        interrupt: impl Future<Output = ()>,
    ) -> StrategyReport {
        let speed = self.playback(speed);
        prime_timer_driver().await;
        let len = self.plan.len();
        let mut rec = Recorder::new(len, events).in_lesson_time(speed);
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
            io: self.lab.as_ref().map(Lab::session),
        });
        let work = Work::new(cx.clone());
        // The paused clock of the tests has no real time to lose: judge it exactly.
        let waits = (costs != FixedCosts::NONE).then(cpu_wait::Snapshot::now);

        // The machine's clock beside the runtime's: on a paused clock they part.
        let real = std::time::Instant::now();
        let (result, interrupted) = tokio::select! {
            result = strategy.strategy.run(work) => (result, false),
            () = interrupt => (Ok(()), true),
        };
        let wall_ms = cx.rec.elapsed_ms();
        let real_ms = real.elapsed().as_secs_f64() * 1000.0;
        let cpu_wait_ms = waits.map_or(0.0, |w| w.waited_ms() * speed).min(wall_ms);
        cx.rec.emit(Event::End { wall_ms });
        let limit = if interrupted {
            Duration::from_millis(500)
        } else {
            CLEANUP_LIMIT
        };
        // Detached tasks (spawned, handle dropped) outlive the strategy: let them finish.
        cx.rec.wait_idle(limit).await;
        let cleanup_ms = cx.rec.wait_cleanup(limit).await.filter(|ms| *ms > wall_ms);

        let ideal_ms = self.ideal_ms(&strategy.strategy);
        let allowance_ms = self.allowance_ms(&strategy.strategy, &costs, speed);
        StrategyReport {
            name: strategy.name.clone(),
            kind: strategy.strategy.kind(),
            detail: strategy.strategy.describe(),
            wall_ms,
            clock: strategy.clock,
            real_ms,
            ideal_ms,
            overhead_ms: wall_ms - ideal_ms,
            allowance_ms,
            cpu_wait_ms,
            speedup: None,
            peak_concurrency: cx.rec.peak(self.plan.roots()),
            error: result.err().map(|e| e.to_string()),
            cleanup_ms,
            interrupted,
            tasks: cx.rec.tasks(&self.plan),
        }
    }

    /// Assembles the demo's report from its strategies' reports: speedups and verdicts.
    /// `requested` is the speed asked for; the demo played at `speed`.
    pub fn report(
        &self,
        mut strategies: Vec<StrategyReport>,
        speed: f64,
        requested: f64,
    ) -> DemoReport {
        // Against the sequential run on the same clock: a paused run is compared with a paused
        // one, not with the real clock's overhead.
        let sequential_on = |clock: Clock| {
            strategies
                .iter()
                .find(|s| s.kind == StrategyKind::Sequential && s.clock == clock && !s.interrupted)
                .map(|s| s.wall_ms)
        };
        let (real, paused) = (sequential_on(Clock::Real), sequential_on(Clock::Paused));
        // An interrupted strategy stopped early: its wall time measures the Ctrl-C, not the
        // strategy, so it gets no speedup (a short wall would read as a big one).
        for s in strategies.iter_mut().filter(|s| !s.interrupted) {
            let seq = match s.clock {
                Clock::Real => real,
                Clock::Paused => paused,
            };
            // Under a millisecond (a caller that did not wait) is too short to compare.
            if let (Some(seq), true) = (seq, s.wall_ms >= 1.0) {
                s.speedup = Some(seq / s.wall_ms);
            }
        }
        let interrupted =
            strategies.iter().any(|s| s.interrupted) || strategies.len() < self.strategies.len();
        let expectations = claim::check(
            &self.claims_for(ClaimRuntime::Rust),
            &self.plan,
            &strategies,
        );
        DemoReport {
            name: self.name.clone(),
            title: self.title.clone(),
            runtime: self.runtime.flavor.as_str().to_string(),
            workers: self.runtime.workers,
            speed,
            requested_speed: (speed != requested).then_some(requested),
            speed_limit: self.limit_of(speed, requested),
            strategies,
            expectations,
            interrupted,
            python: None,
        }
    }

    /// Runs every strategy, each on a fresh runtime (stopping after an interrupted one), telling
    /// `observer` as it goes, and checks the claims.
    pub fn run(
        &self,
        opts: &RunOptions,
        observer: &mut dyn Observer,
    ) -> std::io::Result<DemoReport> {
        let speed = self.speed_for(opts.speed, &FixedCosts::measured());
        let demo = self.with_lab(speed);
        let mut reports = Vec::new();
        for i in 0..self.strategies.len() {
            let events = observer.strategy_started(self, i);
            let r = demo.run_strategy(i, speed, opts, events)?;
            observer.strategy_finished(self, i, &r);
            let stop = r.interrupted;
            reports.push(r);
            if stop {
                break;
            }
        }
        Ok(demo.report(reports, speed, opts.speed))
    }

    /// Async twin of [`Demo::run`] on the current runtime (tests, paused clock).
    pub async fn run_async(&self, requested: f64) -> DemoReport {
        let speed = self.playback(requested);
        let demo = self.with_lab(speed);
        let mut reports = Vec::new();
        for s in &demo.strategies {
            reports.push(
                demo.run_strategy_async(s, speed, FixedCosts::NONE, None, std::future::pending())
                    .await,
            );
        }
        demo.report(reports, speed, requested)
    }
}

/// The fixed costs a strategy on `clock` pays in lesson time: none on the paused clock, which
/// stands still while the runtime works and moves only from one timer's deadline to the next,
/// so its lesson times are exact; `measured` on the real one.
fn costs_on(clock: Clock, measured: FixedCosts) -> FixedCosts {
    match clock {
        Clock::Real => measured,
        Clock::Paused => FixedCosts::NONE,
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

    /// Issue 25, defect 10: the timeline shows a strategy as `name (what it does)`, so what it
    /// does has no parenthesised aside of its own (`two (at most 2 at once (Semaphore))` read
    /// as template text). Every strategy of every built-in demo.
    #[test]
    fn strategy_captions_nest_no_parentheses() {
        let source = crate::lesson::Source::discover(None).unwrap();
        let known = crate::workbook::ExerciseCatalogue::embedded()
            .names()
            .into_iter()
            .collect();
        let lessons = crate::lesson::Catalogue::check(source.files().unwrap(), &known);
        let mut seen = 0;
        for parsed in &lessons.lessons {
            for spec in &parsed.lesson.demos {
                let Ok(demo) = Demo::new(spec) else { continue };
                for s in &demo.strategies {
                    let caption = s.strategy.describe();
                    assert!(!caption.contains(" ("), "{}: {caption}", spec.name);
                    seen += 1;
                }
            }
        }
        assert!(seen > 20, "only {seen} strategies");
    }

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
