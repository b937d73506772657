//! The boundary's answers as one line of JSON, written by hand: reports, error lists, and JSON values.
//!
//! The bytes are exactly those serde_json writes from the same things' `Serialize` (which stays, for Python's
//! dicts and pretty printing): the same field order, the same optional fields left out, the same string escapes
//! and number forms. A test writes every vector and example report both ways and compares them. Written by hand,
//! they take a fraction of the WebAssembly module's code that serde's generic serialiser instantiated for each of
//! the report's types.

use crate::eval::evidence::Evidence;
use crate::eval::report::{Report, RuleResult};
use crate::lang::expr::Val;
use crate::lang::pack::IndicatorPath;
use crate::model::observation::{Site, SiteKind};
use crate::model::ratio::Points;
use crate::model::verdict::{RuleKind, Text, VerdictBasis, Warning};
use crate::model::window::{DateFmt, Window};
use std::fmt::Write;

/// `report` as serde_json's `to_string` writes it.
pub(crate) fn report(report: &Report) -> String {
    let mut out = String::with_capacity(4096);
    write_report(&mut out, report);
    out
}

/// `{"type":"success","report":…}`, the boundary's answer for a report.
pub(crate) fn success(report: &Report) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("{\"type\":\"success\",\"report\":");
    write_report(&mut out, report);
    out.push('}');
    out
}

/// `{"type":"failure","errors":[…]}`, the boundary's answer for bad input.
pub(crate) fn failure(errors: &[crate::model::error::Error]) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"type\":\"failure\",\"errors\":");
    array(&mut out, errors, |out, e| {
        let mut o = Obj::new(out);
        o.str("code", e.code());
        o.str("message", e.message());
        o.opt_str("path", e.path());
        o.opt_str("rule", e.rule());
        o.opt_str("file", e.file());
        o.opt_u64("line", e.line().map(|l| l as u64));
        o.opt_u64("column", e.column().map(|c| c as u64));
        o.opt_str("help", e.help());
        o.end();
    });
    out.push('}');
    out
}

/// A JSON value as serde_json writes it (`Value::to_string`).
pub(crate) fn value_to(out: &mut String, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => bool(out, *b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => push_u64(out, u),
            (None, Some(i)) => push_i64(out, i),
            _ => push_f64(out, n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => string(out, s),
        Value::Array(a) => array(out, a, value_to),
        Value::Object(m) => {
            let mut o = Obj::new(out);
            for (k, v) in m {
                value_to(o.key_text(k), v);
            }
            o.end();
        }
    }
}

/// A tree as serde_json writes the value it reads into (`Value::to_string`): objects by key, a repeated key's last
/// value only.
pub(crate) fn node_to(out: &mut String, n: &crate::io::json_tree::Node) {
    use crate::io::json_tree::Node;
    match n {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => bool(out, *b),
        Node::U(u) => push_u64(out, *u),
        Node::I(i) => push_i64(out, *i),
        Node::F(f) => push_f64(out, *f),
        Node::Str(s) => string(out, s),
        Node::Arr(a) => array(out, a, node_to),
        Node::Obj(entries) => {
            let mut o = Obj::new(out);
            for i in crate::io::json_tree::map_order(entries) {
                if let Some((k, v)) = entries.get(i) {
                    node_to(o.key_text(k), v);
                }
            }
            o.end();
        }
    }
}

/// Packs as a JSON array of `{id, version, title: {zh, en}, completeness}`, keys in serde_json's map order.
pub(crate) fn pack_list<'a>(packs: impl IntoIterator<Item = &'a crate::lang::pack::RulePack>) -> String {
    let mut out = String::new();
    array(&mut out, packs, |out, p| {
        let m = p.meta();
        let mut o = Obj::new(out);
        o.str("completeness", &m.completeness);
        o.str("id", &m.id);
        let mut t = Obj::new(o.key("title"));
        t.str("en", &m.title.en);
        t.str("zh", &m.title.zh);
        t.end();
        o.str("version", &m.version);
        o.end();
    });
    out
}

/// An object being written: keys are separated by commas as they are added.
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String) -> Obj<'a> {
        out.push('{');
        Obj { out, first: true }
    }

    /// Start the entry `key` (a fixed ASCII name that needs no escape) and hand back the text to write its value to.
    fn key(&mut self, key: &str) -> &mut String {
        self.sep();
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// Start the entry whose key comes from data (escaped).
    fn key_text(&mut self, key: &str) -> &mut String {
        self.sep();
        string(self.out, key);
        self.out.push(':');
        self.out
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    fn str(&mut self, key: &str, v: &str) {
        string(self.key(key), v);
    }

    fn opt_str(&mut self, key: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.str(key, v);
        }
    }

    fn u64(&mut self, key: &str, v: u64) {
        push_u64(self.key(key), v);
    }

    fn opt_u64(&mut self, key: &str, v: Option<u64>) {
        if let Some(v) = v {
            self.u64(key, v);
        }
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// A JSON array of `items`, each written by `each`.
fn array<T>(out: &mut String, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut String, T)) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

/// A string with serde_json's escapes: `"` and `\`, `\b \t \n \f \r`, other control characters as `\u00XX`.
pub(crate) fn string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        start = i + 1;
        if esc.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(esc);
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn push_u64(out: &mut String, v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

fn push_i64(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    push_u64(out, v.unsigned_abs());
}

/// A double as serde_json writes it: its shortest form, `null` when not finite.
fn push_f64(out: &mut String, v: f64) {
    if v.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(v));
    } else {
        out.push_str("null");
    }
}

fn bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

/// Points as a whole number, or a double with one decimal.
fn points(out: &mut String, p: Points) {
    let t = p.tenths();
    if t % 10 == 0 {
        push_i64(out, t / 10);
    } else {
        push_f64(out, t as f64 / 10.0);
    }
}

fn opt_points(out: &mut String, p: Option<Points>) {
    match p {
        Some(p) => points(out, p),
        None => out.push_str("null"),
    }
}

fn text(out: &mut String, t: &Text) {
    let mut o = Obj::new(out);
    o.str("zh", &t.zh);
    o.str("en", &t.en);
    o.end();
}

fn date(out: &mut String, d: chrono::NaiveDate) {
    out.push('"');
    let _ = write!(out, "{}", DateFmt(d));
    out.push('"');
}

fn window(out: &mut String, w: &Window) {
    let mut o = Obj::new(out);
    date(o.key("from"), w.from);
    date(o.key("to"), w.to);
    o.end();
}

fn site(out: &mut String, s: &Site) {
    let mut o = Obj::new(out);
    o.str("name", &s.name);
    o.opt_str("url", s.url.as_deref());
    if let Some(k) = s.kind {
        o.str(
            "kind",
            match k {
                SiteKind::Portal => "portal",
                SiteKind::Other => "other",
            },
        );
    }
    o.opt_str("id", s.id.as_ref().map(|i| i.0.as_str()));
    if s.homepage_navigation_only {
        bool(o.key("homepage_navigation_only"), true);
    }
    if let Some(b) = s.offers_services {
        bool(o.key("offers_services"), b);
    }
    o.opt_str("region", s.region.as_deref());
    o.opt_str("department", s.department.as_deref());
    o.end();
}

fn warning(out: &mut String, w: &Warning) {
    let mut o = Obj::new(out);
    o.str("code", w.code);
    o.opt_str("path", w.path.as_deref());
    o.opt_str("rule", w.rule.as_deref());
    text(o.key("message"), &w.message);
    o.end();
}

fn indicator_path(out: &mut String, p: &IndicatorPath) {
    let mut o = Obj::new(out);
    o.str("id", &p.id);
    array(o.key("zh"), &p.zh, |out, s| string(out, s));
    array(o.key("en"), &p.en, |out, s| string(out, s));
    o.end();
}

/// A measure's value as the report shows it: whole numbers as integers (`null` past 64 bits), other numbers as
/// the nearest double, text, booleans (as `report::json_value` makes them).
fn value(out: &mut String, v: Option<&Val>) {
    match v {
        None => out.push_str("null"),
        Some(Val::Num(r)) if r.denom() == 1 => match i64::try_from(r.numer()) {
            Ok(n) => push_i64(out, n),
            Err(_) => out.push_str("null"),
        },
        Some(Val::Num(r)) => push_f64(out, r.to_f64_lossy()),
        Some(Val::Bool(b)) => bool(out, *b),
        Some(Val::Str(s)) => string(out, s),
    }
}

fn rule(out: &mut String, r: &RuleResult<'_>) {
    let meta = r.meta();
    let mut o = Obj::new(out);
    o.str("id", r.id());
    o.str(
        "kind",
        match r.kind {
            RuleKind::Veto => "veto",
            RuleKind::Deduction => "deduction",
            RuleKind::Bonus => "bonus",
        },
    );
    text(o.key("title"), &meta.title);
    indicator_path(o.key("indicator"), &meta.indicator);
    text(o.key("checkpoint"), &meta.checkpoint);
    text(o.key("criteria"), &meta.criteria);
    o.str("clause", &meta.clause);
    o.str("confidence", &meta.confidence);
    o.str("status", r.status.key());
    points(o.key("points"), r.points);
    if r.points_max != Some(r.points) {
        opt_points(o.key("points_max"), r.points_max);
    }
    bool(o.key("counted"), r.counted);
    let ex = r.explanation();
    let mut e = Obj::new(o.key("explanation"));
    e.str("zh", &ex.zh);
    e.str("en", &ex.en);
    e.end();
    let mut obs = Obj::new(o.key("observed"));
    for ((name, _), m) in meta.measures.iter().zip(r.measures()) {
        value(obs.key_text(name), m.value.as_ref());
    }
    obs.end();
    o.opt_str("threshold", r.threshold());
    array(o.key("cases"), meta.cases.iter().zip(r.cases()), |out, (m, c)| {
        let mut co = Obj::new(out);
        text(co.key("label"), &m.label);
        co.opt_str("when", m.when.as_deref());
        match c.matched {
            Some(b) => bool(co.key("matched"), b),
            None => co.key("matched").push_str("null"),
        }
        points(co.key("points"), c.points);
        co.end();
    });
    if let Some(w) = r.window() {
        window(o.key("window"), &w);
        let mut ws = Obj::new(o.key("windows"));
        for ((name, _), m) in meta.measures.iter().zip(r.measures()) {
            if let Some(w) = &m.window {
                window(ws.key_text(name), w);
            }
        }
        ws.end();
    }
    array(o.key("evidence"), r.evidence().iter(), |out, e| evidence(out, &e));
    if !r.missing.is_empty() {
        array(o.key("missing"), &r.missing, |out, m| string(out, m));
    }
    if r.review != 0 {
        o.u64("review", r.review);
    }
    o.end();
}

fn strings<'a>(out: &mut String, items: impl IntoIterator<Item = &'a std::sync::Arc<str>>) {
    array(out, items, |out, s| string(out, s));
}

fn evidence(out: &mut String, e: &Evidence) {
    let mut o = Obj::new(out);
    match e {
        Evidence::FailedVisit {
            at,
            status,
            error,
            elapsed_ms,
        } => {
            o.str("kind", "failed_visit");
            o.str("at", at);
            o.opt_u64("status", status.map(u64::from));
            o.opt_str("error", error.as_deref());
            o.opt_u64("elapsed_ms", *elapsed_ms);
        }
        Evidence::BrokenLink {
            url,
            found_on,
            scope,
            depth,
            link_kind,
            status,
            error,
            counted,
        } => {
            o.str("kind", "broken_link");
            o.str("url", url);
            strings(o.key("found_on"), found_on.0.iter());
            o.str("scope", scope);
            o.u64("depth", u64::from(*depth));
            o.str("link_kind", link_kind);
            o.opt_u64("status", status.map(u64::from));
            o.opt_str("error", error.as_deref());
            o.u64("counted", *counted);
        }
        Evidence::StaleColumn {
            column,
            category,
            url,
            last_published,
            within,
            since,
        } => {
            o.str("kind", "stale_column");
            o.str("column", column);
            o.str("category", category);
            o.opt_str("url", url.as_deref());
            o.opt_str("last_published", last_published.as_deref());
            let _ = write!(o.key("within"), "\"{within}\"");
            let _ = write!(o.key("since"), "\"{since}\"");
        }
        Evidence::BlankColumn {
            column,
            category,
            url,
        } => {
            o.str("kind", "blank_column");
            o.str("column", column);
            o.str("category", category);
            o.opt_str("url", url.as_deref());
        }
        Evidence::InaccurateInfo { column, count } => {
            o.str("kind", "inaccurate_info");
            o.str("column", column);
            o.u64("count", *count);
        }
        Evidence::NewItem {
            column,
            title,
            url,
            published,
        } => {
            o.str("kind", "new_item");
            o.str("column", column);
            o.str("title", title);
            o.opt_str("url", url.as_deref());
            o.str("published", published);
        }
        Evidence::OverdueMessage {
            asked,
            answered,
            waited_days,
            title,
            url,
        } => {
            o.str("kind", "overdue_message");
            o.str("asked", asked);
            match answered {
                Some(a) => string(o.key("answered"), a),
                None => o.key("answered").push_str("null"),
            }
            push_i64(o.key("waited_days"), *waited_days);
            o.opt_str("title", title.as_deref());
            o.opt_str("url", url.as_deref());
        }
        Evidence::MissingElement {
            element,
            element_zh,
            guides,
        } => {
            o.str("kind", "missing_element");
            o.str("element", element);
            o.str("element_zh", element_zh);
            strings(o.key("guides"), guides);
        }
        Evidence::InaccurateElement {
            element,
            element_zh,
            guide,
        } => {
            o.str("kind", "inaccurate_element");
            o.str("element", element);
            o.str("element_zh", element_zh);
            o.str("guide", guide);
        }
        Evidence::Attachment {
            problem,
            guide,
            count,
            items,
        } => {
            o.str("kind", "attachment");
            o.str("problem", problem);
            o.str("guide", guide);
            o.u64("count", *count);
            if !items.is_empty() {
                strings(o.key("items"), items);
            }
        }
        Evidence::UnreachableSystem {
            name,
            url,
            status,
            error,
        } => {
            o.str("kind", "unreachable_system");
            o.str("name", name);
            o.opt_str("url", url.as_deref());
            o.opt_u64("status", status.map(u64::from));
            o.opt_str("error", error.as_deref());
        }
        Evidence::ContentFinding {
            finding,
            url,
            excerpt,
            expected,
            confirmed,
        } => {
            o.str("kind", "content_finding");
            o.str("finding", finding);
            o.str("url", url);
            o.str("excerpt", excerpt);
            o.opt_str("expected", expected.as_deref());
            bool(o.key("confirmed"), *confirmed);
        }
        Evidence::Counted { field, value } => {
            o.str("kind", "counted");
            o.str("field", field);
            o.u64("value", *value);
        }
    }
    o.end();
}

fn write_report(out: &mut String, r: &Report) {
    let mut o = Obj::new(out);
    o.str("schema", r.schema);
    let mut p = Obj::new(o.key("pack"));
    p.str("id", &r.pack.id);
    p.str("version", &r.pack.version);
    text(p.key("title"), &r.pack.title);
    p.str("completeness", &r.pack.completeness);
    p.end();
    let mut params = Obj::new(o.key("params"));
    for (k, v) in r.params.iter() {
        string(params.key_text(k), v);
    }
    params.end();
    site(o.key("site"), &r.site);
    o.str("monitoring_point", &r.monitoring_point);
    o.str("verdict", r.verdict.key());
    o.str(
        "verdict_basis",
        match r.verdict_basis {
            VerdictBasis::Veto => "veto",
            VerdictBasis::Threshold => "threshold",
            VerdictBasis::Deductions => "deductions",
            VerdictBasis::MissingData => "missing_data",
        },
    );
    bool(o.key("complete"), r.complete);
    opt_points(o.key("score"), r.score);
    points(o.key("total_deduction"), r.total_deduction);
    opt_points(o.key("total_deduction_max"), r.total_deduction_max);
    points(o.key("uncounted_deduction"), r.uncounted_deduction);
    points(o.key("bonus"), r.bonus);
    if let Some(t) = r.threshold {
        points(o.key("threshold"), t);
    }
    if let Some(t) = r.fail_below {
        points(o.key("fail_below"), t);
    }
    if let Some(t) = &r.rescaled {
        text(o.key("rescaled"), t);
    }
    array(o.key("vetoes"), &r.vetoes, |out, v| {
        let mut vo = Obj::new(out);
        vo.str("rule", &v.rule);
        text(vo.key("title"), &v.title);
        array(vo.key("clauses"), &v.clauses, text);
        vo.end();
    });
    array(o.key("undecided"), &r.undecided, |out, id| string(out, id));
    array(o.key("indicators"), r.indicators.iter(), |out, t| {
        let mut io = Obj::new(out);
        io.str("id", t.id());
        text(io.key("title"), t.title());
        points(io.key("points"), t.points);
        if let Some(c) = t.cap {
            points(io.key("cap"), c);
        }
        points(io.key("counted_points"), t.counted_points);
        io.end();
    });
    array(o.key("rules"), r.rules.iter(), |out, x| rule(out, &x));
    array(o.key("warnings"), &r.warnings, warning);
    o.end();
}

/// A JSON value as one line of text: the bytes `Value::to_string` gives, written without serde's serialiser.
pub fn value_json(value: &serde_json::Value) -> String {
    let mut out = String::new();
    value_to(&mut out, value);
    out
}

/// A tree as one line of text: the bytes `Value::to_string` gives for the value it reads into.
pub(crate) fn node_json(node: &crate::io::json_tree::Node) -> String {
    let mut out = String::new();
    node_to(&mut out, node);
    out
}

impl Report {
    /// The report as one line of JSON: the bytes serde_json writes from its `Serialize`, written by hand.
    pub fn to_json(&self) -> String {
        report(self)
    }
}

#[cfg(test)]
#[cfg(feature = "builtin-packs")]
mod tests {
    use super::*;
    use crate::{Engine, Observation, RulePack};
    use proptest::prelude::*;
    use serde_json::Value;

    /// Every example and vector observation, with a hostile site name and region added to each (quotes,
    /// backslashes, every kind of control character, non-ASCII).
    fn observations() -> Vec<Observation> {
        let values = crate::test_support::observation_values(&[
            "examples/observations",
            "tests/vectors/census-2015",
            "tests/vectors/checklist-2019",
            "tests/vectors/custom",
        ]);
        let mut out = Vec::new();
        for v in values {
            let Ok(o) = Observation::from_json_value(v.clone()) else {
                continue;
            };
            out.push(o);
            let mut hostile = v;
            if let Some(site) = hostile.get_mut("site").and_then(Value::as_object_mut) {
                site.insert(
                    "name".into(),
                    Value::from("a\"b\\c\u{0}\u{8}\t\n\u{c}\r\u{1f}\u{7f}/é中\u{2028}"),
                );
                site.insert("region".into(), Value::from("\u{1b}[0m"));
            }
            if let Ok(o) = Observation::from_json_value(hostile) {
                out.push(o);
            }
        }
        out
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let obs = observations();
        assert!(obs.len() > 100, "{}", obs.len());
        let mut engines = vec![
            Engine::builtin("census-2015").unwrap(),
            Engine::builtin("checklist-2019").unwrap(),
        ];
        for (k, v) in [("link_count", "occurrence"), ("proration", "whole-percent")] {
            let mut p = RulePack::builtin("census-2015").unwrap();
            p.set_param(k, v).unwrap();
            engines.push(Engine::new(p));
        }
        let mut kinds = std::collections::BTreeSet::new();
        for e in &engines {
            for o in &obs {
                let r = e.score(o);
                let want = serde_json::to_string(&r).unwrap();
                assert_eq!(report(&r), want);
                let answer = crate::io::request::Answer::Success { report: Box::new(r) };
                assert_eq!(answer.to_json(), serde_json::to_string(&answer).unwrap());
                let v: Value = serde_json::from_str(&want).unwrap();
                for rule in v["rules"].as_array().unwrap() {
                    for ev in rule["evidence"].as_array().unwrap() {
                        kinds.insert(ev["kind"].as_str().unwrap().to_string());
                    }
                }
            }
        }
        // The comparison saw every kind of evidence.
        assert_eq!(kinds.len(), 13, "{kinds:?}");
    }

    #[test]
    fn failures_are_written_as_before() {
        let answer = crate::io::request::Answer::Failure {
            errors: vec![crate::Error::new(crate::ErrorKind::JsonSyntax, "bad \"x\"\n").with_path("a.b")],
        };
        assert_eq!(answer.to_json(), serde_json::to_string(&answer).unwrap());
        let mut every = crate::Error::new(crate::ErrorKind::InvalidValue, "m\u{1}")
            .with_path("p")
            .with_help("h\"");
        every = every.with_rule("r").with_file("f.toml").with_position(3, 14);
        let answer = crate::io::request::Answer::Failure {
            errors: vec![every.clone(), every],
        };
        assert_eq!(answer.to_json(), serde_json::to_string(&answer).unwrap());
        let none = crate::io::request::Answer::Failure { errors: Vec::new() };
        assert_eq!(none.to_json(), serde_json::to_string(&none).unwrap());
    }

    /// Values as `Value::to_string` writes them, the observations of the examples and vectors among them.
    #[test]
    fn values_are_written_as_serde_json_writes_them() {
        let mut texts = vec![
            r#"[null, true, false, 0, -0, -1, 18446744073709551615, -9223372036854775808, 1.5, -0.0, 1e300, 2.5e-8]"#
                .to_string(),
            r#"{"b": {"\u0000\"x": ["é", "\n"]}, "a": {}, "c": []}"#.to_string(),
        ];
        for o in observations().iter().take(40) {
            texts.push(serde_json::to_string(&o.site).unwrap());
        }
        for t in texts {
            let v: Value = serde_json::from_str(&t).unwrap();
            let mut out = String::new();
            value_to(&mut out, &v);
            assert_eq!(out, v.to_string());
        }
    }

    proptest! {
        #[test]
        fn strings_escape_as_serde_json_does(s in any::<String>()) {
            let mut out = String::new();
            string(&mut out, &s);
            prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn numbers_print_as_serde_json_does(t in any::<i64>(), x in any::<f64>(), u in any::<u64>()) {
            let mut out = String::new();
            points(&mut out, Points::from_tenths(t));
            prop_assert_eq!(out, serde_json::to_string(&Points::from_tenths(t)).unwrap());
            let mut out = String::new();
            push_f64(&mut out, x);
            prop_assert_eq!(out, serde_json::to_string(&x).unwrap());
            let mut out = String::new();
            push_u64(&mut out, u);
            prop_assert_eq!(out, u.to_string());
        }
    }
}
