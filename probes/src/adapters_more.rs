//! The interaction, services and text-screening adapters.

use crate::adapters::{Adapter, AdapterFuture, Attempt, Contribution, ProbeContext, outcome_text};
use crate::http::Outcome;
use pucha_extract::profile::category_key;
use pucha_extract::{
    extract_items, facts, host_of, is_attachment, page_links, read_guide, screen_text, visible_text,
};
use serde_json::{Value, json};

pub use pucha_extract::{GUIDE_ELEMENTS, Term, TermFile, default_terms};

/// Interaction: for each of 政务咨询, 调查征集 and 互动访谈, whether the site has such a column (the profile lists
/// every column), whether it opens (`usable`), and its messages (asked and answered dates: the first and second
/// date of each row; `未回复` or no second date is unanswered) or activities (dated items).
#[derive(Debug, Clone, Copy, Default)]
pub struct InteractionAdapter;

impl Adapter for InteractionAdapter {
    fn name(&self) -> &'static str {
        "interaction"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let mut inter = serde_json::Map::new();
            for kind in ["consultation", "survey", "interview"] {
                let cols: Vec<_> = ctx
                    .profile
                    .columns
                    .iter()
                    .filter(|col| category_key(&col.category) == Some(kind))
                    .collect();
                if cols.is_empty() {
                    inter.insert(kind.into(), json!({"exists": false}));
                    continue;
                }
                let mut usable = true;
                let mut not_visited = false;
                let mut messages = Vec::new();
                let mut activities = Vec::new();
                for col in cols {
                    let o = ctx.fetcher.get(&col.url).await;
                    c.attempts.push(Attempt {
                        url: col.url.clone(),
                        result: outcome_text(&o),
                    });
                    if let Some(reason) = crate::adapters::not_visited_reason(&o) {
                        // Not visited is not unusable: what the column holds is unknown.
                        c.not_visited(&col.url, reason);
                        not_visited = true;
                        continue;
                    }
                    let Some(page) = o.page().filter(|p| p.status < 400) else {
                        usable = false;
                        continue;
                    };
                    let list = extract_items(&page.text().text, Some(&page.url), ctx.crawl);
                    match kind {
                        "consultation" => messages.extend(facts::consultation_messages(&list)),
                        _ => activities.extend(facts::activities(&list)),
                    }
                }
                let entry = if not_visited {
                    // It exists (the profile names it); whether it works and what it holds are missing data.
                    json!({"exists": true})
                } else if kind == "consultation" {
                    json!({"exists": true, "usable": usable, "messages": messages})
                } else {
                    json!({"exists": true, "usable": usable, "activities": activities})
                };
                inter.insert(kind.into(), entry);
            }
            c.facts.insert("interaction".into(), Value::Object(inter));
            c
        })
    }
}

/// Services: each guide (the items of the 办事指南 columns) read for the 8 element categories; forms it names but
/// does not link are "not offered"; linked attachments are downloaded (status below 400, a non-empty body that is
/// not an HTML page, else broken); online systems (在线申报/查询系统 columns) must open.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServicesAdapter;

impl Adapter for ServicesAdapter {
    fn name(&self) -> &'static str {
        "services"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let mut guides = Vec::new();
            let mut systems = Vec::new();
            let mut guide_pages_read = false;
            for col in &ctx.profile.columns {
                match category_key(&col.category) {
                    Some("guide") => {
                        let o = ctx.fetcher.get(&col.url).await;
                        c.attempts.push(Attempt {
                            url: col.url.clone(),
                            result: outcome_text(&o),
                        });
                        c.skip_unvisited(&col.url, &o);
                        let Some(page) = o.page().filter(|p| p.status < 400) else {
                            continue;
                        };
                        guide_pages_read = true;
                        let list = extract_items(&page.text().text, Some(&page.url), ctx.crawl);
                        for item in list.items.iter().take(ctx.page_budget) {
                            let Some(url) = &item.url else { continue };
                            let o = ctx.fetcher.get(url).await;
                            c.attempts.push(Attempt {
                                url: url.clone(),
                                result: outcome_text(&o),
                            });
                            c.skip_unvisited(url, &o);
                            let Some(gp) = o.page().filter(|p| p.status < 400) else {
                                continue;
                            };
                            let reading = read_guide(&gp.text().text, Some(&gp.url));
                            let mut broken = Vec::new();
                            for l in &reading.attachments {
                                let o = ctx.fetcher.get(&l.url).await;
                                c.attempts.push(Attempt {
                                    url: l.url.clone(),
                                    result: outcome_text(&o),
                                });
                                if c.skip_unvisited(&l.url, &o) {
                                    // Not fetched: neither offered nor broken as far as anyone knows.
                                    continue;
                                }
                                // A download must answer below 400 with a body that is not an HTML page (a "file"
                                // that is the site's error page in disguise is broken too).
                                let ok = matches!(&o, Outcome::Fetched(p) if p.status < 400
                                    && !p.body.is_empty()
                                    && !p.content_type.as_deref().is_some_and(|t| t.starts_with("text/html")));
                                if !ok {
                                    broken.push(l.url.clone());
                                }
                            }
                            guides.push(facts::guide(&item.title, url, &reading, broken));
                        }
                    }
                    Some("online_system") => {
                        let o = ctx.fetcher.get(&col.url).await;
                        c.attempts.push(Attempt {
                            url: col.url.clone(),
                            result: outcome_text(&o),
                        });
                        if c.skip_unvisited(&col.url, &o) {
                            continue;
                        }
                        let mut s = json!({"name": col.name, "url": col.url});
                        match &o {
                            Outcome::Fetched(p) => {
                                s["reachable"] = json!(p.status < 400);
                                s["status"] = json!(p.status);
                            }
                            other => {
                                s["reachable"] = json!(false);
                                s["error"] = json!(outcome_text(other));
                            }
                        }
                        systems.push(s);
                    }
                    _ => {}
                }
            }
            let mut services = serde_json::Map::new();
            if guide_pages_read {
                services.insert("guides".into(), Value::Array(guides));
            }
            if !systems.is_empty() {
                services.insert("online_systems".into(), Value::Array(systems));
            }
            if !services.is_empty() {
                c.facts.insert("services".into(), Value::Object(services));
            }
            c
        })
    }
}

/// Text screening: the homepage and the site pages it links are read (within the page budget) and searched for
/// the dictionary's wrong forms. Findings are `confirmed: false` unless the entry is certain, so a person reviews
/// them; pages that were read and found clean give an empty list (screened, nothing found).
#[derive(Debug, Clone, Default)]
pub struct TextScreenAdapter {
    /// The dictionary (the defaults plus the user's).
    pub terms: Vec<Term>,
}

impl TextScreenAdapter {
    /// The default dictionary extended with `extra`.
    pub fn with_terms(extra: Vec<Term>) -> TextScreenAdapter {
        let mut terms = default_terms();
        terms.extend(extra);
        TextScreenAdapter { terms }
    }
}

impl Adapter for TextScreenAdapter {
    fn name(&self) -> &'static str {
        "text"
    }

    fn run<'a>(&'a self, ctx: &'a ProbeContext) -> AdapterFuture<'a> {
        Box::pin(async move {
            let mut c = Contribution::default();
            let home = ctx.profile.site.homepage.clone();
            let host = host_of(&home).unwrap_or_default();
            let mut queue = vec![home.clone()];
            let mut seen = std::collections::HashSet::from([home.clone()]);
            let mut read = 0usize;
            let mut findings = Vec::new();
            while let Some(url) = queue.pop() {
                if read > ctx.page_budget {
                    break;
                }
                let o = ctx.fetcher.get(&url).await;
                c.attempts.push(Attempt {
                    url: url.clone(),
                    result: outcome_text(&o),
                });
                let Some(page) = o.page().filter(|p| {
                    p.status < 400 && p.content_type.as_deref().is_none_or(|t| t.contains("html"))
                }) else {
                    continue;
                };
                read += 1;
                let html = page.text().text;
                let found = screen_text(&visible_text(&html), &self.terms);
                findings.extend(found.iter().map(|f| facts::content_finding(&page.url, f)));
                if url == home {
                    for l in page_links(&html, Some(&page.url)) {
                        let same = host_of(&l.url).as_deref() == Some(host.as_str());
                        if l.tag == "a" && same && !is_attachment(&l.url) && seen.insert(l.url.clone()) {
                            queue.insert(0, l.url);
                        }
                    }
                }
            }
            if read > 0 {
                c.facts.insert("content_findings".into(), Value::Array(findings));
            } else {
                c.notes
                    .push("没有读到页面，错误内容缺少数据 / no page read: no content data".into());
            }
            c
        })
    }
}

/// Every built-in adapter but availability, in the order they run: what a site's full probe reads when its
/// availability is sampled elsewhere (`pucha monitor`, a campaign).
pub fn site_adapters() -> Vec<Box<dyn Adapter>> {
    vec![
        Box::new(crate::adapters::ColumnsAdapter),
        Box::new(crate::adapters::LinksAdapter),
        Box::new(InteractionAdapter),
        Box::new(ServicesAdapter),
        Box::new(TextScreenAdapter::with_terms(Vec::new())),
    ]
}

/// The built-in adapters, in the order they run (availability as a short sample; `pucha monitor` gives the week).
pub fn default_adapters() -> Vec<Box<dyn Adapter>> {
    let mut all = site_adapters();
    all.push(Box::new(crate::adapters::AvailabilityAdapter::default()));
    all
}
