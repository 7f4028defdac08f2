//! The test's runtime, and calls made away from it.
//!
//! A grading test watches one runtime: the one `#[tokio::test]` built for it. Its paused clock
//! times the simulated services, and the watchdog (see [`crate::grade`]) notices when its thread
//! is blocked. Work run on a runtime of your own escapes both: build a second runtime in a
//! `std::thread` (or in `spawn_blocking`, then `Handle::block_on`) and its sleeps move only its
//! own clock while its blocking stalls no one the test can see. The test's clock can then be
//! padded to the expected time, and a sequential or blocking answer looks concurrent.
//!
//! So each simulated service remembers where it was made. On a current-thread runtime every task
//! (the test's body, everything `tokio::spawn`ed, every branch of a `join!`) runs on that one
//! thread, so a call arriving on another thread came from somewhere else. The service still
//! answers, but notes the call, and the test fails when its body ends with a message that says
//! what ran where. (On a multi-threaded runtime tasks move between threads, so nothing is noted
//! there.)
//!
//! The synchronous functions of [`crate::legacy`] and [`crate::db::SyncDriver`] are not checked:
//! running them on another thread (`spawn_blocking`) is the point of exercise 09.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

/// Calls that arrived away from the test's thread, by operation.
#[derive(Debug, Default)]
pub(crate) struct Strays(Mutex<BTreeMap<&'static str, usize>>);

impl Strays {
    fn add(&self, op: &'static str) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()).entry(op).or_default() += 1;
    }

    /// "`fetch_user` (3 calls), `audit` (1 call)", or `None` if every call was at home.
    pub(crate) fn describe(&self) -> Option<String> {
        let strays = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if strays.is_empty() {
            return None;
        }
        let parts: Vec<String> = strays
            .iter()
            .map(|(op, n)| format!("`{op}` ({n} call{})", if *n == 1 { "" } else { "s" }))
            .collect();
        Some(parts.join(", "))
    }
}

/// Where a service was made: the test's runtime thread, when it was made inside a graded test
/// on a current-thread runtime. Cheap to clone; a clone keeps the same home.
#[derive(Debug, Clone)]
pub(crate) struct Home(Option<Arc<(ThreadId, Arc<Strays>)>>);

/// A service made with `Default` is at home where it was made, like one made with `new`.
impl Default for Home {
    fn default() -> Self {
        Home::here()
    }
}

impl Home {
    /// The calling thread, if it runs a watched test on a current-thread runtime.
    pub(crate) fn here() -> Home {
        Home(crate::grade::strays_of_this_test().map(|strays| Arc::new((std::thread::current().id(), strays))))
    }

    /// Note a call named `op` if it runs on another thread than the one the service was made on.
    pub(crate) fn note(&self, op: &'static str) {
        if let Some(home) = &self.0
            && std::thread::current().id() != home.0
        {
            home.1.add(op);
        }
    }

    /// What every simulated service does to take its time: wait `latency` on the tokio clock,
    /// as a call named `op`, noted if it runs away from home.
    pub(crate) async fn wait(&self, op: &'static str, latency: Duration) {
        self.note(op);
        tokio::time::sleep(latency).await;
    }
}
