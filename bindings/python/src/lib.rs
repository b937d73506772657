//! The extension module `pucha._pucha`: a thin layer over `pucha_core`'s JSON boundary. The Python package
//! (`python/pucha`) wraps it with the public API and the exception classes.

mod batch;
mod convert;
mod marshal;
mod memory;
mod table;

use batch::parallel_map;
use pucha_core::{Engine, Error, ErrorKind, Lang, RulePack, render_text};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::BTreeMap;

/// Raise the Python exception class `cls` (defined in `pucha._errors`) for a core error.
/// `e` as the dict a batch answers with: the JSON boundary's error object, its `message` in both languages (the
/// place stays in `path`, `line` and `column`).
pub(crate) fn error_value(e: &Error) -> serde_json::Value {
    let mut v = serde_json::to_value(e).unwrap_or_default();
    if let Some(m) = v.get_mut("message") {
        *m = serde_json::Value::String(e.sentence());
    }
    v
}

fn raise(py: Python<'_>, cls: &str, e: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("pucha._errors")?;
        let class = module.getattr(cls)?;
        let obj = class.call1((
            e.code(),
            e.sentence(),
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
        let res = py.detach(|| {
            pucha_core::messages::read_observation(observation).map(|o| engine.score(&o).to_json())
        });
        res.map_err(|e| raise(py, "ObservationError", &e))
    }

    /// Score one observation and render the text report in `lang` (`zh` or `en`).
    fn score_text(&self, py: Python<'_>, observation: &str, lang: &str) -> PyResult<String> {
        let lang = Lang::parse(lang).ok_or_else(|| {
            PyValueError::new_err(format!("unknown language `{lang}`, expected `zh` or `en`"))
        })?;
        let engine = &self.engine;
        let res = py.detach(|| {
            pucha_core::messages::read_observation(observation).map(|o| render_text(&engine.score(&o), lang))
        });
        res.map_err(|e| raise(py, "ObservationError", &e))
    }

    /// Score a flat table given column-wise: `names[i]` heads `columns[i]`, of kind `kinds[i]` (`obj`: a list of
    /// values; `i64`, `f64`, `bool`: packed bytes). Rows are built and scored on `workers` threads with the GIL
    /// released; the answer is packed column-wise (see `_TableResult`).
    fn score_table(
        &self,
        py: Python<'_>,
        names: Vec<String>,
        columns: Vec<Bound<'_, PyAny>>,
        kinds: Vec<String>,
        workers: usize,
    ) -> PyResult<table::TableResult> {
        if columns.len() != names.len() || kinds.len() != names.len() {
            return Err(PyValueError::new_err(
                "names, columns and kinds must have the same length",
            ));
        }
        memory::or_memory_error(py, || {
            let cols = columns
                .iter()
                .zip(&kinds)
                .zip(&names)
                .map(|((c, k), n)| table::Column::read(c, k, n))
                .collect::<PyResult<Vec<_>>>()?;
            table::score_table(py, &self.engine, &names, cols, workers)?
                .map_err(|e| raise(py, "ObservationError", &e))
        })
    }

    /// Score many observations given as Python dicts (read directly, no JSON text) or JSON strings, on `workers`
    /// threads with the GIL released. Answers `(True, report_or_summary_dict)` or `(False, error_dict)` per input.
    /// A dict that does not read directly goes through `pucha._to_json` and the JSON parser, so errors are worded
    /// exactly as for a single `score`.
    fn score_many_objects(
        &self,
        py: Python<'_>,
        observations: Vec<Bound<'_, PyAny>>,
        workers: usize,
        summary: bool,
    ) -> PyResult<Vec<(bool, Py<PyAny>)>> {
        memory::or_memory_error(py, || {
            batch::score_many(py, &self.engine, &observations, workers, summary)
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

/// The flat column names with their meaning.
#[pyfunction]
fn flat_columns() -> Vec<(String, String)> {
    pucha_core::flat::FLAT_COLUMNS
        .iter()
        .map(|(n, d)| ((*n).to_string(), (*d).to_string()))
        .collect()
}

/// Roll up reports or summaries (JSON texts) grouped `by`; returns the roll-up (`pucha.rollup/1`) as JSON text.
/// Parsing runs on `workers` threads with the GIL released.
#[pyfunction]
#[pyo3(signature = (reports, by = "region", workers = 1))]
fn summarize_json(py: Python<'_>, reports: Vec<String>, by: &str, workers: usize) -> PyResult<String> {
    let group = pucha_core::rollup::GroupBy::parse(by).ok_or_else(|| {
        raise(
            py,
            "ReportError",
            &Error::new(ErrorKind::InvalidArgument, format!("不能按 `{by}` 分组 / cannot group by `{by}`")).with_help(
                "可用 `region`、`department`、`kind`、`pack` 或 `all` / use `region`, `department`, `kind`, `pack` or `all`",
            ),
        )
    })?;
    let res = py.detach(|| {
        let items: Vec<(usize, String)> = reports.into_iter().enumerate().collect();
        let parsed = parallel_map(
            items,
            workers,
            |(i, text)| {
                let mut titles = pucha_core::stored::TitleBook::default();
                pucha_core::stored::Digest::read(&text, Some(&mut titles))
                    .map(|d| (d, titles))
                    .map_err(|e| {
                        pucha_core::messages::hinted(&text, e, pucha_core::messages::Reading::Result)
                    })
                    .map_err(|e| {
                        let path = match e.path() {
                            Some(p) => format!("reports[{i}].{p}"),
                            None => format!("reports[{i}]"),
                        };
                        e.with_path(path)
                    })
            },
            || Err(Error::new(ErrorKind::InvalidValue, "a worker thread failed")),
        );
        let mut digests = Vec::new();
        let mut titles = pucha_core::stored::TitleBook::default();
        for p in parsed {
            let (d, t) = p?;
            digests.push(d);
            titles.merge(t);
        }
        let rollup = pucha_core::rollup::Rollup::build_with_titles(&digests, group, Some(&titles));
        serde_json::to_string(&rollup).map_err(|e| Error::new(ErrorKind::InvalidValue, e.to_string()))
    });
    res.map_err(|e| raise(py, "ReportError", &e))
}

/// The extension module.
#[pymodule]
fn _pucha(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_class::<table::TableResult>()?;
    m.add_function(wrap_pyfunction!(packs, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add_function(wrap_pyfunction!(flat_columns, m)?)?;
    m.add_function(wrap_pyfunction!(summarize_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The limits the Python side reads files within: the core's, so the two cannot drift.
    m.add("MAX_PACK_BYTES", pucha_core::MAX_PACK_BYTES)?;
    m.add("MAX_INPUT_BYTES", pucha_core::MAX_INPUT_BYTES)?;
    Ok(())
}

/// Batches allocate on the calling thread and free on workers: mimalloc takes that without the lock contention
/// glibc's arenas show (measured in `docs/performance.md`).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
