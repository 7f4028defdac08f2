//! The main simulated backend: users, orders, preferences, reports, tables,
//! mirrors and an audit log.
//!
//! A [`World`] is cheap to clone (an `Arc` inside), so you can move a clone
//! into a `tokio::spawn`ed task, which needs `'static` data. Borrowing
//! `&World` is enough for `join!`, which runs its branches on the current task.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::calls::{CallBook, CallStats};
use crate::home::Home;
use crate::ServiceError;

/// How long each call takes unless the world is configured otherwise.
pub const DEFAULT_LATENCY: Duration = Duration::from_millis(300);
/// Failures are quick: a service that is down answers "503" after this long.
pub const FAIL_AFTER: Duration = Duration::from_millis(100);
/// Writing one line to the audit log.
pub const AUDIT_LATENCY: Duration = Duration::from_millis(50);

/// A user as a call returns it. Two users are equal when id and name are; each also carries
/// (privately) the world that served it, which [`World::served`] checks: an answer made up
/// without the call (with [`expected_user`], say) has the right fields but no world.
#[derive(Clone)]
pub struct User {
    pub id: u32,
    pub name: String,
    served_by: u64,
}

impl PartialEq for User {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && self.name == other.name
    }
}

impl Eq for User {}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User").field("id", &self.id).field("name", &self.name).finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: u32,
    pub user_id: u32,
    pub total_cents: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    pub user_id: u32,
    pub theme: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: u32,
    pub title: String,
}

const NAMES: [&str; 6] = ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret"];

/// The user a given id maps to (handy in tests to know the expected answer).
pub fn expected_user(id: u32) -> User {
    User { id, name: NAMES[id as usize % NAMES.len()].to_string(), served_by: 0 }
}

#[derive(Debug)]
struct Inner {
    latency: Duration,
    audit_latency: Duration,
    mirror_latency: HashMap<String, Duration>,
    failing: HashSet<String>,
    calls: CallBook,
    audit: Mutex<Vec<String>>,
    home: Home,
    /// Stamped on every user this world serves (never 0).
    token: u64,
}

#[derive(Debug, Clone)]
pub struct World {
    inner: Arc<Inner>,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// A world where every call takes [`DEFAULT_LATENCY`] and nothing fails.
    pub fn new() -> Self {
        World {
            inner: Arc::new(Inner {
                latency: DEFAULT_LATENCY,
                audit_latency: AUDIT_LATENCY,
                mirror_latency: HashMap::new(),
                failing: HashSet::new(),
                calls: CallBook::default(),
                audit: Mutex::new(Vec::new()),
                home: Home::here(),
                token: crate::scratch::unpredictable(u64::MAX - 1) + 1,
            }),
        }
    }

    // Builder methods: configure before you clone the world. There are no getters for the
    // latencies: how long a call takes is the test's to decide and the code's to wait for,
    // not something to read and sleep off (a timeout decided in advance, a fire-and-forget
    // write padded with a sleep of the same length).
    fn configure(&mut self) -> &mut Inner {
        Arc::get_mut(&mut self.inner).expect("configure the World before cloning it")
    }

    /// Every call takes `latency` instead of 300 ms.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.configure().latency = latency;
        self
    }

    /// Audit writes take `latency` instead of [`AUDIT_LATENCY`].
    pub fn with_audit_latency(mut self, latency: Duration) -> Self {
        self.configure().audit_latency = latency;
        self
    }

    /// `fetch_report(id)` fails after [`FAIL_AFTER`].
    pub fn with_failing_report(mut self, id: u32) -> Self {
        self.configure().failing.insert(format!("report:{id}"));
        self
    }

    /// `create_table(name)` fails after [`FAIL_AFTER`].
    pub fn with_failing_table(mut self, name: &str) -> Self {
        self.configure().failing.insert(format!("table:{name}"));
        self
    }

    /// `fetch_user_from(mirror, ..)` takes `latency` on that mirror.
    pub fn with_mirror(mut self, mirror: &str, latency: Duration) -> Self {
        self.configure().mirror_latency.insert(mirror.to_string(), latency);
        self
    }

    // ----- the services -------------------------------------------------

    pub async fn fetch_user(&self, id: u32) -> User {
        let call = self.inner.calls.enter("fetch_user");
        self.inner.home.wait("fetch_user", self.inner.latency).await;
        call.succeed();
        self.serve(id)
    }

    pub async fn fetch_orders(&self, user_id: u32) -> Vec<Order> {
        let call = self.inner.calls.enter("fetch_orders");
        self.inner.home.wait("fetch_orders", self.inner.latency).await;
        call.succeed();
        (1..=3)
            .map(|n| Order { id: user_id * 100 + n, user_id, total_cents: 1_000 * n as u64 })
            .collect()
    }

    pub async fn fetch_preferences(&self, user_id: u32) -> Preferences {
        let call = self.inner.calls.enter("fetch_preferences");
        self.inner.home.wait("fetch_preferences", self.inner.latency).await;
        call.succeed();
        let theme = if user_id & 1 == 0 { "dark" } else { "light" };
        Preferences { user_id, theme: theme.to_string() }
    }

    /// Takes the world's latency, or fails after [`FAIL_AFTER`] for ids set
    /// up with [`World::with_failing_report`].
    pub async fn fetch_report(&self, id: u32) -> Result<Report, ServiceError> {
        let call = self.inner.calls.enter("fetch_report");
        if self.inner.failing.contains(&format!("report:{id}")) {
            self.inner.home.wait("fetch_report", FAIL_AFTER).await;
            call.fail();
            return Err(ServiceError::Unavailable(format!("report {id}")));
        }
        self.inner.home.wait("fetch_report", self.inner.latency).await;
        call.succeed();
        Ok(Report { id, title: format!("Report #{id}") })
    }

    /// Like `CREATE TABLE`: takes the world's latency, or fails quickly for
    /// names set up with [`World::with_failing_table`].
    pub async fn create_table(&self, name: &str) -> Result<(), ServiceError> {
        let call = self.inner.calls.enter("create_table");
        if self.inner.failing.contains(&format!("table:{name}")) {
            self.inner.home.wait("create_table", FAIL_AFTER).await;
            call.fail();
            return Err(ServiceError::Unavailable(format!("table {name}")));
        }
        self.inner.home.wait("create_table", self.inner.latency).await;
        call.succeed();
        Ok(())
    }

    /// The same user, served by a named mirror with its own latency
    /// (see [`World::with_mirror`]); unknown mirrors use the world's latency.
    pub async fn fetch_user_from(&self, mirror: &str, id: u32) -> User {
        let call = self.inner.calls.enter("fetch_user_from");
        let latency = self.inner.mirror_latency.get(mirror).copied().unwrap_or(self.inner.latency);
        self.inner.home.wait("fetch_user_from", latency).await;
        call.succeed();
        self.serve(id)
    }

    /// Append a line to the audit log; takes [`AUDIT_LATENCY`] (or what
    /// [`World::with_audit_latency`] set). The line is
    /// written only when the call completes (like a network write).
    pub async fn audit(&self, line: &str) {
        let call = self.inner.calls.enter("audit");
        self.inner.home.wait("audit", self.inner.audit_latency).await;
        self.inner.audit.lock().unwrap().push(line.to_string());
        call.succeed();
    }

    /// The user `id`, as this world serves it.
    fn serve(&self, id: u32) -> User {
        User { served_by: self.inner.token, ..expected_user(id) }
    }

    // ----- what happened ------------------------------------------------

    /// Whether every one of `users` came from a call to this world (not made up without it).
    pub fn served(&self, users: &[User]) -> bool {
        users.iter().all(|u| u.served_by == self.inner.token)
    }

    /// Started / finished / failed / cancelled counts for one operation,
    /// named like the method: `"fetch_user"`, `"create_table"`, ...
    pub fn stats(&self, op: &str) -> CallStats {
        self.inner.calls.stats(op)
    }

    /// Calls of any kind currently in flight.
    pub fn in_flight(&self) -> usize {
        self.inner.calls.in_flight()
    }

    /// The most calls (of any kind) that were ever in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.calls.peak_in_flight()
    }

    pub fn audit_log(&self) -> Vec<String> {
        self.inner.audit.lock().unwrap().clone()
    }
}
