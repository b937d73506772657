//! The vocabulary of facts a rule pack composes: each fact's name, arguments, type and meaning. Each fact reads
//! the observation (raw evidence first, counts second) and yields a value, its evidence, the resolved window, or
//! `no_data` naming what is missing; the reading itself is `measure`.
//!
//! The list [`FACTS`] is the single source for validation, `pucha rules facts` and `docs/rule-language.md`.

use crate::lang::expr::Ty;
use crate::model::observation::{Category, FindingKind, GuideElement, LinkKind};
use crate::model::ratio::Ratio;
use crate::model::window::Span;
use std::sync::Arc;

/// Arguments a fact may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// `window = "2w"`: the monitoring window.
    Window,
    /// `wait = "3mo"`: the longest allowed wait.
    Wait,
    /// `default_cycle = "1y"`: update cycle of should-update columns that name none.
    DefaultCycle,
    /// `categories = ["dynamics"]`.
    Categories,
    /// `names = ["办事统计"]`: column name contains any.
    Names,
    /// `level = 1`: only columns at this level (a column without a level counts as 1).
    Level,
    /// `on_homepage = true`.
    OnHomepage,
    /// `scope = "homepage" | "other" | "all"`.
    Scope,
    /// `count = "distinct-url" | "occurrence"`.
    Count,
    /// `kinds = [...]`: link kinds or finding kinds.
    Kinds,
    /// `confirmed = true|false`.
    Confirmed,
    /// `timeout_ms = 15000`.
    TimeoutMs,
    /// `elements = [...]`: guide element categories.
    Elements,
}

impl Arg {
    /// The TOML key.
    pub fn key(self) -> &'static str {
        match self {
            Arg::Window => "window",
            Arg::Wait => "wait",
            Arg::DefaultCycle => "default_cycle",
            Arg::Categories => "categories",
            Arg::Names => "names",
            Arg::Level => "level",
            Arg::OnHomepage => "on_homepage",
            Arg::Scope => "scope",
            Arg::Count => "count",
            Arg::Kinds => "kinds",
            Arg::Confirmed => "confirmed",
            Arg::TimeoutMs => "timeout_ms",
            Arg::Elements => "elements",
        }
    }
}

/// Which fact (internal id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactId {
    /// site.kind
    SiteKind,
    /// site.navigation_only
    SiteNavigationOnly,
    /// site.offers_services
    SiteOffersServices,
    /// availability.visits
    AvailVisits,
    /// availability.failures
    AvailFailures,
    /// availability.failure_rate
    AvailRate,
    /// availability.days
    AvailDays,
    /// links.broken
    LinksBroken,
    /// columns.count
    ColumnsCount,
    /// columns.stale
    ColumnsStale,
    /// columns.blank
    ColumnsBlank,
    /// columns.overdue
    ColumnsOverdue,
    /// columns.inaccurate
    ColumnsInaccurate,
    /// homepage.updates
    HomepageUpdates,
    /// consultation.exists etc.
    Exists(ChannelId),
    /// consultation.usable etc.
    Usable(ChannelId),
    /// survey.activities / interview.activities
    Activities(ChannelId),
    /// consultation.valid_messages
    ValidMessages,
    /// consultation.overdue
    OverdueMessages,
    /// consultation.answers
    Answers,
    /// services.guides
    Guides,
    /// services.missing_element_categories
    MissingElements,
    /// services.inaccurate_elements
    InaccurateElements,
    /// services.attachments_not_offered
    AttachmentsNotOffered,
    /// services.attachments_broken
    AttachmentsBroken,
    /// services.online_systems
    OnlineSystems,
    /// services.online_systems_unreachable
    OnlineSystemsUnreachable,
    /// services.offered
    ServicesOffered,
    /// content.findings
    Findings,
}

/// An interaction channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelId {
    /// 政务咨询.
    Consultation,
    /// 调查征集.
    Survey,
    /// 互动访谈.
    Interview,
}

/// How a value reads to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole count.
    Count,
    /// A share, shown as a percentage.
    Rate,
    /// Yes or no.
    Flag,
    /// Text.
    Text,
}

/// One entry of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct FactDef {
    /// Dotted name used in packs.
    pub name: &'static str,
    /// Internal id.
    pub id: FactId,
    /// Value type.
    pub ty: Ty,
    /// How the value reads.
    pub unit: Unit,
    /// Arguments it takes.
    pub args: &'static [Arg],
    /// Default window, if it uses one.
    pub default_window: Option<&'static str>,
    /// What it measures, in Chinese.
    pub zh: &'static str,
    /// What it measures, in English.
    pub en: &'static str,
    /// Observation fields it reads (raw first, then counted).
    pub reads: &'static str,
}

const COL_FILTER: &[Arg] = &[Arg::Categories, Arg::Names, Arg::Level, Arg::OnHomepage];
const COL_WINDOW: &[Arg] = &[
    Arg::Window,
    Arg::Categories,
    Arg::Names,
    Arg::Level,
    Arg::OnHomepage,
];
const COL_OVERDUE: &[Arg] = &[
    Arg::DefaultCycle,
    Arg::Categories,
    Arg::Names,
    Arg::Level,
    Arg::OnHomepage,
];
const AVAIL: &[Arg] = &[Arg::Window, Arg::TimeoutMs];

macro_rules! fact {
    ($name:literal, $id:expr, $ty:ident, $unit:ident, $args:expr, $win:expr, $zh:literal, $en:literal, $reads:literal) => {
        FactDef {
            name: $name,
            id: $id,
            ty: Ty::$ty,
            unit: Unit::$unit,
            args: $args,
            default_window: $win,
            zh: $zh,
            en: $en,
            reads: $reads,
        }
    };
}

use ChannelId::{Consultation as Ch1, Interview as Ch3, Survey as Ch2};

/// Every fact the engine offers.
pub const FACTS: &[FactDef] = &[
    fact!(
        "site.kind",
        FactId::SiteKind,
        Str,
        Text,
        &[],
        None,
        "网站类型（portal/other）",
        "kind of site (`portal` or `other`)",
        "site.kind"
    ),
    fact!(
        "site.navigation_only",
        FactId::SiteNavigationOnly,
        Bool,
        Flag,
        &[],
        None,
        "首页为导航页",
        "the homepage only navigates",
        "site.homepage_navigation_only (default false)"
    ),
    fact!(
        "site.offers_services",
        FactId::SiteOffersServices,
        Bool,
        Flag,
        &[],
        None,
        "网站有对外服务功能",
        "the site offers external services",
        "site.offers_services (default true)"
    ),
    fact!(
        "availability.visits",
        FactId::AvailVisits,
        Num,
        Count,
        AVAIL,
        Some("1w"),
        "窗口内首页访问次数（不含监测方故障）",
        "homepage visits in the window (probe faults excluded)",
        "availability.samples | availability.visits"
    ),
    fact!(
        "availability.failures",
        FactId::AvailFailures,
        Num,
        Count,
        AVAIL,
        Some("1w"),
        "首页访问失败次数（未打开或超时）",
        "failed visits (not opened, or at/over the time limit)",
        "availability.samples | availability.failures"
    ),
    fact!(
        "availability.failure_rate",
        FactId::AvailRate,
        Num,
        Rate,
        AVAIL,
        Some("1w"),
        "首页访问失败率",
        "share of failed visits",
        "availability.samples | availability.visits+failures"
    ),
    fact!(
        "availability.days",
        FactId::AvailDays,
        Num,
        Count,
        AVAIL,
        Some("1w"),
        "有监测记录的天数",
        "days with samples",
        "availability.samples | availability.days"
    ),
    fact!(
        "links.broken",
        FactId::LinksBroken,
        Num,
        Count,
        &[Arg::Scope, Arg::Count, Arg::Kinds],
        None,
        "错链、断链数",
        "broken or wrong links",
        "links.broken | links.homepage_broken, links.other_broken"
    ),
    fact!(
        "columns.count",
        FactId::ColumnsCount,
        Num,
        Count,
        COL_FILTER,
        None,
        "栏目数",
        "matching columns",
        "columns"
    ),
    fact!(
        "columns.stale",
        FactId::ColumnsStale,
        Num,
        Count,
        COL_WINDOW,
        None,
        "窗口内无新信息的栏目数",
        "columns with no new item in the window",
        "columns[].items | last_published, item_count, blank"
    ),
    fact!(
        "columns.blank",
        FactId::ColumnsBlank,
        Num,
        Count,
        COL_FILTER,
        None,
        "空白栏目数（栏目存在但无任何内容）",
        "blank columns (exist, no content at all)",
        "columns[].items | item_count, blank, last_published"
    ),
    fact!(
        "columns.overdue",
        FactId::ColumnsOverdue,
        Num,
        Count,
        COL_OVERDUE,
        None,
        "应更新而超过更新周期未更新的栏目数",
        "should-update columns not updated within their cycle",
        "columns[].should_update, update_cycle, items | last_published"
    ),
    fact!(
        "columns.inaccurate",
        FactId::ColumnsInaccurate,
        Num,
        Count,
        COL_FILTER,
        None,
        "基本信息不准确条数",
        "inaccurate items of basic information",
        "columns[].inaccurate"
    ),
    fact!(
        "homepage.updates",
        FactId::HomepageUpdates,
        Num,
        Count,
        &[Arg::Window],
        Some("2w"),
        "首页栏目窗口内新信息条数（去重）",
        "new items in homepage columns in the window (each once)",
        "columns[on_homepage].items | homepage.updates_in_window"
    ),
    fact!(
        "consultation.exists",
        FactId::Exists(Ch1),
        Bool,
        Flag,
        &[],
        None,
        "有政务咨询类栏目",
        "a consultation column exists",
        "interaction.consultation.exists"
    ),
    fact!(
        "consultation.usable",
        FactId::Usable(Ch1),
        Bool,
        Flag,
        &[],
        None,
        "政务咨询类栏目可用",
        "the consultation column works",
        "interaction.consultation.usable (default true)"
    ),
    fact!(
        "consultation.valid_messages",
        FactId::ValidMessages,
        Num,
        Count,
        &[Arg::Window],
        Some("1y"),
        "窗口内有效留言数",
        "valid messages asked in the window",
        "interaction.consultation.messages | valid_messages"
    ),
    fact!(
        "consultation.overdue",
        FactId::OverdueMessages,
        Num,
        Count,
        &[Arg::Window, Arg::Wait],
        Some("1y"),
        "窗口内超过答复时限的留言数",
        "messages in the window that waited longer than `wait`",
        "interaction.consultation.messages | overdue_messages"
    ),
    fact!(
        "consultation.answers",
        FactId::Answers,
        Num,
        Count,
        &[Arg::Window],
        Some("2mo"),
        "窗口内答复条数",
        "answers given in the window",
        "interaction.consultation.messages | answers_in_window"
    ),
    fact!(
        "survey.exists",
        FactId::Exists(Ch2),
        Bool,
        Flag,
        &[],
        None,
        "有调查征集类栏目",
        "a survey column exists",
        "interaction.survey.exists"
    ),
    fact!(
        "survey.usable",
        FactId::Usable(Ch2),
        Bool,
        Flag,
        &[],
        None,
        "调查征集类栏目可用",
        "the survey column works",
        "interaction.survey.usable (default true)"
    ),
    fact!(
        "survey.activities",
        FactId::Activities(Ch2),
        Num,
        Count,
        &[Arg::Window],
        Some("1y"),
        "窗口内调查征集活动次数",
        "survey or consultation activities in the window",
        "interaction.survey.activities"
    ),
    fact!(
        "interview.exists",
        FactId::Exists(Ch3),
        Bool,
        Flag,
        &[],
        None,
        "有互动访谈类栏目",
        "an interview column exists",
        "interaction.interview.exists"
    ),
    fact!(
        "interview.usable",
        FactId::Usable(Ch3),
        Bool,
        Flag,
        &[],
        None,
        "互动访谈类栏目可用",
        "the interview column works",
        "interaction.interview.usable (default true)"
    ),
    fact!(
        "interview.activities",
        FactId::Activities(Ch3),
        Num,
        Count,
        &[Arg::Window],
        Some("1y"),
        "窗口内访谈次数",
        "interviews held in the window",
        "interaction.interview.activities"
    ),
    fact!(
        "services.guides",
        FactId::Guides,
        Num,
        Count,
        &[],
        None,
        "检查的办事指南数",
        "service guides checked",
        "services.guides | guide_count"
    ),
    fact!(
        "services.missing_element_categories",
        FactId::MissingElements,
        Num,
        Count,
        &[Arg::Elements],
        None,
        "办事指南缺失要素类别数（每类计一次）",
        "guide element categories missing from some guide (each once)",
        "services.guides[].missing_elements | missing_element_categories"
    ),
    fact!(
        "services.inaccurate_elements",
        FactId::InaccurateElements,
        Num,
        Count,
        &[],
        None,
        "办事指南要素不准确数（待人工复核）",
        "inaccurate guide elements (for review)",
        "services.guides[].inaccurate_elements | inaccurate_elements"
    ),
    fact!(
        "services.attachments_not_offered",
        FactId::AttachmentsNotOffered,
        Num,
        Count,
        &[],
        None,
        "提及但未提供下载的表格附件数",
        "forms mentioned but not offered for download",
        "services.guides[].attachments_not_offered | attachments_not_offered"
    ),
    fact!(
        "services.attachments_broken",
        FactId::AttachmentsBroken,
        Num,
        Count,
        &[],
        None,
        "无法下载的表格附件数",
        "attachments that cannot be downloaded",
        "services.guides[].attachments_broken | attachments_broken"
    ),
    fact!(
        "services.online_systems",
        FactId::OnlineSystems,
        Num,
        Count,
        &[],
        None,
        "在线系统数",
        "online systems checked",
        "services.online_systems | online_system_count"
    ),
    fact!(
        "services.online_systems_unreachable",
        FactId::OnlineSystemsUnreachable,
        Num,
        Count,
        &[],
        None,
        "无法访问的在线系统数",
        "online systems that cannot be reached",
        "services.online_systems | online_systems_unreachable"
    ),
    fact!(
        "services.offered",
        FactId::ServicesOffered,
        Num,
        Count,
        &[],
        None,
        "提供的服务数（办事指南+在线系统）",
        "services offered (guides + online systems)",
        "services"
    ),
    fact!(
        "content.findings",
        FactId::Findings,
        Num,
        Count,
        &[Arg::Confirmed, Arg::Kinds],
        None,
        "内容问题数（严重错别字、虚假内容、违禁内容）",
        "content findings (serious typos, false or prohibited content)",
        "content_findings"
    ),
];

/// Look a fact up by name.
pub fn lookup(name: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.name == name)
}

/// [`FACTS`] without what each measures and reads: what a build that only scores (the browser's main module, which
/// never describes a fact) looks facts up in, so that it carries none of the descriptions.
#[cfg(all(
    feature = "compiled-packs",
    not(any(feature = "builtin-packs", feature = "toml-packs"))
))]
static SCORING_FACTS: [FactDef; FACTS.len()] = {
    let mut defs = [FACTS[0]; FACTS.len()];
    let mut i = 0;
    while i < defs.len() {
        defs[i] = FactDef {
            zh: "",
            en: "",
            reads: "",
            ..FACTS[i]
        };
        i += 1;
    }
    defs
};

#[cfg(all(
    test,
    feature = "compiled-packs",
    not(any(feature = "builtin-packs", feature = "toml-packs"))
))]
mod scoring_facts_tests {
    use super::*;

    /// The scoring build's facts are the vocabulary's, in the same order, with the descriptions left out.
    #[test]
    fn scoring_facts_are_the_vocabulary_without_descriptions() {
        assert_eq!(SCORING_FACTS.len(), FACTS.len());
        for (lean, full) in SCORING_FACTS.iter().zip(FACTS) {
            let blank = FactDef {
                zh: "",
                en: "",
                reads: "",
                ..*full
            };
            assert_eq!(format!("{lean:?}"), format!("{blank:?}"));
            assert!(std::ptr::eq(lookup_for_scoring(full.name).unwrap_or(full), lean));
        }
    }
}

/// [`lookup`] for decoding a compiled pack: in a build that only scores, the fact without its description.
#[cfg(feature = "compiled-packs")]
pub(crate) fn lookup_for_scoring(name: &str) -> Option<&'static FactDef> {
    #[cfg(not(any(feature = "builtin-packs", feature = "toml-packs")))]
    return SCORING_FACTS.iter().find(|f| f.name == name);
    #[cfg(any(feature = "builtin-packs", feature = "toml-packs"))]
    lookup(name)
}

/// A window-like argument: a literal or a pack parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpanArg {
    /// Fixed.
    Lit(Span),
    /// From the parameter at this index.
    Param(usize),
}

/// A text argument: a literal or a pack parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextArg {
    /// Fixed.
    Lit(String),
    /// From the parameter at this index.
    Param(usize),
}

/// Where links count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkScope {
    /// Depth 0 (navigation-only homepage: depth ≤ 1).
    Homepage,
    /// Everything else, excluding targets counted on the homepage.
    Other,
    /// Both.
    All,
}

/// Resolved arguments of one measure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Args {
    /// Window.
    pub window: Option<SpanArg>,
    /// Wait limit.
    pub wait: Option<SpanArg>,
    /// Default update cycle.
    pub default_cycle: Option<SpanArg>,
    /// Category filter.
    pub categories: Option<Vec<Category>>,
    /// Name keywords.
    pub names: Option<Vec<String>>,
    /// Level filter.
    pub level: Option<u32>,
    /// Homepage filter.
    pub on_homepage: Option<bool>,
    /// Link scope.
    pub scope: Option<LinkScope>,
    /// Link count mode.
    pub count: Option<TextArg>,
    /// Link kind filter.
    pub link_kinds: Option<Vec<LinkKind>>,
    /// Finding kind filter.
    pub finding_kinds: Option<Vec<FindingKind>>,
    /// Confirmed filter.
    pub confirmed: Option<bool>,
    /// Time limit for a visit.
    pub timeout_ms: Option<u64>,
    /// Guide element filter.
    pub elements: Option<Vec<GuideElement>>,
}

/// A resolved parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A number.
    Num(Ratio),
    /// Text.
    Text(Arc<str>),
    /// A boolean.
    Bool(bool),
    /// A window length.
    Span(Span),
}
