#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
// Built with neither the built-in packs nor the TOML reader, nothing can load a pack and the loader goes unused.
#![cfg_attr(
    not(any(feature = "builtin-packs", feature = "toml-packs")),
    allow(dead_code, unused_mut, reason = "no pack source in this build")
)]

#[cfg(feature = "compiled-packs")]
mod compiled;
mod date;
pub mod diff;
mod engine;
mod error;
mod evidence;
pub mod expr;
pub mod facts;
pub mod ffi;
pub mod flat;
mod json_path;
// The lean build's readers of observations and requests; the full build keeps them for the tests that check them
// against the derived ones.
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
mod json_parse;
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
mod json_tree;
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
mod lean_reader;
mod not_visited;
mod observation;
mod pack;
mod range;
mod ratio;
mod recycle;
mod render;
mod report;
mod report_json;
pub mod rollup;
mod spanned;
pub mod stored;
#[cfg(test)]
mod test_support;
mod window;

#[doc(inline)]
pub use crate::{
    date::{LocalDate, parse_local_date},
    engine::{Engine, Tally},
    error::{Error, ErrorKind},
    evidence::{Evidence, EvidenceList},
    observation::*,
    pack::{Indicator, PACK_SCHEMA, PackMeta, Param, Rule, RulePack},
    ratio::{Points, Ratio},
    render::{TEXT_EVIDENCE_LIMIT, evidence_line, render_text},
    report::*,
    window::{DateFmt, Deadline, Span, Unit, Window},
};

#[cfg(feature = "builtin-packs")]
pub use crate::engine::score;

/// Whether this build reads packs written in TOML (feature `toml-packs`); without it only the built-in packs load.
pub const READS_TOML: bool = cfg!(feature = "toml-packs");

/// The names of the built-in packs.
#[cfg(feature = "builtin-packs")]
pub fn builtin_packs() -> impl Iterator<Item = &'static str> {
    pucha_rules::available()
}
