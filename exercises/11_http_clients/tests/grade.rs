//! Grading tests for 11_http_clients. The first part runs on the paused clock against the
//! simulated service: connecting takes 100 ms, a request 50 ms. The last part (`real_*`) uses
//! reqwest against a real HTTP server on 127.0.0.1 (`support::loopback`), on the real clock.

use support::grade::watched;
use std::time::Duration;

use ex11_http_clients::{fetch_all, get_with_retry, Fetcher, RetryPolicy};
use support::ServiceError;
use support::grade::{expect_peak, expect_real_time_at_most, expect_simulated, expect_simulated_exactly, measure};
use support::http::HttpService;
use support::loopback::LoopbackServer;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn policy(max_attempts: u32, base_delay_ms: u64) -> RetryPolicy {
    RetryPolicy { max_attempts, base_delay: ms(base_delay_ms), per_attempt_timeout: ms(1000) }
}

/// When each attempt starts, for a route that fails its first attempts
/// (each request takes 50 ms): attempt 1 at 0; after each failure, wait
/// base, 2 x base, 4 x base...
fn expected_offsets(attempts: usize, base_ms: u64) -> Vec<u128> {
    let mut offsets = vec![0u128];
    let mut delay = base_ms as u128;
    while offsets.len() < attempts {
        let last = *offsets.last().unwrap();
        offsets.push(last + 50 + delay);
        delay *= 2;
    }
    offsets
}

const PATHS: [&str; 5] = ["/a", "/b", "/c", "/d", "/e"];

fn service() -> HttpService {
    PATHS.iter().fold(HttpService::new(), |svc, p| svc.route(p))
}

#[tokio::test(start_paused = true)]
async fn fetch_all_reuses_one_client() {
    watched(async {
        let svc = service();
        let _ = fetch_all(&svc, &PATHS).await;
        let clients = svc.clients_created();
        assert!(clients == 1, "{clients} clients were created for 5 requests; connect once and reuse the client");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn fetch_all_runs_the_requests_concurrently() {
    watched(async {
        let svc = service();
        let run = measure(fetch_all(&svc, &PATHS)).await;
        assert!(run.output.iter().all(|r| r.is_ok()), "every request should succeed: {:?}", run.output);
        expect_simulated(run.simulated, 150, "connect once (100 ms), then send the five requests concurrently (50 ms)");
        let peak = svc.peak_in_flight();
        expect_peak(peak, 5, "requests", "send all five together");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn fetch_all_keeps_order_and_every_outcome() {
    watched(async {
        let svc = service();
        let results = fetch_all(&svc, &["/c", "/missing", "/a"]).await;
        let summary: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(resp) => resp.path.clone(),
                Err(e) => format!("error: {e}"),
            })
            .collect();
        assert!(
            summary == ["/c", "error: not found: /missing", "/a"],
            "expected [/c, not found, /a] in that order, got {summary:?}"
        );
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn a_first_success_needs_no_retry() {
    watched(async {
        let svc = service();
        let client = svc.connect().await;
        let run = measure(get_with_retry(&client, "/a", &policy(3, 100))).await;
        assert!(run.output.is_ok(), "the request should succeed, got {:?}", run.output);
        assert!(svc.attempts("/a") == 1, "one attempt is enough when it succeeds, made {}", svc.attempts("/a"));
        expect_simulated(run.simulated, 50, "return the first success at once");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn retries_back_off_exponentially_until_success() {
    watched(async {
        // Two routes, two policies: the waits must come from the policy.
        for (fail_first, base) in [(2usize, 70u64), (3, 130)] {
            let svc = HttpService::new().flaky_route("/flaky", fail_first);
            let client = svc.connect().await;
            let run = measure(get_with_retry(&client, "/flaky", &policy(5, base))).await;
            assert!(
                run.output.is_ok(),
                "attempt {} succeeds, so the result should be Ok; got {:?}",
                fail_first + 1,
                run.output
            );
            let attempts = svc.attempts("/flaky");
            assert!(
                attempts == fail_first + 1,
                "expected {} attempts ({fail_first} failures, then success), made {attempts}",
                fail_first + 1
            );
            let offsets: Vec<u128> = svc.attempt_offsets("/flaky").iter().map(|d| d.as_millis()).collect();
            let expected = expected_offsets(fail_first + 1, base);
            assert!(
                offsets == expected,
                "attempts started at {offsets:?} ms; expected {expected:?} with base_delay {base} ms: wait \
                 base_delay after the first failure, then double it each time"
            );
        }
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn retries_give_up_after_max_attempts_with_the_last_error() {
    watched(async {
        let svc = HttpService::new().flaky_route("/down", 100);
        let client = svc.connect().await;
        let run = measure(get_with_retry(&client, "/down", &policy(3, 60))).await;
        assert!(
            matches!(&run.output, Err(ServiceError::Unavailable(m)) if m.contains("attempt 3")),
            "after 3 failed attempts, return the last error; got {:?}",
            run.output
        );
        let attempts = svc.attempts("/down");
        assert!(attempts == 3, "max_attempts is 3 but {attempts} attempts were made");
        // 50 + 60 + 50 + 120 + 50; no wait after the last attempt
        expect_simulated_exactly(run.simulated, 330, "back off 60 then 120 ms (base_delay 60), and do not wait after the last attempt,");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn not_found_is_not_retried() {
    watched(async {
        let svc = HttpService::new();
        let client = svc.connect().await;
        let result = get_with_retry(&client, "/nope", &policy(4, 100)).await;
        assert!(matches!(result, Err(ServiceError::NotFound(_))), "expected NotFound, got {result:?}");
        let attempts = svc.attempts("/nope");
        assert!(attempts == 1, "a 404 will not get better: retry only transient errors; made {attempts} attempts");
    })
    .await
}

#[tokio::test(start_paused = true)]
async fn each_attempt_has_its_own_timeout() {
    watched(async {
        let svc = HttpService::new().slow_route("/slow", Duration::from_secs(5));
        let client = svc.connect().await;
        let policy = RetryPolicy { max_attempts: 2, base_delay: ms(40), per_attempt_timeout: ms(200) };
        let run = measure(get_with_retry(&client, "/slow", &policy)).await;
        assert!(run.output == Err(ServiceError::Timeout), "both attempts should time out; got {:?}", run.output);
        let attempts = svc.attempts("/slow");
        assert!(attempts == 2, "a timed-out attempt should be retried; made {attempts} attempts");
        // 200 (timeout) + 40 (backoff) + 200 (timeout)
        expect_simulated(run.simulated, 440, "limit each attempt with tokio::time::timeout(per_attempt_timeout, ..)");
    })
    .await
}

// ----- the real part: reqwest against a loopback server, on the real clock ---

/// Requests per batch, and how long the server takes to answer each.
const N: usize = 8;
const SERVER_DELAY: Duration = Duration::from_millis(150);

fn start_server() -> LoopbackServer {
    LoopbackServer::start(SERVER_DELAY).expect("start the test's HTTP server on 127.0.0.1")
}

fn item_paths(batch: &str) -> Vec<String> {
    (1..=N).map(|i| format!("/items/{batch}-{i}")).collect()
}

/// Each answer should be the server's, for that URL, in order: the bodies carry a token made up
/// for this run.
fn check_bodies(server: &LoopbackServer, paths: &[String], results: &[Result<String, reqwest::Error>]) {
    assert!(results.len() == paths.len(), "{} URLs should give {} results, got {}", paths.len(), paths.len(), results.len());
    for (path, result) in paths.iter().zip(results) {
        let expected = server.body_for(path);
        assert!(
            matches!(result, Ok(body) if *body == expected),
            "the answer for {path} should be {expected:?} (what the server sent), got {result:?}; keep the \
             results in the order of the URLs"
        );
    }
}

#[tokio::test]
async fn real_fetch_all_sends_the_requests_together() {
    let server = start_server();
    let paths = item_paths("a");
    let urls: Vec<String> = paths.iter().map(|p| server.url(p)).collect();
    watched(async {
        let fetcher = Fetcher::new();
        let run = measure(fetcher.fetch_all(&urls)).await;
        check_bodies(&server, &paths, &run.output);
        expect_real_time_at_most(
            run.wall,
            600,
            "the server takes 150 ms per answer and 8 answers one after another take 1200 ms: send \
             the requests together (join_all over the get_text futures)",
        );
        // All 8 when sent together; a little room for a machine so busy that the last ones
        // arrive after the first answers left. One after another is 1.
        let peak = server.peak_in_flight();
        assert!(
            peak * 2 > N,
            "only {peak} of the {N} requests were at the server at once; send all {N} together"
        );
    })
    .await
}

#[tokio::test]
async fn real_fetch_all_reuses_one_client() {
    let server = start_server();
    let (first, second) = (item_paths("first"), item_paths("second"));
    watched(async {
        let fetcher = Fetcher::new();
        let urls: Vec<String> = first.iter().map(|p| server.url(p)).collect();
        check_bodies(&server, &first, &fetcher.fetch_all(&urls).await);
        // Let the first batch's connections go back to the pool.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let urls: Vec<String> = second.iter().map(|p| server.url(p)).collect();
        check_bodies(&server, &second, &fetcher.fetch_all(&urls).await);
        let opened = server.connections_opened();
        assert!(
            opened < 2 * N,
            "{opened} TCP connections were opened for two batches of {N} requests: a new client (a \
             new connection pool) each time. Build ONE reqwest::Client in Fetcher::new, keep it in \
             the struct and use it for every request: the second batch then reuses the first \
             batch's connections"
        );
    })
    .await
}

#[tokio::test]
async fn real_fetch_all_keeps_order_and_every_outcome() {
    let server = start_server();
    let urls = [server.url("/items/x"), server.url("/missing"), server.url("/items/y")];
    watched(async {
        let results = Fetcher::new().fetch_all(&urls).await;
        assert!(results.len() == 3, "3 URLs should give 3 results, got {}", results.len());
        let summary: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(body) => body.clone(),
                Err(e) => format!("error {}", e.status().map_or(0, |s| s.as_u16())),
            })
            .collect();
        let expected = [server.body_for("/items/x"), "error 404".to_string(), server.body_for("/items/y")];
        assert!(
            summary == expected,
            "expected {expected:?} in that order (the 404 kept as an error in its place), got {summary:?}"
        );
    })
    .await
}
