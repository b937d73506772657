//! Probe adapters: each contributes facts to one observation. Pluggable: implement [`Adapter`] and pass it to
//! [`probe`] with the built-in ones ([`crate::adapters_more::default_adapters`]). Every request an adapter makes is recorded as an
//! [`Outcome`] value in its [`Contribution`], so a report can say what was tried and what happened.

use crate::http::{Fetcher, Outcome};
use chrono::{NaiveDate, Offset};
use pucha_extract::profile::{SiteProfile, category_key};
use pucha_extract::{extract_items, facts, host_of, link_kind, page_links};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What adapters share: the client, the profile and the date the probe runs on (China Standard Time).
#[derive(Debug, Clone)]
pub struct ProbeContext {
    /// The shared HTTP client.
    pub fetcher: Arc<Fetcher>,
    /// The site profile.
    pub profile: SiteProfile,
    /// The crawl date (the monitoring point).
    pub crawl: NaiveDate,
    /// Pages the link crawler may read beyond the homepage.
    pub page_budget: usize,
    /// Distinct link targets the link crawler may check (each page's links beyond [`MAX_LINKS_PER_PAGE`] are not
    /// read either); past either cap the broken links found are a lower bound (`links.complete: false`).
    pub link_budget: usize,
}

/// The links read from one page at most: a page with more (a hostile or generated one) leaves the rest unread.
pub const MAX_LINKS_PER_PAGE: usize = 5_000;

/// One request and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// Address.
    pub url: String,
    /// Outcome, in short: `200`, `404`, `timed_out`, `blocked:robots`, `failed:connect` ….
    pub result: String,
}

/// What an adapter adds: observation fields (merged into `pucha.observation/1`) and its attempts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contribution {
    /// Top-level observation fields (`columns`, `links`, …).
    pub facts: Map<String, Value>,
    /// Every request made.
    pub attempts: Vec<Attempt>,
    /// Remarks for people (what could not be determined and why).
    pub notes: Vec<String>,
    /// Pages not visited, as `provenance.not_visited[]` entries (`{url, reason}`): the facts that depended on them
    /// are left out (missing data), never written as zero or unusable.
    pub not_visited: Vec<Value>,
}

impl Contribution {
    /// Record `url` as not visited for `reason` (`robots`, `private_address`, `page_budget`, `bot_wall`,
    /// `prober_fault`, `cross_origin`).
    pub fn not_visited(&mut self, url: &str, reason: &'static str) {
        self.not_visited.push(json!({"url": url, "reason": reason}));
    }

    /// Whether `o` left `url` unread without telling anything of the site — not sent (robots, a private address, a
    /// scheme pucha does not fetch) or failed for the prober's own want of resources — recording it as not visited
    /// where `provenance.not_visited` has a reason for it.
    pub fn skip_unvisited(&mut self, url: &str, o: &Outcome) -> bool {
        if let Some(reason) = not_visited_reason(o) {
            self.not_visited(url, reason);
            return true;
        }
        matches!(o, Outcome::Blocked(_))
    }
}

/// Why a request left its page unvisited, as `provenance.not_visited` says it: not sent (robots, a private address),
/// or failed for the prober's own want of resources (`prober_fault`); `None` for an answer, a failure of the site,
/// or a scheme pucha does not fetch.
pub fn not_visited_reason(o: &Outcome) -> Option<&'static str> {
    match o {
        Outcome::Blocked(b) => blocked_reason(*b),
        Outcome::Failed {
            failure: crate::http::Failure::Local,
            ..
        } => Some("prober_fault"),
        _ => None,
    }
}

/// The `provenance.not_visited` reason of a request that was not sent (`None` for a scheme pucha does not fetch,
/// which is not a page of the site).
fn blocked_reason(b: crate::http::Blocked) -> Option<&'static str> {
    match b {
        crate::http::Blocked::Robots => Some("robots"),
        crate::http::Blocked::PrivateAddress => Some("private_address"),
        crate::http::Blocked::Scheme => None,
    }
}

/// A boxed future, as adapters return.
pub type AdapterFuture<'a> = Pin<Box<dyn Future<Output = Contribution> + Send + 'a>>;

/// A probe adapter.
pub trait Adapter: Send + Sync {
    /// Short name (`columns`, `links` …), used in progress and provenance.
    fn name(&self) -> &'static str;
    /// Collect facts.
    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a>;
}

/// The outcome in short, for attempts and evidence.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Fetched(p) => p.status.to_string(),
        Outcome::TimedOut { .. } => "timed_out".into(),
        Outcome::Blocked(b) => format!("blocked:{}", format!("{b:?}").to_lowercase()),
        Outcome::Failed { failure, .. } => format!("failed:{}", format!("{failure:?}").to_lowercase()),
    }
}

/// Information-disclosure columns: their list pages are read for items and dates.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColumnsAdapter;

impl Adapter for ColumnsAdapter {
    fn name(&self) -> &'static str {
        "columns"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let mut columns = Vec::new();
            for col in &ctx.profile.columns {
                let Some(cat) = category_key(&col.category) else {
                    continue;
                };
                if !matches!(
                    cat,
                    "organization" | "dynamics" | "notice" | "policy" | "plan" | "personnel" | "other"
                ) {
                    continue;
                }
                let outcome = ctx.fetcher.get(&col.url).await;
                c.attempts.push(Attempt {
                    url: col.url.clone(),
                    result: outcome_text(&outcome),
                });
                let mut entry = json!({"name": col.name, "category": cat, "url": col.url, "on_homepage": col.on_homepage});
                match outcome.page().filter(|p| p.status < 400) {
                    Some(page) => {
                        let list = extract_items(&page.text().text, Some(&page.url), ctx.crawl);
                        for (k, v) in facts::column_listing(&list) {
                            entry[k] = v;
                        }
                    }
                    // A column whose list page cannot be read is left out: no data, never "no items".
                    None => {
                        c.notes.push(format!(
                            "栏目“{}”列表页无法读取（{}），该栏目更新情况缺少数据 / list page unreadable, column left out",
                            col.name,
                            outcome_text(&outcome)
                        ));
                        continue;
                    }
                }
                columns.push(entry);
            }
            if !columns.is_empty() {
                c.facts.insert("columns".into(), Value::Array(columns));
            }
            c
        })
    }
}

/// The deepest level the link crawler reads pages at (the homepage is 0).
pub const MAX_DEPTH: u32 = 3;

/// Links: the homepage (depth 0), the site pages it links (depth 1) and further down to [`MAX_DEPTH`] are read,
/// breadth first, up to the page budget;
/// every link, image, attachment and external link they hold is checked once (HEAD, then GET when HEAD is refused).
/// 429 and 503 answers and bot walls (a firewall's challenge page) are retried with backoff and, if they persist,
/// reported as inconclusive, not broken.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinksAdapter;

impl Adapter for LinksAdapter {
    fn name(&self) -> &'static str {
        "links"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let home = ctx.profile.site.homepage.clone();
            let home_host = host_of(&home).unwrap_or_default();
            // target → (first depth, kind, pages it is on)
            let mut targets: BTreeMap<String, (u32, &'static str, Vec<String>)> = BTreeMap::new();
            let mut to_read: Vec<String> = vec![home.clone()];
            let mut read = 0usize;
            let mut home_read = false;
            let mut complete = true;
            let mut link_budget_noted = false;
            let mut depth_of: HashMap<String, u32> = HashMap::from([(home.clone(), 0)]);
            while let Some(page_url) = to_read.first().cloned() {
                to_read.remove(0);
                if read > ctx.page_budget {
                    c.notes.push(format!(
                        "已达页面预算 {}，其余页面未读取，错链数为下限 / page budget of {} reached; the pages left \
                         were not read and the broken links found are a lower bound",
                        ctx.page_budget, ctx.page_budget
                    ));
                    complete = false;
                    c.not_visited(&page_url, "page_budget");
                    for rest in std::mem::take(&mut to_read) {
                        c.not_visited(&rest, "page_budget");
                    }
                    break;
                }
                read += 1;
                let depth = depth_of.get(&page_url).copied().unwrap_or(0);
                let outcome = ctx.fetcher.get(&page_url).await;
                c.attempts.push(Attempt {
                    url: page_url.clone(),
                    result: outcome_text(&outcome),
                });
                if let Some(reason) = not_visited_reason(&outcome) {
                    // Its links are unknown: what was found is a lower bound.
                    c.not_visited(&page_url, reason);
                    complete = false;
                }
                let Some(page) = outcome.page().filter(|p| p.status < 400) else {
                    continue;
                };
                home_read |= depth == 0;
                let text = page.text().text;
                let links = page_links(&text, Some(&page.url));
                if links.len() > MAX_LINKS_PER_PAGE {
                    complete = false;
                    c.notes.push(format!(
                        "{page_url}: {} 个链接，只检查前 {MAX_LINKS_PER_PAGE} 个 / {} links, only the first \
                         {MAX_LINKS_PER_PAGE} read",
                        links.len(),
                        links.len()
                    ));
                }
                for l in links.into_iter().take(MAX_LINKS_PER_PAGE) {
                    if targets.len() >= ctx.link_budget && !targets.contains_key(&l.url) {
                        if !link_budget_noted {
                            c.notes.push(format!(
                                "已达链接预算 {}，其余链接未检查，错链数为下限 / link budget of {} reached; the links \
                                 left were not checked and the broken links found are a lower bound",
                                ctx.link_budget, ctx.link_budget
                            ));
                            link_budget_noted = true;
                        }
                        complete = false;
                        continue;
                    }
                    let kind = link_kind(&l.url, l.tag, &home_host);
                    let e = targets.entry(l.url.clone()).or_insert((depth, kind, Vec::new()));
                    e.0 = e.0.min(depth);
                    if !e.2.contains(&page_url) {
                        e.2.push(page_url.clone());
                    }
                    if depth < MAX_DEPTH && kind == "page" && l.tag == "a" && !depth_of.contains_key(&l.url) {
                        depth_of.insert(l.url.clone(), depth + 1);
                        to_read.push(l.url.clone());
                    }
                }
            }
            if !home_read {
                c.notes
                    .push("首页无法读取，链接可用性缺少数据 / homepage unreadable: no link data".into());
                return c;
            }
            let mut set = tokio::task::JoinSet::new();
            for (url, (depth, kind, found_on)) in targets {
                let f = ctx.fetcher.clone();
                set.spawn(async move {
                    let o = check_link(&f, &url).await;
                    (url, depth, kind, found_on, o)
                });
            }
            let mut broken = Vec::new();
            let mut checked = 0u64;
            let mut inconclusive = 0u64;
            // Links found but not checkable: (on the homepage, elsewhere).
            let mut unchecked = (0u64, 0u64);
            while let Some(joined) = set.join_next().await {
                let Ok((url, depth, kind, found_on, o)) = joined else {
                    continue;
                };
                checked += 1;
                c.attempts.push(Attempt {
                    url: url.clone(),
                    result: outcome_text(&o),
                });
                let mut b = json!({"url": url, "found_on": found_on, "depth": depth, "kind": kind});
                // Not checkable: could be broken or not (the deduction's maximum counts it).
                let mut unknown = |reason: &'static str, c: &mut Contribution| {
                    if depth == 0 {
                        unchecked.0 += 1;
                    } else {
                        unchecked.1 += 1;
                    }
                    c.not_visited(&url, reason);
                };
                match &o {
                    Outcome::Fetched(p) if throttled_or_walled(p) => {
                        inconclusive += 1;
                        unknown("bot_wall", &mut c);
                    }
                    Outcome::Fetched(p) if p.status >= 400 => {
                        b["status"] = json!(p.status);
                        broken.push(b);
                    }
                    Outcome::Blocked(_)
                    | Outcome::Failed {
                        failure: crate::http::Failure::Local,
                        ..
                    } => {
                        if let Some(r) = not_visited_reason(&o) {
                            unknown(r, &mut c);
                        }
                    }
                    Outcome::Fetched(_) => {}
                    Outcome::TimedOut { .. } => {
                        b["error"] = json!("timed out");
                        broken.push(b);
                    }
                    Outcome::Failed { message, .. } => {
                        b["error"] = json!(message);
                        broken.push(b);
                    }
                }
            }
            broken.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
            if inconclusive > 0 {
                c.notes.push(format!(
                    "{inconclusive} 个链接持续返回 429/503（限流或防护），结果不确定，未计为错链"
                ));
            }
            let mut links = json!({"broken": broken, "checked": checked});
            if !complete {
                links["complete"] = json!(false);
            }
            if unchecked != (0, 0) {
                links["unchecked"] = json!({"homepage": unchecked.0, "other": unchecked.1});
            }
            c.facts.insert("links".into(), links);
            c
        })
    }
}

/// Rate limiting or a bot wall ([`pucha_extract::throttled_or_walled`]): the link's state is unknown, not broken.
fn throttled_or_walled(p: &crate::http::Page) -> bool {
    pucha_extract::throttled_or_walled(p.status, &p.body, p.content_type.as_deref())
}

/// HEAD, then GET when HEAD is not allowed; 429/503 and bot walls retried twice with backoff.
async fn check_link(f: &Fetcher, url: &str) -> Outcome {
    let mut o = f.head(url).await;
    if matches!(&o, Outcome::Fetched(p) if matches!(p.status, 405 | 501 | 400 | 403))
        || matches!(o, Outcome::Failed { .. })
    {
        o = f.get(url).await;
    }
    for wait in [500u64, 1500] {
        if matches!(&o, Outcome::Fetched(p) if throttled_or_walled(p)) {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            o = f.get(url).await;
        }
    }
    o
}

/// When availability samples are stamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleClock {
    /// The real time of each visit.
    Real,
    /// A simulated clock (the demo): the `k`-th visit is stamped `start + k × step`, and the observation says so.
    Simulated {
        /// First stamp.
        start: chrono::DateTime<chrono::FixedOffset>,
        /// Between stamps.
        step: chrono::Duration,
    },
}

/// Availability without a monitor database: a short series of homepage visits (each with the 15 s limit), which the
/// engine reports as below the sampling standard. `pucha monitor` takes the real week-long sample.
#[derive(Debug, Clone, Copy)]
pub struct AvailabilityAdapter {
    /// Visits.
    pub samples: usize,
    /// Real time between visits.
    pub spacing: std::time::Duration,
    /// How visits are stamped.
    pub clock: SampleClock,
}

impl Default for AvailabilityAdapter {
    fn default() -> Self {
        AvailabilityAdapter {
            samples: 20,
            spacing: std::time::Duration::from_secs(1),
            clock: SampleClock::Real,
        }
    }
}

/// China Standard Time (UTC+8).
pub fn cst() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or(chrono::Utc.fix())
}

impl Adapter for AvailabilityAdapter {
    fn name(&self) -> &'static str {
        "availability"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let home = ctx.profile.site.homepage.clone();
            let sep = if home.contains('?') { '&' } else { '?' };
            let mut samples = Vec::new();
            for k in 0..self.samples {
                if k > 0 {
                    tokio::time::sleep(self.spacing).await;
                }
                let at = match self.clock {
                    SampleClock::Real => chrono::Utc::now().with_timezone(&cst()),
                    SampleClock::Simulated { start, step } => {
                        start + step * i32::try_from(k).unwrap_or(i32::MAX)
                    }
                };
                // A cache-busting query, so each visit reaches the server.
                let url = format!("{home}{sep}_={}", at.timestamp_millis());
                let o = ctx.fetcher.get(&url).await;
                c.attempts.push(Attempt {
                    url: url.clone(),
                    result: outcome_text(&o),
                });
                let mut sample = json!({"at": at.to_rfc3339()});
                match &o {
                    Outcome::Fetched(p) => {
                        sample["ok"] = json!(p.status < 400);
                        sample["status"] = json!(p.status);
                        sample["elapsed_ms"] = json!(p.elapsed_ms);
                    }
                    Outcome::TimedOut { elapsed_ms } => {
                        sample["ok"] = json!(false);
                        sample["elapsed_ms"] = json!(elapsed_ms);
                        sample["error"] = json!("timed out (15 s)");
                    }
                    Outcome::Blocked(b) => {
                        c.notes.push(format!("homepage not visited: {b:?}"));
                        c.skip_unvisited(&home, &o);
                        break;
                    }
                    Outcome::Failed {
                        failure,
                        message,
                        elapsed_ms,
                    } => {
                        sample["ok"] = json!(false);
                        sample["elapsed_ms"] = json!(elapsed_ms);
                        sample["error"] = json!(message);
                        if *failure == crate::http::Failure::Local {
                            // The prober ran out of its own resources: not a failure of the site (left out).
                            sample["probe_fault"] = json!(true);
                        }
                    }
                }
                samples.push(sample);
            }
            if !samples.is_empty() {
                c.facts.insert("availability".into(), json!({"samples": samples}));
            }
            if matches!(self.clock, SampleClock::Simulated { .. }) {
                c.notes.push(
                    "可用性抽样为模拟时钟（演示），非真实的一周监测 / availability sampled on a simulated clock (demo)".into(),
                );
            }
            c
        })
    }
}

/// What a probe run produced: the observation and every adapter's attempts and notes.
#[derive(Debug, Clone)]
pub struct ProbeRun {
    /// `pucha.observation/1`, checked by the core.
    pub observation: Value,
    /// Attempts per adapter.
    pub attempts: Vec<(&'static str, Vec<Attempt>)>,
    /// Notes per adapter.
    pub notes: Vec<(&'static str, Vec<String>)>,
    /// False when the homepage was asked for and no request to it got an answer (any status): the observation then
    /// holds the site, its availability samples (real failed visits) and the provenance, and no other fact.
    pub homepage_reached: bool,
}

/// Run `adapters` and assemble the observation: site facts from the profile, the monitoring point, each adapter's
/// facts, and the provenance.
///
/// # Errors
/// When the assembled observation does not pass the core's checks (an adapter bug), with the core's message.
pub async fn probe(ctx: &ProbeContext, adapters: &[Box<dyn Adapter>]) -> Result<ProbeRun, String> {
    probe_observed(ctx, adapters, |_| {}).await
}

/// What [`probe_observed`] reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeEvent {
    /// An adapter starts.
    Started(&'static str),
    /// An adapter finished with this many requests.
    Finished(&'static str, usize),
}

/// As [`probe`], calling `observer` when each adapter starts and finishes (for progress displays).
///
/// # Errors
/// As [`probe`].
pub async fn probe_observed(
    ctx: &ProbeContext,
    adapters: &[Box<dyn Adapter>],
    mut observer: impl FnMut(ProbeEvent),
) -> Result<ProbeRun, String> {
    let s = &ctx.profile.site;
    let mut site = json!({"name": s.name, "url": s.homepage});
    if let Some(k) = &s.kind {
        site["kind"] = json!(if k == "门户网站" {
            "portal"
        } else if k == "其他" {
            "other"
        } else {
            k.as_str()
        });
    }
    if let Some(id) = &s.id {
        site["id"] = json!(id);
    }
    if !s.region.is_empty() {
        site["region"] = json!(s.region);
    }
    let started = chrono::Utc::now().to_rfc3339();
    let mut obs =
        json!({"schema": "pucha.observation/1", "monitoring_point": ctx.crawl.to_string(), "site": site});
    let mut attempts = Vec::new();
    let mut notes = Vec::new();
    let mut names = Vec::new();
    let mut not_visited: Vec<Value> = Vec::new();
    for a in adapters {
        observer(ProbeEvent::Started(a.name()));
        let c = a.run(ctx).await;
        observer(ProbeEvent::Finished(a.name(), c.attempts.len()));
        if let Value::Object(o) = &mut obs {
            o.extend(c.facts);
        }
        names.push(a.name());
        for nv in c.not_visited {
            if !not_visited.contains(&nv) {
                not_visited.push(nv);
            }
        }
        attempts.push((a.name(), c.attempts));
        notes.push((a.name(), c.notes));
    }
    let mut to_homepage = attempts
        .iter()
        .flat_map(|(_, a)| a)
        .filter(|a| is_homepage(&a.url, &s.homepage))
        .peekable();
    let tried = to_homepage.peek().is_some();
    // Reached: some request to it got an answer (any status); adapters that never ask for it say nothing.
    let homepage_reached = !tried || to_homepage.any(|a| a.result.parse::<u16>().is_ok());
    if !homepage_reached && let Value::Object(o) = &mut obs {
        // Nothing read from the site stands: keep who it is and its failed visits, if any.
        o.retain(|k, _| {
            matches!(
                k.as_str(),
                "schema" | "monitoring_point" | "site" | "availability"
            )
        });
    }
    obs["provenance"] = json!({
        "tool": format!("pucha-probes {}", env!("CARGO_PKG_VERSION")),
        "adapters": names,
        "started": started,
        "finished": chrono::Utc::now().to_rfc3339(),
        "user_agent": ctx.fetcher.config().user_agent,
    });
    if !not_visited.is_empty() {
        obs["provenance"]["not_visited"] = Value::Array(not_visited);
    }
    pucha_core::Observation::from_json_value(obs.clone())
        .map_err(|e| format!("the assembled observation is invalid: {e}"))?;
    Ok(ProbeRun {
        observation: obs,
        attempts,
        notes,
        homepage_reached,
    })
}

/// Whether a request went to the homepage (the availability sample adds a cache-busting query).
fn is_homepage(url: &str, home: &str) -> bool {
    url == home
        || url
            .strip_prefix(home)
            .is_some_and(|rest| rest.starts_with(['?', '&']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(status: u16, body: &str) -> crate::http::Page {
        crate::http::Page {
            url: "http://x/".into(),
            status,
            content_type: Some("text/html; charset=utf-8".into()),
            body: body.as_bytes().to_vec(),
            truncated: false,
            redirects: 0,
            elapsed_ms: 1,
        }
    }

    #[test]
    fn a_fetched_page_is_judged_by_the_extraction_crate() {
        assert!(throttled_or_walled(&page(429, "")));
        assert!(throttled_or_walled(&page(
            403,
            "<title>网站防火墙</title>您的访问被拦截"
        )));
        assert!(!throttled_or_walled(&page(403, "<h1>Forbidden</h1>")));
    }
}
