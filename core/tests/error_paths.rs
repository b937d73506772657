//! The JSON path in an observation error, found from the error's position in the text, is the path
//! `serde_path_to_error` gives (which tracks it while reading), over thousands of broken observations: values of
//! the examples and shared vectors replaced by values of the wrong kind, objects given an unknown key and stripped
//! of each key in turn, each written compact and pretty. Stored reports likewise, but for evidence records.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use pucha_core::Observation;
use pucha_core::stored::StoredReport;
use serde_json::{Value, json};
use std::path::Path;

/// The path `serde_path_to_error` gives for the first problem in `text`, or `None` when the text reads.
fn tracked<T: serde::de::DeserializeOwned>(text: &str) -> Option<String> {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => None,
        Err(e) => Some(e.path().to_string()),
    }
}

fn corpus() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("examples/observations")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            out.push(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap());
        }
    }
    for dir in std::fs::read_dir(root.join("tests/vectors")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(dir).unwrap() {
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(f.unwrap().path()).unwrap()).unwrap();
            for case in v["cases"].as_array().unwrap() {
                out.push(case["observation"].clone());
            }
        }
    }
    out
}

/// Every way of breaking `v` once, by pointer: replaced values, an added unknown key, a removed key.
fn mutations(v: &Value) -> Vec<Value> {
    let wrong = [
        json!("x"),
        json!(-1),
        json!(1.5),
        json!(true),
        json!(null),
        json!([]),
        json!([{"z": 1}]),
        json!({}),
        json!({"unknown_key": 1}),
        json!("2015-02-30"),
        json!(18446744073709551615u64),
    ];
    let mut pointers = Vec::new();
    collect(v, String::new(), &mut pointers);
    let mut out = Vec::new();
    for ptr in &pointers {
        for w in &wrong {
            let mut m = v.clone();
            *m.pointer_mut(ptr).unwrap() = w.clone();
            out.push(m);
        }
        let target = v.pointer(ptr).unwrap();
        if let Value::Object(obj) = target {
            let mut m = v.clone();
            m.pointer_mut(ptr)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert("zzz_unknown".into(), json!(1));
            out.push(m);
            for k in obj.keys() {
                let mut m = v.clone();
                m.pointer_mut(ptr).unwrap().as_object_mut().unwrap().remove(k);
                out.push(m);
            }
        }
    }
    out
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                collect(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            // The first two elements stand for the rest (long lists of links and items would multiply the run).
            for (i, x) in a.iter().enumerate().take(2) {
                collect(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn observation_error_paths_match_path_tracking() {
    let (mut checked, mut unknown) = (0, 0);
    let corpus = corpus();
    // Every mutation of the examples; of the vectors' many small observations, a deterministic sample.
    let examples = 6;
    for (n, obs) in corpus.iter().enumerate() {
        let step = if n < examples { 1 } else { 7 };
        for m in mutations(obs).into_iter().skip(n % step).step_by(step) {
            // A list at the root is refused before serde reads it by position (`invalid_type`, no path).
            if m.is_array() {
                continue;
            }
            // Pretty-printed too, for some (positions then span lines).
            let pretty = (checked % 5 == 0).then(|| serde_json::to_string_pretty(&m).unwrap());
            for text in std::iter::once(m.to_string()).chain(pretty) {
                let Some(want) = tracked::<Observation>(&text) else {
                    continue;
                };
                // `serde_path_to_error` writes `?` where it has no key yet (an object cut short); the position
                // names the object itself there, which is checked separately below.
                if want.contains('?') {
                    unknown += 1;
                    continue;
                }
                // The root is no path.
                let want = if want == "." { None } else { Some(want) };
                let got = Observation::from_json_str(&text).expect_err("tracking failed, so must reading");
                assert_eq!(got.path(), want.as_deref(), "{got}\n{text}");
                let from_value = Observation::from_json_value(m.clone()).expect_err("and from a value");
                assert_eq!(from_value.path(), want.as_deref(), "{from_value}");
                assert_eq!(from_value.line(), None);
                checked += 1;
            }
        }
    }
    eprintln!("{checked} broken observations checked, {unknown} without a tracked path");
    assert!(checked > 3_000, "only {checked} broken observations");
    assert!(
        unknown * 100 < checked,
        "{unknown} of {checked} without a tracked path"
    );
}

#[test]
fn syntax_errors_name_the_value_being_read() {
    for (text, path) in [
        (r#"{"site": {"name": "x"#, "site.name"),
        (
            r#"{"columns": [{"name": "a", "category": "dynamics"}, {"name": ]"#,
            "columns[1].name",
        ),
        (r#"{"site": {"#, "site"),
        (r#"{"monitoring_point": "2015-06-30"} x"#, "."),
    ] {
        let want = tracked::<Observation>(text).unwrap();
        if !want.contains('?') {
            assert_eq!(want, path, "{text}");
        }
        let e = Observation::from_json_str(text).unwrap_err();
        assert_eq!(e.path().unwrap_or("."), path, "{text}");
        assert!(e.line().is_some());
    }
}

#[test]
fn stored_report_error_paths_match_path_tracking() {
    let engine = pucha_core::Engine::builtin("census-2015").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/observations/raw-evidence.json");
    let obs = Observation::from_json_str(&std::fs::read_to_string(root).unwrap()).unwrap();
    let report: Value = serde_json::to_value(engine.score(&obs)).unwrap();
    let (mut checked, mut exact) = (0, 0);
    for m in mutations(&report) {
        let text = m.to_string();
        let Some(want) = tracked::<StoredReport>(&text) else {
            continue;
        };
        if want.contains('?') {
            continue;
        }
        let got = StoredReport::from_json_str(&text).expect_err("tracking failed, so must reading");
        // Evidence records are read whole before their kind is known (an internally tagged enum), so a problem
        // inside one is found only after it: the path then names the evidence list.
        let got = got.path().unwrap_or(".");
        assert!(
            want == got || want.starts_with(&format!("{got}[")) || want.starts_with(&format!("{got}.")),
            "{got} is not {want} nor names a value around it"
        );
        exact += usize::from(want == got);
        checked += 1;
    }
    eprintln!("{checked} broken reports checked, {exact} paths exactly as tracked");
    assert!(checked > 300, "only {checked} broken reports");
    assert!(exact * 10 > checked * 9, "only {exact} of {checked} exact");
}
