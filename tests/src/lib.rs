//! The shared test vectors of pucha: typed loading and the one comparison every runner (Rust, Python, Node)
//! implements. The format is documented in `tests/vectors/README.md`.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One vector file: a pack and its cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// What the file covers.
    pub description: String,
    /// A built-in pack name, or `{"toml": "..."}`.
    pub pack: Value,
    /// Parameter overrides for every case.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One case: an observation and what must come out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Name, saying what boundary it checks.
    pub name: String,
    /// Parameter overrides for this case (on top of the file's).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The observation.
    pub observation: Value,
    /// Expected answer (partial: only what is named is checked).
    pub expected: Value,
}

/// The folder holding the vectors.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The area of the extraction vectors (`pucha_extract::examine`, a boundary of its own: run by
/// `probes/tests/extract_vectors.rs` and Node's `extract.test.mjs`), which the scoring runners leave out.
pub const EXTRACT_AREA: &str = "extract";

/// The area of the message table (the mistakes people make and what each surface says: run by
/// `core/tests/messages.rs`, `cli/tests/messages.rs`, pytest's `test_messages.py` and Node's `messages.test.mjs`),
/// which the scoring runners leave out.
pub const MESSAGES_AREA: &str = "messages";

/// Every scoring vector file (all areas but [`EXTRACT_AREA`] and [`MESSAGES_AREA`]), sorted, as (relative name,
/// parsed file).
///
/// # Errors
/// A message naming the file that does not read or parse.
pub fn load_all() -> Result<Vec<(String, VectorFile)>, String> {
    let root = vectors_dir();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in entries {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                if p != root.join(EXTRACT_AREA) && p != root.join(MESSAGES_AREA) {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(&p).display().to_string();
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{name}: {e}"))?;
            let v: VectorFile = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, v))
        })
        .collect()
}

/// The request a runner sends through the JSON boundary for `case`.
pub fn request(file: &VectorFile, case: &Case) -> Value {
    let mut params = file.params.clone();
    params.extend(case.params.clone());
    serde_json::json!({ "pack": file.pack, "params": params, "observation": case.observation })
}

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

fn ids(v: Option<&Value>, key: &str) -> Vec<String> {
    let mut out: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.get(key).and_then(Value::as_str).map(String::from))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Compare an answer (`{"type": "success", "report": …}` or `{"type": "failure", "errors": […]}`) with `expected`.
///
/// # Errors
/// Every mismatch, one per line.
pub fn check(expected: &Value, answer: &Value) -> Result<(), String> {
    let mut bad = Vec::new();
    let kind = answer.get("type").and_then(Value::as_str).unwrap_or("");
    if let Some(err) = expected.get("error") {
        if kind != "failure" {
            return Err(format!("expected an error {err}, got a report"));
        }
        let first = answer
            .get("errors")
            .and_then(|e| e.get(0))
            .cloned()
            .unwrap_or(Value::Null);
        for key in ["code", "path", "rule"] {
            if let Some(want) = err.get(key)
                && first.get(key) != Some(want)
            {
                bad.push(format!(
                    "error {key}: expected {want}, got {}",
                    first.get(key).unwrap_or(&Value::Null)
                ));
            }
        }
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(bad.join("\n"))
        };
    }
    if kind != "success" {
        return Err(format!("expected a report, got {answer}"));
    }
    let report = answer.get("report").cloned().unwrap_or(Value::Null);
    let Some(exp) = expected.as_object() else {
        return Err("expected must be an object".into());
    };
    for (key, want) in exp {
        match key.as_str() {
            "verdict"
            | "verdict_basis"
            | "complete"
            | "score"
            | "total_deduction"
            | "total_deduction_max"
            | "uncounted_deduction"
            | "bonus" => {
                let got = report.get(key).unwrap_or(&Value::Null);
                if !num_eq(got, want) {
                    bad.push(format!("{key}: expected {want}, got {got}"));
                }
            }
            "vetoes" => {
                let mut want_ids: Vec<String> = want
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                    .unwrap_or_default();
                want_ids.sort();
                let got = ids(report.get("vetoes"), "rule");
                if got != want_ids {
                    bad.push(format!("vetoes: expected {want_ids:?}, got {got:?}"));
                }
            }
            "undecided" => {
                let sorted = |v: Option<&Value>| {
                    let mut out: Vec<String> = v
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                        .unwrap_or_default();
                    out.sort();
                    out
                };
                let (want_ids, got) = (sorted(Some(want)), sorted(report.get("undecided")));
                if got != want_ids {
                    bad.push(format!("undecided: expected {want_ids:?}, got {got:?}"));
                }
            }
            "warnings" => {
                let got = ids(report.get("warnings"), "code");
                for w in want.as_array().into_iter().flatten() {
                    if let Some(w) = w.as_str()
                        && !got.iter().any(|g| g == w)
                    {
                        bad.push(format!("warnings: expected `{w}` among {got:?}"));
                    }
                }
            }
            "rules" => {
                let rules = report
                    .get("rules")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (id, fields) in want.as_object().into_iter().flatten() {
                    let Some(rule) = rules
                        .iter()
                        .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
                    else {
                        bad.push(format!("rule `{id}` is not in the report"));
                        continue;
                    };
                    for (f, w) in fields.as_object().into_iter().flatten() {
                        if f == "observed" {
                            for (m, wv) in w.as_object().into_iter().flatten() {
                                let got = rule
                                    .get("observed")
                                    .and_then(|o| o.get(m))
                                    .unwrap_or(&Value::Null);
                                if !num_eq(got, wv) {
                                    bad.push(format!("rule `{id}` observed `{m}`: expected {wv}, got {got}"));
                                }
                            }
                        } else {
                            // `points_max` is absent where it equals `points`.
                            let got = rule.get(f).cloned().unwrap_or(match f.as_str() {
                                "review" => Value::from(0),
                                "points_max" => rule.get("points").cloned().unwrap_or(Value::Null),
                                _ => Value::Null,
                            });
                            if !num_eq(&got, w) {
                                bad.push(format!("rule `{id}` {f}: expected {w}, got {got}"));
                            }
                        }
                    }
                }
            }
            other => bad.push(format!("unknown expectation `{other}`")),
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("\n"))
    }
}
