//! JSON in and out: the observation readers (derived and lean), the hand-written report writer, stored reports,
//! flat records and the one boundary the CLI, Python and WebAssembly share. Imports the model, the rule language
//! and evaluation.

pub mod ffi;
#[cfg(feature = "fs")]
pub mod files;
pub mod flat;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
// The lean build's readers of observations and requests; the full build keeps them for the tests that check them
// against the derived ones.
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
pub(crate) mod json_parse;
pub(crate) mod json_path;
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
pub(crate) mod json_tree;
#[cfg_attr(
    all(feature = "fast-json", not(test)),
    allow(
        dead_code,
        reason = "the full build reads observations with the derived reader"
    )
)]
pub(crate) mod lean_reader;
pub(crate) mod read;
pub(crate) mod report_json;
pub(crate) mod request;
pub mod stored;
