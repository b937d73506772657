//! A JSON document as a tree in document order, and where in its text a value stands.
//!
//! The lean observation reader (`lean_reader`) reads the text once into a [`Node`] (`json_parse`, which answers
//! as serde_json does), maps the tree onto the model by hand, and on a problem finds the position serde_json's
//! derived reader would have reported with [`offset`].

#[cfg(test)]
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A value named as serde_json names it in a type error, written without serde's `Unexpected`: its formatting
/// carries the standard library's float printing (14 KB of the WebAssembly module), while serde_json writes a
/// float with its own shortest form, as this does.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unexpected<'a>(&'a Node);

impl fmt::Display for Unexpected<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Node::Null => f.write_str("null"),
            Node::Bool(b) => write!(f, "boolean `{b}`"),
            Node::U(n) => write!(f, "integer `{n}`"),
            Node::I(n) => write!(f, "integer `{n}`"),
            Node::F(x) => write!(f, "floating point `{}`", zmij::Buffer::new().format(*x)),
            Node::Str(s) => write!(f, "string {s:?}"),
            Node::Arr(_) => f.write_str("sequence"),
            Node::Obj(_) => f.write_str("map"),
        }
    }
}

/// A JSON value as serde_json hands it to a visitor: numbers as it reads them (non-negative integers as `U`,
/// negative ones as `I`, everything else as `F`), objects with their keys in document order, duplicates kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    Str(Box<str>),
    Arr(Vec<Node>),
    Obj(Vec<(Box<str>, Node)>),
}

impl Node {
    /// What serde_json calls this value in a type error (`integer `5``, `null`, `sequence`, …).
    pub(crate) fn unexpected(&self) -> Unexpected<'_> {
        Unexpected(self)
    }

    /// The value serde_json reads from the same text (a repeated key keeps its last value).
    pub(crate) fn into_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::U(u) => Value::from(u),
            Node::I(i) => Value::from(i),
            Node::F(f) => Value::from(f),
            Node::Str(s) => Value::String(s.into()),
            Node::Arr(a) => Value::Array(a.into_iter().map(Node::into_value).collect()),
            Node::Obj(o) => {
                let mut map = serde_json::Map::new();
                for (k, v) in o {
                    map.insert(k.into(), v.into_value());
                }
                Value::Object(map)
            }
        }
    }

    /// A parsed JSON value as the tree its text reads into (numbers as serde_json reads them back, objects in the
    /// order the value writes them).
    pub(crate) fn from_value(v: &serde_json::Value) -> Node {
        use serde_json::Value;
        match v {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Node::U(u),
                (None, Some(i)) => Node::I(i),
                _ => Node::F(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Node::Str(s.as_str().into()),
            Value::Array(a) => Node::Arr(a.iter().map(Node::from_value).collect()),
            Value::Object(o) => Node::Obj(
                o.iter()
                    .map(|(k, v)| (k.as_str().into(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The same value as a `serde_json::Value` (later duplicate keys win, as serde_json's own reader does).
    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::U(n) => Value::from(*n),
            Node::I(n) => Value::from(*n),
            Node::F(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Node::Str(s) => Value::String(s.to_string()),
            Node::Arr(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            Node::Obj(o) => {
                // Inserted one by one (a later repeated key replaces the earlier one): collecting sorts first,
                // with a sort of its own in the module.
                let mut map = serde_json::Map::new();
                for (k, v) in o {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// An object's entries.
pub(crate) type Entries = Vec<(Box<str>, Node)>;

impl Node {
    /// An integer as serde_json's `Value::from` stores it and reads back: non-negative as `U`, negative as `I`.
    pub(crate) fn int(i: i64) -> Node {
        u64::try_from(i).map_or(Node::I(i), Node::U)
    }

    /// A double as serde_json's `Value::from` stores it: `null` when not finite.
    pub(crate) fn float(f: f64) -> Node {
        if f.is_finite() { Node::F(f) } else { Node::Null }
    }

    /// A string.
    pub(crate) fn text(s: &str) -> Node {
        Node::Str(s.into())
    }
}

/// The entries of an object that serde_json's map keeps, in its order: sorted by key, and of a repeated key only
/// the last. Indices into `entries`.
pub(crate) fn map_order(entries: &[(Box<str>, Node)]) -> Vec<usize> {
    // A heap sort (the binary heap's): the slice sorts would add 3 KB of code to the WebAssembly module.
    let keyed: Vec<(&str, usize)> = entries.iter().enumerate().map(|(i, (k, _))| (&**k, i)).collect();
    let sorted = std::collections::BinaryHeap::from(keyed).into_sorted_vec();
    let mut kept = Vec::with_capacity(sorted.len());
    for (n, &(k, i)) in sorted.iter().enumerate() {
        if sorted.get(n + 1).is_none_or(|&(next, _)| next != k) {
            kept.push(i);
        }
    }
    kept
}

/// An object's entries as serde_json's map keeps them (see [`map_order`]).
pub(crate) fn into_map_order(entries: Entries) -> Entries {
    let order = map_order(&entries);
    let mut slots: Vec<Option<(Box<str>, Node)>> = entries.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// The value of `key` in entries kept sorted by key, inserted as `make()` when absent.
pub(crate) fn entry<'a>(entries: &'a mut Entries, key: &str, make: impl FnOnce() -> Node) -> &'a mut Node {
    let at = match entries.binary_search_by(|(k, _)| (**k).cmp(key)) {
        Ok(at) => at,
        Err(at) => {
            entries.insert(at, (key.into(), make()));
            at
        }
    };
    // In bounds: found there, or just inserted there.
    &mut entries[at].1
}

/// Set `key` to `value` in entries kept sorted by key.
pub(crate) fn set(entries: &mut Entries, key: &str, value: Node) {
    match entries.binary_search_by(|(k, _)| (**k).cmp(key)) {
        Ok(at) => entries[at].1 = value,
        Err(at) => entries.insert(at, (key.into(), value)),
    }
}

/// serde_json's own reading into the tree: what the tests compare `json_parse` against.
#[cfg(test)]
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Node, E> {
                Ok(Node::U(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Node, E> {
                Ok(Node::I(n))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Node, E> {
                Ok(Node::F(f))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Str(s.into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(n) = seq.next_element()? {
                    v.push(n);
                }
                Ok(Node::Arr(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some((k, n)) = map.next_entry::<Box<str>, Node>()? {
                    v.push((k, n));
                }
                Ok(Node::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// One step of a path: the `n`-th entry of an object (in document order, so a duplicate key is told apart) or
/// the `n`-th element of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg {
    Entry(usize),
    Index(usize),
}

/// Which position of a value a problem is reported at, as serde_json's derived readers report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    /// Before its first byte (a wrong type that serde_json only peeked at: an object or array).
    Start,
    /// Just after its first byte (an extra element, which serde_json only peeked at).
    AfterFirstByte,
    /// An object opened where any value is read, then refused: after the `{` and any space, or after the `}` of an
    /// empty object (serde_json looks for the end of the object before it reports).
    AnyMap,
    /// Just after its last byte.
    End,
    /// Where serde_json stands once it has read the value whole and looked for the end of the object or array
    /// around it (a problem found only then).
    EndSpace,
    /// Just after the key of the entry it is the value of, and any space (an unknown or duplicate field).
    Key,
}

/// The byte offset in `text` (valid JSON) of the value at `path`, at `at`.
pub(crate) fn offset(text: &str, path: &[Seg], at: At) -> usize {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    let mut key_end = i;
    for seg in path {
        // `i` is at the `{` or `[` of the container.
        let want = match *seg {
            Seg::Entry(n) | Seg::Index(n) => n,
        };
        let object = b.get(i) == Some(&b'{');
        i = skip_ws(b, i + 1);
        let mut n = 0;
        loop {
            if object {
                // key, colon, value
                let ke = string_end(b, i);
                key_end = ke;
                i = skip_ws(b, ke);
                i = skip_ws(b, i + 1);
            }
            if n == want || i >= b.len() {
                break;
            }
            i = skip_ws(b, value_end(b, i));
            // the comma
            i = skip_ws(b, i + 1);
            n += 1;
        }
    }
    match at {
        At::Start => i,
        At::AfterFirstByte => (i + 1).min(b.len()),
        At::AnyMap => {
            let j = skip_ws(b, i + 1);
            if b.get(j) == Some(&b'}') { j + 1 } else { j }
        }
        At::End => value_end(b, i),
        At::EndSpace => {
            // serde_json looks for the end of the enclosing object or array: it takes a closing bracket, and in an
            // array a comma and the space after it.
            let j = skip_ws(b, value_end(b, i));
            match (path.last(), b.get(j)) {
                (Some(Seg::Entry(_)), Some(b'}')) | (Some(Seg::Index(_)), Some(b']')) => j + 1,
                (Some(Seg::Index(_)), Some(b',')) => skip_ws(b, j + 1),
                _ => j,
            }
        }
        At::Key => skip_ws(b, key_end),
    }
}

/// The 1-based line and the column (bytes before the offset on its line) that serde_json gives for `offset`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
    (line, before.len() - start)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Just after the string that opens at `i`.
fn string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// Just after the value that starts at `i`.
fn value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => string_end(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_keys_and_duplicates() {
        let t = r#"{"a": {"b": [1, "x,]", {"c": null}]}, "a": true}"#;
        let at = |p: &[Seg], a| &t[..offset(t, p, a)];
        assert!(at(&[Seg::Entry(0), Seg::Entry(0), Seg::Index(1)], At::End).ends_with(r#""x,]""#));
        assert!(at(&[Seg::Entry(0), Seg::Entry(0), Seg::Index(2)], At::Start).ends_with(", "));
        assert!(
            at(
                &[Seg::Entry(0), Seg::Entry(0), Seg::Index(2), Seg::Entry(0)],
                At::Key
            )
            .ends_with(r#"{"c""#)
        );
        assert!(at(&[Seg::Entry(0), Seg::Entry(0)], At::End).ends_with(r#"null}]"#));
        assert!(at(&[Seg::Entry(1)], At::Key).ends_with(r#"}, "a""#));
        assert_eq!(at(&[], At::End), t);
        assert_eq!(line_col("{\n  \"a\": 1}", 10), (2, 8));
    }

    #[test]
    fn reads_in_document_order_with_duplicates() {
        let n: Node = serde_json::from_str(r#"{"b": -1, "a": [1.5, "s"], "b": null}"#).unwrap();
        let Node::Obj(entries) = &n else { panic!("{n:?}") };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(entries[0].1, Node::I(-1));
        assert_eq!(n.to_value()["b"], serde_json::Value::Null);
    }

    #[test]
    fn writes_what_serde_json_writes_of_the_value_read() {
        for t in [
            r#"{"b": -1, "a": [1.5, "s\n"], "b": null, "a": {"z": 1, "y": {"q": 2, "p": 3, "q": 4}}}"#,
            r#"[{"k": 1, "k": 2, "j": 0}, {}, [], 18446744073709551615, -9223372036854775808, 1e300, 0.1]"#,
            r#"{"é": 1, "e": 2, "E": 3, "": 4, "ee": 5, "e": 6}"#,
            r#""中文\u0001""#,
        ] {
            let want = serde_json::from_str::<serde_json::Value>(t).unwrap().to_string();
            let node = crate::io::json_parse::parse(t).unwrap();
            assert_eq!(crate::io::report_json::node_json(&node), want, "{t}");
            if let Node::Obj(entries) = node {
                let sorted = Node::Obj(into_map_order(entries));
                assert_eq!(crate::io::report_json::node_json(&sorted), want, "{t}");
            }
        }
    }

    #[test]
    fn sorted_entries_set_and_keep() {
        let mut m: Entries = Vec::new();
        for (k, v) in [("b", 1), ("a", 2), ("c", 3), ("a", 4)] {
            set(&mut m, k, Node::U(v));
        }
        *entry(&mut m, "b", || Node::Null) = Node::U(9);
        entry(&mut m, "d", || Node::Bool(true));
        assert_eq!(
            crate::io::report_json::node_json(&Node::Obj(m)),
            r#"{"a":4,"b":9,"c":3,"d":true}"#
        );
    }
}
