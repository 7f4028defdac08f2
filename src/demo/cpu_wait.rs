//! How long this process's threads were ready to run but waited for a CPU that another process
//! had. On a busy machine that wait lands in a strategy's wall time (a timer fires, but the
//! runtime's thread gets a core 300 ms later), and it says nothing about the strategy: judging
//! "gather is 3x faster" against it would fail a true claim because of the machine.
//!
//! Linux counts it per thread: the second field of `/proc/self/task/<tid>/schedstat` is the time
//! the thread spent runnable on a run queue, in nanoseconds. A strategy's wait is the largest
//! increase over its run among the threads that run it: the thread that drives the runtime and
//! the runtime's own threads (workers, the blocking pool), named [`STRATEGY_THREAD`], and the
//! demo server's (a request waits for them too). Not the process's other threads: a live view
//! waiting to redraw delays no task. The strategy's threads
//! wait side by side, so the largest is what the critical path can have lost, and summing them
//! would count one busy moment several times. Where the file does not exist (other
//! systems, kernels without schedstats) the wait reads 0 and claims are judged as before.
//!
//! The alternative, comparing CPU time with wall time (`getrusage`), cannot tell waiting for a CPU
//! from waiting on a timer, which is most of what a demo does.

use std::collections::HashMap;

use crate::io::server;

/// The name the runner gives a strategy's runtime threads (`Builder::thread_name`).
pub const STRATEGY_THREAD: &str = "aw-strategy";

/// Run-queue time of a strategy's threads at one moment, by thread id.
pub struct Snapshot {
    /// The thread that took the snapshot: the one driving the runtime (`block_on`).
    driver: Option<u32>,
    waits: HashMap<u32, u64>,
}

impl Snapshot {
    /// Reads the counters of the calling thread and of the strategy's runtime threads now (a few
    /// microseconds per thread). Call it on the thread that drives the runtime.
    pub fn now() -> Snapshot {
        let driver = std::fs::read_link("/proc/thread-self")
            .ok()
            .and_then(|p| p.file_name()?.to_str()?.parse().ok());
        Snapshot {
            driver,
            waits: read(driver),
        }
    }

    /// The longest any of the strategy's threads waited for a CPU since `self`, in real
    /// milliseconds. A thread born since then counts from zero.
    pub fn waited_ms(&self) -> f64 {
        most_waited_ns(&self.waits, &read(self.driver)) as f64 / 1e6
    }
}

/// The run-queue time of thread `driver` and of every thread named [`STRATEGY_THREAD`] or
/// [`server::THREAD_NAME`].
fn read(driver: Option<u32>) -> HashMap<u32, u64> {
    let mut waits = HashMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return waits;
    };
    for entry in tasks.flatten() {
        let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let ours = Some(tid) == driver
            || std::fs::read_to_string(entry.path().join("comm")).is_ok_and(|name| {
                let name = name.trim_end();
                name == STRATEGY_THREAD || name == server::THREAD_NAME
            });
        if !ours {
            continue;
        }
        if let Some(ns) = std::fs::read_to_string(entry.path().join("schedstat"))
            .ok()
            .as_deref()
            .and_then(run_delay_ns)
        {
            waits.insert(tid, ns);
        }
    }
    waits
}

/// The largest increase of any thread's counter from `before` to `after` (a thread missing from
/// `before` was born since: it counts from zero; one missing from `after` ended: not counted).
fn most_waited_ns(before: &HashMap<u32, u64>, after: &HashMap<u32, u64>) -> u64 {
    after
        .iter()
        .map(|(tid, ns)| ns.saturating_sub(before.get(tid).copied().unwrap_or(0)))
        .max()
        .unwrap_or(0)
}

/// The run-queue time in a `schedstat` line: `<on cpu ns> <waiting ns> <timeslices>`.
fn run_delay_ns(line: &str) -> Option<u64> {
    line.split_ascii_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_second_field() {
        assert_eq!(run_delay_ns("213727980 414455969 167\n"), Some(414_455_969));
        assert_eq!(run_delay_ns("garbage"), None);
        assert_eq!(run_delay_ns(""), None);
    }

    #[test]
    fn the_busiest_thread_counts_not_the_sum() {
        let before = HashMap::from([(1, 1_000_000), (2, 5_000_000)]);
        // Thread 1 waited 3 ms more, thread 2 1 ms more, thread 3 was born and waited 2 ms.
        let after = HashMap::from([(1, 4_000_000), (2, 6_000_000), (3, 2_000_000)]);
        assert_eq!(most_waited_ns(&before, &after), 3_000_000);
        // A counter that went backwards (a reused thread id) is not a negative wait.
        let reused = HashMap::from([(2, 1_000)]);
        assert_eq!(most_waited_ns(&before, &reused), 0);
        // Without schedstats there is nothing to read: no wait.
        assert_eq!(most_waited_ns(&HashMap::new(), &HashMap::new()), 0);
    }

    #[test]
    fn counts_the_driving_thread_and_the_named_ones_only() {
        let snap = Snapshot::now();
        if snap.driver.is_none() {
            return; // not Linux: nothing is counted, and nothing fails
        }
        assert!(snap.waits.len() <= 1, "{:?}", snap.waits);
        let named = std::thread::Builder::new()
            .name(STRATEGY_THREAD.into())
            .spawn(move || read(None).len())
            .unwrap()
            .join()
            .unwrap();
        let other = std::thread::spawn(move || read(None).len()).join().unwrap();
        // Where schedstat exists, the named thread sees itself; an unnamed one sees no one.
        assert!(named <= 1 && other == 0, "{named} {other}");
        assert!(snap.waited_ms() >= 0.0);
    }
}
