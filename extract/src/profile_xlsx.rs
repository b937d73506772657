//! Site profiles from a spreadsheet laid out like the two forms.
//!
//! 附件3 (the sheet whose name contains 基本信息, else the first): label cells followed by their value in the next
//! non-empty cell to the right, anywhere in a row — 部门/地区, 网站名称, ICP备案编号, 首页网址, 网站主管单位, 办公地址
//! (and 网站标识码, 网站类型 when present). A cell 负责人 or 联系人 starts that person's part: 姓名, 职务, 办公电话, 手机,
//! 电子邮箱 after it belong to that person until the other one starts.
//!
//! 附件4 (the sheet whose name contains 栏目, else the second): a header row naming 类别 (or 栏目类别), 栏目名称 and
//! 网址 (or 栏目网址, 地址), optionally 首页 (是/否); each row below is one category, several columns of it separated by
//! "；" (or ";") in the name and address cells, paired in order. An empty category cell continues the one above (the
//! form merges them); before any category, a column takes the category its name implies (`市长信箱` → 政务咨询).

use crate::profile::{ProfileColumn, SiteProfile, category_by_name};
use crate::sheet;
use calamine::Reader;

/// The most cells a profile's sheet may fill: 10,000 (the two forms fill a few dozen to a few hundred).
const MAX_CELLS: usize = 10_000;

fn norm(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '：' | ':' | '*' | '＊'))
        .collect()
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['；', ';', '\n'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Read a profile from the bytes of an XLSX file.
///
/// # Errors
/// A message naming the sheet or cell when the workbook cannot be read or has neither form.
pub fn profile_from_xlsx(bytes: &[u8]) -> Result<SiteProfile, String> {
    let mut wb = sheet::open(bytes)?;
    let names = wb.sheet_names();
    if names.is_empty() {
        return Err("the workbook has no sheet".into());
    }
    let columns_name = names
        .iter()
        .find(|n| n.contains("栏目"))
        .or_else(|| names.get(1))
        .cloned();
    let basic_name = names
        .iter()
        .find(|n| n.contains("基本信息"))
        .or_else(|| names.iter().find(|n| Some(*n) != columns_name.as_ref()))
        .unwrap_or(&names[0])
        .clone();
    let mut p = SiteProfile::default();
    let basic = sheet::rows(&mut wb, &basic_name, MAX_CELLS, sheet::cell_text)?;
    let mut person: Option<&str> = None;
    for (_, row) in basic {
        // Filled cells only: a label's value is the next one.
        let cells: Vec<String> = row.into_iter().map(|(_, v)| v).collect();
        let mut i = 0;
        while i < cells.len() {
            let label = norm(&cells[i]);
            if label == "负责人" || label == "联系人" {
                person = Some(if label == "负责人" { "head" } else { "contact" });
                i += 1;
                continue;
            }
            let value = cells[i + 1..].iter().find(|c| !c.is_empty()).cloned();
            let taken = match (label.as_str(), value) {
                (_, None) => false,
                ("部门/地区" | "部门" | "地区", Some(v)) => {
                    p.site.region = v;
                    true
                }
                ("网站名称", Some(v)) => {
                    p.site.name = v;
                    true
                }
                ("ICP备案编号" | "ICP备案号", Some(v)) => {
                    p.site.icp = v;
                    true
                }
                ("首页网址", Some(v)) => {
                    p.site.homepage = v;
                    true
                }
                ("网站主管单位", Some(v)) => {
                    p.site.authority = v;
                    true
                }
                ("办公地址", Some(v)) => {
                    p.site.address = v;
                    true
                }
                ("网站标识码", Some(v)) => {
                    p.site.id = Some(v);
                    true
                }
                ("网站类型", Some(v)) => {
                    p.site.kind = Some(if v.contains("门户") {
                        "portal".into()
                    } else if v == "其他" {
                        "other".into()
                    } else {
                        v
                    });
                    true
                }
                ("姓名" | "职务" | "办公电话" | "手机" | "电子邮箱" | "邮箱", Some(v))
                    if person.is_some() =>
                {
                    let who = if person == Some("head") {
                        &mut p.head
                    } else {
                        &mut p.contact
                    };
                    match label.as_str() {
                        "姓名" => who.name = v,
                        "职务" => who.title = Some(v),
                        "办公电话" => who.office_phone = v,
                        "手机" => who.mobile = v,
                        _ => who.email = v,
                    }
                    true
                }
                _ => false,
            };
            // Skip the value cell that was used.
            if taken {
                i += 1 + cells[i + 1..].iter().position(|c| !c.is_empty()).unwrap_or(0);
            }
            i += 1;
        }
    }
    if let Some(name) = columns_name.filter(|n| *n != basic_name) {
        let rows = sheet::rows(&mut wb, &name, MAX_CELLS, sheet::cell_text)?;
        let header = rows
            .iter()
            .position(|(_, r)| r.iter().any(|(_, c)| norm(c) == "栏目名称"))
            .ok_or_else(|| format!("sheet `{name}`: no header row with 栏目名称"))?;
        let find = |labels: &[&str]| {
            rows[header]
                .1
                .iter()
                .find(|(_, c)| labels.contains(&norm(c).as_str()))
                .map(|&(at, _)| at)
        };
        let cat_col = find(&["类别", "栏目类别", "类型"]);
        let name_col = find(&["栏目名称"]).unwrap_or(0);
        let url_col = find(&["网址", "栏目网址", "地址", "URL"]);
        let home_col = find(&["首页", "首页栏目", "是否首页栏目"]);
        let mut last_cat = String::new();
        for (r, row) in rows.iter().skip(header + 1) {
            let get = |c: Option<u32>| {
                c.and_then(|c| row.iter().find(|(at, _)| *at == c))
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let cat = get(cat_col);
            if !cat.is_empty() {
                last_cat = cat;
            }
            let names = split_list(&get(Some(name_col)));
            let urls = split_list(&get(url_col));
            let on_home = matches!(get(home_col).as_str(), "是" | "yes" | "true" | "1");
            if names.is_empty() && urls.is_empty() {
                continue;
            }
            if !urls.is_empty() && urls.len() != names.len() {
                return Err(format!(
                    "sheet `{name}` row {}: {} column names but {} addresses (separate both with “；”)",
                    r + 1,
                    names.len(),
                    urls.len()
                ));
            }
            for (k, n) in names.iter().enumerate() {
                let category = if last_cat.is_empty() {
                    category_by_name(n).unwrap_or("other").to_string()
                } else {
                    last_cat.clone()
                };
                p.columns.push(ProfileColumn {
                    category,
                    name: n.clone(),
                    url: urls.get(k).cloned().unwrap_or_default(),
                    on_homepage: on_home,
                });
            }
        }
    }
    Ok(p)
}
