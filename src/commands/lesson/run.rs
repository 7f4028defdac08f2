//! `asyncwork lesson run ID`: run a lesson's demos, strategy by strategy, and show what happened.
//!
//! The engine runs; this module only wires it to the renderers: a live view while a strategy
//! runs, its timeline after, a summary per demo, or one JSON document with `--json`.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

use anyhow::{Context as _, bail};

use super::{find, load};
use crate::commands::term_guard::{self, Takeover};
use crate::commands::{Exit, Global};
use crate::demo::interrupt::Interrupt;
use crate::demo::python;
use crate::demo::recorder::Event;
use crate::demo::report::{DemoReport, StrategyReport};
use crate::demo::runner::{Demo, Observer, RunOptions};
use crate::demo::spec::DemoSpec;
use crate::lesson::Lesson;
use crate::lesson::play::{DemoSink, Next, Play, Watcher};
use crate::render::{self, emit, json, live::Live, live::MAX_LINES, summary, timeline, trace};

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:\n  asyncwork lesson run gather\n  \
                        asyncwork lesson run gather --demo sequential_vs_gather --speed 5\n  \
                        asyncwork lesson run coroutines --json | jq '.demos[].expectations'\n  \
                        asyncwork lesson run gather --trace gather.json   # open in ui.perfetto.dev\n\
                        asyncwork lesson run gather --python   # the same demos under asyncio too\n\n\
                        Exit codes: 0 done, 1 a claim was refuted or a demo's timing claims all went unjudged (with --strict) or an error, \
                        130 interrupted (Ctrl-C).")]
pub struct Args {
    /// The lesson id (see `asyncwork lesson list`)
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::lesson_ids))]
    pub id: String,
    /// Run only this demo (default: every demo of the lesson, in order)
    #[arg(long, value_name = "NAME")]
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::commands::completions::demo_names))]
    pub demo: Option<String>,
    /// Playback speed: 5 runs five times faster, 0.5 half as fast (0.1 to 100). Times shown
    /// and claims stay in lesson time.
    #[arg(long, value_name = "X", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,
    /// Print one JSON document on stdout instead of the live view, timelines and tables
    /// (written demo by demo; a strategy of more than 1,000 tasks lists a summary per task)
    #[arg(long)]
    pub json: bool,
    /// With --json or --trace: list (and trace) every task of every strategy, however many
    #[arg(long)]
    pub full: bool,
    /// Also write every task span as Chrome trace-event JSON to FILE (Perfetto opens it)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Do not draw the live view while strategies run
    #[arg(long)]
    pub no_live: bool,
    /// Exit 1 when the run refuted one of the demos' claims, or judged none of a demo's timing
    /// claims at the speed it played
    #[arg(long)]
    pub strict: bool,
    /// In a terminal, do not wait for a key between demos (off a terminal it never waits)
    #[arg(long)]
    pub no_pause: bool,
    /// Also run each demo under Python's asyncio (python3 3.11+), shown beside tokio's run
    #[arg(long)]
    pub python: bool,
    /// The Python interpreter for --python (implies --python) [default: python3]
    #[arg(long, value_name = "PATH")]
    pub python_bin: Option<PathBuf>,
}

pub(crate) fn parse_speed(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number (try 5 or 0.5)"))?;
    if v.is_finite() && (0.1..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "speed must be between 0.1 (ten times slower) and 100 (a hundred times faster), got {s}"
        ))
    }
}

pub fn run(g: &Global, args: &Args) -> anyhow::Result<Exit> {
    if args.full && !args.json && args.trace.is_none() {
        anyhow::bail!("--full applies to --json and --trace: add one of them");
    }
    let id = args.id.as_str();
    let (_, catalogue) = load(g.lessons())?;
    let parsed = find(&catalogue, id)?;
    let specs = chosen(&parsed.lesson, args.demo.as_deref())?;
    if specs.is_empty() && !args.json {
        emit(&format!("{}\n", render::run::no_demos_yet(id)));
    }

    let width = render::width();
    let interactive = interactive();
    let interrupt = Interrupt::ctrl_c();
    interrupt.on_request(|| {
        // Through the live view when one draws, so its lines are cleared, not left frozen.
        if !render::live::above(&render::run::stopping()) {
            errln!("\n{}", render::run::stopping());
        }
    });
    let python = interpreter(args);
    let play = Play {
        options: RunOptions {
            speed: args.speed,
            interrupt: Some(interrupt),
        },
        python: python.as_ref(),
    };

    // The sinks: each demo's report is written (JSON, trace) as soon as the demo ends, then
    // dropped, so memory holds one demo at a time however many the lesson has.
    let mut json = if args.json {
        Some(json::JsonStream::begin(
            std::io::BufWriter::new(json::EmitWriter::default()),
            id,
            args.full,
        )?)
    } else {
        None
    };
    let mut trace = match &args.trace {
        Some(path) => Some(
            trace::TraceWriter::begin(std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?,
            ))?
            .full(args.full)
            .named(&path.display().to_string()),
        ),
        None => None,
    };
    // Learner path: a demo run to its end counts as watched (the menu's marks).
    let mut watched = g.watched(id);
    // Fan-outs of several sizes: what is paid once and what per task (`render::costs`).
    let mut costs = crate::render::costs::CostFit::default();
    let mut sinks: Vec<&mut dyn DemoSink> = vec![&mut watched, &mut costs];
    if let Some(j) = &mut json {
        sinks.push(j);
    }
    if let Some(t) = &mut trace {
        sinks.push(t);
    }

    let mut watcher = OnScreen {
        screen: (!args.json)
            .then(|| Screen::new(!args.no_live, interactive, width, python.is_some())),
        speed: args.speed,
        // Learner path: time to read the summary before the next demo scrolls it away.
        pause: interactive && !args.json && !args.no_pause,
        ctrl_c: None,
    };
    let played = play.run(parsed, &specs, &mut watcher, &mut sinks)?;
    drop(sinks);

    if let Some(j) = json {
        j.end(played.interrupted)?;
    } else if let Some(fit) = costs.render(width).filter(|_| !played.interrupted) {
        emit(&fit);
    }
    if let (Some(t), Some(path)) = (trace, &args.trace) {
        t.finish(id)
            .with_context(|| format!("cannot write {}", path.display()))?;
        if !args.json {
            emit(&render::run::trace_written(&path.display().to_string()));
        }
    }

    if played.interrupted {
        if !args.json {
            errln!("{}", render::run::partial_results());
        }
        return Ok(Exit::Interrupted);
    }
    let found = render::run::tally(&played.tally, args.strict);
    if !args.json && !found.is_empty() {
        errln!("{found}");
    }
    if args.strict && played.tally.fails_strict() {
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}

/// The demos `--demo` names (every demo of the lesson when it names none).
fn chosen<'l>(lesson: &'l Lesson, demo: Option<&str>) -> anyhow::Result<Vec<&'l DemoSpec>> {
    let Some(name) = demo else {
        return Ok(lesson.demos.iter().collect());
    };
    let found: Vec<_> = lesson.demos.iter().filter(|d| d.name == name).collect();
    if found.is_empty() {
        let names: Vec<&str> = lesson.demos.iter().map(|d| d.name.as_str()).collect();
        bail!(
            "lesson `{}` has no demo `{name}`; its demos: {}",
            lesson.id,
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        );
    }
    Ok(found)
}

/// `--python`: the interpreter, found once. Missing or too old: one line, and the Rust demos
/// run as without the flag (the exit code does not change).
fn interpreter(args: &Args) -> Option<python::Interpreter> {
    if !args.python && args.python_bin.is_none() {
        return None;
    }
    let bin = args
        .python_bin
        .clone()
        .unwrap_or_else(|| PathBuf::from("python3"));
    match python::Interpreter::find(&bin) {
        Ok(p) => Some(p),
        Err(line) => {
            errln!("{}", render::marks::warning(&line));
            None
        }
    }
}

/// The terminal's side of playing demos, for `lesson run` and `lesson step`: each demo's header,
/// live view, timelines and summary (none with `--json`), Ctrl-C taken over while a demo plays,
/// and the pause between demos.
pub(crate) struct OnScreen {
    /// `None` with `--json`: nothing drawn.
    screen: Option<Screen>,
    /// The speed asked for, for the header's "cannot play that fast".
    speed: f64,
    /// Wait for a key between demos.
    pause: bool,
    /// While a demo (and its asyncio run) plays, Ctrl-C stops it at its next step (the
    /// interrupt in the run options) rather than the process; not during the pause.
    ctrl_c: Option<Takeover>,
}

impl OnScreen {
    /// One demo at a time on a section's screen (`lesson step`): live, no pause, no asyncio.
    pub(crate) fn for_step(speed: f64) -> OnScreen {
        OnScreen {
            screen: Some(Screen::new(true, interactive(), render::width(), false)),
            speed,
            pause: false,
            ctrl_c: None,
        }
    }
}

impl Observer for OnScreen {
    fn strategy_started(&mut self, demo: &Demo, index: usize) -> Option<Sender<Event>> {
        self.screen.as_mut()?.strategy_started(demo, index)
    }

    fn strategy_finished(&mut self, demo: &Demo, index: usize, report: &StrategyReport) {
        if let Some(screen) = &mut self.screen {
            screen.strategy_finished(demo, index, report);
        }
    }
}

impl Watcher for OnScreen {
    fn demo_starting(&mut self, demo: &Demo) {
        self.ctrl_c = Some(Takeover::new(term_guard::CTRL_C));
        if let Some(screen) = &mut self.screen {
            screen.axis_ms = 0.0;
            emit(&demo_header(demo, screen.width, self.speed));
        }
    }

    fn python_starting(&mut self, version: &str) {
        if self.screen.is_some() {
            emit(&render::run::running_under_python(version));
        }
    }

    fn demo_ended(&mut self, d: &DemoReport) {
        self.ctrl_c = None;
        match &self.screen {
            Some(screen) => {
                if d.python.is_some() {
                    emit(&paired_timelines(d, screen.width));
                }
                emit(&format!("\n{}", summary::summary(d)));
            }
            // With --json the summary is not drawn: an asyncio run's problem is one line on
            // stderr.
            None => {
                if let Some(problem) = d.python.as_ref().and_then(|p| p.problem.as_ref()) {
                    errln!("{}", render::marks::warning(problem));
                }
            }
        }
    }

    fn next_demo(&mut self) -> Next {
        if self.pause {
            pause_between_demos()
        } else {
            Next::Go
        }
    }
}

/// Draws a demo as it runs: a live view while each strategy runs, then its timeline. Strategies
/// of one demo share a time axis (at least as long as the slowest so far), so the faster one's
/// bars are visibly shorter.
struct Screen {
    live: bool,
    interactive: bool,
    width: usize,
    axis_ms: f64,
    view: Option<Live>,
    /// While the interactive live view draws: no `^C` echoed into its lines.
    no_echo: Option<crate::commands::screen::NoEcho>,
    /// `--python`: the timelines wait for the asyncio run, to be drawn in pairs.
    paired: bool,
}

impl Screen {
    fn new(live: bool, interactive: bool, width: usize, paired: bool) -> Screen {
        Screen {
            live,
            interactive,
            width,
            axis_ms: 0.0,
            view: None,
            no_echo: None,
            paired,
        }
    }
}

/// Both stdout and stderr are a terminal: the live view redraws, and a pause can wait for a key.
fn interactive() -> bool {
    std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
}

impl Observer for Screen {
    fn strategy_started(&mut self, demo: &Demo, _index: usize) -> Option<Sender<Event>> {
        if !self.live {
            return None;
        }
        let n = demo.plan().len();
        // Above MAX_LINES tasks the view shows counts, not one line per task.
        let names = if n <= MAX_LINES {
            (0..n as u32).map(|id| demo.plan().name(id)).collect()
        } else {
            Vec::new()
        };
        if self.interactive {
            self.no_echo = crate::commands::screen::NoEcho::new();
        }
        let view = Live::start(names, self.interactive);
        let events = view.sender();
        self.view = Some(view);
        Some(events)
    }

    fn strategy_finished(&mut self, _demo: &Demo, _index: usize, s: &StrategyReport) {
        if let Some(view) = self.view.take() {
            view.finish();
        }
        self.no_echo = None;
        if self.paired {
            return;
        }
        emit(&format!(
            "\n{}",
            timeline::timeline(s, self.width, self.axis_ms)
        ));
        self.axis_ms = self.axis_ms.max(timeline::span_of(s));
    }
}

/// Each strategy's tokio and asyncio timelines, one above the other, every pair on the demo's
/// one time axis (the longest run of either runtime).
fn paired_timelines(d: &DemoReport, width: usize) -> String {
    let Some(py) = &d.python else {
        return String::new();
    };
    let axis = d
        .strategies
        .iter()
        .chain(&py.strategies)
        .map(timeline::span_of)
        .fold(0.0, f64::max);
    let mut out = String::new();
    for s in &d.strategies {
        let python = py
            .strategies
            .iter()
            .find(|p| p.name == s.name)
            .map(Ok)
            .or_else(|| {
                py.skipped
                    .iter()
                    .find(|k| k.strategy == s.name)
                    .map(|k| Err(k.why.as_str()))
            });
        out.push_str(&format!("\n{}", timeline::pair(s, python, width, axis)));
    }
    out
}

fn demo_header(demo: &Demo, width: usize, requested: f64) -> String {
    // Said before it runs: a demo that cannot honour --speed, and why.
    let costs = crate::demo::runner::FixedCosts::measured();
    let speed = demo.speed_limit(requested, &costs).map(|limit| {
        let played = demo.speed_for(requested, &costs);
        summary::speed_text(played, Some(requested), Some(limit))
    });
    render::run::demo_header(demo, width, speed.as_deref())
}

/// "Enter for the next demo": waits for a key (a terminal only; the caller checks).
fn pause_between_demos() -> Next {
    use crate::commands::screen::{self, Input};
    use console::Key;
    let term = console::Term::stderr();
    screen::write(&term, &render::run::pause_prompt());
    let answer = screen::key(&term);
    screen::write(&term, "\n");
    match answer {
        Input::Interrupt => Next::Interrupted,
        Input::Key(Key::Char('q') | Key::Escape) => Next::Stop,
        Input::Key(_) => Next::Go,
    }
}
