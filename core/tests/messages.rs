//! The message table (`tests/vectors/messages/mistakes.json`): each mistake, read as its case says, gives the code,
//! the Chinese and English pieces, and none of the words a person should not meet. The CLI, Python and Node run the
//! same table on their own surfaces.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly on broken fixtures"
)]

use pucha_core::messages::{Reading, hinted, read_observation};
use pucha_core::{Error, Lang, RulePack};
use serde_json::Value;

fn table() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/messages/mistakes.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("table")).expect("json");
    file["cases"].as_array().expect("cases").clone()
}

/// The error the case's input meets, read as the case says.
fn error_of(case: &Value) -> Error {
    let input = case["input"].as_str().expect("input");
    match case["reading"].as_str().expect("reading") {
        "observation" => read_observation(input).expect_err("a mistake"),
        "result" => {
            let e = pucha_core::stored::StoredReport::from_json_str(input).expect_err("a mistake");
            hinted(input, e, Reading::Result)
        }
        "params" => {
            let mut pack = RulePack::load("census-2015").expect("pack");
            let params: serde_json::Map<String, Value> = serde_json::from_str(input).expect("params");
            params
                .iter()
                .map(|(k, v)| pack.set_param(k, v.as_str().expect("text")))
                .find_map(Result::err)
                .expect("a mistake")
        }
        other => panic!("unknown reading {other}"),
    }
}

#[test]
fn every_mistake_is_said_in_both_languages() {
    let cases = table();
    assert!(cases.len() >= 12, "{}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let e = error_of(case);
        let (zh, en) = (e.words(Lang::Zh), e.words(Lang::En));
        if let Some(code) = case.get("code").and_then(Value::as_str)
            && e.code() != code
        {
            failures.push(format!("{name}: code {} is not {code}", e.code()));
        }
        if let Some(path) = case.get("path").and_then(Value::as_str)
            && e.path() != Some(path)
        {
            failures.push(format!("{name}: path {:?} is not {path}", e.path()));
        }
        for (lang, said) in [("zh", &zh), ("en", &en)] {
            for piece in case[lang].as_array().expect(lang) {
                let piece = piece.as_str().expect("piece");
                if !said.contains(piece) {
                    failures.push(format!("{name}: {lang} `{said}` lacks `{piece}`"));
                }
            }
        }
        for piece in case["absent"].as_array().expect("absent") {
            let piece = piece.as_str().expect("piece");
            if zh.contains(piece) || en.contains(piece) {
                failures.push(format!("{name}: `{zh} / {en}` holds `{piece}`"));
            }
        }
        // Chinese first: the Chinese sentence leads the line a person reads.
        if !e.bilingual().contains(&format!("{zh} / {en}")) {
            failures.push(format!("{name}: `{}` is not zh / en", e.bilingual()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
