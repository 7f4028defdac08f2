//! The ideal time of a strategy: what a runtime with zero overhead would take. The sum of the
//! durations when one runs after another; the critical path when they overlap. Blocking ops do not
//! overlap on one thread, so on a current-thread runtime their durations add up even under
//! `gather`. Estimates in lesson milliseconds (before `--speed`).
//!
//! This module holds the building blocks; each strategy states its own formula with them
//! ([`crate::demo::strategy::Strategy::ideal_ms`]).
//!
//! "Zero overhead" still means the runtime as it is, since the estimate also bounds how long a
//! lesson may run: tokio's blocking pool has at most [`BLOCKING_POOL_THREADS`] threads (5,120
//! offloaded one-second calls take ten seconds, not one), and its timer fires on whole
//! milliseconds, so every awaited page of a `pages` stream costs up to [`TIMER_TICK_MS`] more
//! than its delay (at speed 1; faster, the claims' `allowance_ms` covers the ticks).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::demo::model::{Runtime, cores};
use crate::demo::plan::Plan;

/// Threads in tokio's blocking pool (`Builder::max_blocking_threads`, default 512): offloaded
/// calls beyond that many wait in a queue for a free thread.
pub const BLOCKING_POOL_THREADS: usize = 512;

/// tokio's timer resolution: a sleep ends on the first millisecond tick at or after its deadline.
pub const TIMER_TICK_MS: f64 = 1.0;

/// How long one copy of task `t` takes with the resources nested in it: they run inside its
/// body, one after another.
fn stack_ms(plan: &Plan, t: usize) -> f64 {
    plan.task_op(t).ideal_ms()
        + plan
            .nested_tasks(t)
            .map(|(c, _)| stack_ms(plan, c))
            .sum::<f64>()
}

/// The timer waits of one copy of task `t` and of the resources nested in it.
fn stack_waits(plan: &Plan, t: usize) -> f64 {
    f64::from(plan.task_op(t).timer_waits())
        + plan
            .nested_tasks(t)
            .map(|(c, _)| stack_waits(plan, c))
            .sum::<f64>()
}

/// When one copy of task `t` fails (ms after it starts), nested resources included: a nested
/// failure surfaces after the outer resource has closed, as an exception leaves `async with`.
fn stack_fails_at(plan: &Plan, t: usize) -> Option<f64> {
    let op = plan.task_op(t);
    let Some(resource) = op.as_resource() else {
        return op.fails_at().map(|ms| ms as f64);
    };
    let nested: Vec<(f64, Option<f64>)> = plan
        .nested_tasks(t)
        .map(|(c, _)| (stack_ms(plan, c), stack_fails_at(plan, c)))
        .collect();
    resource.fails_with_nested(&nested)
}

/// `durations` run `slots` at a time, each taking the first free slot in order (what a
/// semaphore, `buffer_unordered` and the blocking pool's queue do).
fn schedule(durations: impl Iterator<Item = f64>, slots: usize) -> f64 {
    let mut free: BinaryHeap<Reverse<u64>> = (0..slots.max(1)).map(|_| Reverse(0)).collect();
    let mut end = 0u64;
    for d in durations {
        let Reverse(start) = free.pop().unwrap_or(Reverse(0));
        let finish = start + (d * 1000.0) as u64;
        end = end.max(finish);
        free.push(Reverse(finish));
    }
    end as f64 / 1000.0
}

/// The demo's tasks as the ideal model sees them: one entry per copy.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Durations of every task copy, in order.
    pub durations: Vec<f64>,
    blocking: Vec<bool>,
    cpu: Vec<bool>,
    /// When each failing copy fails (ms after it starts).
    fail_at: Vec<Option<f64>>,
    /// Timer waits each copy makes one after another.
    waits: Vec<f64>,
    /// Server time each copy spends blocking the demo server's one thread.
    server_blocking: Vec<f64>,
    /// Threads that run tasks.
    pub threads: f64,
}

impl Shape {
    pub fn new(plan: &Plan, runtime: &Runtime) -> Shape {
        let mut s = Shape {
            durations: vec![],
            blocking: vec![],
            cpu: vec![],
            fail_at: vec![],
            waits: vec![],
            server_blocking: vec![],
            threads: runtime.threads(),
        };
        // Only top-level tasks: a nested resource is part of its outer's duration.
        for (t, op, count) in plan.root_groups() {
            let d = stack_ms(plan, t);
            let fail_at = stack_fails_at(plan, t);
            let waits = stack_waits(plan, t);
            for _ in 0..count {
                s.durations.push(d);
                s.blocking.push(op.is_blocking());
                s.cpu.push(op.is_cpu());
                s.fail_at.push(fail_at);
                s.waits.push(waits);
                s.server_blocking.push(op.server_blocking_ms());
            }
        }
        s
    }

    /// The same tasks as the futures of one task see them: on any runtime, everything one task
    /// awaits (`join!`, `FuturesUnordered`, `select!`) is polled on that task's one thread, so
    /// a blocking branch holds up every other, as on a current-thread runtime. Only spawned
    /// tasks spread over a multi-thread runtime's workers.
    pub fn in_one_task(&self) -> Shape {
        Shape {
            threads: 1.0,
            ..self.clone()
        }
    }

    /// Number of task copies.
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    /// Timer waits on the critical path when every task runs one after another.
    pub fn waits_in_series(&self) -> f64 {
        self.waits.iter().sum()
    }

    /// Timer waits on the critical path when `rounds` batches run one after another (all at once
    /// is one round): each round waits as often as its busiest task.
    pub fn waits_in_rounds(&self, rounds: f64) -> f64 {
        rounds * self.waits.iter().copied().fold(0.0, f64::max)
    }

    /// Every task one after another.
    pub fn sum(&self) -> f64 {
        self.durations.iter().sum()
    }

    /// The shortest task (the winner of a race).
    pub fn shortest(&self) -> f64 {
        self.durations.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// When the first failure happens with everything started at once (infinite if none fails).
    pub fn first_failure(&self) -> f64 {
        self.fail_at
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// When each task starts if all are started at once, in order, on the runtime: on one thread,
    /// a blocking op runs to its end inside its first poll, so every task polled after it starts
    /// that much later (`gather` of a 300 ms `block` and a 300 ms `sleep` takes 600 ms, not
    /// 300). On several threads, or with blocking work offloaded, everything starts at once.
    pub fn first_poll_starts(&self, offload: bool) -> Vec<f64> {
        if offload || self.threads > 1.0 {
            return vec![0.0; self.len()];
        }
        self.durations
            .iter()
            .zip(&self.blocking)
            .scan(0.0, |held, (d, blocking)| {
                let start = *held;
                if *blocking {
                    *held += d;
                }
                Some(start)
            })
            .collect()
    }

    /// All at once: the longest task, unless blocking work adds up to more on the threads
    /// available. `offload`: blocking ops run on the blocking pool instead, at most
    /// [`BLOCKING_POOL_THREADS`] at a time, and cpu work among them still needs a core.
    pub fn concurrent(&self, offload: bool) -> f64 {
        let longest = self
            .first_poll_starts(offload)
            .iter()
            .zip(&self.durations)
            .map(|(start, d)| start + d)
            .fold(0.0, f64::max);
        // Offloaded, blocking calls queue for the blocking pool's threads, and cpu work among
        // them still needs a core.
        let (holds, threads) = if offload {
            (&self.cpu, cores())
        } else {
            (&self.blocking, self.threads)
        };
        let pooled = if offload {
            schedule(
                self.durations
                    .iter()
                    .zip(&self.blocking)
                    .filter(|(_, b)| **b)
                    .map(|(d, _)| *d),
                BLOCKING_POOL_THREADS,
            )
        } else {
            0.0
        };
        // The demo server runs on one thread: requests to a blocking handler queue behind each
        // other, however many the client sends at once.
        let server: f64 = self.server_blocking.iter().sum();
        let held = self
            .durations
            .iter()
            .zip(holds)
            .filter(|(_, h)| **h)
            .map(|(d, _)| *d);
        // A task that holds a thread holds it to its end: on several threads, blocking tasks
        // queue for the first free one (five 100 ms blocks on two workers take 300 ms, not
        // 250). Offloaded cpu work shares the cores instead.
        let serial = if offload {
            held.sum::<f64>() / threads
        } else {
            schedule(held, threads.round().max(1.0) as usize)
        };
        // CPU work an op offloads by itself (an offloaded `sqlite` query) still needs a core.
        let offloaded_cpu: f64 = (0..self.durations.len())
            .filter(|&i| self.cpu[i] && !self.blocking[i] && !offload)
            .map(|i| self.durations[i])
            .sum::<f64>()
            / cores();
        longest
            .max(serial)
            .max(server)
            .max(offloaded_cpu)
            .max(pooled)
    }

    /// How long the runtime's one thread is held by blocking ops in the first poll of an
    /// all-at-once start: no timer, not even a deadline's, can fire before that.
    pub fn held_in_first_poll(&self) -> f64 {
        if self.threads > 1.0 {
            return 0.0;
        }
        self.durations
            .iter()
            .zip(&self.blocking)
            .filter(|(_, b)| **b)
            .map(|(d, _)| d)
            .sum()
    }

    /// Every task capped at `deadline` (a per-task timeout), all at once. A blocking op cannot
    /// be cut: it holds its thread to the end.
    pub fn concurrent_capped(&self, deadline: f64) -> f64 {
        let capped = Shape {
            durations: self
                .durations
                .iter()
                .zip(&self.blocking)
                .map(|(d, b)| if *b { *d } else { d.min(deadline) })
                .collect(),
            blocking: self.blocking.clone(),
            cpu: self.cpu.clone(),
            fail_at: self.fail_at.clone(),
            waits: self.waits.clone(),
            server_blocking: self.server_blocking.clone(),
            threads: self.threads,
        };
        capped.concurrent(false)
    }

    /// When each task starts with `slots` at a time, each taking the first free slot in order.
    pub fn list_starts(&self, slots: usize) -> Vec<f64> {
        let mut free: BinaryHeap<Reverse<u64>> = (0..slots.min(self.durations.len()).max(1))
            .map(|_| Reverse(0))
            .collect();
        let mut starts = Vec::with_capacity(self.durations.len());
        for d in &self.durations {
            let Reverse(start) = free.pop().unwrap_or(Reverse(0));
            starts.push(start as f64 / 1000.0);
            free.push(Reverse(start + (d * 1000.0) as u64));
        }
        starts
    }

    /// `slots` at a time, each task taking the first free slot in order (what a semaphore does).
    pub fn list_schedule(&self, slots: usize) -> f64 {
        schedule(
            self.durations.iter().copied(),
            slots.min(self.durations.len()).max(1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::model::RuntimeFlavor;
    use crate::demo::op::{Op, OpKind};
    use crate::demo::plan::Task;

    /// An op of `kind` from its lesson-file keys, as a task table gives them.
    fn op(kind: OpKind, keys: toml::Table) -> Op {
        Op::from_table(kind, keys).unwrap()
    }

    fn block(ms: u64) -> Op {
        op(OpKind::Block, toml::toml! { ms = ms })
    }

    fn shape(op: Op, count: u32) -> Shape {
        let plan = Plan::new(&[Task {
            name: "t".into(),
            op,
            count,
            inside: None,
        }]);
        Shape::new(
            &plan,
            &Runtime {
                flavor: RuntimeFlavor::CurrentThread,
                workers: None,
            },
        )
    }

    /// Issue 13, item 13: 5,120 offloaded one-second blocking calls queue for 512 pool threads.
    #[test]
    fn the_blocking_pool_has_512_threads() {
        let s = shape(block(1_000), 5_120);
        assert_eq!(s.concurrent(true), 10_000.0);
        let s = shape(block(1_000), 512);
        assert_eq!(s.concurrent(true), 1_000.0);
        let s = shape(block(1_000), 513);
        assert_eq!(s.concurrent(true), 2_000.0);
        // On the runtime's one thread, they add up.
        let s = shape(block(10), 100);
        assert_eq!(s.concurrent(false), 1_000.0);
    }

    /// Issue 13, item 13: every page of a stream is a sleep rounded up to the timer's tick.
    #[test]
    fn pages_pay_the_timer_tick() {
        let s = shape(op(OpKind::Pages, toml::toml! { items = 1_000 ms = 1 }), 1);
        assert_eq!(s.sum(), 2_000.0);
        let s = shape(op(OpKind::Pages, toml::toml! { items = 200 ms = 5 }), 1);
        assert_eq!(s.sum(), 1_200.0);
    }
}
