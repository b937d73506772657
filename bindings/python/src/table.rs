//! Flat tables: columns arrive either as Python lists (text, mixed) or as packed numbers (a numpy column's bytes),
//! rows are built and scored on worker threads, and the results go back as packed numbers too, so reading and
//! answering 100,000 rows does not mean making millions of Python objects.

use crate::batch::parallel_map;
use pucha_core::flat::{Cell, FlatColumns};
use pucha_core::{Engine, Error, ErrorKind, RuleKind, Status, Tally, Verdict, VerdictBasis};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// One column of the table.
pub enum Column {
    /// Python values, read one by one.
    Cells(Vec<Cell>),
    /// 64-bit integers (native byte order).
    Int(Vec<i64>),
    /// 64-bit floats (NaN: no data).
    Float(Vec<f64>),
    /// Booleans, one byte each.
    Bool(Vec<bool>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Cells(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Float(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }

    fn cell(&self, row: usize) -> Cell {
        match self {
            Column::Cells(v) => v.get(row).cloned().unwrap_or(Cell::Missing),
            Column::Int(v) => v.get(row).map_or(Cell::Missing, |i| Cell::Int(*i)),
            Column::Float(v) => v.get(row).map_or(Cell::Missing, |f| Cell::Float(*f)),
            Column::Bool(v) => v.get(row).map_or(Cell::Missing, |b| Cell::Bool(*b)),
        }
    }

    /// Read column `obj` of kind `kind`: `obj` (a list), or `i64`, `f64`, `bool` (bytes).
    pub fn read(obj: &Bound<'_, PyAny>, kind: &str, name: &str) -> PyResult<Column> {
        let bytes = |width: usize| -> PyResult<Vec<u8>> {
            let b = obj.cast::<PyBytes>()?.as_bytes();
            if b.len() % width != 0 {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "column `{name}`: {} bytes is not a whole number of {width}-byte values",
                    b.len()
                )));
            }
            Ok(b.to_vec())
        };
        Ok(match kind {
            "i64" => Column::Int(
                bytes(8)?
                    .chunks_exact(8)
                    .map(|c| i64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect(),
            ),
            "f64" => Column::Float(
                bytes(8)?
                    .chunks_exact(8)
                    .map(|c| f64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect(),
            ),
            "bool" => Column::Bool(bytes(1)?.into_iter().map(|b| b != 0).collect()),
            _ => Column::Cells(obj.extract::<Vec<Bound<'_, PyAny>>>()?.iter().map(cell).collect()),
        })
    }
}

fn cell(obj: &Bound<'_, PyAny>) -> Cell {
    use pyo3::types::{PyBool, PyFloat, PyInt};
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

/// The results of a table, column-wise. Numbers are packed native-endian: `score`, `total` and `points` (rule by
/// rule, each `rows` long) as f64 with NaN for none; `verdict` (0 pass, 1 fail), `basis` (0 veto, 1 threshold,
/// 2 deductions) and `complete` (0, 1) as bytes with 255 for a row that failed.
#[pyclass(frozen, module = "pucha._pucha", name = "_TableResult")]
pub struct TableResult {
    #[pyo3(get)]
    rows: usize,
    #[pyo3(get)]
    rule_ids: Vec<String>,
    #[pyo3(get)]
    verdict: Py<PyBytes>,
    #[pyo3(get)]
    basis: Py<PyBytes>,
    #[pyo3(get)]
    complete: Py<PyBytes>,
    #[pyo3(get)]
    score: Py<PyBytes>,
    #[pyo3(get)]
    total: Py<PyBytes>,
    #[pyo3(get)]
    points: Py<PyBytes>,
    /// Comma-separated veto ids per row (`None` for a row that failed).
    #[pyo3(get)]
    vetoes: Vec<Option<String>>,
    /// `(row, error as JSON)` for each row that failed.
    #[pyo3(get)]
    errors: Vec<(usize, String)>,
}

fn packed(py: Python<'_>, values: &[f64]) -> Py<PyBytes> {
    let mut b = Vec::with_capacity(values.len() * 8);
    for v in values {
        b.extend_from_slice(&v.to_ne_bytes());
    }
    PyBytes::new(py, &b).unbind()
}

fn tenths(p: pucha_core::Points) -> f64 {
    p.tenths() as f64 / 10.0
}

/// Rows are scored in blocks of this many, with a check for Ctrl-C between blocks.
const BLOCK: usize = 1 << 14;

/// Score the table whose columns are `columns` under `names`: the outer error is a signal (Ctrl-C) that stopped
/// it, the inner one a table that cannot be read.
pub fn score_table(
    py: Python<'_>,
    engine: &Engine,
    names: &[String],
    columns: Vec<Column>,
    workers: usize,
) -> PyResult<Result<TableResult, Error>> {
    let flat = match FlatColumns::new(names) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let rows = columns.first().map_or(0, Column::len);
    if columns.iter().any(|c| c.len() != rows) {
        return Ok(Err(Error::new(
            ErrorKind::InvalidArgument,
            "all columns must have the same length",
        )));
    }
    let one = |row: usize| -> Result<Tally, Error> {
        let cells: Vec<Cell> = columns.iter().map(|c| c.cell(row)).collect();
        flat.observation(cells.iter()).map(|o| engine.tally(&o))
    };
    let mut results: Vec<Result<Tally, Error>> = Vec::with_capacity(rows);
    for from in (0..rows).step_by(BLOCK) {
        let to = rows.min(from + BLOCK);
        results.extend(py.detach(|| {
            parallel_map((from..to).collect(), workers, one, || {
                Err(Error::new(ErrorKind::Io, "worker failed"))
            })
        }));
        py.check_signals()?;
    }
    let rules = engine.pack().rules();
    let rule_ids: Vec<String> = rules.iter().map(|r| r.id.to_string()).collect();
    let nrules = rule_ids.len();
    let mut verdict = Vec::with_capacity(rows);
    let mut basis = Vec::with_capacity(rows);
    let mut complete = Vec::with_capacity(rows);
    let mut score = Vec::with_capacity(rows);
    let mut total = Vec::with_capacity(rows);
    let mut points = vec![f64::NAN; rows * nrules];
    let mut vetoes = Vec::with_capacity(rows);
    let mut errors = Vec::new();
    for (row, r) in results.iter().enumerate() {
        match r {
            Ok(s) => {
                verdict.push(match s.verdict {
                    Verdict::Pass => 0,
                    Verdict::Fail => 1,
                    Verdict::Undetermined => 2,
                });
                basis.push(match s.verdict_basis {
                    VerdictBasis::Veto => 0,
                    VerdictBasis::Threshold => 1,
                    VerdictBasis::Deductions => 2,
                    VerdictBasis::MissingData => 3,
                });
                complete.push(u8::from(s.complete));
                score.push(s.score.map_or(f64::NAN, tenths));
                total.push(tenths(s.total_deduction));
                let mut fired = String::new();
                for (i, ((st, p), rule)) in s.rules.iter().zip(rules).enumerate().take(nrules) {
                    if let Some(slot) = points.get_mut(i * rows + row) {
                        *slot = tenths(*p);
                    }
                    if rule.kind == RuleKind::Veto && *st == Status::Applied {
                        if !fired.is_empty() {
                            fired.push(',');
                        }
                        fired.push_str(&rule.id);
                    }
                }
                vetoes.push(Some(fired));
            }
            Err(e) => {
                verdict.push(255);
                basis.push(255);
                complete.push(255);
                score.push(f64::NAN);
                total.push(f64::NAN);
                vetoes.push(None);
                errors.push((row, crate::error_value(e).to_string()));
            }
        }
    }
    Ok(Ok(TableResult {
        rows,
        rule_ids,
        verdict: PyBytes::new(py, &verdict).unbind(),
        basis: PyBytes::new(py, &basis).unbind(),
        complete: PyBytes::new(py, &complete).unbind(),
        score: packed(py, &score),
        total: packed(py, &total),
        points: packed(py, &points),
        vetoes,
        errors,
    }))
}
