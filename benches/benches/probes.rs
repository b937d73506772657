//! Criterion benches for the probes issue: date and item extraction ≥ 50 MB/s of HTML (docs/performance.md).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pucha_probes::{decode_page, extract_items, find_dates};
use std::hint::black_box;

/// A list page as government sites write them: a page frame with navigation, a script and a style, then `rows`
/// list rows in the date formats real sites use, some in a table.
fn list_page(rows: usize) -> String {
    let mut h = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告</title><style>.list li{float:left}</style>\
         <script>var nav = '<li><a href=\"x\">x</a></li>';</script></head><body><div class=\"nav\"><a href=\"/\">首页</a>\
         <a href=\"/xxgk/\">政务公开</a><a href=\"/bsfw/\">办事服务</a><a href=\"/hdjl/\">互动交流</a></div><ul class=\"list\">",
    );
    for i in 0..rows {
        let (m, d) = (1 + i % 12, 1 + i % 28);
        let date = match i % 5 {
            0 => format!("<span>2015-{m:02}-{d:02}</span>"),
            1 => format!("[{m:02}-{d:02}]"),
            2 => format!("<em>2015年{m}月{d}日</em>"),
            3 => format!("<span>2015/{m}/{d}</span>"),
            _ => format!("<span>２０１５．{m:02}．{d:02}</span>"),
        };
        h.push_str(&format!(
            "<li><a href=\"/xxgk/tzgg/2015{m:02}/t2015{m:02}{d:02}_{i}.html\" title=\"关于做好第{i}项重点工作的通知（全文）\" \
             target=\"_blank\">关于做好第{i}项重点工作的通知&hellip;</a>{date}</li>\n"
        ));
    }
    h.push_str("</ul><div class=\"page\"><a href=\"index_1.html\">上一页</a><a href=\"index_3.html\">下一页</a></div></body></html>");
    h
}

fn extraction(c: &mut Criterion) {
    let crawl = NaiveDate::from_ymd_opt(2015, 12, 31).unwrap();
    let page = list_page(5_000);
    assert_eq!(
        extract_items(
            &page,
            Some("http://www.example.gov.cn/xxgk/tzgg/index.html"),
            crawl
        )
        .items
        .len(),
        5_000
    );
    let mut g = c.benchmark_group("probes");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("extract_items", |b| {
        b.iter(|| {
            extract_items(
                black_box(&page),
                Some("http://www.example.gov.cn/xxgk/tzgg/index.html"),
                crawl,
            )
        })
    });
    g.bench_function("find_dates", |b| b.iter(|| find_dates(black_box(&page), crawl)));
    let gbk = encoding_rs::GBK
        .encode(&page.replace("charset=\"utf-8\"", "charset=\"gbk\""))
        .0
        .into_owned();
    g.throughput(Throughput::Bytes(gbk.len() as u64));
    g.bench_function("decode_gbk_page", |b| {
        b.iter(|| decode_page(black_box(&gbk), None))
    });
    g.finish();
}

/// Link checking against a 2,020-link site on 127.0.0.1 (20 pages of 100 links; every 50th missing), as a site
/// owner checking their own site would run it (no pause between requests, 32 in flight).
fn link_checking(c: &mut Criterion) {
    use pucha_probes::adapters::{Adapter, LinksAdapter, ProbeContext};
    use pucha_probes::profile::{BasicInfo, SiteProfile};
    use pucha_probes::{FetchConfig, Fetcher};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let served = rt
        .block_on(pucha_probes::fixture::serve_link_farm(20, 100))
        .unwrap();
    let fetcher = Fetcher::new(FetchConfig {
        allow_private: true,
        min_interval: std::time::Duration::ZERO,
        per_host: 32,
        ..FetchConfig::default()
    })
    .unwrap();
    let ctx = ProbeContext {
        fetcher: std::sync::Arc::new(fetcher),
        profile: SiteProfile {
            site: BasicInfo {
                homepage: format!("{}/", served.base),
                ..BasicInfo::default()
            },
            ..SiteProfile::default()
        },
        crawl: NaiveDate::from_ymd_opt(2015, 11, 15).unwrap(),
        page_budget: 21,
        link_budget: usize::MAX,
    };
    let mut g = c.benchmark_group("probes");
    g.sample_size(10);
    g.throughput(Throughput::Elements(2_020));
    g.bench_function("check_links_2020", |b| {
        b.iter(|| {
            let out = rt.block_on(LinksAdapter.run(&ctx));
            assert_eq!(out.facts["links"]["checked"], 2_020);
            out
        })
    });
    g.finish();
}

criterion_group!(benches, extraction, link_checking);
criterion_main!(benches);
