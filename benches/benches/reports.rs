//! Criterion benches for the reports issue's targets: summarise 100,000 reports ≤ 2 s; render one HTML report
//! ≤ 5 ms (figures in docs/performance.md).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use pucha_bench::{realistic_raw, varied_counts};
use pucha_core::rollup::{GroupBy, Rollup};
use pucha_core::stored::{Digest, StoredReport, TitleBook};
use pucha_core::{Engine, Lang, Observation};
use std::hint::black_box;

/// Parse every line (on all cores, as `pucha summarize` does) and roll up by region.
fn rollup(lines: &[String]) -> Rollup {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = lines.len().div_ceil(threads);
    let parts: Vec<(Vec<Digest>, TitleBook)> = std::thread::scope(|s| {
        let hs: Vec<_> = lines
            .chunks(chunk)
            .map(|c| {
                s.spawn(move || {
                    let mut titles = TitleBook::default();
                    let d = c
                        .iter()
                        .map(|l| Digest::read(l, Some(&mut titles)).unwrap())
                        .collect::<Vec<_>>();
                    (d, titles)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut titles = TitleBook::default();
    let mut digests = Vec::new();
    for (d, t) in parts {
        digests.extend(d);
        titles.merge(t);
    }
    Rollup::build_with_titles(&digests, GroupBy::Region, Some(&titles))
}

fn summarize(c: &mut Criterion) {
    let engine = Engine::builtin("census-2015").unwrap();
    // `cargo bench` passes `--bench`: the full 100,000; `cargo test --benches` (CI) runs each bench once on 1,000.
    let n = if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        1_000
    };
    let obs: Vec<Observation> = varied_counts(n)
        .iter()
        .map(|t| Observation::from_json_str(t).unwrap())
        .collect();
    let summaries: Vec<String> = obs
        .iter()
        .map(|o| serde_json::to_string(&engine.summarize(o)).unwrap())
        .collect();
    let reports: Vec<String> = obs.iter().map(|o| engine.score(o).to_json()).collect();
    let mut g = c.benchmark_group("summarize");
    g.sample_size(10);
    g.bench_function("100k_summaries", |b| b.iter(|| rollup(black_box(&summaries))));
    g.bench_function("100k_full_reports", |b| b.iter(|| rollup(black_box(&reports))));
    let digests: Vec<Digest> = summaries
        .iter()
        .map(|l| Digest::from_json_str(l).unwrap())
        .collect();
    g.bench_function("100k_rollup_only", |b| {
        b.iter(|| Rollup::build(black_box(&digests), GroupBy::Region))
    });
    g.finish();
}

fn render(c: &mut Criterion) {
    let engine = Engine::builtin("census-2015").unwrap();
    let report = engine.score(&Observation::from_json_str(&realistic_raw()).unwrap());
    let json = report.to_json();
    let stored = StoredReport::from_json_str(&json).unwrap();
    c.bench_function("render/html_realistic_report", |b| {
        b.iter(|| pucha_render::html::report_html(black_box(&stored), Lang::Zh, &Default::default()))
    });
    c.bench_function("render/html_from_json_text", |b| {
        b.iter(|| {
            pucha_render::html::report_html(
                &StoredReport::from_json_str(black_box(&json)).unwrap(),
                Lang::Zh,
                &Default::default(),
            )
        })
    });
    c.bench_function("render/xlsx_realistic_report", |b| {
        b.iter(|| pucha_render::xlsx::report_xlsx(black_box(&stored), Lang::Zh, &Default::default()).unwrap())
    });
}

criterion_group!(benches, summarize, render);
criterion_main!(benches);
