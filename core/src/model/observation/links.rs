//! Broken links (raw findings or counts), links left unchecked, and the pages a probe did not visit.

use super::*;

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
