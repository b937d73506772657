//! The stored-report readers (`render`, `summarize`, `diff` input): any text either fails with an error or reads
//! into a report and a digest that roll up and compare with themselves without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pucha_core::diff::compare_site;
use pucha_core::rollup::{GroupBy, Rollup};
use pucha_core::stored::{Digest, StoredReport, TitleBook};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = StoredReport::from_json_str(text) {
        let d = compare_site(&r, &r);
        let _ = format!("{d:?}");
        let _ = Digest::from_stored(&r);
    }
    let mut titles = TitleBook::default();
    if let Ok(d) = Digest::read(text, Some(&mut titles)) {
        for by in ["region", "kind", "none"] {
            if let Some(g) = GroupBy::parse(by) {
                let _ = Rollup::build_with_titles(std::slice::from_ref(&d), g, Some(&titles));
            }
        }
    }
});
