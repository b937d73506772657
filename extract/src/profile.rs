//! The site profile: 附件3 政府网站基本信息表 (who runs the site) and 附件4 栏目（系统）基本信息表 (which column is
//! which), as TOML or JSON, or imported from a spreadsheet laid out like the two forms. The probes read it to know
//! where each column is and what category it has. Keys are English; the forms' Chinese labels are accepted too
//! (quoted in TOML: `"网站名称" = "…"`).

use serde::{Deserialize, Serialize};

/// A person on the form: 负责人 or 联系人.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// 姓名.
    #[serde(default, alias = "姓名")]
    pub name: String,
    /// 职务 (负责人 only).
    #[serde(default, alias = "职务", skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 办公电话, with the area code.
    #[serde(default, alias = "办公电话")]
    pub office_phone: String,
    /// 手机.
    #[serde(default, alias = "手机")]
    pub mobile: String,
    /// 电子邮箱.
    #[serde(default, alias = "电子邮箱")]
    pub email: String,
}

/// 附件3 政府网站基本信息表.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicInfo {
    /// 部门/地区 (a State Council department site gives the department).
    #[serde(default, alias = "部门/地区", alias = "部门", alias = "地区")]
    pub region: String,
    /// 网站名称.
    #[serde(default, alias = "网站名称")]
    pub name: String,
    /// ICP备案编号, e.g. `京ICP备05060933号`.
    #[serde(default, alias = "ICP备案编号")]
    pub icp: String,
    /// 首页网址.
    #[serde(default, alias = "首页网址")]
    pub homepage: String,
    /// 网站主管单位.
    #[serde(default, alias = "网站主管单位")]
    pub authority: String,
    /// 办公地址.
    #[serde(default, alias = "办公地址")]
    pub address: String,
    /// `portal` (门户网站) or `other`.
    #[serde(default, alias = "网站类型", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// 网站标识码 (`bm` + 8 digits, or 10 digits), when known.
    #[serde(default, alias = "网站标识码", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One column of 附件4.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileColumn {
    /// Category key (`dynamics`, `notice` …) or its Chinese label (`工作动态`, `通知公告` …).
    #[serde(alias = "类别")]
    pub category: String,
    /// 栏目名称.
    #[serde(alias = "栏目名称")]
    pub name: String,
    /// 栏目网址: its list page (or the system's entry).
    #[serde(default, alias = "网址", alias = "栏目网址")]
    pub url: String,
    /// Shown on the homepage (its items count as homepage updates).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_homepage: bool,
}

/// A site profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteProfile {
    /// 基本信息.
    #[serde(alias = "基本信息")]
    pub site: BasicInfo,
    /// 负责人.
    #[serde(default, alias = "负责人")]
    pub head: Person,
    /// 联系人.
    #[serde(default, alias = "联系人")]
    pub contact: Person,
    /// 栏目（系统）.
    #[serde(default, alias = "栏目")]
    pub columns: Vec<ProfileColumn>,
}

/// The largest profile file read (TOML, JSON or XLSX): 8 MiB. The two forms of one site take a few KB.
pub const MAX_PROFILE_BYTES: usize = 8 << 20;

/// The categories of 附件4: key, Chinese label, and the column names that imply it (probing.md).
pub const CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "organization",
        "机构设置及职能",
        &["机构设置", "机构职能", "领导信息", "领导之窗"],
    ),
    (
        "dynamics",
        "工作动态",
        &[
            "工作动态",
            "政务动态",
            "部门动态",
            "要闻",
            "今日要闻",
            "图片新闻",
            "基层动态",
        ],
    ),
    ("notice", "通知公告", &["通知公告", "公示公告", "公告栏"]),
    (
        "policy",
        "政策文件",
        &["政策文件", "政策法规", "规范性文件", "政府文件"],
    ),
    ("plan", "规划计划", &["规划计划", "发展规划", "工作计划"]),
    ("personnel", "人事信息", &["人事信息", "人事任免", "招考录用"]),
    (
        "consultation",
        "政务咨询",
        &[
            "市长信箱",
            "县长信箱",
            "区长信箱",
            "省长信箱",
            "领导信箱",
            "在线咨询",
            "政风行风热线",
            "咨询投诉",
        ],
    ),
    ("survey", "调查征集", &["网上调查", "民意征集", "意见征集"]),
    ("interview", "互动访谈", &["在线访谈", "访谈直播"]),
    (
        "guide",
        "办事指南",
        &["办事指南", "服务指南", "表格下载", "下载中心"],
    ),
    (
        "online_system",
        "在线（申报、查询）系统",
        &["在线申报", "在线查询", "网上办事大厅"],
    ),
    ("other", "其他", &[]),
];

/// The category key of `s` (a key or a Chinese label), if it is one.
pub fn category_key(s: &str) -> Option<&'static str> {
    let s = s.trim();
    CATEGORIES
        .iter()
        .find(|(k, zh, _)| {
            *k == s
                || *zh == s
                || (s == "要闻" && *k == "dynamics")
                || (s.starts_with("在线") && s.ends_with("系统") && *k == "online_system")
        })
        .map(|(k, _, _)| *k)
}

/// The category a column name implies, when a profile does not say (`市长信箱` → `consultation`).
pub fn category_by_name(name: &str) -> Option<&'static str> {
    CATEGORIES
        .iter()
        .find(|(_, _, names)| names.iter().any(|n| name.contains(n)))
        .map(|(k, _, _)| *k)
}

/// One problem found in a profile, with the field named in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Field path, e.g. `head.mobile`.
    pub field: String,
    /// The field's name on the form, e.g. `负责人 手机`.
    pub field_zh: String,
    /// What is wrong, in Chinese.
    pub zh: String,
    /// What is wrong, in English.
    pub en: String,
}

fn is_none_word(s: &str) -> bool {
    s.trim() == "无"
}

fn digits_only(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// `京ICP备05060933号`, optionally `-1`: one province abbreviation, `ICP备`, digits, `号`.
fn icp_ok(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return false };
    let rest: String = chars.collect();
    let Some(num) = rest.strip_prefix("ICP备") else {
        return false;
    };
    let (num, suffix) = match num.split_once('号') {
        Some((n, after)) => (n, after),
        None => return false,
    };
    ('\u{4e00}'..='\u{9fff}').contains(&first)
        && digits_only(num)
        && (suffix.is_empty() || suffix.strip_prefix('-').is_some_and(digits_only))
}

/// An office phone with its area code: `028-12345678`, `010 1234 5678`, `(0571)12345678`, an extension allowed.
fn office_phone_ok(s: &str) -> bool {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    let main = s.split(['转', '#']).next().unwrap_or(s);
    let main_digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let allowed = s.chars().all(|c| c.is_ascii_digit() || " -()（）转#".contains(c));
    allowed && d.len() >= 10 && main_digits.starts_with('0') && (10..=12).contains(&main_digits.len())
}

fn mobile_ok(s: &str) -> bool {
    let d: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    d.len() == 11
        && digits_only(&d)
        && d.starts_with('1')
        && d.as_bytes().get(1).is_some_and(|c| (b'3'..=b'9').contains(c))
}

fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

fn url_ok(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// 网站标识码: `bm` + 8 digits, or 10 digits. (The 校验码 is secret and never checked.)
pub fn site_id_ok(s: &str) -> bool {
    match s.strip_prefix("bm") {
        Some(rest) => rest.len() == 8 && digits_only(rest),
        None => s.len() == 10 && digits_only(s),
    }
}

impl SiteProfile {
    /// Read a profile from TOML text.
    ///
    /// # Errors
    /// The TOML error with its line, as text.
    pub fn from_toml_str(text: &str) -> Result<SiteProfile, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    /// Read a profile from JSON text.
    ///
    /// # Errors
    /// The JSON error with its line and column, as text.
    pub fn from_json_str(text: &str) -> Result<SiteProfile, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The profile as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Every problem under the forms' filling rules, all at once.
    pub fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, zh_field: &str, zh: &str, en: &str| {
            out.push(Problem {
                field: field.to_string(),
                field_zh: zh_field.to_string(),
                zh: zh.to_string(),
                en: en.to_string(),
            });
        };
        let s = &self.site;
        let required: [(&str, &str, &str); 6] = [
            ("site.region", "部门/地区", &s.region),
            ("site.name", "网站名称", &s.name),
            ("site.icp", "ICP备案编号", &s.icp),
            ("site.homepage", "首页网址", &s.homepage),
            ("site.authority", "网站主管单位", &s.authority),
            ("site.address", "办公地址", &s.address),
        ];
        for (f, zh, v) in required {
            if v.trim().is_empty() {
                bad(
                    f,
                    zh,
                    "必填；确实没有时填“无”",
                    "required; write 无 when there truly is none",
                );
            }
        }
        if !s.icp.trim().is_empty() && !is_none_word(&s.icp) && !icp_ok(s.icp.trim()) {
            bad(
                "site.icp",
                "ICP备案编号",
                "格式应如“京ICP备05060933号”",
                "should look like 京ICP备05060933号",
            );
        }
        if !s.homepage.trim().is_empty() && !url_ok(s.homepage.trim()) {
            bad(
                "site.homepage",
                "首页网址",
                "不是 http 或 https 网址",
                "not an http or https address",
            );
        }
        if let Some(k) = &s.kind
            && !matches!(k.as_str(), "portal" | "other" | "门户网站" | "其他")
        {
            bad(
                "site.kind",
                "网站类型",
                "应为 portal（门户网站）或 other（其他）",
                "must be `portal` or `other`",
            );
        }
        if let Some(id) = &s.id
            && !site_id_ok(id.trim())
        {
            bad(
                "site.id",
                "网站标识码",
                "应为 bm 加 8 位数字，或 10 位数字",
                "must be `bm` + 8 digits, or 10 digits",
            );
        }
        for (who, zh_who, p, has_title) in [
            ("head", "负责人", &self.head, true),
            ("contact", "联系人", &self.contact, false),
        ] {
            let fields: [(&str, &str, &str); 4] = [
                ("name", "姓名", &p.name),
                ("office_phone", "办公电话", &p.office_phone),
                ("mobile", "手机", &p.mobile),
                ("email", "电子邮箱", &p.email),
            ];
            for (f, zh, v) in fields {
                let field = format!("{who}.{f}");
                let field_zh = format!("{zh_who} {zh}");
                let v = v.trim();
                if v.is_empty() {
                    bad(
                        &field,
                        &field_zh,
                        "必填；确实没有时填“无”",
                        "required; write 无 when there truly is none",
                    );
                    continue;
                }
                if is_none_word(v) {
                    continue;
                }
                match f {
                    "office_phone" if !office_phone_ok(v) => bad(
                        &field,
                        &field_zh,
                        "办公电话须含区号，如 028-12345678",
                        "an office phone includes the area code, e.g. 028-12345678",
                    ),
                    "mobile" if !mobile_ok(v) => bad(
                        &field,
                        &field_zh,
                        "手机号码应为 11 位，以 1 开头",
                        "a mobile number has 11 digits and starts with 1",
                    ),
                    "email" if !email_ok(v) => bad(
                        &field,
                        &field_zh,
                        "电子邮箱格式不正确",
                        "not a well-formed email address",
                    ),
                    _ => {}
                }
            }
            if has_title && p.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                bad(
                    &format!("{who}.title"),
                    &format!("{zh_who} 职务"),
                    "必填；确实没有时填“无”",
                    "required; write 无 when there truly is none",
                );
            }
        }
        for (i, c) in self.columns.iter().enumerate() {
            let at = |f: &str| format!("columns[{i}].{f}");
            let zh_at = |f: &str| format!("栏目 {}（第 {} 个）{f}", c.name, i + 1);
            if category_key(&c.category).is_none() {
                bad(
                    &at("category"),
                    &zh_at("类别"),
                    &format!("未知类别“{}”", c.category),
                    &format!("unknown category `{}`", c.category),
                );
            }
            if c.name.trim().is_empty() {
                bad(&at("name"), &zh_at("栏目名称"), "必填", "required");
            }
            if c.url.trim().is_empty() {
                bad(&at("url"), &zh_at("网址"), "必填", "required");
            } else if !url_ok(c.url.trim()) {
                bad(
                    &at("url"),
                    &zh_at("网址"),
                    "不是 http 或 https 网址",
                    "not an http or https address",
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[site]
region = "示例省示例县"
name = "示例县人民政府门户网站"
icp = "蜀ICP备05060933号-1"
homepage = "http://www.county.example.gov.cn/"
authority = "示例县人民政府办公室"
address = "示例县人民路 1 号"
kind = "portal"
id = "5101230001"

[head]
name = "张三"
title = "主任"
office_phone = "028-12345678"
mobile = "13800138000"
email = "zhangsan@county.example.gov.cn"

[contact]
name = "李四"
office_phone = "(028)87654321转8001"
mobile = "无"
email = "web@county.example.gov.cn"

[[columns]]
category = "工作动态"
name = "工作动态"
url = "http://www.county.example.gov.cn/gzdt/"
on_homepage = true

[[columns]]
category = "consultation"
name = "县长信箱"
url = "http://www.county.example.gov.cn/xzxx/"
"#;

    #[test]
    fn a_good_profile_has_no_problems() {
        let p = SiteProfile::from_toml_str(GOOD).unwrap();
        assert_eq!(p.check(), Vec::<Problem>::new());
        assert_eq!(category_key(&p.columns[0].category), Some("dynamics"));
        let back = SiteProfile::from_toml_str(&p.to_toml()).unwrap();
        assert_eq!(back, p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(SiteProfile::from_json_str(&json).unwrap(), p);
    }

    #[test]
    fn every_problem_at_once() {
        let bad = GOOD
            .replace("蜀ICP备05060933号-1", "ICP 05060933")
            .replace("028-12345678", "12345678")
            .replace("13800138000", "2380013800")
            .replace("zhangsan@county.example.gov.cn", "zhangsan@")
            .replace("示例县人民路 1 号", "")
            .replace("5101230001", "51012300")
            .replace("category = \"consultation\"", "category = \"信箱\"")
            .replace("http://www.county.example.gov.cn/xzxx/", "xzxx");
        let p = SiteProfile::from_toml_str(&bad).unwrap();
        let fields: Vec<String> = p.check().into_iter().map(|x| x.field).collect();
        assert_eq!(
            fields,
            [
                "site.address",
                "site.icp",
                "site.id",
                "head.office_phone",
                "head.mobile",
                "head.email",
                "columns[1].category",
                "columns[1].url"
            ]
        );
        let first = &p.check()[0];
        assert_eq!(first.field_zh, "办公地址");
        assert!(first.zh.contains("无") && first.en.contains("required"));
    }

    #[test]
    fn chinese_keys_and_unknown_fields() {
        // TOML needs quotes around keys that are not ASCII.
        let zh = "[\"基本信息\"]\n\"网站名称\" = \"x\"\n\"首页网址\" = \"http://x.gov.cn/\"\n[[\"栏目\"]]\n\"类别\" = \"通知公告\"\n\"栏目名称\" = \"公示公告\"\n\"网址\" = \"http://x.gov.cn/gsgg/\"\n";
        let p = SiteProfile::from_toml_str(zh).unwrap();
        assert_eq!(p.site.name, "x");
        assert_eq!(category_key(&p.columns[0].category), Some("notice"));
        let e = SiteProfile::from_toml_str("[site]\nnmae = \"x\"\n").unwrap_err();
        assert!(e.contains("nmae") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn rules_of_the_form() {
        assert!(icp_ok("京ICP备05060933号"));
        assert!(!icp_ok("京ICP证05060933号"));
        assert!(
            office_phone_ok("010-12345678")
                && office_phone_ok("0571 8765 4321")
                && !office_phone_ok("87654321")
        );
        assert!(mobile_ok("138 0013 8000") && !mobile_ok("12800138000"));
        assert!(email_ok("a.b@c.gov.cn") && !email_ok("a@b") && !email_ok("a b@c.cn"));
        assert!(site_id_ok("bm07000001") && site_id_ok("1100000088") && !site_id_ok("bm0700001"));
        assert_eq!(category_by_name("市长信箱"), Some("consultation"));
        assert_eq!(category_by_name("今日要闻"), Some("dynamics"));
        assert_eq!(category_key("在线申报系统"), Some("online_system"));
    }
}
