//! The ideal time of a strategy: what a runtime with zero overhead would take. The sum of the
//! durations when one runs after another; the critical path when they overlap. Blocking ops do not
//! overlap on one thread, so on a current-thread runtime their durations add up even under
//! `gather`. Estimates in lesson milliseconds (before `--speed`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::demo::op::Op;
use crate::demo::plan::Plan;
use crate::demo::spec::{RuntimeFlavor, StrategyKind, StrategySpec, TimeoutScope};

struct Shape {
    /// Durations of every task copy, in order.
    durations: Vec<f64>,
    blocking: Vec<bool>,
    cpu: Vec<bool>,
    /// When each failing copy fails (ms after it starts).
    fail_at: Vec<Option<f64>>,
}

fn shape(plan: &Plan) -> Shape {
    let mut s = Shape {
        durations: vec![],
        blocking: vec![],
        cpu: vec![],
        fail_at: vec![],
    };
    for (_, op, count) in plan.groups() {
        let d = op.nominal_ms() as f64;
        let fail = match op {
            Op::Fail { ms, .. } => Some(*ms as f64),
            // A failing resource closes (tears down) before its error surfaces.
            Op::Resource { fails: Some(_), .. } => Some(d),
            _ => None,
        };
        for _ in 0..count {
            s.durations.push(d);
            s.blocking.push(op.is_blocking());
            s.cpu.push(matches!(op, Op::Cpu { .. }));
            s.fail_at.push(fail);
        }
    }
    s
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
}

/// All at once: the longest task, unless blocking work adds up to more on the threads available.
fn concurrent(s: &Shape, threads: f64, offload: bool) -> f64 {
    let longest = s.durations.iter().copied().fold(0.0, f64::max);
    let serial: f64 = if offload {
        // Only cpu work competes for cores; blocked threads just wait.
        s.durations
            .iter()
            .zip(&s.cpu)
            .filter(|(_, c)| **c)
            .map(|(d, _)| d)
            .sum::<f64>()
            / cores()
    } else {
        s.durations
            .iter()
            .zip(&s.blocking)
            .filter(|(_, b)| **b)
            .map(|(d, _)| d)
            .sum::<f64>()
            / threads
    };
    longest.max(serial)
}

/// `slots` at a time, each task taking the first free slot in order (what a semaphore does).
fn list_schedule(durations: &[f64], slots: usize) -> f64 {
    let mut free: BinaryHeap<Reverse<u64>> = (0..slots.min(durations.len()).max(1))
        .map(|_| Reverse(0))
        .collect();
    let mut end = 0u64;
    for d in durations {
        let Reverse(start) = free.pop().unwrap_or(Reverse(0));
        let finish = start + (d * 1000.0) as u64;
        end = end.max(finish);
        free.push(Reverse(finish));
    }
    end as f64 / 1000.0
}

/// The ideal wall time of `strategy` in lesson milliseconds.
pub fn ideal_ms(
    plan: &Plan,
    strategy: &StrategySpec,
    flavor: RuntimeFlavor,
    workers: Option<u32>,
) -> f64 {
    let s = shape(plan);
    let threads = match flavor {
        RuntimeFlavor::CurrentThread => 1.0,
        RuntimeFlavor::MultiThread => workers.map_or_else(cores, f64::from),
    };
    let delay = strategy.delay_ms.unwrap_or(0) as f64;
    let all = concurrent(&s, threads, false);
    let first_failure = s
        .fail_at
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    match strategy.kind {
        StrategyKind::Sequential => delay + s.durations.iter().sum::<f64>(),
        StrategyKind::Gather => delay + all,
        StrategyKind::JoinAll => all,
        StrategyKind::Spawn if strategy.detach == Some(true) => 0.0,
        StrategyKind::Spawn => delay.max(all),
        StrategyKind::Offload => concurrent(&s, threads, true),
        StrategyKind::TryGather | StrategyKind::Taskgroup => all.min(first_failure),
        StrategyKind::Race => s
            .durations
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
            .min(all),
        StrategyKind::Bounded => list_schedule(&s.durations, strategy.limit.unwrap_or(1) as usize),
        StrategyKind::Stream => match strategy.limit {
            Some(n) => list_schedule(&s.durations, n as usize),
            None => s.durations.iter().sum(),
        },
        StrategyKind::Timeout => {
            let deadline = strategy.ms.unwrap_or(0) as f64;
            match strategy.scope.unwrap_or_default() {
                TimeoutScope::Group => all.min(deadline),
                TimeoutScope::Task => {
                    let capped = Shape {
                        durations: s.durations.iter().map(|d| d.min(deadline)).collect(),
                        ..s
                    };
                    concurrent(&capped, threads, false)
                }
            }
        }
    }
    .max(0.0)
}
