//! What crosses the JSON boundary: a request (pack reference, parameters, observation) and its answer (a report or
//! errors). Imports the model and the report.

use crate::eval::report::Report;
use crate::model::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which pack to use.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PackRef {
    /// A built-in pack name.
    Name(String),
    /// Inline TOML source.
    Inline {
        /// The TOML text.
        toml: String,
    },
}

impl Default for PackRef {
    fn default() -> Self {
        PackRef::Name("census-2015".into())
    }
}

/// A scoring request.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The pack (default `census-2015`).
    #[serde(default)]
    pub pack: PackRef,
    /// Parameter overrides, `name → value` as text.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The observation.
    pub observation: serde_json::Value,
}

/// The answer to a request.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// Scored.
    Success {
        /// The report.
        report: Box<Report>,
    },
    /// Bad input.
    Failure {
        /// What was wrong.
        errors: Vec<Error>,
    },
}
