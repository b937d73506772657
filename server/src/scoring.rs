//! Scoring a filed observation: the core's own JSON reader and engine, the site's registered facts filled in.

use crate::error::{Result, ServerError};
use crate::sites::Site;
use pucha_core::Engine;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The pack a filing is scored against when it names none.
pub const DEFAULT_PACK: &str = "census-2015";

/// An engine per built-in pack, built once.
#[derive(Debug)]
pub struct Scorer {
    engines: BTreeMap<String, Engine>,
}

/// What scoring gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The observation as stored (with the site's registered facts).
    pub observation_json: String,
    /// The report, `pucha.report/1`.
    pub report_json: String,
    /// Its summary, `pucha.summary/1`.
    pub summary_json: String,
    /// What roll-ups read ([`crate::digest`]).
    pub digest: Vec<u8>,
    /// `pass`, `fail` or `undetermined`.
    pub verdict: String,
    /// The score (none after a veto).
    pub score: Option<f64>,
    /// 监测时间点.
    pub monitoring_point: String,
}

impl Scorer {
    /// Engines for every built-in pack.
    ///
    /// # Errors
    /// A built-in pack that does not load, as a message.
    pub fn new() -> std::result::Result<Scorer, String> {
        let mut engines = BTreeMap::new();
        for name in pucha_core::builtin_packs() {
            let e = Engine::builtin(name).map_err(|e| format!("pack `{name}`: {e}"))?;
            engines.insert(name.to_owned(), e);
        }
        Ok(Scorer { engines })
    }

    /// Every pack's rule titles, for roll-ups read from digests.
    pub fn titles(&self) -> pucha_core::stored::TitleBook {
        let mut book = pucha_core::stored::TitleBook::default();
        for e in self.engines.values() {
            for r in e.pack().rules() {
                book.0.entry(r.id.to_string()).or_insert_with(|| r.title.clone());
            }
        }
        book
    }

    /// The packs a filing may name.
    pub fn packs(&self) -> impl Iterator<Item = &str> {
        self.engines.keys().map(String::as_str)
    }

    /// Score `observation` for `site` with `pack`: the observation's `site` block gets the registered 网站标识码,
    /// name, address, kind, 地区 and 部门 where it leaves them out, and must not name another site.
    ///
    /// # Errors
    /// `bad_input` naming the field, for an unknown pack, another site's 网站标识码, or an observation the core
    /// refuses (its message, Chinese first).
    pub fn score(&self, pack: &str, site: &Site, observation: &Value) -> Result<Scored> {
        let engine = self.engines.get(pack).ok_or_else(|| {
            let known: Vec<&str> = self.packs().collect();
            ServerError::bad(
                "pack",
                format!("未知的评分表 unknown pack `{pack}` (known: {})", known.join(", ")),
            )
        })?;
        let mut obs = observation.clone();
        let Some(top) = obs.as_object_mut() else {
            return Err(ServerError::bad(
                "observation",
                "应为 JSON 对象 / expected a JSON object",
            ));
        };
        let block = top.entry("site").or_insert_with(|| Value::Object(Map::new()));
        let Some(s) = block.as_object_mut() else {
            return Err(ServerError::bad(
                "observation.site",
                "应为 JSON 对象 / expected a JSON object",
            ));
        };
        match s.get("id").and_then(Value::as_str) {
            Some(id) if id != site.code => {
                return Err(ServerError::bad(
                    "observation.site.id",
                    format!(
                        "`{id}` 不是本网站的标识码 `{}` / names another site than `{}`",
                        site.code, site.code
                    ),
                ));
            }
            _ => {}
        }
        let fill = |s: &mut Map<String, Value>, k: &str, v: &str| {
            if !v.is_empty() && !s.contains_key(k) {
                s.insert(k.to_owned(), Value::String(v.to_owned()));
            }
        };
        fill(s, "id", &site.code);
        fill(s, "name", &site.name);
        fill(s, "url", &site.homepage);
        fill(s, "kind", &site.kind);
        fill(s, "region", &site.region);
        fill(s, "department", &site.department);
        let observation_json = obs.to_string();
        let report = pucha_core::ffi::score_json(engine, &observation_json).map_err(|e| {
            let field = e
                .path()
                .map_or_else(|| "observation".to_owned(), |p| format!("observation.{p}"));
            ServerError::bad(field, e.bilingual())
        })?;
        let report_json = report.to_json();
        let summary = report.summary();
        let summary_json =
            serde_json::to_string(&summary).map_err(|e| ServerError::Storage(e.to_string()))?;
        // What roll-ups read, by the core's own reader of summaries.
        let digest = pucha_core::stored::Digest::from_json_str(&summary_json)
            .map_err(|e| ServerError::Storage(e.to_string()))?;
        Ok(Scored {
            observation_json,
            verdict: summary.verdict.key().to_owned(),
            score: summary.score.map(|p| p.tenths() as f64 / 10.0),
            monitoring_point: summary.monitoring_point.to_string(),
            report_json,
            digest: crate::digest::encode(&digest),
            summary_json,
        })
    }
}

/// A suspected serious error awaiting a person: a finding with `"confirmed": false`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suspect {
    /// Where it is in the observation (a JSON pointer, `/content_findings/0`).
    pub pointer: String,
    /// The finding as filed.
    pub finding: Value,
}

/// Every unconfirmed finding in an observation.
pub fn suspects(observation: &Value) -> Vec<Suspect> {
    fn walk(v: &Value, at: &str, out: &mut Vec<Suspect>) {
        match v {
            Value::Object(m) => {
                if m.get("confirmed") == Some(&Value::Bool(false)) {
                    out.push(Suspect {
                        pointer: at.to_owned(),
                        finding: v.clone(),
                    });
                }
                for (k, child) in m {
                    walk(
                        child,
                        &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(observation, "", &mut out);
    out
}

/// Confirm (the finding then counts) or reject (it is removed) the suspect at `pointer`.
///
/// # Errors
/// `bad_input` (field `pointer`) when no unconfirmed finding is there.
pub fn resolve(observation: &mut Value, pointer: &str, confirm: bool) -> Result<()> {
    let not_there = || {
        ServerError::bad(
            "pointer",
            format!("`{pointer}` 处没有待确认的问题 / no unconfirmed finding there"),
        )
    };
    if !suspects(observation).iter().any(|s| s.pointer == pointer) {
        return Err(not_there());
    }
    if confirm {
        let f = observation
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .ok_or_else(not_there)?;
        f.insert("confirmed".into(), Value::Bool(true));
        return Ok(());
    }
    let (parent, last) = pointer.rsplit_once('/').ok_or_else(not_there)?;
    let index: usize = last.parse().map_err(|_| not_there())?;
    let list = observation
        .pointer_mut(parent)
        .and_then(Value::as_array_mut)
        .ok_or_else(not_there)?;
    if index >= list.len() {
        return Err(not_there());
    }
    list.remove(index);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn suspects_are_found_confirmed_and_rejected() {
        let mut obs = json!({"content_findings": [
            {"kind": "serious_typo", "confirmed": false, "url": "a"},
            {"kind": "serious_typo", "confirmed": true, "url": "b"},
            {"kind": "serious_typo", "confirmed": false, "url": "c"}
        ]});
        let s = suspects(&obs);
        assert_eq!(
            s.iter().map(|s| s.pointer.as_str()).collect::<Vec<_>>(),
            ["/content_findings/0", "/content_findings/2"]
        );
        resolve(&mut obs, "/content_findings/0", true).unwrap();
        resolve(&mut obs, "/content_findings/2", false).unwrap();
        assert_eq!(obs["content_findings"].as_array().unwrap().len(), 2);
        assert!(suspects(&obs).is_empty());
        assert!(
            resolve(&mut obs, "/content_findings/1", true).is_err(),
            "already confirmed"
        );
        assert!(resolve(&mut obs, "/nowhere", false).is_err());
    }
}
