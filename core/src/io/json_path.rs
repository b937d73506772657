//! The JSON path of a parse error, found from where in the text it happened (`columns[0].category`).
//!
//! Observations and stored reports are read straight from their text; when that fails, serde_json says at which
//! line and column, and [`path_at`] walks the text up to there to name the value being read. The paths are the
//! ones `serde_path_to_error` gives (a test checks thousands of broken observations against it) without a second,
//! path-tracking instantiation of every reader, which cost the WebAssembly module 45 KB.

/// What kind of error the position belongs to (where serde_json reports each differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// Malformed JSON: reported just after the byte it did not expect.
    Syntax,
    /// An unknown enum variant: when written as an object's key, the key is the variant, not a field.
    Variant,
    /// Any other problem with a value: reported after it, or before its first byte for a wrong type.
    Value,
}

/// One level of nesting at the error.
enum Frame {
    /// In an object: the key last read (none right after `{` or `,`), and whether a key comes next.
    Object { key: Option<String>, want_key: bool },
    /// In an array: the element's index, and whether that element has begun.
    Array { index: usize, started: bool },
}

/// The path of the value serde_json was reading at `line` and `column` (its 1-based line and byte column: the
/// error is at the byte offset of the line's start plus the column) of `text`. An error about an object as a whole
/// (a missing field) comes after its closing brace, so the path is the object's. The root is `.`, as
/// `serde_path_to_error` writes it.
pub(crate) fn path_at(text: &str, line: usize, column: usize, cause: Cause) -> String {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(n) => start += n + 1,
            None => break,
        }
    }
    let mut end = (start + column).min(bytes.len());
    if cause == Cause::Syntax && end > 0 && matches!(bytes[end - 1], b'{' | b'}' | b'[' | b']' | b',' | b':')
    {
        end -= 1;
    }
    let mut stack: Vec<Frame> = Vec::new();
    // Whether the last token read was an object's key.
    let mut at_key = false;
    let mut i = 0;
    while i < end {
        if !bytes[i].is_ascii_whitespace() && bytes[i] != b':' {
            at_key = false;
        }
        match bytes[i] {
            b'{' | b'[' => {
                begin_value(&mut stack);
                stack.push(if bytes[i] == b'{' {
                    Frame::Object {
                        key: None,
                        want_key: true,
                    }
                } else {
                    Frame::Array {
                        index: 0,
                        started: false,
                    }
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, want_key }) => {
                    *key = None;
                    *want_key = true;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b'"' => {
                let Some(close) = string_end(bytes, i) else {
                    // The error is inside this string: it is a value (or a key) being read.
                    begin_value(&mut stack);
                    break;
                };
                if close >= end {
                    begin_value(&mut stack);
                    break;
                }
                match stack.last_mut() {
                    Some(Frame::Object { key, want_key }) if *want_key => {
                        *key = Some(unescape(&text[i..=close]));
                        *want_key = false;
                        at_key = true;
                    }
                    _ => begin_value(&mut stack),
                }
                i = close;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
            _ => begin_value(&mut stack),
        }
        i += 1;
    }
    if cause == Cause::Variant
        && at_key
        && let Some(Frame::Object { key, .. }) = stack.last_mut()
    {
        *key = None;
    }
    // Reported before its first byte, a value of an array has begun all the same.
    if bytes[end..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| !matches!(b, b']' | b',' | b'}' | b':'))
    {
        begin_value(&mut stack);
    }
    let mut out = String::new();
    for f in &stack {
        match f {
            Frame::Object { key: Some(k), .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Array { index, started: true } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Where in the JSON path a serde_json error is, from its position in `text`.
/// A serde_json error taken apart: its message without serde_json's " at line L column C", whether it is about
/// the data (rather than malformed JSON), the JSON path found from its position in `text`, and that position.
pub(crate) struct Located {
    pub(crate) message: String,
    pub(crate) data: bool,
    pub(crate) path: String,
    /// 1-based line and column, when serde_json gave them.
    pub(crate) position: Option<(usize, usize)>,
}

/// Take `inner`, an error of serde_json reading `text`, apart.
pub(crate) fn locate(inner: &serde_json::Error, text: &str) -> Located {
    let full = inner.to_string();
    let message = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    let data = inner.classify() == serde_json::error::Category::Data;
    let cause = if !data {
        Cause::Syntax
    } else if message.starts_with("unknown variant") {
        Cause::Variant
    } else {
        Cause::Value
    };
    let (line, column) = (inner.line(), inner.column());
    Located {
        path: path_at(text, line, column, cause),
        data,
        message,
        position: (line > 0).then_some((line, column)),
    }
}

/// A value starts here: an array's element has begun.
fn begin_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// The index of the quote closing the string that opens at `open`.
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The text of a quoted JSON string (escapes resolved where they are valid).
fn unescape(quoted: &str) -> String {
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default();
    if inner.contains('\\') {
        // Read as a tree (`json_parse`): serde_json's string reader names a wrong type with serde's words, whose
        // code carries the standard library's float printing, and would bring serde_json's parser along.
        match crate::io::json_parse::parse(quoted) {
            Ok(crate::io::json_tree::Node::Str(s)) => s.into(),
            _ => inner.to_string(),
        }
    } else {
        inner.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{Cause, path_at};

    fn at(text: &str, marker: char) -> String {
        let off = text.find(marker).unwrap_or(text.len());
        let clean = text.replacen(marker, "", 1);
        let line = clean[..off].matches('\n').count() + 1;
        let col = off - clean[..off].rfind('\n').map_or(0, |n| n + 1);
        path_at(&clean, line, col, Cause::Value)
    }

    #[test]
    fn names_keys_indices_and_the_root() {
        assert_eq!(at(r#"{"a": {"b": 5|}}"#, '|'), "a.b");
        assert_eq!(at(r#"{"a": [1, {"c": "x"|}]}"#, '|'), "a[1].c");
        assert_eq!(at(r#"{"a": [|]}"#, '|'), "a");
        assert_eq!(at(r#"{"a": {"b": 1}|}"#, '|'), "a");
        assert_eq!(at(r#"{"a": 1}|"#, '|'), ".");
        assert_eq!(at("{\n  \"k\\\"ey\": [\n  true|]}", '|'), "k\"ey[0]");
        assert_eq!(at(r#"{"a": "un|terminated"#, '|'), "a");
        assert_eq!(at("", '|'), ".");
        // An unknown variant written as a key (serde_json stops just after the key): the key is no field.
        assert_eq!(path_at(r#"{"s": {"nope": 1}}"#, 1, 13, Cause::Variant), "s");
        assert_eq!(path_at(r#"{"s": {"nope": 1}}"#, 1, 13, Cause::Value), "s.nope");
        // A syntax error is reported just after the byte it did not expect, which is not read as structure.
        assert_eq!(path_at(r#"{"a": {"b": ]"#, 1, 13, Cause::Syntax), "a.b");
        assert_eq!(path_at("{\"a\": 1}", 9, 99, Cause::Value), ".");
    }
}
