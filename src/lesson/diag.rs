//! Diagnostics: a problem in a lesson file, located by file, line and column.
//!
//! Every problem the loader finds becomes a [`Diagnostic`]. It carries the offending line as a short
//! excerpt (never the whole line: a 40,000-character line is cut to a window around the column), so
//! a message is always bounded in size whatever the input.

use std::ops::Range;

/// How many characters of the offending line are shown on each side of the column.
const EXCERPT_RADIUS: usize = 40;

/// The most problems reported for one file; the rest are counted ("and 9,980 more"). An author
/// fixes the first few and runs again; a file of garbage must not print megabytes.
pub const MAX_PROBLEMS_PER_FILE: usize = 20;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it (or `<embedded>/id.toml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What was expected or how to fix it, when we know.
    pub help: Option<String>,
    /// The offending line, cut to a window around the column, and where the caret goes in it.
    pub excerpt: Option<Box<Excerpt>>,
    /// A warning: worth fixing, but the lesson still loads and runs.
    pub warning: bool,
    /// How many problems this one stands for: 1, or for the note that ends a capped list ("and
    /// 9980 more problems"), the number it counts.
    pub count: usize,
}

/// A bounded window of the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// 0-based character offset of the caret in `text`.
    pub caret: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

impl Diagnostic {
    /// A problem at a byte span of `src`. Spans past the end are clamped, so any span is safe.
    ///
    /// A line ends at LF, CRLF (once) or a bare CR. The cost is one pass over `src` up to the
    /// span and over the span's line: callers cap how many they make per file
    /// ([`MAX_PROBLEMS_PER_FILE`]), so reporting a file stays linear in its size.
    pub fn at(file: &str, src: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = clamp_to_char_boundary(src, span.start);
        let end = clamp_to_char_boundary(src, span.end.max(start));
        let before = &src.as_bytes()[..start];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let line_end = src.as_bytes()[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(src.len(), |i| start + i);
        let line = 1 + before
            .iter()
            .enumerate()
            .filter(|&(i, &b)| {
                b == b'\n' || (b == b'\r' && src.as_bytes().get(i + 1) != Some(&b'\n'))
            })
            .count();
        let line_text = &src[line_start..line_end];
        let column = src[line_start..start].chars().count() + 1;
        let span_chars = src[start..end.min(line_end)].chars().count().max(1);
        Diagnostic {
            file: crate::text::printable(file).into_owned(),
            line,
            column,
            message: bounded(message.into()),
            help: None,
            excerpt: Some(Box::new(Excerpt::cut(line_text, column - 1, span_chars))),
            warning: false,
            count: 1,
        }
    }

    /// A problem with the file as a whole (unreadable, too large, not text), reported at 1:1.
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: crate::text::printable(file).into_owned(),
            line: 1,
            column: 1,
            message: bounded(message.into()),
            help: None,
            excerpt: None,
            warning: false,
            count: 1,
        }
    }

    /// The same finding as a warning.
    pub fn into_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// How many problems `diagnostics` stand for (a capped list's note counts what it hides).
    pub fn total(diagnostics: &[Diagnostic]) -> usize {
        diagnostics.iter().map(|d| d.count).sum()
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded(help.into()));
        self
    }
}

impl Excerpt {
    /// Cut `line` to at most about `2 * EXCERPT_RADIUS` characters around `col` (0-based chars),
    /// looking only at that window (a 1 MB line costs no more than a short one).
    fn cut(line: &str, col: usize, width: usize) -> Self {
        let from = col.saturating_sub(EXCERPT_RADIUS);
        let mut window = line.chars().skip(from);
        // Tabs would misalign the caret; show them (and other controls, bidi and zero-width
        // characters, which must never reach a terminal) as single spaces.
        let shown: String = window
            .by_ref()
            .take(col + EXCERPT_RADIUS - from)
            .map(|c| {
                if c == '\t' || c.is_control() || crate::text::is_unsafe_char(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let shown_len = shown.chars().count();
        let more_after = window.next().is_some();
        let col = (col - from).min(shown_len);
        let mut text = String::new();
        let mut caret = col;
        if from > 0 {
            text.push('…');
            caret += 1;
        }
        text.push_str(&shown);
        if more_after {
            text.push('…');
        }
        let width = width.min(shown_len.saturating_sub(col).max(1));
        Excerpt { text, caret, width }
    }
}

/// The longest quoted piece of the file a message repeats (`unknown key `...``), in characters.
const MAX_QUOTE: usize = 60;

/// `text` with every `quoted` piece cut to [`MAX_QUOTE`] characters, and the whole to a few
/// lines: messages quote what the author wrote, and that can be a 20,000-character key.
///
/// Control, bidi and zero-width characters in what is quoted become visible escapes
/// ([`crate::text::printable`]): a message quoting `title = "\u001b]52;..."` must show the
/// escape, not write the clipboard.
pub fn bounded(text: String) -> String {
    const MAX_MESSAGE: usize = 1_000;
    let text = match crate::text::printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    };
    let needs = text.len() > MAX_MESSAGE
        || text
            .split('`')
            .skip(1)
            .step_by(2)
            .any(|q| q.chars().count() > MAX_QUOTE);
    if !needs {
        return text;
    }
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && part.chars().count() > MAX_QUOTE {
            out.extend(part.chars().take(MAX_QUOTE));
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    if out.len() > MAX_MESSAGE {
        let mut end = MAX_MESSAGE;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push('…');
    }
    out
}

fn clamp_to_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// serde reports unknown keys and variants as "unknown field `titel`, expected one of `id`,
/// `title`". Turn that into a "did you mean `title`?" hint: the first backticked word is what the
/// author wrote, the rest are the valid choices.
pub fn suggestion_for(message: &str) -> Option<String> {
    if !(message.starts_with("unknown field") || message.starts_with("unknown variant")) {
        return None;
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (wrong, choices) = quoted.split_first()?;
    closest(wrong, choices.iter().copied()).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let src = "a = 1\nbé = 2\n";
        let d = Diagnostic::at("f.toml", src, 10..11, "boom");
        assert_eq!((d.line, d.column), (2, 4));
        assert_eq!(d.excerpt.unwrap().text, "bé = 2");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(40_000);
        let src = format!("key = \"{line}\"\n");
        let d = Diagnostic::at("f.toml", &src, 20_000..20_001, "boom");
        let ex = d.excerpt.as_deref().unwrap();
        assert!(ex.text.chars().count() <= 2 * EXCERPT_RADIUS + 2);
        assert_eq!(ex.text.chars().nth(ex.caret), Some('x'));
    }

    /// Issue 13, item 6: a bare CR ends a line, and CRLF ends one line, not two.
    #[test]
    fn bare_crs_and_crlf_each_count_as_one_line_break() {
        let src = "a = 1\r\nb = 2\rc = 3\n\nd = ?";
        let at = src.find('?').unwrap();
        let d = Diagnostic::at("f.toml", src, at..at + 1, "boom");
        assert_eq!((d.line, d.column), (5, 5));
        let at = src.find('c').unwrap();
        let d = Diagnostic::at("f.toml", src, at..at + 1, "boom");
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.excerpt.unwrap().text, "c = 3");
    }

    /// Found by the loader's fuzz target: a 19,000-character key quoted whole in its message.
    #[test]
    fn quotes_of_the_file_are_cut() {
        let key = "k".repeat(20_000);
        let d = Diagnostic::whole_file("f.toml", format!("unknown key `{key}`"))
            .with_help(format!("did you mean `{key}`?"));
        assert!(d.message.len() + d.help.as_ref().map_or(0, String::len) < 400);
        assert!(d.message.ends_with("…`"), "{}", d.message);
        let plain = "x".repeat(5_000);
        assert!(bounded(plain).len() < 1_010);
    }

    #[test]
    fn spans_out_of_range_are_clamped() {
        let d = Diagnostic::at("f.toml", "ab", 10..20, "boom");
        assert_eq!((d.line, d.column), (1, 3));
    }

    #[test]
    fn suggests_the_nearest_key() {
        let msg = "unknown field `titel`, expected one of `id`, `title`, `summary`";
        assert_eq!(
            suggestion_for(msg).as_deref(),
            Some("did you mean `title`?")
        );
        let far = "unknown field `zzzzzz`, expected one of `id`, `title`";
        assert_eq!(suggestion_for(far), None);
    }
}
