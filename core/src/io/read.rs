//! Reading an observation from JSON text, a parsed value or a tree: the derived reader natively (feature
//! `fast-json`), the lean one (`lean_reader`) in the WebAssembly module, then the checks across fields.

use crate::io::json_path::locate;
use crate::model::error::{Error, ErrorKind, classify_serde_message};
use crate::model::observation::{MAX_INPUT_BYTES, Observation};
#[cfg(feature = "fast-json")]
use serde::Deserialize;

impl Observation {
    /// Parse and check an observation from JSON text.
    ///
    /// # Errors
    /// An [`Error`] with a stable code (`json_syntax`, `unknown_field`, `invalid_date`, `inconsistent`, …), the
    /// JSON path and line/column of the problem, and for unknown fields the closest known field.
    pub fn from_json_str(text: &str) -> Result<Observation, Error> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "observation is {} bytes, more than the limit of {MAX_INPUT_BYTES}",
                    text.len()
                ),
            ));
        }
        // A UTF-8 byte-order mark (Windows Notepad writes one) is not part of the JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Straight from the text; on failure the JSON path is found from the error's position. The lean build
        // (WebAssembly) reads through a tree instead, answering the same in less code.
        #[cfg(feature = "fast-json")]
        let obs = derived(text)?;
        #[cfg(not(feature = "fast-json"))]
        let obs = crate::io::lean_reader::read(text)?;
        obs.check()?;
        Ok(obs)
    }

    /// Build from an already parsed JSON value (used by the bindings).
    ///
    /// # Errors
    /// As [`Observation::from_json_str`], without line and column.
    pub fn from_json_value(value: serde_json::Value) -> Result<Observation, Error> {
        // A list is refused by position-less reading too (the lean reader refuses it on its own).
        #[cfg(feature = "fast-json")]
        if value.is_array() {
            return Err(positional());
        }
        #[cfg(feature = "fast-json")]
        if let Ok(mut obs) = Observation::deserialize(&value)
            && let Some(not_visited) = obs
                .provenance
                .as_ref()
                .map_or(Some(Vec::new()), crate::io::lean_reader::not_visited_in)
        {
            obs.not_visited = not_visited;
            obs.check()?;
            return Ok(obs);
        }
        #[cfg(not(feature = "fast-json"))]
        if let Some(obs) = crate::io::lean_reader::from_value(&value) {
            obs.check()?;
            return Ok(obs);
        }
        // A problem is read again from the text, the way to name its path; positions in that text mean nothing to
        // the caller.
        Observation::from_json_str(&crate::io::report_json::value_json(&value))
            .map_err(Error::without_position)
    }

    /// [`Observation::not_visited`] read from the provenance the derived reader kept (`text` is what it read).
    #[cfg(any(feature = "fast-json", test))]
    pub(crate) fn read_not_visited(mut self, text: &str) -> Result<Observation, Error> {
        if let Some(p) = &self.provenance {
            self.not_visited = crate::io::lean_reader::not_visited_of(p, text)?;
        }
        Ok(self)
    }

    /// Build from a tree in serde_json's map order (the flat records' route): as [`Observation::from_json_value`]
    /// of the value it stands for.
    pub(crate) fn from_tree(tree: crate::io::json_tree::Node) -> Result<Observation, Error> {
        #[cfg(feature = "fast-json")]
        return Observation::from_json_value(tree.into_value());
        #[cfg(not(feature = "fast-json"))]
        {
            if let Some(obs) = crate::io::lean_reader::from_tree(&tree) {
                obs.check()?;
                return Ok(obs);
            }
            Observation::from_json_str(&crate::io::report_json::node_json(&tree))
                .map_err(Error::without_position)
        }
    }
}

/// An observation written as a JSON list, its fields by position (which serde's derived readers would take), is
/// refused: fields are named. The lean reader refuses it in the same words at the same place.
#[cfg(any(feature = "fast-json", test))]
fn refuse_positional(text: &str) -> Result<(), Error> {
    // JSON's whitespace is ASCII: bytes, lines and columns all count alike before the first value.
    let b = text.as_bytes();
    let start = b
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(b.len());
    if b.get(start) != Some(&b'[') {
        return Ok(());
    }
    let before = b.get(..start).unwrap_or_default();
    let line = 1 + before.iter().filter(|c| **c == b'\n').count();
    let column = start - before.iter().rposition(|c| *c == b'\n').map_or(0, |i| i + 1) + 1;
    Err(syntax_first(text, || positional().with_position(line, column)))
}

/// The syntax error of `text` if it has one, else `otherwise`: text that is not JSON is a syntax error first, as
/// the lean reader, which parses the whole text before it looks at any field, says. Read as a value, not skipped:
/// serde_json's skipping reader places a control character in a string one column early.
#[cfg(any(feature = "fast-json", test))]
fn syntax_first(text: &str, otherwise: impl FnOnce() -> Error) -> Error {
    match serde_json::from_str::<serde_json::Value>(text) {
        Err(syntax) => json_error(&syntax, text),
        Ok(_) => otherwise(),
    }
}

#[cfg(any(feature = "fast-json", test))]
fn positional() -> Error {
    Error::new(ErrorKind::InvalidType, crate::io::lean_reader::POSITIONAL)
}

/// The derived reader: serde straight from the text into the model, then `provenance.not_visited`. Text that is not
/// JSON is a syntax error wherever else it goes wrong first, so that the lean reader, which reads the whole tree
/// before any field, names the same problem (the second pass runs only on the way to an error).
#[cfg(any(feature = "fast-json", test))]
pub(crate) fn derived(text: &str) -> Result<Observation, Error> {
    refuse_positional(text)?;
    match serde_json::from_str::<Observation>(text) {
        Ok(obs) => obs.read_not_visited(text),
        Err(e) if e.is_data() => Err(syntax_first(text, || json_error(&e, text))),
        Err(e) => Err(json_error(&e, text)),
    }
}

/// An error of serde_json reading `text`, with its JSON path and position (the derived reader's; the lean reader
/// reads with `json_parse`).
#[cfg_attr(
    not(feature = "fast-json"),
    allow(dead_code, reason = "the lean build reads with json_parse")
)]
pub(crate) fn json_error(inner: &serde_json::Error, text: &str) -> Error {
    let at = locate(inner, text);
    let (kind, help) = if at.data {
        classify_serde_message(&at.message)
    } else {
        (ErrorKind::JsonSyntax, None)
    };
    let mut err = Error::new(kind, at.message).with_path(at.path);
    if let Some((line, column)) = at.position {
        err = err.with_position(line, column);
    }
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::observation::Observation;

    /// serde's derived readers take a struct written as a list, its fields by position: an observation is refused
    /// that way, as text (at the list's line and column) and as a parsed value.
    #[test]
    fn a_positional_list_is_not_an_observation() {
        let text = "\n  [\"pucha.observation/1\", \"2015-06-30\", {\"name\": \"x\"}]";
        let e = Observation::from_json_str(text).unwrap_err();
        assert_eq!(
            (e.code(), e.line(), e.column()),
            ("invalid_type", Some(2), Some(3)),
            "{e}"
        );
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            Observation::from_json_value(value).unwrap_err().code(),
            "invalid_type"
        );
    }

    #[test]
    fn a_byte_order_mark_starts_no_document() {
        let text = "\u{feff}{\"monitoring_point\":\"2015-06-30\",\"site\":{\"name\":\"x\"}}";
        assert_eq!(Observation::from_json_str(text).unwrap().site.name, "x");
        // Only at the start: elsewhere it is a character like any other, and JSON does not allow it there.
        let inside = "{\"monitoring_point\":\"2015-06-30\",\u{feff}\"site\":{\"name\":\"x\"}}";
        assert_eq!(
            Observation::from_json_str(inside).unwrap_err().code(),
            "json_syntax"
        );
    }
}
