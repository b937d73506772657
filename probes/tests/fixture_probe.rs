//! The probes against the fixture site on 127.0.0.1: what they find is what the generator planted.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use chrono::NaiveDate;
use pucha_probes::adapters::{
    Adapter, AvailabilityAdapter, ColumnsAdapter, LinksAdapter, ProbeContext, SampleClock, probe,
};
use pucha_probes::fixture::FixtureSite;
use pucha_probes::{FetchConfig, Fetcher};
use std::collections::BTreeSet;
use std::sync::Arc;

/// A probe context for the fixture on 127.0.0.1 (private addresses allowed, no pause between requests).
fn context(
    profile: pucha_probes::profile::SiteProfile,
    crawl: NaiveDate,
    page_budget: usize,
) -> ProbeContext {
    let fetcher = Fetcher::new(FetchConfig {
        allow_private: true,
        min_interval: std::time::Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    ProbeContext {
        fetcher: Arc::new(fetcher),
        profile,
        crawl,
        page_budget,
        link_budget: 20_000,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn columns_and_links_match_what_was_planted() {
    let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = FixtureSite::generate(2015, crawl);
    let planted = site.planted.clone();
    let served = site.clone().serve().await.unwrap();
    let profile = site.profile(&served.base);
    assert_eq!(profile.check(), vec![]);
    let ctx = context(profile, crawl, 100);
    let adapters: Vec<Box<dyn Adapter>> = vec![Box::new(ColumnsAdapter), Box::new(LinksAdapter)];
    let run = probe(&ctx, &adapters).await.unwrap();
    let obs = &run.observation;
    // Columns: the newest dated item of each, blank ones marked, undated items kept undated, GBK read.
    for col in obs["columns"].as_array().unwrap() {
        let path = col["url"]
            .as_str()
            .unwrap()
            .trim_start_matches(&served.base)
            .to_string();
        let newest = col["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["published"].as_str())
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
            .max();
        assert_eq!(newest, planted.newest[&path], "{path}");
        assert_eq!(
            col.get("blank").is_some(),
            planted.blank.contains(&path),
            "{path}"
        );
    }
    let tzgg = obs["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "通知公告")
        .unwrap();
    assert!(
        tzgg["items"][0]["title"].as_str().unwrap().starts_with("关于"),
        "GBK decoded: {tzgg}"
    );
    let jcdt = obs["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "基层动态")
        .unwrap();
    assert!(
        jcdt["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["published"].is_null())
    );
    // Links: exactly the planted broken targets, at the right depth.
    let broken: BTreeSet<(String, u64)> = obs["links"]["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["url"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(&served.base)
                    .to_string(),
                b["depth"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, u64)> = planted
        .broken_on_homepage
        .iter()
        .map(|p| (p.clone(), 0))
        .chain(
            planted
                .broken_elsewhere
                .iter()
                .map(|(p, d)| (p.clone(), u64::from(*d))),
        )
        .collect();
    assert_eq!(broken, want);
    let kinds: BTreeSet<&str> = obs["links"]["broken"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["attachment", "external", "image", "page"]));
    assert!(obs["links"]["checked"].as_u64().unwrap() > 20);
    // The engine reads it: homepage updates as planted, the stale and blank columns, the broken links.
    let engine = pucha_core::Engine::builtin("census-2015").unwrap();
    let report = engine.score(&pucha_core::Observation::from_json_value(obs.clone()).unwrap());
    let rule = |id: &str| report.rules.iter().find(|r| r.id() == id).unwrap();
    // 1 point per broken homepage link, 0.1 per other.
    let want_links = planted.broken_on_homepage.len() as f64 + 0.1 * planted.broken_elsewhere.len() as f64;
    assert_eq!(
        rule("link-availability").points.to_string(),
        format!("{want_links:.1}").trim_end_matches(".0")
    );
    let updates = rule("homepage-updates").observed("updates");
    assert_eq!(
        updates,
        Some(serde_json::json!(planted.homepage_updates)),
        "homepage updates in the 2-week window"
    );
    assert!(
        run.attempts
            .iter()
            .any(|(a, xs)| *a == "links" && xs.iter().any(|x| x.result == "404"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn availability_on_a_simulated_clock() {
    let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = FixtureSite::generate(7, crawl);
    let served = site.clone().serve().await.unwrap();
    let ctx = context(site.profile(&served.base), crawl, 10);
    // A week of 24 visits a day, stamped on a simulated clock ending at the monitoring point.
    let start = chrono::DateTime::parse_from_rfc3339("2015-11-08T00:30:00+08:00").unwrap();
    let a = AvailabilityAdapter {
        samples: 7 * 24,
        spacing: std::time::Duration::ZERO,
        clock: SampleClock::Simulated {
            start,
            step: chrono::Duration::hours(1),
        },
    };
    let adapters: Vec<Box<dyn Adapter>> = vec![Box::new(a)];
    let run = probe(&ctx, &adapters).await.unwrap();
    let samples = run.observation["availability"]["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 168);
    // The fixture fails visit n when n % 30 == 7: visits 7, 37, 67, 97, 127, 157.
    let failed = samples.iter().filter(|s| s["ok"] == false).count();
    assert_eq!(failed, 6);
    assert_eq!(samples[7]["status"], 503);
    let engine = pucha_core::Engine::builtin("census-2015").unwrap();
    let report = engine.score(&pucha_core::Observation::from_json_value(run.observation.clone()).unwrap());
    let ha = report
        .rules
        .iter()
        .find(|r| r.id() == "homepage-availability")
        .unwrap();
    // 6 / 168 = 3.57 % → 5 points per 1 % → 17.9.
    assert_eq!(ha.points.to_string(), "17.9");
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.code != "sampling_below_standard"),
        "{:?}",
        report.warnings
    );
    assert!(
        run.notes
            .iter()
            .any(|(a, n)| *a == "availability" && n.iter().any(|x| x.contains("simulated")))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_services_and_text_match_what_was_planted() {
    use pucha_probes::adapters_more::{InteractionAdapter, ServicesAdapter, TextScreenAdapter};
    let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = FixtureSite::generate(5, crawl);
    let planted = site.planted.clone();
    let served = site.clone().serve().await.unwrap();
    let ctx = context(site.profile(&served.base), crawl, 100);
    let adapters: Vec<Box<dyn Adapter>> = vec![
        Box::new(InteractionAdapter),
        Box::new(ServicesAdapter),
        Box::new(TextScreenAdapter::with_terms(Vec::new())),
    ];
    let run = probe(&ctx, &adapters).await.unwrap();
    let obs = pucha_core::Observation::from_json_value(run.observation.clone()).unwrap();
    let report = pucha_core::Engine::builtin("census-2015").unwrap().score(&obs);
    let observed = |rule: &str, m: &str| {
        report
            .rules
            .iter()
            .find(|r| r.id() == rule)
            .unwrap()
            .observed(m)
            .unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(
        observed("poor-response", "overdue"),
        serde_json::json!(planted.overdue_messages)
    );
    assert_eq!(
        observed("consultation", "valid"),
        serde_json::json!(planted.valid_messages)
    );
    assert_eq!(
        observed("survey", "activities"),
        serde_json::json!(planted.survey_activities)
    );
    assert_eq!(
        observed("interview", "activities"),
        serde_json::json!(planted.interview_activities)
    );
    let missing: usize = planted.guide_missing.iter().map(|(_, m)| m.len()).sum();
    assert_eq!(observed("service-guides", "missing"), serde_json::json!(missing));
    assert_eq!(
        observed("downloads", "not_offered"),
        serde_json::json!(planted.attachments_not_offered)
    );
    assert_eq!(
        observed("downloads", "broken"),
        serde_json::json!(planted.attachments_broken)
    );
    assert_eq!(
        observed("online-systems", "unreachable"),
        serde_json::json!(planted.online_systems_unreachable)
    );
    let confirmed = planted.typos.iter().filter(|(_, c)| *c).count();
    assert_eq!(
        observed("serious-error", "confirmed"),
        serde_json::json!(confirmed)
    );
    assert_eq!(
        observed("serious-error", "unconfirmed"),
        serde_json::json!(planted.typos.len() - confirmed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_column_robots_txt_closes_is_not_visited_never_unusable() {
    use pucha_probes::adapters_more::InteractionAdapter;
    let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = FixtureSite::generate(5, crawl);
    let served = site.clone().serve().await.unwrap();
    let mut profile = site.profile(&served.base);
    // The fixture's robots.txt disallows /admin/: move the consultation column there.
    let closed = format!("{}/admin/hudong/", served.base);
    for col in profile
        .columns
        .iter_mut()
        .filter(|c| c.category == "consultation")
    {
        col.url = closed.clone();
    }
    let adapters: Vec<Box<dyn Adapter>> = vec![Box::new(InteractionAdapter)];
    let run = probe(&context(profile, crawl, 100), &adapters).await.unwrap();
    let obs = &run.observation;
    assert_eq!(
        obs["interaction"]["consultation"],
        serde_json::json!({"exists": true})
    );
    assert_eq!(
        obs["provenance"]["not_visited"],
        serde_json::json!([{"url": closed, "reason": "robots"}])
    );
    let o = pucha_core::Observation::from_json_value(obs.clone()).unwrap();
    let report = pucha_core::Engine::builtin("census-2015").unwrap().score(&o);
    let status = |id: &str| report.rules.iter().find(|r| r.id() == id).unwrap().status;
    assert_eq!(status("consultation"), pucha_core::Status::NoData);
    assert_eq!(status("poor-response"), pucha_core::Status::NoData);
    assert!(report.warnings.iter().any(|w| w.code == "not_visited"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_budget_reached_leaves_a_lower_bound() {
    let crawl = NaiveDate::from_ymd_opt(2015, 11, 15).unwrap();
    let site = FixtureSite::generate(2015, crawl);
    let served = site.clone().serve().await.unwrap();
    let mut ctx = context(site.profile(&served.base), crawl, 100);
    let adapters: Vec<Box<dyn Adapter>> = vec![Box::new(LinksAdapter)];
    let whole = probe(&ctx, &adapters).await.unwrap().observation;
    let all = whole["links"]["checked"].as_u64().unwrap();
    assert!(whole["links"].get("complete").is_none(), "{}", whole["links"]);
    ctx.link_budget = 5;
    let run = probe(&ctx, &adapters).await.unwrap();
    let links = &run.observation["links"];
    assert_eq!(links["complete"], false, "{links}");
    assert_eq!(links["checked"].as_u64(), Some(5), "{links} (of {all})");
    assert!(
        run.notes
            .iter()
            .any(|(_, n)| n.iter().any(|t| t.contains("link budget of 5")))
    );
    // Scored: the link deduction keeps what was found and is open above, so the site cannot pass on it.
    let obs = pucha_core::Observation::from_json_value(run.observation.clone()).unwrap();
    let report = pucha_core::Engine::builtin("census-2015").unwrap().score(&obs);
    let rule = report
        .rules
        .iter()
        .find(|r| r.id() == "link-availability")
        .unwrap();
    assert_eq!(rule.status, pucha_core::Status::NoData);
    assert!(report.undecided.iter().any(|u| &**u == "link-availability"));
}
