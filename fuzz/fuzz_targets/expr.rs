//! The expression language: any text as a rule's condition, over measures of every type and the pack's
//! parameters, either fails to compile with a located error or scores a full and a partial observation (where it
//! is evaluated over ranges) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "observations.rs"]
mod observations;

use observations::observations;
use pucha_core::{Engine, Lang, RulePack, render_text};

const PACK: &str = r#"
schema = "pucha.pack/1"
[pack]
id = "fuzz"
version = "0.1.0"
title = { zh = "模糊测试", en = "fuzz" }
[scoring]
base = 100
fail_above = 40
[params.min]
default = 6
[params.mode]
default = "a"
allowed = ["a", "b"]
[params.cycle]
type = "window"
default = "1y"
[[indicators]]
id = "i"
title = { zh = "甲", en = "A" }
[[rules]]
id = "r"
kind = "deduction"
indicator = "i"
title = { zh = "规则", en = "rule" }
measures.failure_rate = { fact = "availability.failure_rate", window = "1w", timeout_ms = 15000 }
measures.updates = { fact = "homepage.updates", window = "2w" }
measures.blank = { fact = "columns.blank" }
measures.long_stale = { fact = "columns.overdue", default_cycle = "$cycle" }
measures.broken = { fact = "links.broken", scope = "other" }
measures.exists = { fact = "survey.exists" }
measures.usable = { fact = "survey.usable" }
measures.activities = { fact = "survey.activities", window = "1y" }
[[rules.cases]]
when = "#;

/// `s` as a TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let toml = format!("{PACK}{}\npoints = 3\n", quoted(expr));
    let pack = match RulePack::from_toml_str(&toml, "fuzz.toml") {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let engine = Engine::new(pack);
    for obs in observations() {
        let report = engine.score(obs);
        let _ = report.to_json();
        let _ = render_text(&report, Lang::Zh);
    }
});
