#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod date;
pub mod diff;
mod engine;
mod error;
mod evidence;
pub mod expr;
pub mod facts;
pub mod ffi;
pub mod flat;
mod observation;
mod pack;
mod ratio;
mod render;
mod report;
pub mod rollup;
pub mod stored;
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
    window::{DateFmt, Span, Unit, Window},
};

#[cfg(feature = "builtin-packs")]
pub use crate::engine::score;

/// The names of the built-in packs.
#[cfg(feature = "builtin-packs")]
pub fn builtin_packs() -> impl Iterator<Item = &'static str> {
    pucha_rules::available()
}
