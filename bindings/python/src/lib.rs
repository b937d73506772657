//! The extension module `pucha._pucha`: a thin layer over `pucha_core`'s JSON boundary. The Python package
//! (`python/pucha`) wraps it with the public API and the exception classes.

use pucha_core::{Engine, Error, Lang, Observation, RulePack, render_text};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::BTreeMap;

/// Raise the Python exception class `cls` (defined in `pucha._errors`) for a core error.
fn raise(py: Python<'_>, cls: &str, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("pucha._errors")?;
        let class = module.getattr(cls)?;
        let obj = class.call1((
            e.code(),
            e.to_string(),
            e.path(),
            e.rule(),
            e.help(),
            e.line(),
            e.column(),
        ))?;
        Ok(PyErr::from_value(obj))
    };
    build().unwrap_or_else(|err| err)
}

/// One parameter for Python: name, current value, allowed values, doc in Chinese and English.
type ParamRow = (String, String, Option<Vec<String>>, String, String);

/// A compiled pack with its parameters, ready to score.
#[pyclass(name = "_Engine", module = "pucha._pucha", frozen)]
struct PyEngine {
    engine: Engine,
}

fn load(
    name: Option<&str>,
    toml: Option<&str>,
    origin: &str,
    params: &BTreeMap<String, String>,
) -> Result<Engine, Error> {
    let mut pack = match (name, toml) {
        (_, Some(src)) => RulePack::from_toml_str(src, origin)?,
        (Some(n), None) => RulePack::builtin(n)?,
        (None, None) => RulePack::builtin("census-2015")?,
    };
    for (k, v) in params {
        pack.set_param(k, v)?;
    }
    Ok(Engine::new(pack))
}

#[pymethods]
impl PyEngine {
    /// Build from a built-in pack name or TOML source, with parameter overrides.
    #[new]
    #[pyo3(signature = (name=None, toml=None, origin="pack", params=None))]
    fn new(
        py: Python<'_>,
        name: Option<&str>,
        toml: Option<&str>,
        origin: &str,
        params: Option<BTreeMap<String, String>>,
    ) -> PyResult<Self> {
        let params = params.unwrap_or_default();
        load(name, toml, origin, &params)
            .map(|engine| PyEngine { engine })
            .map_err(|e| raise(py, "PackError", &e))
    }

    /// Score one observation given as JSON text; returns the report as JSON text.
    fn score_json(&self, py: Python<'_>, observation: &str) -> PyResult<String> {
        let engine = &self.engine;
        let res = py.detach(|| Observation::from_json_str(observation).map(|o| engine.score(&o).to_json()));
        res.map_err(|e| raise(py, "ObservationError", &e))
    }

    /// Score one observation and render the text report in `lang` (`zh` or `en`).
    fn score_text(&self, py: Python<'_>, observation: &str, lang: &str) -> PyResult<String> {
        let lang = Lang::parse(lang).ok_or_else(|| {
            PyValueError::new_err(format!("unknown language `{lang}`, expected `zh` or `en`"))
        })?;
        let engine = &self.engine;
        let res = py
            .detach(|| Observation::from_json_str(observation).map(|o| render_text(&engine.score(&o), lang)));
        res.map_err(|e| raise(py, "ObservationError", &e))
    }

    /// Score many observations (JSON texts) on `workers` threads with the GIL released. Each result is
    /// `(True, report_json)` or `(False, error_json)`, in input order; with `summary`, the compact
    /// `pucha.summary/1` form instead of the full report.
    #[pyo3(signature = (observations, workers, summary=false))]
    fn score_many_json(
        &self,
        py: Python<'_>,
        observations: Vec<String>,
        workers: usize,
        summary: bool,
    ) -> Vec<(bool, String)> {
        let engine = &self.engine;
        py.detach(|| {
            let one = |text: &String| match Observation::from_json_str(text) {
                Ok(o) => {
                    let r = engine.score(&o);
                    let json = if summary {
                        serde_json::to_string(&r.summary()).unwrap_or_default()
                    } else {
                        r.to_json()
                    };
                    (true, json)
                }
                Err(e) => (false, serde_json::to_string(&e).unwrap_or_else(|_| "{}".into())),
            };
            let workers = workers.clamp(1, 64).min(observations.len().max(1));
            if workers == 1 {
                return observations.iter().map(one).collect();
            }
            let chunk = observations.len().div_ceil(workers);
            std::thread::scope(|s| {
                let handles: Vec<_> = observations
                    .chunks(chunk)
                    .map(|c| s.spawn(move || c.iter().map(one).collect::<Vec<_>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| {
                        h.join().unwrap_or_else(|_| {
                            vec![(
                                false,
                                "{\"code\":\"internal\",\"message\":\"worker failed\"}".into(),
                            )]
                        })
                    })
                    .collect()
            })
        })
    }

    /// Pack identity: `(id, version, title_zh, title_en, completeness)`.
    fn pack_info(&self) -> (String, String, String, String, String) {
        let m = self.engine.pack().meta();
        (
            m.id.to_string(),
            m.version.to_string(),
            m.title.zh.to_string(),
            m.title.en.to_string(),
            m.completeness.to_string(),
        )
    }

    /// The pack's parameters as `(name, current value, allowed values or None, doc_zh, doc_en)`.
    fn params(&self) -> Vec<ParamRow> {
        self.engine
            .pack()
            .params()
            .iter()
            .map(|p| {
                let (zh, en) = p.doc.as_ref().map_or((String::new(), String::new()), |d| {
                    (d.zh.to_string(), d.en.to_string())
                });
                (p.name.clone(), p.display(), p.allowed.clone(), zh, en)
            })
            .collect()
    }

    /// The rules as `(id, kind, title_zh, title_en)`.
    fn rules(&self) -> Vec<(String, String, String, String)> {
        self.engine
            .pack()
            .rules()
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    pucha_core::RuleKind::Veto => "veto",
                    pucha_core::RuleKind::Deduction => "deduction",
                    pucha_core::RuleKind::Bonus => "bonus",
                };
                (
                    r.id.to_string(),
                    kind.to_string(),
                    r.title.zh.to_string(),
                    r.title.en.to_string(),
                )
            })
            .collect()
    }

    /// The pack's TOML source (for pickling and inspection).
    fn source(&self) -> String {
        self.engine.pack().source().to_string()
    }
}

/// The names of the built-in packs.
#[pyfunction]
fn packs() -> Vec<String> {
    pucha_core::builtin_packs().map(String::from).collect()
}

/// Handle a whole request through the JSON boundary (the same call the WASM package and the vectors use).
#[pyfunction]
fn call_json(py: Python<'_>, request: &str) -> String {
    py.detach(|| pucha_core::ffi::call(request))
}

/// The extension module.
#[pymodule]
fn _pucha(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_function(wrap_pyfunction!(packs, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
