//! Python objects to JSON values and summaries to Python dicts, directly (no JSON text, no serde round trip):
//! the serial part of a batch, done under the GIL, so it has to be cheap.

use pucha_core::{Points, RuleKind, RulePack, Site, Status, Tally, Verdict, VerdictBasis};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// Nesting deeper than this is left to the JSON route, which words the error.
const MAX_DEPTH: usize = 64;

/// Writes Python objects as JSON text, in the layout of `json.dumps(obj, ensure_ascii=False)`, remembering the
/// written form of the dict keys and short strings it has seen.
pub struct JsonWriter<'py> {
    keys: Written<'py>,
    values: Written<'py>,
}

impl<'py> JsonWriter<'py> {
    /// A writer with nothing seen yet.
    pub fn new(py: Python<'py>) -> Self {
        JsonWriter {
            keys: Written::new(py),
            values: Written::new(py),
        }
    }

    /// `obj` as JSON text appended to `out`; `false` (and `out` in an unspecified state) when it holds anything
    /// JSON cannot say plainly (NaN, huge integers, non-string keys, sets, dates, other mappings …): the caller then
    /// takes the JSON route through `pucha._to_json`, which words the error exactly as a single `score` does.
    pub fn write(&mut self, obj: &Bound<'_, PyAny>, out: &mut String) -> bool {
        self.value(obj, out, 0)
    }

    fn value(&mut self, obj: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        // Exact types first: a pointer comparison each, and nearly every value of an observation is one of them.
        if obj.is_exact_instance_of::<PyInt>() {
            return int(obj, out);
        }
        if obj.is_exact_instance_of::<PyString>() {
            return self.text(obj, out);
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            out.push('{');
            for (i, (k, v)) in d.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !self.key(&k, out) || !self.value(&v, out, depth + 1) {
                    return false;
                }
            }
            out.push('}');
            true
        } else if obj.is_instance_of::<PyBool>() {
            match obj.extract::<bool>() {
                Ok(b) => out.push_str(if b { "true" } else { "false" }),
                Err(_) => return false,
            }
            true
        } else if obj.is_instance_of::<PyString>() {
            self.text(obj, out)
        } else if obj.is_instance_of::<PyInt>() {
            int(obj, out)
        } else if obj.is_instance_of::<PyFloat>() {
            match obj.extract::<f64>() {
                Ok(f) if f.is_finite() => {
                    out.push_str(ryu::Buffer::new().format_finite(f));
                    true
                }
                _ => false,
            }
        } else if obj.is_none() {
            out.push_str("null");
            true
        } else if let Ok(l) = obj.cast::<PyList>() {
            self.seq(l.iter(), out, depth)
        } else if let Ok(t) = obj.cast::<PyTuple>() {
            self.seq(t.iter(), out, depth)
        } else {
            false
        }
    }

    fn seq<'a>(
        &mut self,
        items: impl Iterator<Item = Bound<'a, PyAny>>,
        out: &mut String,
        depth: usize,
    ) -> bool {
        out.push('[');
        for (i, x) in items.enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if !self.value(&x, out, depth + 1) {
                return false;
            }
        }
        out.push(']');
        true
    }

    fn key(&mut self, k: &Bound<'_, PyAny>, out: &mut String) -> bool {
        match k.cast::<PyString>() {
            Ok(s) => self.keys.write(s, ": ", out),
            Err(_) => false,
        }
    }

    /// A string value: short ones (categories, dates, kinds, the schema …) repeat along a batch and are
    /// remembered like keys; long ones (names, addresses) are written each time.
    fn text(&mut self, obj: &Bound<'_, PyAny>, out: &mut String) -> bool {
        let Ok(s) = obj.cast::<PyString>() else {
            return false;
        };
        if s.len().is_ok_and(|n| n <= 24) {
            return self.values.write(s, "", out);
        }
        match s.to_cow() {
            Ok(c) => {
                string(&c, out);
                true
            }
            Err(_) => false,
        }
    }
}

/// Strings already written, found by content through a Python dict (which uses the strings' cached hashes).
struct Written<'py> {
    index: Bound<'py, PyDict>,
    forms: Vec<Box<str>>,
}

impl<'py> Written<'py> {
    /// At most this many strings are remembered (a batch of unique values must not grow it without end).
    const CAP: usize = 4096;

    fn new(py: Python<'py>) -> Self {
        Written {
            index: PyDict::new(py),
            forms: Vec::new(),
        }
    }

    /// Append the JSON form of `s` followed by `suffix`.
    fn write(&mut self, s: &Bound<'_, PyString>, suffix: &str, out: &mut String) -> bool {
        if let Ok(Some(i)) = self.index.get_item(s)
            && let Ok(i) = i.extract::<usize>()
            && let Some(form) = self.forms.get(i)
        {
            out.push_str(form);
            return true;
        }
        let Ok(text) = s.to_cow() else {
            return false;
        };
        let mut form = String::with_capacity(text.len() + 2 + suffix.len());
        string(&text, &mut form);
        form.push_str(suffix);
        out.push_str(&form);
        if self.forms.len() < Self::CAP && self.index.set_item(s, self.forms.len()).is_ok() {
            self.forms.push(form.into_boxed_str());
        }
        true
    }
}

fn int(obj: &Bound<'_, PyAny>, out: &mut String) -> bool {
    match obj.extract::<i64>() {
        Ok(i) => {
            out.push_str(itoa::Buffer::new().format(i));
            true
        }
        Err(_) => false,
    }
}

/// A JSON string literal (`serde_json`'s escaping; non-ASCII kept as it is, as `ensure_ascii=False` does).
fn string(s: &str, out: &mut String) {
    out.push('"');
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// Builds summary dicts (`pucha.summary/1`, exactly as the report's JSON says it). Each dict is a copy of a
/// template that already holds its keys in order (a copy of a dict is one block copy), then filled in.
pub struct SummaryWriter<'py> {
    py: Python<'py>,
    top: Bound<'py, PyDict>,
    /// Every rule at 0 points, and every rule `passed`: most rules of most sites stay so, and only the others are
    /// set in each copy.
    no_points: Bound<'py, PyDict>,
    all_passed: Bound<'py, PyDict>,
    keys: [Bound<'py, PyString>; 18],
    /// Each rule's id and whether it is a veto, in pack order (the order of a tally's rules).
    rules: Vec<(Bound<'py, PyString>, bool)>,
    statuses: [Bound<'py, PyString>; 5],
    verdicts: [Bound<'py, PyString>; 3],
    bases: [Bound<'py, PyString>; 4],
    kinds: [Bound<'py, PyString>; 2],
    point: std::cell::RefCell<Option<(String, Bound<'py, PyString>)>>,
    /// Fractional points made so far, by tenths (floats are immutable, so answers share them).
    floats: std::cell::RefCell<Vec<Option<Bound<'py, PyFloat>>>>,
}

/// Fractional points up to this many tenths are shared from [`SummaryWriter::floats`].
const SHARED_FLOATS: usize = 2000;

/// The summary's keys, in the order of its JSON.
const KEYS: [&str; 18] = [
    "schema",
    "pack",
    "site",
    "monitoring_point",
    "verdict",
    "verdict_basis",
    "complete",
    "score",
    "total_deduction",
    "total_deduction_max",
    "uncounted_deduction",
    "bonus",
    "vetoes",
    "undecided",
    "points",
    "points_max",
    "status",
    "warnings",
];

impl<'py> SummaryWriter<'py> {
    /// A writer for summaries of `pack`.
    pub fn new(py: Python<'py>, pack: &RulePack) -> PyResult<Self> {
        let s = |t: &str| PyString::new(py, t);
        let keys = KEYS.map(s);
        let top = PyDict::new(py);
        for k in &keys {
            top.set_item(k, py.None())?;
        }
        let rules: Vec<_> = pack
            .rules()
            .iter()
            .map(|r| (s(&r.id), r.kind == RuleKind::Veto))
            .collect();
        let (no_points, all_passed) = (PyDict::new(py), PyDict::new(py));
        let passed = s("passed");
        for (k, _) in &rules {
            no_points.set_item(k, 0)?;
            all_passed.set_item(k, &passed)?;
        }
        // What every summary of this pack holds, and what nearly every one does (set again where it differs).
        top.set_item(&keys[0], "pucha.summary/1")?;
        top.set_item(&keys[1], s(&pack.meta().id))?;
        top.set_item(&keys[6], true)?;
        top.set_item(&keys[10], 0)?;
        top.set_item(&keys[11], 0)?;
        Ok(SummaryWriter {
            py,
            top,
            no_points,
            all_passed,
            keys,
            rules,
            statuses: [
                s("applied"),
                passed,
                s("not_applicable"),
                s("no_data"),
                s("needs_review"),
            ],
            verdicts: [s("pass"), s("fail"), s("undetermined")],
            bases: [s("veto"), s("threshold"), s("deductions"), s("missing_data")],
            kinds: [s("portal"), s("other")],
            point: std::cell::RefCell::new(None),
            floats: std::cell::RefCell::new(Vec::new()),
        })
    }

    fn status(&self, st: Status) -> &Bound<'py, PyString> {
        &self.statuses[match st {
            Status::Applied => 0,
            Status::Passed => 1,
            Status::NotApplicable => 2,
            Status::NoData => 3,
            Status::NeedsReview => 4,
        }]
    }

    fn points(&self, p: Points) -> PyResult<Bound<'py, PyAny>> {
        let t = p.tenths();
        if t % 10 == 0 {
            return Ok((t / 10).into_pyobject(self.py)?.into_any());
        }
        let Some(i) = usize::try_from(t).ok().filter(|&i| i <= SHARED_FLOATS) else {
            return Ok(PyFloat::new(self.py, t as f64 / 10.0).into_any());
        };
        let mut floats = self.floats.borrow_mut();
        if floats.len() <= i {
            floats.resize(i + 1, None);
        }
        let f = floats[i].get_or_insert_with(|| PyFloat::new(self.py, t as f64 / 10.0));
        Ok(f.clone().into_any())
    }

    /// Monitoring points repeat along a batch: the last one's string is reused.
    fn point(&self, p: &str) -> Bound<'py, PyString> {
        let mut last = self.point.borrow_mut();
        if let Some((text, obj)) = &*last
            && text == p
        {
            return obj.clone();
        }
        let obj = PyString::new(self.py, p);
        *last = Some((p.to_string(), obj.clone()));
        obj
    }

    fn site(&self, st: &Site) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let site = PyDict::new(py);
        site.set_item(pyo3::intern!(py, "name"), &st.name)?;
        if let Some(u) = &st.url {
            site.set_item(pyo3::intern!(py, "url"), u)?;
        }
        if let Some(k) = st.kind {
            let kind = &self.kinds[usize::from(k != pucha_core::SiteKind::Portal)];
            site.set_item(pyo3::intern!(py, "kind"), kind)?;
        }
        if let Some(id) = &st.id {
            site.set_item(pyo3::intern!(py, "id"), &id.0)?;
        }
        if st.homepage_navigation_only {
            site.set_item(pyo3::intern!(py, "homepage_navigation_only"), true)?;
        }
        if let Some(o) = st.offers_services {
            site.set_item(pyo3::intern!(py, "offers_services"), o)?;
        }
        if let Some(r) = &st.region {
            site.set_item(pyo3::intern!(py, "region"), r)?;
        }
        if let Some(dep) = &st.department {
            site.set_item(pyo3::intern!(py, "department"), dep)?;
        }
        Ok(site)
    }

    /// The summary (`pucha.summary/1`) of a site scored into `t`, as a dict with its keys in the order of its JSON.
    pub fn write(&self, site: &Site, point: &str, t: &Tally) -> PyResult<Bound<'py, PyDict>> {
        let py = self.py;
        let k = &self.keys;
        let d = self.top.copy()?;
        d.set_item(&k[2], self.site(site)?)?;
        d.set_item(&k[3], self.point(point))?;
        let verdict = match t.verdict {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Undetermined => 2,
        };
        d.set_item(&k[4], &self.verdicts[verdict])?;
        let basis = match t.verdict_basis {
            VerdictBasis::Veto => 0,
            VerdictBasis::Threshold => 1,
            VerdictBasis::Deductions => 2,
            VerdictBasis::MissingData => 3,
        };
        d.set_item(&k[5], &self.bases[basis])?;
        if !t.complete {
            d.set_item(&k[6], false)?;
        }
        if let Some(p) = t.score {
            d.set_item(&k[7], self.points(p)?)?;
        }
        d.set_item(&k[8], self.points(t.total_deduction)?)?;
        if let Some(m) = t.total_deduction_max {
            d.set_item(&k[9], self.points(m)?)?;
        }
        if t.uncounted_deduction != Points::ZERO {
            d.set_item(&k[10], self.points(t.uncounted_deduction)?)?;
        }
        if t.bonus != Points::ZERO {
            d.set_item(&k[11], self.points(t.bonus)?)?;
        }
        let vetoes = PyList::empty(py);
        let undecided = PyList::empty(py);
        let points_max = PyDict::new(py);
        let points = self.no_points.copy()?;
        let status = self.all_passed.copy()?;
        for (i, ((st, p), (key, veto))) in t.rules.iter().zip(&self.rules).enumerate() {
            if *p != Points::ZERO {
                points.set_item(key, self.points(*p)?)?;
            }
            if *st != Status::Passed {
                status.set_item(key, self.status(*st))?;
            }
            if *veto && *st == Status::Applied {
                vetoes.append(key)?;
            }
            if *veto && *st == Status::NoData {
                undecided.append(key)?;
            }
            if let Some((_, m)) = t.points_max.iter().find(|(j, _)| *j == i) {
                undecided.append(key)?;
                match m {
                    Some(m) => points_max.set_item(key, self.points(*m)?)?,
                    None => points_max.set_item(key, py.None())?,
                }
            }
        }
        d.set_item(&k[13], undecided)?;
        d.set_item(&k[12], vetoes)?;
        d.set_item(&k[14], points)?;
        d.set_item(&k[15], points_max)?;
        d.set_item(&k[16], status)?;
        let warnings = PyList::empty(py);
        for w in &t.warnings {
            warnings.append(*w)?;
        }
        d.set_item(&k[17], warnings)?;
        Ok(d)
    }
}
