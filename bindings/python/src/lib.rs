//! The extension module `pucha._pucha`: a thin layer over `pucha_core`'s JSON boundary. The Python package
//! (`python/pucha`) wraps it with the public API and the exception classes.

use pucha_core::flat::Cell;
use pucha_core::{Engine, Error, ErrorKind, Lang, Observation, RulePack, Summary, render_text};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
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

    /// Score a flat table given column-wise (`names[i]` heads `columns[i]`); rows are converted and scored on
    /// `workers` threads with the GIL released. Returns columns: verdict, verdict_basis, complete, score,
    /// total_deduction, vetoes (comma-separated), points per rule id, and the error (JSON) of rows that failed.
    fn score_table(
        &self,
        py: Python<'_>,
        names: Vec<String>,
        columns: Vec<Vec<Bound<'_, PyAny>>>,
        workers: usize,
    ) -> PyResult<TableColumns> {
        let flat =
            pucha_core::flat::FlatColumns::new(&names).map_err(|e| raise(py, "ObservationError", &e))?;
        let rows = columns.first().map_or(0, Vec::len);
        if columns.iter().any(|c| c.len() != rows) {
            return Err(PyValueError::new_err("all columns must have the same length"));
        }
        let cells: Vec<Vec<Cell>> = columns.iter().map(|c| c.iter().map(cell).collect()).collect();
        let engine = &self.engine;
        let rule_ids: Vec<String> = engine.pack().rules().iter().map(|r| r.id.to_string()).collect();
        let results: Vec<Result<Summary, Error>> = py.detach(|| {
            let one = |row: usize| -> Result<Summary, Error> {
                flat.observation(cells.iter().filter_map(|col| col.get(row)))
                    .map(|o| engine.summarize(&o))
            };
            parallel_map((0..rows).collect(), workers, one, || {
                Err(Error::new(pucha_core::ErrorKind::Io, "worker failed"))
            })
        });
        let mut out: TableColumns = (
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            Vec::with_capacity(rows),
            rule_ids
                .iter()
                .map(|id| (id.clone(), Vec::with_capacity(rows)))
                .collect(),
            Vec::with_capacity(rows),
        );
        for r in &results {
            match r {
                Ok(rep) => {
                    let verdict = if rep.verdict == pucha_core::Verdict::Pass {
                        "pass"
                    } else {
                        "fail"
                    };
                    let basis = match rep.verdict_basis {
                        pucha_core::VerdictBasis::Veto => "veto",
                        pucha_core::VerdictBasis::Threshold => "threshold",
                        pucha_core::VerdictBasis::Deductions => "deductions",
                    };
                    out.0.push(Some(verdict.into()));
                    out.1.push(Some(basis.into()));
                    out.2.push(Some(rep.complete));
                    out.3.push(rep.score.map(points));
                    out.4.push(Some(points(rep.total_deduction)));
                    out.5.push(Some(
                        rep.vetoes.iter().map(|v| &**v).collect::<Vec<_>>().join(","),
                    ));
                    for ((_, col), rr) in out.6.iter_mut().zip(&rep.rules) {
                        col.push(Some(points(rr.2)));
                    }
                    out.7.push(None);
                }
                Err(e) => {
                    out.0.push(None);
                    out.1.push(None);
                    out.2.push(None);
                    out.3.push(None);
                    out.4.push(None);
                    out.5.push(None);
                    for (_, col) in out.6.iter_mut() {
                        col.push(None);
                    }
                    out.7.push(Some(serde_json::to_string(e).unwrap_or_default()));
                }
            }
        }
        Ok(out)
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
        enum Input {
            Parsed(Box<Observation>),
            Text(String),
            Failed(Error),
        }
        let to_json = py.import("pucha")?.getattr("_to_json")?;
        let mut inputs = Vec::with_capacity(observations.len());
        for obj in &observations {
            if let Ok(text) = obj.extract::<String>() {
                inputs.push(Input::Text(text));
                continue;
            }
            match pythonize::depythonize::<Observation>(obj) {
                Ok(o) => match o.check_consistency() {
                    Ok(()) => inputs.push(Input::Parsed(Box::new(o))),
                    Err(e) => inputs.push(Input::Failed(e)),
                },
                Err(_) => match to_json.call1((obj,)) {
                    Ok(t) => inputs.push(Input::Text(t.extract::<String>()?)),
                    Err(err) => {
                        let v = err.value(py);
                        let get = |k: &str| {
                            v.getattr(k)
                                .ok()
                                .and_then(|x| x.extract::<Option<String>>().ok())
                                .flatten()
                        };
                        let code = get("code").unwrap_or_default();
                        let kind = if code == "invalid_type" {
                            pucha_core::ErrorKind::InvalidType
                        } else {
                            pucha_core::ErrorKind::InvalidValue
                        };
                        inputs.push(Input::Failed(Error::new(
                            kind,
                            get("message").unwrap_or_default(),
                        )));
                    }
                },
            }
        }
        let engine = &self.engine;
        enum Output {
            Summary(Box<Summary>),
            Report(Box<pucha_core::Report>),
            Failed(Error),
        }
        let outputs: Vec<Output> = py.detach(|| {
            let one = |input: Input| -> Output {
                let obs = match input {
                    Input::Parsed(o) => Ok(*o),
                    Input::Text(t) => Observation::from_json_str(&t),
                    Input::Failed(e) => Err(e),
                };
                match obs {
                    Ok(o) if summary => Output::Summary(Box::new(engine.summarize(&o))),
                    Ok(o) => Output::Report(Box::new(engine.score(&o))),
                    Err(e) => Output::Failed(e),
                }
            };
            parallel_map(inputs, workers, one, || {
                Output::Failed(Error::new(pucha_core::ErrorKind::Io, "worker failed"))
            })
        });
        let mut answer = Vec::with_capacity(outputs.len());
        for out in outputs {
            let item = match out {
                Output::Summary(s) => (true, pythonize::pythonize(py, &*s)?.unbind()),
                Output::Report(r) => (true, pythonize::pythonize(py, &*r)?.unbind()),
                Output::Failed(e) => (false, pythonize::pythonize(py, &e)?.unbind()),
            };
            answer.push(item);
        }
        Ok(answer)
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

fn cell(obj: &Bound<'_, PyAny>) -> Cell {
    if obj.is_none() {
        Cell::Missing
    } else if obj.is_instance_of::<PyBool>() {
        obj.extract::<bool>().map_or(Cell::Missing, Cell::Bool)
    } else if obj.is_instance_of::<PyInt>() {
        match obj.extract::<i64>() {
            Ok(i) => Cell::Int(i),
            Err(_) => Cell::Text(obj.str().map(|s| s.to_string()).unwrap_or_default()),
        }
    } else if obj.is_instance_of::<PyFloat>() {
        obj.extract::<f64>().map_or(Cell::Missing, Cell::Float)
    } else if let Ok(s) = obj.extract::<String>() {
        Cell::Text(s)
    } else {
        // numpy scalars, Decimals, dates …: their text, which the field's own rules then read or reject.
        Cell::Text(obj.str().map(|s| s.to_string()).unwrap_or_default())
    }
}

/// `f` over `items` on up to `workers` scoped threads (the caller has released the GIL), results in input order.
/// Should a worker die, each of its items gets `failed()`, so the answer always lines up with the input.
fn parallel_map<T: Send, R: Send>(
    items: Vec<T>,
    workers: usize,
    f: impl Fn(T) -> R + Sync,
    failed: impl Fn() -> R + Sync,
) -> Vec<R> {
    let workers = workers.clamp(1, 64).min(items.len().max(1));
    if workers == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let mut rest = items.into_iter();
    let chunks: Vec<Vec<T>> = (0..workers)
        .map(|_| rest.by_ref().take(chunk).collect())
        .collect();
    let (f, failed) = (&f, &failed);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| {
                let n = c.len();
                (n, s.spawn(move || c.into_iter().map(f).collect::<Vec<R>>()))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(n, h)| h.join().unwrap_or_else(|_| (0..n).map(|_| failed()).collect()))
            .collect()
    })
}

/// Column-wise results of `score_table`.
type TableColumns = (
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<Option<bool>>,
    Vec<Option<f64>>,
    Vec<Option<f64>>,
    Vec<Option<String>>,
    Vec<(String, Vec<Option<f64>>)>,
    Vec<Option<String>>,
);

fn points(p: pucha_core::Points) -> f64 {
    p.tenths() as f64 / 10.0
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
            &Error::new(ErrorKind::InvalidArgument, format!("cannot group by `{by}`"))
                .with_help("use `region`, `department`, `kind`, `pack` or `all`"),
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
    m.add_function(wrap_pyfunction!(packs, m)?)?;
    m.add_function(wrap_pyfunction!(call_json, m)?)?;
    m.add_function(wrap_pyfunction!(flat_columns, m)?)?;
    m.add_function(wrap_pyfunction!(summarize_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
