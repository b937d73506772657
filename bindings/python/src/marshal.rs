//! A serde reader over the bytes of `marshal.dumps(obj, 4)`: how a batch hands a dict to the scoring threads.
//!
//! `marshal` walks a dict in C at a fraction of the cost of reading it through the C API one object at a time, and
//! the workers read its bytes straight into an observation (no JSON text between). The reader takes exactly the
//! JSON-shaped subset: dicts with string keys, lists and tuples, strings, ints within 64 bits, finite floats,
//! booleans and `None`, with the values JSON would give them. Anything else (sets, bytes, huge ints, a container
//! met twice, nesting past serde_json's depth …) is an error, and the caller then takes the JSON route, which
//! words the problem as a single `score` does; so this reader never accepts what the JSON route would reject.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The marshal format version asked of `marshal.dumps` (Python 3.4 and later; 3.14's version 5 only adds slices).
pub const VERSION: u8 = 4;

/// serde_json's nesting limit: deeper input is an error there, so it is here.
const MAX_DEPTH: usize = 128;

/// Why the bytes were not read (never shown to users: the JSON route gives the words).
#[derive(Debug)]
pub struct Unread(String);

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unread {}

impl de::Error for Unread {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Unread(msg.to_string())
    }
}

fn unread<T>(what: &str) -> Result<T, Unread> {
    Err(Unread(what.to_string()))
}

/// A value that marshal may write once and refer back to: only scalars are followed (a container referred to
/// twice is shared or cyclic, which the JSON route handles).
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Int(i64),
    Float(f64),
    Str(&'a str),
    Container,
}

/// Reads one value from `bytes` into `T`; the bytes must hold exactly that value.
pub fn from_bytes<'a, T: de::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, Unread> {
    let mut de = Reader {
        bytes,
        pos: 0,
        refs: Vec::new(),
        depth: 0,
    };
    let v = T::deserialize(&mut de)?;
    if de.pos != bytes.len() {
        return unread("trailing bytes");
    }
    Ok(v)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Objects marshal flagged for reference, in the order it numbered them (pre-order).
    refs: Vec<Scalar<'a>>,
    depth: usize,
}

const FLAG_REF: u8 = 0x80;

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Unread> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => unread("cut short"),
        }
    }

    fn byte(&mut self) -> Result<u8, Unread> {
        Ok(self.take(1)?[0])
    }

    fn i32(&mut self) -> Result<i32, Unread> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn len(&mut self) -> Result<usize, Unread> {
        usize::try_from(self.i32()?).map_err(|_| Unread("negative length".into()))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// A flagged object's place in the reference table, reserved before its children are read.
    fn reserve(&mut self, flagged: bool, s: Scalar<'a>) {
        if flagged {
            self.refs.push(s);
        }
    }

    /// A string's bytes after its type byte: a one-byte length for the short ASCII forms, four bytes otherwise.
    fn string_bytes(&mut self, code: u8) -> Result<&'a [u8], Unread> {
        let n = if matches!(code, b'z' | b'Z') {
            usize::from(self.byte()?)
        } else {
            self.len()?
        };
        self.take(n)
    }

    /// marshal's `TYPE_LONG`: 15-bit digits, least significant first; the count's sign is the number's.
    fn long(&mut self) -> Result<i64, Unread> {
        let n = self.i32()?;
        let digits = usize::try_from(n.unsigned_abs()).map_err(|_| Unread("too long".into()))?;
        if digits > 5 {
            return unread("beyond 64 bits");
        }
        let mut v: i128 = 0;
        for i in 0..digits {
            let b = self.take(2)?;
            let d = i128::from(u16::from_le_bytes([b[0], b[1]]));
            if d >= 1 << 15 {
                return unread("bad digit");
            }
            v |= d << (15 * i);
        }
        let v = if n < 0 { -v } else { v };
        i64::try_from(v).map_err(|_| Unread("beyond 64 bits".into()))
    }

    /// The next value if it is a scalar (reading it), else its type byte left unread.
    fn scalar(&mut self) -> Result<Option<Scalar<'a>>, Unread> {
        let Some(b) = self.peek() else {
            return unread("cut short");
        };
        let (code, flagged) = (b & !FLAG_REF, b & FLAG_REF != 0);
        let s = match code {
            b'i' | b'l' | b'g' | b'a' | b'A' | b'u' | b't' | b'z' | b'Z' | b'r' => {
                self.pos += 1;
                match code {
                    b'i' => Scalar::Int(i64::from(self.i32()?)),
                    b'l' => Scalar::Int(self.long()?),
                    b'g' => {
                        let b = self.take(8)?;
                        let f = f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                        if !f.is_finite() {
                            return unread("not a finite number");
                        }
                        Scalar::Float(f)
                    }
                    b'r' => {
                        let i = self.len()?;
                        return match self.refs.get(i) {
                            Some(Scalar::Container) | None => unread("a container referred to twice"),
                            Some(s) => Ok(Some(*s)),
                        };
                    }
                    _ => Scalar::Str(utf8(self.string_bytes(code)?)?),
                }
            }
            _ => return Ok(None),
        };
        self.reserve(flagged, s);
        Ok(Some(s))
    }

    fn nested<V: Visitor<'a>>(
        &mut self,
        visit: impl FnOnce(&mut Self) -> Result<V::Value, Unread>,
    ) -> Result<V::Value, Unread> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return unread("nested too deeply");
        }
        let v = visit(self);
        self.depth -= 1;
        v
    }
}

fn utf8(b: &[u8]) -> Result<&str, Unread> {
    std::str::from_utf8(b).map_err(|_| Unread("not UTF-8 (a lone surrogate)".into()))
}

fn visit_scalar<'a, V: Visitor<'a>>(s: Scalar<'a>, visitor: V) -> Result<V::Value, Unread> {
    match s {
        // As serde_json: non-negative integers as u64, negative ones as i64.
        Scalar::Int(i) => match u64::try_from(i) {
            Ok(u) => visitor.visit_u64(u),
            Err(_) => visitor.visit_i64(i),
        },
        Scalar::Float(f) => visitor.visit_f64(f),
        Scalar::Str(s) => visitor.visit_borrowed_str(s),
        Scalar::Container => unread("a container referred to twice"),
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Unread;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unread> {
        if let Some(s) = self.scalar()? {
            return visit_scalar(s, visitor);
        }
        let b = self.byte()?;
        let flagged = b & FLAG_REF != 0;
        match b & !FLAG_REF {
            b'N' => visitor.visit_unit(),
            b'T' => visitor.visit_bool(true),
            b'F' => visitor.visit_bool(false),
            b'{' => {
                self.reserve(flagged, Scalar::Container);
                self.nested::<V>(|r| {
                    let mut map = Entries { r, done: false };
                    let v = visitor.visit_map(&mut map)?;
                    if map.done {
                        Ok(v)
                    } else {
                        unread("map not read to its end")
                    }
                })
            }
            code @ (b'[' | b'(' | b')') => {
                let n = if code == b')' {
                    usize::from(self.byte()?)
                } else {
                    self.len()?
                };
                self.reserve(flagged, Scalar::Container);
                self.nested::<V>(|r| {
                    let mut seq = Items { r, left: n };
                    let v = visitor.visit_seq(&mut seq)?;
                    if seq.left == 0 {
                        Ok(v)
                    } else {
                        unread("list not read to its end")
                    }
                })
            }
            _ => unread("not a JSON value"),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unread> {
        if self.peek() == Some(b'N') {
            self.pos += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unread> {
        visitor.visit_newtype_struct(self)
    }

    /// Unit variants only, written as strings (as the observation's enums are); anything else is left to JSON.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unread> {
        match self.scalar()? {
            Some(Scalar::Str(s)) => visitor.visit_enum(s.into_deserializer()),
            _ => unread("not a variant name"),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq
        tuple tuple_struct map struct identifier ignored_any
    }
}

/// A dict's entries, up to marshal's end marker.
struct Entries<'r, 'a> {
    r: &'r mut Reader<'a>,
    done: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Unread;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Unread> {
        if self.done {
            return Ok(None);
        }
        if self.r.peek() == Some(b'0') {
            self.r.pos += 1;
            self.done = true;
            return Ok(None);
        }
        // JSON keys are strings; a dict with other keys goes the JSON way. An ASCII key (marshal says which) is
        // handed over as bytes, which the observation's field names match without a UTF-8 check; a key that can
        // only be read as a string fails, and the JSON route reads it.
        match self.r.peek() {
            Some(b) if matches!(b & !FLAG_REF, b'z' | b'Z' | b'a' | b'A') => {
                self.r.pos += 1;
                let k = self.r.string_bytes(b & !FLAG_REF)?;
                if !k.is_ascii() {
                    return unread("not ASCII");
                }
                if b & FLAG_REF != 0 {
                    // Referred to again later (a key repeated in the dict's lists), then read as a string.
                    self.r.refs.push(Scalar::Str(utf8(k)?));
                }
                seed.deserialize(de::value::BorrowedBytesDeserializer::new(k))
                    .map(Some)
            }
            _ => match self.r.scalar()? {
                Some(Scalar::Str(k)) => seed
                    .deserialize(de::value::BorrowedStrDeserializer::new(k))
                    .map(Some),
                _ => unread("a key that is not a string"),
            },
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Unread> {
        seed.deserialize(&mut *self.r)
    }
}

/// A list's or tuple's items.
struct Items<'r, 'a> {
    r: &'r mut Reader<'a>,
    left: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unread;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, Unread> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.r).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        // Bounded by the bytes left: a forged count must not make a visitor reserve gigabytes.
        Some(self.left.min(self.r.bytes.len() - self.r.pos))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use pucha_core::{Category, Observation};

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// `marshal.dumps(d, 4)` (CPython 3.11) of an observation read with `json.loads`: repeated keys and small ints
    /// are written once and referred back to, 3,000,000,000 takes marshal's long form, names are UTF-8.
    const OBSERVATION: &str = "fb7a106d6f6e69746f72696e675f706f696e747a0a323031352d31312d31357a04736974657bfa046e616d65\
        750c000000e7a4bae4be8be7bd91e7ab997a046b696e647a06706f7274616c307a0c617661696c6162696c6974797b7a06766973697473\
        6c03000000005ea06502007a086661696c75726573e9110000007a0464617973e907000000307a07636f6c756d6e735b020000007b7201\
        0000007506000000e9809ae79fa5fa0863617465676f72797a066e6f74696365fa0a6974656d5f636f756e74e900000000307b72010000\
        007506000000e58aa8e6808172040000007a0864796e616d696373720500000072060000003030";

    #[test]
    fn reads_what_marshal_writes() {
        let o: Observation = from_bytes(&hex(OBSERVATION)).expect("reads");
        assert_eq!(o.monitoring_point.raw.as_ref(), "2015-11-15");
        assert_eq!(o.site.name, "示例网站");
        let a = o.availability.as_ref().expect("availability");
        assert_eq!((a.visits, a.failures), (Some(3_000_000_000), Some(17)));
        let cols = o.columns.as_ref().expect("columns");
        let got: Vec<(&str, Category)> = cols.iter().map(|c| (&*c.name, c.category)).collect();
        assert_eq!(got, [("通知", Category::Notice), ("动态", Category::Dynamics)]);
    }

    #[test]
    fn leaves_the_rest_to_the_json_route() {
        let bytes = hex(OBSERVATION);
        // cut short, or with bytes after the value
        assert!(from_bytes::<Observation>(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(b'N');
        assert!(from_bytes::<Observation>(&longer).is_err());
        // one column dict object twice in a list (`[c, c]`, interned keys): marshal refers back to a container
        let shared = hex(
            "7bda106d6f6e69746f72696e675f706f696e74fa0a323031352d31312d3135da04736974657bda046e616d65da017830da07\
             636f6c756d6e735b02000000fb7203000000f506000000e6a08fe79baeda0863617465676f7279da066e6f74696365da0a6974656d5f636f756e74e90000000030720600000030",
        );
        assert!(
            from_bytes::<Observation>(&shared)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
    }
}
