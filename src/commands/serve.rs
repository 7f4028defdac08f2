//! `asyncwork serve [--port N]`: the loopback demo server, standalone, for experiments with curl
//! or your own client code. The same server the HTTP demos start for each run
//! (`crate::io::server`); here it prints its endpoints and a line per request until Ctrl-C.

use std::time::Duration;

use anyhow::Context as _;

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
    emit(&serve::banner(server.addr()));
    // This thread only prints: the server runs on its own thread and runtime.
    let printer = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start a runtime to wait for Ctrl-C")?;
    printer.block_on(async {
        // One listener for the whole loop, so a Ctrl-C between two requests is not missed.
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        let mut reported = 0;
        loop {
            tokio::select! {
                _ = &mut ctrl_c => break,
                request = requests.recv() => match request {
                    Some(r) => {
                        let dropped = server.dropped_logs();
                        if dropped > reported {
                            emit(&format!(
                                "({} log lines dropped: the output was not read)\n",
                                dropped - reported
                            ));
                            reported = dropped;
                        }
                        emit(&serve::log_line(&r));
                    }
                    None => break,
                },
            }
        }
    });
    emit("\nstopping: requests in flight may finish (at most 5 s)\n");
    if server.stop(Duration::from_secs(5)) {
        emit("stopped\n");
    } else {
        emit("stopped without waiting for the last requests\n");
    }
    Ok(Exit::Success)
}
