//! The demo server's parameters, parsed and bounded in one place.
//!
//! Every number a client sends has a range, and a value outside it is refused with a 400 and one
//! line that says the range (no silent clamping: a learner who asks for a 100-second delay should
//! learn why it did not happen). Unknown query keys are refused too, so a typo (`?sm=100`) is not
//! quietly ignored. The handlers in [`crate::io::server`] and the lesson validator both call
//! [`Target::parse`]'s pieces, so a lesson cannot ask for a request the server would refuse.
//!
//! The alternative is axum's `Query<T>` extractor with serde: less code, but its rejections name
//! serde's internals rather than the endpoint's rules.

use std::ops::RangeInclusive;

/// Longest sleep any endpoint does for one request (a delay, a page, all chunks of a stream).
pub const MAX_MS: u64 = 60_000;
/// Longest `/work/blocking` sleep: it holds the server's only thread, so it is capped lower.
pub const MAX_BLOCKING_MS: u64 = 10_000;
/// Most items `/pages` serves in all.
pub const MAX_TOTAL: u64 = 100_000;
/// Most items on one page.
pub const MAX_PAGE_SIZE: u64 = 1_000;
/// Most failures `/flaky` may be asked to produce before it succeeds.
pub const MAX_FAIL: u64 = 100;
/// Most chunks of one `/stream`.
pub const MAX_CHUNKS: u64 = 1_000;
/// Most requests `/limited` may be told to allow at once.
pub const MAX_LIMIT: u64 = 10_000;
/// Longest `/flaky` key.
pub const MAX_KEY: usize = 64;

/// A refused request: its status code and a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub status: u16,
    pub message: String,
}

impl Bad {
    pub fn request(message: impl Into<String>) -> Bad {
        Bad {
            status: 400,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.status)
    }
}

/// How a `/work/{style}` handler does its slow part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Awaits a timer: the thread serves other requests meanwhile (`async def` + `await`).
    Async,
    /// `std::thread::sleep` in the handler: the server's thread is held (`time.sleep` in a
    /// handler; FastAPI would run a plain `def` on its thread pool, axum has no such pool).
    Blocking,
    /// The sleep runs on `spawn_blocking` (FastAPI's thread pool, done by hand).
    Offload,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Async => "async",
            Style::Blocking => "blocking",
            Style::Offload => "offload",
        }
    }
}

/// `/pages`: which page, how big, how slow, out of how many items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagesQuery {
    pub page: u64,
    pub size: u64,
    pub delay_ms: u64,
    pub total: u64,
}

impl PagesQuery {
    /// The ids on this page (empty past the end: the empty page ends the listing).
    pub fn ids(&self) -> std::ops::Range<u64> {
        let start = self.page.saturating_mul(self.size).min(self.total);
        let end = start.saturating_add(self.size).min(self.total);
        start..end
    }
}

/// One request, parsed: what the server will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Index,
    Delay { ms: u64 },
    Pages(PagesQuery),
    Flaky { key: String, fail: u64 },
    Limited { max: u64, ms: u64 },
    Status { code: u16 },
    Stream { chunks: u64, ms: u64 },
    Work { style: Style, ms: u64 },
}

impl Target {
    /// Parses a path with its query (`/delay/100`, `/pages?page=2&size=10`) the way the server
    /// routes and checks it.
    pub fn parse(path_and_query: &str) -> Result<Target, Bad> {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        // One leading slash: `//delay/1` is no endpoint (trimming every slash once made it
        // one here while the router, which does not, answered it with a 405).
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        match segments.as_slice() {
            [""] => no_query(query).map(|()| Target::Index),
            ["delay", ms] => delay(ms, query).map(|ms| Target::Delay { ms }),
            ["pages"] => pages(query).map(Target::Pages),
            ["flaky", key] => flaky(key, query).map(|(key, fail)| Target::Flaky { key, fail }),
            ["limited"] => limited(query).map(|(max, ms)| Target::Limited { max, ms }),
            ["status", code] => status(code, query).map(|code| Target::Status { code }),
            ["stream"] => stream(query).map(|(chunks, ms)| Target::Stream { chunks, ms }),
            ["work", style] => {
                let style = work_style(style)?;
                work(style, query).map(|ms| Target::Work { style, ms })
            }
            _ => Err(Bad {
                status: 404,
                message: format!("no endpoint at {path}; GET / lists them"),
            }),
        }
    }

    /// The time the server spends on the request by design (its sleeps), in ms.
    pub fn server_ms(&self) -> u64 {
        match self {
            Target::Delay { ms } | Target::Limited { ms, .. } | Target::Work { ms, .. } => *ms,
            Target::Pages(p) => p.delay_ms,
            Target::Stream { chunks, ms } => chunks * ms,
            Target::Index | Target::Flaky { .. } | Target::Status { .. } => 0,
        }
    }
}

/// `key=value` pairs of a query string; each key at most once, and only the keys allowed.
struct Query<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Query<'a> {
    fn parse(raw: Option<&'a str>, allowed: &[&str]) -> Result<Query<'a>, Bad> {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            if !allowed.contains(&key) {
                let takes = if allowed.is_empty() {
                    "no parameters".to_string()
                } else {
                    allowed.join(", ")
                };
                return Err(Bad::request(format!(
                    "unknown parameter `{}` (this endpoint takes {takes})",
                    shorten(key)
                )));
            }
            if pairs.iter().any(|(k, _)| *k == key) {
                return Err(Bad::request(format!("parameter `{key}` is given twice")));
            }
            pairs.push((key, value));
        }
        Ok(Query { pairs })
    }

    fn num(&self, key: &str, default: u64, range: RangeInclusive<u64>) -> Result<u64, Bad> {
        match self.pairs.iter().find(|(k, _)| *k == key) {
            None => Ok(default),
            Some((_, v)) => number(key, v, range),
        }
    }
}

/// A whole number within `range`, or a one-line reason.
pub fn number(key: &str, value: &str, range: RangeInclusive<u64>) -> Result<u64, Bad> {
    let n: u64 = value.parse().map_err(|_| {
        Bad::request(format!(
            "{key}: `{}` is not a whole number from {} to {}",
            shorten(value),
            range.start(),
            range.end()
        ))
    })?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(Bad::request(format!(
            "{key} = {n} is out of range: {} to {} (the server caps every number)",
            range.start(),
            range.end()
        )))
    }
}

/// At most 40 characters of what the client sent, for messages.
fn shorten(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A query with no parameter at all (`/`, `/delay/{ms}`), or the 400 naming the first.
pub fn no_query(query: Option<&str>) -> Result<(), Bad> {
    Query::parse(query, &[]).map(|_| ())
}

/// `/delay/{ms}`.
pub fn delay(ms: &str, query: Option<&str>) -> Result<u64, Bad> {
    no_query(query)?;
    number("ms", ms, 0..=MAX_MS)
}

/// `/pages?page=&size=&delay=&total=`.
pub fn pages(query: Option<&str>) -> Result<PagesQuery, Bad> {
    let q = Query::parse(query, &["page", "size", "delay", "total"])?;
    Ok(PagesQuery {
        page: q.num("page", 0, 0..=MAX_TOTAL)?,
        size: q.num("size", 10, 1..=MAX_PAGE_SIZE)?,
        delay_ms: q.num("delay", 0, 0..=MAX_MS)?,
        total: q.num("total", 50, 0..=MAX_TOTAL)?,
    })
}

/// `/flaky/{key}?fail=K`.
pub fn flaky(key: &str, query: Option<&str>) -> Result<(String, u64), Bad> {
    let q = Query::parse(query, &["fail"])?;
    let ok = !key.is_empty()
        && key.len() <= MAX_KEY
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        return Err(Bad::request(format!(
            "key `{}` must be 1 to {MAX_KEY} letters, digits, `_`, `-` or `.`",
            shorten(key)
        )));
    }
    Ok((key.to_string(), q.num("fail", 1, 0..=MAX_FAIL)?))
}

/// `/limited?max=N&ms=`.
pub fn limited(query: Option<&str>) -> Result<(u64, u64), Bad> {
    let q = Query::parse(query, &["max", "ms"])?;
    Ok((
        q.num("max", 2, 1..=MAX_LIMIT)?,
        q.num("ms", 100, 0..=MAX_MS)?,
    ))
}

/// `/status/{code}`: a final status (informational 1xx codes cannot end a response).
pub fn status(code: &str, query: Option<&str>) -> Result<u16, Bad> {
    no_query(query)?;
    number("code", code, 200..=599).map(|c| c as u16)
}

/// `/stream?chunks=&ms=`: `chunks` pieces, one every `ms`, at most [`MAX_MS`] in all.
pub fn stream(query: Option<&str>) -> Result<(u64, u64), Bad> {
    let q = Query::parse(query, &["chunks", "ms"])?;
    let chunks = q.num("chunks", 5, 1..=MAX_CHUNKS)?;
    let ms = q.num("ms", 100, 0..=MAX_MS)?;
    if chunks * ms > MAX_MS {
        return Err(Bad::request(format!(
            "chunks x ms = {} ms is over the {MAX_MS} ms cap",
            chunks * ms
        )));
    }
    Ok((chunks, ms))
}

/// The `{style}` of `/work/{style}`.
pub fn work_style(style: &str) -> Result<Style, Bad> {
    match style {
        "async" => Ok(Style::Async),
        "blocking" => Ok(Style::Blocking),
        "offload" => Ok(Style::Offload),
        other => Err(Bad {
            status: 404,
            message: format!(
                "no handler style `{}`: use /work/async, /work/blocking or /work/offload",
                shorten(other)
            ),
        }),
    }
}

/// `/work/{style}?ms=`.
pub fn work(style: Style, query: Option<&str>) -> Result<u64, Bad> {
    let q = Query::parse(query, &["ms"])?;
    let max = match style {
        Style::Blocking => MAX_BLOCKING_MS,
        Style::Async | Style::Offload => MAX_MS,
    };
    q.num("ms", 100, 0..=max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_defaults_and_bounds() {
        assert_eq!(Target::parse("/delay/250"), Ok(Target::Delay { ms: 250 }));
        assert_eq!(
            Target::parse("/pages?page=1&size=3"),
            Ok(Target::Pages(PagesQuery {
                page: 1,
                size: 3,
                delay_ms: 0,
                total: 50
            }))
        );
        assert_eq!(
            Target::parse("/work/offload?ms=5"),
            Ok(Target::Work {
                style: Style::Offload,
                ms: 5
            })
        );
        assert_eq!(
            Target::parse("/stream?chunks=4&ms=10").unwrap().server_ms(),
            40
        );
        for bad in [
            "/delay/abc",
            "/delay/60001",
            "/delay/5?x=1",
            "/pages?size=0",
            "/pages?page=1&page=2",
            "/flaky/a b",
            "/status/99",
            "/stream?chunks=1000&ms=1000",
            "/work/blocking?ms=10001",
            "/limited?max=0",
        ] {
            let e = Target::parse(bad).unwrap_err();
            assert_eq!(e.status, 400, "{bad}: {e}");
            assert!(!e.message.contains('\n'), "{bad}: {e}");
        }
        assert_eq!(Target::parse("/nope").unwrap_err().status, 404);
        assert_eq!(Target::parse("/work/fast").unwrap_err().status, 404);
    }

    #[test]
    fn pages_end_with_an_empty_page() {
        let p = |page| PagesQuery {
            page,
            size: 4,
            delay_ms: 0,
            total: 10,
        };
        assert_eq!(p(0).ids(), 0..4);
        assert_eq!(p(2).ids(), 8..10);
        assert!(p(3).ids().is_empty());
        assert!(p(u64::MAX).ids().is_empty());
    }
}
