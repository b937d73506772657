//! Self-contained HTML: one site's scored table in the official 评分表 layout (print-ready on A4), and roll-ups
//! with an SVG bar chart. Both are rendered from stored JSON, so old reports re-render.

use crate::signing::{Signing, SigningOf};
use pucha_core::rollup::{GroupStats, Rollup};
use pucha_core::stored::{StoredReport, StoredRule};
use pucha_core::words::humanize;
use pucha_core::{Lang, RuleKind, Status, Text, Verdict, evidence_line};
use std::fmt::Write;

/// How many evidence lines the 存在的问题 cell shows before pointing to the appendix.
pub const CELL_EVIDENCE: usize = 3;

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// The text in `lang`.
pub fn t(text: &Text, lang: Lang) -> &str {
    match lang {
        Lang::Zh => &text.zh,
        Lang::En => &text.en,
    }
}

/// A number of points as the form shows it: `12.5`, `3`.
pub fn pts(p: f64) -> String {
    let r = (p * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Labels in both languages.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// 结论 words.
    pub pass: &'static str,
    /// 不合格.
    pub fail: &'static str,
    /// 未评定.
    pub undetermined: &'static str,
    /// Column headings of the scored table.
    pub cols: [&'static str; 6],
    /// Header field names: 网站名称, 首页网址, 网站标识码, 监测时间点, 网站主管单位, 结论, 得分, 扣分合计, 单项否决, 地区,
    /// 部门.
    pub fields: [&'static str; 11],
    /// The veto cell.
    pub veto: &'static str,
    /// Totals row.
    pub total: &'static str,
}

impl Labels {
    /// The word for a verdict.
    pub fn verdict(&self, v: Verdict) -> &'static str {
        match v {
            Verdict::Pass => self.pass,
            Verdict::Fail => self.fail,
            Verdict::Undetermined => self.undetermined,
        }
    }
}

/// The labels for `lang`.
pub fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::Zh => Labels {
            pass: "合格",
            fail: "不合格",
            undetermined: "未评定",
            cols: ["一级指标", "二级指标", "考察点", "扣分细则", "存在的问题", "扣分"],
            fields: [
                "网站名称",
                "首页网址",
                "网站标识码",
                "监测时间点",
                "网站主管单位",
                "结论",
                "得分",
                "扣分合计",
                "单项否决",
                "地区",
                "部门",
            ],
            veto: "否决",
            total: "合计",
        },
        Lang::En => Labels {
            pass: "Pass (合格)",
            fail: "Fail (不合格)",
            undetermined: "Undetermined (未评定)",
            cols: [
                "Indicator",
                "Item",
                "Checkpoint",
                "Criteria",
                "Findings",
                "Points",
            ],
            fields: [
                "Site",
                "Homepage",
                "Site code",
                "Monitoring point",
                "Authority",
                "Verdict",
                "Score",
                "Deductions",
                "Vetoes",
                "Region",
                "Department",
            ],
            veto: "veto",
            total: "Total",
        },
    }
}

/// The 扣分 cell of a rule.
pub fn points_cell(r: &StoredRule, lang: Lang) -> String {
    let l = labels(lang);
    if r.kind == RuleKind::Veto {
        return if r.status == Status::Applied {
            l.veto.into()
        } else {
            "—".into()
        };
    }
    let mut s = pts(r.points);
    if r.points != 0.0 && !r.counted {
        s.push_str(if lang == Lang::Zh {
            "（否决后不计）"
        } else {
            " (not counted)"
        });
    }
    s
}

/// The verdict sentence: 合格/不合格 and why.
pub fn verdict_line(r: &StoredReport, lang: Lang) -> String {
    let l = labels(lang);
    let word = l.verdict(r.verdict);
    if r.verdict == Verdict::Undetermined {
        let most = match r.total_deduction_max {
            Some(Some(m)) => pts(m),
            _ => "?".into(),
        };
        return match lang {
            Lang::Zh => format!(
                "{word}（缺少数据：扣分 {}–{most}，可能合格也可能不合格）",
                pts(r.total_deduction)
            ),
            Lang::En => format!(
                "{word} (missing data: deductions {}–{most}; the site could pass or fail)",
                pts(r.total_deduction)
            ),
        };
    }
    let threshold = r.threshold.map(pts).unwrap_or_else(|| "40".into());
    match (lang, r.vetoes.is_empty()) {
        (Lang::Zh, true) => format!(
            "{word}（扣分 {}，超过 {threshold} 分为不合格）",
            pts(r.total_deduction)
        ),
        (Lang::Zh, false) => format!("{word}（单项否决）"),
        (Lang::En, true) => format!(
            "{word} ({} deducted; more than {threshold} fails)",
            pts(r.total_deduction)
        ),
        (Lang::En, false) => format!("{word} (veto)"),
    }
}

/// The vetoes that fired, with their clauses or without, or 无 / none.
pub fn vetoes_text(r: &StoredReport, lang: Lang, clauses: bool) -> String {
    if r.vetoes.is_empty() {
        return if lang == Lang::Zh { "无" } else { "none" }.to_string();
    }
    r.vetoes
        .iter()
        .map(|v| {
            let title = t(&v.title, lang);
            if clauses {
                let c: Vec<&str> = v.clauses.iter().map(|c| t(c, lang)).collect();
                format!("{title}（{}）", c.join("；"))
            } else {
                title.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The rules grouped by 一级指标, in pack order.
pub fn indicator_groups(r: &StoredReport) -> Vec<(&str, Vec<&StoredRule>)> {
    let mut groups: Vec<(&str, Vec<&StoredRule>)> = Vec::new();
    for rule in &r.rules {
        match groups.last_mut() {
            Some((id, rules)) if *id == rule.indicator.id => rules.push(rule),
            _ => groups.push((&rule.indicator.id, vec![rule])),
        }
    }
    groups
}

pub(crate) const REPORT_CSS: &str = r#"
@page { size: A4 portrait; margin: 14mm 10mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 8pt serif; } }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Songti SC", SimSun, "宋体", serif; color: #000; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1, h2, h3, th { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: calc(100% - 1pt); }
th, td { border: 0.6pt solid #000; padding: 1.2mm 1.5mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
table.meta th { width: 24mm; background: #f2f2f2; white-space: nowrap; }
table.meta td { width: 71mm; }
table.score thead th { background: #f2f2f2; text-align: center; }
table.score { table-layout: fixed; }
table.score td, table.score th { overflow-wrap: break-word; word-break: normal; hyphens: manual; }
table.score th.ind { word-break: keep-all; text-align: center; vertical-align: middle; }
table.score td.pts { text-align: center; }
table.score .ind { width: 23mm; }
table.score .item { width: 19mm; }
table.score .chk, table.score .crit { width: 36mm; }
table.score .pts { width: 13mm; }
table.score { break-after: avoid; }
table.score td.why .ev { display: block; font-size: 9pt; color: #333; overflow-wrap: anywhere; }
table.score tr.total td { font-weight: bold; }
.verdict-fail { font-weight: bold; }
.note { font-size: 9pt; margin: 2mm 0; }
.sign { display: grid; grid-template-columns: repeat(3, 1fr); gap: 5mm 6mm; margin-top: 8mm; break-inside: avoid;
  break-before: avoid; }
.sign label { display: flex; gap: 1mm; align-items: flex-end; white-space: nowrap; }
.sign span { flex: 1; display: block; border-bottom: 0.6pt solid #000; min-height: 8mm; white-space: normal; }
.sign label.seal { grid-column: 1 / -1; }
.sign label.seal span { min-height: 24mm; }
.appendix ol { padding-left: 7mm; margin: 1mm 0 3mm; font-size: 9pt; overflow-wrap: anywhere; }
.appendix h3 { font-size: 10.5pt; margin: 3mm 0 1mm; }
nav.toc ol { columns: 2; font-size: 10pt; }
nav.toc a { color: inherit; text-decoration: none; }
footer { margin-top: 6mm; font-size: 8pt; color: #444; }
@media print { .appendix { break-before: page; } body { padding: 0; } nav.toc { break-after: page; }
  body > footer { display: none; } }
article.report + article.report { break-before: page; margin-top: 10mm; }
"#;

/// One site's report as a self-contained, print-ready HTML page: the 上报表 with `sign`'s fields.
pub fn report_html(r: &StoredReport, lang: Lang, sign: &Signing) -> String {
    reports_html(std::slice::from_ref(r), lang, &|_| sign.clone())
}

/// Several reports in one printable page, each starting on a new sheet, after a table of contents when there are
/// several; `sign` gives each report's hand-in fields.
pub fn reports_html(reports: &[StoredReport], lang: Lang, sign: SigningOf<'_>) -> String {
    let mut h = String::with_capacity(32 * 1024 * reports.len().max(1));
    h.push_str(&reports_html_head(reports.len(), reports.first(), lang));
    if reports.len() > 1 {
        h.push_str(&contents(
            reports.iter().map(|r| (r.site.name.as_str(), r.verdict)),
            lang,
        ));
    }
    for (i, r) in reports.iter().enumerate() {
        h.push_str(&report_article(i, r, lang, &sign(r)));
    }
    h.push_str(&reports_html_foot());
    h
}

/// The table of contents of a many-site page: each site (its name and verdict, in page order) linking to its
/// report.
pub fn contents<'a>(entries: impl IntoIterator<Item = (&'a str, Verdict)>, lang: Lang) -> String {
    let l = labels(lang);
    let mut h = format!(
        "<nav class=\"toc\"><h2>{}</h2><ol>\n",
        if lang == Lang::Zh { "目录" } else { "Contents" }
    );
    for (i, (name, verdict)) in entries.into_iter().enumerate() {
        let _ = writeln!(
            h,
            "<li><a href=\"#site-{}\">{}（{}）</a></li>",
            i + 1,
            esc(name),
            l.verdict(verdict)
        );
    }
    h.push_str("</ol></nav>\n");
    h
}

/// The start of a page of `count` reports (`first` names the page when it is the only one): written before the
/// reports, which a streaming writer then adds one by one ([`report_article`]) and closes ([`reports_html_foot`]).
pub fn reports_html_head(count: usize, first: Option<&StoredReport>, lang: Lang) -> String {
    let html_lang = if lang == Lang::Zh { "zh-CN" } else { "en" };
    let title = match (count, first) {
        (1, Some(one)) => format!("{} — {}", t(&one.pack.title, lang), one.site.name),
        _ => format!(
            "{} ({count})",
            if lang == Lang::Zh {
                "评分表"
            } else {
                "Scoring tables"
            }
        ),
    };
    format!(
        "<!doctype html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{REPORT_CSS}</style></head><body>\n",
        esc(&title)
    )
}

/// A string for a CSS `content` value: quoted, with quotes, backslashes and line ends escaped.
fn css_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("\\3c "),
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Report number `i` (0-based) of a page, starting on a new sheet whose printed pages carry the site's name at the
/// top (a page of its own, named `site-{i+1}`, which the table of contents links to).
pub fn report_article(i: usize, r: &StoredReport, lang: Lang, sign: &Signing) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let n = i + 1;
    let _ = writeln!(
        h,
        "<style>@page site-{n} {{ @top-center {{ content: {}; font: 8pt serif; }} }} \
         article#site-{n} {{ page: site-{n}; }}</style>",
        css_string(&format!("{} · {}", r.site.name, t(&r.pack.title, lang)))
    );
    let _ = writeln!(h, "<article class=\"report\" id=\"site-{n}\">");
    report_body(&mut h, r, lang, sign);
    h.push_str("</article>\n");
    h
}

/// The end of a page of reports.
pub fn reports_html_foot() -> String {
    format!(
        "<footer>pucha {}</footer>\n</body></html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The explanation of a rule as the form shows it: field paths and window codes in words.
pub fn explanation(rule: &StoredRule, lang: Lang) -> String {
    humanize(t(&rule.explanation, lang), lang)
}

/// A Chinese name that may break only between pairs of characters (网站<wbr>可用性, 信息<wbr>更新<wbr>情况), so a
/// narrow column never leaves one character of a word on a line; escaped for HTML. Other text is only escaped.
fn in_pairs(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 4 || !chars.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
        return esc(name);
    }
    // Pairs from the start; a last odd character stays with the pair before it (网站 可用性).
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let take = if chars.len() - i == 3 { 3 } else { 2 };
        if i > 0 {
            out.push_str("<wbr>");
        }
        out.extend(&chars[i..i + take]);
        i += take;
    }
    out
}

/// The verdict with a note when the pack codes only part of the table (the verdict itself is the same).
pub fn verdict_cell(r: &StoredReport, lang: Lang) -> String {
    let mut v = verdict_line(r, lang);
    if r.pack.completeness == "partial" {
        v.push_str(if lang == Lang::Zh {
            "（评分表仅部分编码）"
        } else {
            " (the table is only partly coded)"
        });
    }
    v
}

fn report_body(h: &mut String, r: &StoredReport, lang: Lang, sign: &Signing) {
    let l = labels(lang);
    let title = t(&r.pack.title, lang);
    let _ = writeln!(h, "<h1>{}</h1>", esc(title));
    // Header: the form's fields.
    let dash = || "—".to_string();
    let or_dash = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(dash);
    let vetoes = vetoes_text(r, lang, true);
    let rows: [(&str, String); 11] = [
        (l.fields[0], r.site.name.clone()),
        (l.fields[2], or_dash(&r.site.id)),
        (l.fields[1], or_dash(&r.site.url)),
        (l.fields[3], r.monitoring_point.clone()),
        (l.fields[4], or_dash(&sign.authority)),
        (l.fields[9], or_dash(&r.site.region)),
        (l.fields[10], or_dash(&r.site.department)),
        (l.fields[6], r.score.map(pts).unwrap_or_else(dash)),
        (l.fields[5], verdict_cell(r, lang)),
        (l.fields[7], pts(r.total_deduction)),
        (l.fields[8], vetoes),
    ];
    // Two fields a row, as on the paper form; the 结论 and the vetoes, which run long, a row each.
    h.push_str("<table class=\"meta\"><tbody>\n");
    let field = |h: &mut String, (k, v): &(&str, String), span: bool| {
        let mut cls = String::new();
        if *k == l.fields[5] && r.verdict == Verdict::Fail {
            cls.push_str(" class=\"verdict-fail\"");
        }
        if span {
            cls.push_str(" colspan=\"3\"");
        }
        let _ = write!(
            h,
            "<th scope=\"row\">{}</th><td{cls} data-field=\"{}\">{}</td>",
            esc(k),
            esc(k),
            esc(v)
        );
    };
    let long = |k: &str| k == l.fields[5] || k == l.fields[8];
    let mut i = 0;
    while i < rows.len() {
        h.push_str("<tr>");
        if long(rows[i].0) || rows.get(i + 1).is_none_or(|next| long(next.0)) {
            field(h, &rows[i], true);
            i += 1;
        } else {
            field(h, &rows[i], false);
            field(h, &rows[i + 1], false);
            i += 2;
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    if !r.complete {
        let n = r.rules.iter().filter(|x| x.status == Status::NoData).count();
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            if lang == Lang::Zh {
                format!("注：{n} 项缺少数据，结论按已有数据作出。")
            } else {
                format!("Note: {n} rules lack data; the verdict rests on the data given.")
            }
        );
    }
    for w in &r.warnings {
        let _ = writeln!(
            h,
            "<p class=\"note\">⚠ {}</p>",
            esc(&humanize(t(&w.message, lang), lang))
        );
    }
    // The scored table.
    h.push_str("<table class=\"score\"><thead><tr>");
    for (i, c) in l.cols.iter().enumerate() {
        let cls = ["ind", "item", "chk", "crit", "why", "pts"][i];
        let _ = write!(h, "<th scope=\"col\" class=\"{cls}\">{c}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    let mut appendix_no = 0usize;
    for (_, rules) in indicator_groups(r) {
        for (i, rule) in rules.iter().enumerate() {
            let _ = write!(
                h,
                "<tr data-rule=\"{}\" data-status=\"{}\">",
                esc(&rule.id),
                rule.status.key()
            );
            if i == 0 {
                let ind = rule.indicator.zh.first().map(String::as_str).unwrap_or("");
                let ind = if lang == Lang::En {
                    rule.indicator.en.first().map(String::as_str).unwrap_or(ind)
                } else {
                    ind
                };
                let _ = write!(
                    h,
                    "<th scope=\"rowgroup\" class=\"ind\" rowspan=\"{}\">{}</th>",
                    rules.len(),
                    in_pairs(ind)
                );
            }
            let _ = write!(
                h,
                "<td class=\"item\">{}</td><td>{}</td><td>{}</td><td class=\"why\">{}",
                esc(t(&rule.title, lang)),
                esc(t(&rule.checkpoint, lang)),
                esc(t(&rule.criteria, lang)),
                esc(&explanation(rule, lang))
            );
            if !rule.evidence.is_empty() {
                appendix_no += 1;
                for e in rule.evidence.iter().take(CELL_EVIDENCE) {
                    let _ = write!(h, "<span class=\"ev\">· {}</span>", esc(&evidence_line(e, lang)));
                }
                if rule.evidence.len() > CELL_EVIDENCE {
                    let _ = write!(
                        h,
                        "<span class=\"ev\">{}</span>",
                        if lang == Lang::Zh {
                            format!("共 {} 项，见附录 {appendix_no}", rule.evidence.len())
                        } else {
                            format!("{} items in all, see appendix {appendix_no}", rule.evidence.len())
                        }
                    );
                }
            }
            let _ = writeln!(
                h,
                "</td><td class=\"pts\">{}</td></tr>",
                esc(&points_cell(rule, lang))
            );
        }
    }
    // The 合计 row, once, at the table's end (a `tfoot` would repeat at the foot of every printed page, reading
    // like a page subtotal).
    let _ = writeln!(
        h,
        "<tr class=\"total\"><td colspan=\"5\">{}</td><td class=\"pts\" data-field=\"total\">{}</td></tr>\
         </tbody></table>",
        esc(&format!("{}：{}", l.total, verdict_line(r, lang))),
        pts(r.total_deduction)
    );
    // The hand-in fields: the unit's seal on a line of its own, then the signatures.
    h.push_str("<div class=\"sign\">");
    for (i, (label, value)) in sign.fields(lang).iter().enumerate() {
        let _ = write!(
            h,
            "<label{}>{label}：<span>{}</span></label>",
            if i == 0 { " class=\"seal\"" } else { "" },
            esc(value.unwrap_or(""))
        );
    }
    h.push_str("</div>\n");
    // Evidence appendix.
    if appendix_no > 0 {
        let _ = writeln!(
            h,
            "<section class=\"appendix\"><h2>{}</h2>",
            if lang == Lang::Zh {
                "附录：证据"
            } else {
                "Appendix: evidence"
            }
        );
        let mut no = 0;
        for rule in r.rules.iter().filter(|x| !x.evidence.is_empty()) {
            no += 1;
            let _ = writeln!(
                h,
                "<h3 id=\"ev-{}\">{no}. {}</h3><ol>",
                esc(&rule.id),
                esc(t(&rule.title, lang)),
            );
            for e in &rule.evidence {
                let _ = writeln!(h, "<li>{}</li>", esc(&evidence_line(e, lang)));
            }
            h.push_str("</ol>\n");
        }
        h.push_str("</section>\n");
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// An SVG bar chart of pass rates by group (self-contained, no script).
pub fn pass_rate_svg(r: &Rollup, lang: Lang) -> String {
    let rows: Vec<&GroupStats> = if r.groups.is_empty() {
        vec![&r.overall]
    } else {
        r.groups.iter().collect()
    };
    let (label_w, bar_w, row_h) = (160.0, 360.0, 26.0);
    let height = 30.0 + row_h * rows.len() as f64;
    let mut s = String::new();
    let title = if lang == Lang::Zh {
        "合格率"
    } else {
        "Pass rate"
    };
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\" width=\"{}\" height=\"{height}\" \
         viewBox=\"0 0 {} {height}\" font-family=\"sans-serif\" font-size=\"12\">",
        label_w + bar_w + 130.0,
        label_w + bar_w + 130.0
    );
    let _ = write!(s, "<title>{title}</title>");
    for (i, g) in rows.iter().enumerate() {
        let y = 10.0 + row_h * i as f64;
        let w = (g.pass_rate * bar_w).max(0.0);
        let _ = write!(
            s,
            "<g data-group=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{bar_w}\" height=\"18\" fill=\"#eceff4\"/>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"#2f7d4f\"/>\
             <text x=\"{}\" y=\"{}\">{} ({}/{})</text></g>",
            esc(&g.group),
            label_w - 6.0,
            y + 13.0,
            esc(t(&g.label, lang)),
            label_w + bar_w + 6.0,
            y + 13.0,
            pct(g.pass_rate),
            g.pass,
            g.sites
        );
    }
    // The axis at 0 %.
    let _ = write!(
        s,
        "<line x1=\"{label_w}\" x2=\"{label_w}\" y1=\"6\" y2=\"{}\" stroke=\"#555\"/></svg>",
        height - 14.0
    );
    s
}

/// Headings of the roll-up table.
pub fn rollup_columns(lang: Lang) -> [&'static str; 10] {
    match lang {
        Lang::Zh => [
            "网站数",
            "合格",
            "不合格",
            "未评定",
            "合格率",
            "单项否决",
            "平均得分",
            "平均扣分",
            "扣分中位数",
            "数据不全",
        ],
        Lang::En => [
            "Sites",
            "Pass",
            "Fail",
            "Undetermined",
            "Pass rate",
            "Vetoed",
            "Mean score",
            "Mean deduction",
            "Median deduction",
            "Incomplete",
        ],
    }
}

/// The numbers of one roll-up row, as shown.
pub fn rollup_cells(g: &GroupStats) -> [String; 10] {
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into());
    [
        g.sites.to_string(),
        g.pass.to_string(),
        g.fail.to_string(),
        g.undetermined.to_string(),
        pct(g.pass_rate),
        g.vetoed.to_string(),
        opt(g.mean_score),
        opt(g.deductions.mean),
        opt(g.deductions.median),
        g.incomplete.to_string(),
    ]
}

/// A roll-up as a self-contained HTML page with an SVG chart of pass rates.
pub fn rollup_html(r: &Rollup, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut h = String::with_capacity(16 * 1024);
    let title = if zh {
        "政府网站检查结果汇总"
    } else {
        "Government website inspection: summary"
    };
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{REPORT_CSS}\
         table.sum td {{ text-align: right; }} table.sum td:first-child {{ text-align: left; }}</style></head><body>\n<h1>{title}</h1>\n",
        if zh { "zh-CN" } else { "en" }
    );
    let by = r.by.heading();
    let _ = writeln!(h, "<h2>{}</h2>", if zh { "合格率" } else { "Pass rate" });
    h.push_str(&pass_rate_svg(r, lang));
    let _ = writeln!(
        h,
        "<h2>{}</h2><table class=\"sum\"><thead><tr><th>{}</th>",
        if zh { "分组统计" } else { "By group" },
        t(&by, lang)
    );
    for c in rollup_columns(lang) {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for g in r.groups.iter().chain(std::iter::once(&r.overall)) {
        let _ = write!(
            h,
            "<tr data-group=\"{}\"><td>{}</td>",
            esc(&g.group),
            esc(t(&g.label, lang))
        );
        for c in rollup_cells(g) {
            let _ = write!(h, "<td>{}</td>", esc(&c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    let o = &r.overall;
    let _ = writeln!(
        h,
        "<h2>{}</h2><table class=\"sum\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        if zh { "单项否决" } else { "Vetoes" },
        if zh { "否决项" } else { "Veto" },
        if zh { "网站数" } else { "Sites" }
    );
    for v in &o.vetoes {
        let name = v.title.as_ref().map_or(v.rule.as_str(), |x| t(x, lang));
        let _ = writeln!(h, "<tr><td>{}</td><td>{}</td></tr>", esc(name), v.sites);
    }
    if o.vetoes.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"2\">{}</td></tr>",
            if zh { "无" } else { "none" }
        );
    }
    h.push_str("</tbody></table>\n");
    let _ = writeln!(
        h,
        "<h2>{}</h2><table class=\"sum\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        if zh {
            "扣分分布（未被否决的网站）"
        } else {
            "Deductions (sites without a veto)"
        },
        if zh { "扣分" } else { "Deducted" },
        if zh { "网站数" } else { "Sites" }
    );
    for b in &o.deductions.bins {
        let _ = writeln!(h, "<tr><td>{}</td><td>{}</td></tr>", b.label, b.sites);
    }
    h.push_str("</tbody></table>\n");
    let _ = writeln!(
        h,
        "<h2>{}</h2><table class=\"sum\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        if zh {
            "最常见的问题"
        } else {
            "Most frequent problems"
        },
        if zh { "指标" } else { "Item" },
        if zh { "网站数" } else { "Sites" },
        if zh { "占比" } else { "Share" },
        if zh { "平均扣分" } else { "Mean points" }
    );
    for p in &o.problems {
        let name = p.title.as_ref().map_or(p.rule.as_str(), |x| t(x, lang));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td></tr>",
            esc(name),
            p.sites,
            pct(p.share),
            p.mean_points
        );
    }
    h.push_str("</tbody></table>\n");
    // The 不合格网站名单.
    let heads = failing_columns(lang);
    let _ = write!(
        h,
        "<h2>{}</h2><table class=\"failing\"><thead><tr>",
        if zh {
            "不合格网站名单"
        } else {
            "Failing sites"
        }
    );
    for c in heads {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for (i, f) in r.failing.iter().enumerate() {
        let [no, name, id, region, vetoes, largest, score] = failing_cells(i, f, lang);
        let name = match &f.url {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                format!("<a href=\"{}\">{}</a>", esc(u), esc(&name))
            }
            _ => esc(&name),
        };
        let _ = writeln!(
            h,
            "<tr><td>{no}</td><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&id),
            esc(&region),
            esc(&vetoes),
            esc(&largest),
            esc(&score)
        );
    }
    if r.failing.is_empty() {
        let _ = writeln!(
            h,
            "<tr><td colspan=\"{}\">{}</td></tr>",
            heads.len(),
            if zh { "无" } else { "none" }
        );
    }
    h.push_str("</tbody></table>\n");
    let _ = writeln!(
        h,
        "<footer>pucha {}</footer>\n</body></html>",
        env!("CARGO_PKG_VERSION")
    );
    h
}

/// The 不合格网站名单's column headings.
pub fn failing_columns(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => [
            "序号",
            "网站名称",
            "网站标识码",
            "地区",
            "单项否决",
            "扣分最多的指标",
            "得分",
        ],
        Lang::En => [
            "No.",
            "Site",
            "Site code",
            "Region",
            "Vetoes",
            "Largest deductions",
            "Score",
        ],
    }
}

/// One row of the 不合格网站名单 (row `i`, 0-based): number, name, code, region, vetoes, largest deductions, score.
pub fn failing_cells(i: usize, f: &pucha_core::rollup::FailingSite, lang: Lang) -> [String; 7] {
    let none = if lang == Lang::Zh { "无" } else { "none" };
    let name = |r: &pucha_core::rollup::NamedRule| {
        r.title
            .as_ref()
            .map_or(r.rule.clone(), |x| t(x, lang).to_string())
    };
    let list = |parts: Vec<String>| {
        if parts.is_empty() {
            none.to_string()
        } else {
            parts.join("；")
        }
    };
    [
        (i + 1).to_string(),
        f.name.clone(),
        f.id.clone().unwrap_or_default(),
        f.region.clone().unwrap_or_default(),
        list(f.vetoes.iter().map(name).collect()),
        list(
            f.largest
                .iter()
                .map(|r| format!("{} {}", name(r), pts(r.points)))
                .collect(),
        ),
        f.score.map(pts).unwrap_or_else(|| "—".into()),
    ]
}
