//! The interactive screens' shared parts: single keys, a hidden cursor that always comes back,
//! and a list to pick from.
//!
//! Keys are read raw with `console::Term::read_key_raw`, which hands Ctrl-C over as a key
//! (`Key::CtrlC`) instead of raising SIGINT: the screen that was asked for the key then restores
//! the cursor and ends with exit code 130, the way a shell expects. (dialoguer, the alternative,
//! hides the cursor and lets SIGINT kill the process before it can show it again: the trial's
//! "Ctrl-C leaves the cursor hidden".)

use console::{Key, Term, measure_text_width, truncate_str};

use crate::render::screen as look;

/// A key, or what the learner meant by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Key(Key),
    /// Ctrl-C: leave, with exit code 130.
    Interrupt,
}

/// Read one key without Enter. Ctrl-C is [`Input::Interrupt`]; a lost terminal reads as `q`.
pub(crate) fn key(term: &Term) -> Input {
    match term.read_key_raw() {
        // Ctrl-C, or a signal that cut the read short (console reports both as `CtrlC`): a
        // SIGTERM or the like ends the process from `term_guard`, with its own status and the
        // terminal restored; wait for that rather than race it with exit code 130.
        Ok(Key::CtrlC) => {
            super::term_guard::settle_after_eintr();
            Input::Interrupt
        }
        Ok(k) => Input::Key(k),
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            super::term_guard::settle_after_eintr();
            Input::Interrupt
        }
        Err(_) => Input::Key(Key::Char('q')),
    }
}

/// Wait up to `timeout` for one key on the terminal on stdin, without Enter; `None` when none
/// came. The terminal is raw (no line editing, no echo, Ctrl-C a key) only while waiting, so
/// between waits (a build, a test run) Ctrl-C stops asyncwork as usual and leaves the terminal
/// as it was. For screens that watch something else at the same time (`watch`), where
/// `read_key`, which blocks until a key comes, cannot be used.
pub(crate) fn key_within(timeout: std::time::Duration) -> Option<Input> {
    use std::os::fd::AsRawFd as _;
    let fd = std::io::stdin().as_raw_fd();
    // SAFETY: termios is plain data filled by tcgetattr before use; fd is this process's stdin.
    let mut original = unsafe { std::mem::zeroed::<libc::termios>() };
    if unsafe { libc::tcgetattr(fd, &mut original) } != 0 {
        std::thread::sleep(timeout);
        return None;
    }
    let mut raw = original;
    raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
    raw.c_cc[libc::VMIN] = 0;
    raw.c_cc[libc::VTIME] = 0;
    // Through the guard, which will not switch to raw once a signal is ending the process (it
    // has put the terminal back already); `original` is restored below on every path.
    super::term_guard::set_modes(fd, &raw);
    let mut poll = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd; a read of at most buf.len() bytes into buf.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) } > 0;
    let mut buf = [0u8; 8];
    let n = if ready {
        unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }
    } else {
        0
    };
    super::term_guard::set_modes(fd, &original);
    if n <= 0 {
        return None;
    }
    Some(decode(&buf[..n as usize]))
}

/// The key a terminal's bytes stand for.
fn decode(bytes: &[u8]) -> Input {
    match bytes {
        [0x03, ..] => Input::Interrupt,
        [b'\r' | b'\n', ..] => Input::Key(Key::Enter),
        [0x1b, b'[', b'A', ..] => Input::Key(Key::ArrowUp),
        [0x1b, b'[', b'B', ..] => Input::Key(Key::ArrowDown),
        [0x1b, b'[', b'C', ..] => Input::Key(Key::ArrowRight),
        [0x1b, b'[', b'D', ..] => Input::Key(Key::ArrowLeft),
        [0x1b] => Input::Key(Key::Escape),
        _ => match std::str::from_utf8(bytes)
            .ok()
            .and_then(|s| s.chars().next())
        {
            Some(c) => Input::Key(Key::Char(c)),
            None => Input::Key(Key::Unknown),
        },
    }
}

/// Turns the terminal's echo off for as long as it lives (a live view or a spinner draws): the
/// terminal echoes Ctrl-C as `^C` where the cursor is, which shifts the lines indicatif counts,
/// so its clear at the end erased the wrong rows and left a frozen `⠉ gather running` behind;
/// keys typed meanwhile would garble the view the same way. Signals still work (ISIG stays on),
/// and the terminal's modes are put back when dropped, or by `term_guard` on a signal.
pub(crate) struct NoEcho {
    fd: i32,
    original: libc::termios,
}

impl NoEcho {
    /// `None` when stdin is not a terminal (nothing to echo).
    pub(crate) fn new() -> Option<NoEcho> {
        use std::os::fd::AsRawFd as _;
        let fd = std::io::stdin().as_raw_fd();
        // SAFETY: termios is plain data filled by tcgetattr before use; fd is this process's stdin.
        let mut original = unsafe { std::mem::zeroed::<libc::termios>() };
        if unsafe { libc::tcgetattr(fd, &mut original) } != 0 {
            return None;
        }
        let mut quiet = original;
        quiet.c_lflag &= !libc::ECHO;
        super::term_guard::set_modes(fd, &quiet);
        Some(NoEcho { fd, original })
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        super::term_guard::set_modes(self.fd, &self.original);
    }
}

/// Hides the cursor for as long as it lives and shows it again when dropped, however the screen
/// ends (a return, an error, a panic unwinding; a signal: `term_guard` shows it).
pub(crate) struct HiddenCursor<'a>(&'a Term);

impl<'a> HiddenCursor<'a> {
    pub(crate) fn new(term: &'a Term) -> HiddenCursor<'a> {
        let _ = term.hide_cursor();
        super::term_guard::cursor_hidden();
        HiddenCursor(term)
    }
}

impl Drop for HiddenCursor<'_> {
    fn drop(&mut self) {
        let _ = self.0.show_cursor();
        super::term_guard::cursor_shown();
    }
}

/// Clear the screen and move to its top.
pub(crate) fn clear(term: &Term) {
    let _ = term.clear_screen();
    let _ = term.move_cursor_to(0, 0);
}

/// Write `text` to the terminal (lines end with `\n`; raw mode is off between keys), through
/// the filter every output goes through ([`crate::render::terminal_safe`]).
pub(crate) fn write(term: &Term, text: &str) {
    let _ = term.write_str(&crate::render::terminal_safe(text));
    let _ = term.flush();
}

/// One row of a pick list.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// What the row says (may be styled).
    pub(crate) label: String,
    /// Dim text at the right when there is room (the command the row stands for).
    pub(crate) aside: String,
    /// Rows that only separate or title groups cannot be picked.
    pub(crate) pickable: bool,
}

impl Row {
    pub(crate) fn item(label: impl Into<String>, aside: impl Into<String>) -> Row {
        Row {
            label: label.into(),
            aside: aside.into(),
            pickable: true,
        }
    }

    pub(crate) fn heading(label: impl Into<String>) -> Row {
        Row {
            label: label.into(),
            aside: String::new(),
            pickable: false,
        }
    }
}

/// What the learner did with a pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Picked {
    Row(usize),
    Quit,
    Interrupted,
}

/// Show `header` and `rows` on a cleared screen, the cursor on `selected`; ↑/↓ (or k/j) move,
/// Enter or → picks, q or Esc quits, Ctrl-C interrupts. Rows past the screen's height scroll.
pub(crate) fn pick(term: &Term, header: &str, rows: &[Row], mut selected: usize) -> Picked {
    let _cursor = HiddenCursor::new(term);
    let pickable: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].pickable).collect();
    if pickable.is_empty() {
        return Picked::Quit;
    }
    if !pickable.contains(&selected) {
        selected = pickable[0];
    }
    loop {
        let (height, width) = term.size();
        // Past 100 columns the commands beside the entries drift too far from them to read.
        let (height, width) = (
            usize::from(height).max(8),
            usize::from(width).clamp(20, 100),
        );
        let header_lines = header.lines().count();
        let footer = look::pick_keys();
        let room = height.saturating_sub(header_lines + 2).max(3);
        // Scroll so the selected row is visible, with a row of context when possible.
        let first = selected
            .saturating_sub(room.saturating_sub(2))
            .min(rows.len().saturating_sub(room));
        let mut screen = String::from(header);
        for (i, row) in rows.iter().enumerate().skip(first).take(room) {
            screen.push_str(&render_row(row, i == selected, width));
            screen.push('\n');
        }
        screen.push_str(&footer);
        clear(term);
        write(term, &screen);
        let at = pickable.iter().position(|&i| i == selected).unwrap_or(0);
        match key(term) {
            Input::Interrupt => {
                write(term, "\n");
                return Picked::Interrupted;
            }
            Input::Key(Key::ArrowUp | Key::Char('k')) => {
                selected = pickable[at.checked_sub(1).unwrap_or(pickable.len() - 1)];
            }
            Input::Key(Key::ArrowDown | Key::Char('j') | Key::Tab) => {
                selected = pickable[(at + 1) % pickable.len()];
            }
            Input::Key(Key::Home) => selected = pickable[0],
            Input::Key(Key::End) => selected = pickable[pickable.len() - 1],
            Input::Key(Key::Enter | Key::ArrowRight | Key::Char(' ')) => {
                write(term, "\n");
                return Picked::Row(selected);
            }
            Input::Key(Key::Escape | Key::Char('q')) => {
                write(term, "\n");
                return Picked::Quit;
            }
            Input::Key(_) => {}
        }
    }
}

fn render_row(row: &Row, selected: bool, width: usize) -> String {
    if !row.pickable {
        return truncate_str(&row.label, width, "…").into_owned();
    }
    let pointer = if selected {
        look::pointer()
    } else {
        "  ".to_string()
    };
    let label = if selected {
        look::selected(&row.label)
    } else {
        row.label.clone()
    };
    let used = 2 + measure_text_width(&label);
    let aside_width = measure_text_width(&row.aside);
    let line = if !row.aside.is_empty() && used + 3 + aside_width <= width {
        // The asides right-aligned: one clean column of commands.
        let gap = width - used - aside_width;
        format!(
            "{pointer}{label}{}{}",
            " ".repeat(gap),
            look::aside(&row.aside)
        )
    } else {
        format!("{pointer}{label}")
    };
    truncate_str(&line, width, "…").into_owned()
}

/// "Press a key": any key goes on; Ctrl-C is `false` (leave with 130).
pub(crate) fn any_key(term: &Term, prompt: &str) -> bool {
    write(term, &look::prompt(prompt));
    let pressed = key(term);
    write(term, "\n");
    pressed != Input::Interrupt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_decode_to_keys() {
        assert_eq!(decode(b"n"), Input::Key(Key::Char('n')));
        assert_eq!(decode(&[0x03]), Input::Interrupt);
        assert_eq!(decode(b"\x1b[C"), Input::Key(Key::ArrowRight));
        assert_eq!(decode(b"\r"), Input::Key(Key::Enter));
        assert_eq!(decode(b"\x1b"), Input::Key(Key::Escape));
    }

    #[test]
    fn a_row_fits_its_width() {
        console::set_colors_enabled(false);
        let row = Row::item(
            "Step through lesson 3, one screen at a time",
            "asyncwork lesson step gather",
        );
        for width in [20, 50, 70, 120] {
            let text = render_row(&row, true, width);
            assert!(measure_text_width(&text) <= width, "{width}: {text}");
        }
        // The command shows when there is room.
        assert!(render_row(&row, false, 120).contains("asyncwork lesson step gather"));
    }
}
