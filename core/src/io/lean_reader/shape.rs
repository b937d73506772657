//! Structs as serde's derived readers take them: an object of known fields (or an array of them in order), with
//! unknown, repeated and missing fields refused in serde's words.

use super::*;

/// How a struct was written: as an object, or (as serde's derived readers also accept) as an array of its fields
/// in declaration order.
#[derive(Clone, Copy)]
pub(super) enum Form {
    Object,
    Array,
}

/// A struct's name in messages and its fields in declaration order.
pub(super) struct Shape {
    pub(super) name: &'static str,
    pub(super) fields: &'static [&'static str],
}

/// Read the entries of a struct, handing each known field's value to `set` with the field's index: unknown and
/// repeated fields are refused, extra array elements are trailing characters.
#[inline(never)]
pub(super) fn fields(n: &Node, shape: &Shape, set: &mut dyn FnMut(usize, &Node) -> R<()>) -> R<Form> {
    match n {
        Node::Obj(entries) => {
            let mut seen = 0u64;
            for (i, (key, v)) in entries.iter().enumerate() {
                let Some(j) = shape.fields.iter().position(|f| **f == **key) else {
                    let msg = Msg::unknown_field(key, shape.fields).to_string();
                    return Err(Fail::new(msg, At::Key).within(Seg::Entry(i)));
                };
                let name = shape.fields.get(j).copied().unwrap_or_default();
                if seen & (1 << j) != 0 {
                    return Err(
                        Fail::new(Msg::duplicate_field(name).to_string(), At::Key).within(Seg::Entry(i))
                    );
                }
                seen |= 1 << j;
                set(j, v).map_err(|f| f.within(Seg::Entry(i)))?;
            }
            Ok(Form::Object)
        }
        Node::Arr(items) => {
            for (j, v) in items.iter().enumerate().take(shape.fields.len()) {
                set(j, v).map_err(|f| f.within(Seg::Index(j)))?;
            }
            if items.len() > shape.fields.len() {
                let mut f = Fail::new("trailing characters".into(), At::AfterFirstByte)
                    .within(Seg::Index(shape.fields.len()));
                f.syntax = true;
                return Err(f);
            }
            Ok(Form::Array)
        }
        _ => Err(wrong(n, shape.name)),
    }
}

/// A required field: missing from an object, or beyond the end of an array.
pub(super) fn req<T>(v: Option<T>, j: usize, form: Form, shape: &Shape) -> R<T> {
    v.ok_or_else(|| missing(j, form, shape))
}

#[cold]
#[inline(never)]
pub(super) fn missing(j: usize, form: Form, shape: &Shape) -> Fail {
    let msg = match form {
        Form::Object => Msg::missing_field(shape.fields.get(j).copied().unwrap_or_default()),
        Form::Array => {
            let n = shape.fields.len();
            let expected = format!("{} with {n} element{}", shape.name, if n == 1 { "" } else { "s" });
            Msg::invalid_length(j, &expected.as_str())
        }
    };
    Fail::new(msg.to_string(), At::End)
}
