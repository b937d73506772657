//! Score a fixture in a loop, for a profiler: `cargo run --release -p pucha-bench --example profile -- raw|counts
//! [tally|parse]` (`parse`: read the JSON text and tally it each time, as a Python batch's worker does).
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
    let obs = pucha_core::Observation::from_json_str(&text).expect("fixture");
    let mode = std::env::args().nth(2).unwrap_or_default();
    let (tally, parse) = (mode == "tally", mode == "parse");
    let mut n = 0usize;
    for _ in 0..2000 {
        n += if parse {
            let o = pucha_core::Observation::from_json_str(&text).expect("fixture");
            engine.tally(&o).rules.len()
        } else if tally {
            engine.tally(&obs).rules.len()
        } else {
            engine.score(&obs).rules.len()
        };
    }
    println!("{n}");
}
