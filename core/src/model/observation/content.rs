//! Content findings (serious errors) and their kinds.

use super::*;

/// A content finding for the serious-error veto.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentFinding {
    /// What was found.
    pub kind: FindingKind,
    /// Where.
    pub url: Arc<str>,
    /// The text as shown.
    pub excerpt: Arc<str>,
    /// The correct form, for a typo.
    #[serde(default)]
    pub expected: Option<Arc<str>>,
    /// Confirmed by a person; unconfirmed findings only ask for review.
    #[serde(default)]
    pub confirmed: bool,
}

/// Kind of content finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A serious typo, such as a leader's name written wrongly.
    SeriousTypo,
    /// False or forged content.
    FalseContent,
    /// Reactionary, violent or pornographic content.
    ProhibitedContent,
}

impl FindingKind {
    /// The snake_case key.
    pub fn key(self) -> &'static str {
        FINDING_KINDS
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, key)| key)
    }

    /// Read its snake_case key, or the message of an unknown kind.
    pub(crate) fn from_text(s: &str) -> Result<FindingKind, String> {
        from_key(s, FINDING_KINDS)
    }
}

/// Every finding kind with its key.
const FINDING_KINDS: &[(FindingKind, &str)] = &[
    (FindingKind::SeriousTypo, "serious_typo"),
    (FindingKind::FalseContent, "false_content"),
    (FindingKind::ProhibitedContent, "prohibited_content"),
];

impl<'de> Deserialize<'de> for FindingKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, FindingKind::from_text)
    }
}
