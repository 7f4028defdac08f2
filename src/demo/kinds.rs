//! The kinds of each family, from one list each, and `kinds!`, which makes a closed set of them.
//!
//! Each family's list is a macro (`op_list!`, `strategy_list!`, `claim_list!`) that hands it to
//! another macro: here it makes the kind enum ([`OpKind`], [`StrategyKind`], [`ExpectKind`]), in
//! the family's `mod.rs` the enum of parameters structs and its delegating matches. The kind enums live in this leaf module so the report (pure data, at the bottom of
//! the engine) can name a kind without depending on the code that runs it.
//!
//! [`parse_params`] turns the rest of a kind's table into its module's parameters struct, and
//! says what went wrong in the lesson's words.
//!
//! `kinds!` writes the enum (each variant's lesson-file name is its serde name, so an unknown one is a
//! serde error that lists them all), `as_str`, and `ALL`, which the architecture test walks to
//! check that every kind has its asyncio counterpart and its row in the authoring guide.

macro_rules! kinds {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every kind, in the order of the list.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name lesson files use.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }
    };
}

/// Every op: `Variant = "lesson-file name" => module in demo/op/`. Adding one is a line here and
/// its module (see `demo/op/mod.rs`).
macro_rules! op_list {
    ($then:ident) => {
        $then! {
            /// Await a timer: the stand-in for non-blocking I/O.
            Sleep = "sleep" => sleep,
            /// `std::thread::sleep` on the runtime thread: the classic pitfall.
            Block = "block" => block,
            /// Busy computation for about `ms`.
            Cpu = "cpu" => cpu,
            /// Fail after `ms`.
            Fail = "fail" => fail,
            /// Setup, body, teardown; teardown runs on success, error and cancellation.
            Resource = "resource" => resource,
            /// An async stream of `items` items, one every `ms`.
            Pages = "pages" => pages,
            /// GET a path of the loopback demo server with reqwest.
            Http = "http" => http,
            /// GET with retries, exponential backoff with jitter and a per-attempt timeout.
            HttpRetry = "http_retry" => http_retry,
            /// An async stream over the demo server's `/pages`.
            HttpPages = "http_pages" => http_pages,
            /// A real rusqlite query of about `ms`, inline or offloaded.
            Sqlite = "sqlite" => sqlite,
            /// `rows` inserts, committed one by one or in one transaction.
            SqliteBulk = "sqlite_bulk" => sqlite_bulk,
        }
    };
}

/// Makes the kind enum from the list.
macro_rules! op_kinds {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        kinds! {
            /// What a task does. Each is one module in `src/demo/op/`.
            pub enum OpKind {
                $($(#[$doc])* $variant = $text,)*
            }
        }
    };
}

op_list!(op_kinds);

/// Every strategy: `Variant = "lesson-file name" => module in demo/strategy/`. Adding one is a
/// line here and its module (see `demo/strategy/mod.rs`).
macro_rules! strategy_list {
    ($then:ident) => {
        $then! {
            /// Await one after another.
            Sequential = "sequential" => sequential,
            /// All run; every outcome kept (`gather(return_exceptions=True)`).
            Gather = "gather" => gather,
            /// `futures::future::join_all`: fine for a few futures, slow for a huge fan-out (shown on
            /// purpose in the scale demos).
            JoinAll = "join_all" => join_all,
            /// All run; the first error drops the rest (`gather()` that propagates).
            TryGather = "try_gather" => try_gather,
            /// `JoinSet`; the first failure aborts the siblings (`asyncio.TaskGroup`).
            Taskgroup = "taskgroup" => taskgroup,
            /// `tokio::spawn` each task, await the handles later (`asyncio.create_task`).
            Spawn = "spawn" => spawn,
            /// At most `limit` at once (`asyncio.Semaphore`).
            Bounded = "bounded" => bounded,
            /// First to finish wins, the rest are cancelled (`asyncio.wait(FIRST_COMPLETED)` + cancel).
            Race = "race" => race,
            /// A deadline over the group or per task (`asyncio.timeout`, `wait_for`).
            Timeout = "timeout" => timeout,
            /// Blocking and cpu ops moved to `spawn_blocking` (`asyncio.to_thread`).
            Offload = "offload" => offload,
            /// Consume results as they arrive; `limit` = `buffer_unordered(limit)` (`async for`).
            Stream = "stream" => stream,
        }
    };
}

/// Makes the kind enum from the list.
macro_rules! strategy_kinds {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        kinds! {
            /// How tasks are combined. Each is one module in `src/demo/strategy/`.
            pub enum StrategyKind {
                $($(#[$doc])* $variant = $text,)*
            }
        }
    };
}

strategy_list!(strategy_kinds);

/// Every claim kind: `Variant = "lesson-file name" => module in demo/claim/`. Adding one is a
/// line here and its module (see `demo/claim/mod.rs`).
macro_rules! claim_list {
    ($then:ident) => {
        $then! {
            /// `strategy` is at least `factor` times faster than `than`.
            Faster = "faster" => faster,
            /// Every copy of `task` ended as `outcome` under `strategy`.
            Outcome = "outcome" => outcome,
            /// Every copy of `task` that ran its setup also finished its teardown.
            Teardown = "teardown" => teardown,
            /// `strategy` surfaced an error to its caller (optionally containing `contains`).
            Error = "error" => error,
            /// `strategy` returned without an error (failures, if any, were kept as values).
            NoError = "no_error" => no_error,
            /// Peak concurrency under `strategy` within `at_least` ..= `at_most`.
            Concurrency = "concurrency" => concurrency,
            /// `task` started within `after_ms` ..= `before_ms` of the strategy's start.
            Started = "started" => started,
            /// The wall time within `at_least_ms` ..= `at_most_ms`.
            Wall = "wall" => wall,
            /// The real time on the machine's clock at most `at_most_ms`: a strategy on the
            /// paused clock reads its timers' time in next to no real time.
            RealTime = "real_time" => real_time,
            /// Connections to the demo server that served `task` (or every task) within
            /// `at_least` ..= `at_most`.
            Connections = "connections" => connections,
            /// The teardown of `task` (a `resource`) finished `before_return` or `after_return`:
            /// before the strategy's caller got control back, or after (torn down in the
            /// background after a cancellation, since Rust has no async `Drop`).
            Cleanup = "cleanup" => cleanup,
            /// Every copy of `task` that started ended `before_return` or `after_return` of the
            /// strategy: a dropped tokio future ends inside the `select!` that dropped it, while
            /// `asyncio.wait` returns with the losers still running until their cancellation
            /// lands.
            Ended = "ended" => ended,
        }
    };
}

/// Makes the kind enum from the list.
macro_rules! claim_kinds {
    ($($(#[$doc:meta])* $variant:ident = $text:literal => $module:ident,)*) => {
        kinds! {
            /// What an expectation checks. Each is one module in `src/demo/claim/`.
            pub enum ExpectKind {
                $($(#[$doc])* $variant = $text,)*
            }
        }
    };
}

claim_list!(claim_kinds);

/// One reason a kind's table does not make its parameters: `key` is the key at fault (`None`: a
/// missing key, which belongs to the table as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub key: Option<String>,
    pub message: String,
}

/// The parameters struct `T` of `what` (`strategy \`bounded\``) from the table's keys other than
/// the ones every kind of the family takes (`common`, said in the messages). `params` lists
/// `T`'s keys with their meanings: an unknown key names them, a missing one says what it means.
///
/// Every problem of the table is reported, not only the first serde meets: each stray key, each
/// missing key and each key of the wrong type, so an author fixes the table in one pass.
pub(crate) fn parse_params<T: serde::de::DeserializeOwned>(
    what: &str,
    params: &[(&str, &str)],
    common: &str,
    table: toml::Table,
) -> Result<T, Vec<ParamError>> {
    parse_checked(what, params, common, table, |_: &T| Vec::new())
}

/// [`parse_params`], and when the table has problems, `check` (the kind's checks of values) on
/// the table with them taken out of the way, so a bad value beside a stray or missing key is
/// reported in the same pass. Only what `check` says about keys the author wrote and serde
/// took is kept: nothing about a key given a stand-in value, nor about the table as a whole.
pub(crate) fn parse_checked<T: serde::de::DeserializeOwned>(
    what: &str,
    params: &[(&str, &str)],
    common: &str,
    table: toml::Table,
    check: impl Fn(&T) -> Vec<ParamError>,
) -> Result<T, Vec<ParamError>> {
    let parse = |t: &toml::Table| T::deserialize(toml::Value::Table(t.clone()));
    let message = |e: toml::de::Error| crate::text::plain_words(e.message().trim());
    let mut t = table;
    let first = match parse(&t) {
        Ok(v) => return Ok(v),
        Err(e) => message(e),
    };
    let takes = if params.is_empty() {
        format!("{what} takes no parameters besides {common}")
    } else {
        let list: Vec<String> = params
            .iter()
            .map(|(k, meaning)| format!("`{k}` ({meaning})"))
            .collect();
        format!("{what} takes {}, besides {common}", list.join(", "))
    };
    // Every stray key, each at its own line; the rest of the table is then parsed without them.
    let stray: Vec<String> = t
        .keys()
        .filter(|k| !params.iter().any(|(p, _)| p == &k.as_str()))
        .cloned()
        .collect();
    let mut errors: Vec<ParamError> = stray
        .iter()
        .map(|k| ParamError {
            key: Some(k.clone()),
            message: format!("`{k}` does not apply to {what}: {takes}"),
        })
        .collect();
    for k in &stray {
        t.remove(k);
    }
    let mut error = if stray.is_empty() {
        Some(first)
    } else {
        parse(&t).err().map(message)
    };
    // Keys already reported as mistyped: when taking one out makes it missing, it is not
    // reported again.
    let mut mistyped: Vec<String> = Vec::new();
    // Keys given a stand-in value to get past serde's first missing field.
    let mut filled: Vec<String> = Vec::new();
    // Each round reports one problem and takes it out of the way; a table has at most one
    // problem per listed key.
    for _ in 0..=params.len() {
        let Some(e) = error.take() else { break };
        if let Some((key, meaning)) = params
            .iter()
            .find(|(p, _)| e.starts_with(&format!("missing field `{p}`")))
        {
            if !mistyped.iter().any(|m| m == key) {
                errors.push(ParamError {
                    key: None,
                    message: format!("{what} needs `{key}` ({meaning})"),
                });
            }
            // Serde stops at the first missing field: give this one a value of its type to
            // see the next. Every present key parsed before serde looked for missing ones, so
            // the next answer is another missing field or none.
            let filled_in = [
                toml::Value::Integer(1),
                toml::Value::Boolean(true),
                toml::Value::String("x".into()),
                toml::Value::Float(1.0),
            ]
            .into_iter()
            .find_map(|v| {
                let mut with = t.clone();
                with.insert((*key).to_string(), v);
                match parse(&with) {
                    Ok(_) => Some((with, None)),
                    Err(e) => {
                        let e = message(e);
                        e.starts_with("missing field").then_some((with, Some(e)))
                    }
                }
            });
            let Some((with, next)) = filled_in else { break };
            filled.push((*key).to_string());
            t = with;
            error = next;
            continue;
        }
        // A wrong type or value: serde's message says what it expected but not for which key,
        // so find the key whose removal changes the answer.
        let wrong = t.keys().find(|k| {
            let mut without = t.clone();
            without.remove(k.as_str());
            parse(&without).err().map(message) != Some(e.clone())
        });
        match wrong.cloned() {
            Some(key) => {
                errors.push(ParamError {
                    key: Some(key.clone()),
                    message: format!("`{key}` of {what}: {e}"),
                });
                t.remove(&key);
                mistyped.push(key);
                error = parse(&t).err().map(message);
            }
            None => errors.push(ParamError {
                key: None,
                message: format!("{what}: {e}"),
            }),
        }
    }
    if let Ok(v) = parse(&t) {
        let stand_in = |k: &str| filled.iter().chain(&mistyped).any(|f| f == k);
        errors.extend(
            check(&v)
                .into_iter()
                .filter(|e| e.key.as_deref().is_some_and(|k| !stand_in(k))),
        );
    }
    Err(errors)
}

/// A kind's keys as its `PARAMS` lists them and as serde sees them (read from its unknown-field
/// message), both sorted: each family's test checks that they agree.
#[cfg(test)]
pub(crate) fn listed_and_serde_keys<T: serde::de::DeserializeOwned>(
    params: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let mut listed: Vec<String> = params.iter().map(|(k, _)| k.to_string()).collect();
    listed.sort();
    (listed, serde_fields::<T>())
}

#[cfg(test)]
fn serde_fields<T: serde::de::DeserializeOwned>() -> Vec<String> {
    let mut t = toml::Table::new();
    t.insert("not_a_key".into(), toml::Value::Integer(1));
    let Err(e) = T::deserialize(toml::Value::Table(t)) else {
        panic!("an unknown key is refused");
    };
    let m = e.message().to_string();
    let list = m.split_once("expected").map_or("", |(_, l)| l);
    let mut keys: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    keys.sort();
    keys
}
