//! A bounded worker pool: one job per item, at most `workers` jobs at a time, results in the order
//! of the items.
//!
//! Why bounded: each job runs a learner's test program, and the tests that detect a blocked
//! runtime watch the wall clock, which CPU contention disturbs. Why threads and not tasks: a job
//! mostly waits on a child process, and scoped threads let jobs borrow the build's results
//! without cloning them.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Run `job` on every item with at most `workers` threads; `results[i]` is `job(&items[i])`.
pub(crate) fn run_bounded<T, R, F>(items: &[T], workers: usize, job: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    // The next item to take: each worker claims one index at a time, so a slow job does not hold
    // up the others' queue.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = job(item);
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was taken by a worker"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn keeps_order_and_the_bound() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let items: Vec<u64> = (0..12).collect();
        let out = run_bounded(&items, 3, |&n| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            // Later items finish first: order must come from the index, not completion.
            std::thread::sleep(Duration::from_millis(20 - n));
            running.fetch_sub(1, Ordering::SeqCst);
            n * 10
        });
        assert_eq!(out, (0..12).map(|n| n * 10).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 3);
        assert!(peak.load(Ordering::SeqCst) >= 2, "ran in parallel");
    }

    #[test]
    fn no_items_no_work() {
        let out: Vec<u8> = run_bounded(&[] as &[u8], 4, |_| unreachable!());
        assert!(out.is_empty());
    }
}
