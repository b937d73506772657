//! The hand-in fields of a 上报表 (`--profile`, `--unit`, `--signer`, `--reviewer`, `--contact`, `--phone`,
//! `--sign-date`, `--authority`), shared by every command that writes one, and a site profile's share of them.

use pucha_core::stored::StoredReport;
use pucha_core::{Error, ErrorKind};
use pucha_probes::profile::SiteProfile;
use pucha_render::signing::Signing;
use std::collections::HashMap;

/// Who hands the 上报表 in; unset fields print as lines to fill in by hand.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct HandIn {
    /// 上报表：从网站信息表（附件3，TOML/JSON）填入网站主管单位、单位负责人、填报人与联系电话 / 上报表: fill the
    /// authority, head of unit, contact and phone from the site's profile
    #[arg(long = "profile", value_name = "FILE", help_heading = "上报表 Hand-in")]
    sign_profile: Option<String>,
    /// 填报单位（盖章处）/ the reporting unit, beside the seal
    #[arg(long, value_name = "NAME", help_heading = "上报表 Hand-in")]
    unit: Option<String>,
    /// 网站主管单位 / the site's authority
    #[arg(long, value_name = "NAME", help_heading = "上报表 Hand-in")]
    authority: Option<String>,
    /// 单位负责人 / head of unit
    #[arg(long, value_name = "NAME", help_heading = "上报表 Hand-in")]
    signer: Option<String>,
    /// 审核人 / reviewed by
    #[arg(long, value_name = "NAME", help_heading = "上报表 Hand-in")]
    reviewer: Option<String>,
    /// 填报人 / filled in by
    #[arg(long, value_name = "NAME", help_heading = "上报表 Hand-in")]
    contact: Option<String>,
    /// 联系电话 / telephone
    #[arg(long, value_name = "NUMBER", help_heading = "上报表 Hand-in")]
    phone: Option<String>,
    /// 填报日期：YYYY-MM-DD、2015/7/1 或 2015年7月1日 / date of filling in
    #[arg(long, value_name = "DATE", help_heading = "上报表 Hand-in")]
    sign_date: Option<String>,
}

/// A site profile's share of the hand-in fields: its 主管单位, its head (单位负责人) and its contact (填报人, 联系电话).
pub(crate) fn from_profile(p: &SiteProfile) -> Signing {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Signing {
        authority: some(&p.site.authority),
        head: some(&p.head.name),
        filler: some(&p.contact.name),
        phone: some(&p.contact.office_phone).or_else(|| some(&p.contact.mobile)),
        ..Signing::default()
    }
}

/// The key a report finds its site's hand-in fields by: its 网站标识码, else its name.
fn site_key(id: Option<&str>, name: &str) -> String {
    match id.map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => format!("name:{}", name.trim()),
    }
}

/// Each profile's hand-in fields with `flags` over them, by [`site_key`].
pub(crate) fn by_site<'a>(
    profiles: impl Iterator<Item = &'a SiteProfile>,
    flags: &Signing,
) -> HashMap<String, Signing> {
    profiles
        .map(|p| {
            (
                site_key(p.site.id.as_deref(), &p.site.name),
                from_profile(p).overridden_by(flags),
            )
        })
        .collect()
}

/// The hand-in fields of the site `r` reports on (the flags alone when its profile is not among `signs`).
pub(crate) fn signing_of(signs: &HashMap<String, Signing>, r: &StoredReport, flags: &Signing) -> Signing {
    signs
        .get(&site_key(r.site.id.as_deref(), &r.site.name))
        .cloned()
        .unwrap_or_else(|| flags.clone())
}

impl HandIn {
    /// The fields given on the command line alone (over any profile's).
    ///
    /// # Errors
    /// A `--sign-date` that is no date.
    pub(crate) fn flags(&self) -> Result<Signing, Error> {
        let date = match &self.sign_date {
            Some(d) => Some(
                pucha_core::messages::typed_date(d)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::InvalidArgument,
                            format!("`--sign-date {d}` 不是日期：写作 YYYY-MM-DD（也读 2015/7/1 与 2015年7月1日）/ not a date: write YYYY-MM-DD (2015/7/1 and 2015年7月1日 are read too)"),
                        )
                    })?
                    .to_string(),
            ),
            None => None,
        };
        Ok(Signing {
            authority: self.authority.clone(),
            unit: self.unit.clone(),
            head: self.signer.clone(),
            reviewer: self.reviewer.clone(),
            filler: self.contact.clone(),
            phone: self.phone.clone(),
            date,
        })
    }

    /// The hand-in fields: `--profile`'s, then the flags over them.
    ///
    /// # Errors
    /// A profile that cannot be read, or a `--sign-date` that is no date.
    pub(crate) fn signing(&self) -> Result<Signing, Error> {
        let base = match &self.sign_profile {
            Some(path) => from_profile(
                &crate::probe_cmd::load_profile(path)
                    .map_err(|e| Error::new(ErrorKind::InvalidValue, e).with_file(path.clone()))?,
            ),
            None => Signing::default(),
        };
        Ok(base.overridden_by(&self.flags()?))
    }
}
