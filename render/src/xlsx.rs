//! XLSX 上报表: one site's scored table with the form's header and signature fields, merged cells as on the paper
//! form and A4 print setup; a workbook for many sites (an index sheet and one sheet per site); roll-up workbooks.

use crate::html::{
    explanation, indicator_groups, labels, points_cell, pts, rollup_columns, t, verdict_cell, verdict_line,
    vetoes_text,
};
use crate::signing::{Signing, SigningOf};
use pucha_core::rollup::{FailingSite, Rollup};
use pucha_core::stored::{Digest, StoredReport};
use pucha_core::{Error, ErrorKind, Lang, RuleKind};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

fn xerr(e: XlsxError) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write the workbook: {e}"))
}

struct Styles {
    title: Format,
    head: Format,
    label: Format,
    cell: Format,
    center: Format,
    number: Format,
    number_left: Format,
    link: Format,
    bold: Format,
}

/// The body font of government forms (仿宋), and the headings' (黑体).
const BODY_FONT: &str = "仿宋";
const HEADING_FONT: &str = "黑体";

fn styles() -> Styles {
    let base = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_name(BODY_FONT)
        .set_font_size(10.5);
    Styles {
        title: Format::new()
            .set_font_name(HEADING_FONT)
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        head: base
            .clone()
            .set_font_name(HEADING_FONT)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xF2F2F2)),
        label: base.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2)),
        cell: base.clone(),
        center: base
            .clone()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        number: base.clone().set_align(FormatAlign::Center).set_num_format("0.0"),
        number_left: base.clone().set_align(FormatAlign::Left).set_num_format("0.0"),
        link: base
            .clone()
            .set_font_color(Color::RGB(0x0563C1))
            .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        bold: base.set_bold(),
    }
}

/// Write one site's 上报表 on `ws`, with `sign`'s hand-in fields.
fn write_report(
    ws: &mut Worksheet,
    r: &StoredReport,
    lang: Lang,
    st: &Styles,
    sign: &Signing,
) -> Result<(), XlsxError> {
    let l = labels(lang);
    let dash = || "—".to_string();
    let or_dash = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(dash);
    for (col, w) in [(0, 11.0), (1, 14.0), (2, 30.0), (3, 30.0), (4, 40.0), (5, 9.0)] {
        ws.set_column_width(col, w)?;
    }
    ws.merge_range(0, 0, 0, 5, t(&r.pack.title, lang), &st.title)?;
    ws.set_row_height(0, 30)?;
    let vetoes = vetoes_text(r, lang, false);
    let pairs: [[(&str, String); 2]; 5] = [
        [
            (l.fields[0], r.site.name.clone()),
            (l.fields[2], or_dash(&r.site.id)),
        ],
        [
            (l.fields[1], or_dash(&r.site.url)),
            (l.fields[3], r.monitoring_point.clone()),
        ],
        [
            (l.fields[4], or_dash(&sign.authority)),
            (l.fields[9], or_dash(&r.site.region)),
        ],
        [
            (l.fields[10], or_dash(&r.site.department)),
            (l.fields[5], verdict_cell(r, lang)),
        ],
        [
            (l.fields[6], r.score.map(pts).unwrap_or_else(dash)),
            (l.fields[7], pts(r.total_deduction)),
        ],
    ];
    for (i, [(k1, v1), (k2, v2)]) in pairs.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string_with_format(row, 0, *k1, &st.label)?;
        ws.merge_range(row, 1, row, 2, &cell(v1), &st.cell)?;
        ws.write_string_with_format(row, 3, *k2, &st.label)?;
        ws.merge_range(
            row,
            4,
            row,
            5,
            &cell(v2),
            if *k2 == l.fields[5] { &st.bold } else { &st.cell },
        )?;
    }
    // 得分 and 扣分合计 as numbers a spreadsheet can add up (the merged cells above hold their text).
    if let Some(score) = r.score {
        ws.write_number_with_format(5, 1, (score * 10.0).round() / 10.0, &st.number_left)?;
    }
    ws.write_number_with_format(5, 4, (r.total_deduction * 10.0).round() / 10.0, &st.number_left)?;
    ws.write_string_with_format(6, 0, l.fields[8], &st.label)?;
    ws.merge_range(6, 1, 6, 5, &cell(&vetoes), &st.cell)?;
    let head = 8;
    for (c, name) in l.cols.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, *name, &st.head)?;
    }
    let mut row = head + 1;
    for (_, rules) in indicator_groups(r) {
        let first = row;
        for rule in &rules {
            ws.write_string_with_format(row, 1, cell(t(&rule.title, lang)), &st.cell)?;
            ws.write_string_with_format(row, 2, cell(t(&rule.checkpoint, lang)), &st.cell)?;
            ws.write_string_with_format(row, 3, cell(t(&rule.criteria, lang)), &st.cell)?;
            let mut why = explanation(rule, lang);
            for e in rule.evidence.iter().take(crate::html::CELL_EVIDENCE) {
                why.push_str("\n· ");
                why.push_str(&pucha_core::evidence_line(e, lang));
            }
            if rule.evidence.len() > crate::html::CELL_EVIDENCE {
                why.push_str(&if lang == Lang::Zh {
                    format!("\n（共 {} 项证据）", rule.evidence.len())
                } else {
                    format!("\n({} evidence items)", rule.evidence.len())
                });
            }
            ws.write_string_with_format(row, 4, cell(&why), &st.cell)?;
            if rule.kind != RuleKind::Veto && rule.counted {
                ws.write_number_with_format(row, 5, (rule.points * 10.0).round() / 10.0, &st.number)?;
            } else {
                ws.write_string_with_format(row, 5, points_cell(rule, lang), &st.center)?;
            }
            row += 1;
        }
        let ind = rules
            .first()
            .map(|r| {
                let p = if lang == Lang::Zh {
                    &r.indicator.zh
                } else {
                    &r.indicator.en
                };
                p.first().cloned().unwrap_or_default()
            })
            .unwrap_or_default();
        if row - first > 1 {
            ws.merge_range(first, 0, row - 1, 0, &ind, &st.center)?;
        } else {
            ws.write_string_with_format(first, 0, &ind, &st.center)?;
        }
    }
    ws.merge_range(
        row,
        0,
        row,
        4,
        &format!("{}：{}", l.total, verdict_line(r, lang)),
        &st.bold,
    )?;
    ws.write_number_with_format(row, 5, (r.total_deduction * 10.0).round() / 10.0, &st.number)?;
    row += 2;
    // The hand-in fields, as on the form: 填报单位（盖章） on a row of its own with room for the seal, then label and
    // a line to sign (or what was given) three to a row.
    let plain = Format::new().set_font_name(BODY_FONT).set_font_size(10.5);
    let line = plain.clone().set_border_bottom(FormatBorder::Thin);
    let fields = sign.fields(lang);
    let [(seal, unit), rest @ ..] = &fields;
    ws.write_string_with_format(row, 0, format!("{seal}："), &plain)?;
    ws.merge_range(row, 1, row, 3, unit.unwrap_or(""), &line)?;
    ws.set_row_height(row, 48)?;
    row += 2;
    for (i, (label, value)) in rest.iter().enumerate() {
        let (r0, c0) = (row + (i / 3) as u32 * 2, (i % 3) as u16 * 2);
        ws.write_string_with_format(r0, c0, format!("{label}："), &plain)?;
        ws.write_string_with_format(r0, c0 + 1, value.unwrap_or(""), &line)?;
    }
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(head, head)?;
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C&P / &N");
    Ok(())
}

/// One site's 上报表 as an XLSX file, with `sign`'s hand-in fields.
///
/// # Errors
/// When the workbook cannot be assembled.
pub fn report_xlsx(r: &StoredReport, lang: Lang, sign: &Signing) -> Result<Vec<u8>, Error> {
    let mut wb = Workbook::new();
    let st = styles();
    let ws = wb.add_worksheet();
    ws.set_name(if lang == Lang::Zh {
        "评分表"
    } else {
        "Scoring table"
    })
    .map_err(xerr)?;
    write_report(ws, r, lang, &st, sign).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// A sheet name Excel accepts: no `[]:*?/\` and no control characters (raw in `xl/workbook.xml` they make the
/// workbook unreadable), at most 31 characters, unique in the workbook.
pub fn sheet_name(n: usize, name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\'') && !c.is_control())
        .collect();
    let base: String = format!("{n} {clean}").chars().take(31).collect();
    let base = base.trim().to_string();
    let mut out = base.clone();
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&out)) {
        let suffix = format!("~{k}");
        out = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        k += 1;
    }
    taken.push(out.clone());
    out
}

/// The most characters a cell holds (Excel's limit is 32,767): a longer text (a crawled title, a long list of
/// evidence) is cut there with a visible marker instead of failing the whole export.
const CELL_MAX: usize = 32_000;

/// `s` as a cell holds it: whole, or cut at [`CELL_MAX`] characters with a marker saying so.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(CELL_MAX) {
        None => std::borrow::Cow::Borrowed(s),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…（已截断 truncated）", &s[..at])),
    }
}

/// Many sites' 上报表 in one workbook: the 汇总 sheet (one row per site with 地区 and 部门, its name linking to its
/// sheet, a filter and a frozen header), the 不合格网站名单 (each failing site, its vetoes and its three largest
/// deductions, or 无), then one sheet per site.
///
/// # Errors
/// When the workbook cannot be assembled.
pub fn reports_xlsx(reports: &[StoredReport], lang: Lang, sign: SigningOf<'_>) -> Result<Vec<u8>, Error> {
    let mut book = ReportsBook::new(lang)?;
    for r in reports {
        book.add(r, &sign(r))?;
    }
    book.finish()
}

/// The most sites one workbook holds: 2,000 (a sheet each, all held until the workbook is written). A larger
/// batch is rendered as HTML, or split (by region, for one).
pub const MAX_BOOK_SITES: usize = 2_000;

/// A many-site workbook built one report at a time: each adds its row to the index sheet and a sheet of its own,
/// so only the workbook is held, never the reports.
pub struct ReportsBook {
    wb: Workbook,
    st: Styles,
    lang: Lang,
    taken: Vec<String>,
    sites: usize,
    failing: u32,
}

/// The 汇总 sheet's columns.
const INDEX_COLS: u16 = 10;
/// The 不合格网站名单's columns.
const FAILING_COLS: u16 = 7;

/// A list sheet (汇总, 不合格网站名单, the roll-up's sheets): its header row (row `top`) and column widths, A4
/// landscape fit to one page wide with page numbers, the header repeated on every printed page and frozen on screen.
fn list_sheet(
    ws: &mut Worksheet,
    top: u32,
    heads: &[&str],
    widths: &[f64],
    st: &Styles,
) -> Result<(), XlsxError> {
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &st.head)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C&P / &N");
    ws.set_repeat_rows(top, top)?;
    ws.set_freeze_panes(top + 1, 0)?;
    Ok(())
}

/// The 不合格网站名单's column widths (its headings: [`crate::html::failing_columns`]).
const FAILING_WIDTHS: [f64; FAILING_COLS as usize] = [6.0, 30.0, 14.0, 14.0, 30.0, 40.0, 8.0];

/// A link to cell A1 of the sheet named `name`, as Excel writes one within a workbook.
fn sheet_link(name: &str) -> rust_xlsxwriter::Url {
    rust_xlsxwriter::Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
}

impl std::fmt::Debug for ReportsBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportsBook")
            .field("sites", &self.sites)
            .finish_non_exhaustive()
    }
}

impl ReportsBook {
    /// A workbook with its index sheet and headings.
    ///
    /// # Errors
    /// When the sheet cannot be set up.
    pub fn new(lang: Lang) -> Result<ReportsBook, Error> {
        let mut wb = Workbook::new();
        let st = styles();
        let zh = lang == Lang::Zh;
        let mut taken = vec![if zh {
            "汇总".to_string()
        } else {
            "Index".to_string()
        }];
        let ws = wb.add_worksheet();
        ws.set_name(taken[0].clone()).map_err(xerr)?;
        let heads: [&str; INDEX_COLS as usize] = if zh {
            [
                "序号",
                "网站名称",
                "网站标识码",
                "地区",
                "部门",
                "监测时间点",
                "结论",
                "得分",
                "扣分合计",
                "单项否决",
            ]
        } else {
            [
                "No.",
                "Site",
                "Site code",
                "Region",
                "Department",
                "Monitoring point",
                "Verdict",
                "Score",
                "Deductions",
                "Vetoes",
            ]
        };
        list_sheet(
            ws,
            0,
            &heads,
            &[6.0, 30.0, 14.0, 14.0, 14.0, 12.0, 10.0, 8.0, 10.0, 30.0],
            &st,
        )
        .map_err(xerr)?;
        // The 不合格网站名单 second: each failing site, its vetoes and its largest deductions, linked to its sheet.
        let failing = wb.add_worksheet();
        let failing_name = if zh {
            "不合格网站名单"
        } else {
            "Failing sites"
        };
        failing.set_name(failing_name).map_err(xerr)?;
        list_sheet(
            failing,
            0,
            &crate::html::failing_columns(lang),
            &FAILING_WIDTHS,
            &st,
        )
        .map_err(xerr)?;
        taken.push(failing_name.to_string());
        Ok(ReportsBook {
            wb,
            st,
            lang,
            taken,
            sites: 0,
            failing: 0,
        })
    }

    /// Add one site: its index row and its sheet, with `sign`'s hand-in fields.
    ///
    /// # Errors
    /// Past [`MAX_BOOK_SITES`], or when a cell cannot be written.
    pub fn add(&mut self, r: &StoredReport, sign: &Signing) -> Result<(), Error> {
        if self.sites == MAX_BOOK_SITES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!("one workbook holds at most {MAX_BOOK_SITES} sites"),
            )
            .with_help("render them as HTML, or split the input (by region, for one)"));
        }
        self.sites += 1;
        let (lang, st, i) = (self.lang, &self.st, self.sites);
        let name = sheet_name(i, &r.site.name, &mut self.taken);
        let ws = self.wb.worksheet_from_index(0).map_err(xerr)?;
        let row = i as u32;
        let l = labels(lang);
        let w = |e: Result<&mut Worksheet, XlsxError>| e.map(|_| ()).map_err(xerr);
        let text = |s: Option<&str>| cell(s.unwrap_or("")).into_owned();
        w(ws.write_number_with_format(row, 0, i as f64, &st.center))?;
        w(ws.write_url_with_format(row, 1, sheet_link(&name).set_text(cell(&r.site.name)), &st.link))?;
        w(ws.write_string_with_format(row, 2, text(r.site.id.as_deref()), &st.cell))?;
        w(ws.write_string_with_format(row, 3, text(r.site.region.as_deref()), &st.cell))?;
        w(ws.write_string_with_format(row, 4, text(r.site.department.as_deref()), &st.cell))?;
        w(ws.write_string_with_format(row, 5, cell(&r.monitoring_point), &st.cell))?;
        w(ws.write_string_with_format(row, 6, l.verdict(r.verdict), &st.center))?;
        match r.score {
            Some(s) => w(ws.write_number_with_format(row, 7, s, &st.number))?,
            None => w(ws.write_string_with_format(row, 7, "—", &st.center))?,
        }
        w(ws.write_number_with_format(row, 8, r.total_deduction, &st.number))?;
        w(ws.write_string_with_format(row, 9, cell(&vetoes_text(r, lang, false)), &st.cell))?;
        if r.verdict == pucha_core::Verdict::Fail {
            self.failing += 1;
            let f = self.failing;
            let ws = self.wb.worksheet_from_index(1).map_err(xerr)?;
            w(ws.write_number_with_format(f, 0, f64::from(f), &st.center))?;
            w(ws.write_url_with_format(f, 1, sheet_link(&name).set_text(cell(&r.site.name)), &st.link))?;
            // The same row as the roll-up's 名单, the name linked to its sheet.
            let entry =
                FailingSite::of(&Digest::from_stored(r)).titled(|id| r.rule(id).map(|x| x.title.clone()));
            let cells = crate::html::failing_cells(f as usize - 1, &entry, lang);
            for (c, text) in cells.iter().enumerate().take(6).skip(2) {
                w(ws.write_string_with_format(f, c as u16, cell(text), &st.cell))?;
            }
            match r.score {
                Some(s) => w(ws.write_number_with_format(f, 6, s, &st.number))?,
                None => w(ws.write_string_with_format(f, 6, "—", &st.center))?,
            }
        }
        let ws = self.wb.add_worksheet();
        ws.set_name(name).map_err(xerr)?;
        write_report(ws, r, lang, st, sign).map_err(xerr)
    }

    /// The workbook's bytes.
    ///
    /// # Errors
    /// When the workbook cannot be written.
    pub fn finish(mut self) -> Result<Vec<u8>, Error> {
        let last = self.sites as u32;
        let index = self.wb.worksheet_from_index(0).map_err(xerr)?;
        if last > 0 {
            index.autofilter(0, 0, last, INDEX_COLS - 1).map_err(xerr)?;
        }
        let failing = self.wb.worksheet_from_index(1).map_err(xerr)?;
        if self.failing == 0 {
            let none = if self.lang == Lang::Zh { "无" } else { "none" };
            failing
                .write_string_with_format(1, 0, none, &self.st.cell)
                .map_err(xerr)?;
        } else {
            failing
                .autofilter(0, 0, self.failing, FAILING_COLS - 1)
                .map_err(xerr)?;
        }
        self.wb.save_to_buffer().map_err(xerr)
    }
}

/// Before and after (整改前后) as a workbook: one sheet, a row per site (the columns of
/// [`crate::compare::columns`]; points as numbers), the sites whose verdict changed first and in bold, the counts
/// above, header frozen and filtered.
///
/// # Errors
/// When the workbook cannot be assembled.
pub fn compare_xlsx(c: &pucha_core::diff::Comparison, lang: Lang) -> Result<Vec<u8>, Error> {
    use crate::compare::{COLUMNS, Cell, columns, counts, rows};
    let mut wb = Workbook::new();
    let st = styles();
    let ws = wb.add_worksheet();
    ws.set_name(if lang == Lang::Zh {
        "整改前后"
    } else {
        "Before and after"
    })
    .map_err(xerr)?;
    let widths = [28.0, 14.0, 12.0, 10.0, 10.0, 10.0, 10.0, 10.0, 9.0, 40.0, 40.0];
    list_sheet(ws, 0, &columns(lang), &widths, &st).map_err(xerr)?;
    let bold = st.cell.clone().set_bold();
    let bold_number = st.number.clone().set_bold();
    let mut r = 0u32;
    for (row, d) in rows(c, lang).iter().zip(&c.site_diffs) {
        r += 1;
        let (text, number) = if d.verdict_changed {
            (&bold, &bold_number)
        } else {
            (&st.cell, &st.number)
        };
        for (col, value) in row.iter().enumerate() {
            let col = col as u16;
            match value {
                Cell::Text(s) => ws.write_string_with_format(r, col, &*cell(s), text),
                Cell::Number(n) => ws.write_number_with_format(r, col, *n, number),
                Cell::Empty => ws.write_blank(r, col, text),
            }
            .map_err(xerr)?;
        }
    }
    if r > 0 {
        ws.autofilter(0, 0, r, COLUMNS as u16 - 1).map_err(xerr)?;
    }
    ws.write_string(r + 2, 0, counts(c, lang)).map_err(xerr)?;
    ws.write_string(r + 3, 0, &*cell(&c.a)).map_err(xerr)?;
    ws.write_string(r + 4, 0, &*cell(&c.b)).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// A roll-up as a workbook: groups (under a title and the day it was made, `date`), vetoes, the deduction
/// distribution, the most frequent problems and the 不合格网站名单, each sheet set up to print on A4.
///
/// # Errors
/// When the workbook cannot be assembled.
pub fn rollup_xlsx(r: &Rollup, lang: Lang, date: &str) -> Result<Vec<u8>, Error> {
    let zh = lang == Lang::Zh;
    let mut wb = Workbook::new();
    let st = styles();
    let w = |e: Result<&mut Worksheet, XlsxError>| e.map(|_| ()).map_err(xerr);
    {
        let ws = wb.add_worksheet();
        w(ws.set_name(if zh { "分组统计" } else { "Groups" }))?;
        // The title, and what the table covers and when it was made, above the table.
        let title = if zh {
            "政府网站检查结果汇总"
        } else {
            "Government website inspection: summary"
        };
        w(ws.merge_range(0, 0, 0, 10, title, &st.title))?;
        w(ws.set_row_height(0, 30))?;
        let about = if zh {
            format!(
                "按{}分组，共 {} 个网站；制表日期：{date}",
                t(&r.by.heading(), lang),
                r.overall.sites
            )
        } else {
            format!(
                "By {}, {} sites; made on {date}",
                t(&r.by.heading(), lang),
                r.overall.sites
            )
        };
        w(ws.merge_range(1, 0, 1, 10, &about, &Format::new().set_font_name(BODY_FONT)))?;
        let top = 3u32;
        let by = r.by.heading();
        let heads: Vec<&str> = std::iter::once(t(&by, lang))
            .chain(rollup_columns(lang))
            .collect();
        list_sheet(ws, top, &heads, &[24.0], &st).map_err(xerr)?;
        for (i, g) in r.groups.iter().chain(std::iter::once(&r.overall)).enumerate() {
            let row = top + 1 + i as u32;
            w(ws.write_string_with_format(row, 0, t(&g.label, lang), &st.cell))?;
            let nums = [
                g.sites as f64,
                g.pass as f64,
                g.fail as f64,
                g.undetermined as f64,
            ];
            for (c, n) in nums.iter().enumerate() {
                w(ws.write_number_with_format(row, 1 + c as u16, *n, &st.center))?;
            }
            w(ws.write_number_with_format(row, 5, g.pass_rate, &st.cell.clone().set_num_format("0.0%")))?;
            w(ws.write_number_with_format(row, 6, g.vetoed as f64, &st.center))?;
            let opt = [g.mean_score, g.deductions.mean, g.deductions.median];
            for (c, v) in opt.iter().enumerate() {
                match v {
                    Some(x) => w(ws.write_number_with_format(row, 7 + c as u16, *x, &st.number))?,
                    None => w(ws.write_string_with_format(row, 7 + c as u16, "—", &st.center))?,
                }
            }
            w(ws.write_number_with_format(row, 10, g.incomplete as f64, &st.center))?;
        }
    }
    {
        let ws = wb.add_worksheet();
        w(ws.set_name(if zh { "单项否决" } else { "Vetoes" }))?;
        let heads = if zh {
            ["否决项", "规则", "网站数"]
        } else {
            ["Veto", "Rule", "Sites"]
        };
        list_sheet(ws, 0, &heads, &[24.0, 22.0], &st).map_err(xerr)?;
        for (i, v) in r.overall.vetoes.iter().enumerate() {
            let row = 1 + i as u32;
            w(ws.write_string_with_format(
                row,
                0,
                v.title.as_ref().map_or(v.rule.as_str(), |x| t(x, lang)),
                &st.cell,
            ))?;
            w(ws.write_string_with_format(row, 1, &v.rule, &st.cell))?;
            w(ws.write_number_with_format(row, 2, v.sites as f64, &st.center))?;
        }
    }
    {
        let ws = wb.add_worksheet();
        w(ws.set_name(if zh { "扣分分布" } else { "Deductions" }))?;
        let heads = if zh {
            ["扣分", "网站数"]
        } else {
            ["Deducted", "Sites"]
        };
        list_sheet(ws, 0, &heads, &[], &st).map_err(xerr)?;
        for (i, b) in r.overall.deductions.bins.iter().enumerate() {
            w(ws.write_string_with_format(1 + i as u32, 0, b.label, &st.cell))?;
            w(ws.write_number_with_format(1 + i as u32, 1, b.sites as f64, &st.center))?;
        }
    }
    {
        let ws = wb.add_worksheet();
        w(ws.set_name(if zh { "常见问题" } else { "Problems" }))?;
        let heads = if zh {
            ["指标", "规则", "网站数", "占比", "平均扣分"]
        } else {
            ["Item", "Rule", "Sites", "Share", "Mean points"]
        };
        list_sheet(ws, 0, &heads, &[24.0, 22.0], &st).map_err(xerr)?;
        for (i, p) in r.overall.problems.iter().enumerate() {
            let row = 1 + i as u32;
            w(ws.write_string_with_format(
                row,
                0,
                p.title.as_ref().map_or(p.rule.as_str(), |x| t(x, lang)),
                &st.cell,
            ))?;
            w(ws.write_string_with_format(row, 1, &p.rule, &st.cell))?;
            w(ws.write_number_with_format(row, 2, p.sites as f64, &st.center))?;
            w(ws.write_number_with_format(row, 3, p.share, &st.cell.clone().set_num_format("0.0%")))?;
            w(ws.write_number_with_format(row, 4, p.mean_points, &st.number))?;
        }
    }
    {
        // The 不合格网站名单.
        let ws = wb.add_worksheet();
        w(ws.set_name(if zh {
            "不合格网站名单"
        } else {
            "Failing sites"
        }))?;
        list_sheet(ws, 0, &crate::html::failing_columns(lang), &FAILING_WIDTHS, &st).map_err(xerr)?;
        for (i, f) in r.failing.iter().enumerate() {
            let row = 1 + i as u32;
            let cells = crate::html::failing_cells(i, f, lang);
            w(ws.write_number_with_format(row, 0, (i + 1) as f64, &st.center))?;
            for (c, text) in cells.iter().enumerate().take(6).skip(1) {
                w(ws.write_string_with_format(row, c as u16, cell(text), &st.cell))?;
            }
            match f.score {
                Some(x) => w(ws.write_number_with_format(row, 6, x, &st.number))?,
                None => w(ws.write_string_with_format(row, 6, "—", &st.center))?,
            }
        }
        if r.failing.is_empty() {
            w(ws.write_string_with_format(1, 0, if zh { "无" } else { "none" }, &st.cell))?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

#[cfg(test)]
mod safe_cells {
    use super::{CELL_MAX, cell, sheet_name};

    #[test]
    fn long_cells_are_cut_with_a_marker_and_sheet_names_lose_control_characters() {
        let long = "通".repeat(40_000);
        let c = cell(&long);
        assert!(c.ends_with("…（已截断 truncated）"));
        assert!(c.chars().count() < 32_767 && c.chars().count() > CELL_MAX);
        assert_eq!(cell("短"), "短");
        let mut taken = Vec::new();
        assert_eq!(sheet_name(1, "示例\u{1b}[2J县\u{7}", &mut taken), "1 示例2J县");
    }
}
