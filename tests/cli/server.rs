//! The loopback demo server: every endpoint, bad input, a port in use, graceful shutdown and
//! `asyncwork serve` itself. Everything on 127.0.0.1, ephemeral ports, durations of tens of ms.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::time::{Duration, Instant};

use asyncwork::io::params::Target;
use asyncwork::io::server::{CONNECTION_HEADER, ENDPOINTS, Options, Server, StartError};

fn start() -> Server {
    Server::start(Options::default()).expect("start the demo server")
}

async fn get(client: &reqwest::Client, server: &Server, path: &str) -> (u16, String) {
    let res = client.get(server.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[test]
fn every_documented_example_is_a_valid_request() {
    for e in ENDPOINTS {
        assert!(Target::parse(e.example).is_ok(), "{}", e.example);
    }
}

#[tokio::test]
async fn index_delay_and_status() {
    let server = start();
    let c = client();
    let (code, index) = get(&c, &server, "/").await;
    assert_eq!(code, 200);
    for e in ENDPOINTS {
        assert!(index.contains(e.route), "{index}");
    }
    let t = Instant::now();
    let (code, body) = get(&c, &server, "/delay/30").await;
    assert_eq!((code, body.trim()), (200, r#"{"slept_ms":30}"#));
    assert!(t.elapsed() >= Duration::from_millis(30));
    assert_eq!(get(&c, &server, "/status/418").await.0, 418);
    assert_eq!(
        get(&c, &server, "/status/503").await,
        (503, "status 503\n".into())
    );
    assert_eq!(get(&c, &server, "/status/204").await, (204, String::new()));
}

/// Issue 23: `GET //delay/1` was "405 GET is not allowed here: use GET", and `GET /?x=1` a 200
/// although unknown parameters are refused everywhere else.
#[tokio::test]
async fn a_doubled_slash_is_no_endpoint_and_the_index_takes_no_parameters() {
    let server = start();
    let c = client();
    let (code, body) = get(&c, &server, "//delay/1").await;
    assert_eq!(code, 404, "{body}");
    assert!(body.contains("no endpoint at //delay/1"), "{body}");
    assert!(Target::parse("//delay/1").is_err());
    let (code, body) = get(&c, &server, "/?x=1").await;
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("unknown parameter `x`"), "{body}");
}

#[tokio::test]
async fn pages_end_with_an_empty_page() {
    let server = start();
    let c = client();
    let mut sizes = Vec::new();
    for page in 0..4 {
        let (code, body) = get(&c, &server, &format!("/pages?page={page}&size=4&total=10")).await;
        assert_eq!(code, 200);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        sizes.push(v["items"].as_array().unwrap().len());
        if page == 0 {
            assert_eq!(v["items"][0]["id"], 0);
            assert_eq!(v["next"], 1);
        }
    }
    assert_eq!(sizes, [4, 4, 2, 0]);
}

#[tokio::test]
async fn flaky_fails_the_first_k_attempts_per_key() {
    let server = start();
    let c = client();
    // One at a time: the order of attempts matters.
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(get(&c, &server, "/flaky/a?fail=2").await.0);
    }
    assert_eq!(seen, [503, 503, 200]);
    // Another key has its own count.
    assert_eq!(get(&c, &server, "/flaky/b?fail=1").await.0, 503);
    assert_eq!(get(&c, &server, "/flaky/b?fail=1").await.0, 200);
}

#[tokio::test]
async fn limited_answers_429_above_max_in_flight() {
    let server = start();
    let c = client();
    let calls = (0..4).map(|_| get(&c, &server, "/limited?max=2&ms=300"));
    let mut codes: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, [200, 200, 429, 429]);
    // Once they are done, there is room again.
    assert_eq!(get(&c, &server, "/limited?max=2&ms=0").await.0, 200);
}

#[tokio::test]
async fn stream_sends_chunks_as_they_are_produced() {
    let server = start();
    let c = client();
    let t = Instant::now();
    let mut res = c
        .get(server.url("/stream?chunks=3&ms=80"))
        .send()
        .await
        .unwrap();
    let mut arrivals = Vec::new();
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await.unwrap() {
        arrivals.push(t.elapsed());
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with(r#"{"chunk":0}"#), "{text}");
    // The first chunk came well before the last was produced.
    assert!(arrivals.len() >= 2, "{arrivals:?}");
    assert!(
        arrivals[0] + Duration::from_millis(100) < t.elapsed(),
        "{arrivals:?}"
    );
}

/// `n` concurrent requests to `path`, each on its own connection: the total wall time.
async fn concurrently(server: &Server, path: &str, n: usize) -> Duration {
    let t = Instant::now();
    let calls = (0..n).map(|_| async {
        let (code, _) = get(&client(), server, path).await;
        assert_eq!(code, 200, "{path}");
    });
    futures::future::join_all(calls).await;
    t.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_handler_serialises_a_single_threaded_server() {
    let server = start();
    let blocking = concurrently(&server, "/work/blocking?ms=100", 5).await;
    let waiting = concurrently(&server, "/work/async?ms=100", 5).await;
    let offloaded = concurrently(&server, "/work/offload?ms=100", 5).await;
    assert!(blocking >= Duration::from_millis(500), "{blocking:?}");
    assert!(waiting < Duration::from_millis(450), "{waiting:?}");
    assert!(offloaded < Duration::from_millis(450), "{offloaded:?}");
}

#[tokio::test]
async fn each_response_names_its_connection() {
    let server = start();
    let shared = client();
    let conn = |res: &reqwest::Response| -> u64 {
        res.headers()[CONNECTION_HEADER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let a = shared.get(server.url("/delay/0")).send().await.unwrap();
    let first = conn(&a);
    a.bytes().await.unwrap();
    let b = shared.get(server.url("/delay/0")).send().await.unwrap();
    assert_eq!(conn(&b), first, "a shared client reuses its connection");
    let c = client().get(server.url("/delay/0")).send().await.unwrap();
    assert_ne!(conn(&c), first, "a new client opens a new connection");
    assert!(server.connections() >= 2);
}

#[tokio::test]
async fn malformed_requests_get_a_4xx_with_one_line() {
    let server = start();
    let c = client();
    for (path, code, needle) in [
        ("/delay/abc", 400, "ms: `abc` is not a whole number"),
        ("/delay/9999999", 400, "out of range"),
        ("/delay/", 400, "ms"),
        ("/pages?size=x", 400, "size"),
        ("/pages?sise=3", 400, "unknown parameter `sise`"),
        ("/pages?page=1&page=2", 400, "twice"),
        ("/flaky/a%20b", 400, "key"),
        ("/limited?max=0", 400, "max"),
        ("/status/42", 400, "code"),
        ("/stream?chunks=1000&ms=1000", 400, "cap"),
        ("/work/blocking?ms=60000", 400, "10000"),
        ("/work/sideways", 404, "handler style"),
        ("/nowhere", 404, "no endpoint"),
    ] {
        let (got, body) = get(&c, &server, path).await;
        assert_eq!(got, code, "{path}: {body}");
        assert!(body.contains(needle), "{path}: {body}");
        assert_eq!(body.trim_end().lines().count(), 1, "{path}: {body}");
    }
    let post = c.post(server.url("/delay/1")).send().await.unwrap();
    assert_eq!(post.status().as_u16(), 405);

    // Bytes that are not HTTP at all: the server answers 400 and goes on serving.
    let mut raw = std::net::TcpStream::connect(server.addr()).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    raw.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    let mut reply = String::new();
    let _ = raw.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply:?}");
    assert_eq!(get(&c, &server, "/delay/0").await.0, 200);
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    match Server::start(Options {
        port,
        ..Options::default()
    }) {
        Err(StartError::PortInUse(p)) => assert_eq!(p, port),
        other => panic!("expected PortInUse, got {other:?}"),
    }
    let out = std::process::Command::new(crate::common::bin())
        .args(["serve", "--port", &port.to_string()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[tokio::test]
async fn stopping_lets_requests_in_flight_finish() {
    let server = start();
    let url = server.url("/delay/200");
    let request = tokio::spawn(async move { client().get(url).send().await.map(|r| r.status()) });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let addr = server.addr();
    let stopped = tokio::task::spawn_blocking(move || server.stop(Duration::from_secs(5)));
    assert_eq!(request.await.unwrap().unwrap().as_u16(), 200);
    assert!(stopped.await.unwrap(), "the server did not stop");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still listening"
    );
}

#[test]
fn serve_prints_endpoints_logs_requests_and_stops_on_ctrl_c() {
    let mut child = std::process::Command::new(crate::common::bin())
        .args(["serve", "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let addr = first
        .trim()
        .strip_prefix("asyncwork demo server on http://")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_string();
    let mut banner = String::new();
    while !banner.contains("Requests") {
        out.read_line(&mut banner).unwrap();
    }
    for e in ENDPOINTS {
        assert!(banner.contains(e.route), "{banner}");
        assert!(
            banner.contains(&format!("curl -s http://{addr}")),
            "{banner}"
        );
    }
    let mut raw = std::net::TcpStream::connect(&addr).unwrap();
    raw.write_all(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    raw.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let mut log = String::new();
    out.read_line(&mut log).unwrap();
    assert!(log.contains("GET /delay/0") && log.contains("200"), "{log}");

    // Ctrl-C: SIGINT to the process, as a terminal sends it.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(rest.contains("stopped"), "{rest}");
}

/// Issue 23: the log queue grew about 175 B a request while stdout was not read. Bounded now:
/// past its size a line is dropped and counted.
#[tokio::test]
async fn a_full_log_queue_drops_lines_and_counts_them() {
    let (log, mut lines) = tokio::sync::mpsc::channel(2);
    let server = Server::start(Options {
        port: 0,
        log: Some(log),
        ..Options::default()
    })
    .unwrap();
    let c = client();
    for _ in 0..5 {
        assert_eq!(get(&c, &server, "/status/200").await.0, 200);
    }
    assert_eq!(server.dropped_logs(), 3);
    assert_eq!(lines.recv().await.unwrap().status, 200);
    assert_eq!(lines.recv().await.unwrap().status, 200);
    assert!(lines.try_recv().is_err());
}

fn start_with_idle(ms: u64) -> Server {
    Server::start(Options {
        idle_timeout: Some(Duration::from_millis(ms)),
        ..Options::default()
    })
    .unwrap()
}

/// Reads until the server closes the connection; how long that took, and what was read.
fn read_to_close(stream: &mut std::net::TcpStream) -> (Duration, String) {
    use std::io::Read;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let t = std::time::Instant::now();
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => all.extend_from_slice(&buf[..n]),
        }
    }
    (t.elapsed(), String::from_utf8_lossy(&all).into_owned())
}

/// Issue 23: a connection that sends nothing, half a request head, or nothing more after its
/// response is closed after the idle timeout (uvicorn closes idle keep-alive connections after
/// 5 s), so silent connections cannot take every file descriptor; a slow response is not cut.
#[test]
fn silent_slow_and_idle_connections_are_closed_after_the_idle_timeout() {
    use std::io::Write;
    let server = start_with_idle(300);
    let addr = server.addr();

    let mut silent = std::net::TcpStream::connect(addr).unwrap();
    let (after, _) = read_to_close(&mut silent);
    assert!(
        after < Duration::from_secs(3),
        "silent: closed after {after:?}"
    );

    let mut half = std::net::TcpStream::connect(addr).unwrap();
    half.write_all(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let (after, _) = read_to_close(&mut half);
    assert!(
        after < Duration::from_secs(3),
        "half a head: closed after {after:?}"
    );

    // A whole request is answered; then the idle keep-alive connection is closed.
    let mut idle = std::net::TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /delay/0 HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let (after, answer) = read_to_close(&mut idle);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        after < Duration::from_secs(3),
        "idle: closed after {after:?}"
    );

    // A response slower than the idle timeout still arrives whole: the timeout is for the
    // client's silence, not the server's work.
    let mut slow = std::net::TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET /delay/1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (after, answer) = read_to_close(&mut slow);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(after >= Duration::from_millis(1000), "{after:?}");
}

/// Issue 23: 300 connections that never send a request do not keep the server from answering
/// once they time out, and it answers meanwhile too (they cost a task each, not the thread).
#[tokio::test]
async fn hundreds_of_silent_connections_do_not_stop_the_server() {
    let server = start_with_idle(300);
    let silent: Vec<std::net::TcpStream> = (0..300)
        .filter_map(|_| std::net::TcpStream::connect(server.addr()).ok())
        .collect();
    assert!(silent.len() >= 250, "{} connected", silent.len());
    let c = client();
    let (status, _) = get(&c, &server, "/delay/0").await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (status, _) = get(&c, &server, "/delay/0").await;
    assert_eq!(status, 200);
    drop(silent);
}
