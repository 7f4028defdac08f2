//! Words for people, shared by the library's messages and the renderers: the one way a duration
//! is written (`0.4 ms`, `42.0 ms`, `301 ms`, `2.41 s`, `12.5 s`) and a count with its noun. Demos,
//! claims, grading reports and tables all go through [`fmt_ms`], so the same duration never reads
//! "3.00 s" in one place and "3000 ms" in another.

/// "1 file", "3 files": a count with its noun.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Formats milliseconds for people.
pub fn fmt_ms(ms: f64) -> String {
    if !ms.is_finite() {
        "-".into()
    } else if ms.abs() >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms.abs() >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms.abs() >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// A real (machine-clock) duration: like [`fmt_ms`], and in microseconds below 1 ms, where a run
/// on tokio's paused clock usually is.
pub fn fmt_real_ms(ms: f64) -> String {
    if ms.is_finite() && ms.abs() < 1.0 {
        format!("{:.0} µs", ms * 1000.0)
    } else {
        fmt_ms(ms)
    }
}

/// A character that must never reach a terminal from any input (a lesson, a diagnostic that
/// quotes one, a server log line, a learner's test output): C0 controls other than newline and
/// tab (ESC starts OSC 52 clipboard writes and screen clears, CR overwrites a line), DEL, the C1
/// controls U+0080 to U+009F (U+009B is a one-byte CSI to many terminals), the bidirectional
/// controls that reorder what a reader sees (the "Trojan Source" attack, CVE-2021-42574: rustc
/// denies them in source too), and the zero-width characters that hide text in plain sight.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi: LRM, RLM, ALM, the embeddings and overrides, the isolates
        | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // zero width: space, non-joiner, joiner, word joiner, invisible operators, BOM
        | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        // line and paragraph separators: some terminals and editors break lines at them
        | '\u{2028}' | '\u{2029}')
}

/// `text` made safe to print: every [`is_unsafe_char`] replaced by its visible escape
/// (`\u{1b}`), so a reader sees that something was there and what; newline and tab stay, and a
/// CR before a newline (a CRLF line end in a learner's output) is dropped. Borrowed when there is
/// nothing to change, which is nearly always.
///
/// Every string from outside the program goes through this before a renderer prints it; the
/// alternative, stripping silently, would hide an attack from the person it targets.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A name for an unsafe character in a message: "ESC (U+001B)", "RIGHT-TO-LEFT OVERRIDE (U+202E)".
pub fn unsafe_char_name(c: char) -> String {
    let name = match c {
        '\u{1b}' => "ESC",
        '\r' => "carriage return",
        '\u{7}' => "BEL",
        '\u{8}' => "backspace",
        '\u{7f}' => "DEL",
        '\u{9b}' => "C1 CSI",
        '\u{9d}' => "C1 OSC",
        '\u{80}'..='\u{9f}' => "C1 control",
        '\u{202e}' => "right-to-left override",
        '\u{202d}' => "left-to-right override",
        '\u{202a}'..='\u{202c}' => "bidi embedding",
        '\u{2066}'..='\u{2069}' => "bidi isolate",
        '\u{200e}' | '\u{200f}' | '\u{61c}' => "bidi mark",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{feff}' => "zero-width no-break space (BOM)",
        '\u{2060}'..='\u{2064}' => "invisible character",
        '\u{2028}' | '\u{2029}' => "line separator",
        _ => "control character",
    };
    format!("{name} (U+{:04X})", u32::from(c))
}

/// serde names Rust types ("expected u32"); authors think in TOML values.
pub fn plain_words(message: &str) -> String {
    [
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected usize", "expected a whole number (0 or more)"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

#[cfg(test)]
mod tests {
    use super::fmt_ms;

    #[test]
    fn one_format_per_magnitude() {
        assert_eq!(fmt_ms(0.42), "0.4 ms");
        assert_eq!(fmt_ms(42.0), "42.0 ms");
        assert_eq!(fmt_ms(301.2), "301 ms");
        assert_eq!(fmt_ms(3000.0), "3.00 s");
        assert_eq!(fmt_ms(12_500.0), "12.5 s");
        assert_eq!(fmt_ms(f64::NAN), "-");
    }

    #[test]
    fn unsafe_characters_are_shown_as_escapes() {
        use super::printable;
        assert!(matches!(
            printable("plain\ttext\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            printable("a\u{1b}]52;c;eA==\u{7}b"),
            "a\\u{1b}]52;c;eA==\\u{7}b"
        );
        assert_eq!(printable("x\u{9b}2J"), "x\\u{9b}2J");
        assert_eq!(printable("if ok \u{202e} {"), "if ok \\u{202e} {");
        assert_eq!(printable("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(printable("line\r\nnext\rover"), "line\nnext\\u{d}over");
    }
}
