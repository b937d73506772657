//! A JSON reader for the lean build (the WebAssembly module): text into a [`Node`] tree, giving serde_json's
//! answers exactly, the same tree (numbers read as serde_json reads them, floats through its own algorithm and
//! table of powers of ten) or the same syntax error at the same line and column, without serde's deserialiser
//! machinery. A test compares the two on thousands of altered documents.

use crate::io::json_tree::Node;
use std::fmt;

/// A syntax error as serde_json words and places it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// serde_json's message, without the position.
    pub(crate) message: &'static str,
    /// 1-based line.
    pub(crate) line: usize,
    /// Bytes before the position on its line.
    pub(crate) column: usize,
}

impl fmt::Display for SyntaxError {
    /// As serde_json's error displays: `message at line L column C`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

// serde_json's messages, word for word (the readers' parity tests compare them); `messages` words each for people.
pub(crate) const EOF_LIST: &str = "EOF while parsing a list";
pub(crate) const EOF_OBJECT: &str = "EOF while parsing an object";
pub(crate) const EOF_STRING: &str = "EOF while parsing a string";
pub(crate) const EOF_VALUE: &str = "EOF while parsing a value";
pub(crate) const EXPECTED_COLON: &str = "expected `:`";
pub(crate) const EXPECTED_LIST_END: &str = "expected `,` or `]`";
pub(crate) const EXPECTED_OBJECT_END: &str = "expected `,` or `}`";
pub(crate) const EXPECTED_IDENT: &str = "expected ident";
pub(crate) const EXPECTED_VALUE: &str = "expected value";
pub(crate) const INVALID_ESCAPE: &str = "invalid escape";
pub(crate) const INVALID_NUMBER: &str = "invalid number";
pub(crate) const OUT_OF_RANGE: &str = "number out of range";
pub(crate) const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";
pub(crate) const KEY_NOT_STRING: &str = "key must be a string";
pub(crate) const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
pub(crate) const TRAILING_COMMA: &str = "trailing comma";
pub(crate) const TRAILING_CHARACTERS: &str = "trailing characters";
pub(crate) const HEX_END: &str = "unexpected end of hex escape";
pub(crate) const RECURSION: &str = "recursion limit exceeded";

type R<T> = Result<T, SyntaxError>;

/// `text` as one JSON value and nothing but space after it (`serde_json::from_str`).
pub(crate) fn parse(text: &str) -> R<Node> {
    let mut p = Reader::new(text);
    let node = p.value()?;
    match p.space() {
        Some(_) => Err(p.peek_error(TRAILING_CHARACTERS)),
        None => Ok(node),
    }
}

/// The JSON value `text` starts with, whatever follows it (`Deserialize::deserialize` on a deserialiser without
/// its end check).
pub(crate) fn parse_prefix(text: &str) -> R<Node> {
    Reader::new(text).value()
}

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// Containers that may still open (serde_json's recursion limit).
    depth: u8,
}

/// Whether `a * 10 + d` passes `max` (serde_json's `overflow!`).
fn overflows<T: Copy + PartialOrd + std::ops::Div<Output = T> + std::ops::Rem<Output = T> + From<u8>>(
    a: T,
    d: T,
    max: T,
) -> bool {
    let ten = T::from(10);
    a >= max / ten && (a > max / ten || d > max % ten)
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            b: text.as_bytes(),
            i: 0,
            depth: 128,
        }
    }

    fn at(&self, i: usize, message: &'static str) -> SyntaxError {
        let before = &self.b[..i.min(self.b.len())];
        let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |n| n + 1);
        SyntaxError {
            message,
            line: 1 + before[..start].iter().filter(|&&c| c == b'\n').count(),
            column: before.len() - start,
        }
    }

    /// An error at the current position (after the bytes read).
    fn error(&self, message: &'static str) -> SyntaxError {
        self.at(self.i, message)
    }

    /// An error at the byte looked at but not yet read.
    fn peek_error(&self, message: &'static str) -> SyntaxError {
        self.at(self.i + 1, message)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// Skip space; the next byte, not read.
    fn space(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> R<Node> {
        let Some(c) = self.space() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        match c {
            b'n' => {
                self.i += 1;
                self.ident(b"ull").map(|()| Node::Null)
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue").map(|()| Node::Bool(true))
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse").map(|()| Node::Bool(false))
            }
            b'-' => {
                self.i += 1;
                self.integer(false)
            }
            b'0'..=b'9' => self.integer(true),
            b'"' => {
                self.i += 1;
                self.string().map(Node::Str)
            }
            b'[' | b'{' => {
                self.depth -= 1;
                if self.depth == 0 {
                    return Err(self.peek_error(RECURSION));
                }
                self.i += 1;
                let node = if c == b'[' { self.array() } else { self.object() };
                self.depth += 1;
                // The closing bracket, which the loops stopped at.
                self.i += 1;
                node
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    fn ident(&mut self, rest: &[u8]) -> R<()> {
        for &want in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(c) if c != want => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The elements up to the closing `]`, which is left to read.
    fn array(&mut self) -> R<Node> {
        let mut items = Vec::new();
        loop {
            let Some(c) = self.space() else {
                return Err(self.peek_error(EOF_LIST));
            };
            if c == b']' {
                return Ok(Node::Arr(items));
            }
            if !items.is_empty() {
                if c != b',' {
                    return Err(self.peek_error(EXPECTED_LIST_END));
                }
                self.i += 1;
                match self.space() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            items.push(self.value()?);
        }
    }

    /// The entries up to the closing `}`, which is left to read.
    fn object(&mut self) -> R<Node> {
        let mut entries = Vec::new();
        loop {
            let Some(c) = self.space() else {
                return Err(self.peek_error(EOF_OBJECT));
            };
            if c == b'}' {
                return Ok(Node::Obj(entries));
            }
            if entries.is_empty() {
                if c != b'"' {
                    return Err(self.peek_error(KEY_NOT_STRING));
                }
            } else {
                if c != b',' {
                    return Err(self.peek_error(EXPECTED_OBJECT_END));
                }
                self.i += 1;
                match self.space() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            self.i += 1;
            let key = self.string()?;
            match self.space() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            entries.push((key, value));
        }
    }

    /// A string's text, its opening quote read.
    fn string(&mut self) -> R<Box<str>> {
        // Most strings have no escape: taken from the text in one piece, in an allocation of their exact size.
        let start = self.i;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            let s = self.text.get(start..self.i).unwrap_or_default();
            self.i += 1;
            return Ok(s.into());
        }
        let mut out = String::new();
        let mut start = start;
        loop {
            // Quotes, backslashes and control characters are ASCII: the slice ends on a character boundary.
            out.push_str(self.text.get(start..self.i).unwrap_or_default());
            match self.next() {
                None => return Err(self.error(EOF_STRING)),
                Some(b'"') => return Ok(out.into()),
                Some(b'\\') => {
                    self.escape(&mut out)?;
                    start = self.i;
                }
                Some(_) => return Err(self.error(CONTROL)),
            }
            self.skip_plain();
        }
    }

    /// Up to the next quote, backslash or control character (or the end).
    fn skip_plain(&mut self) {
        let rest = self.b.get(self.i..).unwrap_or_default();
        self.i += rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .unwrap_or(rest.len());
    }

    fn escape(&mut self, out: &mut String) -> R<()> {
        let c = match self.next() {
            Some(c) => c,
            None => return Err(self.error(EOF_STRING)),
        };
        out.push(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error(INVALID_ESCAPE)),
        });
        Ok(())
    }

    fn hex(&mut self) -> R<u32> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n * 16 + u32::from(v);
        }
        Ok(n)
    }

    /// A `\u` escape, its `\u` read: a character, or a surrogate pair.
    fn unicode_escape(&mut self, out: &mut String) -> R<()> {
        let n = self.hex()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_SURROGATE));
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            out.push(char::from_u32(n).unwrap_or(char::REPLACEMENT_CHARACTER));
            return Ok(());
        }
        for want in [b'\\', b'u'] {
            match self.next() {
                None => return Err(self.error(EOF_STRING)),
                Some(c) if c != want => return Err(self.error(HEX_END)),
                Some(_) => {}
            }
        }
        let n2 = self.hex()?;
        if !(0xDC00..=0xDFFF).contains(&n2) {
            return Err(self.error(LONE_SURROGATE));
        }
        let c = (((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000;
        out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
        Ok(())
    }

    /// A number, its minus sign (if any) read.
    fn integer(&mut self, positive: bool) -> R<Node> {
        let first = match self.next() {
            Some(c) => c,
            None => return Err(self.error(EOF_VALUE)),
        };
        let mut significand = match first {
            b'0' => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                0
            }
            b'1'..=b'9' => u64::from(first - b'0'),
            _ => return Err(self.error(INVALID_NUMBER)),
        };
        if first != b'0' {
            while let c @ b'0'..=b'9' = self.peek_or_null() {
                let digit = u64::from(c - b'0');
                if overflows(significand, digit, u64::MAX) {
                    return self.long_integer(positive, significand).map(Node::F);
                }
                self.i += 1;
                significand = significand * 10 + digit;
            }
        }
        match self.peek_or_null() {
            b'.' => self.decimal(positive, significand, 0).map(Node::F),
            b'e' | b'E' => self.exponent(positive, significand, 0).map(Node::F),
            _ if positive => Ok(Node::U(significand)),
            _ => {
                let neg = (significand as i64).wrapping_neg();
                // A float below `i64::MIN`, and for `-0`.
                Ok(if neg >= 0 {
                    Node::F(-(significand as f64))
                } else {
                    Node::I(neg)
                })
            }
        }
    }

    /// Digits past `u64`: counted as powers of ten.
    fn long_integer(&mut self, positive: bool, significand: u64) -> R<f64> {
        let mut exponent = 0i32;
        loop {
            match self.peek_or_null() {
                b'0'..=b'9' => {
                    self.i += 1;
                    exponent += 1;
                }
                b'.' => return self.decimal(positive, significand, exponent),
                b'e' | b'E' => return self.exponent(positive, significand, exponent),
                _ => return self.compose(positive, significand, exponent),
            }
        }
    }

    /// The fraction, at its `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> R<f64> {
        self.i += 1;
        let mut after = 0i32;
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            let digit = u64::from(c - b'0');
            if overflows(significand, digit, u64::MAX) {
                // Further digits are ignored.
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
                return match self.peek_or_null() {
                    b'e' | b'E' => self.exponent(positive, significand, before + after),
                    _ => self.compose(positive, significand, before + after),
                };
            }
            self.i += 1;
            significand = significand * 10 + digit;
            after -= 1;
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.peek_error(INVALID_NUMBER),
                None => self.peek_error(EOF_VALUE),
            });
        }
        match self.peek_or_null() {
            b'e' | b'E' => self.exponent(positive, significand, before + after),
            _ => self.compose(positive, significand, before + after),
        }
    }

    /// The exponent, at its `e`.
    fn exponent(&mut self, positive: bool, significand: u64, start: i32) -> R<f64> {
        self.i += 1;
        let positive_exp = match self.peek_or_null() {
            b'+' => {
                self.i += 1;
                true
            }
            b'-' => {
                self.i += 1;
                false
            }
            _ => true,
        };
        let mut exp = match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        };
        while let c @ b'0'..=b'9' = self.peek_or_null() {
            self.i += 1;
            let digit = i32::from(c - b'0');
            if overflows(exp, digit, i32::MAX) {
                // ±infinity is an error; a zero significand or a negative exponent is zero.
                if significand != 0 && positive_exp {
                    return Err(self.error(OUT_OF_RANGE));
                }
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let exp = if positive_exp {
            start.saturating_add(exp)
        } else {
            start.saturating_sub(exp)
        };
        self.compose(positive, significand, exp)
    }

    /// `significand × 10^exponent` as serde_json computes it (without its `float_roundtrip` feature).
    fn compose(&self, positive: bool, significand: u64, mut exponent: i32) -> R<f64> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error(OUT_OF_RANGE));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }
}

/// Powers of ten as serde_json's table holds them (each the nearest double to its literal).
#[allow(clippy::unreadable_literal, reason = "the table as serde_json writes it")]
static POW10: [f64; 309] = [
    1e000, 1e001, 1e002, 1e003, 1e004, 1e005, 1e006, 1e007, 1e008, 1e009, 1e010, 1e011, 1e012, 1e013, 1e014,
    1e015, 1e016, 1e017, 1e018, 1e019, 1e020, 1e021, 1e022, 1e023, 1e024, 1e025, 1e026, 1e027, 1e028, 1e029,
    1e030, 1e031, 1e032, 1e033, 1e034, 1e035, 1e036, 1e037, 1e038, 1e039, 1e040, 1e041, 1e042, 1e043, 1e044,
    1e045, 1e046, 1e047, 1e048, 1e049, 1e050, 1e051, 1e052, 1e053, 1e054, 1e055, 1e056, 1e057, 1e058, 1e059,
    1e060, 1e061, 1e062, 1e063, 1e064, 1e065, 1e066, 1e067, 1e068, 1e069, 1e070, 1e071, 1e072, 1e073, 1e074,
    1e075, 1e076, 1e077, 1e078, 1e079, 1e080, 1e081, 1e082, 1e083, 1e084, 1e085, 1e086, 1e087, 1e088, 1e089,
    1e090, 1e091, 1e092, 1e093, 1e094, 1e095, 1e096, 1e097, 1e098, 1e099, 1e100, 1e101, 1e102, 1e103, 1e104,
    1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119,
    1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131, 1e132, 1e133, 1e134,
    1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149,
    1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164,
    1e165, 1e166, 1e167, 1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179,
    1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194,
    1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224,
    1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239,
    1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254,
    1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269,
    1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284,
    1e285, 1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299,
    1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json answers for `text`, as the parser's answer would print.
    fn serde(text: &str) -> Result<String, String> {
        serde_json::from_str::<Node>(text)
            .map(|n| format!("{n:?}"))
            .map_err(|e| e.to_string())
    }

    fn ours(text: &str) -> Result<String, String> {
        parse(text).map(|n| format!("{n:?}")).map_err(|e| e.to_string())
    }

    fn same(text: &str) {
        assert_eq!(ours(text), serde(text), "{text:?}");
        // Without the end check, as the object reader reads a scalar.
        use serde::Deserialize as _;
        let want = Node::deserialize(&mut serde_json::Deserializer::from_str(text))
            .map(|n| format!("{n:?}"))
            .map_err(|e| e.to_string());
        let got = parse_prefix(text)
            .map(|n| format!("{n:?}"))
            .map_err(|e| e.to_string());
        assert_eq!(got, want, "prefix of {text:?}");
    }

    /// Hand-picked texts at every error and number path serde_json has.
    #[test]
    fn answers_as_serde_json_on_edge_cases() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep_obj = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        let mut texts: Vec<String> = [
            "",
            " ",
            "n",
            "nu",
            "nul",
            "null",
            "nulx",
            "true",
            "tru",
            "trUe",
            "false",
            "fals",
            "x",
            "-",
            "- 1",
            "--1",
            "+1",
            "0",
            "00",
            "01",
            "-0",
            "-00",
            "-01",
            "1",
            "-1",
            "1.",
            "1.x",
            "1.5",
            "-1.5",
            ".5",
            "1e",
            "1e+",
            "1e-",
            "1ex",
            "1E5",
            "1e-5",
            "1e+5",
            "1.5e3",
            "0.1",
            "0.3",
            "1e308",
            "1e309",
            "1.7976931348623157e308",
            "1.8e308",
            "4.9e-324",
            "2e-324",
            "1e-400",
            "1e-99999999999",
            "1e99999999999",
            "0e99999999999",
            "-1e99999999999",
            "18446744073709551615",
            "18446744073709551616",
            "184467440737095516150",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999.5",
            "1.23456789012345678901234",
            "0.000000000000000000000000000000000000001",
            "123456789012345678901234567890e-10",
            "12345678901234567890123.4e5",
            "1.0000000000000000000000001e400",
            "\"",
            "\"abc",
            "\"a\"",
            "\"\\\"",
            "\"\\x\"",
            "\"\\u\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\u00e9\"",
            "\"\\uD83D\\uDE00\"",
            "\"\\uD83D\"",
            "\"\\uD83Dx\"",
            "\"\\uD83D\\x\"",
            "\"\\uD83D\\u0041\"",
            "\"\\uDE00\"",
            "\"\\uD83D\\uD83D\"",
            "\"\\uD83D\\",
            "\"\\uD83D\\u",
            "\"a\u{1}b\"",
            "\"tab\there\"",
            "\"é中\\n\"",
            "\"\\/\\b\\f\\r\\t\"",
            "[",
            "[1",
            "[1,",
            "[1,]",
            "[1 2]",
            "[,1]",
            "[]",
            "[ ]",
            "[1,2]",
            "[[]]",
            "]",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":1",
            "{\"a\":1,",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:1}",
            "{,}",
            "{}",
            "{ }",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1 \"b\":2}",
            "}",
            "1 2",
            "1 ",
            " 1",
            "[1] x",
            "{} {}",
            "\"a\" \"b\"",
            "[1]\n\n  x",
            "\n\n[\n1,\n]",
            "{\"a\":\n\n tru}",
            "\u{feff}1",
            "1\u{0}",
            "[\"\u{7f}\"]",
            "[1.]",
            "[-]",
            "[1e]",
            "{\"a\":-}",
            "[0x1]",
            "[Infinity]",
            "[NaN]",
            "[1,\n2,\n3 4]",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for n in [1, 126, 127, 128, 129, 200] {
            texts.push(deep(n));
            texts.push(deep_obj(n));
            texts.push(deep(n)[..n].to_string());
        }
        for t in &texts {
            same(t);
        }
    }

    /// Random numbers: signs, leading zeros, long digit runs, fractions and exponents of every size.
    #[test]
    fn reads_numbers_as_serde_json_does() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..30_000 {
            let mut t = String::new();
            if rng.below(2) == 0 {
                t.push('-');
            }
            let digits = |rng: &mut Rng, t: &mut String, n: usize| {
                for _ in 0..n {
                    t.push(char::from(b'0' + rng.below(10) as u8));
                }
            };
            let n = if rng.below(4) == 0 { 40 } else { 19 };
            let n = 1 + rng.below(n);
            digits(&mut rng, &mut t, n);
            if rng.below(2) == 0 {
                t.push('.');
                let n = rng.below(25);
                digits(&mut rng, &mut t, n);
            }
            if rng.below(2) == 0 {
                t.push(if rng.below(2) == 0 { 'e' } else { 'E' });
                match rng.below(3) {
                    0 => t.push('-'),
                    1 => t.push('+'),
                    _ => {}
                }
                let n = if rng.below(8) == 0 { 12 } else { 4 };
                let n = rng.below(n);
                digits(&mut rng, &mut t, n);
            }
            same(&t);
            same(&format!("[{t}]"));
        }
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Every example and vector observation, compact and indented, then altered at random: bytes dropped,
    /// inserted, repeated or cut off.
    #[test]
    fn answers_as_serde_json_on_altered_documents() {
        let mut texts = Vec::new();
        for v in crate::test_support::observation_values(&[
            "examples/observations",
            "tests/vectors/census-2015",
            "tests/vectors/checklist-2019",
            "tests/vectors/custom",
        ]) {
            texts.push(v.to_string());
            texts.push(serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        assert!(texts.len() > 200, "{}", texts.len());
        let pieces: &[&str] = &[
            "\"",
            "\\",
            ",",
            ":",
            "{",
            "}",
            "[",
            "]",
            " ",
            "\n",
            "0",
            "-",
            ".",
            "e",
            "E",
            "+",
            "1",
            "9",
            "\\u",
            "\\uD800",
            "\\uDC00",
            "\u{1}",
            "é",
            "中",
            "null",
            "tru",
            "1e400",
            "-0",
            "18446744073709551616",
            "\\x",
            "/",
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut checked = 0;
        for t in &texts {
            same(t);
            for _ in 0..40 {
                let mut s: Vec<u8> = t.as_bytes().to_vec();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(s.len() + 1);
                    match rng.below(4) {
                        0 if at < s.len() => {
                            s.remove(at);
                        }
                        1 => {
                            let p = pieces[rng.below(pieces.len())].as_bytes();
                            s.splice(at..at, p.iter().copied());
                        }
                        2 if at < s.len() => {
                            let end = (at + 1 + rng.below(20)).min(s.len());
                            let copy = s[at..end].to_vec();
                            s.splice(at..at, copy);
                        }
                        _ => s.truncate(at),
                    }
                }
                // Only valid UTF-8 is text to read.
                if let Ok(text) = String::from_utf8(s) {
                    same(&text);
                    checked += 1;
                }
            }
        }
        assert!(checked > 5_000, "{checked}");
    }
}
