//! Link checking on a 50,000-link site served on 127.0.0.1: time, links per second and peak memory (VmHWM).
//! `cargo run --release -p pucha-bench --example links50k [pages] [links per page]`.
#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a measurement")]

use pucha_probes::adapters::{Adapter, LinksAdapter, ProbeContext};
use pucha_probes::fixture::serve_link_farm;
use pucha_probes::profile::{BasicInfo, SiteProfile};
use pucha_probes::{FetchConfig, Fetcher};
use std::sync::Arc;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (pages, links) = (
        args.first().copied().unwrap_or(500),
        args.get(1).copied().unwrap_or(100),
    );
    let served = serve_link_farm(pages, links).await.unwrap();
    // A site owner checking their own site: no pause between requests, 32 in flight.
    let fetcher = Fetcher::new(FetchConfig {
        allow_private: true,
        min_interval: std::time::Duration::ZERO,
        per_host: 32,
        ..FetchConfig::default()
    })
    .unwrap();
    let ctx = ProbeContext {
        fetcher: Arc::new(fetcher),
        profile: SiteProfile {
            site: BasicInfo {
                homepage: format!("{}/", served.base),
                ..BasicInfo::default()
            },
            ..SiteProfile::default()
        },
        crawl: chrono::NaiveDate::from_ymd_opt(2015, 11, 15).unwrap(),
        page_budget: pages + 1,
        link_budget: usize::MAX,
    };
    let t = std::time::Instant::now();
    let c = LinksAdapter.run(&ctx).await;
    let secs = t.elapsed().as_secs_f64();
    let checked = c.facts["links"]["checked"].as_u64().unwrap();
    let broken = c.facts["links"]["broken"].as_array().unwrap().len();
    println!(
        "{checked} links checked ({broken} broken) on {} pages in {secs:.2} s: {:.0} links/s; peak memory {:.0} MB",
        pages + 1,
        checked as f64 / secs,
        peak_rss_mb()
    );
}
