#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
// Built with neither the built-in packs nor the TOML reader, nothing can load a pack and the loader goes unused.
#![cfg_attr(
    not(any(feature = "builtin-packs", feature = "toml-packs")),
    allow(dead_code, unused_mut, reason = "no pack source in this build")
)]

// The pipeline in five layers, each importing only from those listed before it (a test checks it:
// core/tests/layers.rs; docs/design.md draws it).
mod analysis;
mod eval;
mod io;
mod lang;
mod model;
#[cfg(test)]
mod test_support;

pub use analysis::{diff, rollup, words};
#[cfg(feature = "messages")]
pub use analysis::{hints, messages};
#[cfg(feature = "fs")]
pub use io::files;
/// Hooks for the fuzz targets in `fuzz/` (feature `fuzzing`); not a stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub use io::fuzzing;
pub use io::{ffi, flat, stored};
pub use lang::{expr, facts};

#[doc(inline)]
pub use crate::{
    analysis::render::{TEXT_EVIDENCE_LIMIT, evidence_line, render_text},
    eval::engine::{Engine, Tally},
    eval::evidence::{Evidence, EvidenceList},
    eval::measure::MeasureOutcome,
    eval::report::*,
    lang::pack::{
        CaseMeta, Indicator, IndicatorPath, MAX_PACK_BYTES, PACK_SCHEMA, PackMeta, Param, Rule, RuleMeta,
        RulePack, SCORING_SETTINGS,
    },
    model::date::{LocalDate, parse_local_date},
    model::error::{Error, ErrorKind},
    model::observation::*,
    model::ratio::{Points, Ratio},
    model::verdict::*,
    model::visible::visible,
    model::window::{DateFmt, Deadline, Span, Unit, Window},
};

#[cfg(feature = "builtin-packs")]
pub use crate::eval::engine::score;

/// Whether this build reads packs written in TOML (feature `toml-packs`); without it only the built-in packs load.
pub const READS_TOML: bool = cfg!(feature = "toml-packs");

/// The names of the built-in packs.
#[cfg(feature = "builtin-packs")]
pub fn builtin_packs() -> impl Iterator<Item = &'static str> {
    pucha_rules::available()
}
