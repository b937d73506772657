//! The one HTTP client every probe shares.
//!
//! Bounded in every way a hostile or broken site could stretch it: a total time limit per request (15 s by default,
//! the census's own limit), a body size cap (8 MiB; decompressed bytes count, so a gzip bomb stops there), at most 10
//! redirects, per-host concurrency and spacing, robots.txt respected by default, an honest User-Agent. Private,
//! loopback, link-local and other internal addresses are refused unless explicitly allowed, for names (checked when
//! they resolve, so redirects and DNS tricks are caught too) and for address literals, so an embedding service
//! cannot be turned into a proxy into its own network. Every request ends in an [`Outcome`] value, never a panic.

use pucha_extract::Robots;
use pucha_extract::{Decoded, decode_page};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, Semaphore};

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent with every request.
    pub user_agent: String,
    /// Whole request, body included.
    pub timeout: Duration,
    /// Connecting alone.
    pub connect_timeout: Duration,
    /// Bytes of body kept (after decompression); the rest is not read.
    pub max_body: usize,
    /// Redirects followed.
    pub max_redirects: usize,
    /// Allow private, loopback and link-local addresses (a site owner checking their own intranet; tests).
    pub allow_private: bool,
    /// Obey robots.txt (off only for a site owner checking their own site).
    pub respect_robots: bool,
    /// Requests in flight per host.
    pub per_host: usize,
    /// Requests in flight in all, whatever their hosts: a page linking thousands of origins opens no more
    /// connections than this (well under the usual 1,024 open files), and cannot aim more at a third party.
    pub concurrency: usize,
    /// Least time between two requests to one host.
    pub min_interval: Duration,
    /// How long an idle connection is kept for the next request to its host. Short: a crawl's requests to a host
    /// follow each other closely, while a campaign visits each of thousands of hosts once an hour, and kept
    /// connections to them all would hold thousands of sockets and their buffers.
    pub pool_idle: Duration,
    /// Simulation builds only: every name under `.test` resolves to 127.0.0.1, so a fixture farm serves thousands
    /// of distinct hosts from one port (per-host limits stay real). Release builds have no such field.
    #[cfg(feature = "simulation")]
    pub sim_hosts: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: format!(
                "pucha/{} (government website inspection; +https://example.invalid/pucha)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            max_body: 8 << 20,
            max_redirects: 10,
            allow_private: false,
            respect_robots: true,
            per_host: 4,
            concurrency: 64,
            min_interval: Duration::from_millis(100),
            pool_idle: Duration::from_secs(5),
            #[cfg(feature = "simulation")]
            sim_hosts: false,
        }
    }
}

/// A response, with its body read (up to the cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Address after redirects.
    pub url: String,
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, when sent.
    pub content_type: Option<String>,
    /// Body (decompressed), at most `max_body` bytes.
    pub body: Vec<u8>,
    /// True when the body was longer than the cap.
    pub truncated: bool,
    /// Redirects followed.
    pub redirects: u32,
    /// Time taken, milliseconds.
    pub elapsed_ms: u64,
}

impl Page {
    /// The body as text, in the page's charset.
    pub fn text(&self) -> Decoded {
        decode_page(&self.body, self.content_type.as_deref())
    }
}

/// Why a request was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// robots.txt disallows it.
    Robots,
    /// The address is private, loopback, link-local or otherwise internal.
    PrivateAddress,
    /// Not an `http` or `https` address.
    Scheme,
}

/// What went wrong when no response came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The address is not a valid URL.
    InvalidUrl,
    /// The name did not resolve.
    Dns,
    /// No connection (refused, unreachable, TLS).
    Connect,
    /// More than the allowed redirects (a loop).
    TooManyRedirects,
    /// The connection broke while the body was read.
    Body,
    /// The prober's own resources ran out (too many open files, no buffer space, no local address): nothing is
    /// known of the site from it.
    Local,
    /// Anything else.
    Other,
}

/// The outcome of one request: always a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A response came (any status).
    Fetched(Page),
    /// No complete answer within the time limit.
    TimedOut {
        /// Time waited, milliseconds.
        elapsed_ms: u64,
    },
    /// Not requested.
    Blocked(Blocked),
    /// No usable response.
    Failed {
        /// Which kind.
        failure: Failure,
        /// The error as text.
        message: String,
        /// Time taken, milliseconds.
        elapsed_ms: u64,
    },
}

impl Outcome {
    /// The page, when a response came.
    pub fn page(&self) -> Option<&Page> {
        match self {
            Outcome::Fetched(p) => Some(p),
            _ => None,
        }
    }
}

/// True for addresses a public website never has: private, loopback, link-local, unspecified, multicast,
/// shared (CGNAT), documentation and benchmarking ranges, unique-local IPv6, and IPv4 mapped into IPv6.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || s[0] == 0x2001 && s[1] == 0x0db8
        }
    }
}

/// Marks a refusal inside reqwest's error chain.
#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused: the address is private, loopback or link-local")
    }
}

impl std::error::Error for Refused {}

/// DNS through the system resolver, refusing internal addresses. Names under `.invalid` (RFC 6761: never
/// resolvable) fail here without asking anyone.
struct GuardedResolver {
    allow_private: bool,
    #[cfg(feature = "simulation")]
    sim_hosts: bool,
}

/// Whether `host` is under the reserved `.invalid` top-level domain.
fn is_invalid_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "invalid" || h.ends_with(".invalid")
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let allow = self.allow_private;
        #[cfg(feature = "simulation")]
        let sim = self.sim_hosts && host.trim_end_matches('.').ends_with(".test");
        #[cfg(not(feature = "simulation"))]
        let sim = false;
        Box::pin(async move {
            if is_invalid_name(&host) {
                return Err(Box::new(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("dns: `{host}` does not resolve (a reserved .invalid name)"),
                )) as Box<dyn std::error::Error + Send + Sync>);
            }
            let found: Vec<SocketAddr> = if sim {
                vec![SocketAddr::from(([127, 0, 0, 1], 0))]
            } else {
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect()
            };
            let ok: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow || !is_internal(a.ip()))
                .collect();
            if ok.is_empty() {
                return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(ok.into_iter()) as Addrs)
        })
    }
}

struct HostGate {
    slots: Semaphore,
    next: Mutex<Instant>,
}

/// The shared client. Cheap to share behind an `Arc`; requests to different hosts run in parallel.
pub struct Fetcher {
    client: reqwest::Client,
    cfg: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    robots: Mutex<HashMap<String, Arc<Robots>>>,
    /// The global in-flight cap (`FetchConfig::concurrency`).
    in_flight: Semaphore,
    sent: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

fn chain_has_refused(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<Refused>() {
            return true;
        }
        cur = err.source();
    }
    false
}

fn ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Fetcher {
    /// A client with `cfg`.
    ///
    /// # Errors
    /// When the TLS or HTTP stack cannot be set up (no system roots, …), as text.
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, String> {
        // One process-wide TLS provider (ring); a second install is a no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let max = cfg.max_redirects;
        let allow = cfg.allow_private;
        let cfg_concurrency = cfg.concurrency.max(1);
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max {
                return attempt.error("too many redirects");
            }
            let url = attempt.url();
            if !matches!(url.scheme(), "http" | "https") {
                return attempt.stop();
            }
            let literal = match url.host() {
                Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
                Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
                _ => None,
            };
            if !allow && literal.is_some_and(is_internal) {
                return attempt.error(Refused);
            }
            attempt.follow()
        });
        let client = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .timeout(cfg.timeout)
            .connect_timeout(cfg.connect_timeout)
            .pool_idle_timeout(cfg.pool_idle)
            .redirect(policy)
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver {
                allow_private: cfg.allow_private,
                #[cfg(feature = "simulation")]
                sim_hosts: cfg.sim_hosts,
            }))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(Fetcher {
            client,
            cfg,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(cfg_concurrency),
            sent: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    async fn gate(&self, key: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().await;
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    slots: Semaphore::new(self.cfg.per_host.max(1)),
                    next: Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    async fn robots_for(&self, url: &url::Url) -> Arc<Robots> {
        let key = url.origin().ascii_serialization();
        if let Some(r) = self.robots.lock().await.get(&key) {
            return r.clone();
        }
        let robots_url = format!("{key}/robots.txt");
        let rules = match self.send(reqwest::Method::GET, &robots_url, 512 << 10).await {
            Outcome::Fetched(p) if p.status == 200 => {
                let agent = self
                    .cfg
                    .user_agent
                    .split('/')
                    .next()
                    .unwrap_or("pucha")
                    .to_string();
                Robots::parse(&p.text().text, &agent)
            }
            // No file, or none readable: nothing is disallowed.
            _ => Robots::allow_all(),
        };
        let rules = Arc::new(rules);
        self.robots.lock().await.insert(key, rules.clone());
        rules
    }

    /// `GET url`, reading the body up to the cap.
    pub async fn get(&self, url: &str) -> Outcome {
        self.request(reqwest::Method::GET, url).await
    }

    /// `HEAD url` (for link checks; no body).
    pub async fn head(&self, url: &str) -> Outcome {
        self.request(reqwest::Method::HEAD, url).await
    }

    /// A request with the checks (scheme, internal address literals, robots.txt) and the per-host limits.
    pub async fn request(&self, method: reqwest::Method, url: &str) -> Outcome {
        let Ok(parsed) = url::Url::parse(url) else {
            return Outcome::Failed {
                failure: Failure::InvalidUrl,
                message: format!("not a URL: `{url}`"),
                elapsed_ms: 0,
            };
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return Outcome::Blocked(Blocked::Scheme);
        }
        let literal = match parsed.host() {
            Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
            Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
            _ => None,
        };
        if !self.cfg.allow_private && literal.is_some_and(is_internal) {
            return Outcome::Blocked(Blocked::PrivateAddress);
        }
        if self.cfg.respect_robots && parsed.path() != "/robots.txt" {
            let robots = self.robots_for(&parsed).await;
            let path = match parsed.query() {
                Some(q) => format!("{}?{q}", parsed.path()),
                None => parsed.path().to_string(),
            };
            if !robots.allows(&path) {
                return Outcome::Blocked(Blocked::Robots);
            }
        }
        let gate = self.gate(&parsed.origin().ascii_serialization()).await;
        let Ok(_permit) = gate.slots.acquire().await else {
            return Outcome::Failed {
                failure: Failure::Other,
                message: "the host gate is closed".into(),
                elapsed_ms: 0,
            };
        };
        {
            let mut next = gate.next.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            *next = Instant::now() + self.cfg.min_interval;
        }
        // The host's slot first, then one of all: a request waiting for its host holds nothing global.
        let Ok(_global) = self.in_flight.acquire().await else {
            return Outcome::Failed {
                failure: Failure::Other,
                message: "the fetcher is closed".into(),
                elapsed_ms: 0,
            };
        };
        self.send(method, url, self.cfg.max_body).await
    }

    /// Requests sent so far (for progress displays).
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn send(&self, method: reqwest::Method, url: &str, cap: usize) -> Outcome {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let start = Instant::now();
        // reqwest's own timeout covers the body too; this outer one is a second guard for the whole exchange.
        let limit = self.cfg.timeout + Duration::from_millis(250);
        match tokio::time::timeout(limit, self.exchange(method, url, cap, start)).await {
            Ok(o) => o,
            Err(_) => Outcome::TimedOut {
                elapsed_ms: ms(start),
            },
        }
    }

    async fn exchange(&self, method: reqwest::Method, url: &str, cap: usize, start: Instant) -> Outcome {
        let resp = match self.client.request(method, url).send().await {
            Ok(r) => r,
            Err(e) => return self.failed(&e, start),
        };
        let status = resp.status().as_u16();
        let final_url = resp.url().to_string();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let redirects = u32::from(final_url != url);
        let mut resp = resp;
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    let room = cap.saturating_sub(body.len());
                    if c.len() > room {
                        body.extend_from_slice(&c[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) => {
                    if e.is_timeout() {
                        return Outcome::TimedOut {
                            elapsed_ms: ms(start),
                        };
                    }
                    return Outcome::Failed {
                        failure: Failure::Body,
                        message: error_text(&e),
                        elapsed_ms: ms(start),
                    };
                }
            }
        }
        Outcome::Fetched(Page {
            url: final_url,
            status,
            content_type,
            body,
            truncated,
            redirects,
            elapsed_ms: ms(start),
        })
    }

    fn failed(&self, e: &reqwest::Error, start: Instant) -> Outcome {
        if chain_has_refused(e) {
            return Outcome::Blocked(Blocked::PrivateAddress);
        }
        if e.is_timeout() {
            return Outcome::TimedOut {
                elapsed_ms: ms(start),
            };
        }
        let text = error_text(e);
        let failure = if is_local_fault(e) {
            Failure::Local
        } else if e.is_redirect() {
            Failure::TooManyRedirects
        } else if e.is_connect()
            && (text.contains("dns") || text.contains("lookup") || text.contains("resolve"))
        {
            Failure::Dns
        } else if e.is_connect() {
            Failure::Connect
        } else if e.is_body() || e.is_decode() {
            Failure::Body
        } else {
            Failure::Other
        };
        Outcome::Failed {
            failure,
            message: text,
            elapsed_ms: ms(start),
        }
    }
}

/// Whether an error's chain holds an I/O error of the prober's own resources: too many open files (EMFILE,
/// ENFILE), no buffer space (ENOBUFS), no local address or port (EADDRNOTAVAIL), no memory.
pub(crate) fn is_local_fault(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && (matches!(io.raw_os_error(), Some(23 | 24 | 99 | 105))
                || io.kind() == std::io::ErrorKind::OutOfMemory)
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// The error with its causes, as one line.
fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapped(std::io::Error);
    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn the_probers_own_resources_are_its_fault_not_the_sites() {
        for code in [24, 23, 105, 99] {
            assert!(
                is_local_fault(&Wrapped(std::io::Error::from_raw_os_error(code))),
                "{code}"
            );
        }
        assert!(
            !is_local_fault(&Wrapped(std::io::Error::from_raw_os_error(111))),
            "refused is the site's"
        );
        assert!(!is_local_fault(&Wrapped(std::io::Error::other("reset"))));
    }

    #[test]
    fn internal_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "255.255.255.255",
            "224.0.0.1",
        ] {
            assert!(is_internal(a.parse().unwrap()), "{a}");
        }
        for a in ["8.8.8.8", "114.114.114.114", "2400:3200::1", "203.119.25.1"] {
            assert!(!is_internal(a.parse().unwrap()), "{a}");
        }
    }
}
