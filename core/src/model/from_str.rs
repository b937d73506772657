//! Reading a value of the model from a JSON string inside serde's visitor, so that a rejected string fails where it
//! stands in the text. Part of the model: imports nothing from the crate.

/// Read a string and turn it into `T` in the visitor, so that a rejected string fails where it stands in the
/// text (a check after `String::deserialize` would fail only where the enclosing list or object ends, and its
/// path could not be found from there).
pub(crate) fn parse_str<'de, D, T, F>(d: D, parse: F) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, String>,
{
    struct V<F>(F);
    impl<T, F: FnOnce(&str) -> Result<T, String>> serde::de::Visitor<'_> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            (self.0)(s).map_err(E::custom)
        }
    }
    d.deserialize_str(V(parse))
}
