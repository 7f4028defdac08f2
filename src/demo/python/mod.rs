//! The same demo under Python's asyncio, in the same run (`lesson run --python`).
//!
//! Learners think in asyncio; putting both timelines side by side, measured on the same machine a
//! moment apart, shows which differences are the runtime's and which are the idiom's. The
//! runner is a Python script shipped inside the binary (`runner.py`, standard library only) and
//! run with the learner's own `python3 -I -c <script>`: the plan goes in on stdin
//! ([`plan`]), spans come back as JSON lines on stdout ([`spans`]) and become the same report
//! data the Rust recorder makes, so the same renderers draw them.
//!
//! The alternative, embedding an interpreter (pyo3), would tie the binary to one libpython and
//! make every learner's build need Python headers; a child process needs only `python3` on the
//! PATH and cannot crash the Rust side. Whatever goes wrong in it (missing, too old, an
//! exception, a crash, garbage on stdout, a hang: it is killed after a limit) comes back as one
//! line in [`PythonReport::problem`], never a panic.

pub mod plan;
pub(crate) mod spans;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::demo::claim;
use crate::demo::claim::ClaimRuntime;
use crate::demo::report::PythonReport;
use crate::demo::runner::{Demo, FixedCosts};
use spans::Line;

/// The asyncio interpreter, shipped in the binary.
pub const RUNNER: &str = include_str!("runner.py");

/// `TaskGroup` and `asyncio.timeout` arrived in 3.11.
pub const MIN_VERSION: (u32, u32) = (3, 11);

/// How to get a Python that can run the demos, for the messages below.
const INSTALL: &str = "install Python 3.11 or newer (https://www.python.org/downloads/, or your \
                       package manager: `apt install python3`, `brew install python`) or point \
                       --python-bin at one";

/// A Python interpreter that said it is new enough.
#[derive(Debug, Clone)]
pub struct Interpreter {
    pub path: PathBuf,
    /// `3.11.7`
    pub version: String,
}

impl Interpreter {
    /// Asks `bin --version`. `Err` is one line: what is wrong and how to install a Python that
    /// works.
    pub fn find(bin: &Path) -> Result<Interpreter, String> {
        let shown = bin.display();
        let out = run_child(
            Command::new(bin).arg("--version"),
            None,
            Duration::from_secs(10),
        )
        .map_err(|e| match e {
            ChildError::Spawn(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format!("--python: `{shown}` was not found; {INSTALL}")
            }
            e => format!("--python: cannot run `{shown} --version` ({e}); {INSTALL}"),
        })?;
        let said = format!("{}{}", out.stdout, out.stderr);
        let version = said
            .split_whitespace()
            .skip_while(|w| *w != "Python")
            .nth(1)
            .map(str::to_string);
        let Some(version) = version.filter(|v| parse_version(v).is_some()) else {
            let first = said.lines().next().unwrap_or("").trim();
            return Err(format!(
                "--python: `{shown} --version` did not name a Python version (it said `{}`); {INSTALL}",
                first.chars().take(60).collect::<String>()
            ));
        };
        if parse_version(&version).is_some_and(|v| v < MIN_VERSION) {
            return Err(format!(
                "--python: `{shown}` is Python {version}, and the asyncio runner needs {}.{} or \
                 newer (asyncio.TaskGroup, asyncio.timeout); {INSTALL}",
                MIN_VERSION.0, MIN_VERSION.1
            ));
        }
        Ok(Interpreter {
            path: bin.to_path_buf(),
            version,
        })
    }
}

/// `3.11.7` as (3, 11).
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((major, minor.parse().ok()?))
}

/// Runs `demo` under asyncio at `speed` (the speed the Rust run played at) and judges the claims
/// that apply to the Python run. Never fails: what went wrong is in `problem`, with whatever
/// strategies ran before it.
pub fn run(demo: &Demo, speed: f64, python: &Interpreter) -> PythonReport {
    let speed = demo.playback(speed);
    // Its own loopback server and database, like every Rust run.
    let demo = demo.with_lab(speed);
    let plan = plan::plan(&demo, speed).to_string();
    let mut report = PythonReport {
        version: python.version.clone(),
        ..PythonReport::default()
    };
    let limit = time_limit(&demo, speed);
    let out = run_child(
        Command::new(&python.path).args(["-I", "-c", RUNNER]),
        Some(plan.into_bytes()),
        limit,
    );
    let where_ = format!("in demo `{}`", demo.name);
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            report.problem = Some(format!("the asyncio runner {e} {where_}"));
            report.expectations = judge(&demo, &report);
            return report;
        }
    };
    let mut costs = FixedCosts::NONE;
    for line in out.stdout.lines().filter(|l| !l.trim().is_empty()) {
        match spans::parse_line(line) {
            Ok(Line::Hello { hello }) => {
                report.version = hello.python;
                costs = hello.costs.into();
            }
            Ok(Line::Skipped { strategy, skipped }) => {
                report
                    .skipped
                    .push(spans::skipped(&demo, strategy, skipped));
            }
            Ok(Line::Ran(ran)) => match spans::strategy_report(&demo, *ran, speed, &costs) {
                Ok(s) => report.strategies.push(s),
                Err(e) => {
                    report.problem = Some(format!("the asyncio runner {e} {where_}"));
                    break;
                }
            },
            Ok(Line::Exception { exception }) => {
                let strategy = demo
                    .strategies
                    .get(exception.strategy)
                    .map_or("?", |s| s.name.as_str());
                let task = exception
                    .task
                    .map_or(String::new(), |t| format!(", task `{t}`"));
                let last = exception.traceback.trim().lines().last().unwrap_or("");
                report.problem.get_or_insert(format!(
                    "the asyncio runner raised {where_}, strategy `{strategy}`{task}: {last}"
                ));
            }
            Ok(Line::TooOld { too_old }) => {
                report.problem = Some(format!(
                    "`{}` is Python {too_old}; the asyncio runner needs {}.{} or newer; {INSTALL}",
                    python.path.display(),
                    MIN_VERSION.0,
                    MIN_VERSION.1
                ));
                break;
            }
            Err(e) => {
                report.problem = Some(format!("the asyncio runner {e} {where_}"));
                break;
            }
        }
    }
    if report.problem.is_none() && !out.success {
        let last = out.stderr.trim().lines().last().unwrap_or("no message");
        report.problem = Some(format!(
            "the asyncio runner exited with {} {where_}: {last}",
            out.status
        ));
    }
    // Speedups against the Python sequential run, as the Rust report has them.
    if let Some(seq) = report
        .strategies
        .iter()
        .find(|s| s.kind == crate::demo::strategy::StrategyKind::Sequential)
        .map(|s| s.wall_ms)
    {
        for s in &mut report.strategies {
            if s.wall_ms >= 1.0 {
                s.speedup = Some(seq / s.wall_ms);
            }
        }
    }
    report.expectations = judge(&demo, &report);
    report
}

fn judge(demo: &Demo, report: &PythonReport) -> Vec<crate::demo::report::ExpectationResult> {
    claim::check(
        &demo.claims_for(ClaimRuntime::Python),
        demo.plan(),
        &report.strategies,
    )
}

/// How long the runner may take before it is killed: three times every strategy's ideal time
/// in real time, plus a generous fixed margin and a per-task one (asyncio pays tens of
/// microseconds per task).
fn time_limit(demo: &Demo, speed: f64) -> Duration {
    let ideal_s: f64 = demo
        .strategies
        .iter()
        .map(|s| demo.ideal_ms(&s.strategy) / speed / 1000.0)
        .sum();
    let tasks = (demo.plan().len() * demo.strategies.len()) as f64;
    Duration::from_secs_f64(30.0 + 3.0 * ideal_s + tasks * 0.000_5)
}

/// What a finished child printed.
struct Output {
    stdout: String,
    stderr: String,
    success: bool,
    status: String,
}

#[derive(Debug)]
enum ChildError {
    Spawn(std::io::Error),
    Hung(Duration),
}

impl std::fmt::Display for ChildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChildError::Spawn(e) => write!(f, "could not start: {e}"),
            ChildError::Hung(d) => {
                write!(f, "did not finish within {} s and was stopped", d.as_secs())
            }
        }
    }
}

/// Runs `cmd` with `input` on its stdin, reading stdout and stderr on their own threads (a child
/// blocked on a full pipe would otherwise never end), killing it after `limit`.
fn run_child(
    cmd: &mut Command,
    input: Option<Vec<u8>>,
    limit: Duration,
) -> Result<Output, ChildError> {
    let mut child = cmd
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(ChildError::Spawn)?;
    // Killed, not left running, if a signal stops asyncwork before the runner ends (it stays in
    // asyncwork's process group, so the terminal's Ctrl-C reaches it as well).
    let _registered = crate::cleanup::process(child.id() as i32);
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        // A child that never reads its stdin must not block us: write on a thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    // Each pipe is read to its end on a thread and handed back through a channel, so a
    // grandchild that keeps a pipe open after the kill cannot hold us up either.
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
        });
        rx
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let grace = Duration::from_secs(2);
    let stdout = stdout.recv_timeout(grace).unwrap_or_default();
    let stderr = stderr.recv_timeout(grace).unwrap_or_default();
    let Some(status) = status else {
        return Err(ChildError::Hung(limit));
    };
    Ok(Output {
        stdout,
        stderr,
        success: status.success(),
        status: status.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_compare_by_major_and_minor() {
        assert_eq!(parse_version("3.11.7"), Some((3, 11)));
        assert_eq!(parse_version("3.13.0rc1"), Some((3, 13)));
        assert_eq!(parse_version("3.8"), Some((3, 8)));
        assert!(parse_version("3.8").unwrap() < super::MIN_VERSION);
        assert_eq!(parse_version("banana"), None);
    }
}
