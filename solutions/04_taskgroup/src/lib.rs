//! Exercise 04: task groups (solution).

use support::ServiceError;
use support::world::World;
use tokio::task::JoinSet;

/// Every table in its own task; the first failure cancels the rest.
pub async fn initialize_tables(world: &World, names: &[&str]) -> Result<usize, ServiceError> {
    let mut set = JoinSet::new();
    for name in names {
        // Spawned tasks must be `'static`: they own a clone of the world (an
        // `Arc` bump) and their own copy of the name, not borrows of ours.
        let world = world.clone();
        let name = name.to_string();
        set.spawn(async move { world.create_table(&name).await });
    }

    // `join_next` yields results in *completion* order, so the first failure
    // is seen as soon as it happens, not after the slower siblings.
    let mut created = 0;
    while let Some(joined) = set.join_next().await {
        // The outer `Result` is the task itself: `Err` if it panicked or was
        // aborted. Propagating the panic is what a TaskGroup does too.
        let outcome = joined.expect("a create_table task panicked");
        match outcome {
            Ok(()) => created += 1,
            Err(error) => {
                // Explicit for clarity; returning would drop `set`, and
                // dropping a JoinSet aborts every task still in it anyway.
                // This is also why a caller that gives up on us (timeout,
                // select!) cancels all the tables. Plain `tokio::spawn`
                // handles would instead detach and keep running.
                set.abort_all();
                return Err(error);
            }
        }
    }
    Ok(created)
}

/// Run every table to completion; collect the failures in input order.
pub async fn initialize_tables_collecting_errors(
    world: &World,
    names: &[&str],
) -> Vec<(String, ServiceError)> {
    let mut set = JoinSet::new();
    for (index, name) in names.iter().enumerate() {
        let world = world.clone();
        let name = name.to_string();
        // Carry the index along: results arrive in completion order.
        set.spawn(async move {
            let outcome = world.create_table(&name).await;
            (index, name, outcome)
        });
    }
    let mut failures = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (index, name, outcome) = joined.expect("a create_table task panicked");
        if let Err(error) = outcome {
            failures.push((index, name, error));
        }
    }
    failures.sort_by_key(|(index, _, _)| *index);
    failures.into_iter().map(|(_, name, error)| (name, error)).collect()

    // Alternative without tasks: `join_all` over the futures gives outcomes
    // in input order directly, on the current task. Tasks pay off when the
    // work should also use other threads or outlive a borrow.
}

/// Fire and forget.
pub fn audit_in_background(world: &World, line: &str) {
    // Dropping the JoinHandle detaches the task: it keeps running. Nobody
    // will see its result or its panic, so keep such tasks small and log
    // their errors inside. (asyncio: keep a reference to the task, or it may
    // be garbage-collected; tokio has no such trap.)
    let world = world.clone();
    let line = line.to_string();
    drop(tokio::spawn(async move { world.audit(&line).await }));
}
