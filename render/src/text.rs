//! Text and CSV renderings: the roll-up (`pucha summarize`), a comparison (`pucha diff`, `pucha compare`), and the
//! CSV fields every CSV pucha writes uses.

use crate::html::{self, t};
use pucha_core::Lang;
use pucha_core::diff::Comparison;
use pucha_core::rollup::Rollup;
use std::fmt::Write;

/// The roll-up as a text table.
pub fn rollup_text(r: &Rollup, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}（{}，{} {}）\n",
        if zh {
            "检查结果汇总"
        } else {
            "Inspection summary"
        },
        t(&r.by.heading(), lang),
        r.overall.sites,
        if zh { "个网站" } else { "sites" }
    );
    if r.unscored > 0 {
        let _ = writeln!(
            s,
            "{}：{}\n",
            if zh {
                "未能评分的记录"
            } else {
                "Records of sites that could not be scored"
            },
            r.unscored
        );
    }
    let cols = html::rollup_columns(lang);
    let _ = writeln!(s, "{}\t{}", t(&r.by.heading(), lang), cols.join("\t"));
    for g in r.groups.iter().chain(std::iter::once(&r.overall)) {
        let _ = writeln!(s, "{}\t{}", t(&g.label, lang), html::rollup_cells(g).join("\t"));
    }
    let o = &r.overall;
    let _ = writeln!(s, "\n{}", if zh { "单项否决：" } else { "Vetoes:" });
    if o.vetoes.is_empty() {
        let _ = writeln!(s, "  {}", if zh { "无" } else { "none" });
    }
    for v in &o.vetoes {
        let _ = writeln!(
            s,
            "  {}\t{}",
            v.title.as_ref().map_or(v.rule.as_str(), |x| t(x, lang)),
            v.sites
        );
    }
    let _ = writeln!(
        s,
        "\n{}",
        if zh {
            "扣分分布（未被否决的网站）："
        } else {
            "Deductions (sites without a veto):"
        }
    );
    for b in &o.deductions.bins {
        let _ = writeln!(s, "  {}\t{}", b.label, b.sites);
    }
    let _ = writeln!(
        s,
        "\n{}",
        if zh {
            "最常见的问题："
        } else {
            "Most frequent problems:"
        }
    );
    let _ = writeln!(
        s,
        "  {}",
        if zh {
            "指标\t网站数\t占比\t平均扣分"
        } else {
            "Item\tSites\tShare\tMean points"
        }
    );
    for p in &o.problems {
        let _ = writeln!(
            s,
            "  {}\t{}\t{:.1}%\t{:.1}",
            p.title.as_ref().map_or(p.rule.as_str(), |x| t(x, lang)),
            p.sites,
            p.share * 100.0,
            p.mean_points
        );
    }
    let _ = writeln!(
        s,
        "\n{}",
        if zh {
            "不合格网站名单："
        } else {
            "Failing sites:"
        }
    );
    if r.failing.is_empty() {
        let _ = writeln!(s, "  {}", if zh { "无" } else { "none" });
    } else {
        let _ = writeln!(s, "  {}", html::failing_columns(lang).join("\t"));
        for (i, f) in r.failing.iter().enumerate() {
            let _ = writeln!(s, "  {}", html::failing_cells(i, f, lang).join("\t"));
        }
    }
    s
}

/// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV field of text taken from input (a site's name, a rule id, a date as given): one that a spreadsheet would
/// run as a formula (a leading `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as OWASP advises,
/// then RFC 4180 quoting. The numbers pucha writes itself go through [`csv_field`] alone, so `-3.5` stays a number.
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        csv_field(&format!("'{s}"))
    } else {
        csv_field(s)
    }
}

/// The roll-up as CSV: one row per group, then the whole (group `*`).
pub fn rollup_csv(r: &Rollup) -> String {
    let mut s = String::from(
        "group,label,sites,pass,fail,undetermined,pass_rate,vetoed,incomplete,mean_score,mean_deduction,median_deduction,top_veto,top_problem\n",
    );
    let opt = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_default();
    for (g, key) in r
        .groups
        .iter()
        .map(|g| (g, g.group.as_str()))
        .chain(std::iter::once((&r.overall, "*")))
    {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{:.4},{},{},{},{},{},{},{}",
            csv_text(key),
            csv_text(&g.label.zh),
            g.sites,
            g.pass,
            g.fail,
            g.undetermined,
            g.pass_rate,
            g.vetoed,
            g.incomplete,
            opt(g.mean_score),
            opt(g.deductions.mean),
            opt(g.deductions.median),
            csv_text(g.vetoes.first().map(|v| v.rule.as_str()).unwrap_or("")),
            csv_text(g.problems.first().map(|p| p.rule.as_str()).unwrap_or("")),
        );
    }
    s
}

/// The comparison as text.
pub fn diff_text(c: &Comparison, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(s, "A: {}\nB: {}\n", c.a, c.b);
    let _ = writeln!(s, "{}", crate::compare::counts(c, lang));
    let word = |v: pucha_core::Verdict| v.label(if zh { Lang::Zh } else { Lang::En });
    let score = |x: Option<f64>| x.map(html::pts).unwrap_or_else(|| "—".into());
    for d in c
        .site_diffs
        .iter()
        .filter(|d| d.verdict_changed || !d.rules.is_empty())
    {
        let _ = writeln!(
            s,
            "\n{} {}  {} {} → {} {}{}",
            d.site.name,
            d.monitoring_point,
            word(d.a.verdict),
            score(d.a.score),
            word(d.b.verdict),
            score(d.b.score),
            if d.verdict_changed {
                if zh {
                    "  ＊结论改变"
                } else {
                    "  * verdict changed"
                }
            } else {
                ""
            }
        );
        for m in &d.rules {
            let p = |x: Option<f64>| x.map(html::pts).unwrap_or_else(|| "—".into());
            let _ = writeln!(
                s,
                "  [{}] {}  {} → {} ({:+.1})",
                m.rule,
                t(&m.title, lang),
                p(m.a_points),
                p(m.b_points),
                m.delta
            );
        }
    }
    if !c.rules.is_empty() {
        let _ = writeln!(s, "\n{}", if zh { "按规则：" } else { "By rule:" });
        for r in &c.rules {
            let _ = writeln!(
                s,
                "  [{}] {}\t{} {}\t{:+.1}",
                r.rule,
                t(&r.title, lang),
                r.sites,
                if zh { "个网站" } else { "sites" },
                r.total_delta
            );
        }
    }
    s
}

/// The comparison as CSV, one row per site.
pub fn diff_csv(c: &Comparison) -> String {
    let mut s = String::from(
        "site,site_id,monitoring_point,a_verdict,a_score,a_deduction,b_verdict,b_score,b_deduction,verdict_changed,rules_moved\n",
    );
    let v = |x: pucha_core::Verdict| x.key();
    let n = |x: Option<f64>| x.map(|y| format!("{y:.1}")).unwrap_or_default();
    for d in &c.site_diffs {
        let moved: Vec<String> = d
            .rules
            .iter()
            .map(|m| format!("{}:{:+.1}", m.rule, m.delta))
            .collect();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{:.1},{},{},{:.1},{},{}",
            csv_text(&d.site.name),
            csv_text(d.site.id.as_deref().unwrap_or("")),
            csv_text(&d.monitoring_point),
            v(d.a.verdict),
            n(d.a.score),
            d.a.total_deduction,
            v(d.b.verdict),
            n(d.b.score),
            d.b.total_deduction,
            d.verdict_changed,
            csv_text(&moved.join(" "))
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{csv_field, csv_text};

    #[test]
    fn csv_fields_from_input_never_run_as_formulas_and_numbers_stay_numbers() {
        assert_eq!(
            csv_text("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("-2+3"), "'-2+3");
        assert_eq!(csv_text("示例县,人民政府"), "\"示例县,人民政府\"");
        assert_eq!(csv_text("a\nb"), "\"a\nb\"");
        assert_eq!(csv_text("link-availability"), "link-availability");
        assert_eq!(csv_field("-3.5"), "-3.5");
    }
}
