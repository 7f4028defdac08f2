//! How long this process's threads were ready to run but waited for a CPU that another process
//! had. On a busy machine that wait lands in a strategy's wall time (a timer fires, but the
//! runtime's thread gets a core 300 ms later), and it says nothing about the strategy: judging
//! "gather is 3x faster" against it would fail a true claim because of the machine.
//!
//! Linux counts it per thread: the second field of `/proc/self/task/<tid>/schedstat` is the time
//! the thread spent runnable on a run queue, in nanoseconds. A strategy's wait is the largest
//! increase over its run among the process's threads (the runtime's thread, the blocking pool):
//! the threads wait side by side, so the largest is what the critical path can have lost, and
//! summing them would count one busy moment several times. Where the file does not exist (other
//! systems, kernels without schedstats) the wait reads 0 and claims are judged as before.
//!
//! The alternative, comparing CPU time with wall time (`getrusage`), cannot tell waiting for a CPU
//! from waiting on a timer, which is most of what a demo does.

use std::collections::HashMap;

/// Run-queue time of every thread of this process at one moment, by thread id.
pub struct Snapshot(HashMap<u32, u64>);

impl Snapshot {
    /// Reads every thread's counter now (a few microseconds per thread).
    pub fn now() -> Snapshot {
        let mut waits = HashMap::new();
        if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
            for entry in tasks.flatten() {
                let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
                    continue;
                };
                if let Some(ns) = std::fs::read_to_string(entry.path().join("schedstat"))
                    .ok()
                    .as_deref()
                    .and_then(run_delay_ns)
                {
                    waits.insert(tid, ns);
                }
            }
        }
        Snapshot(waits)
    }

    /// The longest any thread waited for a CPU since `self`, in real milliseconds. A thread born
    /// since then counts from zero.
    pub fn waited_ms(&self) -> f64 {
        most_waited_ns(&self.0, &Snapshot::now().0) as f64 / 1e6
    }
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
}
