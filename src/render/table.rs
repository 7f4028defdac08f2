//! Aligned text tables: one for `lesson list`, the demo summary, `progress` and friends.

use console::{Alignment, measure_text_width, pad_str};

/// A table of already-formatted (possibly styled) cells.
#[derive(Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// Columns named by `headers`; a header starting with `>` is right-aligned (for numbers).
    pub fn new(headers: &[&str]) -> Self {
        Table {
            headers: headers
                .iter()
                .map(|h| h.trim_start_matches('>').to_string())
                .collect(),
            right: headers.iter().map(|h| h.starts_with('>')).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Render with two spaces between columns; the header is bold. Never wrapped: for tables
    /// of numbers and names that a script may read.
    pub fn render(&self) -> String {
        self.render_width(usize::MAX)
    }

    /// Render to fit `width` columns when it can: the widest left-aligned columns are narrowed
    /// (never below their longest word) and their cells wrap onto continuation lines between
    /// words. A table whose words alone are too wide stays as wide as it must.
    pub fn render_width(&self, width: usize) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| measure_text_width(h)).collect();
        let mut floor = widths.clone();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(measure_text_width(cell));
                let longest_word = cell.split(' ').map(measure_text_width).max().unwrap_or(0);
                floor[i] = floor[i].max(longest_word);
            }
        }
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
        while total(&widths) > width {
            // Narrow the widest column that can still give way.
            let Some(i) = (0..cols)
                .filter(|&i| !self.right[i] && widths[i] > floor[i])
                .max_by_key(|&i| widths[i])
            else {
                break;
            };
            let over = total(&widths) - width;
            widths[i] = widths[i].saturating_sub(over).max(floor[i]);
        }
        let wrapped = |cells: &[String]| -> Vec<Vec<String>> {
            (0..cols)
                .map(|i| {
                    let cell = cells.get(i).map(String::as_str).unwrap_or("");
                    if measure_text_width(cell) <= widths[i] {
                        return vec![cell.to_string()];
                    }
                    let options = textwrap::Options::new(widths[i].max(1))
                        .word_separator(textwrap::WordSeparator::AsciiSpace)
                        .break_words(false);
                    textwrap::wrap(cell, options)
                        .into_iter()
                        .map(|l| l.into_owned())
                        .collect()
                })
                .collect()
        };
        let line = |cells: &[String], bold: bool| {
            let mut out = String::new();
            for (i, width) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let align = if self.right[i] {
                    Alignment::Right
                } else {
                    Alignment::Left
                };
                let last = i + 1 == cols;
                let padded = if last && !self.right[i] {
                    cell.to_string()
                } else {
                    pad_str(cell, *width, align, None).into_owned()
                };
                if bold {
                    out.push_str(&console::style(padded).bold().to_string());
                } else {
                    out.push_str(&padded);
                }
                if !last {
                    out.push_str("  ");
                }
            }
            out.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.headers, true);
        for row in &self.rows {
            let parts = wrapped(row);
            let height = parts.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let cells: Vec<String> = parts
                    .iter()
                    .map(|p| p.get(k).cloned().unwrap_or_default())
                    .collect();
                out.push_str(&line(&cells, false));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_and_right_aligns_numbers() {
        let mut t = Table::new(&[">#", "id", "title"]);
        t.row(vec![
            "1".into(),
            "coroutines".into(),
            "Calling is not running".into(),
        ]);
        t.row(vec!["12".into(), "gather".into(), "Together".into()]);
        let text = console::strip_ansi_codes(&t.render()).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], " #  id          title");
        assert_eq!(lines[1], " 1  coroutines  Calling is not running");
        assert_eq!(lines[2], "12  gather      Together");
    }

    #[test]
    fn narrows_the_widest_column_between_words() {
        let mut t = Table::new(&["id", "title"]);
        t.row(vec![
            "coroutines".into(),
            "Calling an async function is not running it".into(),
        ]);
        let text = console::strip_ansi_codes(&t.render_width(30)).into_owned();
        for line in text.lines() {
            assert!(line.chars().count() <= 30, "{line:?} in\n{text}");
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        for w in ["Calling", "async", "function", "running", "coroutines"] {
            assert!(words.contains(&w), "{w} broken in\n{text}");
        }
    }
}
