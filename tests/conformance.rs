//! Every shared vector, through the same JSON boundary (`pucha_core::ffi::call`) that Python and WASM use.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use pucha_conformance::{check, load_all, request};

#[test]
fn all_vectors_pass() {
    let files = load_all().expect("vectors load");
    assert!(
        files.len() >= 10,
        "expected the vector files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, file) in &files {
        for case in &file.cases {
            n += 1;
            let req = request(file, case).to_string();
            let answer: serde_json::Value =
                serde_json::from_str(&pucha_core::ffi::call(&req)).expect("answer is JSON");
            if let Err(e) = check(&case.expected, &answer) {
                failures.push(format!("{name} › {}\n  {}", case.name, e.replace('\n', "\n  ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} vector cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{n} vector cases passed");
}

#[test]
fn scoring_twice_is_byte_identical() {
    for (_, file) in load_all().expect("vectors load") {
        for case in &file.cases {
            let req = request(&file, case).to_string();
            assert_eq!(pucha_core::ffi::call(&req), pucha_core::ffi::call(&req));
        }
    }
}

/// A small JSON Schema checker for the subset the published schemas use (types, also as lists, properties,
/// additionalProperties, required, items, enum, const, minimum, oneOf/anyOf, $ref), to keep
/// `docs/observation.schema.json` in step with what the parser accepts and `docs/report.schema.json` with what the
/// engine writes.
fn validate(
    schema: &serde_json::Value,
    root: &serde_json::Value,
    v: &serde_json::Value,
    path: &str,
) -> Result<(), String> {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(&root["$defs"][name], root, v, path);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array)
            && !alts.iter().any(|a| validate(a, root, v, path).is_ok())
        {
            return Err(format!("{path}: matches no alternative"));
        }
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        return Err(format!("{path}: expected {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{path}: {v} not in enum"));
    }
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        // A list of types: the value has one of them (checked one by one with the rest of the schema).
        let ok = types.iter().any(|t| {
            let mut one = schema.clone();
            one["type"] = t.clone();
            validate(&one, root, v, path).is_ok()
        });
        return if ok {
            Ok(())
        } else {
            Err(format!("{path}: not one of {types:?}"))
        };
    }
    // `properties` and `required` apply to any object, typed or not (the free-form provenance has no type).
    let untyped_object =
        v.is_object() && (schema.get("properties").is_some() || schema.get("required").is_some());
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .or(untyped_object.then_some("object"));
    match ty {
        Some("object") => {
            let o = v.as_object().ok_or_else(|| format!("{path}: not an object"))?;
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, x) in o {
                match props.and_then(|p| p.get(k)) {
                    Some(s) => validate(s, root, x, &format!("{path}.{k}"))?,
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return Err(format!("{path}: `{k}` is not in the schema"));
                    }
                    None => {}
                }
            }
            for r in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(r) = r.as_str()
                    && !o.contains_key(r)
                {
                    return Err(format!("{path}: missing `{r}`"));
                }
            }
        }
        Some("array") => {
            let a = v.as_array().ok_or_else(|| format!("{path}: not an array"))?;
            if let Some(items) = schema.get("items") {
                for (i, x) in a.iter().enumerate() {
                    validate(items, root, x, &format!("{path}[{i}]"))?;
                }
            }
        }
        Some("string") if !v.is_string() => return Err(format!("{path}: not a string")),
        Some("integer") if !(v.is_u64() || v.is_i64()) => return Err(format!("{path}: not an integer")),
        Some("integer")
            if schema.get("minimum").and_then(Value::as_i64) == Some(0)
                && v.as_i64().is_some_and(|n| n < 0) =>
        {
            return Err(format!("{path}: negative"));
        }
        Some("number") if !v.is_number() => return Err(format!("{path}: not a number")),
        Some("number")
            if schema
                .get("minimum")
                .and_then(Value::as_f64)
                .zip(v.as_f64())
                .is_some_and(|(m, x)| x < m) =>
        {
            return Err(format!("{path}: below the minimum"));
        }
        Some("boolean") if !v.is_boolean() => return Err(format!("{path}: not a boolean")),
        Some("null") if !v.is_null() => return Err(format!("{path}: not null")),
        _ => {}
    }
    Ok(())
}

#[test]
fn published_schema_matches_the_parser() {
    let root = pucha_conformance::vectors_dir().join("../..");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("docs/observation.schema.json")).expect("schema"),
    )
    .expect("json");
    let mut checked = 0;
    let mut observations: Vec<(String, serde_json::Value)> = Vec::new();
    for entry in std::fs::read_dir(root.join("examples/observations")).expect("examples") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            observations.push((
                p.display().to_string(),
                serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("json"),
            ));
        }
    }
    for (name, file) in load_all().expect("vectors") {
        for case in file.cases {
            let accepted = pucha_core::Observation::from_json_value(case.observation.clone()).is_ok();
            let res = validate(&schema, &schema, &case.observation, "$");
            if accepted {
                observations.push((format!("{name} › {}", case.name), case.observation));
            } else if let Some(code) = case.expected.pointer("/error/code").and_then(|c| c.as_str())
                && ["unknown_field", "invalid_type", "missing_field"].contains(&code)
            {
                assert!(
                    res.is_err(),
                    "{name} › {}: the parser rejects it ({code}) but the schema accepts it",
                    case.name
                );
                checked += 1;
            }
        }
    }
    for (name, obs) in &observations {
        assert!(
            pucha_core::Observation::from_json_value(obs.clone()).is_ok(),
            "{name} should parse"
        );
        if let Err(e) = validate(&schema, &schema, obs, "$") {
            panic!("{name}: the parser accepts it but the schema does not: {e}");
        }
        checked += 1;
    }
    assert!(checked > 80, "checked {checked}");
}

#[test]
fn summarize_equals_the_report_summary() {
    let mut n = 0;
    for (name, file) in load_all().expect("vectors") {
        for case in &file.cases {
            let mut params = file.params.clone();
            params.extend(case.params.clone());
            let pack =
                serde_json::from_value::<pucha_core::ffi::PackRef>(file.pack.clone()).expect("pack ref");
            let Ok(engine) = pucha_core::ffi::engine_for(&pack, &params) else {
                continue;
            };
            let Ok(obs) = pucha_core::Observation::from_json_value(case.observation.clone()) else {
                continue;
            };
            let full = engine.score(&obs).summary();
            let fast = engine.summarize(&obs);
            assert_eq!(fast, full, "{name} › {}", case.name);
            assert_eq!(
                serde_json::to_string(&fast).expect("json"),
                serde_json::to_string(&full).expect("json")
            );
            n += 1;
        }
    }
    assert!(n > 90, "compared {n}");
}

/// Every report the vectors produce, and every summary of one, matches the published report schema
/// (`docs/report.schema.json`); a report with a field the schema does not know fails.
#[test]
fn reports_match_the_published_schema() {
    let root = pucha_conformance::vectors_dir().join("../..");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("docs/report.schema.json")).expect("schema"))
            .expect("json");
    let mut n = 0;
    for (name, file) in load_all().expect("vectors") {
        for case in &file.cases {
            let answer: serde_json::Value =
                serde_json::from_str(&pucha_core::ffi::call(&request(&file, case).to_string()))
                    .expect("answer");
            let Some(report) = answer.get("report") else {
                continue;
            };
            if let Err(e) = validate(&schema, &schema, report, "$") {
                panic!(
                    "{name} › {}: the report does not match the schema: {e}",
                    case.name
                );
            }
            let mut params = file.params.clone();
            params.extend(case.params.clone());
            let pack =
                serde_json::from_value::<pucha_core::ffi::PackRef>(file.pack.clone()).expect("pack ref");
            let engine = pucha_core::ffi::engine_for(&pack, &params).expect("engine");
            let obs =
                pucha_core::Observation::from_json_value(case.observation.clone()).expect("observation");
            let summary = serde_json::to_value(engine.summarize(&obs)).expect("json");
            if let Err(e) = validate(&schema, &schema, &summary, "$") {
                panic!(
                    "{name} › {}: the summary does not match the schema: {e}",
                    case.name
                );
            }
            n += 1;
        }
    }
    assert!(n > 100, "checked {n}");
    // The checker is not blind: an unknown field, a wrong verdict and a negative point each fail.
    let answer: serde_json::Value = serde_json::from_str(&pucha_core::ffi::call(
        r#"{"observation": {"monitoring_point": "2015-06-30", "site": {"name": "x"}}}"#,
    ))
    .expect("answer");
    let report = answer["report"].clone();
    assert!(validate(&schema, &schema, &report, "$").is_ok());
    for (pointer, bad) in [
        ("/surprise", serde_json::json!(1)),
        ("/verdict", serde_json::json!("maybe")),
        ("/total_deduction", serde_json::json!(-1)),
        ("/rules/0/points_max", serde_json::json!("many")),
    ] {
        let mut r = report.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        r.pointer_mut(if parent.is_empty() { "" } else { parent })
            .and_then(serde_json::Value::as_object_mut)
            .expect("parent")
            .insert(key.to_string(), bad);
        assert!(validate(&schema, &schema, &r, "$").is_err(), "{pointer}");
    }
}
