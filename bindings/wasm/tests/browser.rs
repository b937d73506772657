//! wasm-bindgen-test smoke test, run in headless Chromium through chromedriver.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, reason = "tests")]

use pucha_wasm::Engine;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn scores_a_flat_record_in_the_browser() {
    let e = Engine::new("\"census-2015\"", "{}").unwrap();
    let a = e.score_flat(r#"{"monitoring_point":"2015-06-30","site.kind":"portal","availability.visits":700,"availability.failures":14}"#);
    // Only availability is given: the other vetoes could still fire, so the verdict is undetermined.
    assert!(a.contains(r#""verdict":"undetermined""#), "{a}");
    assert!(a.contains(r#""points":10"#), "{a}");
    assert!(a.contains(r#""observation":"#), "{a}");
}
