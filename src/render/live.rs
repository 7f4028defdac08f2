//! The live view: while a strategy runs, one line per task (a spinner while pending, then ok /
//! failed / cancelled and its duration) and an elapsed clock; above [`MAX_LINES`] tasks one
//! aggregate bar with counts. It runs on its own thread and listens to the engine's events, so it
//! keeps drawing even when a blocking op stalls the runtime's only thread.
//!
//! Not a terminal: no spinners or cursor movement, plain lines with the same information.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use console::Style;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::fmt_ms;
use super::timeline::outcome_style;
use crate::demo::recorder::Event;
use crate::demo::report::Outcome;

/// More tasks than this get one aggregate bar.
pub const MAX_LINES: usize = 20;

pub struct Live {
    tx: Sender<Event>,
    thread: JoinHandle<()>,
}

/// The live view drawing now, if any: a line written to stderr while indicatif draws lands in
/// the middle of its lines, and its next redraw (or the clear at the end) erases the wrong rows,
/// leaving frozen spinners on the screen. [`above`] prints through it instead.
static DRAWING: std::sync::Mutex<Option<MultiProgress>> = std::sync::Mutex::new(None);

fn drawing() -> std::sync::MutexGuard<'static, Option<MultiProgress>> {
    DRAWING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Print `line` above the live view when one is drawing (Ctrl-C's "stopping" line): true when
/// it was; false when no view is drawing, and the caller writes the line itself.
pub fn above(line: &str) -> bool {
    match drawing().as_ref() {
        Some(multi) => multi.println(super::terminal_safe(line)).is_ok(),
        None => false,
    }
}

impl Live {
    /// Starts the view for a strategy whose tasks are `names` (in id order). `interactive`: draw
    /// spinners on the terminal (stderr); otherwise print plain lines on stdout.
    pub fn start(names: Vec<String>, interactive: bool) -> Live {
        let (tx, rx) = channel();
        let multi = interactive.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            *drawing() = Some(multi.clone());
            multi
        });
        let thread = std::thread::spawn(move || {
            if let Some(multi) = multi {
                draw(rx, names, multi);
            } else {
                plain(rx, names);
            }
        });
        Live { tx, thread }
    }

    /// The sender to give the engine.
    pub fn sender(&self) -> Sender<Event> {
        self.tx.clone()
    }

    /// Waits until the view has drawn the end of the strategy (or the engine hung up).
    pub fn finish(self) {
        drop(self.tx);
        let _ = self.thread.join();
        // Cleared: lines from now on go straight to the terminal.
        *drawing() = None;
    }
}

/// The live clock: tenths of a second under a minute (`00:00:00` told nothing for the
/// sub-second runs most demos are), then minutes and seconds.
fn clock_text(elapsed: Duration) -> String {
    let tenths = elapsed.as_millis() / 100;
    if tenths < 600 {
        format!("{}.{} s", tenths / 10, tenths % 10)
    } else {
        let secs = elapsed.as_secs();
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

#[derive(Default)]
struct Counts {
    done: u64,
    by: [u64; 4],
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        self.done += 1;
        self.by[o as usize] += 1;
    }

    fn text(&self, stderr: bool) -> String {
        let mut parts = Vec::new();
        for o in [
            Outcome::Ok,
            Outcome::Failed,
            Outcome::Cancelled,
            Outcome::TimedOut,
        ] {
            let n = self.by[o as usize];
            if n > 0 {
                let style = outcome_style(o);
                let style = if stderr { style.for_stderr() } else { style };
                parts.push(style.apply_to(format!("{n} {}", o.as_str())).to_string());
            }
        }
        parts.join(" · ")
    }
}

/// `stderr`: the text goes to stderr (the interactive view), whose colour setting may differ.
fn done_text(outcome: Outcome, ms: f64, stderr: bool) -> String {
    let text = match outcome {
        Outcome::Ok | Outcome::Failed => format!("{} {}", outcome.as_str(), fmt_ms(ms)),
        Outcome::Cancelled => format!("cancelled after {}", fmt_ms(ms)),
        Outcome::TimedOut => format!("timed out after {}", fmt_ms(ms)),
    };
    let style = outcome_style(outcome);
    let style = if stderr { style.for_stderr() } else { style };
    style.apply_to(text).to_string()
}

fn draw(rx: Receiver<Event>, names: Vec<String>, multi: MultiProgress) {
    // indicatif writes straight to the terminal, past `emit`'s filter: escape the lesson's words.
    let names: Vec<String> = names
        .iter()
        .map(|n| super::printable(n).into_owned())
        .collect();
    let clock = multi.add(ProgressBar::new_spinner());
    clock.set_style(
        ProgressStyle::with_template("  {spinner} {msg} {clock}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key(
                "clock",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&clock_text(state.elapsed()));
                },
            ),
    );
    clock.enable_steady_tick(Duration::from_millis(80));
    let width = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4)
        .min(24);
    let task_style = ProgressStyle::with_template("    {spinner} {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let done_style = ProgressStyle::with_template("      {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let mut bars: Vec<ProgressBar> = Vec::new();
    let mut total_bar: Option<ProgressBar> = None;
    let mut counts = Counts::default();
    for event in rx {
        match event {
            Event::Begin { strategy, tasks } => {
                clock.set_message(format!(
                    "{} running",
                    Style::new().bold().apply_to(super::printable(&strategy))
                ));
                if tasks <= MAX_LINES && names.len() == tasks {
                    for n in &names {
                        let b = multi.add(ProgressBar::new_spinner());
                        b.set_style(task_style.clone());
                        b.set_prefix(super::fit(n, width));
                        b.set_message(
                            Style::new()
                                .for_stderr()
                                .dim()
                                .apply_to("pending")
                                .to_string(),
                        );
                        bars.push(b);
                    }
                } else {
                    let b = multi.add(ProgressBar::new(tasks as u64));
                    b.set_style(
                        ProgressStyle::with_template(
                            "    [{bar:40.green/dim}] {pos}/{len} done {msg}",
                        )
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("█▌ "),
                    );
                    total_bar = Some(b);
                }
            }
            Event::Started { id } => {
                if let Some(b) = bars.get(id as usize) {
                    b.set_message("running");
                    b.enable_steady_tick(Duration::from_millis(80));
                }
            }
            Event::Finished { id, outcome, ms } => {
                counts.add(outcome);
                if let Some(b) = bars.get(id as usize) {
                    b.set_style(done_style.clone());
                    b.finish_with_message(done_text(outcome, ms, true));
                } else if let Some(b) = &total_bar {
                    b.set_position(counts.done);
                    // Formatting the counts for each of 100,000 events would compete with the
                    // runtime for the CPU; indicatif redraws at most ~20 times a second anyway.
                    if counts.done % 512 == 1 {
                        b.set_message(counts.text(true));
                    }
                }
            }
            Event::End { .. } => {
                // The timeline printed next shows the same outcomes: clear the live lines.
                for b in &bars {
                    b.finish_and_clear();
                }
                if let Some(b) = &total_bar {
                    b.finish_and_clear();
                }
                clock.finish_and_clear();
                break;
            }
        }
    }
    // The engine hung up without an End (Ctrl-C stopped it, or it failed): clear the live
    // lines too, so no spinner is left frozen on the screen above the summary that says what
    // happened. indicatif restores the cursor.
    for b in bars.iter().chain(total_bar.iter()) {
        if !b.is_finished() {
            b.finish_and_clear();
        }
    }
    if !clock.is_finished() {
        clock.finish_and_clear();
    }
}

fn plain(rx: Receiver<Event>, names: Vec<String>) {
    let mut counts = Counts::default();
    let mut per_task = false;
    for event in rx {
        match event {
            Event::Begin { strategy, tasks } => {
                per_task = tasks <= MAX_LINES && names.len() == tasks;
                super::emit(&format!(
                    "\n  running {strategy}: {tasks} task{}\n",
                    if tasks == 1 { "" } else { "s" }
                ));
            }
            Event::Started { .. } => {}
            Event::Finished { id, outcome, ms } => {
                counts.add(outcome);
                if per_task {
                    let name = names.get(id as usize).map_or("?", String::as_str);
                    super::emit(&format!("    {name} {}\n", done_text(outcome, ms, false)));
                }
            }
            Event::End { wall_ms } => {
                if !per_task {
                    super::emit(&format!(
                        "    {} tasks finished in {}: {}\n",
                        counts.done,
                        fmt_ms(wall_ms),
                        counts.text(false)
                    ));
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clock_text;
    use std::time::Duration;

    /// Issue 25, defect 10: a sub-second run's clock moves (it read `00:00:00` throughout).
    #[test]
    fn the_clock_shows_tenths_under_a_minute() {
        assert_eq!(clock_text(Duration::from_millis(40)), "0.0 s");
        assert_eq!(clock_text(Duration::from_millis(460)), "0.4 s");
        assert_eq!(clock_text(Duration::from_millis(12_345)), "12.3 s");
        assert_eq!(clock_text(Duration::from_secs(59)), "59.0 s");
        assert_eq!(clock_text(Duration::from_secs(61)), "1:01");
        assert_eq!(clock_text(Duration::from_secs(3_600)), "60:00");
    }
}
