//! The pack loader: any TOML text either loads with a located error or compiles to a pack that scores a full and a
//! nearly empty observation without a panic or a hang, survives its compiled form unchanged, and writes reports
//! that read back.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "observations.rs"]
mod observations;

use observations::observations;
use pucha_core::{Engine, Lang, RulePack, render_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pack) = RulePack::from_toml_str(text, "fuzz.toml") else {
        return;
    };
    let compiled = pack.to_compiled();
    let again = RulePack::from_compiled(&compiled, "fuzz.toml").expect("a compiled pack reads back");
    assert_eq!(
        again.to_compiled(),
        compiled,
        "the compiled form changes on a round trip"
    );
    let engine = Engine::new(pack);
    for obs in observations() {
        let report = engine.score(obs);
        let json = report.to_json();
        assert!(
            pucha_core::stored::StoredReport::from_json_str(&json).is_ok(),
            "the report does not read back: {json}"
        );
        let _ = render_text(&report, Lang::En);
    }
});
