//! The observation contract `pucha.observation/1`: one site at one monitoring point.
//!
//! Every fact may be given raw (evidence) or pre-counted. A fact that is absent is `no_data`, never zero.
//! Unknown fields are rejected with the closest known field suggested.

use crate::model::date::LocalDate;
use crate::model::error::{Error, ErrorKind};
use crate::model::from_str::parse_str;
use crate::model::window::Span;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The schema tag of observations this version reads.
pub const OBSERVATION_SCHEMA: &str = "pucha.observation/1";

/// What a [`StrList`], a [`Tally`] and [`Activities`] expect, in type errors.
pub(crate) const STR_LIST_EXPECTING: &str = "a string or a list of strings";
pub(crate) const TALLY_EXPECTING: &str = "a non-negative count or a list of names or URLs";
pub(crate) const ACTIVITIES_EXPECTING: &str = "a list of `{date, title?}` or a non-negative count";

/// The largest observation text accepted, in bytes (256 MiB).
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// One site at one monitoring point (监测时间点).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// `"pucha.observation/1"`; may be omitted.
    #[serde(default)]
    pub schema: Option<String>,
    /// The 监测时间点: a date or a timestamp with offset.
    pub monitoring_point: LocalDate,
    /// The site observed (shared with the reports made from it).
    pub site: Arc<Site>,
    /// Homepage availability samples or counts.
    #[serde(default)]
    pub availability: Option<Availability>,
    /// Broken links found, or counts.
    #[serde(default)]
    pub links: Option<Links>,
    /// The site's columns (栏目) with their items or summary facts (shared with the reports that list new homepage
    /// items as evidence).
    #[serde(default)]
    pub columns: Option<Arc<Vec<Column>>>,
    /// Counted homepage updates.
    #[serde(default)]
    pub homepage: Option<HomepageCounts>,
    /// Interaction channels (互动回应).
    #[serde(default)]
    pub interaction: Option<Interaction>,
    /// Service guides and online systems (服务实用).
    #[serde(default)]
    pub services: Option<Services>,
    /// Content findings (serious errors); absent means the text was not screened.
    #[serde(default)]
    pub content_findings: Option<Vec<ContentFinding>>,
    /// Who or what produced the observation; free-form and never scored, except its `not_visited` list (read into
    /// [`Observation::not_visited`]). Builds without the feature `fast-json` (the WebAssembly modules) check that it
    /// is JSON but do not keep it.
    #[serde(default)]
    pub provenance: Option<serde_json::Value>,
    /// The pages not visited, from `provenance.not_visited[]` (`{url, reason}`); the report warns of them.
    #[serde(skip)]
    pub not_visited: Vec<NotVisited>,
}

/// The site observed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// 网站名称.
    pub name: String,
    /// 首页网址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `portal` (地方人民政府或国务院部门门户网站) or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SiteKind>,
    /// 网站标识码: `bm` + 8 digits, or 10 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<SiteId>,
    /// The homepage only navigates (导航页); second-level pages stand in for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub homepage_navigation_only: bool,
    /// False for a State Council department site without external-service functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offers_services: Option<bool>,
    /// 地区 (for roll-ups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// 部门 (for roll-ups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// Kind of site, which sets some thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// 地方人民政府门户网站 or 国务院部门门户网站.
    Portal,
    /// Any other government website.
    Other,
}

impl SiteKind {
    /// Read `portal` / `other` or their Chinese forms.
    pub fn parse(s: &str) -> Option<SiteKind> {
        match s {
            "portal" | "门户网站" | "门户" | "政府门户网站" => Some(SiteKind::Portal),
            "other" | "其他" | "其他网站" => Some(SiteKind::Other),
            _ => None,
        }
    }

    /// `portal` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Portal => "portal",
            SiteKind::Other => "other",
        }
    }

    /// Read as [`SiteKind::parse`], or the message of an unknown kind.
    pub(crate) fn from_text(s: &str) -> Result<SiteKind, String> {
        SiteKind::parse(s).ok_or_else(|| {
            format!("unknown variant `{s}`, expected `portal` or `other` (or 门户网站 / 其他)")
        })
    }
}

impl<'de> Deserialize<'de> for SiteKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, SiteKind::from_text)
    }
}

/// A 网站标识码, checked for form only (the 校验码 is secret and never derived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SiteId(pub String);

impl SiteId {
    /// Check the form: `bm` + 8 digits, or 10 digits.
    pub fn parse(s: &str) -> Option<SiteId> {
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        (s.strip_prefix("bm").is_some_and(|rest| digits(rest, 8)) || digits(s, 10))
            .then(|| SiteId(s.to_string()))
    }

    /// Read as [`SiteId::parse`], or the message of a malformed id.
    pub(crate) fn from_text(s: &str) -> Result<SiteId, String> {
        SiteId::parse(s).ok_or_else(|| {
            format!(
                "invalid value `{s}`: a 网站标识码 is `bm` + 8 digits (e.g. `bm07000001`) or 10 digits (e.g. `1100000088`)"
            )
        })
    }
}

impl<'de> Deserialize<'de> for SiteId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, SiteId::from_text)
    }
}

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

/// Broken links: raw findings or counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// Each broken or wrong link (shared with the reports that list them as evidence).
    #[serde(default)]
    pub broken: Option<Arc<Vec<BrokenLink>>>,
    /// How many links were checked.
    #[serde(default)]
    pub checked: Option<u64>,
    /// Counted: broken links on the homepage.
    #[serde(default)]
    pub homepage_broken: Option<u64>,
    /// Counted: broken links on other pages.
    #[serde(default)]
    pub other_broken: Option<u64>,
    /// `false` when the check stopped at a cap: the broken links (listed or counted) are then a lower bound and
    /// the deduction's maximum is unbounded. Absent means complete.
    #[serde(default)]
    pub complete: Option<bool>,
    /// Links found but not checkable (cross-origin from a browser, refused): each could be broken.
    #[serde(default)]
    pub unchecked: Option<Unchecked>,
}

/// Links found but not checked, by where they were found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unchecked {
    /// On the homepage (each could cost 1 point).
    #[serde(default)]
    pub homepage: u64,
    /// On other pages (each could cost 0.1 point).
    #[serde(default)]
    pub other: u64,
}

/// A page the producer of an observation did not visit (`provenance.not_visited[]`): the facts that depended on
/// it are missing data, never zero and never "unusable".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotVisited {
    /// The page's address.
    pub url: String,
    /// Why it was not visited.
    pub reason: NotVisitedReason,
}

/// Why a page was not visited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotVisitedReason {
    /// robots.txt disallows it.
    Robots,
    /// It resolves to a private address, which the probe refuses.
    PrivateAddress,
    /// The crawl's page budget was spent.
    PageBudget,
    /// A bot wall (challenge page, captcha) answered instead.
    BotWall,
    /// The prober's own fault (its network, its resources).
    ProberFault,
    /// A browser cannot read it (another origin without CORS).
    CrossOrigin,
}

impl NotVisitedReason {
    pub(crate) const ALL: [(NotVisitedReason, &'static str); 6] = [
        (NotVisitedReason::Robots, "robots"),
        (NotVisitedReason::PrivateAddress, "private_address"),
        (NotVisitedReason::PageBudget, "page_budget"),
        (NotVisitedReason::BotWall, "bot_wall"),
        (NotVisitedReason::ProberFault, "prober_fault"),
        (NotVisitedReason::CrossOrigin, "cross_origin"),
    ];

    /// Read its snake_case key, or the message of an unknown reason.
    pub(crate) fn from_text(s: &str) -> Result<NotVisitedReason, String> {
        from_key(s, &NotVisitedReason::ALL)
    }

    /// Its snake_case key (`robots`, `private_address`, …).
    pub fn as_str(self) -> &'static str {
        NotVisitedReason::ALL
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("", |(_, k)| k)
    }

    /// What it means, in Chinese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            NotVisitedReason::Robots => ("robots.txt 禁止", "robots.txt disallows"),
            NotVisitedReason::PrivateAddress => ("私有地址，已拒绝", "private address, refused"),
            NotVisitedReason::PageBudget => ("超出页面预算", "page budget spent"),
            NotVisitedReason::BotWall => ("反爬虫拦截", "bot wall"),
            NotVisitedReason::ProberFault => ("检测方自身故障", "prober's own fault"),
            NotVisitedReason::CrossOrigin => (
                "跨域，浏览器中无法检查",
                "another origin, not checkable from a browser",
            ),
        }
    }
}

/// One broken or wrong link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenLink {
    /// The link target.
    pub url: Arc<str>,
    /// The page or pages it was found on.
    #[serde(default)]
    pub found_on: StrList,
    /// 0 = homepage, 1 = second-level page, 2+ = other.
    pub depth: u32,
    /// What the link points at.
    #[serde(default = "LinkKind::page")]
    pub kind: LinkKind,
    /// HTTP status, if any.
    #[serde(default)]
    pub status: Option<u16>,
    /// Error text, if any.
    #[serde(default)]
    pub error: Option<Arc<str>>,
}

/// What a link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A page.
    Page,
    /// An image.
    Image,
    /// An attachment (document, archive …).
    Attachment,
    /// A link to another site.
    External,
}

impl LinkKind {
    fn page() -> LinkKind {
        LinkKind::Page
    }

    /// Read its snake_case key, or the message of an unknown kind.
    pub(crate) fn from_text(s: &str) -> Result<LinkKind, String> {
        from_key(
            s,
            &[
                (LinkKind::Page, "page"),
                (LinkKind::Image, "image"),
                (LinkKind::Attachment, "attachment"),
                (LinkKind::External, "external"),
            ],
        )
    }
}

impl<'de> Deserialize<'de> for LinkKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, LinkKind::from_text)
    }
}

/// A string or a list of strings, read as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct StrList(pub Arc<[Arc<str>]>);

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(STR_LIST_EXPECTING)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<StrList, E> {
                Ok(StrList(Arc::from([Arc::from(s)])))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrList, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<Arc<str>>()? {
                    v.push(s);
                }
                Ok(StrList(Arc::from(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Column category (附件4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 机构设置及职能.
    Organization,
    /// 工作动态, also 要闻.
    Dynamics,
    /// 通知公告.
    Notice,
    /// 政策文件.
    Policy,
    /// 规划计划.
    Plan,
    /// 人事信息.
    Personnel,
    /// 政务咨询.
    Consultation,
    /// 调查征集.
    Survey,
    /// 互动访谈.
    Interview,
    /// 办事指南.
    Guide,
    /// 在线（申报、查询）系统.
    OnlineSystem,
    /// 其他.
    Other,
}

/// Every category with its English key and the Chinese labels accepted for it.
pub const CATEGORIES: &[(Category, &str, &[&str])] = &[
    (
        Category::Organization,
        "organization",
        &["机构设置及职能", "机构设置", "机构职能"],
    ),
    (Category::Dynamics, "dynamics", &["工作动态", "要闻", "动态"]),
    (Category::Notice, "notice", &["通知公告"]),
    (Category::Policy, "policy", &["政策文件"]),
    (Category::Plan, "plan", &["规划计划"]),
    (Category::Personnel, "personnel", &["人事信息"]),
    (Category::Consultation, "consultation", &["政务咨询"]),
    (Category::Survey, "survey", &["调查征集"]),
    (Category::Interview, "interview", &["互动访谈"]),
    (Category::Guide, "guide", &["办事指南"]),
    (
        Category::OnlineSystem,
        "online_system",
        &["在线系统", "在线（申报、查询）系统", "在线申报", "在线查询"],
    ),
    (Category::Other, "other", &["其他"]),
];

impl Category {
    /// Read an English key or a Chinese label.
    pub fn parse(s: &str) -> Option<Category> {
        CATEGORIES
            .iter()
            .find(|(_, en, zh)| *en == s || zh.contains(&s))
            .map(|(c, _, _)| *c)
    }

    /// The English key.
    pub fn key(self) -> &'static str {
        CATEGORIES
            .iter()
            .find(|(c, _, _)| *c == self)
            .map(|(_, en, _)| *en)
            .unwrap_or("other")
    }

    /// The first Chinese label.
    pub fn zh(self) -> &'static str {
        CATEGORIES
            .iter()
            .find(|(c, _, _)| *c == self)
            .and_then(|(_, _, zh)| zh.first().copied())
            .unwrap_or("其他")
    }

    /// Read as [`Category::parse`], or the message of an unknown category.
    pub(crate) fn from_text(s: &str) -> Result<Category, String> {
        Category::parse(s).ok_or_else(|| {
            let keys: Vec<String> = CATEGORIES.iter().map(|(_, en, _)| format!("`{en}`")).collect();
            format!(
                "unknown variant `{s}`, expected one of {} (or a Chinese label such as `工作动态`)",
                keys.join(", ")
            )
        })
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, Category::from_text)
    }
}

/// One column (栏目).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column name as shown.
    pub name: Arc<str>,
    /// Category (English key or Chinese label).
    pub category: Category,
    /// Column list page.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Shown on the homepage.
    #[serde(default)]
    pub on_homepage: bool,
    /// 1 = 一级栏目, 2 = sub-column, …
    #[serde(default)]
    pub level: Option<u32>,
    /// Marked as a column that should be updated (应更新栏目).
    #[serde(default)]
    pub should_update: bool,
    /// Its update cycle (`1mo`, `3个月`); the pack's default cycle otherwise.
    #[serde(default)]
    pub update_cycle: Option<SpanValue>,
    /// Items listed, raw.
    #[serde(default)]
    pub items: Option<Vec<Item>>,
    /// Counted: newest publication date.
    #[serde(default)]
    pub last_published: Option<LocalDate>,
    /// Counted: how many items it has.
    #[serde(default)]
    pub item_count: Option<u64>,
    /// Counted: the column exists but has no content at all.
    #[serde(default)]
    pub blank: Option<bool>,
    /// 基本信息 accuracy findings in this column.
    #[serde(default)]
    pub inaccurate: Option<u64>,
}

/// A window length given in an observation (`3mo`, `1年`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanValue(pub Span);

impl SpanValue {
    /// Read a window length, or the message of a malformed one.
    pub(crate) fn from_text(s: &str) -> Result<SpanValue, String> {
        Span::parse(s).map(SpanValue).ok_or_else(|| {
            format!("invalid value `{s}`: expected a length such as `2w`, `6mo`, `1y`, `15d` (or `2周`, `6个月`, `1年`)")
        })
    }
}

impl<'de> Deserialize<'de> for SpanValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, SpanValue::from_text)
    }
}

/// One listed item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Title as shown.
    pub title: Arc<str>,
    /// Link to the item.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Publication date; `null` or absent for an undated item (never an update).
    #[serde(default)]
    pub published: Option<LocalDate>,
}

/// Counted homepage updates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomepageCounts {
    /// New items in homepage columns in the 2-week window, as counted by the data's producer.
    pub updates_in_window: u64,
}

/// Interaction channels (互动回应).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// 政务咨询类.
    #[serde(default)]
    pub consultation: Option<Consultation>,
    /// 调查征集类.
    #[serde(default)]
    pub survey: Option<Channel>,
    /// 互动访谈类.
    #[serde(default)]
    pub interview: Option<Channel>,
}

/// The consultation channel (政务咨询类栏目).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// The site has such a column.
    pub exists: bool,
    /// The column opens and its form submits (default true).
    #[serde(default)]
    pub usable: Option<bool>,
    /// Column name.
    #[serde(default)]
    pub name: Option<Arc<str>>,
    /// Column URL.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Every message, raw.
    #[serde(default)]
    pub messages: Option<Vec<Message>>,
    /// Counted: valid messages asked in the 1-year window.
    #[serde(default)]
    pub valid_messages: Option<u64>,
    /// Counted: messages in the window that waited more than 3 months.
    #[serde(default)]
    pub overdue_messages: Option<u64>,
    /// Counted: answers given in the pack's answer window.
    #[serde(default)]
    pub answers_in_window: Option<u64>,
}

/// One consultation message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// When it was asked.
    pub asked: LocalDate,
    /// When it was answered; `null` if not yet.
    #[serde(default)]
    pub answered: Option<LocalDate>,
    /// Valid letter (not spam, duplicate or test); default true.
    #[serde(default = "yes")]
    pub valid: bool,
    /// Title, if known.
    #[serde(default)]
    pub title: Option<Arc<str>>,
    /// Link, if known.
    #[serde(default)]
    pub url: Option<Arc<str>>,
}

fn yes() -> bool {
    true
}

/// A survey or interview channel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The site has such a column.
    pub exists: bool,
    /// The column opens and works (default true).
    #[serde(default)]
    pub usable: Option<bool>,
    /// Column name.
    #[serde(default)]
    pub name: Option<Arc<str>>,
    /// Column URL.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Activities held: a list with dates, or a count for the 1-year window.
    #[serde(default)]
    pub activities: Option<Activities>,
}

/// Activities as a dated list or as a count.
#[derive(Debug, Clone)]
pub enum Activities {
    /// Each activity with its date.
    List(Vec<Activity>),
    /// Counted for the 1-year window.
    Count(u64),
}

impl<'de> Deserialize<'de> for Activities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Activities;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ACTIVITIES_EXPECTING)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Activities, E> {
                Ok(Activities::Count(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Activities, E> {
                u64::try_from(n)
                    .map(Activities::Count)
                    .map_err(|_| E::custom(format_args!("invalid value: integer `{n}`, expected u64")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Activities, A::Error> {
                Vec::<Activity>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Activities::List)
            }
        }
        d.deserialize_any(V)
    }
}

/// One survey, consultation exercise or interview.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// When it was held or opened.
    pub date: LocalDate,
    /// Title, if known.
    #[serde(default)]
    pub title: Option<Arc<str>>,
    /// Link, if known.
    #[serde(default)]
    pub url: Option<Arc<str>>,
}

/// Services (服务实用): guides and online systems, raw or counted.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// Each service guide checked.
    #[serde(default)]
    pub guides: Option<Vec<Guide>>,
    /// Each online application or query system.
    #[serde(default)]
    pub online_systems: Option<Vec<OnlineSystem>>,
    /// Counted: guides checked.
    #[serde(default)]
    pub guide_count: Option<u64>,
    /// Counted: element categories missing from some guide (0–8).
    #[serde(default)]
    pub missing_element_categories: Option<u64>,
    /// Counted: inaccurate guide elements.
    #[serde(default)]
    pub inaccurate_elements: Option<u64>,
    /// Counted: forms mentioned but not offered for download.
    #[serde(default)]
    pub attachments_not_offered: Option<u64>,
    /// Counted: attachments that cannot be downloaded.
    #[serde(default)]
    pub attachments_broken: Option<u64>,
    /// Counted: online systems checked.
    #[serde(default)]
    pub online_system_count: Option<u64>,
    /// Counted: online systems that cannot be reached.
    #[serde(default)]
    pub online_systems_unreachable: Option<u64>,
}

/// One service guide (办事指南).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// 事项名称.
    pub name: Arc<str>,
    /// Guide page.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Element categories the guide lacks.
    #[serde(default)]
    pub missing_elements: Vec<GuideElement>,
    /// Element categories whose content is inaccurate.
    #[serde(default)]
    pub inaccurate_elements: Vec<GuideElement>,
    /// Forms mentioned but not offered: a count or their names.
    #[serde(default)]
    pub attachments_not_offered: Tally,
    /// Attachments that cannot be downloaded: a count or their URLs.
    #[serde(default)]
    pub attachments_broken: Tally,
}

/// A count given as a number or as a list of names/URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// Their names or URLs, when given as a list.
    pub items: Vec<Arc<str>>,
}

impl<'de> Deserialize<'de> for Tally {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tally;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(TALLY_EXPECTING)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Tally, E> {
                Ok(Tally {
                    count: n,
                    items: Vec::new(),
                })
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Tally, E> {
                u64::try_from(n)
                    .map(|count| Tally {
                        count,
                        items: Vec::new(),
                    })
                    .map_err(|_| E::custom(format_args!("invalid value: integer `{n}`, expected u64")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tally, A::Error> {
                let mut items = Vec::new();
                while let Some(s) = seq.next_element::<Arc<str>>()? {
                    items.push(s);
                }
                Ok(Tally {
                    count: items.len() as u64,
                    items,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The eight element categories of a service guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideElement {
    /// 事项名称.
    Name,
    /// 设定依据.
    Basis,
    /// 申请条件.
    Conditions,
    /// 办理材料.
    Materials,
    /// 办理地点.
    Location,
    /// 办理时间.
    Hours,
    /// 联系电话.
    Phone,
    /// 办理流程.
    Process,
}

/// Every guide element with its English key and Chinese name.
pub const GUIDE_ELEMENTS: &[(GuideElement, &str, &str)] = &[
    (GuideElement::Name, "name", "事项名称"),
    (GuideElement::Basis, "basis", "设定依据"),
    (GuideElement::Conditions, "conditions", "申请条件"),
    (GuideElement::Materials, "materials", "办理材料"),
    (GuideElement::Location, "location", "办理地点"),
    (GuideElement::Hours, "hours", "办理时间"),
    (GuideElement::Phone, "phone", "联系电话"),
    (GuideElement::Process, "process", "办理流程"),
];

impl GuideElement {
    /// Read an English key or the Chinese name.
    pub fn parse(s: &str) -> Option<GuideElement> {
        GUIDE_ELEMENTS
            .iter()
            .find(|(_, en, zh)| *en == s || *zh == s)
            .map(|(e, _, _)| *e)
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        GUIDE_ELEMENTS
            .iter()
            .find(|(e, _, _)| *e == self)
            .map(|(_, _, zh)| *zh)
            .unwrap_or("")
    }

    /// The English key.
    pub fn key(self) -> &'static str {
        GUIDE_ELEMENTS
            .iter()
            .find(|(e, _, _)| *e == self)
            .map(|(_, en, _)| *en)
            .unwrap_or("")
    }

    /// Read as [`GuideElement::parse`], or the message of an unknown element.
    pub(crate) fn from_text(s: &str) -> Result<GuideElement, String> {
        GuideElement::parse(s).ok_or_else(|| {
            let keys: Vec<String> = GUIDE_ELEMENTS
                .iter()
                .map(|(_, en, zh)| format!("`{en}` ({zh})"))
                .collect();
            format!("unknown variant `{s}`, expected one of {}", keys.join(", "))
        })
    }
}

impl<'de> Deserialize<'de> for GuideElement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, GuideElement::from_text)
    }
}

/// One online application or query system.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineSystem {
    /// System name.
    pub name: Arc<str>,
    /// Entry URL.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Whether it could be reached.
    pub reachable: bool,
    /// HTTP status, if any.
    #[serde(default)]
    pub status: Option<u16>,
    /// Error text, if any.
    #[serde(default)]
    pub error: Option<Arc<str>>,
}

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

/// The variant whose key is `s`, or serde's message for an unknown variant (its keys are at least three).
fn from_key<T: Copy>(s: &str, keys: &[(T, &str)]) -> Result<T, String> {
    keys.iter()
        .find(|(_, k)| *k == s)
        .map(|(v, _)| *v)
        .ok_or_else(|| {
            let names: Vec<String> = keys.iter().map(|(_, k)| format!("`{k}`")).collect();
            format!("unknown variant `{s}`, expected one of {}", names.join(", "))
        })
}

impl<'de> Deserialize<'de> for FindingKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, FindingKind::from_text)
    }
}

impl Observation {
    /// Checks across fields that the types cannot express (more failures than visits, answers before questions …);
    /// for observations built by other means than the parsers here.
    ///
    /// # Errors
    /// An `inconsistent` (or `missing_field`, `unsupported_schema`) error naming the path.
    pub fn check_consistency(&self) -> Result<(), Error> {
        self.check()
    }

    /// Checks across fields that the types cannot express.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let bad = |path: String, msg: String| Err(Error::new(ErrorKind::Inconsistent, msg).with_path(path));
        if let Some(s) = &self.schema
            && s != OBSERVATION_SCHEMA
        {
            return Err(Error::new(
                ErrorKind::UnsupportedSchema,
                format!("unsupported schema `{s}`, this version reads `{OBSERVATION_SCHEMA}`"),
            )
            .with_path("schema"));
        }
        if let Some(a) = &self.availability {
            if let (Some(v), Some(f)) = (a.visits, a.failures)
                && f > v
            {
                return bad(
                    "availability.failures".into(),
                    format!("{f} failures is more than {v} visits"),
                );
            }
            if a.samples.is_none() && (a.visits.is_none() != a.failures.is_none()) {
                return Err(Error::new(
                    ErrorKind::MissingField,
                    "counted availability needs both `visits` and `failures`",
                )
                .with_path("availability"));
            }
        }
        if let Some(cols) = &self.columns {
            for (i, c) in cols.iter().enumerate() {
                let has_items =
                    c.items.as_ref().is_some_and(|v| !v.is_empty()) || c.item_count.is_some_and(|n| n > 0);
                if c.blank == Some(true) && has_items {
                    return bad(
                        format!("columns[{i}].blank"),
                        format!("column `{}` is marked blank but lists items", c.name),
                    );
                }
            }
        }
        if let Some(i) = &self.interaction {
            let c = i.consultation.as_ref();
            let says_nothing = c.is_none_or(|c| {
                c.exists
                    || (c.messages.as_ref().is_none_or(Vec::is_empty)
                        && c.valid_messages.unwrap_or(0) == 0
                        && c.overdue_messages.unwrap_or(0) == 0
                        && c.answers_in_window.unwrap_or(0) == 0)
            });
            if !says_nothing {
                return bad(
                    "interaction.consultation.exists".into(),
                    "the consultation column does not exist but messages are given".into(),
                );
            }
            for (name, ch) in [("survey", &i.survey), ("interview", &i.interview)] {
                let held = match ch.as_ref().and_then(|c| c.activities.as_ref()) {
                    Some(Activities::Count(n)) => *n > 0,
                    Some(Activities::List(l)) => !l.is_empty(),
                    None => false,
                };
                if ch.as_ref().is_some_and(|c| !c.exists) && held {
                    return bad(
                        format!("interaction.{name}.exists"),
                        format!("the {name} column does not exist but activities are given"),
                    );
                }
            }
        }
        if let Some(c) = self.interaction.as_ref().and_then(|i| i.consultation.as_ref()) {
            for (i, m) in c.messages.iter().flatten().enumerate() {
                if let Some(a) = &m.answered
                    && a.date < m.asked.date
                {
                    return bad(
                        format!("interaction.consultation.messages[{i}].answered"),
                        format!("answered on `{}` before it was asked on `{}`", a.raw, m.asked.raw),
                    );
                }
            }
            if let (Some(v), Some(o)) = (c.valid_messages, c.overdue_messages)
                && o > v
                && c.messages.is_none()
            {
                return bad(
                    "interaction.consultation.overdue_messages".into(),
                    format!("{o} overdue messages is more than {v} valid messages"),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Error {
        Observation::from_json_str(text).unwrap_err()
    }

    const MIN: &str = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}}"#;

    #[test]
    fn minimal_parses() {
        let o = Observation::from_json_str(MIN).unwrap();
        assert!(o.availability.is_none());
    }

    #[test]
    fn unknown_field_suggests() {
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"colums":[]}"#);
        assert_eq!(e.code(), "unknown_field");
        assert_eq!(e.help(), Some("did you mean `columns`?"));
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kidn":"portal"}}"#);
        assert_eq!(e.path(), Some("site.kidn"));
        assert_eq!(e.help(), Some("did you mean `kind`?"));
    }

    #[test]
    fn bad_values_name_their_path() {
        let e = err(r#"{"monitoring_point":"2015-02-30","site":{"name":"x"}}"#);
        assert_eq!((e.code(), e.path()), ("invalid_date", Some("monitoring_point")));
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"availability":{"visits":-1,"failures":0}}"#,
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", Some("availability.visits"))
        );
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"columns":[{"name":"a","category":"news"}]}"#,
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", Some("columns[0].category"))
        );
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x","id":"bm123"}}"#);
        assert_eq!(e.code(), "invalid_value");
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"availability":{"visits":3,"failures":4}}"#,
        );
        assert_eq!(e.code(), "inconsistent");
    }

    #[test]
    fn syntax_and_depth() {
        assert_eq!(err("{").code(), "json_syntax");
        assert_eq!(err(&format!("{MIN} x")).code(), "json_syntax");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // Read straight into the model, a list is the wrong type at once; the lean build reads the tree first and
        // stops at serde_json's depth limit.
        let code = if cfg!(feature = "fast-json") {
            "invalid_type"
        } else {
            "json_syntax"
        };
        assert_eq!(err(&deep).code(), code);
        let nested = format!(
            r#"{{"monitoring_point":"2015-06-30","site":{{"name":"x"}},"provenance":{}{}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(err(&nested).code(), "json_syntax");
    }

    #[test]
    fn chinese_labels() {
        let o = Observation::from_json_str(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kind":"门户网站"},
                "columns":[{"name":"要闻","category":"要闻"}],
                "services":{"guides":[{"name":"g","missing_elements":["联系电话","process"],"attachments_broken":["a.doc"]}]}}"#,
        )
        .unwrap();
        assert_eq!(o.columns.unwrap()[0].category, Category::Dynamics);
        let g = &o.services.unwrap().guides.unwrap()[0];
        assert_eq!(
            g.missing_elements,
            vec![GuideElement::Phone, GuideElement::Process]
        );
        assert_eq!(g.attachments_broken.count, 1);
    }
}
