//! Evidence items: what a person can check behind each point.

use crate::eval::scan::LinkGroup;
use crate::lang::facts::LinkScope;
use crate::model::observation::LinkKind;
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
        found_on: crate::model::observation::StrList,
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
            serialize_with = "crate::eval::evidence::display",
            deserialize_with = "crate::eval::evidence::span"
        )]
        within: crate::model::window::Span,
        /// Window start date.
        #[serde(
            serialize_with = "crate::eval::evidence::display",
            deserialize_with = "crate::eval::evidence::date"
        )]
        since: crate::model::window::DateFmt,
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

fn span<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::model::window::Span, D::Error> {
    crate::model::from_str::parse_str(d, |s| {
        crate::model::window::Span::parse(s).ok_or_else(|| format!("invalid window `{s}`"))
    })
}

fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::model::window::DateFmt, D::Error> {
    crate::model::from_str::parse_str(d, |s| {
        crate::model::date::parse_local_date(s)
            .map(crate::model::window::DateFmt)
            .ok_or_else(|| format!("invalid date `{s}`"))
    })
}

/// Broken links of one scope, kept as the link groups of a score and the observation's list of broken links (both
/// shared), and written out as [`Evidence::BrokenLink`] records only when read: a realistic observation has
/// hundreds, and making each record (three shared strings apiece) was a third of the time of a score.
#[derive(Debug)]
pub(crate) struct LinkChunk {
    pub(crate) broken: Arc<Vec<crate::model::observation::BrokenLink>>,
    pub(crate) groups: Arc<crate::eval::scan::LinkGroups>,
    pub(crate) scope: crate::lang::facts::LinkScope,
    /// How many groups are in the scope (the number of records).
    pub(crate) len: usize,
}

impl LinkChunk {
    fn records(&self) -> ChunkIter<'_> {
        ChunkIter::Links(self, self.groups.iter())
    }
}

/// New homepage items, kept as positions in the observation's columns (shared) and written out as
/// [`Evidence::NewItem`] records only when read: a score counts them whether or not its rule keeps the evidence.
#[derive(Debug)]
pub(crate) struct ItemChunk {
    pub(crate) columns: Arc<Vec<crate::model::observation::Column>>,
    /// Column and item index of each new item, in the order counted.
    pub(crate) picks: Vec<(u32, u32)>,
}

impl ItemChunk {
    fn records(&self) -> ChunkIter<'_> {
        ChunkIter::Items(self, self.picks.iter())
    }

    fn record(&self, (col, item): (u32, u32)) -> Option<Evidence> {
        let c = self.columns.get(col as usize)?;
        let it = c.items.as_ref()?.get(item as usize)?;
        Some(Evidence::NewItem {
            column: c.name.clone(),
            title: it.title.clone(),
            url: it.url.clone(),
            published: it.published.as_ref()?.raw.clone(),
        })
    }
}

/// What a column measure found in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnFinding {
    /// No new item in the measure's window ([`Evidence::StaleColumn`]).
    Stale,
    /// No new item in the column's own update cycle, or the default one ([`Evidence::StaleColumn`]).
    Overdue,
    /// No content at all ([`Evidence::BlankColumn`]).
    Blank,
    /// Findings in its basic information ([`Evidence::InaccurateInfo`]).
    Inaccurate,
}

impl ColumnFinding {
    /// Which kind of record it writes (records of different kinds are never equal).
    fn record_kind(self) -> u8 {
        match self {
            ColumnFinding::Stale | ColumnFinding::Overdue => 0,
            ColumnFinding::Blank => 1,
            ColumnFinding::Inaccurate => 2,
        }
    }
}

/// Columns a column measure found, kept as positions in the observation's columns (shared) and written out as
/// records only when read. Held in place, without an allocation, for the first 64 columns: a score made a list and
/// a shared allocation per column measure, and cloned three shared strings per record, which was a tenth of a
/// counts-only score's time.
#[derive(Debug, Clone)]
pub(crate) struct ColumnChunk {
    pub(crate) columns: Arc<Vec<crate::model::observation::Column>>,
    /// Columns 0–63 found, one bit each.
    pub(crate) low: u64,
    /// Columns from 64 on, in order (a list only for such long column lists).
    pub(crate) high: Option<Arc<Vec<u32>>>,
    /// The monitoring point (a record's newest date and window start are worked out from it).
    pub(crate) point: chrono::NaiveDate,
    /// The window a stale column had to be updated in; for overdue columns, the cycle of a column without its own.
    pub(crate) span: Option<crate::model::window::Span>,
    pub(crate) finding: ColumnFinding,
}

impl ColumnChunk {
    /// An empty chunk, to which found columns are added in order.
    pub(crate) fn new(
        columns: Arc<Vec<crate::model::observation::Column>>,
        point: chrono::NaiveDate,
        span: Option<crate::model::window::Span>,
        finding: ColumnFinding,
    ) -> ColumnChunk {
        ColumnChunk {
            columns,
            low: 0,
            high: None,
            point,
            span,
            finding,
        }
    }

    /// Add column `i` (in increasing order).
    pub(crate) fn add(&mut self, i: usize) {
        if i < 64 {
            self.low |= 1 << i;
        } else if let Ok(i) = u32::try_from(i) {
            match &mut self.high {
                Some(h) => Arc::make_mut(h).push(i),
                None => self.high = Some(Arc::new(vec![i])),
            }
        }
    }

    fn len(&self) -> usize {
        self.low.count_ones() as usize + self.high.as_ref().map_or(0, |h| h.len())
    }

    fn records(&self) -> ChunkIter<'_> {
        ChunkIter::Columns(self, self.indices())
    }

    /// Column positions found, in order.
    fn indices(&self) -> ColumnIndices<'_> {
        ColumnIndices {
            low: self.low,
            high: self.high.as_deref().map_or(&[][..], |h| h.as_slice()).iter(),
        }
    }

    /// The window column `c` had to be updated in (stale and overdue columns only).
    fn within(&self, c: &crate::model::observation::Column) -> Option<crate::model::window::Span> {
        match (self.finding, c.update_cycle, self.span) {
            (ColumnFinding::Overdue, Some(cycle), _) => Some(cycle.0),
            (ColumnFinding::Stale | ColumnFinding::Overdue, _, span) => span,
            _ => None,
        }
    }

    /// The newest date shown for column `c` (stale and overdue columns).
    fn last_published<'c>(&self, c: &'c crate::model::observation::Column) -> Option<&'c Arc<str>> {
        match crate::eval::scan::newest_date(c, self.point).0 {
            crate::eval::scan::ColDates::Known(Some(d)) => Some(&d.raw),
            _ => None,
        }
    }

    fn record(&self, i: usize) -> Option<Evidence> {
        use crate::model::window::DateFmt;
        let c = self.columns.get(i)?;
        let column = c.name.clone();
        let category = Cow::Borrowed(c.category.key());
        Some(match self.finding {
            ColumnFinding::Stale | ColumnFinding::Overdue => {
                // Found only with a window (the measure has none otherwise): nothing to write without one.
                let within = self.within(c)?;
                let last_published = self.last_published(c).cloned();
                Evidence::StaleColumn {
                    column,
                    category,
                    url: c.url.clone(),
                    last_published,
                    within,
                    since: DateFmt(within.window(self.point).from),
                }
            }
            ColumnFinding::Blank => Evidence::BlankColumn {
                column,
                category,
                url: c.url.clone(),
            },
            ColumnFinding::Inaccurate => Evidence::InaccurateInfo {
                column,
                count: c.inaccurate.unwrap_or(0),
            },
        })
    }

    /// Whether both list equal records, compared field by field without writing them (two measures of one rule
    /// mostly find different columns, or the same columns with different windows).
    fn same_records(&self, other: &ColumnChunk) -> bool {
        if self.finding.record_kind() != other.finding.record_kind() || self.len() != other.len() {
            return false;
        }
        let (mut a, mut b) = (self.indices(), other.indices());
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(i), Some(j)) if self.record_eq(i, other, j) => {}
                _ => return false,
            }
        }
    }

    /// Whether the record of column `i` equals `other`'s record of column `j` (same record kind).
    fn record_eq(&self, i: usize, other: &ColumnChunk, j: usize) -> bool {
        let (Some(a), Some(b)) = (self.columns.get(i), other.columns.get(j)) else {
            return false;
        };
        let same_column = Arc::ptr_eq(&self.columns, &other.columns) && i == j;
        let fields = |a: &crate::model::observation::Column, b: &crate::model::observation::Column| {
            a.name == b.name && a.category == b.category && a.url == b.url
        };
        match self.finding {
            ColumnFinding::Stale | ColumnFinding::Overdue => {
                let (wa, wb) = (self.within(a), other.within(b));
                wa == wb
                    && wa.map(|w| w.window(self.point).from) == wb.map(|w| w.window(other.point).from)
                    && (same_column && self.point == other.point
                        || fields(a, b) && self.last_published(a) == other.last_published(b))
            }
            ColumnFinding::Blank => same_column || fields(a, b),
            ColumnFinding::Inaccurate => {
                same_column || (a.name == b.name && a.inaccurate.unwrap_or(0) == b.inaccurate.unwrap_or(0))
            }
        }
    }

    /// The same columns found the same way (then the records are the same without writing them).
    fn same_finding(&self, other: &ColumnChunk) -> bool {
        Arc::ptr_eq(&self.columns, &other.columns)
            && (self.low, &self.high, self.point, self.span, self.finding)
                == (other.low, &other.high, other.point, other.span, other.finding)
    }
}

/// The positions of a [`ColumnChunk`]'s columns: the bits of the first 64, then the list of the rest.
struct ColumnIndices<'a> {
    low: u64,
    high: std::slice::Iter<'a, u32>,
}

impl Iterator for ColumnIndices<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.low != 0 {
            let i = self.low.trailing_zeros() as usize;
            self.low &= self.low - 1;
            return Some(i);
        }
        self.high.next().map(|&i| i as usize)
    }
}

/// The records of one chunk, borrowed or written out.
enum ChunkIter<'a> {
    Records(std::slice::Iter<'a, Evidence>),
    Items(&'a ItemChunk, std::slice::Iter<'a, (u32, u32)>),
    /// The chunk and the positions of the columns not yet written.
    Columns(&'a ColumnChunk, ColumnIndices<'a>),
    Links(&'a LinkChunk, std::slice::Iter<'a, crate::eval::scan::LinkGroup>),
    Counted(Option<(&'static str, u64)>),
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Cow<'a, Evidence>;

    fn next(&mut self) -> Option<Cow<'a, Evidence>> {
        match self {
            ChunkIter::Records(r) => r.next().map(Cow::Borrowed),
            ChunkIter::Items(c, picks) => picks.find_map(|&p| c.record(p)).map(Cow::Owned),
            ChunkIter::Columns(c, indices) => indices.find_map(|i| c.record(i)).map(Cow::Owned),
            ChunkIter::Links(l, groups) => groups
                .find_map(|g| l.groups.record(g, &l.broken, l.scope))
                .map(Cow::Owned),
            ChunkIter::Counted(c) => c.take().map(|(field, value)| {
                Cow::Owned(Evidence::Counted {
                    field: Cow::Borrowed(field),
                    value,
                })
            }),
        }
    }
}

/// A part of a rule's evidence, shared with the measure that produced it.
#[derive(Debug, Clone)]
pub(crate) enum Chunk {
    /// Records made while scoring.
    Records(Arc<Vec<Evidence>>),
    /// Broken links, made into records when read.
    Links(Arc<LinkChunk>),
    /// New homepage items, made into records when read.
    Items(Arc<ItemChunk>),
    /// Columns found by a column measure, made into records when read.
    Columns(ColumnChunk),
    /// One number taken from counted data (its field and value): no list to allocate.
    Counted(&'static str, u64),
}

impl Chunk {
    fn len(&self) -> usize {
        match self {
            Chunk::Records(r) => r.len(),
            Chunk::Links(l) => l.len,
            Chunk::Items(i) => i.picks.len(),
            Chunk::Columns(c) => c.len(),
            Chunk::Counted(..) => 1,
        }
    }

    fn same(&self, other: &Chunk) -> bool {
        match (self, other) {
            (Chunk::Records(a), Chunk::Records(b)) => Arc::ptr_eq(a, b) || **a == **b,
            // Equal lists from different groupings (a kind filter that left every link in) count as the same, as
            // equal record lists did; the first differing record ends the comparison.
            (Chunk::Links(a), Chunk::Links(b)) => {
                Arc::ptr_eq(a, b)
                    || (Arc::ptr_eq(&a.groups, &b.groups) && a.scope == b.scope)
                    || (a.len == b.len && a.records().eq(b.records()))
            }
            (Chunk::Items(a), Chunk::Items(b)) => {
                Arc::ptr_eq(a, b) || (a.picks.len() == b.picks.len() && a.records().eq(b.records()))
            }
            (Chunk::Columns(a), Chunk::Columns(b)) => a.same_finding(b) || a.same_records(b),
            (Chunk::Counted(f, v), Chunk::Counted(g, w)) => f == g && v == w,
            _ => false,
        }
    }
}

/// The evidence of one rule: the chunks of the measures it read, shared with them, read as one flat list.
///
/// Nothing is copied into a rule while scoring: the list is gathered from the rule's measures when it is read
/// (serialised, rendered, iterated), and broken links, new items and columns are made into records only then.
#[derive(Debug, Clone, Default)]
pub struct EvidenceList<'a> {
    /// The first chunk: most rules have one (no list allocated for them).
    first: Option<&'a Chunk>,
    /// Any further chunks.
    more: Vec<&'a Chunk>,
}

impl<'a> EvidenceList<'a> {
    /// The list of `chunks` in order, each kept unless it is empty or equal to one already kept (several measures
    /// of one fact family yield the same evidence).
    pub(crate) fn gather(chunks: impl Iterator<Item = &'a Chunk>) -> EvidenceList<'a> {
        let mut list = EvidenceList::default();
        for chunk in chunks {
            if chunk.len() == 0 || list.chunks().any(|c| c.same(chunk)) {
                continue;
            }
            if list.first.is_none() {
                list.first = Some(chunk);
            } else {
                list.more.push(chunk);
            }
        }
        list
    }

    fn chunks(&self) -> impl Iterator<Item = &'a Chunk> + '_ {
        self.first.into_iter().chain(self.more.iter().copied())
    }

    /// Every item, in order (broken links are written out as they are read).
    pub fn iter(&self) -> impl Iterator<Item = Cow<'a, Evidence>> + '_ {
        self.chunks().flat_map(|c| match c {
            Chunk::Records(r) => ChunkIter::Records(r.iter()),
            Chunk::Links(l) => l.records(),
            Chunk::Items(i) => i.records(),
            Chunk::Columns(c) => c.records(),
            Chunk::Counted(f, v) => ChunkIter::Counted(Some((f, *v))),
        })
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.chunks().map(Chunk::len).sum()
    }

    /// True when there is no evidence.
    pub fn is_empty(&self) -> bool {
        self.chunks().all(|c| c.len() == 0)
    }
}

impl PartialEq for EvidenceList<'_> {
    fn eq(&self, other: &EvidenceList<'_>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Serialize for EvidenceList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(all(test, feature = "builtin-packs", feature = "toml-packs"))]
mod tests {
    use crate::{Engine, Evidence, Observation, RulePack};

    /// A rule's evidence is its measures' evidence when it applied, and none when it passed, though the two rules
    /// read the same measure (the failure rate, whose evidence is the counted failures).
    #[test]
    fn evidence_is_listed_for_applied_rules_only() {
        let engine = Engine::builtin("census-2015").unwrap();
        let obs = Observation::from_json_str(include_str!("../../../examples/observations/counts-only.json"))
            .unwrap();
        let report = engine.score(&obs);
        let veto = report.rule("site-unreachable").unwrap();
        assert_eq!(veto.status, crate::Status::Passed);
        assert!(veto.evidence().is_empty());
        assert_eq!(veto.evidence().iter().count(), 0);
        let deduction = report.rule("homepage-availability").unwrap();
        assert_eq!(deduction.status, crate::Status::Applied);
        let listed: Vec<Evidence> = deduction.evidence().iter().map(|e| e.into_owned()).collect();
        assert!(
            matches!(&listed[..], [Evidence::Counted { field, value: 17 }] if field == "availability.failures"),
            "{listed:?}"
        );
        assert_eq!(deduction.evidence().len(), 1);
    }

    /// A rule with two link measures that list the same broken links (one through a kind filter that keeps every
    /// link) lists each link once, as when the evidence was made while scoring.
    #[test]
    fn equal_link_lists_from_different_groupings_are_listed_once() {
        let src = pucha_rules::get("census-2015").unwrap().replace(
            r#"measures.other_broken = { fact = "links.broken", scope = "other", count = "$link_count" }"#,
            r#"measures.other_broken = { fact = "links.broken", scope = "homepage", kinds = ["page", "image", "attachment", "external"] }"#,
        );
        let pack = RulePack::from_toml_str(&src, "test").unwrap();
        let obs = Observation::from_json_str(
            r#"{"schema": "pucha.observation/1", "site": {"name": "t", "kind": "other"},
                "monitoring_point": "2015-06-30",
                "links": {"broken": [
                    {"url": "http://a.gov.cn/x", "found_on": ["http://a.gov.cn/"], "depth": 0, "kind": "page", "status": 404},
                    {"url": "http://a.gov.cn/y", "found_on": ["http://a.gov.cn/"], "depth": 0, "kind": "image", "status": 404}
                ]}}"#,
        )
        .unwrap();
        let report = Engine::new(pack).score(&obs);
        let rule = report
            .rules
            .iter()
            .find(|r| r.id() == "link-availability")
            .unwrap();
        assert_eq!(rule.evidence().len(), 2);
        assert_eq!(rule.evidence().iter().count(), 2);
    }

    /// Columns found by column measures are written as records when the report is read: past the 64 columns kept
    /// in place as well, in column order, each with what the observation gives; a stale column's newest date not
    /// after the monitoring point and its window start; two measures finding the same columns the same way list
    /// them once, and a column found stale and blank is listed as both.
    #[test]
    fn found_columns_are_listed_in_order_past_64_and_once_per_finding() {
        let mut cols = Vec::new();
        for i in 0..70 {
            cols.push(format!(
                r#"{{"name": "栏目{i}", "category": "policy", "url": "http://a.gov.cn/c{i}", "items": [
                    {{"title": "old", "published": "2014-12-0{}"}}, {{"title": "later", "published": "2016-01-01"}}]}}"#,
                1 + i % 9
            ));
        }
        cols.push(r#"{"name": "空", "category": "notice", "item_count": 0, "inaccurate": 3}"#.into());
        let obs = Observation::from_json_str(&format!(
            r#"{{"schema": "pucha.observation/1", "site": {{"name": "t", "kind": "other"}},
                "monitoring_point": "2015-06-30", "columns": [{}]}}"#,
            cols.join(",")
        ))
        .unwrap();
        let report = Engine::builtin("census-2015").unwrap().score(&obs);
        let rule = report.rule("columns-not-updated").unwrap();
        let listed: Vec<Evidence> = rule.evidence().iter().map(|e| e.into_owned()).collect();
        assert_eq!(
            listed.len(),
            72,
            "the blank notice column blank, 70 stale policy columns, it stale too"
        );
        assert_eq!(rule.evidence().len(), 72);
        assert!(matches!(&listed[0], Evidence::BlankColumn { column, url: None, .. } if &**column == "空"));
        for (i, e) in listed[1..71].iter().enumerate() {
            let Evidence::StaleColumn {
                column,
                category,
                url,
                last_published,
                within,
                since,
            } = e
            else {
                panic!("not a stale column: {e:?}");
            };
            assert_eq!(&**column, format!("栏目{i}"));
            assert_eq!(category, "policy");
            assert_eq!(url.as_deref(), Some(format!("http://a.gov.cn/c{i}").as_str()));
            let newest = format!("2014-12-0{}", 1 + i % 9);
            assert_eq!(
                last_published.as_deref(),
                Some(newest.as_str()),
                "the later item is after the point"
            );
            assert_eq!(
                (within.to_string(), since.to_string()),
                ("6mo".into(), "2014-12-30".into())
            );
        }
        assert!(
            matches!(&listed[71], Evidence::StaleColumn { column, last_published: None, .. } if &**column == "空")
        );
        let info = report.rule("basic-info").unwrap();
        let listed: Vec<Evidence> = info
            .evidence()
            .iter()
            .map(|e| e.into_owned())
            .filter(|e| matches!(e, Evidence::InaccurateInfo { .. }))
            .collect();
        assert!(matches!(&listed[..], [Evidence::InaccurateInfo { column, count: 3 }] if &**column == "空"));

        // Two measures finding different columns whose records read the same (a column listed twice, once marked
        // on the homepage) list them once; the same columns found with different windows are listed twice.
        let twin = r#"{"name": "双", "category": "policy", "url": "http://a.gov.cn/twin", "last_published": "2014-11-01""#;
        let twins = Observation::from_json_str(&format!(
            r#"{{"schema": "pucha.observation/1", "site": {{"name": "t", "kind": "other"}},
                "monitoring_point": "2015-06-30", "columns": [{twin}, "on_homepage": true}}, {twin}}}]}}"#
        ))
        .unwrap();
        let src = pucha_rules::get("census-2015").unwrap();
        let split = src.replace(
            r#"measures.news_stale = { fact = "columns.stale", categories = ["dynamics"], window = "2w" }"#,
            r#"measures.news_stale = { fact = "columns.stale", categories = ["policy"], window = "6mo", on_homepage = true }"#,
        ).replace(
            r#"measures.notice_stale = { fact = "columns.stale", categories = ["notice", "policy"], window = "6mo" }"#,
            r#"measures.notice_stale = { fact = "columns.stale", categories = ["policy"], window = "6mo", on_homepage = false }"#,
        );
        let report = Engine::new(RulePack::from_toml_str(&split, "test").unwrap()).score(&twins);
        let rule = report.rule("basic-info").unwrap();
        assert_eq!(
            rule.points,
            crate::Points::from_tenths(70),
            "3 points on the homepage, 4 off it"
        );
        assert_eq!(rule.evidence().len(), 1, "equal records from two columns are one");
        let windows = src.replace(
            r#"measures.news_stale = { fact = "columns.stale", categories = ["dynamics"], window = "2w" }"#,
            r#"measures.news_stale = { fact = "columns.stale", categories = ["policy"], window = "3mo" }"#,
        );
        let report = Engine::new(RulePack::from_toml_str(&windows, "test").unwrap()).score(&twins);
        let windows: Vec<String> = report
            .rule("basic-info")
            .unwrap()
            .evidence()
            .iter()
            .map(|e| match e.into_owned() {
                Evidence::StaleColumn { within, .. } => within.to_string(),
                other => panic!("not a stale column: {other:?}"),
            })
            .collect();
        assert_eq!(windows, ["3mo", "3mo", "6mo", "6mo"]);

        // The same measure twice in one rule: its columns are listed once.
        let src = pucha_rules::get("census-2015").unwrap().replace(
            r#"measures.news_stale = { fact = "columns.stale", categories = ["dynamics"], window = "2w" }"#,
            r#"measures.news_stale = { fact = "columns.stale", categories = ["notice", "policy"], window = "6mo" }"#,
        );
        let report = Engine::new(RulePack::from_toml_str(&src, "test").unwrap()).score(&obs);
        assert_eq!(report.rule("columns-not-updated").unwrap().evidence().len(), 72);
    }

    /// New homepage items are written as records when the report is read: each item once (the same link in two
    /// columns counts once), in the order counted, with its column, title, link and date as given; undated items
    /// and items outside the window are not listed.
    #[test]
    fn new_homepage_items_are_listed_once_each_with_what_was_given() {
        let obs = Observation::from_json_str(
            r#"{"schema": "pucha.observation/1", "site": {"name": "t", "kind": "other"},
                "monitoring_point": "2015-06-30",
                "columns": [
                  {"name": "要闻", "category": "dynamics", "on_homepage": true, "items": [
                    {"title": "a", "url": "http://a.gov.cn/1", "published": "2015-06-29"},
                    {"title": "old", "url": "http://a.gov.cn/0", "published": "2015-05-01"},
                    {"title": "undated", "url": "http://a.gov.cn/u"}]},
                  {"name": "通知", "category": "notice", "on_homepage": true, "items": [
                    {"title": "a again", "url": "http://a.gov.cn/1", "published": "2015-06-28"},
                    {"title": "b", "published": "2015-06-20"}]},
                  {"name": "内页", "category": "notice", "items": [
                    {"title": "inner", "url": "http://a.gov.cn/9", "published": "2015-06-29"}]}]}"#,
        )
        .unwrap();
        let report = Engine::builtin("census-2015").unwrap().score(&obs);
        let rule = report
            .rules
            .iter()
            .find(|r| r.id() == "homepage-updates")
            .unwrap();
        let listed: Vec<(String, String, Option<String>, String)> = rule
            .evidence()
            .iter()
            .map(|e| match e.into_owned() {
                Evidence::NewItem {
                    column,
                    title,
                    url,
                    published,
                } => (
                    column.to_string(),
                    title.to_string(),
                    url.map(|u| u.to_string()),
                    published.to_string(),
                ),
                other => panic!("not a new item: {other:?}"),
            })
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "要闻".into(),
                    "a".into(),
                    Some("http://a.gov.cn/1".into()),
                    "2015-06-29".into()
                ),
                ("通知".into(), "b".into(), None, "2015-06-20".into()),
            ]
        );
        assert_eq!(rule.evidence().len(), 2);
        let json = serde_json::to_value(rule.evidence()).unwrap();
        assert_eq!(json[0]["kind"], "new_item");
        assert_eq!(json[1].get("url"), None);
    }
}
/// A link group as the evidence a report lists.
impl crate::eval::scan::LinkGroups {
    /// The evidence record of `g`'s target in `scope`, if it is in it.
    pub(crate) fn record(
        &self,
        g: &LinkGroup,
        broken: &[crate::model::observation::BrokenLink],
        scope: LinkScope,
    ) -> Option<Evidence> {
        if !g.in_scope(scope) {
            return None;
        }
        let b = broken.get(g.first as usize)?;
        Some(Evidence::BrokenLink {
            url: b.url.clone(),
            found_on: self.pages(g, broken)?,
            scope: Cow::Borrowed(if g.on_home { "homepage" } else { "other" }),
            depth: g.depth,
            link_kind: Cow::Borrowed(match b.kind {
                LinkKind::Page => "page",
                LinkKind::Image => "image",
                LinkKind::Attachment => "attachment",
                LinkKind::External => "external",
            }),
            status: b.status,
            error: b.error.clone(),
            counted: match scope {
                LinkScope::Homepage => g.home,
                LinkScope::Other => g.other,
                LinkScope::All => g.home + g.other,
            },
        })
    }
}
