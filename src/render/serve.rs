//! What `asyncwork serve` prints: the banner (address, every endpoint with a curl example) and
//! one line per request.

use std::net::SocketAddr;

use console::Style;

use crate::io::server::{ENDPOINTS, RequestLog};
use crate::text::fmt_ms;

/// The address, then every endpoint with what it does and a curl line to try it.
pub fn banner(addr: SocketAddr) -> String {
    let base = format!("http://{addr}");
    let mut out = format!(
        "{} {}\n{}\n\n",
        Style::new().bold().apply_to("asyncwork demo server on"),
        Style::new().bold().cyan().apply_to(&base),
        Style::new().dim().apply_to(
            "One thread serves every request (a single-threaded tokio runtime), like one \
             uvicorn worker. Loopback only. Ctrl-C stops it."
        )
    );
    for e in ENDPOINTS {
        out.push_str(&format!(
            "  {}  {}\n      {}\n",
            Style::new().bold().apply_to(e.route),
            e.about,
            Style::new()
                .dim()
                .apply_to(format!("curl -s {base}{}", shell_quoted(e.example)))
        ));
    }
    out.push_str(&format!(
        "\n{}\n",
        Style::new()
            .bold()
            .apply_to("Requests (connection, client, request, status, time):")
    ));
    out
}

/// `'...'` around a path with `?` or `&`, which the shell would otherwise interpret.
fn shell_quoted(path: &str) -> String {
    if path.contains(['?', '&']) {
        format!("'{path}'")
    } else {
        path.to_string()
    }
}

/// `  #3 127.0.0.1:50312  GET /delay/100  200  100.4 ms`.
pub fn log_line(r: &RequestLog) -> String {
    let status = match r.status {
        200..=299 => Style::new().green(),
        400..=499 => Style::new().yellow(),
        _ => Style::new().red(),
    };
    // What the client sent is printed as data: no control characters reach the terminal.
    let target: String = r
        .target
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!(
        "  #{:<3} {:<21} {} {}  {}  {}\n",
        r.connection,
        r.peer.to_string(),
        r.method,
        target,
        status.apply_to(r.status),
        fmt_ms(r.elapsed.as_secs_f64() * 1000.0)
    )
}
