//! Evidence items: what a person can check behind each point.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// A fixed key (`homepage`, `policy`, `phone` …): borrowed when the engine writes it, owned when a stored report
/// is read back.
pub type Key = Cow<'static, str>;

/// One piece of evidence behind a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A homepage visit that failed or took too long.
    FailedVisit {
        /// Sample timestamp as recorded.
        at: Arc<str>,
        /// HTTP status, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Error text, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<Arc<str>>,
        /// Elapsed time, if recorded.
        #[serde(skip_serializing_if = "Option::is_none")]
        elapsed_ms: Option<u64>,
    },
    /// A broken or wrong link, once per target within its scope.
    BrokenLink {
        /// Link target.
        url: Arc<str>,
        /// Pages it was found on.
        found_on: crate::observation::StrList,
        /// `homepage` or `other`.
        scope: Key,
        /// Shallowest depth it was found at.
        depth: u32,
        /// page / image / attachment / external.
        link_kind: Key,
        /// HTTP status, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Error text, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<Arc<str>>,
        /// Occurrences counted (occurrence mode) or 1.
        counted: u64,
    },
    /// A column with no new item in its window.
    StaleColumn {
        /// Column name.
        column: Arc<str>,
        /// Category key.
        category: Key,
        /// Column URL.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<Arc<str>>,
        /// Newest dated item (not after the monitoring point), as shown.
        #[serde(skip_serializing_if = "Option::is_none")]
        last_published: Option<Arc<str>>,
        /// The window it had to be updated in, e.g. `2w`.
        #[serde(
            serialize_with = "crate::evidence::display",
            deserialize_with = "crate::evidence::span"
        )]
        within: crate::window::Span,
        /// Window start date.
        #[serde(
            serialize_with = "crate::evidence::display",
            deserialize_with = "crate::evidence::date"
        )]
        since: crate::window::DateFmt,
    },
    /// A column that exists but has no content at all.
    BlankColumn {
        /// Column name.
        column: Arc<str>,
        /// Category key.
        category: Key,
        /// Column URL.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<Arc<str>>,
    },
    /// Accuracy findings in a column's basic information.
    InaccurateInfo {
        /// Column name.
        column: Arc<str>,
        /// How many findings.
        count: u64,
    },
    /// A new item counted as a homepage update.
    NewItem {
        /// Column it appeared in.
        column: Arc<str>,
        /// Title.
        title: Arc<str>,
        /// Link.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<Arc<str>>,
        /// Publication date as shown.
        published: Arc<str>,
    },
    /// A consultation message that waited too long.
    OverdueMessage {
        /// Asked on.
        asked: Arc<str>,
        /// Answered on, or null if still waiting at the monitoring point.
        answered: Option<Arc<str>>,
        /// Days waited up to the answer or the monitoring point.
        waited_days: i64,
        /// Title.
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<Arc<str>>,
        /// Link.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<Arc<str>>,
    },
    /// A guide element category missing from one or more guides.
    MissingElement {
        /// Element key.
        element: Key,
        /// Element name in Chinese.
        element_zh: Key,
        /// Guides lacking it.
        guides: Vec<Arc<str>>,
    },
    /// A guide element whose content is inaccurate (for review).
    InaccurateElement {
        /// Element key.
        element: Key,
        /// Element name in Chinese.
        element_zh: Key,
        /// The guide.
        guide: Arc<str>,
    },
    /// Forms or attachments a guide mentions but does not offer, or that cannot be downloaded.
    Attachment {
        /// `not_offered` or `broken`.
        problem: Key,
        /// The guide.
        guide: Arc<str>,
        /// How many.
        count: u64,
        /// Their names or URLs, when given.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<Arc<str>>,
    },
    /// An online system that could not be reached.
    UnreachableSystem {
        /// System name.
        name: Arc<str>,
        /// URL.
        #[serde(skip_serializing_if = "Option::is_none")]
        url: Option<Arc<str>>,
        /// HTTP status, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Error text, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<Arc<str>>,
    },
    /// A content finding (serious error).
    ContentFinding {
        /// serious_typo / false_content / prohibited_content.
        finding: Key,
        /// Where.
        url: Arc<str>,
        /// Text as shown.
        excerpt: Arc<str>,
        /// Correct form.
        #[serde(skip_serializing_if = "Option::is_none")]
        expected: Option<Arc<str>>,
        /// Confirmed by a person.
        confirmed: bool,
    },
    /// A number taken as given from counted data.
    Counted {
        /// Observation field.
        field: Key,
        /// Its value.
        value: u64,
    },
}

/// Serialise through `Display` (no intermediate `String` kept in the evidence).
pub(crate) fn display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn span<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::window::Span, D::Error> {
    crate::json_path::parse_str(d, |s| {
        crate::window::Span::parse(s).ok_or_else(|| format!("invalid window `{s}`"))
    })
}

fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::window::DateFmt, D::Error> {
    crate::json_path::parse_str(d, |s| {
        crate::date::parse_local_date(s)
            .map(crate::window::DateFmt)
            .ok_or_else(|| format!("invalid date `{s}`"))
    })
}

/// The evidence of one rule: chunks shared with the measures that produced them, read as one flat list.
///
/// Sharing avoids copying large lists (hundreds of broken links) into every rule that uses them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvidenceList(Vec<std::sync::Arc<Vec<Evidence>>>);

impl EvidenceList {
    /// Append a shared chunk, unless an equal chunk is already there (several measures of one fact family
    /// yield the same evidence).
    pub(crate) fn push_chunk(&mut self, chunk: &std::sync::Arc<Vec<Evidence>>) {
        if chunk.is_empty()
            || self
                .0
                .iter()
                .any(|c| std::sync::Arc::ptr_eq(c, chunk) || **c == **chunk)
        {
            return;
        }
        self.0.push(chunk.clone());
    }

    /// Every item, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Evidence> {
        self.0.iter().flat_map(|c| c.iter())
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.0.iter().map(|c| c.len()).sum()
    }

    /// True when there is no evidence.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|c| c.is_empty())
    }
}

impl Serialize for EvidenceList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
