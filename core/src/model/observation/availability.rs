//! Homepage availability: samples of visits, or counts.

use super::*;

/// Homepage availability: raw samples or counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// Every visit of the homepage.
    #[serde(default)]
    pub samples: Option<Vec<Sample>>,
    /// Counted: all visits.
    #[serde(default)]
    pub visits: Option<u64>,
    /// Counted: failed visits.
    #[serde(default)]
    pub failures: Option<u64>,
    /// Counted: days covered.
    #[serde(default)]
    pub days: Option<u64>,
}

/// One visit of the homepage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// When the visit started.
    pub at: LocalDate,
    /// Whether the homepage opened (2xx, body received).
    pub ok: bool,
    /// How long it took; at or above the time limit the visit fails.
    #[serde(default)]
    pub elapsed_ms: Option<u64>,
    /// HTTP status, if any.
    #[serde(default)]
    pub status: Option<u16>,
    /// Error text, if any.
    #[serde(default)]
    pub error: Option<Arc<str>>,
    /// The prober's own fault (its network was down): excluded from the count and reported.
    #[serde(default)]
    pub probe_fault: bool,
}
