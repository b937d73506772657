//! The one JSON-shaped boundary that the CLI, Python and WASM all use, so they can never drift.
//!
//! A request names a pack (built-in name or inline TOML), parameter overrides, and the observation; the
//! answer is tagged `success` (with the report) or `failure` (with errors carrying stable codes).

use crate::eval::engine::Engine;
use crate::eval::report::Report;
use crate::io::report_json::node_json;
pub use crate::io::report_json::value_json;
pub use crate::io::request::{Answer, PackRef, Request};
use crate::lang::pack::RulePack;
use crate::model::error::{Error, ErrorKind};
use crate::model::observation::Observation;
use std::collections::BTreeMap;

/// How a build turns a pack reference into a pack: [`load`] by default; the browser's WebAssembly module passes
/// its own, which reads its built-in packs from compiled bytes.
pub type Load<'a> = &'a dyn Fn(&PackRef) -> Result<RulePack, Error>;

/// Build an engine from a pack reference and overrides.
///
/// # Errors
/// Pack load errors and parameter errors.
pub fn engine_for(pack: &PackRef, params: &BTreeMap<String, String>) -> Result<Engine, Error> {
    engine_with(&load, pack, params)
}

/// [`engine_for`] with the packs loaded by `load`.
///
/// # Errors
/// Pack load errors and parameter errors.
pub fn engine_with(
    load: Load<'_>,
    pack: &PackRef,
    params: &BTreeMap<String, String>,
) -> Result<Engine, Error> {
    let mut p = load(pack)?;
    for (k, v) in params {
        p.set_param(k, v)?;
    }
    Ok(Engine::new(p))
}

/// [`engine_with`] from JSON text, as the WebAssembly module's `Engine` takes it: `pack` is a built-in pack's
/// name (a JSON string) or `{"toml": "..."}`, `params` an object of overrides (text, numbers or booleans; empty
/// text for none). Read through the tree the observation reader uses, so a module needs no second JSON reader.
///
/// # Errors
/// `json_syntax` (path `pack` or `params`) for text that does not read, `invalid_type` (path `pack`) for another
/// kind of pack, `invalid_param` (path `params.NAME`) for a list, object or null override; then as
/// [`engine_with`].
pub fn engine_from_json(load: Load<'_>, pack: &str, params: &str) -> Result<Engine, Error> {
    use crate::io::json_tree::{Node, into_map_order};
    let bad_json = |what: &str, e: String| {
        Error::new(ErrorKind::JsonSyntax, format!("invalid {what}: {e}")).with_path(what)
    };
    let pack = match crate::io::json_parse::parse(pack).map_err(|e| bad_json("pack", e.to_string()))? {
        Node::Str(name) => PackRef::Name(name.into()),
        Node::Obj(entries) => {
            let mut entries = into_map_order(entries);
            match (entries.pop(), entries.is_empty()) {
                (Some((k, Node::Str(toml))), true) if &*k == "toml" => PackRef::Inline { toml: toml.into() },
                (last, _) => {
                    entries.extend(last);
                    return Err(not_a_pack(&Node::Obj(entries)));
                }
            }
        }
        other => return Err(not_a_pack(&other)),
    };
    let mut text = BTreeMap::new();
    if !params.trim().is_empty() {
        for (k, v) in crate::io::lean_reader::object_entries(params).map_err(|e| bad_json("params", e))? {
            let v = match v {
                Node::Str(s) => s.into(),
                Node::Bool(b) => b.to_string(),
                n @ (Node::U(_) | Node::I(_) | Node::F(_)) => node_json(&n),
                other => {
                    return Err(Error::new(
                        ErrorKind::InvalidParam,
                        format!(
                            "parameter `{k}` must be text, a number or a boolean, not `{}`",
                            node_json(&other)
                        ),
                    )
                    .with_path(format!("params.{k}")));
                }
            };
            text.insert(String::from(k), v);
        }
    }
    engine_with(load, &pack, &text)
}

#[cold]
fn not_a_pack(other: &crate::io::json_tree::Node) -> Error {
    Error::new(
        ErrorKind::InvalidType,
        format!(
            "invalid pack: a built-in pack name or `{{\"toml\": \"...\"}}`, not `{}`",
            node_json(other)
        ),
    )
    .with_path("pack")
}

/// The packs as a JSON array of `{id, version, title: {zh, en}, completeness}`.
pub fn packs_json<'a>(packs: impl IntoIterator<Item = &'a RulePack>) -> String {
    crate::io::report_json::pack_list(packs)
}

/// The pack a reference names, as far as this build can load it: built-in packs from `pucha-rules`, inline TOML
/// with the TOML reader.
///
/// # Errors
/// `unknown_pack`, pack errors, or `toml_unavailable` in builds without the TOML reader.
pub fn load(pack: &PackRef) -> Result<RulePack, Error> {
    match pack {
        #[cfg(feature = "builtin-packs")]
        PackRef::Name(n) => RulePack::builtin(n),
        #[cfg(not(feature = "builtin-packs"))]
        PackRef::Name(n) => Err(Error::new(
            ErrorKind::UnknownPack,
            format!("no built-in pack `{n}` in this build"),
        )),
        PackRef::Inline { toml } => load_toml(toml),
    }
}

/// An inline TOML pack, or `toml_unavailable` in builds without the TOML reader.
///
/// # Errors
/// Pack errors, or `toml_unavailable`.
pub fn load_toml(toml: &str) -> Result<RulePack, Error> {
    #[cfg(feature = "toml-packs")]
    return RulePack::from_toml_str(toml, "inline pack");
    #[cfg(not(feature = "toml-packs"))]
    {
        let _ = toml;
        Err(Error::new(
            ErrorKind::TomlUnavailable,
            "this build reads no TOML packs, only the built-in ones",
        )
        .with_path("pack")
        .with_help("load the build with TOML support (in the browser: `await init({ full: true })`)"))
    }
}

/// Score one observation given as JSON text with a ready engine.
///
/// # Errors
/// Observation errors (the report itself never fails).
pub fn score_json(engine: &Engine, observation_json: &str) -> Result<Report, Error> {
    Observation::from_json_str(observation_json).map(|o| engine.score(&o))
}

/// Handle a whole request given as JSON text; returns the answer as JSON text. Never panics.
pub fn call(request_json: &str) -> String {
    call_with(&load, request_json)
}

/// [`call`] with the packs loaded by `load`.
pub fn call_with(load: Load<'_>, request_json: &str) -> String {
    #[cfg(feature = "fast-json")]
    let request = serde_json::from_str::<Request>(request_json).map_err(|e| e.to_string());
    #[cfg(not(feature = "fast-json"))]
    let request = crate::io::lean_reader::request(request_json);
    let answer = match request {
        Err(e) => Answer::Failure {
            errors: vec![
                Error::new(ErrorKind::JsonSyntax, format!("invalid request: {e}")).with_path("request"),
            ],
        },
        Ok(req) => answer_with(load, &req),
    };
    answer.to_json()
}

impl Answer {
    /// The answer as one line of JSON (`{"type": "success", "report": ...}` or `{"type": "failure", ...}`): the
    /// bytes serde_json writes from its `Serialize`, written by hand.
    pub fn to_json(&self) -> String {
        match self {
            Answer::Success { report } => crate::io::report_json::success(report),
            Answer::Failure { errors } => crate::io::report_json::failure(errors),
        }
    }
}

/// Handle a parsed request.
pub fn answer(req: &Request) -> Answer {
    answer_with(&load, req)
}

/// [`answer`] with the packs loaded by `load`.
pub fn answer_with(load: Load<'_>, req: &Request) -> Answer {
    let engine = match engine_with(load, &req.pack, &req.params) {
        Ok(e) => e,
        Err(e) => return Answer::Failure { errors: vec![e] },
    };
    match Observation::from_json_value(req.observation.clone()) {
        Ok(o) => Answer::Success {
            report: Box::new(engine.score(&o)),
        },
        Err(e) => Answer::Failure { errors: vec![e] },
    }
}

/// A pack described as JSON, the same for every binding: meta, indicators, rules (with their 考察点 and 扣分细则)
/// and parameters with their current values.
pub fn pack_info(pack: &RulePack) -> serde_json::Value {
    use serde_json::json;
    let m = pack.meta();
    let rules: Vec<serde_json::Value> = pack
        .rules()
        .iter()
        .map(|r| {
            json!({
                "id": &*r.id,
                "kind": r.kind,
                "indicator": &r.meta.indicator,
                "title": &r.title,
                "checkpoint": &r.checkpoint,
                "criteria": &r.criteria,
                "clause": &*r.clause,
                "confidence": &*r.confidence,
            })
        })
        .collect();
    let indicators: Vec<serde_json::Value> = pack
        .indicators()
        .iter()
        .map(|i| json!({"id": &*i.id, "title": &i.title, "cap": i.cap.map(|c| c.to_f64_lossy())}))
        .collect();
    let params: Vec<serde_json::Value> = pack
        .params()
        .iter()
        .map(|p| json!({"name": p.name, "value": p.display(), "allowed": p.allowed, "doc": p.doc}))
        .collect();
    json!({
        "id": &*m.id,
        "version": &*m.version,
        "title": &m.title,
        "completeness": &*m.completeness,
        "missing": m.missing,
        "source": m.source,
        "description": m.description,
        "indicators": indicators,
        "rules": rules,
        "params": params,
    })
}
