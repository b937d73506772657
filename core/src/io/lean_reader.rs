//! The readers of the lean build (the WebAssembly module) for observations and `call` requests: the text is read
//! once into a [`Node`] tree and mapped onto the model by hand, instead of through serde's derived readers, whose
//! code for the observation's twenty-odd types was a fifth of the module.
//!
//! It answers exactly as the derived reader does — the same observation, or the same error with the same code,
//! message, path, line and column — which a test checks on thousands of altered observations. Serde's own
//! message texts are used (through serde_json's error type), and positions are found in the text where serde_json
//! would have stopped: after a value, before an object or array refused outright, after an unknown key.
//!
//! One difference is by design: a document that is both malformed and wrongly typed is reported malformed first
//! (the derived reader reports whichever problem comes first in the text).

use crate::io::json_parse::{SyntaxError, parse, parse_prefix};
use crate::io::json_path::{Cause, path_at};
use crate::io::json_tree::{At, Node, Seg, line_col, offset};
use crate::io::request::{PackRef, Request};
use crate::model::date::{DATE_EXPECTING, LocalDate};
use crate::model::error::{Error, ErrorKind, classify_serde_message};
use crate::model::observation::*;
use serde::de::Error as _;
use std::collections::BTreeMap;
use std::sync::Arc;

mod areas;
mod shape;
mod values;

use areas::*;
use shape::*;
use values::*;

/// Serde's messages (unknown, repeated and missing fields, wrong lengths) as its `de::Error` helpers word them,
/// through an error type of our own: serde_json's would bring its error machinery into the WebAssembly module
/// (the messages' text is the same, which the comparison with the derived reader checks).
#[derive(Debug)]
struct Msg(String);

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Msg {}

impl serde::de::Error for Msg {
    fn custom<T: std::fmt::Display>(msg: T) -> Msg {
        Msg(msg.to_string())
    }
}

/// A problem found while mapping: its message, where in the value it is reported, and the path to that value
/// (innermost step first, as the error travels outwards).
struct Fail {
    msg: String,
    at: At,
    path: Vec<Seg>,
    syntax: bool,
}

type R<T> = Result<T, Fail>;

impl Fail {
    #[cold]
    #[inline(never)]
    fn new(msg: String, at: At) -> Fail {
        Fail {
            msg,
            at,
            path: Vec::new(),
            syntax: false,
        }
    }

    fn within(mut self, seg: Seg) -> Fail {
        self.path.push(seg);
        self
    }

    /// serde_json's line and column for it in `text`.
    fn position(&mut self, text: &str) -> (usize, usize) {
        self.path.reverse();
        line_col(text, offset(text, &self.path, self.at))
    }

    fn into_error(mut self, text: &str) -> Error {
        let (line, column) = self.position(text);
        let (kind, help, cause) = if self.syntax {
            (ErrorKind::JsonSyntax, None, Cause::Syntax)
        } else {
            let (kind, help) = classify_serde_message(&self.msg);
            let variant = self.msg.starts_with("unknown variant");
            (kind, help, if variant { Cause::Variant } else { Cause::Value })
        };
        let path = path_at(text, line, column, cause);
        let err = Error::new(kind, self.msg)
            .with_path(path)
            .with_position(line, column);
        match help {
            Some(h) => err.with_help(h),
            None => err,
        }
    }
}

/// What an observation written as a list is told, by both readers (the derived one in `read.rs`).
pub(crate) const POSITIONAL: &str =
    "invalid type: a list, expected an observation (a JSON object with named fields)";

/// Read an observation from JSON text (not yet checked across fields).
pub(crate) fn read(text: &str) -> Result<Observation, Error> {
    let node = parse(text).map_err(|e| syntax_error(&e, text))?;
    // Not by position, though serde's derived readers would take it: refused in the derived reader's words, at its
    // place.
    if let Node::Arr(_) = node {
        let (line, column) = Fail::new(String::new(), At::AfterFirstByte).position(text);
        return Err(Error::new(ErrorKind::InvalidType, POSITIONAL).with_position(line, column));
    }
    observation(&node).map_err(|f| f.into_error(text))
}

/// `provenance.not_visited[]` of a provenance the derived reader kept as a value, read as the lean reader reads it
/// (so both readers answer alike); `None` when it has a problem, which reading the observation's text names.
#[cfg(any(feature = "fast-json", test))]
pub(crate) fn not_visited_in(provenance: &serde_json::Value) -> Option<Vec<NotVisited>> {
    match provenance.get("not_visited") {
        Some(list) => not_visited_list(&Node::from_value(list)).ok(),
        None => Some(Vec::new()),
    }
}

/// As [`not_visited_in`], with a problem found again in `text` (what the derived reader read) to name its line and
/// column.
#[cfg(any(feature = "fast-json", test))]
pub(crate) fn not_visited_of(provenance: &serde_json::Value, text: &str) -> Result<Vec<NotVisited>, Error> {
    if let Some(l) = not_visited_in(provenance) {
        return Ok(l);
    }
    let root = parse(text).map_err(|e| syntax_error(&e, text))?;
    observation_not_visited(&root).map_err(|f| f.into_error(text))
}

/// The value of an object's last `key` (serde_json keeps the last of a repeated key) with its entry index.
fn last_entry<'n>(n: &'n Node, key: &str) -> Option<(usize, &'n Node)> {
    let Node::Obj(entries) = n else { return None };
    let i = entries.iter().rposition(|(k, _)| &**k == key)?;
    entries.get(i).map(|(_, v)| (i, v))
}

/// `provenance.not_visited[]` of an observation's tree.
fn observation_not_visited(observation: &Node) -> R<Vec<NotVisited>> {
    match last_entry(observation, "provenance") {
        Some((i, p)) => provenance_not_visited(p).map_err(|f| f.within(Seg::Entry(i))),
        None => Ok(Vec::new()),
    }
}

/// The `not_visited` list of a provenance value; the rest of the provenance is free-form, and anything but an
/// object has none.
fn provenance_not_visited(n: &Node) -> R<Vec<NotVisited>> {
    match last_entry(n, "not_visited") {
        Some((i, v)) => not_visited_list(v).map_err(|f| f.within(Seg::Entry(i))),
        None => Ok(Vec::new()),
    }
}

fn not_visited_list(n: &Node) -> R<Vec<NotVisited>> {
    list(n, not_visited)
}

const NOT_VISITED: Shape = Shape {
    name: "struct NotVisited",
    fields: &["url", "reason"],
};

fn not_visited(n: &Node) -> R<NotVisited> {
    let (mut url, mut reason) = (None, None);
    let form = fields(n, &NOT_VISITED, &mut |j, v| {
        match j {
            0 => url = Some(string(v)?),
            _ => reason = Some(text(v, NotVisitedReason::from_text)?),
        }
        Ok(())
    })?;
    Ok(NotVisited {
        url: req(url, 0, form, &NOT_VISITED)?,
        reason: req(reason, 1, form, &NOT_VISITED)?,
    })
}

/// A syntax error as the derived reader reports it (`observation::json_error`): serde_json's message, the path of the
/// value being read, the line and column.
fn syntax_error(e: &SyntaxError, text: &str) -> Error {
    Error::new(ErrorKind::JsonSyntax, e.message)
        .with_path(path_at(text, e.line, e.column, Cause::Syntax))
        .with_position(e.line, e.column)
}

/// Read an already parsed observation (not yet checked across fields); `None` when it has a problem, which reading
/// its text names.
pub(crate) fn from_value(value: &serde_json::Value) -> Option<Observation> {
    from_tree(&Node::from_value(value))
}

/// Read an observation from a tree in the map's order (see [`crate::io::json_tree::map_order`]), as [`from_value`]
/// reads the value it stands for.
pub(crate) fn from_tree(tree: &Node) -> Option<Observation> {
    // A list is refused reading its text ([`read`]).
    if let Node::Arr(_) = tree {
        return None;
    }
    observation(tree).ok()
}

/// Read JSON text that must be an object, as serde_json reads it into a map: its entries in the map's order (by
/// key, a repeated key's last value only), or serde_json's message for what is wrong with the text, with its line
/// and column. Read through the tree, not into a map directly: serde_json's typed readers name a value of the wrong
/// type with serde's own words, whose code carries the standard library's float printing.
pub(crate) fn object_entries(text: &str) -> Result<Vec<(Box<str>, Node)>, String> {
    // The map reader refuses anything but an object on sight: an array at its bracket, a scalar once read (before
    // whatever follows it).
    let node = match text
        .trim_start_matches([' ', '\n', '\r', '\t'])
        .as_bytes()
        .first()
    {
        Some(b'{') => parse(text),
        Some(b'[') => Ok(Node::Arr(Vec::new())),
        _ => parse_prefix(text),
    };
    match node.map_err(|e| e.to_string())? {
        Node::Obj(entries) => Ok(crate::io::json_tree::into_map_order(entries)),
        other => {
            let mut f = wrong(&other, "a map");
            let (line, column) = f.position(text);
            Err(format!("{} at line {line} column {column}", f.msg))
        }
    }
}

/// Read a `call` request (`{pack, params, observation}`), or serde_json's message for what is wrong with it, with
/// its line and column, as the derived reader words it.
pub(crate) fn request(text: &str) -> Result<Request, String> {
    let node = parse(text).map_err(|e| e.to_string())?;
    read_request(&node).map_err(|mut f| {
        let (line, column) = f.position(text);
        format!("{} at line {line} column {column}", f.msg)
    })
}

const OBSERVATION: Shape = Shape {
    name: "struct Observation",
    fields: &[
        "schema",
        "monitoring_point",
        "site",
        "availability",
        "links",
        "columns",
        "homepage",
        "interaction",
        "services",
        "content_findings",
        "provenance",
    ],
};

fn observation(n: &Node) -> R<Observation> {
    let (mut schema, mut point, mut site_, mut availability_, mut links_, mut columns) =
        (None, None, None, None, None, None);
    let (mut homepage, mut interaction_, mut services_, mut findings) = (None, None, None, None);
    let form = fields(n, &OBSERVATION, &mut |j, v| {
        match j {
            0 => schema = opt(v, string)?,
            1 => point = Some(date(v)?),
            2 => site_ = Some(Arc::new(site(v)?)),
            3 => availability_ = opt(v, availability)?,
            4 => links_ = opt(v, links)?,
            5 => columns = opt(v, column_list)?,
            6 => homepage = opt(v, homepage_counts)?,
            7 => interaction_ = opt(v, interaction)?,
            8 => services_ = opt(v, services)?,
            9 => findings = opt(v, findings_list)?,
            // Any JSON value, and none of it kept but its `not_visited` list (read below, once the rest is read,
            // as the derived route does): nothing else scores it, and building its `serde_json::Value` would take
            // 4.5 KB (2 KB gzipped) of the WebAssembly module for the map code.
            _ => {}
        }
        Ok(())
    })?;
    Ok(Observation {
        schema,
        monitoring_point: req(point, 1, form, &OBSERVATION)?,
        site: req(site_, 2, form, &OBSERVATION)?,
        availability: availability_,
        links: links_,
        columns,
        homepage,
        interaction: interaction_,
        services: services_,
        content_findings: findings,
        provenance: None,
        not_visited: observation_not_visited(n)?,
    })
}

const REQUEST: Shape = Shape {
    name: "struct Request",
    fields: &["pack", "params", "observation"],
};

fn read_request(n: &Node) -> R<Request> {
    let (mut pack, mut params, mut observation) = (None, None, None);
    let form = fields(n, &REQUEST, &mut |j, v| {
        match j {
            0 => pack = Some(pack_ref(v)?),
            1 => params = Some(string_map(v)?),
            _ => observation = Some(v.to_value()),
        }
        Ok(())
    })?;
    Ok(Request {
        pack: pack.unwrap_or_default(),
        params: params.unwrap_or_default(),
        observation: req(observation, 2, form, &REQUEST)?,
    })
}

/// A pack name, or `{"toml": "..."}` (other keys ignored), as serde's untagged reader takes them.
fn pack_ref(n: &Node) -> R<PackRef> {
    let toml = match n {
        Node::Str(name) => return Ok(PackRef::Name(name.to_string())),
        Node::Obj(entries) => {
            let mut tomls = entries.iter().filter(|(k, _)| &**k == "toml");
            match (tomls.next(), tomls.next()) {
                (Some((_, Node::Str(t))), None) => Some(t),
                _ => None,
            }
        }
        _ => None,
    };
    match toml {
        Some(t) => Ok(PackRef::Inline { toml: t.to_string() }),
        None => Err(Fail::new(
            "data did not match any variant of untagged enum PackRef".into(),
            At::EndSpace,
        )),
    }
}

fn string_map(n: &Node) -> R<BTreeMap<String, String>> {
    let Node::Obj(entries) = n else {
        return Err(wrong(n, "a map"));
    };
    let mut out = BTreeMap::new();
    for (i, (k, v)) in entries.iter().enumerate() {
        out.insert(k.to_string(), string(v).map_err(|f| f.within(Seg::Entry(i)))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! The lean reader against the derived one, on the example and vector observations and thousands of altered
    //! copies: wrong types, impossible values, unknown, missing and repeated fields, structs written as arrays,
    //! compact and indented text.
    use super::*;
    use serde_json::Value;
    use std::fmt::Write as _;

    /// [`object_entries`] as the map serde_json reads.
    fn object(text: &str) -> Result<serde_json::Map<String, Value>, String> {
        let mut map = serde_json::Map::new();
        for (k, v) in object_entries(text)? {
            map.insert(k.into(), v.into_value());
        }
        Ok(map)
    }

    /// Any JSON text through the tree, as the value serde_json reads.
    fn value(text: &str) -> Result<Value, String> {
        parse(text).map(Node::into_value).map_err(|e| e.to_string())
    }

    /// A text that must be an object reads as serde_json's map reader reads it, and any text as its value reader
    /// reads it: the same map or value, or the same message at the same line and column.
    #[test]
    fn objects_read_as_serde_json_reads_a_map() {
        for t in [
            r#"{"a": 1, "b": [1.5, -2, 18446744073709551615, 1e300], "a": {"c": null}, "d": "x\u00e9"}"#,
            "{}",
            "5",
            " 5",
            "-3",
            "1.5",
            "\n\n  12.25 ",
            "1e400",
            "123456789012345678901234567890",
            "\"x\"",
            " \"a\\\"b\" ",
            "null",
            "true",
            "[1, 2]",
            "  [",
            "  {",
            "{\"a\":1} x",
            "",
            "nul",
            "{\"a\": 1,}",
            "5 x",
            "[1] x",
            "\"s\" ]",
            "tru",
            "x",
        ] {
            let want = serde_json::from_str::<serde_json::Map<String, Value>>(t).map_err(|e| e.to_string());
            assert_eq!(object(t), want, "{t:?}");
            // Any value reads through the tree as serde_json reads it into a `Value`.
            let want = serde_json::from_str::<Value>(t).map_err(|e| e.to_string());
            assert_eq!(value(t), want, "{t:?}");
        }
        // Nesting past serde_json's limit, in an object and as an array.
        for t in [
            format!("{}1{}", r#"{"a": "#.repeat(200), "}".repeat(200)),
            format!("{}{}", "[".repeat(200), "]".repeat(200)),
        ] {
            let want = serde_json::from_str::<serde_json::Map<String, Value>>(&t).map_err(|e| e.to_string());
            assert!(want.is_err());
            assert_eq!(object(&t), want);
            let want = serde_json::from_str::<Value>(&t).map_err(|e| e.to_string());
            assert_eq!(value(&t), want);
        }
    }

    /// The derived reader's answer, less the provenance, which the lean reader checks but does not keep (but for
    /// its `not_visited` list).
    fn derived(text: &str) -> Result<Observation, Error> {
        crate::io::read::derived(text).map(|mut o| {
            o.provenance = None;
            o
        })
    }

    fn same(text: &str) {
        match (derived(text), read(text)) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            (a, b) => panic!("derived {:?}, lean {:?}: {text}", a.err(), b.err()),
        }
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const WORDS: &[&str] = &[
        "",
        "x",
        "portal",
        "门户网站",
        "other",
        "2015-02-30",
        "2015-06-30",
        "2015-06-30T23:00:00Z",
        "bm07000001",
        "12345",
        "dynamics",
        "工作动态",
        "news",
        "2w",
        "6个月",
        "page",
        "image",
        "serious_typo",
        "name",
        "a\"b\\c\n",
    ];
    const KEYS: &[&str] = &[
        "name",
        "url",
        "kind",
        "visits",
        "failures",
        "samples",
        "broken",
        "columns",
        "items",
        "exists",
        "activities",
        "messages",
        "guides",
        "depth",
        "found_on",
        "at",
        "ok",
        "colums",
        "kidn",
        "date",
        "published",
        "category",
        "attachments_broken",
        "status",
        "level",
        "valid",
        "schema",
        "site",
        "monitoring_point",
        "toml",
        "pack",
        "params",
        "observation",
    ];

    fn scalar(rng: &mut Rng) -> Value {
        match rng.below(14) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::from(0),
            3 => Value::from(5),
            4 => Value::from(-1),
            5 => Value::from(70000),
            6 => Value::from(4_294_967_296u64),
            7 => Value::from(u64::MAX),
            8 => Value::from(1.5),
            9 => Value::from(2.0),
            10 => Value::Array(vec![]),
            11 => Value::Array(vec![Value::from(WORDS[rng.below(WORDS.len())])]),
            12 => {
                let mut m = serde_json::Map::new();
                if rng.below(2) == 0 {
                    m.insert(KEYS[rng.below(KEYS.len())].into(), scalar(rng));
                }
                Value::Object(m)
            }
            _ => Value::from(WORDS[rng.below(WORDS.len())]),
        }
    }

    /// Change one value somewhere in `v`.
    fn mutate(v: &mut Value, rng: &mut Rng) {
        let descend = rng.below(4) != 0;
        match v {
            Value::Object(m) if !m.is_empty() && descend => {
                let keys: Vec<String> = m.keys().cloned().collect();
                let k = &keys[rng.below(keys.len())];
                match rng.below(8) {
                    0 => {
                        m.remove(k);
                    }
                    1 => {
                        m.insert(KEYS[rng.below(KEYS.len())].into(), scalar(rng));
                    }
                    _ => {
                        if let Some(c) = m.get_mut(k) {
                            mutate(c, rng);
                        }
                    }
                }
            }
            Value::Array(a) if !a.is_empty() && descend => {
                let i = rng.below(a.len());
                if rng.below(6) == 0 {
                    a.push(a[i].clone());
                } else {
                    mutate(&mut a[i], rng);
                }
            }
            _ => *v = scalar(rng),
        }
    }

    /// Write `v` as JSON, sometimes repeating an object's entry, writing an object as the array of its values,
    /// indenting, or writing zero as `-0`.
    fn emit(v: &Value, rng: &mut Rng, pretty: bool, depth: usize, out: &mut String) {
        let nl = |out: &mut String, d: usize| {
            if pretty {
                out.push('\n');
                out.push_str(&"  ".repeat(d));
            }
        };
        match v {
            Value::Object(m) if rng.below(40) == 0 => {
                let vals: Vec<Value> = m.values().cloned().collect();
                emit(&Value::Array(vals), rng, pretty, depth, out);
            }
            Value::Object(m) => {
                out.push('{');
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                if !entries.is_empty() && rng.below(30) == 0 {
                    let e = entries[rng.below(entries.len())];
                    entries.push(e);
                }
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    let _ = write!(out, "{}:", Value::from(k.as_str()));
                    if pretty {
                        out.push(' ');
                    }
                    emit(x, rng, pretty, depth + 1, out);
                }
                if !entries.is_empty() {
                    nl(out, depth);
                } else if pretty && rng.below(2) == 0 {
                    out.push(' ');
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    emit(x, rng, pretty, depth + 1, out);
                }
                if !a.is_empty() {
                    nl(out, depth);
                }
                out.push(']');
            }
            Value::Number(n) if n.as_u64() == Some(0) && rng.below(3) == 0 => out.push_str("-0"),
            other => out.push_str(&other.to_string()),
        }
    }

    fn seeds() -> Vec<Value> {
        crate::test_support::observation_values(&[
            "examples/observations",
            "tests/vectors/census-2015",
            "tests/vectors/checklist-2019",
        ])
    }

    #[test]
    fn provenance_is_checked_but_not_kept() {
        let text =
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"provenance":{"tool":"t","n":[1,2.5]}}"#;
        let derived = serde_json::from_str::<Observation>(text).unwrap();
        assert!(derived.provenance.is_some());
        assert!(read(text).unwrap().provenance.is_none());
        let bad = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"provenance":{"tool":}}"#;
        assert_eq!(read(bad).unwrap_err().kind(), ErrorKind::JsonSyntax);
    }

    #[test]
    fn answers_as_the_derived_reader_does() {
        let seeds = seeds();
        assert!(seeds.len() > 50, "{}", seeds.len());
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut errors = 0;
        for round in 0..60 {
            for seed in &seeds {
                let mut v = seed.clone();
                for _ in 0..=rng.below(3) {
                    if round > 0 {
                        mutate(&mut v, &mut rng);
                    }
                }
                let mut text = String::new();
                emit(&v, &mut rng, round % 2 == 1, 0, &mut text);
                errors += usize::from(derived(&text).is_err());
                same(&text);
                // An already parsed value reads as the text it writes does.
                if let Ok(value) = serde_json::from_str::<Value>(&text) {
                    let via_text = read(&value.to_string()).ok().map(|o| format!("{o:?}"));
                    assert_eq!(from_value(&value).map(|o| format!("{o:?}")), via_text, "{text}");
                }
            }
        }
        // Most altered observations are refused, and some are not.
        assert!(errors > seeds.len() * 20, "{errors}");
    }

    /// Found by fuzzing: a wrong value before a syntax error. The derived reader met the value first; both now
    /// name the syntax error, as the lean reader reads the whole tree before any field.
    #[test]
    fn a_syntax_error_is_named_before_a_wrong_value_ahead_of_it() {
        let text = r#"{"monitoring_point": "2015-06-30is "",te": {"name": "x"}}"#;
        same(text);
        // And a control character in a string after a wrong value, where serde_json's skipping reader is one
        // column early.
        same("{\"monitoring_point\": \"2015-06-31\", \"site\": {\"\u{0}\": 1}}");
        let e = Observation::from_json_str(text).unwrap_err();
        assert_eq!(
            (e.code(), e.line(), e.column()),
            ("json_syntax", Some(1), Some(37)),
            "{e}"
        );
    }

    fn same_request(text: &str) {
        let derived = serde_json::from_str::<Request>(text).map_err(|e| e.to_string());
        match (derived, request(text)) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}"),
            (a, b) => assert_eq!(a.err(), b.err(), "{text}"),
        }
    }

    #[test]
    fn requests_answer_as_the_derived_reader_does() {
        let seeds = [
            serde_json::json!({"pack": "census-2015", "params": {"proration": "linear"}, "observation": {}}),
            serde_json::json!({"pack": {"toml": "x", "other": 1}, "observation": null}),
            serde_json::json!({"observation": {"a": [1, 2]}}),
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut errors = 0;
        for round in 0..1500 {
            for seed in &seeds {
                let mut v = seed.clone();
                if round > 0 {
                    mutate(&mut v, &mut rng);
                }
                let mut text = String::new();
                emit(&v, &mut rng, round % 2 == 1, 0, &mut text);
                errors += usize::from(request(&text).is_err());
                same_request(&text);
            }
        }
        assert!(errors > 1000, "{errors}");
        for text in [
            "[]",
            r#"["census-2015", {}, 1]"#,
            r#"{"pack": ["inline"], "observation": 1}"#,
            r#"{"pack": {"toml": "a", "toml": "b"}, "observation": 1}"#,
            r#"{"pack": 5 , "observation": 1}"#,
            r#"{"params": {"a": "1", "a": "2"}, "observation": 1}"#,
        ] {
            same_request(text);
        }
    }

    #[test]
    fn reads_text_as_given() {
        for text in [
            "[1, 2]",
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}} "#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"broken": [{"url": "u", "depth": 1, "kind": {"image": null}}]}}"#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"broken": [{"url": "u", "depth": 1, "kind": 5}]}}"#,
            "{\"monitoring_point\": \"2015-06-30\",\r\n\t\"site\": {\"name\": \"x\", \"name\" : \"y\"}}",
            r#"{"monitoring_point": "2015-06-30", "site": ["x", null, "portal"]}"#,
            r#"{"monitoring_point": "2015-06-30", "site": ["x", null, "portal", null, false, null, null, null, 1]}"#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "interaction": {"survey": {"exists": true, "activities": { }}}}"#,
        ] {
            same(text);
        }
    }
}
