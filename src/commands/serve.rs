//! `asyncwork serve [--port N]`: the loopback demo server, standalone, for experiments with curl
//! or your own client code. The same server the HTTP demos start for each run
//! (`crate::io::server`); here it prints its endpoints and a line per request until Ctrl-C
//! (or SIGTERM, SIGHUP), which stops it at once even while nobody reads what it prints.

use std::time::Duration;

use super::term_guard::{self, Takeover};
use super::{Exit, Global};
use crate::io::server::{Options, Server, StartError};
use crate::render::{emit, serve};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0: any free port)
    #[arg(long, value_name = "N", default_value_t = 8000)]
    pub port: u16,
}

pub fn run(_g: &Global, args: &Args) -> anyhow::Result<Exit> {
    // Taken over before anything is printed: a write to a stdout nobody reads blocks, and the
    // stop must not wait behind it.
    let stop = Takeover::new(&term_guard::STOPPING);
    // Bounded: when stdout is not read the server drops log lines (and counts them) rather
    // than keep every one in memory.
    let (log, mut requests) = tokio::sync::mpsc::channel(crate::io::server::LOG_QUEUE);
    let server = match Server::start(Options {
        port: args.port,
        log: Some(log),
        ..Options::default()
    }) {
        Ok(server) => server,
        Err(StartError::PortInUse(port)) => anyhow::bail!(
            "port {port} is already in use (another server?): choose one with --port N, or \
             --port 0 for any free port"
        ),
        Err(e) => return Err(e.into()),
    };
    // The printing has a thread of its own, which may block on a full pipe for as long as
    // nobody reads; this one only waits for the signal, so Ctrl-C (or SIGTERM, SIGHUP) stops
    // the server at once either way.
    let banner = serve::banner(server.addr());
    let dropped = server.dropped_counter();
    std::thread::spawn(move || {
        emit(&banner);
        let mut reported = 0;
        while let Some(r) = requests.blocking_recv() {
            let now = dropped.load(std::sync::atomic::Ordering::Relaxed);
            if now > reported {
                emit(&format!(
                    "({} log lines dropped: the output was not read)\n",
                    now - reported
                ));
                reported = now;
            }
            emit(&serve::log_line(&r));
        }
    });
    let _ = stop.wait();
    say("\nstopping: requests in flight may finish (at most 5 s)\n");
    let closing = if server.stop(Duration::from_secs(5)) {
        "stopped\n"
    } else {
        "stopped without waiting for the last requests\n"
    };
    say(closing);
    Ok(Exit::Success)
}

/// Print `text` unless stdout is blocked (a pipe nobody reads, or the printer thread stuck on
/// one): the write gets a moment on a thread of its own, and is given up after it. The process
/// ends soon after, whatever that thread is doing.
fn say(text: &'static str) {
    let (done, written) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        emit(text);
        let _ = done.send(());
    });
    let _ = written.recv_timeout(Duration::from_millis(200));
}
