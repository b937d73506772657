//! The interaction, services and text-screening adapters.

use crate::adapters::{Adapter, AdapterFuture, Attempt, Contribution, ProbeContext, outcome_text};
use crate::http::Outcome;
use pucha_extract::profile::category_key;
use pucha_extract::{extract_items, page_links, visible_text};
use serde::Deserialize;
use serde_json::{Value, json};

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
                    for item in list.items {
                        match (kind, item.dates.first()) {
                            ("consultation", Some(asked)) => messages.push(json!({
                                "asked": asked.to_string(),
                                "answered": item.dates.get(1).map(|d| d.to_string()),
                                "title": item.title,
                                "url": item.url,
                            })),
                            ("survey" | "interview", _) => {
                                if let Some(d) = item.published {
                                    activities.push(
                                        json!({"date": d.to_string(), "title": item.title, "url": item.url}),
                                    );
                                }
                            }
                            _ => {}
                        }
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

/// The 8 element categories of a service guide: key and the heading sites use.
pub const GUIDE_ELEMENTS: [(&str, &str); 8] = [
    ("name", "事项名称"),
    ("basis", "设定依据"),
    ("conditions", "申请条件"),
    ("materials", "办理材料"),
    ("location", "办理地点"),
    ("hours", "办理时间"),
    ("phone", "联系电话"),
    ("process", "办理流程"),
];

fn is_attachment(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    [
        ".doc", ".docx", ".xls", ".xlsx", ".pdf", ".zip", ".rar", ".wps", ".et",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

/// Forms named in a text: `《…表》`, `《…书》`, `《…单》`.
fn named_forms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let after = &rest[open + '《'.len_utf8()..];
        let Some(close) = after.find('》') else { break };
        let name = &after[..close];
        if ["表", "书", "单"].iter().any(|s| name.ends_with(s)) && !out.iter().any(|n: &String| n == name)
        {
            out.push(name.to_string());
        }
        rest = &after[close..];
    }
    out
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
                            let html = gp.text().text;
                            let text = visible_text(&html);
                            let missing: Vec<&str> = GUIDE_ELEMENTS
                                .iter()
                                .filter(|(_, zh)| !text.contains(zh))
                                .map(|(k, _)| *k)
                                .collect();
                            let links: Vec<_> = page_links(&html, Some(&gp.url))
                                .into_iter()
                                .filter(|l| is_attachment(&l.url))
                                .collect();
                            // A named form is offered when the page links an attachment whose anchor text names it;
                            // the anchor texts are in the visible text too, so compare per link.
                            let anchors = anchor_texts(&html);
                            let not_offered: Vec<String> = named_forms(&text)
                                .into_iter()
                                .filter(|f| {
                                    !anchors
                                        .iter()
                                        .any(|(href, t)| t.contains(f.as_str()) && is_attachment(href))
                                })
                                .collect();
                            let mut broken = Vec::new();
                            for l in &links {
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
                            guides.push(json!({
                                "name": item.title,
                                "url": url,
                                "missing_elements": missing,
                                "attachments_not_offered": not_offered,
                                "attachments_broken": broken,
                            }));
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

/// `(href, anchor text)` of each `<a>`.
fn anchor_texts(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| t.find("<a ")) {
        let start = from + p;
        let Some(close) = lower[start..].find("</a>").map(|e| start + e) else {
            break;
        };
        let inner = &html[start..close];
        let href = inner
            .split("href=")
            .nth(1)
            .map(|h| {
                h.trim_start_matches(['"', '\''])
                    .split(['"', '\'', ' ', '>'])
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default();
        out.push((href, visible_text(inner)));
        from = close + 4;
    }
    out
}

/// One entry of the text-screening dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The wrong form, as it would appear.
    pub wrong: String,
    /// The right form.
    pub right: String,
    /// When true the wrong form is never right anywhere, and findings are `confirmed`; otherwise a person reviews.
    #[serde(default)]
    pub certain: bool,
}

/// A user dictionary file: `[[term]]` tables with `wrong`, `right`, `certain`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    /// The entries.
    #[serde(default)]
    pub term: Vec<Term>,
}

/// A small default set of official terms and their common wrong forms.
pub fn default_terms() -> Vec<Term> {
    let t = |wrong: &str, right: &str, certain: bool| Term {
        wrong: wrong.into(),
        right: right.into(),
        certain,
    };
    vec![
        t("中华人民共合国", "中华人民共和国", true),
        t("国务院办工厅", "国务院办公厅", true),
        t("社会主义核心价值规", "社会主义核心价值观", true),
        t("党风廉正建设", "党风廉政建设", true),
        t("依法形政", "依法行政", true),
        t("全国人民代表大会常务委员", "全国人民代表大会常务委员会", false),
        t("截止目前", "截至目前", false),
        t("截止到目前", "截至目前", false),
        t("既往不究", "既往不咎", false),
    ]
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
            let host = url::Url::parse(&home)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
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
                let text = visible_text(&html);
                for t in &self.terms {
                    let mut from = 0;
                    while let Some(p) = text.get(from..).and_then(|s| s.find(&t.wrong)) {
                        let at = from + p;
                        let start = text[..at].char_indices().rev().nth(14).map_or(0, |(i, _)| i);
                        let end_at = at + t.wrong.len();
                        let end = text[end_at..]
                            .char_indices()
                            .nth(15)
                            .map_or(text.len(), |(i, _)| end_at + i);
                        findings.push(json!({
                            "kind": "serious_typo",
                            "url": page.url,
                            "excerpt": pucha_extract::printable(&text[start..end]),
                            "expected": t.right,
                            "confirmed": t.certain,
                        }));
                        from = end_at;
                    }
                }
                if url == home {
                    for l in page_links(&html, Some(&page.url)) {
                        let same = url::Url::parse(&l.url)
                            .ok()
                            .and_then(|u| u.host_str().map(str::to_string))
                            .as_deref()
                            == Some(host.as_str());
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
