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

    /// Render with two spaces between columns; the header is bold.
    pub fn render(&self) -> String {
        let cols = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| measure_text_width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(measure_text_width(cell));
            }
        }
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
            out.push_str(&line(row, false));
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
}
