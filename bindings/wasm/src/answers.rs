//! The JSON answers behind the exports, in plain Rust so they are tested natively too.

use pucha_core::ffi::{Answer, PackRef, value_json};
use pucha_core::flat::{FLAT_COLUMNS, observation_from_flat_json};
use pucha_core::{Engine, Error, ErrorKind, Lang, Observation, RulePack, render_text};
use serde_json::{Map, Value, json};

/// The built-in packs this module embeds, compiled by the build script: `(name, bytes)`.
const COMPILED_PACKS: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/compiled_packs.rs"));

/// The built-in packs only the full module embeds (none in the full module itself).
const FULL_ONLY_PACKS: &[&str] = include!(concat!(env!("OUT_DIR"), "/full_only_packs.rs"));

/// Every built-in pack as `packs()` answers (`[{id, version, title, completeness}]`), written by the build script.
const PACKS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/packs.json"));

/// How this module loads a pack reference: built-in packs from their compiled bytes (`pack_unavailable` for one
/// only the full module embeds), inline TOML with the core's reader (or `toml_unavailable` in the main module).
pub(crate) fn load_pack(pack: &PackRef) -> Result<RulePack, Error> {
    match pack {
        PackRef::Name(n) if FULL_ONLY_PACKS.contains(&n.as_str()) => Err(Error::new(
            ErrorKind::PackUnavailable,
            format!("built-in pack `{n}` comes with the full module, which is not loaded"),
        )
        .with_path("pack")
        .with_help("call `await init({ full: true })` first (Node loads it by itself)")),
        PackRef::Name(n) => RulePack::from_compiled_table(n, COMPILED_PACKS),
        PackRef::Inline { toml } => pucha_core::ffi::load_toml(toml),
    }
}

fn failure(e: Error) -> String {
    answer(&Answer::Failure { errors: vec![e] })
}

fn answer(a: &Answer) -> String {
    a.to_json()
}

#[cfg_attr(not(feature = "full"), allow(dead_code, reason = "the full module's"))]
fn success(fields: Map<String, Value>) -> String {
    let mut m = Map::new();
    m.insert("type".into(), Value::from("success"));
    m.extend(fields);
    value_json(&Value::Object(m))
}

/// Build an engine from a pack reference and parameter overrides, both JSON; a failure answer when they are wrong.
pub(crate) fn engine(pack: &str, params: &str) -> Result<Engine, String> {
    pucha_core::ffi::engine_from_json(&load_pack, pack, params).map_err(failure)
}

pub(crate) fn score(engine: &Engine, observation: &str) -> String {
    match Observation::from_json_str(observation) {
        Ok(o) => answer(&Answer::Success {
            report: Box::new(engine.score(&o)),
        }),
        Err(e) => failure(e),
    }
}

#[cfg_attr(not(feature = "full"), allow(dead_code, reason = "the full module's"))]
pub(crate) fn score_text(engine: &Engine, observation: &str, lang: &str) -> String {
    let Some(lang) = Lang::parse(lang) else {
        return failure(
            Error::new(ErrorKind::InvalidValue, format!("unknown language `{lang}`"))
                .with_path("lang")
                .with_help("use `zh` or `en`"),
        );
    };
    match Observation::from_json_str(observation) {
        Ok(o) => {
            let mut m = Map::new();
            m.insert("text".into(), Value::from(render_text(&engine.score(&o), lang)));
            success(m)
        }
        Err(e) => failure(e),
    }
}

#[cfg_attr(not(feature = "full"), allow(dead_code, reason = "the full module's"))]
pub(crate) fn flat_to_observation_json(record: &str) -> String {
    match observation_from_flat_json(record) {
        Ok((json, _)) => format!("{{\"observation\":{json},\"type\":\"success\"}}"),
        Err(e) => failure(e),
    }
}

pub(crate) fn score_flat(engine: &Engine, record: &str) -> String {
    match observation_from_flat_json(record) {
        Ok((json, obs)) => {
            // The report goes through the same serializer as every other answer (one copy in the module).
            let report = Answer::Success {
                report: Box::new(engine.score(&obs)),
            };
            let text = answer(&report);
            match text.strip_suffix('}') {
                Some(head) => format!("{head},\"observation\":{json}}}"),
                None => text,
            }
        }
        Err(e) => failure(e),
    }
}

pub(crate) fn packs_json() -> String {
    PACKS_JSON.to_string()
}

#[cfg_attr(not(feature = "full"), allow(dead_code, reason = "the full module's"))]
pub(crate) fn flat_columns_json() -> String {
    let list: Vec<Value> = FLAT_COLUMNS.iter().map(|(n, d)| json!([n, d])).collect();
    value_json(&Value::Array(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap_or(Value::Null)
    }

    #[test]
    fn scores_and_fails_with_codes() {
        let e = engine("\"census-2015\"", "{}").unwrap_or_else(|e| panic!("{e}"));
        let ok = parse(&score(
            &e,
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kind":"portal"},"links":{"homepage_broken":2,"other_broken":17}}"#,
        ));
        assert_eq!(ok["type"], "success");
        let bad = parse(&score(
            &e,
            r#"{"monitoring_point":"2015-02-30","site":{"name":"x"}}"#,
        ));
        assert_eq!(bad["errors"][0]["code"], "invalid_date");
        let garbage = parse(&score(&e, "{"));
        assert_eq!(garbage["errors"][0]["code"], "json_syntax");
    }

    #[test]
    fn engine_errors_are_json() {
        let err = engine("\"census-2051\"", "{}").err().unwrap_or_default();
        assert_eq!(parse(&err)["errors"][0]["code"], "unknown_pack");
        let err = engine("\"census-2015\"", r#"{"nope": 1}"#)
            .err()
            .unwrap_or_default();
        assert_eq!(parse(&err)["errors"][0]["code"], "unknown_param");
        let err = engine("\"census-2015\"", r#"{"proration": [1]}"#)
            .err()
            .unwrap_or_default();
        assert_eq!(parse(&err)["errors"][0]["path"], "params.proration");
        for bad in ["[1]", "{\"toml\": 1}", "{\"toml\": \"x\", \"more\": 1}"] {
            let err = engine(bad, "").err().unwrap_or_default();
            let e = &parse(&err)["errors"][0];
            assert_eq!(
                (e["code"].as_str(), e["path"].as_str()),
                (Some("invalid_type"), Some("pack")),
                "{bad}"
            );
        }
        // As serde_json's map reads them: a repeated key keeps its last value.
        let e = engine(
            "\"census-2015\"",
            r#"{"proration": [1], "proration": "whole-percent"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(e.pack().params().iter().any(|p| p.display() == "whole-percent"));
        let err = engine("\"census-2015\"", r#"{"x": {"b": 1, "a": 2, "b": 3}}"#)
            .err()
            .unwrap_or_default();
        assert!(err.contains(r#"not `{\"a\":2,\"b\":3}`"#), "{err}");
        let err = engine(r#"{"toml": 1, "toml": "x = "}"#, "")
            .err()
            .unwrap_or_default();
        assert_ne!(parse(&err)["errors"][0]["code"], "invalid_type", "{err}");
        let err = engine("{\"toml\": \"x = \"}", "").err().unwrap_or_default();
        let want = if pucha_core::READS_TOML {
            "toml_syntax"
        } else {
            "toml_unavailable"
        };
        assert_eq!(parse(&err)["errors"][0]["code"], want);
    }

    #[test]
    fn flat_records_become_observations() {
        let e = engine("\"census-2015\"", "").unwrap_or_else(|e| panic!("{e}"));
        let rec = r#"{"monitoring_point":"2015-06-30","site.name":"x","site.kind":"portal","links.homepage_broken":2,"links.other_broken":17,"columns.stale.policy":1,"availability.visits":null}"#;
        let a = parse(&score_flat(&e, rec));
        assert_eq!(a["type"], "success");
        assert_eq!(a["observation"]["links"]["homepage_broken"], 2);
        let link = a["report"]["rules"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["id"] == "link-availability"))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(link["points"], 3.7);
        let bad = parse(&flat_to_observation_json(r#"{"links.other_brokn": 1}"#));
        assert_eq!(bad["errors"][0]["code"], "unknown_field");
        let neg = parse(&flat_to_observation_json(
            r#"{"monitoring_point":"2015-06-30","links.other_broken": -1}"#,
        ));
        assert_eq!(neg["type"], "failure");
        let nested = parse(&flat_to_observation_json(r#"{"links.other_broken": [1]}"#));
        assert_eq!(nested["errors"][0]["path"], "links.other_broken");
    }

    #[test]
    fn lists_packs_and_columns() {
        let p = parse(&packs_json());
        assert!(
            p.as_array()
                .is_some_and(|a| a.iter().any(|p| p["id"] == "census-2015"))
        );
        let c = parse(&flat_columns_json());
        assert!(c.as_array().is_some_and(|a| a.len() == FLAT_COLUMNS.len()));
        let e = engine("\"census-2015\"", "").unwrap_or_else(|e| panic!("{e}"));
        let t = parse(&score_text(
            &e,
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}}"#,
            "en",
        ));
        assert!(
            t["text"]
                .as_str()
                .is_some_and(|t| t.contains("Verdict") || t.contains("verdict"))
        );
        let t = parse(&score_text(
            &e,
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}}"#,
            "fr",
        ));
        assert_eq!(t["errors"][0]["path"], "lang");
    }
}
