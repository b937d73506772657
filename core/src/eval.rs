//! Evaluation: measuring an observation's facts, their evidence, scoring every rule into a report, and the lists
//! a score reuses. Imports the model and the rule language.

pub(crate) mod engine;
pub(crate) mod evidence;
pub(crate) mod measure;
pub(crate) mod not_visited;
pub(crate) mod recycle;
pub(crate) mod report;
pub(crate) mod scan;
