//! Before and after (整改前后) as a table: one row per site compared, the sites whose verdict changed first (as
//! [`Comparison::site_diffs`] is ordered by `pucha compare`), for the HTML page and the workbook alike.

use crate::html::{esc, pts, t};
use pucha_core::diff::{Comparison, RuleMove};
use pucha_core::{Lang, Status};
use std::fmt::Write as _;

/// The columns of a comparison's rows.
pub const COLUMNS: usize = 11;

/// The column headings.
pub fn columns(lang: Lang) -> [&'static str; COLUMNS] {
    if lang == Lang::Zh {
        [
            "网站名称",
            "网站标识码",
            "监测时间点",
            "整改前结论",
            "整改前得分",
            "整改后结论",
            "整改后得分",
            "得分变化",
            "结论改变",
            "已整改的问题",
            "新出现的问题",
        ]
    } else {
        [
            "Site",
            "Site ID",
            "Monitoring point",
            "Verdict before",
            "Score before",
            "Verdict after",
            "Score after",
            "Score change",
            "Verdict changed",
            "Problems fixed",
            "Problems new",
        ]
    }
}

/// Whether a rule's outcome was a problem: a deduction taken or a veto fired.
fn applied(s: Option<Status>) -> bool {
    s == Some(Status::Applied)
}

/// The problems fixed (applied before, not after) and new (applied after, not before), `title (points)` each.
pub fn fixed_and_new(rules: &[RuleMove], lang: Lang) -> (Vec<String>, Vec<String>) {
    let (mut fixed, mut new) = (Vec::new(), Vec::new());
    for m in rules {
        let title = t(&m.title, lang);
        if applied(m.a_status) && !applied(m.b_status) {
            fixed.push(format!("{title} ({})", pts(m.a_points.unwrap_or(0.0))));
        } else if applied(m.b_status) && !applied(m.a_status) {
            new.push(format!("{title} ({})", pts(m.b_points.unwrap_or(0.0))));
        }
    }
    (fixed, new)
}

/// A cell: text, or a number the workbook writes as one.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (points).
    Number(f64),
    /// Nothing (a score after a veto).
    Empty,
}

impl Cell {
    /// As text for a page.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => pts(*n),
            Cell::Empty => "—".into(),
        }
    }
}

/// Every site's row, in the comparison's order.
pub fn rows(c: &Comparison, lang: Lang) -> Vec<[Cell; COLUMNS]> {
    let num = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Number);
    c.site_diffs
        .iter()
        .map(|d| {
            let (fixed, new) = fixed_and_new(&d.rules, lang);
            let change = match (d.a.score, d.b.score) {
                (Some(a), Some(b)) => Cell::Number(((b - a) * 10.0).round() / 10.0),
                _ => Cell::Empty,
            };
            let yes_no = match (d.verdict_changed, lang) {
                (true, Lang::Zh) => "是",
                (false, Lang::Zh) => "否",
                (true, _) => "yes",
                (false, _) => "no",
            };
            [
                Cell::Text(d.site.name.clone()),
                Cell::Text(d.site.id.clone().unwrap_or_default()),
                Cell::Text(d.monitoring_point.clone()),
                Cell::Text(d.a.verdict.label(lang).to_string()),
                num(d.a.score),
                Cell::Text(d.b.verdict.label(lang).to_string()),
                num(d.b.score),
                change,
                Cell::Text(yes_no.to_string()),
                Cell::Text(fixed.join("；")),
                Cell::Text(new.join("；")),
            ]
        })
        .collect()
}

/// The counts line: sites compared, verdicts changed, and how.
pub fn counts(c: &Comparison, lang: Lang) -> String {
    if lang == Lang::Zh {
        format!(
            "{} 个网站中 {} 个结论改变（合格→不合格 {}，不合格→合格 {}，变为未评定 {}，由未评定变为已评定 {}）",
            c.sites,
            c.verdict_changed,
            c.pass_to_fail,
            c.fail_to_pass,
            c.to_undetermined,
            c.from_undetermined
        )
    } else {
        format!(
            "{} of {} sites change verdict (pass→fail {}, fail→pass {}, to undetermined {}, from undetermined {})",
            c.verdict_changed,
            c.sites,
            c.pass_to_fail,
            c.fail_to_pass,
            c.to_undetermined,
            c.from_undetermined
        )
    }
}

/// The comparison as one HTML page: the counts, then a row per site (verdict changes marked).
pub fn compare_html(c: &Comparison, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let title = if zh {
        "整改前后对比"
    } else {
        "Before and after rectification"
    };
    let mut h = String::with_capacity(8 * 1024 + c.site_diffs.len() * 512);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{}\
         tr.changed td {{ font-weight: bold; }}</style></head><body>\n<h1>{title}</h1>\n<p>{}<br>{}</p>\n<p>{}</p>\n",
        if zh { "zh-CN" } else { "en" },
        crate::html::REPORT_CSS,
        esc(&format!("{}: {}", if zh { "整改前" } else { "Before" }, c.a)),
        esc(&format!("{}: {}", if zh { "整改后" } else { "After" }, c.b)),
        esc(&counts(c, lang))
    );
    h.push_str("<table><thead><tr>");
    for col in columns(lang) {
        let _ = write!(h, "<th>{col}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for (row, d) in rows(c, lang).iter().zip(&c.site_diffs) {
        h.push_str(if d.verdict_changed {
            "<tr class=\"changed\">"
        } else {
            "<tr>"
        });
        for cell in row {
            let _ = write!(h, "<td>{}</td>", esc(&cell.text()));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n</body></html>\n");
    h
}
