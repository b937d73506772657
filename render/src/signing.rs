//! Who hands a 上报表 in: the 网站主管单位 in its header and the fields the unit signs and stamps under the table
//! (填报单位（盖章）, 单位负责人, 审核人, 填报人, 联系电话, 填报日期). Filled from the site's profile (`[head]`,
//! `[contact]`) or the command line; a field left empty is printed as a line for the ink.

use pucha_core::Lang;

/// The hand-in fields of a 上报表; `None` is a blank line to fill in by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signing {
    /// 网站主管单位, shown in the header.
    pub authority: Option<String>,
    /// 填报单位, beside the stamp.
    pub unit: Option<String>,
    /// 单位负责人.
    pub head: Option<String>,
    /// 审核人.
    pub reviewer: Option<String>,
    /// 填报人.
    pub filler: Option<String>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 填报日期.
    pub date: Option<String>,
}

impl Signing {
    /// `self` with every field `other` has set taken from `other` (the command line over the profile).
    #[must_use]
    pub fn overridden_by(self, other: &Signing) -> Signing {
        let pick = |mine: Option<String>, theirs: &Option<String>| theirs.clone().or(mine);
        Signing {
            authority: pick(self.authority, &other.authority),
            unit: pick(self.unit, &other.unit),
            head: pick(self.head, &other.head),
            reviewer: pick(self.reviewer, &other.reviewer),
            filler: pick(self.filler, &other.filler),
            phone: pick(self.phone, &other.phone),
            date: pick(self.date, &other.date),
        }
    }

    /// The signed fields in the form's order, with their labels in `lang`: 填报单位（盖章） first, on a line of its
    /// own with room for the stamp.
    pub fn fields(&self, lang: Lang) -> [(&'static str, Option<&str>); 6] {
        let zh = lang == Lang::Zh;
        [
            (
                if zh {
                    "填报单位（盖章）"
                } else {
                    "Reporting unit (seal)"
                },
                self.unit.as_deref(),
            ),
            (
                if zh { "单位负责人" } else { "Head of unit" },
                self.head.as_deref(),
            ),
            (
                if zh { "审核人" } else { "Reviewed by" },
                self.reviewer.as_deref(),
            ),
            (if zh { "填报人" } else { "Filled in by" }, self.filler.as_deref()),
            (if zh { "联系电话" } else { "Telephone" }, self.phone.as_deref()),
            (if zh { "填报日期" } else { "Date" }, self.date.as_deref()),
        ]
    }
}

/// A callback giving each report's [`Signing`] (a campaign's sites each have their own profile).
pub type SigningOf<'a> = &'a dyn Fn(&pucha_core::stored::StoredReport) -> Signing;
