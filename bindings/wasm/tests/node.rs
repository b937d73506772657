//! wasm-bindgen-test smoke tests, run in Node: the exports work inside WebAssembly.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, reason = "tests")]

use pucha_wasm::{Engine, packs};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scores_inside_wasm() {
    let e = Engine::new("\"census-2015\"", "{}").unwrap();
    let a = e.score(r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"links":{"homepage_broken":2,"other_broken":17}}"#);
    assert!(a.starts_with(r#"{"type":"success""#), "{a}");
    assert!(a.contains(r#""points":3.7"#), "{a}");
}

#[wasm_bindgen_test]
fn bad_input_is_an_answer_not_a_trap() {
    let e = Engine::new("\"census-2015\"", "{}").unwrap();
    let a = e.score("{");
    assert!(a.contains(r#""code":"json_syntax""#), "{a}");
    let a = e.score(r#"{"monitoring_point":"2015-02-30","site":{"name":"x"}}"#);
    assert!(a.contains(r#""code":"invalid_date""#), "{a}");
    assert!(Engine::new("\"nope\"", "{}").is_err());
    assert!(packs().contains("census-2015"));
}

#[cfg(not(feature = "full"))]
#[wasm_bindgen_test]
fn the_main_module_reads_built_in_packs_only() {
    // Built with its default features, as scripts/build-wasm builds the main module.
    assert!(!pucha_wasm::reads_toml());
    let err = Engine::new(r#"{"toml": "[pack]"}"#, "").unwrap_err();
    assert!(err.contains(r#""code":"toml_unavailable""#), "{err}");
    // It embeds census-2015 alone, and lists every built-in pack.
    let err = Engine::new("\"checklist-2019\"", "").unwrap_err();
    assert!(err.contains(r#""code":"pack_unavailable""#), "{err}");
    assert!(err.contains("init({ full: true })"), "{err}");
    assert!(packs().contains("checklist-2019"));
}

#[cfg(feature = "full")]
#[wasm_bindgen_test]
fn the_full_module_reads_toml_renders_text_and_answers_requests() {
    // Built with `--features full`, as scripts/build-wasm builds the full module.
    assert!(pucha_wasm::reads_toml());
    let a = pucha_wasm::call(
        r#"{"pack": {"toml": "[pack]"}, "observation": {"monitoring_point": "2015-06-30", "site": {"name": "x"}}}"#,
    );
    // Read by the TOML reader (the main module would say `toml_unavailable`): `[pack]` alone lacks its id.
    assert!(a.contains(r#""code":"missing_field""#), "{a}");
    let a = pucha_wasm::call("{");
    assert!(a.contains(r#""code":"json_syntax""#), "{a}");
    let e = Engine::new("\"census-2015\"", "").unwrap();
    let t = e.score_text(
        r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}}"#,
        "zh",
    );
    assert!(t.contains(r#""type":"success""#), "{t}");
    assert!(t.contains("监测时间点：2015-06-30"), "{t}");
    assert!(e.info().contains(r#""checkpoint""#));
    assert!(pucha_wasm::flat_columns().contains("links.other_broken"));
    let e = Engine::new("\"checklist-2019\"", "").unwrap();
    let a = e.score(r#"{"monitoring_point": "2019-06-30", "site": {"name": "x"}}"#);
    assert!(a.starts_with(r#"{"type":"success""#), "{a}");
}
