//! The site observed: its name, address, kind and 网站标识码.

use super::*;

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
