//! Criterion benches for the engine issue's targets (figures in docs/performance.md).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pucha_bench::{big_pack, counts_only, realistic_raw};
use pucha_core::{Engine, Observation, RulePack, ffi};
use std::hint::black_box;

fn load_pack(c: &mut Criterion) {
    for name in ["census-2015", "checklist-2019"] {
        c.bench_with_input(BenchmarkId::new("load_pack", name), &name, |b, n| {
            b.iter(|| RulePack::builtin(black_box(n)).map(|p| p.rules().len()))
        });
        // The same pack from its TOML text, as a user's own pack file loads.
        let src = pucha_rules::get(name).expect("built-in pack");
        c.bench_with_input(BenchmarkId::new("load_pack_toml", name), &src, |b, s| {
            b.iter(|| RulePack::from_toml_str(black_box(s), name).map(|p| p.rules().len()))
        });
    }
}

/// A user's pack of 10,000 rules, each with a measure of its own: loading is linear in the rules (target: under a
/// second).
fn load_big_pack(c: &mut Criterion) {
    let src = big_pack(10_000);
    let mut g = c.benchmark_group("load_pack_toml");
    g.sample_size(10);
    g.bench_function("10000_rules", |b| {
        b.iter(|| RulePack::from_toml_str(black_box(&src), "big.toml").map(|p| p.rules().len()))
    });
    g.finish();
}

fn score(c: &mut Criterion) {
    let engine = Engine::builtin("census-2015").expect("pack");
    let raw = Observation::from_json_str(&realistic_raw()).expect("raw fixture");
    let counts = Observation::from_json_str(counts_only()).expect("counts fixture");
    c.bench_function("score/raw_realistic", |b| {
        b.iter(|| engine.score(black_box(&raw)))
    });
    c.bench_function("score/counts_only", |b| {
        b.iter(|| engine.score(black_box(&counts)))
    });
    c.bench_function("summarize/raw_realistic", |b| {
        b.iter(|| engine.summarize(black_box(&raw)))
    });
    c.bench_function("summarize/counts_only", |b| {
        b.iter(|| engine.summarize(black_box(&counts)))
    });
    c.bench_function("tally/counts_only", |b| {
        b.iter(|| engine.tally(black_box(&counts)))
    });
}

fn json_in_out(c: &mut Criterion) {
    let engine = Engine::builtin("census-2015").expect("pack");
    let mut g = c.benchmark_group("json_in_out");
    for (name, text) in [
        ("raw_realistic", realistic_raw()),
        ("counts_only", counts_only().to_string()),
    ] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| ffi::score_json(&engine, black_box(t)).map(|r| r.to_json().len()))
        });
    }
    g.finish();
}

criterion_group!(benches, load_pack, load_big_pack, score, json_in_out);
criterion_main!(benches);
