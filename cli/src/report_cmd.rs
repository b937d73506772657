//! `pucha render`, `pucha summarize` and `pucha diff`: reports people hand in, roll-ups for organising units,
//! and what-if comparisons.

use crate::html::t;
use crate::{EXIT_BAD_INPUT, EXIT_PASS, Format, html, load_pack, out, print_error, xlsx};
use pucha_core::diff::{Comparison, compare};
use pucha_core::rollup::{GroupBy, Rollup};
use pucha_core::stored::{Digest, StoredReport, TitleBook};
use pucha_core::{Engine, Error, ErrorKind, Lang, Observation};
use std::fmt::Write;

/// Read a file (or stdin for `-`) as UTF-8 text, up to the input limit.
pub(crate) fn read_text(path: &str, what: &str) -> Result<String, Error> {
    pucha_core::files::read_text(path, pucha_core::MAX_INPUT_BYTES, what)
}

/// The JSON documents of a file: one document, or one per line (JSON Lines), with their line numbers.
pub(crate) fn documents(text: &str) -> Vec<(usize, &str)> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    let json_lines = lines.len() > 1 && serde_json::from_str::<serde::de::IgnoredAny>(lines[0].1).is_ok();
    if json_lines { lines } else { vec![(1, trimmed)] }
}

/// Write `bytes` to `output`, or to stdout when none is given (text formats only).
pub(crate) fn emit(output: Option<&str>, bytes: &[u8], binary: bool) -> Result<(), Error> {
    match output {
        Some(p) if p != "-" => std::fs::write(p, bytes)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write `{p}`: {e}")).with_file(p)),
        _ if binary => Err(Error::new(
            ErrorKind::InvalidArgument,
            "an XLSX workbook needs `--output FILE.xlsx`",
        )),
        _ => {
            out(&String::from_utf8_lossy(bytes));
            Ok(())
        }
    }
}

fn read_reports(paths: &[String]) -> Result<Vec<StoredReport>, Error> {
    let mut reports = Vec::new();
    for p in paths {
        let text = read_text(p, "report")?;
        for (line, doc) in documents(&text) {
            let r = StoredReport::from_json_str(doc).map_err(|e| e.with_file(format!("{p}:{line}")))?;
            reports.push(r);
        }
    }
    if reports.is_empty() {
        return Err(Error::new(ErrorKind::InvalidValue, "no reports in the input"));
    }
    Ok(reports)
}

/// Render reports stored as JSON (`pucha score --format json`) as HTML or XLSX.
pub(crate) fn render(paths: &[String], format: Format, output: Option<&str>, lang: Lang) -> u8 {
    let res = read_reports(paths).and_then(|reports| write_reports(&reports, format, output, lang));
    match res {
        Ok(()) => EXIT_PASS,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}

/// Write reports in a hand-in format.
pub(crate) fn write_reports(
    reports: &[StoredReport],
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> Result<(), Error> {
    match format {
        Format::Html => emit(output, html::reports_html(reports, lang).as_bytes(), false),
        Format::Xlsx => {
            let bytes = match reports {
                [one] => xlsx::report_xlsx(one, lang)?,
                many => xlsx::reports_xlsx(many, lang)?,
            };
            emit(output, &bytes, true)
        }
        Format::Json => {
            let mut s = String::new();
            for r in reports {
                s.push_str(&serde_json::to_string(r).unwrap_or_default());
                s.push('\n');
            }
            emit(output, s.as_bytes(), false)
        }
        Format::Text | Format::Csv => Err(Error::new(
            ErrorKind::InvalidArgument,
            "render writes `html`, `xlsx` or `json`",
        )),
    }
}

/// Read digests of reports or summaries from many files, in parallel, with the rule titles they carry.
pub(crate) fn read_digests(paths: &[String]) -> Result<(Vec<Digest>, TitleBook), Error> {
    let mut out = Vec::new();
    let mut book = TitleBook::default();
    for p in paths {
        let text = read_text(p, "reports")?;
        let docs = documents(&text);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = docs.len().div_ceil(threads).max(1);
        let parts: Vec<Result<(Vec<Digest>, TitleBook), Error>> = std::thread::scope(|s| {
            let handles: Vec<_> = docs
                .chunks(chunk)
                .map(|c| {
                    s.spawn(move || {
                        let mut titles = TitleBook::default();
                        let digests = c
                            .iter()
                            .map(|(line, d)| {
                                Digest::read(d, Some(&mut titles))
                                    .map_err(|e| e.with_file(format!("{p}:{line}")))
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok((digests, titles))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::new(ErrorKind::Io, "a reader thread failed")))
                })
                .collect()
        });
        for part in parts {
            let (digests, titles) = part?;
            out.extend(digests);
            book.merge(titles);
        }
    }
    Ok((out, book))
}

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
            "  {} [{}]\t{}",
            v.title.as_ref().map_or("", |x| t(x, lang)),
            v.rule,
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
    for p in &o.problems {
        let _ = writeln!(
            s,
            "  {} [{}]\t{}\t{:.1}%\t{:.1}",
            p.title.as_ref().map_or("", |x| t(x, lang)),
            p.rule,
            p.sites,
            p.share * 100.0,
            p.mean_points
        );
    }
    s
}

/// A CSV field as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV field of text taken from input (a site's name, a rule id, a date as given): one that a spreadsheet would
/// run as a formula (a leading `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as OWASP advises,
/// then RFC 4180 quoting. The numbers pucha writes itself go through [`csv_field`] alone, so `-3.5` stays a number.
fn csv_text(s: &str) -> String {
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

/// `pucha summarize`.
pub(crate) fn summarize(paths: &[String], by: &str, format: Format, output: Option<&str>, lang: Lang) -> u8 {
    let Some(by) = GroupBy::parse(by) else {
        print_error(
            &Error::new(ErrorKind::InvalidArgument, format!("cannot group by `{by}`"))
                .with_help("use `region`, `department`, `kind`, `pack` or `all`"),
        );
        return EXIT_BAD_INPUT;
    };
    let res = read_digests(paths).and_then(|(d, titles)| {
        if d.is_empty() {
            return Err(Error::new(ErrorKind::InvalidValue, "no reports in the input"));
        }
        let r = Rollup::build_with_titles(&d, by, Some(&titles));
        match format {
            Format::Text => emit(output, rollup_text(&r, lang).as_bytes(), false),
            Format::Json => emit(
                output,
                (serde_json::to_string_pretty(&r).unwrap_or_default() + "\n").as_bytes(),
                false,
            ),
            Format::Csv => emit(output, rollup_csv(&r).as_bytes(), false),
            Format::Html => emit(output, html::rollup_html(&r, lang).as_bytes(), false),
            Format::Xlsx => emit(output, &xlsx::rollup_xlsx(&r, lang)?, true),
        }
    });
    match res {
        Ok(()) => EXIT_PASS,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}

fn label(pack: &str, set: &[String]) -> String {
    if set.is_empty() {
        pack.to_string()
    } else {
        format!("{pack} {}", set.join(" "))
    }
}

/// The comparison as text.
pub fn diff_text(c: &Comparison, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(s, "A: {}\nB: {}\n", c.a, c.b);
    let _ = writeln!(
        s,
        "{}",
        if zh {
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
    );
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

/// `pucha diff`: score the observations two ways and compare.
pub(crate) fn diff(
    paths: &[String],
    packs: &[String],
    set: &[String],
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> u8 {
    let (pa, pb) = match packs {
        [] => ("census-2015", "census-2015"),
        [a] => (a.as_str(), a.as_str()),
        [a, b] => (a.as_str(), b.as_str()),
        _ => {
            print_error(&Error::new(
                ErrorKind::InvalidArgument,
                "give `--pack` once or twice",
            ));
            return EXIT_BAD_INPUT;
        }
    };
    if pa == pb && set.is_empty() {
        print_error(
            &Error::new(
                ErrorKind::InvalidArgument,
                "nothing to compare: side B equals side A",
            )
            .with_help("give a second `--pack`, or `--set name=value` for side B"),
        );
        return EXIT_BAD_INPUT;
    }
    let res = (|| -> Result<Comparison, Error> {
        let a = Engine::new(load_pack(pa, &[])?);
        let b = Engine::new(load_pack(pb, set)?);
        let mut pairs = Vec::new();
        for p in paths {
            let text = read_text(p, "observation")?;
            for (line, doc) in documents(&text) {
                let obs = Observation::from_json_str(doc).map_err(|e| e.with_file(format!("{p}:{line}")))?;
                pairs.push((
                    StoredReport::from_report(&a.score(&obs))?,
                    StoredReport::from_report(&b.score(&obs))?,
                ));
            }
        }
        Ok(compare(&label(pa, &[]), &label(pb, set), &pairs))
    })();
    let res = res.and_then(|c| match format {
        Format::Text => emit(output, diff_text(&c, lang).as_bytes(), false),
        Format::Json => emit(
            output,
            (serde_json::to_string_pretty(&c).unwrap_or_default() + "\n").as_bytes(),
            false,
        ),
        Format::Csv => emit(output, diff_csv(&c).as_bytes(), false),
        Format::Html | Format::Xlsx => Err(Error::new(
            ErrorKind::InvalidArgument,
            "diff writes `text`, `json` or `csv`",
        )),
    });
    match res {
        Ok(()) => EXIT_PASS,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
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
