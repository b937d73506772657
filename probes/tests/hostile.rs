//! The shared HTTP client against hostile and broken servers this test starts on 127.0.0.1 (never the internet): an
//! endless body, a redirect loop, a 50 MB page, a gzip bomb, invalid UTF-8 and GBK, a connection reset mid-body, a
//! server that never answers, robots.txt, and internal addresses. Each ends in a recorded outcome within bounded
//! time and memory.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use pucha_probes::{Blocked, Failure, FetchConfig, Fetcher, Outcome};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_secs(2);
const CAP: usize = 1 << 20;

fn gzip_bomb() -> Vec<u8> {
    // 200 MB of zeros compress to a few hundred KB; built once for all tests.
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(build_bomb).clone()
}

fn build_bomb() -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..200 {
        enc.write_all(&zeros).unwrap();
    }
    enc.finish().unwrap()
}

async fn respond(mut s: TcpStream, bomb: Arc<Vec<u8>>) {
    let mut buf = vec![0u8; 8192];
    let mut got = Vec::new();
    loop {
        let Ok(n) = s.read(&mut buf).await else { return };
        if n == 0 {
            return;
        }
        got.extend_from_slice(&buf[..n]);
        if got.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&got);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let send = |status: &str, headers: &str, body: &[u8]| {
        let mut r = format!(
            "HTTP/1.1 {status}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r
    };
    let gbk = encoding_rs::GBK
        .encode("<li><a href=\"a.html\">通知公告</a> 2015年6月1日</li>")
        .0
        .into_owned();
    let out = match path.as_str() {
        "/robots.txt" => send(
            "200 OK",
            "Content-Type: text/plain\r\n",
            b"User-agent: *\nDisallow: /private\n",
        ),
        "/ok" => send(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            "<li><a href=\"/x\">工作动态</a> 2015-06-01</li>".as_bytes(),
        ),
        "/gbk" => send("200 OK", "Content-Type: text/html; charset=gbk\r\n", &gbk),
        "/gbk-undeclared" => send("200 OK", "Content-Type: text/html\r\n", &gbk),
        "/bad-utf8" => send(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            &[b'<', b'p', b'>', 0xff, 0xfe, 0xc3, b'<'],
        ),
        "/private/page" => send("200 OK", "", b"secret"),
        "/loop" => send("302 Found", "Location: /loop\r\n", b""),
        "/missing" => send("404 Not Found", "Content-Type: text/html\r\n", b"<h1>404</h1>"),
        "/broken-html" => send(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            "<html><li><a href='x.html' title=\"未闭合<li><a href=>>通知 2015-06-01<tr><td><script>if(a<b){}</scr".as_bytes(),
        ),
        "/bomb" => send(
            "200 OK",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &bomb,
        ),
        "/endless" => {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000000\r\n\r\n")
                .await;
            for _ in 0..1000 {
                if s.write_all(b"<p>....</p>").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            return;
        }
        "/big" => {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52428800\r\n\r\n")
                .await;
            let chunk = vec![b'a'; 64 << 10];
            for _ in 0..800 {
                if s.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            return;
        }
        "/reset" => {
            let _ = s
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<p>half",
                )
                .await;
            let _ = s.flush().await;
            // SO_LINGER 0: the close sends a TCP reset, as a crashing server does.
            #[allow(deprecated, reason = "a reset is exactly what this route must send")]
            let _ = s.set_linger(Some(Duration::ZERO));
            drop(s);
            return;
        }
        "/silent" => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return;
        }
        _ => send("404 Not Found", "", b""),
    };
    let _ = s.write_all(&out).await;
    let _ = s.shutdown().await;
}

async fn server() -> String {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let bomb = Arc::new(gzip_bomb());
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            tokio::spawn(respond(s, bomb.clone()));
        }
    });
    format!("http://{addr}")
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        timeout: TIMEOUT,
        max_body: CAP,
        allow_private: true,
        min_interval: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap()
}

fn bounded(start: Instant) {
    assert!(
        start.elapsed() < TIMEOUT + Duration::from_secs(2),
        "took {:?}",
        start.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ordinary_pages_and_charsets() {
    let base = server().await;
    let f = fetcher();
    let p = f.get(&format!("{base}/ok")).await;
    let page = p.page().expect("fetched");
    assert_eq!(page.status, 200);
    assert!(page.text().text.contains("工作动态"));
    let gbk = f.get(&format!("{base}/gbk")).await;
    assert!(gbk.page().unwrap().text().text.contains("通知公告"));
    let undeclared = f.get(&format!("{base}/gbk-undeclared")).await;
    let t = undeclared.page().unwrap().text();
    assert!(t.text.contains("2015年6月1日"), "{t:?}");
    let bad = f.get(&format!("{base}/bad-utf8")).await;
    let t = bad.page().unwrap().text();
    assert!(t.text.starts_with("<p>"));
    let missing = f.get(&format!("{base}/missing")).await;
    assert_eq!(missing.page().unwrap().status, 404);
    // Broken HTML reads without harm: whatever items can be made out, no panic.
    let broken = f.get(&format!("{base}/broken-html")).await;
    let crawl = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
    let page = broken.page().unwrap();
    let _ = pucha_probes::extract_items(&page.text().text, Some(&page.url), crawl);
    let _ = pucha_probes::page_links(&page.text().text, Some(&page.url));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_and_silent_servers_time_out() {
    let base = server().await;
    let f = fetcher();
    for path in ["/endless", "/silent"] {
        let start = Instant::now();
        let o = f.get(&format!("{base}{path}")).await;
        assert!(matches!(o, Outcome::TimedOut { .. }), "{path}: {o:?}");
        bounded(start);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn big_pages_and_bombs_stop_at_the_cap() {
    let base = server().await;
    let f = fetcher();
    for path in ["/big", "/bomb"] {
        let start = Instant::now();
        let o = f.get(&format!("{base}{path}")).await;
        let page = o.page().unwrap_or_else(|| panic!("{path}: {o:?}"));
        assert!(page.truncated, "{path}");
        assert_eq!(page.body.len(), CAP, "{path}");
        bounded(start);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loops_resets_and_bad_addresses_are_failures() {
    let base = server().await;
    let f = fetcher();
    let start = Instant::now();
    let o = f.get(&format!("{base}/loop")).await;
    assert!(
        matches!(
            o,
            Outcome::Failed {
                failure: Failure::TooManyRedirects,
                ..
            }
        ),
        "{o:?}"
    );
    bounded(start);
    let o = f.get(&format!("{base}/reset")).await;
    assert!(
        matches!(
            o,
            Outcome::Failed {
                failure: Failure::Body,
                ..
            }
        ),
        "{o:?}"
    );
    let o = f.get("not a url").await;
    assert!(matches!(
        o,
        Outcome::Failed {
            failure: Failure::InvalidUrl,
            ..
        }
    ));
    let o = f.get("ftp://example.gov.cn/x").await;
    assert_eq!(o, Outcome::Blocked(Blocked::Scheme));
    // A closed port: nothing listens there once the listener is dropped.
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = format!("http://{}/", l.local_addr().unwrap());
    drop(l);
    let o = f.get(&closed).await;
    assert!(
        matches!(
            o,
            Outcome::Failed {
                failure: Failure::Connect,
                ..
            }
        ),
        "{o:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_and_internal_addresses() {
    let base = server().await;
    let f = fetcher();
    assert_eq!(
        f.get(&format!("{base}/private/page")).await,
        Outcome::Blocked(Blocked::Robots)
    );
    let owner = Fetcher::new(FetchConfig {
        respect_robots: false,
        allow_private: true,
        ..FetchConfig::default()
    })
    .unwrap();
    assert_eq!(
        owner
            .get(&format!("{base}/private/page"))
            .await
            .page()
            .unwrap()
            .body,
        b"secret"
    );
    // The defaults refuse loopback, by address and by name.
    let public = Fetcher::new(FetchConfig::default()).unwrap();
    assert_eq!(
        public.get(&format!("{base}/ok")).await,
        Outcome::Blocked(Blocked::PrivateAddress)
    );
    let port = base.rsplit(':').next().unwrap();
    assert_eq!(
        public.get(&format!("http://localhost:{port}/ok")).await,
        Outcome::Blocked(Blocked::PrivateAddress)
    );
    assert_eq!(
        public.get("http://169.254.169.254/latest/meta-data/").await,
        Outcome::Blocked(Blocked::PrivateAddress)
    );
    assert_eq!(
        public.get("http://[::1]/").await,
        Outcome::Blocked(Blocked::PrivateAddress)
    );
}

/// A server that answers after a pause, counting the requests it holds at once in `now` and the most in `most`.
async fn counting_server(
    now: Arc<std::sync::atomic::AtomicUsize>,
    most: Arc<std::sync::atomic::AtomicUsize>,
) -> String {
    use std::sync::atomic::Ordering::SeqCst;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let (now, most) = (now.clone(), most.clone());
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let _ = s.read(&mut buf).await;
                let held = now.fetch_add(1, SeqCst) + 1;
                most.fetch_max(held, SeqCst);
                tokio::time::sleep(Duration::from_millis(60)).await;
                now.fetch_sub(1, SeqCst);
                let _ = s
                    .write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_many_origins_stay_under_the_global_cap() {
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    // Twenty origins: the per-host limit alone would let 4 × 20 requests run at once.
    let mut origins = Vec::new();
    for _ in 0..20 {
        origins.push(counting_server(now.clone(), most.clone()).await);
    }
    let f = Arc::new(
        Fetcher::new(FetchConfig {
            timeout: TIMEOUT,
            allow_private: true,
            respect_robots: false,
            min_interval: Duration::ZERO,
            concurrency: 5,
            ..FetchConfig::default()
        })
        .unwrap(),
    );
    let mut set = tokio::task::JoinSet::new();
    for o in &origins {
        for k in 0..3 {
            let (f, url) = (f.clone(), format!("{o}/page{k}"));
            set.spawn(async move { f.get(&url).await });
        }
    }
    let mut fetched = 0;
    while let Some(o) = set.join_next().await {
        assert!(matches!(o.unwrap(), Outcome::Fetched(p) if p.status == 200));
        fetched += 1;
    }
    assert_eq!(fetched, 60);
    let held = most.load(SeqCst);
    assert!((2..=5).contains(&held), "{held} requests were held at once");
    assert_eq!(now.load(SeqCst), 0);
}

/// A name under `.invalid` (RFC 6761) fails as a DNS failure, the site's fault, without asking any resolver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reserved_invalid_names_fail_as_dns_failures_without_a_lookup() {
    let f = fetcher();
    for url in ["http://gone.invalid/", "http://www.county.gov.cn.invalid./x"] {
        match f.get(url).await {
            Outcome::Failed { failure, message, .. } => {
                assert_eq!(failure, Failure::Dns, "{url}: {message}");
                assert!(message.contains("does not resolve"), "{message}");
            }
            other => panic!("{url}: {other:?}"),
        }
    }
}
