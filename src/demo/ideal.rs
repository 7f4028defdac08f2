//! The ideal time of a strategy: what a runtime with zero overhead would take. The sum of the
//! durations when one runs after another; the critical path when they overlap. Blocking ops do not
//! overlap on one thread, so on a current-thread runtime their durations add up even under
//! `gather`. Estimates in lesson milliseconds (before `--speed`).
//!
//! This module holds the building blocks; each strategy states its own formula with them
//! ([`crate::demo::strategy::Strategy::ideal_ms`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::demo::model::{Runtime, cores};
use crate::demo::plan::Plan;

/// The demo's tasks as the ideal model sees them: one entry per copy.
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
        for (_, op, count) in plan.groups() {
            let d = op.ideal_ms();
            for _ in 0..count {
                s.durations.push(d);
                s.blocking.push(op.is_blocking());
                s.cpu.push(op.is_cpu());
                s.fail_at.push(op.fails_at().map(|ms| ms as f64));
                s.waits.push(f64::from(op.timer_waits()));
                s.server_blocking.push(op.server_blocking_ms());
            }
        }
        s
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
    /// available. `offload`: blocking ops run on the blocking pool, where only cpu work competes
    /// for cores.
    pub fn concurrent(&self, offload: bool) -> f64 {
        let longest = self
            .first_poll_starts(offload)
            .iter()
            .zip(&self.durations)
            .map(|(start, d)| start + d)
            .fold(0.0, f64::max);
        let (holds, threads) = if offload {
            (&self.cpu, cores())
        } else {
            (&self.blocking, self.threads)
        };
        // The demo server runs on one thread: requests to a blocking handler queue behind each
        // other, however many the client sends at once.
        let server: f64 = self.server_blocking.iter().sum();
        let serial: f64 = self
            .durations
            .iter()
            .zip(holds)
            .filter(|(_, h)| **h)
            .map(|(d, _)| d)
            .sum::<f64>()
            / threads;
        // CPU work an op offloads by itself (an offloaded `sqlite` query) still needs a core.
        let offloaded_cpu: f64 = (0..self.durations.len())
            .filter(|&i| self.cpu[i] && !self.blocking[i] && !offload)
            .map(|i| self.durations[i])
            .sum::<f64>()
            / cores();
        longest.max(serial).max(server).max(offloaded_cpu)
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
        let mut free: BinaryHeap<Reverse<u64>> = (0..slots.min(self.durations.len()).max(1))
            .map(|_| Reverse(0))
            .collect();
        let mut end = 0u64;
        for d in &self.durations {
            let Reverse(start) = free.pop().unwrap_or(Reverse(0));
            let finish = start + (d * 1000.0) as u64;
            end = end.max(finish);
            free.push(Reverse(finish));
        }
        end as f64 / 1000.0
    }
}
