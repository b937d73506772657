//! Analysis over reports: plain-text rendering, roll-ups for organising units, and what-if comparisons. Imports
//! every layer below.

pub mod diff;
#[cfg(feature = "messages")]
pub mod hints;
#[cfg(feature = "messages")]
pub mod messages;
pub(crate) mod render;
pub mod rollup;
pub mod words;
