//! A farm of fixture sites (simulation builds only): thousands of distinct hosts `s{n}.farm.test` served from one
//! port on 127.0.0.1, for the campaign's kill tests and scale benches. With the fetcher's `sim_hosts`, every such
//! name resolves to 127.0.0.1, so each site has its own per-host limits as real sites do.
//!
//! Site `n` is the fixture county portal generated from seed `n` (columns, links, services, planted faults), built
//! when first asked for; availability visits (the homepage with the `?_=` stamp) get a light page without building
//! it. Faults by number: `n % 100 == 13` is down for the whole campaign (503), `n % 100 == 27` goes down at the
//! farm's `down_at` (visits stamped from then on get 503). A farm may grow its sites ([`FarmConfig::pages`]) to the
//! size of a large portal, for the full-probe bench.

use crate::fixture::{FixtureSite, Served};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Sites kept built at once; the farm starts afresh past it.
const BUILT: usize = 256;

/// The homepage of farm site `n` on `port`.
pub fn farm_homepage(n: u64, port: u16) -> String {
    format!("http://s{n}.farm.test:{port}/")
}

/// Whether farm site `n` is down for the whole campaign.
pub fn always_down(n: u64) -> bool {
    n % 100 == 13
}

/// Whether farm site `n` goes down at the farm's `down_at`.
pub fn goes_down(n: u64) -> bool {
    n % 100 == 27
}

/// The site number of a `Host` header value (`s17.farm.test:PORT` → 17).
fn site_of(host: &str) -> Option<u64> {
    host.split(['.', ':']).next()?.strip_prefix('s')?.parse().ok()
}

/// What the farm's sites are.
#[derive(Debug, Clone, Copy)]
pub struct FarmConfig {
    /// The crawl date the sites' content is dated against.
    pub crawl: NaiveDate,
    /// From when the sites that go down answer 503 (visits stamped at or after it).
    pub down_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// HTML pages each site is grown to, with ten times as many link targets ([`FixtureSite::grown`]); 0 keeps
    /// the fixture portal as generated (95 pages, about 105 link targets a crawl checks).
    pub pages: usize,
}

/// What to answer: status line, body, content type.
fn answer(
    built: &Mutex<HashMap<u64, Arc<FixtureSite>>>,
    farm: &FarmConfig,
    host: &str,
    target: &str,
) -> (&'static str, Vec<u8>, &'static str) {
    let (crawl, down_at_ms) = (farm.crawl, farm.down_at.map(|d| d.timestamp_millis()));
    const GONE: (&str, &[u8], &str) = ("503 Service Unavailable", b"<h1>503</h1>", "text/html");
    let Some(n) = site_of(host) else {
        return ("404 Not Found", b"no such farm site".to_vec(), "text/plain");
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let stamp = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("_="))
        .and_then(|v| v.parse::<i64>().ok());
    if path == "/" && stamp.is_some() {
        let down =
            always_down(n) || (goes_down(n) && down_at_ms.is_some_and(|d| stamp.is_some_and(|s| s >= d)));
        return if down {
            (GONE.0, GONE.1.to_vec(), GONE.2)
        } else {
            (
                "200 OK",
                format!("<html><head><title>s{n}</title></head><body>ok</body></html>").into_bytes(),
                "text/html; charset=utf-8",
            )
        };
    }
    if always_down(n) {
        return (GONE.0, GONE.1.to_vec(), GONE.2);
    }
    let site =
        {
            let Ok(mut sites) = built.lock() else {
                return (GONE.0, GONE.1.to_vec(), GONE.2);
            };
            if sites.len() >= BUILT && !sites.contains_key(&n) {
                sites.clear();
            }
            Arc::clone(sites.entry(n).or_insert_with(|| {
                Arc::new(FixtureSite::generate(n, crawl).grown(farm.pages, 10 * farm.pages))
            }))
        };
    match site.page(path) {
        _ if path.starts_with("/wsbsdt/") => (GONE.0, GONE.1.to_vec(), GONE.2),
        Some((b, ct)) => ("200 OK", b.to_vec(), ct),
        None => (
            "404 Not Found",
            b"<html><body><h1>404</h1></body></html>".to_vec(),
            "text/html",
        ),
    }
}

/// Serve the farm on 127.0.0.1 (a free port, keep-alive) until the handle is dropped; the sites' content is dated
/// against `crawl`, and the sites that go down do so for visits stamped at or after `down_at`.
///
/// # Errors
/// When no local port can be bound.
pub async fn serve_farm(
    crawl: NaiveDate,
    down_at: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> std::io::Result<Served> {
    serve_farm_on(
        0,
        FarmConfig {
            crawl,
            down_at,
            pages: 0,
        },
    )
    .await
}

/// The farm of `farm`'s sites on a given port (0: any free one).
///
/// # Errors
/// When the port cannot be bound.
pub async fn serve_farm_on(port: u16, farm: FarmConfig) -> std::io::Result<Served> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let built: Arc<Mutex<HashMap<u64, Arc<FixtureSite>>>> = Arc::default();
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let built = Arc::clone(&built);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut got: Vec<u8> = Vec::new();
                loop {
                    let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
                        if got.len() > 65_536 {
                            return;
                        }
                        match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => got.extend_from_slice(&buf[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&got[..end]).to_string();
                    got.drain(..end + 4);
                    let mut lines = head.lines();
                    let mut words = lines.next().unwrap_or("").split_whitespace();
                    let method = words.next().unwrap_or("GET").to_string();
                    let target = words.next().unwrap_or("/").to_string();
                    let host = lines
                        .filter_map(|l| l.split_once(':'))
                        .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or_default();
                    let (status, body, ct) = answer(&built, &farm, &host, &target);
                    let mut out = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    if method != "HEAD" {
                        out.extend_from_slice(&body);
                    }
                    if s.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Ok(Served { base, task })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_name_their_sites_and_faults_follow_the_number() {
        assert_eq!(site_of("s17.farm.test:8080"), Some(17));
        assert_eq!(site_of("s17.farm.test"), Some(17));
        assert_eq!(site_of("farm.test"), None);
        let built = Mutex::default();
        let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
        let down = &FarmConfig {
            crawl,
            down_at: chrono::DateTime::from_timestamp_millis(1_000).map(|t| t.fixed_offset()),
            pages: 0,
        };
        assert_eq!(answer(&built, down, "s1.farm.test", "/?_=5").0, "200 OK");
        assert!(
            answer(&built, down, "s13.farm.test", "/?_=5")
                .0
                .starts_with("503")
        );
        assert_eq!(answer(&built, down, "s27.farm.test", "/?_=999").0, "200 OK");
        assert!(
            answer(&built, down, "s27.farm.test", "/?_=1000")
                .0
                .starts_with("503")
        );
        let (status, body, _) = answer(&built, down, "s1.farm.test", "/");
        assert_eq!(status, "200 OK");
        assert!(
            String::from_utf8_lossy(&body).contains("工作动态"),
            "the full portal"
        );
        assert_eq!(answer(&built, down, "nobody", "/").0, "404 Not Found");
    }

    #[test]
    fn a_grown_farm_serves_sites_of_the_pages_asked_for() {
        let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
        let site = FixtureSite::generate(3, crawl).grown(200, 2_000);
        let html = site
            .paths()
            .filter(|p| site.page(p).is_some_and(|(_, ct)| ct.starts_with("text/html")))
            .count();
        assert_eq!(html, 200, "the homepage and 199 more");
        assert_eq!(site.paths().count(), 2_000);
        let built = Mutex::default();
        let farm = &FarmConfig {
            crawl,
            down_at: None,
            pages: 200,
        };
        let (_, home, _) = answer(&built, farm, "s3.farm.test", "/");
        assert!(String::from_utf8_lossy(&home).contains("/wzdt/"));
        let (status, map, _) = answer(&built, farm, "s3.farm.test", "/wzdt/");
        assert_eq!(status, "200 OK");
        assert!(String::from_utf8_lossy(&map).contains("/wzdt/p0.html"));
        assert_eq!(
            answer(&built, farm, "s3.farm.test", "/wzdt/f1000.pdf").0,
            "200 OK"
        );
    }
}
