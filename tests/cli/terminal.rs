//! The learner's screens driven the way a person drives them: in a real terminal (tmux, 70
//! columns by 30 rows), with single keys, checking what the screen shows. The menu, a stepped
//! lesson and watch mode, and that Ctrl-C leaves with exit code 130 and the cursor visible.
//!
//! tmux is the pseudo-terminal: it runs the binary on a pty and shows the screen as a person
//! would see it (`capture-pane`), cursor state included (`#{cursor_flag}`). Without tmux the test
//! says why it did not run and passes, except under `CI`, where it fails
//! (`common::require_tool`); a Rust pty crate (expectrl) would be the alternative, at the cost of
//! writing a terminal emulator's screen model to check what is visible.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One tmux server of its own (its own socket), so nothing here touches a learner's sessions.
/// Also driven by `signals.rs`.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(crate) fn new(name: &str) -> Option<Tmux> {
        if !crate::common::require_tool("tmux", &["-V"]) {
            return None;
        }
        // A server of its own per instance, never a name used before: `kill-server` returns
        // before the old server has exited, and a new session on its socket could land in it
        // as it goes (a test that starts several sessions one after another saw an empty
        // screen now and then).
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(Tmux {
            socket: format!("asyncwork-test-{}-{name}-{n}", std::process::id()),
        })
    }

    pub(crate) fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Start `command` (a shell line) in `dir` on a 70x30 terminal; the line ends by printing
    /// `EXIT=<code>` and then waits, so the screen stays to be read.
    pub(crate) fn start(&self, dir: &Path, command: &str) {
        let line = format!("{command}; echo EXIT=$?; sleep 120");
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "70",
            "-y",
            "30",
            "-c",
            dir.to_str().unwrap(),
            &line,
        ]);
    }

    pub(crate) fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// The process id of the pane's shell (the one that runs the command line of [`start`]).
    pub(crate) fn pane_pid(&self) -> i32 {
        self.tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .trim()
            .parse()
            .expect("a pane pid")
    }

    pub(crate) fn cursor_visible(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", "t", "#{cursor_flag}"])
            .trim()
            == "1"
    }

    /// Wait until the screen shows every one of `texts`; the screen when it does.
    pub(crate) fn wait_for(&self, texts: &[&str], timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited {timeout:?} for {texts:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

use crate::common::{bin, exercise_count, exercise_target, fresh_workbook as workbook};

/// The environment of every session: no colour codes to read around, no background build, the
/// shared build cache.
pub(crate) fn env() -> String {
    format!(
        "env -u ASYNCWORK_LESSONS -u ASYNCWORK_WORKBOOK NO_COLOR=1 ASYNCWORK_NO_WARM=1 \
         CARGO_TARGET_DIR='{}'",
        exercise_target().display()
    )
}

/// `--speed F` that makes demos quick, whichever way `--speed` reads on this build: a factor on
/// every duration (smaller is faster) or a playback speed (larger is faster). Its help says.
pub(crate) fn quick_speed() -> &'static str {
    let help = Command::new(bin())
        .args(["lesson", "run", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_lowercase();
    if help.contains("multiply every duration") {
        "0.05"
    } else {
        "10"
    }
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn the_menu_a_stepped_lesson_and_ctrl_c() {
    let Some(t) = Tmux::new("menu") else { return };
    let (_tmp, wb) = workbook();
    t.start(&wb, &format!("{} {}", env(), bin()));
    let screen = t.wait_for(&["Next: lesson 1", "← next"], 10 * SECOND);
    assert!(screen.contains("❯ Step through lesson 1"), "{screen}");
    assert!(
        screen.contains(&format!("0 of {} done", exercise_count())),
        "{screen}"
    );
    assert!(
        screen.contains("· not started  ◔ demos watched"),
        "{screen}"
    );
    assert!(screen.lines().all(|l| l.chars().count() <= 70));

    // ↓ moves the choice; ↑ and Enter step through lesson 1, on a cleared screen.
    t.keys(&["Down"]);
    t.wait_for(&["❯ Watch its 3 demos live"], 5 * SECOND);
    t.keys(&["Up", "Enter"]);
    let screen = t.wait_for(&["screen 1 of", "q leave"], 30 * SECOND);
    assert!(
        !screen.contains("Next: lesson 1"),
        "the menu was cleared:\n{screen}"
    );
    // q: back to the menu.
    t.keys(&["q"]);
    t.wait_for(&["Next: lesson 1"], 10 * SECOND);

    // Ctrl-C in the menu: exit 130, the cursor visible again.
    t.keys(&["C-c"]);
    t.wait_for(&["EXIT=130"], 10 * SECOND);
    assert!(t.cursor_visible(), "the cursor is hidden after Ctrl-C");
}

/// The screen once it differs from `before` and is drawn to its keys line.
fn changed(t: &Tmux, before: &str) -> String {
    let deadline = Instant::now() + 30 * SECOND;
    loop {
        let screen = t.screen();
        if screen != before && screen.contains("q leave") {
            return screen;
        }
        assert!(
            Instant::now() < deadline,
            "the screen did not change:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_lesson_a_screen_at_a_time() {
    let Some(t) = Tmux::new("step") else { return };
    let (_tmp, wb) = workbook();
    t.start(
        &wb,
        &format!(
            "{} {} lesson step coroutines --speed {}",
            env(),
            bin(),
            quick_speed()
        ),
    );
    // Issue 25: every screen fits the 30-row terminal, a page at a time: its title line stays
    // at the top and the keys at the bottom, and the demo starts only on its key.
    let fits = |screen: &str| {
        let top = screen.lines().next().unwrap_or_default();
        assert!(
            top.starts_with("Lesson 1 · "),
            "the title scrolled away:\n{screen}"
        );
        assert!(screen.contains("q leave"), "no keys line:\n{screen}");
    };
    let mut screen = t.wait_for(&["screen 1 of", "q leave"], 30 * SECOND);
    fits(&screen);
    assert!(
        !screen.contains("Claims"),
        "the demo started by itself:\n{screen}"
    );
    while screen.contains("Enter/→ more") {
        let page = screen
            .split(", page ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .and_then(|n| n.parse::<usize>().ok())
            .expect("page N of M");
        t.keys(&["Enter"]);
        screen = t.wait_for(&[&format!(", page {} of", page + 1)], 30 * SECOND);
        fits(&screen);
    }
    // On the section's last page, `d` runs its demo in place, its claims judged.
    assert!(screen.contains("d run the demo"), "{screen}");
    t.keys(&["d"]);
    let screen = t.wait_for(&["Claims", "Enter/→ next"], 30 * SECOND);
    assert!(screen.contains("✓ "), "{screen}");
    let total: usize = screen
        .split("screen 1 of ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("screen 1 of N");
    t.keys(&["Enter"]);
    fits(&t.wait_for(&["screen 2 of", "← back"], 30 * SECOND));
    t.keys(&["Left"]);
    t.wait_for(&["screen 1 of"], 30 * SECOND);
    // On to the last screen, a page or a screen per key: each fits, and the exercise is
    // offered at the end.
    let mut screen = t.screen();
    for _ in 0..200 {
        if screen.contains("That was lesson 1") {
            break;
        }
        t.keys(&["Right"]);
        screen = changed(&t, &screen);
        fits(&screen);
    }
    assert!(t.screen().contains(&format!("screen {total} of {total}")));
    let screen = t.wait_for(
        &["That was lesson 1", "t the task · c check it · h a hint"],
        10 * SECOND,
    );
    assert!(screen.contains("01_coroutines"), "{screen}");
    t.keys(&["t"]);
    t.wait_for(&["Your turn", "asyncwork check 01_coroutines"], 10 * SECOND);
    t.keys(&["Enter"]);
    t.wait_for(&["That was lesson 1"], 10 * SECOND);
    t.keys(&["q"]);
    t.wait_for(&["EXIT=0"], 10 * SECOND);
    assert!(t.cursor_visible());

    // The one demo run (on its key) is in the record; the others, never started, are not.
    let out = Command::new(bin())
        .current_dir(&wb)
        .env("COLUMNS", "70")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("3 demos, 1 watched"), "{out}");
    // Two demos are left to watch: the course sends the learner back to the lesson.
    assert!(
        out.contains("Next: asyncwork lesson step coroutines"),
        "{out}"
    );
}

#[test]
#[ignore = "builds exercise crates"]
fn watch_mode_with_single_keys() {
    let _cache = crate::common::exercise_cache();
    let Some(t) = Tmux::new("watch") else { return };
    let (_tmp, wb) = workbook();
    t.start(&wb, &format!("{} {} watch", env(), bin()));
    // The first check may compile tokio when nothing has yet.
    let screen = t.wait_for(
        &["Current file: 01_coroutines/src/lib.rs", "n next · h hint"],
        Duration::from_secs(300),
    );
    assert!(
        screen.contains(&format!("0 of {} done", exercise_count())),
        "{screen}"
    );
    assert!(
        screen.contains("✗ 01_coroutines: 7 of 7 tests failed"),
        "{screen}"
    );
    // Hints on request only: the failed check says which one `h` gives and shows none.
    assert!(screen.contains("Stuck? `h` gives hint 1 of 3"), "{screen}");
    assert!(!screen.contains("Hint 1 of 3"), "{screen}");
    // h: the first hint, without Enter.
    t.keys(&["h"]);
    t.wait_for(&["Hint 1 of 3"], 10 * SECOND);
    // n: the next exercise, on a cleared screen.
    t.keys(&["n"]);
    // Wait for the key prompt, which comes after 02's check: Ctrl-C while a check runs stops
    // asyncwork by the signal, as between any two prompts (see `screen::key_within`); the keys
    // are read (and Ctrl-C becomes exit 130) only at the prompt.
    let screen = t.wait_for(
        &[
            "Current file: 02_sequential_vs_concurrent/src/lib.rs",
            "n next · h hint",
        ],
        Duration::from_secs(120),
    );
    assert!(!screen.contains("01_coroutines: 7 of 7"), "{screen}");
    // Ctrl-C: exit 130, cursor visible.
    t.keys(&["C-c"]);
    t.wait_for(&["EXIT=130"], 10 * SECOND);
    assert!(t.cursor_visible());
}
