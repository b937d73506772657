//! The rule language: packs as declarative tables, their expressions and interval evaluation, the vocabulary of
//! facts, and packs compiled to bytes. Imports the model only.

#[cfg(feature = "compiled-packs")]
pub(crate) mod compiled;
pub mod expr;
pub mod facts;
pub(crate) mod pack;
pub(crate) mod range;
pub(crate) mod spanned;
