//! Services (服务实用): guides with their elements and attachments, online systems.

use super::*;

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
