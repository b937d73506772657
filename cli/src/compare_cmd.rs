//! `pucha compare OLD NEW`: before and after (整改前后) — two sets of stored reports (two campaigns, or a re-check
//! after rectification), matched site by site: problems fixed and new, score and verdict changes, the sites whose
//! verdict changed first.

use crate::report_cmd::emit;
use crate::{EXIT_BAD_INPUT, EXIT_PASS, Format, print_error};
use pucha_core::diff::{Comparison, compare_site};
use pucha_core::stored::StoredReport;
use pucha_core::{Error, ErrorKind, Lang};
use pucha_render::text::{diff_csv, diff_text};
use std::collections::HashMap;

/// How two reports are known to be of one site: its 网站标识码, else its homepage, else its name.
fn site_key(r: &StoredReport) -> String {
    if let Some(id) = r.site.id.as_deref().filter(|i| !i.is_empty()) {
        return format!("id:{id}");
    }
    if let Some(url) = r.site.url.as_deref().filter(|u| !u.is_empty()) {
        return format!("url:{}", url.trim_end_matches('/').to_ascii_lowercase());
    }
    format!("name:{}", r.site.name)
}

/// The reports of `paths`, in order; failure records (未能评分) are skipped and counted, anything else that is not
/// a report is an error naming `file:line`.
fn read_reports(paths: &[String]) -> Result<(Vec<StoredReport>, u64), Error> {
    let mut out = Vec::new();
    let mut unscored = 0u64;
    for p in paths {
        crate::documents::each_document(p, |line, doc| {
            let doc = doc?;
            if crate::documents::is_failure_record(doc) {
                unscored += 1;
                return Ok(());
            }
            out.push(StoredReport::from_json_str(doc).map_err(|e| {
                pucha_core::messages::hinted(doc, e, pucha_core::messages::Reading::Result)
                    .with_file(format!("{p}:{line}"))
            })?);
            Ok(())
        })?;
    }
    Ok((out, unscored))
}

/// The sites in one set only, a line each set that has any.
fn only_lines(only_before: &[String], only_after: &[String]) -> String {
    let mut s = String::new();
    for (names, zh, en) in [
        (only_before, "仅在整改前的网站", "only before"),
        (only_after, "仅在整改后的网站", "only after"),
    ] {
        if !names.is_empty() {
            s.push_str(&format!("\n{zh} {en} ({}): {}\n", names.len(), names.join("、")));
        }
    }
    s
}

/// `pucha compare`.
pub(crate) fn compare(
    old: &[String],
    new: &[String],
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> u8 {
    let res = (|| -> Result<(Comparison, Vec<String>, Vec<String>), Error> {
        let (before, _) = read_reports(old)?;
        let (after, _) = read_reports(new)?;
        let mut by_key: HashMap<String, StoredReport> = HashMap::new();
        for r in before {
            by_key.insert(site_key(&r), r);
        }
        let mut diffs = Vec::new();
        let mut only_after = Vec::new();
        for r in &after {
            match by_key.remove(&site_key(r)) {
                Some(b) => diffs.push(compare_site(&b, r)),
                None => only_after.push(r.site.name.clone()),
            }
        }
        let mut only_before: Vec<String> = by_key.into_values().map(|r| r.site.name).collect();
        only_before.sort();
        if diffs.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                "no site is in both sets of reports (sites are matched by 网站标识码, else homepage, else name)",
            ));
        }
        // The sites whose verdict changed first, then those where a rule moved, each in the new set's order.
        diffs.sort_by_key(|d| (!d.verdict_changed, d.rules.is_empty()));
        let label = |paths: &[String], zh: &str, en: &str| {
            if lang == Lang::Zh {
                format!("{zh} {}", paths.join(" "))
            } else {
                format!("{en} {}", paths.join(" "))
            }
        };
        Ok((
            Comparison::from_site_diffs(
                &label(old, "整改前", "before"),
                &label(new, "整改后", "after"),
                diffs,
            ),
            only_before,
            only_after,
        ))
    })();
    let res = res.and_then(|(c, only_before, only_after)| match format {
        Format::Text => {
            let mut s = diff_text(&c, lang);
            s.push_str(&only_lines(&only_before, &only_after));
            emit(output, s.as_bytes(), false)
        }
        Format::Json => {
            let mut v = serde_json::to_value(&c).unwrap_or_default();
            v["only_before"] = serde_json::json!(only_before);
            v["only_after"] = serde_json::json!(only_after);
            emit(
                output,
                (serde_json::to_string_pretty(&v).unwrap_or_default() + "\n").as_bytes(),
                false,
            )
        }
        Format::Csv => emit(output, diff_csv(&c).as_bytes(), false),
        Format::Html => {
            let mut page = pucha_render::compare::compare_html(&c, lang);
            let only = only_lines(&only_before, &only_after);
            if !only.is_empty() {
                let at = page.rfind("</body>").unwrap_or(page.len());
                page.insert_str(at, &format!("<p>{}</p>\n", pucha_render::html::esc(&only)));
            }
            emit(output, page.as_bytes(), false)
        }
        Format::Xlsx => emit(output, &crate::xlsx::compare_xlsx(&c, lang)?, true),
        Format::Summary => Err(Error::new(
            ErrorKind::InvalidArgument,
            "compare 输出 `text`、`json`、`csv`、`html` 或 `xlsx` / compare writes `text`, `json`, `csv`, `html` or `xlsx`",
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
