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
            threads: runtime.threads(),
        };
        for (_, op, count) in plan.groups() {
            let d = op.ideal_ms();
            for _ in 0..count {
                s.durations.push(d);
                s.blocking.push(op.is_blocking());
                s.cpu.push(op.is_cpu());
                s.fail_at.push(op.fails_at().map(|ms| ms as f64));
            }
        }
        s
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

    /// All at once: the longest task, unless blocking work adds up to more on the threads
    /// available. `offload`: blocking ops run on the blocking pool, where only cpu work competes
    /// for cores.
    pub fn concurrent(&self, offload: bool) -> f64 {
        let longest = self.durations.iter().copied().fold(0.0, f64::max);
        let (holds, threads) = if offload {
            (&self.cpu, cores())
        } else {
            (&self.blocking, self.threads)
        };
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
        longest.max(serial).max(offloaded_cpu)
    }

    /// Every task capped at `deadline` (a per-task timeout), all at once.
    pub fn concurrent_capped(&self, deadline: f64) -> f64 {
        let capped = Shape {
            durations: self.durations.iter().map(|d| d.min(deadline)).collect(),
            blocking: self.blocking.clone(),
            cpu: self.cpu.clone(),
            fail_at: self.fail_at.clone(),
            threads: self.threads,
        };
        capped.concurrent(false)
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
