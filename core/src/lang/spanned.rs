//! Values of the pack file model that remember where they were written, read from TOML (with byte spans, for
//! error positions) or from the JSON copies of the built-in packs (without: those never fail to load).

use serde::{Deserialize, Deserializer};
use std::ops::Range;

/// A value and the byte range of the TOML text it came from (`0..0` when read from JSON).
#[derive(Debug, Clone)]
pub(crate) struct Spanned<T> {
    span: Range<usize>,
    value: T,
}

impl<T> Spanned<T> {
    /// A value at `span`.
    pub(crate) fn new(span: Range<usize>, value: T) -> Self {
        Spanned { span, value }
    }

    /// Where it was written.
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The value.
    pub(crate) fn get_ref(&self) -> &T {
        &self.value
    }
}

#[cfg(feature = "toml-packs")]
mod plain {
    use std::cell::Cell;

    thread_local! {
        /// Set while a pack is read from JSON: values then carry no span.
        static PLAIN: Cell<bool> = const { Cell::new(false) };
    }

    /// Whether values are being read without spans.
    pub(super) fn active() -> bool {
        PLAIN.with(Cell::get)
    }

    /// Reads values without spans until dropped.
    #[cfg(feature = "builtin-packs")]
    #[derive(Debug)]
    pub(crate) struct Guard(bool);

    #[cfg(feature = "builtin-packs")]
    impl Guard {
        pub(crate) fn new() -> Guard {
            Guard(PLAIN.with(|p| p.replace(true)))
        }
    }

    #[cfg(feature = "builtin-packs")]
    impl Drop for Guard {
        fn drop(&mut self) {
            PLAIN.with(|p| p.set(self.0));
        }
    }
}

#[cfg(all(feature = "toml-packs", feature = "builtin-packs"))]
pub(crate) use plain::Guard as PlainGuard;

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[cfg(feature = "toml-packs")]
        if !plain::active() {
            return toml::Spanned::<T>::deserialize(d).map(|s| Spanned {
                span: s.span(),
                value: s.into_inner(),
            });
        }
        T::deserialize(d).map(|value| Spanned { span: 0..0, value })
    }
}

/// A scalar written in a pack where several types are allowed (a parameter's default, a case's points).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PackValue {
    /// Text.
    Str(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// Something else, named as a message says it (`a table`, `an array`, `a date`); always an error where read.
    Other(&'static str),
}

impl PackValue {
    /// What it is, for messages: `text`, `a number`, `a boolean`, or the name of something else.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            PackValue::Str(_) => "text",
            PackValue::Int(_) | PackValue::Float(_) => "a number",
            PackValue::Bool(_) => "a boolean",
            PackValue::Other(name) => name,
        }
    }
}

impl<'de> Deserialize<'de> for PackValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PackValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text, a number or a boolean")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<PackValue, E> {
                Ok(PackValue::Str(s.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<PackValue, E> {
                Ok(PackValue::Int(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<PackValue, E> {
                Ok(i64::try_from(n).map_or(PackValue::Float(n as f64), PackValue::Int))
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<PackValue, E> {
                Ok(PackValue::Float(f))
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<PackValue, E> {
                Ok(PackValue::Bool(b))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<PackValue, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(PackValue::Other("an array"))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<PackValue, A::Error> {
                // TOML hands a date over as a table with one private key.
                let first = a.next_key::<String>()?;
                if first.is_some() {
                    a.next_value::<serde::de::IgnoredAny>()?;
                }
                let date = first.is_some_and(|k| k == "$__toml_private_datetime");
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(PackValue::Other(if date { "a date" } else { "a table" }))
            }
        }
        d.deserialize_any(V)
    }
}
