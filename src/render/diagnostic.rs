//! A lesson file's problems for a terminal: `error: file:line:col: message`, the line with a
//! caret under the offending span, and the help. The diagnostic itself is plain data
//! ([`crate::lesson::diag::Diagnostic`]); colours follow the console crate's global setting.

use std::fmt::Write as _;

use console::style;

use crate::lesson::diag::Diagnostic;

pub fn diagnostic(d: &Diagnostic) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}:{}:{}: {}",
        if d.warning {
            style("warning:").yellow().bold()
        } else {
            style("error:").red().bold()
        },
        d.file,
        d.line,
        d.column,
        d.message
    );
    if let Some(ex) = &d.excerpt {
        let num = d.line.to_string();
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
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  = {} {}", style("help:").bold(), help);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
