//! A lesson file's problems for a terminal: `error: file:line:col: message`, the line with a
//! caret under the offending span, and the help. The diagnostic itself is plain data
//! ([`crate::lesson::diag::Diagnostic`]); colours follow the console crate's global setting.

use std::fmt::Write as _;

use console::style;

use crate::lesson::diag::Diagnostic;

/// On a terminal (stderr is where diagnostics go), the message wraps between words and the
/// excerpt is clipped to the width, caret in view; piped, each problem stays on one line, so
/// `grep` finds it whole.
pub fn diagnostic(d: &Diagnostic) -> String {
    let width = console::Term::stderr()
        .size_checked()
        .map(|(_, cols)| usize::from(cols).max(20));
    diagnostic_at(d, width)
}

fn diagnostic_at(d: &Diagnostic, width: Option<usize>) -> String {
    let mut out = String::new();
    let label = if d.warning { "warning:" } else { "error:" };
    let head = format!("{label} {}:{}:{}: {}", d.file, d.line, d.column, d.message);
    let head = match width {
        Some(w) => super::wrap(&head, w, "", "    ").trim_end().to_string(),
        None => head,
    };
    let marked = if d.warning {
        style(label).yellow().bold()
    } else {
        style(label).red().bold()
    };
    let _ = writeln!(out, "{marked}{}", &head[label.len()..]);
    if let Some(ex) = &d.excerpt {
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        // The gutter is ` NN | `.
        let room = width.map(|w| w.saturating_sub(num.len() + 4).max(20));
        let (text, caret, carets) = clipped(&ex.text, ex.caret, ex.width, room);
        let _ = writeln!(out, " {pad} {}", style("|").blue());
        let _ = writeln!(
            out,
            " {} {} {}",
            style(&num).blue(),
            style("|").blue(),
            text
        );
        let _ = writeln!(
            out,
            " {pad} {} {}{}",
            style("|").blue(),
            " ".repeat(caret),
            style("^".repeat(carets)).red().bold()
        );
    }
    if let Some(help) = &d.help {
        let help = match width {
            Some(w) => super::wrap(help, w.saturating_sub(10), "", "          ")
                .trim_end()
                .to_string(),
            None => help.clone(),
        };
        let _ = writeln!(out, "  = {} {}", style("help:").bold(), help);
    }
    out
}

/// The excerpt `text` cut to `room` characters around the caret (at `caret`, `carets` wide),
/// with `…` where it was cut: the text, the caret's new column and width.
fn clipped(text: &str, caret: usize, carets: usize, room: Option<usize>) -> (String, usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let Some(room) = room.filter(|r| chars.len() > *r) else {
        return (text.to_string(), caret, carets);
    };
    // Keep the start of the span in view, with a little context before it.
    let start = if caret + carets.min(room / 2) < room {
        0
    } else {
        caret
            .saturating_sub(room / 4)
            .min(chars.len().saturating_sub(room - 1))
    };
    let end = (start + room - 1).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start + usize::from(start > 0)..end]);
    if end < chars.len() {
        out.push('…');
    }
    let at = caret.saturating_sub(start);
    let shown = out.chars().count();
    (out, at, carets.min(shown.saturating_sub(at)).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_a_narrow_terminal_the_message_wraps_and_the_excerpt_fits() {
        let d = Diagnostic {
            file: "lessons/x.toml".into(),
            line: 16,
            column: 40,
            message: "`scop` does not apply to strategy `timeout`: strategy `timeout` takes `ms` (the deadline in milliseconds), `scope` (`group` (default) or `task`), besides `label`".into(),
            help: None,
            warning: false,
            count: 1,
            excerpt: Some(Box::new(crate::lesson::diag::Excerpt {
                text: r#"strategies = ["sequential", "bounded", { kind = "timeout", ms = 100, scop = "task" }, { kind = "race" }]"#.into(),
                caret: 39,
                width: 45,
            })),
        };
        console::set_colors_enabled(false);
        let out = diagnostic_at(&d, Some(70));
        for line in out.lines() {
            assert!(line.chars().count() <= 70, "{line:?}\n{out}");
        }
        assert!(
            out.starts_with("error: lessons/x.toml:16:40: `scop` does not apply"),
            "{out}"
        );
        // The caret still points at the `{` of the entry.
        let lines: Vec<&str> = out.lines().collect();
        let text = lines.iter().find(|l| l.starts_with(" 16 |")).unwrap();
        let marks = lines.iter().find(|l| l.contains('^')).unwrap();
        let at = marks.find('^').unwrap();
        assert_eq!(text.chars().nth(at), Some('{'), "{out}");
        // Piped: one line per problem, as before.
        let piped = diagnostic_at(&d, None);
        assert!(
            piped.lines().next().unwrap().ends_with("besides `label`"),
            "{piped}"
        );
    }

    #[test]
    fn a_diagnostic_of_a_huge_line_stays_short() {
        let src = format!("key = \"{}\"\n", "x".repeat(40_000));
        let d = Diagnostic::at("f.toml", &src, 20_000..20_001, "boom");
        let text = diagnostic(&d);
        assert!(text.len() < 400, "{}", text.len());
        assert!(text.contains("f.toml:1:20001: boom"), "{text}");
        assert!(text.contains('^'), "{text}");
    }
}
