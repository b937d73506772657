//! The site list (网站名录) of a campaign: one row per site carrying the 附件3 fields, and optionally a table of
//! 附件4 column rows keyed by 网站标识码. Every problem is found at once, each with its row, the field's name on
//! the form and the reason, as `pucha profile check` gives them.
//!
//! Headers are the forms' Chinese labels (or the profile's English keys, `site.name`, `head.mobile` …): 部门/地区
//! (or 地区, 部门: 地区 wins when both are filled), 网站名称, ICP备案编号, 首页网址, 网站主管单位, 办公地址, 网站类型
//! (门户网站 / 其他), 网站标识码, and 负责人姓名, 负责人职务, 负责人办公电话, 负责人手机, 负责人电子邮箱 and the same
//! for 联系人. The column table's headers: 网站标识码, 类别 (栏目类别), 栏目名称, 网址 (栏目网址), 首页 (是/否).

use crate::profile::{Problem, ProfileColumn, SiteProfile, category_key};
use crate::table::Table;
use std::collections::HashMap;

/// One site of the list, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Where in the list: `第 3 行` / `row 3` of a table (with the sheet), a line of JSON Lines, or a file name.
    pub place: Place,
    /// The profile read from it.
    pub profile: SiteProfile,
}

/// Where a site or a problem is in the list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A row of a table: the sheet's name (empty for CSV) and the 1-based row.
    Row(String, usize),
    /// A line of a JSON Lines file.
    Line(usize),
    /// A profile file of a folder.
    File(String),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Row(sheet, r) if sheet.is_empty() => write!(f, "第 {r} 行 row {r}"),
            Place::Row(sheet, r) => write!(f, "{sheet} 第 {r} 行 row {r}"),
            Place::Line(l) => write!(f, "第 {l} 行 line {l}"),
            Place::File(name) => write!(f, "`{name}`"),
        }
    }
}

/// A problem of the list: where, and what (the field named as on the form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProblem {
    /// Where.
    pub place: Place,
    /// What.
    pub problem: Problem,
}

/// A site list read: the sites (each checked) and every problem found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    /// Every site read, valid or not, in list order.
    pub sites: Vec<Listed>,
    /// Every problem, in list order.
    pub problems: Vec<ListProblem>,
}

impl Directory {
    /// The sites without a problem.
    pub fn valid(&self) -> Vec<&Listed> {
        let bad: std::collections::BTreeSet<&Place> = self.problems.iter().map(|p| &p.place).collect();
        self.sites.iter().filter(|s| !bad.contains(&s.place)).collect()
    }
}

fn problem(field: &str, field_zh: &str, zh: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        field_zh: field_zh.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

/// The profile field a header names: `(path, name on the form)`.
fn site_field(header: &str) -> Option<(&'static str, &'static str)> {
    let h: String = header
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '：' | ':' | '*' | '＊'))
        .collect();
    let person = |p: &str, rest: &str| -> Option<&'static str> {
        let field = match rest {
            "姓名" | "name" => "name",
            "职务" | "title" => "title",
            "办公电话" | "office_phone" => "office_phone",
            "手机" | "mobile" => "mobile",
            "电子邮箱" | "邮箱" | "email" => "email",
            _ => return None,
        };
        Some(match (p, field) {
            ("head", "name") => "head.name",
            ("head", "title") => "head.title",
            ("head", "office_phone") => "head.office_phone",
            ("head", "mobile") => "head.mobile",
            ("head", "email") => "head.email",
            ("contact", "name") => "contact.name",
            ("contact", "office_phone") => "contact.office_phone",
            ("contact", "mobile") => "contact.mobile",
            ("contact", "email") => "contact.email",
            _ => return None,
        })
    };
    let path = match h.as_str() {
        "部门/地区" | "site.region" => "site.region",
        "地区" => "site.region:地区",
        "部门" => "site.region:部门",
        "网站名称" | "site.name" => "site.name",
        "ICP备案编号" | "ICP备案号" | "site.icp" => "site.icp",
        "首页网址" | "网站首页网址" | "site.homepage" => "site.homepage",
        "网站主管单位" | "主管单位" | "site.authority" => "site.authority",
        "办公地址" | "site.address" => "site.address",
        "网站类型" | "site.kind" => "site.kind",
        "网站标识码" | "site.id" => "site.id",
        _ => {
            if let Some(rest) = h.strip_prefix("负责人").or_else(|| h.strip_prefix("head.")) {
                person("head", rest)?
            } else if let Some(rest) = h.strip_prefix("联系人").or_else(|| h.strip_prefix("contact.")) {
                person("contact", rest)?
            } else {
                return None;
            }
        }
    };
    Some((path, label(path)))
}

/// The name on the form of a profile field path.
fn label(path: &str) -> &'static str {
    match path {
        "site.region" => "部门/地区",
        "site.region:地区" => "地区",
        "site.region:部门" => "部门",
        "site.name" => "网站名称",
        "site.icp" => "ICP备案编号",
        "site.homepage" => "首页网址",
        "site.authority" => "网站主管单位",
        "site.address" => "办公地址",
        "site.kind" => "网站类型",
        "site.id" => "网站标识码",
        "head.name" => "负责人姓名",
        "head.title" => "负责人职务",
        "head.office_phone" => "负责人办公电话",
        "head.mobile" => "负责人手机",
        "head.email" => "负责人电子邮箱",
        "contact.name" => "联系人姓名",
        "contact.office_phone" => "联系人办公电话",
        "contact.mobile" => "联系人手机",
        "contact.email" => "联系人电子邮箱",
        _ => "",
    }
}

fn set(p: &mut SiteProfile, path: &str, v: &str) {
    let v = v.to_string();
    match path {
        "site.region" => p.site.region = v,
        "site.region:地区" if !v.is_empty() => p.site.region = v,
        "site.region:部门" if p.site.region.is_empty() => p.site.region = v,
        "site.name" => p.site.name = v,
        "site.icp" => p.site.icp = v,
        "site.homepage" => p.site.homepage = v,
        "site.authority" => p.site.authority = v,
        "site.address" => p.site.address = v,
        "site.kind" if !v.is_empty() => {
            p.site.kind = Some(match v.as_str() {
                s if s.contains("门户") => "portal".into(),
                "其他" | "其它" => "other".into(),
                _ => v,
            });
        }
        "site.id" if !v.is_empty() => p.site.id = Some(v),
        "head.name" => p.head.name = v,
        "head.title" if !v.is_empty() => p.head.title = Some(v),
        "head.office_phone" => p.head.office_phone = v,
        "head.mobile" => p.head.mobile = v,
        "head.email" => p.head.email = v,
        "contact.name" => p.contact.name = v,
        "contact.office_phone" => p.contact.office_phone = v,
        "contact.mobile" => p.contact.mobile = v,
        "contact.email" => p.contact.email = v,
        _ => {}
    }
}

/// A header the list cannot use: the whole table is refused (every row would be wrong the same way).
fn header_problems(t: &Table, known: impl Fn(&str) -> bool, required: &[(&str, &str)]) -> Vec<ListProblem> {
    let place = Place::Row(t.name.clone(), t.header_row);
    let mut out = Vec::new();
    for h in t.header.iter().filter(|h| !h.is_empty() && !known(h)) {
        out.push(ListProblem {
            place: place.clone(),
            problem: problem(
                "header",
                "表头",
                format!("“{h}”不是可识别的列名"),
                format!("`{h}` is not a known column"),
            ),
        });
    }
    for (zh, en) in required {
        if !t
            .header
            .iter()
            .any(|h| site_field(h).map(|f| f.1) == Some(*zh) || column_field(h) == Some(*en))
        {
            out.push(ListProblem {
                place: place.clone(),
                problem: problem(
                    "header",
                    "表头",
                    format!("缺少“{zh}”列"),
                    format!("no `{zh}` column ({en})"),
                ),
            });
        }
    }
    out
}

/// The column-table field a header names.
fn column_field(header: &str) -> Option<&'static str> {
    match header.trim() {
        "网站标识码" | "site.id" => Some("site_id"),
        "类别" | "栏目类别" | "category" => Some("category"),
        "栏目名称" | "name" => Some("name"),
        "网址" | "栏目网址" | "url" => Some("url"),
        "首页" | "on_homepage" => Some("on_homepage"),
        _ => None,
    }
}

/// The table with its header moved down to the first row that has a cell `is_label` knows, when the first row has
/// none (a title such as 全国政府网站基本信息表, or notes, above the header); the table itself when no row has one.
fn find_header(t: &Table, is_label: impl Fn(&str) -> bool) -> std::borrow::Cow<'_, Table> {
    if t.header.iter().any(|h| is_label(h)) {
        return std::borrow::Cow::Borrowed(t);
    }
    match t
        .rows
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| is_label(c)))
    {
        Some(i) => {
            let (row, header) = t.rows[i].clone();
            let mut header = header;
            while header.last().is_some_and(String::is_empty) {
                header.pop();
            }
            std::borrow::Cow::Owned(Table {
                name: t.name.clone(),
                header_row: row,
                header,
                rows: t.rows[i + 1..].to_vec(),
            })
        }
        None => std::borrow::Cow::Borrowed(t),
    }
}

/// Read the list from a table of sites and, optionally, a table of their columns. A header below title rows is
/// found (the first row naming 网站名称; for columns, 网站标识码).
pub fn from_tables(sites: &Table, columns: Option<&Table>) -> Directory {
    let sites = &*find_header(sites, |h| site_field(h).is_some_and(|f| f.0 == "site.name"));
    let columns = columns.map(|c| find_header(c, |h| column_field(h) == Some("site_id")));
    let columns = columns.as_deref();
    let mut d = Directory::default();
    let header_issues = header_problems(
        sites,
        |h| site_field(h).is_some(),
        &[("网站名称", "site.name"), ("首页网址", "site.homepage")],
    );
    if !header_issues.is_empty() {
        d.problems = header_issues;
        return d;
    }
    let fields: Vec<Option<&str>> = sites.header.iter().map(|h| site_field(h).map(|f| f.0)).collect();
    for (row, cells) in &sites.rows {
        let mut p = SiteProfile::default();
        for (path, v) in fields.iter().zip(cells) {
            if let Some(path) = path {
                set(&mut p, path, v);
            }
        }
        d.sites.push(Listed {
            place: Place::Row(sites.name.clone(), *row),
            profile: p,
        });
    }
    if let Some(c) = columns {
        attach_columns(&mut d, c);
    }
    check_all(&mut d);
    d
}

/// Give each site the column rows keyed by its 网站标识码; a row for no listed site is a problem of that row.
fn attach_columns(d: &mut Directory, t: &Table) {
    let issues = header_problems(
        t,
        |h| column_field(h).is_some(),
        &[("网站标识码", "site_id"), ("栏目名称", "name")],
    );
    if !issues.is_empty() {
        d.problems.extend(issues);
        return;
    }
    let at = |f: &str| t.header.iter().position(|h| column_field(h) == Some(f));
    let (id_at, cat_at, name_at, url_at, home_at) = (
        at("site_id"),
        at("category"),
        at("name"),
        at("url"),
        at("on_homepage"),
    );
    let by_id: HashMap<String, usize> = d
        .sites
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.profile.site.id.clone().map(|id| (id, i)))
        .collect();
    let get = |cells: &[String], i: Option<usize>| i.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
    for (row, cells) in &t.rows {
        let place = Place::Row(t.name.clone(), *row);
        let id = get(cells, id_at);
        let Some(&site) = by_id.get(&id) else {
            d.problems.push(ListProblem {
                place,
                problem: problem(
                    "columns.site_id",
                    "网站标识码",
                    format!("名录中没有网站标识码为“{id}”的网站"),
                    format!("no site in the list has 网站标识码 `{id}`"),
                ),
            });
            continue;
        };
        let names_text = get(cells, name_at);
        let names: Vec<&str> = split(&names_text);
        let urls_text = get(cells, url_at);
        let urls: Vec<&str> = split(&urls_text);
        let category = get(cells, cat_at);
        let on_homepage = matches!(get(cells, home_at).as_str(), "是" | "yes" | "true" | "1");
        for (i, name) in names.iter().enumerate() {
            let category = if category.is_empty() {
                crate::profile::category_by_name(name)
                    .unwrap_or_default()
                    .to_string()
            } else {
                category.clone()
            };
            if category_key(&category).is_none() {
                d.problems.push(ListProblem {
                    place: place.clone(),
                    problem: problem(
                        "columns.category",
                        "类别",
                        format!("“{category}”不是附件4的栏目类别"),
                        format!("`{category}` is not a category of 附件4"),
                    ),
                });
                continue;
            }
            d.sites[site].profile.columns.push(ProfileColumn {
                category,
                name: (*name).to_string(),
                url: urls.get(i).map(|u| (*u).to_string()).unwrap_or_default(),
                on_homepage,
            });
        }
    }
}

fn split(s: &str) -> Vec<&str> {
    s.split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

/// Read the list from an XLSX workbook: the sites from the sheet whose name contains 名录 or 基本信息 (else the
/// first), their columns from a sheet whose name contains 栏目 (else the second, when there is one).
///
/// # Errors
/// A message when the workbook cannot be read (see [`crate::table::tables_from_xlsx`]) or has no sheet.
pub fn from_xlsx(bytes: &[u8]) -> Result<Directory, String> {
    let tables = crate::table::tables_from_xlsx(bytes)?;
    let sites = tables
        .iter()
        .position(|t| t.name.contains("名录") || t.name.contains("基本信息"))
        .or_else(|| tables.iter().position(|t| !t.name.contains("栏目")))
        .ok_or("the workbook has no sheet with anything in it")?;
    let columns = tables
        .iter()
        .enumerate()
        .find(|(i, t)| *i != sites && t.name.contains("栏目"))
        .or_else(|| tables.iter().enumerate().find(|(i, _)| *i != sites))
        .map(|(_, t)| t);
    Ok(from_tables(&tables[sites], columns))
}

/// The profiles of a JSON Lines file, one per line (blank lines skipped).
pub fn from_json_lines(text: &str) -> Directory {
    from_profiles(
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (Place::Line(i + 1), SiteProfile::from_json_str(l))),
    )
}

/// Profiles read elsewhere (a folder's files), each with its place or the error that kept it from reading.
pub fn from_profiles(read: impl IntoIterator<Item = (Place, Result<SiteProfile, String>)>) -> Directory {
    let mut d = Directory::default();
    for (place, r) in read {
        match r {
            Ok(profile) => d.sites.push(Listed { place, profile }),
            Err(e) => d.problems.push(ListProblem {
                place,
                problem: problem(
                    "profile",
                    "网站信息",
                    format!("无法读取：{e}"),
                    format!("cannot be read: {e}"),
                ),
            }),
        }
    }
    check_all(&mut d);
    d
}

/// Check every site's profile, then that no two sites share a 网站标识码 or a homepage.
fn check_all(d: &mut Directory) {
    let mut found = Vec::new();
    let mut ids: HashMap<&str, &Place> = HashMap::new();
    let mut homes: HashMap<String, &Place> = HashMap::new();
    for s in &d.sites {
        for p in s.profile.check() {
            found.push(ListProblem {
                place: s.place.clone(),
                problem: p,
            });
        }
        if let Some(id) = s.profile.site.id.as_deref()
            && let Some(first) = ids.insert(id, &s.place)
        {
            found.push(ListProblem {
                place: s.place.clone(),
                problem: problem(
                    "site.id",
                    "网站标识码",
                    format!("与{first}重复"),
                    format!("the same as {first}"),
                ),
            });
        }
        let home = s
            .profile
            .site
            .homepage
            .trim()
            .trim_end_matches('/')
            .to_ascii_lowercase();
        if !home.is_empty()
            && let Some(first) = homes.insert(home, &s.place)
        {
            found.push(ListProblem {
                place: s.place.clone(),
                problem: problem(
                    "site.homepage",
                    "首页网址",
                    format!("与{first}重复"),
                    format!("the same as {first}"),
                ),
            });
        }
    }
    d.problems.extend(found);
    d.problems.sort_by(|a, b| a.place.cmp(&b.place));
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "地区,网站名称,ICP备案编号,首页网址,网站主管单位,办公地址,网站类型,网站标识码,负责人姓名,负责人职务,负责人办公电话,负责人手机,负责人电子邮箱,联系人姓名,联系人办公电话,联系人手机,联系人电子邮箱";

    fn row(id: &str, home: &str) -> String {
        format!(
            "示例省示例县,示例县人民政府门户网站,蜀ICP备05060933号,{home},示例县人民政府办公室,示例县人民路 1 号,门户网站,{id},张三,主任,028-12345678,13800138000,zs@example.gov.cn,李四,028-87654321,13900139000,ls@example.gov.cn"
        )
    }

    fn csv(rows: &[String]) -> Table {
        crate::table::table_from_csv(format!("{HEADER}\n{}\n", rows.join("\n")).as_bytes())
            .unwrap_or_default()
    }

    #[test]
    fn a_clean_list_reads_every_field() {
        let d = from_tables(
            &csv(&[
                row("5101230001", "http://www.a.gov.cn/"),
                row("5101230002", "http://www.b.gov.cn/"),
            ]),
            None,
        );
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.valid().len(), 2);
        let p = &d.sites[0].profile;
        assert_eq!(p.site.kind.as_deref(), Some("portal"));
        assert_eq!(p.head.title.as_deref(), Some("主任"));
        assert_eq!(p.contact.email, "ls@example.gov.cn");
        assert_eq!(d.sites[1].place, Place::Row(String::new(), 3));
    }

    #[test]
    fn every_problem_is_found_at_once_with_its_row_and_field() {
        let mut bad = row("5101230003", "ftp://c.gov.cn/");
        bad = bad.replace("13800138000", "123");
        let d = from_tables(
            &csv(&[
                row("5101230001", "http://www.a.gov.cn/"),
                bad,
                row("5101230001", "http://www.a.gov.cn"),
            ]),
            None,
        );
        let at = |r: usize| -> Vec<&str> {
            d.problems
                .iter()
                .filter(|p| p.place == Place::Row(String::new(), r))
                .map(|p| p.problem.field_zh.as_str())
                .collect()
        };
        assert!(
            at(3).contains(&"首页网址") && at(3).iter().any(|f| f.contains("手机")),
            "{:?}",
            d.problems
        );
        assert_eq!(at(4), ["网站标识码", "首页网址"], "a duplicate id and homepage");
        assert_eq!(d.valid().len(), 1);
        assert!(d.problems.iter().any(|p| p.problem.zh.contains("第 2 行")));
    }

    #[test]
    fn an_unknown_or_missing_header_refuses_the_table() {
        let t = crate::table::table_from_csv("网站名称,备注\nx,y\n".as_bytes()).unwrap_or_default();
        let d = from_tables(&t, None);
        assert!(d.sites.is_empty());
        let zh: Vec<&str> = d.problems.iter().map(|p| p.problem.zh.as_str()).collect();
        assert_eq!(zh, ["“备注”不是可识别的列名", "缺少“首页网址”列"]);
    }

    #[test]
    fn column_rows_join_their_site_by_id() {
        let sites = csv(&[row("5101230001", "http://www.a.gov.cn/")]);
        let cols = crate::table::table_from_csv(
            "网站标识码,类别,栏目名称,网址,首页\n5101230001,工作动态,县政要闻；部门动态,http://www.a.gov.cn/xzyw/；http://www.a.gov.cn/bmdt/,是\n5101230001,,县长信箱,http://www.a.gov.cn/xx/,否\n5109999999,通知公告,公告,http://x.gov.cn/,是\n"
                .as_bytes(),
        )
        .unwrap_or_default();
        let d = from_tables(&sites, Some(&cols));
        let c = &d.sites[0].profile.columns;
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].url, "http://www.a.gov.cn/bmdt/");
        assert!(c[0].on_homepage && !c[2].on_homepage);
        assert_eq!(
            category_key(&c[2].category),
            Some("consultation"),
            "implied by 信箱"
        );
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].place, Place::Row(String::new(), 4));
    }

    fn wb_with_header_only() -> rust_xlsxwriter::Workbook {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let sheet = wb.add_worksheet();
        let _ = sheet.write_string(1, 1, "说明");
        let _ = sheet.write_string(2, 1, "x");
        wb
    }

    #[test]
    fn a_workbook_with_a_sites_sheet_and_a_columns_sheet() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let cols = wb.add_worksheet();
        let _ = cols.set_name("栏目");
        for (c, v) in ["网站标识码", "类别", "栏目名称", "网址", "首页"]
            .iter()
            .enumerate()
        {
            let _ = cols.write_string(0, c as u16, *v);
        }
        for (c, v) in [
            "5101230001",
            "通知公告",
            "通知公告",
            "http://www.a.gov.cn/tzgg/",
            "是",
        ]
        .iter()
        .enumerate()
        {
            let _ = cols.write_string(1, c as u16, *v);
        }
        let sites = wb.add_worksheet();
        let _ = sites.set_name("网站名录");
        let _ = sites.write_string(0, 0, "全国政府网站基本信息表"); // a title above the header
        let _ = sites.write_string(2, 0, "说明：每行一个网站");
        for (c, h) in HEADER.split(',').enumerate() {
            let _ = sites.write_string(4, c as u16, h);
        }
        for (c, v) in row("5101230001", "http://www.a.gov.cn/").split(',').enumerate() {
            let _ = sites.write_string(5, c as u16, v);
        }
        let bytes = wb.save_to_buffer().unwrap_or_default();
        let d = from_xlsx(&bytes).unwrap_or_default();
        assert!(
            d.problems.is_empty(),
            "the header is found under the title: {:?}",
            d.problems
        );
        assert_eq!(d.sites[0].place, Place::Row("网站名录".into(), 6));
        assert_eq!(d.sites[0].profile.columns[0].category, "通知公告");
        let mut notes = wb_with_header_only();
        let d = from_xlsx(&notes.save_to_buffer().unwrap_or_default()).unwrap_or_default();
        assert_eq!(d.problems.len(), 3, "no row names 网站名称: {:?}", d.problems);

        let mut wb = rust_xlsxwriter::Workbook::new();
        let sites = wb.add_worksheet();
        for (c, h) in HEADER.split(',').enumerate() {
            let _ = sites.write_string(0, c as u16, h);
        }
        for (c, v) in row("5101230001", "http://www.a.gov.cn/").split(',').enumerate() {
            let _ = sites.write_string(1, c as u16, v);
        }
        let cols = wb.add_worksheet();
        for (c, v) in ["网站标识码", "栏目名称", "网址"].iter().enumerate() {
            let _ = cols.write_string(0, c as u16, *v);
        }
        for (c, v) in ["5101230001", "县长信箱", "http://www.a.gov.cn/xx/"]
            .iter()
            .enumerate()
        {
            let _ = cols.write_string(1, c as u16, *v);
        }
        let d = from_xlsx(&wb.save_to_buffer().unwrap_or_default()).unwrap_or_default();
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.sites[0].profile.columns[0].name, "县长信箱");
        assert_eq!(d.sites[0].place, Place::Row("Sheet1".into(), 2));
    }

    #[test]
    fn json_lines_profiles_and_unreadable_lines() {
        let good = serde_json::json!({"site": {"region": "示例县", "name": "x", "icp": "无", "homepage": "http://x.gov.cn/", "authority": "无", "address": "无"}});
        let d = from_json_lines(&format!("{good}\n\n{{\"site\": 1}}\n"));
        assert_eq!(d.sites.len(), 1);
        assert_eq!(d.problems.iter().filter(|p| p.place == Place::Line(3)).count(), 1);
    }
}
