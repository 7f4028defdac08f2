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
}
