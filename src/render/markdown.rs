//! A README for the terminal: the little Markdown the exercise READMEs use, re-flowed to the
//! width. Headings are bold, paragraphs and list items wrap between words (list items with a
//! hanging indent), and code blocks and tables stay exactly as written (re-flowed code is
//! different code). A full Markdown parser (pulldown-cmark) would be the alternative; these
//! files are ours, and this is all they use.

use console::style;

/// `text` (Markdown) at `width` columns.
pub fn render(text: &str, width: usize) -> String {
    let width = width.clamp(20, 100);
    let mut out = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut in_code = false;
    let flush = |paragraph: &mut Vec<String>, out: &mut String| {
        if paragraph.is_empty() {
            return;
        }
        let text = paragraph.join(" ");
        paragraph.clear();
        let hanging = list_indent(&text);
        out.push_str(&super::wrap(
            &inline(&text),
            width,
            "",
            &" ".repeat(hanging),
        ));
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            flush(&mut paragraph, &mut out);
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str(&format!("    {}\n", style(line).cyan()));
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
            out.push('\n');
        } else if let Some(heading) = trimmed.strip_prefix('#') {
            flush(&mut paragraph, &mut out);
            let heading = heading.trim_start_matches('#').trim();
            out.push_str(&format!("{}\n", style(heading).bold().underlined()));
        } else if trimmed.starts_with('|') {
            flush(&mut paragraph, &mut out);
            out.push_str(line);
            out.push('\n');
        } else if list_indent(trimmed) > 0 && !paragraph.is_empty() {
            flush(&mut paragraph, &mut out);
            paragraph.push(trimmed.to_string());
        } else {
            paragraph.push(trimmed.to_string());
        }
    }
    flush(&mut paragraph, &mut out);
    // No run of blank lines longer than one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

/// The hanging indent of a list item (`* `, `- `, `1. `), 0 for a paragraph.
fn list_indent(line: &str) -> usize {
    if line.starts_with("* ") || line.starts_with("- ") {
        return 2;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        digits + 2
    } else {
        0
    }
}

/// Inline `code` in bold; the backticks stay, so copying a name still works.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&style(format!("`{part}`")).bold().to_string());
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_code_and_tables_stay() {
        console::set_colors_enabled(false);
        let md = "# Title\n\nA paragraph that is long enough to wrap at a narrow width, \
                  surely.\n\n* an item that also wraps because it is long enough to\n  \
                  continue on the next line\n\n```rust\nlet a_very_long_line_of_code = 1; // never wrapped, whatever the width\n```\n\n\
                  | a | b |\n|---|---|\n";
        let text = render(md, 40);
        assert!(text.starts_with("Title\n"), "{text}");
        assert!(text.contains(
            "    let a_very_long_line_of_code = 1; // never wrapped, whatever the width"
        ));
        assert!(text.contains("| a | b |"));
        for line in text.lines().filter(|l| !l.starts_with("    let")) {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(text.contains("* an item"), "{text}");
        // The item's continuation lines hang under its text.
        assert!(text.contains("\n  long enough to continue"), "{text}");
    }
}
