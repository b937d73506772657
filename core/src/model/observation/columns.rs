//! Columns (栏目) with their items or summary facts, their categories (附件4), and counted homepage updates.

use super::*;

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
