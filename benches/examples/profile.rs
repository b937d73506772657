//! Score a fixture in a loop, for a profiler: `cargo run --release -p pucha-bench --example profile -- raw|counts
//! [tally|parse|json|score|dump] [N]` (`parse`: read the JSON text and tally it each time, as a Python batch's
//! worker does; `json`: JSON text in, report JSON out, as the CLI and the bindings do; `dump`: print the fixture's
//! JSON, for comparing two builds' reports; `N` scores, 2,000 by default; with `N`, the time per score is printed,
//! for comparing two builds back to back).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]
fn main() {
    let engine = pucha_core::Engine::builtin("census-2015").expect("pack");
    let which = std::env::args().nth(1).unwrap_or_else(|| "raw".into());
    let text = if which == "counts" {
        pucha_bench::counts_only().to_string()
    } else {
        pucha_bench::realistic_raw()
    };
    if std::env::args().nth(2).as_deref() == Some("dump") {
        println!("{text}");
        return;
    }
    let obs = pucha_core::Observation::from_json_str(&text).expect("fixture");
    let mode = std::env::args().nth(2).unwrap_or_default();
    let (tally, parse, json) = (mode == "tally", mode == "parse", mode == "json");
    let timed: Option<usize> = std::env::args().nth(3).and_then(|a| a.parse().ok());
    let rounds = timed.unwrap_or(2000);
    let start = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        n += if json {
            pucha_core::ffi::score_json(&engine, &text)
                .expect("fixture")
                .to_json()
                .len()
        } else if parse {
            let o = pucha_core::Observation::from_json_str(&text).expect("fixture");
            engine.tally(&o).rules.len()
        } else if tally {
            engine.tally(&obs).rules.len()
        } else {
            engine.score(&obs).rules.len()
        };
    }
    if timed.is_some() {
        let per = start.elapsed().as_secs_f64() * 1e6 / rounds.max(1) as f64;
        println!("{which} {mode}: {per:.2} µs per score");
    } else {
        println!("{n}");
    }
}
