//! The kinds of each family, from one list each, and `kinds!`, which makes a closed set of them.
//!
//! The list of strategies is a macro, `strategy_list!`, that hands it to another macro: here it
//! makes [`StrategyKind`], in `demo/strategy/mod.rs` the `Strategy` enum and its delegating
//! matches. The kind enums live in this leaf module so the report (pure data, at the bottom of
//! the engine) can name a kind without depending on the code that runs it.
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
