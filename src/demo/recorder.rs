//! Spans per task: start, end, outcome, phases. Cheap at 100,000 tasks: one slot of three atomics
//! per task, no allocation on the hot path; rare data (errors, phases, items) goes to a side table.
//!
//! Times come from `tokio::time::Instant`, so on a paused clock they are virtual time. Everything
//! the recorder reports is in lesson time: real time multiplied by the playback speed, so a
//! 200 ms deadline reads 200 ms at any `--speed`.
//! The recorder never prints: a live view may subscribe to [`Event`]s.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering::Relaxed};
use std::sync::mpsc::Sender;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::demo::model::Phase as ResourcePhase;
use crate::demo::plan::Plan;
use crate::demo::report::{Outcome, PhaseName, PhaseReport, TaskReport};

/// What a live view hears while a strategy runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A strategy begins with `tasks` task copies.
    Begin {
        strategy: String,
        tasks: usize,
    },
    Started {
        id: u32,
    },
    Finished {
        id: u32,
        outcome: Outcome,
        ms: f64,
    },
    /// The strategy returned (cleanup may still be running).
    End {
        wall_ms: f64,
    },
}

#[derive(Default)]
struct Slot {
    /// Microseconds since the base + 1; 0: not yet. (32 bits: 16 bytes per slot, 71 minutes of
    /// range; at 100,000 tasks every byte per task shows in the overhead.)
    start: AtomicU32,
    end: AtomicU32,
    outcome: AtomicU8,
    items: AtomicU32,
}

const NONE: u8 = 0;

/// `Started` events are sent only for demos with at most this many tasks: a live view draws
/// per-task lines only for small demos, and a big fan-out should not pay for events nobody reads.
pub const STARTS_MAX: usize = 64;

fn encode(o: Outcome) -> u8 {
    match o {
        Outcome::Ok => 1,
        Outcome::Failed => 2,
        Outcome::Cancelled => 3,
        Outcome::TimedOut => 4,
    }
}

fn decode(v: u8) -> Option<Outcome> {
    Some(match v {
        1 => Outcome::Ok,
        2 => Outcome::Failed,
        3 => Outcome::Cancelled,
        4 => Outcome::TimedOut,
        _ => return None,
    })
}

struct Phase {
    id: u32,
    name: PhaseName,
    start: u64,
    end: u64,
}

#[derive(Default)]
struct Extras {
    errors: Vec<(u32, String)>,
    phases: Vec<Phase>,
    items: Vec<(u32, u64)>,
    blocked: Vec<(u32, Duration)>,
    failed_in: Vec<(u32, ResourcePhase)>,
    connections: Vec<(u32, u64)>,
}

pub struct Recorder {
    base: Instant,
    slots: Box<[Slot]>,
    extras: Mutex<Extras>,
    /// Task futures that exist (created and not yet dropped), started or not; counted only
    /// when `track_live` (strategies whose tasks may outlive them).
    live: AtomicU32,
    track_live: bool,
    cleanup: Mutex<Vec<JoinHandle<()>>>,
    events: Option<Sender<Event>>,
    /// Keep every item's arrival time (small demos only).
    keep_items: bool,
    /// Real milliseconds to lesson milliseconds: the playback speed.
    to_lesson: f64,
}

impl Recorder {
    /// A recorder for `len` tasks; time 0 is now.
    pub fn new(len: usize, events: Option<Sender<Event>>) -> Recorder {
        let slots = (0..len).map(|_| Slot::default()).collect();
        Recorder {
            base: Instant::now(),
            slots,
            extras: Mutex::default(),
            live: AtomicU32::new(0),
            track_live: false,
            cleanup: Mutex::default(),
            events,
            keep_items: len <= 100,
            to_lesson: 1.0,
        }
    }

    /// Report times in lesson time at playback `speed` (real ms x speed).
    pub fn in_lesson_time(mut self, speed: f64) -> Self {
        self.to_lesson = speed;
        self
    }

    fn us_ms(&self, us: u32) -> f64 {
        us.saturating_sub(1) as f64 / 1e3 * self.to_lesson
    }

    fn ns_ms(&self, ns: u64) -> f64 {
        ns.saturating_sub(1) as f64 / 1e6 * self.to_lesson
    }

    /// Microseconds since the base + 1, for slots.
    fn now_us(&self) -> u32 {
        self.us_at(Instant::now())
    }

    /// `t` as microseconds since the base + 1.
    fn us_at(&self, t: Instant) -> u32 {
        let us = t.saturating_duration_since(self.base).as_micros();
        us.min(u128::from(u32::MAX - 1)) as u32 + 1
    }

    fn now(&self) -> u64 {
        Instant::now()
            .saturating_duration_since(self.base)
            .as_nanos() as u64
            + 1
    }

    fn extras(&self) -> std::sync::MutexGuard<'_, Extras> {
        // A panic while holding the lock cannot leave Extras inconsistent: keep going.
        self.extras.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn elapsed_ms(&self) -> f64 {
        self.ns_ms(self.now())
    }

    fn send(&self, e: Event) {
        if let Some(tx) = &self.events {
            let _ = tx.send(e);
        }
    }

    pub fn emit(&self, e: Event) {
        self.send(e);
    }

    /// Task `id` starts now, returned. See [`crate::demo::span::TaskSpan`] for the guard that
    /// ends it.
    pub fn begin(&self, id: u32) -> Instant {
        let now = Instant::now();
        self.slots[id as usize]
            .start
            .store(self.us_at(now), Relaxed);
        if self.slots.len() <= STARTS_MAX {
            self.send(Event::Started { id });
        }
        now
    }

    /// Task `id` ended with `result`.
    pub fn finish(&self, id: u32, result: &Result<(), String>) {
        match result {
            Ok(()) => self.end(id, Outcome::Ok),
            Err(message) => {
                self.error(id, message);
                self.end(id, Outcome::Failed);
            }
        }
    }

    /// Task `id` was dropped before it finished.
    pub fn cancelled(&self, id: u32) {
        self.end(id, Outcome::Cancelled);
    }

    fn end(&self, id: u32, outcome: Outcome) {
        let slot = &self.slots[id as usize];
        let now = self.now_us();
        slot.end.store(now, Relaxed);
        slot.outcome.store(encode(outcome), Relaxed);
        if self.events.is_some() {
            let start = slot.start.load(Relaxed);
            self.send(Event::Finished {
                id,
                outcome,
                ms: self.us_ms(now) - self.us_ms(start),
            });
        }
    }

    /// A cancelled task was cancelled by a deadline: relabel it `timed_out`. Tasks that never
    /// started are relabelled too.
    pub fn mark_timed_out(&self, id: u32) {
        let o = &self.slots[id as usize].outcome;
        let _ = o.compare_exchange(
            encode(Outcome::Cancelled),
            encode(Outcome::TimedOut),
            Relaxed,
            Relaxed,
        );
        let _ = o.compare_exchange(NONE, encode(Outcome::TimedOut), Relaxed, Relaxed);
    }

    /// [`Recorder::mark_timed_out`] for every task that did not finish.
    pub fn mark_all_timed_out(&self) {
        for id in 0..self.slots.len() {
            self.mark_timed_out(id as u32);
        }
    }

    pub fn phase_begin(&self, id: u32, name: PhaseName) -> usize {
        let start = self.now();
        let mut x = self.extras();
        x.phases.push(Phase {
            id,
            name,
            start,
            end: 0,
        });
        x.phases.len() - 1
    }

    pub fn phase_end(&self, phase: usize) {
        let end = self.now();
        if let Some(p) = self.extras().phases.get_mut(phase) {
            p.end = end;
        }
    }

    pub fn item(&self, id: u32) {
        self.slots[id as usize].items.fetch_add(1, Relaxed);
        if self.keep_items {
            let t = self.now();
            self.extras().items.push((id, t));
        }
    }

    /// Task `id`'s error was raised in `phase` (of a `resource`).
    pub fn failed_in(&self, id: u32, phase: ResourcePhase) {
        self.extras().failed_in.push((id, phase));
    }

    pub fn blocked(&self, id: u32, held: Duration) {
        self.extras().blocked.push((id, held));
    }

    /// Task `id` was served by the demo server's connection `connection`.
    pub fn connection(&self, id: u32, connection: u64) {
        self.extras().connections.push((id, connection));
    }

    fn error(&self, id: u32, message: &str) {
        self.extras().errors.push((id, message.to_string()));
    }

    /// Runs cleanup (e.g. an async teardown started from a `Drop`) on its own task; the runner
    /// waits for it with [`Recorder::wait_cleanup`].
    pub fn spawn_cleanup(&self, f: impl Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(f);
        self.cleanup
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(handle);
    }

    /// Waits for spawned cleanup (at most `limit`); returns when the last one finished.
    pub async fn wait_cleanup(&self, limit: Duration) -> Option<f64> {
        let mut last = None;
        let deadline = Instant::now() + limit;
        loop {
            let handles: Vec<_> =
                std::mem::take(&mut *self.cleanup.lock().unwrap_or_else(|e| e.into_inner()));
            if handles.is_empty() {
                return last;
            }
            for h in handles {
                if tokio::time::timeout_at(deadline, h).await.is_err() {
                    return last;
                }
            }
            last = Some(self.elapsed_ms());
        }
    }

    /// Count live task futures, so [`Recorder::wait_idle`] can wait for detached tasks.
    pub fn track_live(mut self) -> Self {
        self.track_live = true;
        self
    }

    /// A task future was created ([`Recorder::dropped`] when it goes away).
    pub fn created(&self) {
        if self.track_live {
            self.live.fetch_add(1, Relaxed);
        }
    }

    pub fn dropped(&self) {
        if self.track_live {
            self.live.fetch_sub(1, Relaxed);
        }
    }

    /// Waits (at most `limit`) until no task future is left, e.g. detached tasks that outlive
    /// the strategy.
    pub async fn wait_idle(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.live.load(Relaxed) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// Most tasks running at the same moment, computed from the spans after the run (a sweep
    /// over starts and ends) rather than with a shared counter on every task's hot path. A task
    /// that ends at the instant another starts does not overlap it. Only the first `roots` slots
    /// count: a resource nested in another runs inside it, not beside it.
    pub fn peak(&self, roots: usize) -> u32 {
        let now = self.now_us();
        let mut edges: Vec<(u32, i32)> = Vec::with_capacity(roots * 2);
        for s in self.slots.iter().take(roots) {
            let start = s.start.load(Relaxed);
            if start == 0 {
                continue;
            }
            let end = match s.end.load(Relaxed) {
                0 => now,
                e => e,
            };
            edges.push((start, 1));
            edges.push((end, -1));
        }
        // Ends (-1) sort before starts (+1) at the same instant.
        edges.sort_unstable();
        let (mut running, mut peak) = (0i32, 0i32);
        for (_, d) in edges {
            running += d;
            peak = peak.max(running);
        }
        peak as u32
    }

    /// The spans as report rows. Tasks that never finished are `cancelled`.
    pub fn tasks(&self, plan: &Plan) -> Vec<TaskReport> {
        let x = self.extras();
        let mut rows: Vec<TaskReport> = self
            .slots
            .iter()
            .enumerate()
            .map(|(id, s)| {
                let id = id as u32;
                let op = plan.op(id);
                let start = s.start.load(Relaxed);
                let end = s.end.load(Relaxed);
                TaskReport {
                    name: plan.name(id),
                    task: plan.task_name(id).to_string(),
                    op: op.name().to_string(),
                    start_ms: (start != 0).then(|| self.us_ms(start)),
                    end_ms: (end != 0).then(|| self.us_ms(end)),
                    outcome: decode(s.outcome.load(Relaxed)).unwrap_or(Outcome::Cancelled),
                    error: None,
                    phases: Vec::new(),
                    items: op.items().map(|_| s.items.load(Relaxed)),
                    item_ms: Vec::new(),
                    blocked_ms: None,
                    cut_in: None,
                    nominal_ms: op.nominal_ms() as f64,
                    connections: Vec::new(),
                    inside: plan.outer_of(id).map(|o| plan.name(o)),
                }
            })
            .collect();
        for (id, msg) in &x.errors {
            rows[*id as usize].error = Some(msg.clone());
        }
        for p in &x.phases {
            rows[p.id as usize].phases.push(PhaseReport {
                name: p.name,
                start_ms: self.ns_ms(p.start),
                end_ms: (p.end != 0).then(|| self.ns_ms(p.end)),
            });
        }
        for (id, t) in &x.items {
            rows[*id as usize].item_ms.push(self.ns_ms(*t));
        }
        for (id, phase) in &x.failed_in {
            rows[*id as usize].cut_in = Some(PhaseName::Resource(*phase));
        }
        // A cancelled task was cut in the first phase still unfinished when it ended.
        for row in rows.iter_mut().filter(|r| {
            matches!(r.outcome, Outcome::Cancelled | Outcome::TimedOut) && !r.phases.is_empty()
        }) {
            let end = row.end_ms.unwrap_or(f64::INFINITY);
            row.cut_in = row
                .phases
                .iter()
                .find(|p| p.start_ms < end && p.end_ms.is_none_or(|e| e > end))
                .map(|p| p.name);
        }
        for (id, held) in &x.blocked {
            rows[*id as usize].blocked_ms = Some(held.as_secs_f64() * 1000.0 * self.to_lesson);
        }
        for (id, c) in &x.connections {
            rows[*id as usize].connections.push(*c);
        }
        rows
    }
}
