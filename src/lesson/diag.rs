//! Diagnostics: a problem in a lesson file, located by file, line and column.
//!
//! Every problem the loader finds becomes a [`Diagnostic`]. It carries the offending line as a short
//! excerpt (never the whole line: a 40,000-character line is cut to a window around the column), so
//! a message is always bounded in size whatever the input.

use std::fmt::Write as _;
use std::ops::Range;

use console::style;

/// How many characters of the offending line are shown on each side of the column.
const EXCERPT_RADIUS: usize = 40;

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
    pub fn at(file: &str, src: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = clamp_to_char_boundary(src, span.start);
        let end = clamp_to_char_boundary(src, span.end.max(start));
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let line_text = src[line_start..line_end].trim_end_matches('\r');
        let line = src[..start].matches('\n').count() + 1;
        let column = src[line_start..start].chars().count() + 1;
        let span_chars = src[start..end.min(line_end)].chars().count().max(1);
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
            excerpt: Some(Box::new(Excerpt::cut(line_text, column - 1, span_chars))),
            warning: false,
        }
    }

    /// A problem with the file as a whole (unreadable, too large, not text), reported at 1:1.
    pub fn whole_file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: message.into(),
            help: None,
            excerpt: None,
            warning: false,
        }
    }

    /// The same finding as a warning.
    pub fn into_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Render for a terminal (colours follow the console crate's global setting).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {}:{}:{}: {}",
            if self.warning {
                style("warning:").yellow().bold()
            } else {
                style("error:").red().bold()
            },
            self.file,
            self.line,
            self.column,
            self.message
        );
        if let Some(ex) = &self.excerpt {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, " {pad} {}", style("|").blue());
            let _ = writeln!(
                out,
                " {} {} {}",
                style(&num).blue(),
                style("|").blue(),
                ex.text
            );
            let _ = writeln!(
                out,
                " {pad} {} {}{}",
                style("|").blue(),
                " ".repeat(ex.caret),
                style("^".repeat(ex.width)).red().bold()
            );
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = {} {}", style("help:").bold(), help);
        }
        out
    }
}

impl Excerpt {
    /// Cut `line` to at most about `2 * EXCERPT_RADIUS` characters around `col` (0-based chars).
    fn cut(line: &str, col: usize, width: usize) -> Self {
        // Tabs would misalign the caret; show them as single spaces.
        let chars: Vec<char> = line
            .chars()
            .map(|c| if c == '\t' || c.is_control() { ' ' } else { c })
            .collect();
        let col = col.min(chars.len());
        let from = col.saturating_sub(EXCERPT_RADIUS);
        let to = (col + EXCERPT_RADIUS).min(chars.len());
        let mut text = String::new();
        let mut caret = col - from;
        if from > 0 {
            text.push('…');
            caret += 1;
        }
        text.extend(&chars[from..to]);
        if to < chars.len() {
            text.push('…');
        }
        let width = width.min(to.saturating_sub(col).max(1));
        Excerpt { text, caret, width }
    }
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
        assert!(d.render().len() < 400);
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
