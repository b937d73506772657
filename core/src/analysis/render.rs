//! Plain-text rendering of a report for terminals, Chinese by default.

use crate::analysis::words::{counted_line, error_words, finding_name, humanize, span_words};
use crate::eval::evidence::Evidence;
use crate::eval::report::{Lang, Report, RuleKind, RuleResult, Status, Verdict};
use std::fmt::Write;

/// How many evidence items to print per rule before summarising ("and N more").
pub const TEXT_EVIDENCE_LIMIT: usize = 5;

fn status_word(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Applied, Lang::Zh) => "扣分",
        (Status::Passed, Lang::Zh) => "通过",
        (Status::NotApplicable, Lang::Zh) => "不适用",
        (Status::NoData, Lang::Zh) => "缺少数据",
        (Status::NeedsReview, Lang::Zh) => "待复核",
        (Status::Applied, Lang::En) => "applied",
        (Status::Passed, Lang::En) => "passed",
        (Status::NotApplicable, Lang::En) => "n/a",
        (Status::NoData, Lang::En) => "no data",
        (Status::NeedsReview, Lang::En) => "review",
    }
}

/// One line describing an evidence item.
pub fn evidence_line(e: &Evidence, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match e {
        Evidence::FailedVisit {
            at,
            status,
            error,
            elapsed_ms,
        } => {
            let mut s = format!("{} {at}", if zh { "访问失败" } else { "failed visit" });
            if let Some(st) = status {
                let _ = write!(s, " HTTP {st}");
            }
            if let Some(ms) = elapsed_ms {
                let _ = write!(s, " {ms} {}", if zh { "毫秒" } else { "ms" });
            }
            if let Some(er) = error {
                let words = error_words(er, lang);
                let _ = if zh {
                    write!(s, "（{words}）")
                } else {
                    write!(s, " ({words})")
                };
            }
            s
        }
        Evidence::BrokenLink {
            url,
            found_on,
            scope,
            status,
            error,
            ..
        } => {
            let place = match (&**scope, zh) {
                ("homepage", true) => "首页",
                (_, true) => "其他页面",
                ("homepage", false) => "homepage",
                _ => "other page",
            };
            let why = status
                .map(|s| format!("HTTP {s}"))
                .or_else(|| error.as_ref().map(|e| error_words(e, lang).to_string()))
                .unwrap_or_default();
            let pages = found_on.0.first().map(|p| p.to_string()).unwrap_or_default();
            let more = if found_on.0.len() > 1 {
                format!(" +{}", found_on.0.len() - 1)
            } else {
                String::new()
            };
            if zh {
                format!("{place}错链 {url} {why}（见于 {pages}{more}）")
            } else {
                format!("broken link on {place} {url} {why} (on {pages}{more})")
            }
        }
        Evidence::StaleColumn {
            column,
            last_published,
            within,
            since,
            ..
        } => {
            let last = last_published
                .as_deref()
                .unwrap_or(if zh { "无日期" } else { "no date" });
            let within = span_words(*within, lang);
            if zh {
                format!("栏目“{column}”自 {since} 起 {within}内无新信息，最近一条：{last}")
            } else {
                format!("column `{column}` has no new item since {since} ({within}); newest: {last}")
            }
        }
        Evidence::BlankColumn { column, .. } => {
            if zh {
                format!("空白栏目“{column}”")
            } else {
                format!("blank column `{column}`")
            }
        }
        Evidence::InaccurateInfo { column, count } => {
            if zh {
                format!("栏目“{column}”有 {count} 条信息不准确")
            } else {
                format!("column `{column}`: {count} inaccurate item(s)")
            }
        }
        Evidence::NewItem {
            column,
            title,
            published,
            ..
        } => format!("{published} [{column}] {title}"),
        Evidence::OverdueMessage {
            asked,
            answered,
            waited_days,
            title,
            ..
        } => {
            let t = title.as_deref().unwrap_or("");
            match (answered, zh) {
                (Some(a), true) => format!("留言 {asked} 提出，{a} 答复，等待 {waited_days} 天 {t}"),
                (None, true) => format!("留言 {asked} 提出，至监测时间点未答复（{waited_days} 天） {t}"),
                (Some(a), false) => {
                    format!("message asked {asked}, answered {a}, waited {waited_days} days {t}")
                }
                (None, false) => format!(
                    "message asked {asked}, unanswered at the monitoring point ({waited_days} days) {t}"
                ),
            }
        }
        Evidence::MissingElement {
            element,
            element_zh,
            guides,
        } => {
            let g = guides
                .iter()
                .take(3)
                .map(|g| g.to_string())
                .collect::<Vec<_>>()
                .join("、");
            if zh {
                format!(
                    "缺少“{element_zh}”：{g}{}",
                    if guides.len() > 3 { " 等" } else { "" }
                )
            } else {
                format!(
                    "missing `{element}`: {g}{}",
                    if guides.len() > 3 { " …" } else { "" }
                )
            }
        }
        Evidence::InaccurateElement {
            element,
            element_zh,
            guide,
        } => {
            if zh {
                format!("“{guide}”的“{element_zh}”不准确（待复核）")
            } else {
                format!("`{guide}`: `{element}` inaccurate (review)")
            }
        }
        Evidence::Attachment {
            problem,
            guide,
            count,
            items,
        } => {
            let list = if items.is_empty() {
                String::new()
            } else {
                format!(
                    "：{}",
                    items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("、")
                )
            };
            match (&**problem, zh) {
                ("broken", true) => format!("“{guide}”有 {count} 个附件无法下载{list}"),
                (_, true) => format!("“{guide}”提及但未提供 {count} 个表格附件{list}"),
                ("broken", false) => format!("`{guide}`: {count} attachment(s) cannot be downloaded{list}"),
                _ => format!("`{guide}`: {count} form(s) mentioned but not offered{list}"),
            }
        }
        Evidence::UnreachableSystem { name, url, .. } => {
            let u = url.as_deref().unwrap_or("");
            if zh {
                format!("在线系统“{name}”无法访问 {u}")
            } else {
                format!("online system `{name}` unreachable {u}")
            }
        }
        Evidence::ContentFinding {
            finding,
            url,
            excerpt,
            expected,
            confirmed,
        } => {
            let exp = expected.as_ref().map(|e| format!(" → {e}")).unwrap_or_default();
            let c = match (*confirmed, zh) {
                (true, true) => "已确认",
                (false, true) => "未确认",
                (true, false) => "confirmed",
                (false, false) => "unconfirmed",
            };
            format!("[{c}] {} “{excerpt}”{exp} {url}", finding_name(finding, lang))
        }
        Evidence::Counted { field, value } => counted_line(field, *value, lang),
    }
}

fn rule_block(out: &mut String, r: &RuleResult, lang: Lang) {
    let zh = lang == Lang::Zh;
    let path = match lang {
        Lang::Zh => r.meta().indicator.zh.join(" / "),
        Lang::En => r.meta().indicator.en.join(" / "),
    };
    let pts = if r.kind == RuleKind::Veto {
        String::new()
    } else if r.points_max != Some(r.points) {
        match r.points_max {
            Some(m) => format!("{}–{m}", r.points),
            None => format!("{}–?", r.points),
        }
    } else if r.counted || r.points.is_zero() {
        format!("{:>5}", r.points.to_string())
    } else {
        format!("({})", r.points)
    };
    let word = match (r.kind, r.status, lang) {
        (RuleKind::Veto, Status::Applied, Lang::Zh) => "否决",
        (RuleKind::Veto, Status::Applied, Lang::En) => "VETO",
        (_, s, l) => status_word(s, l),
    };
    let _ = writeln!(out, "  [{}] {word} · {path}  {pts}", r.id());
    let _ = writeln!(out, "      {}", humanize(r.explanation().get(lang), lang));
    if let Some(w) = r.window() {
        let _ = writeln!(
            out,
            "      {} {} .. {}",
            if zh { "窗口" } else { "window" },
            w.from,
            w.to
        );
    }
    let evidence = r.evidence();
    for e in evidence.iter().take(TEXT_EVIDENCE_LIMIT) {
        let _ = writeln!(out, "      - {}", evidence_line(&e, lang));
    }
    if evidence.len() > TEXT_EVIDENCE_LIMIT {
        let more = evidence.len() - TEXT_EVIDENCE_LIMIT;
        let _ = writeln!(
            out,
            "      {}",
            if zh {
                format!("…… 另有 {more} 条")
            } else {
                format!("… and {more} more")
            }
        );
    }
}

/// Render a report as plain text in `lang`.
pub fn render_text(r: &Report, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if zh {
        let _ = writeln!(out, "{}（{} {}）", r.pack.title.zh, r.pack.id, r.pack.version);
    } else {
        let _ = writeln!(out, "{} ({} {})", r.pack.title.en, r.pack.id, r.pack.version);
    }
    if &*r.pack.completeness == "partial" {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "注意：该规则包仅包含可公开获得的部分指标"
            } else {
                "note: this pack encodes only the publicly known part of the table"
            }
        );
    }
    let site = &r.site;
    let _ = write!(out, "{}{}", if zh { "网站：" } else { "site: " }, site.name);
    if let Some(u) = &site.url {
        let _ = write!(out, "  {u}");
    }
    if let Some(id) = &site.id {
        let _ = write!(out, "  {}{}", if zh { "网站标识码 " } else { "id " }, id.0);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}{}",
        if zh {
            "监测时间点："
        } else {
            "monitoring point: "
        },
        r.monitoring_point
    );
    let verdict = match (r.verdict, zh) {
        (Verdict::Pass, true) => "合格",
        (Verdict::Fail, true) => "不合格",
        (Verdict::Undetermined, true) => "未评定",
        (Verdict::Pass, false) => "PASS",
        (Verdict::Fail, false) => "FAIL",
        (Verdict::Undetermined, false) => "UNDETERMINED",
    };
    let limit = match (r.threshold, r.fail_below, zh) {
        (Some(t), _, true) => format!("，扣分超过 {t} 分为不合格"),
        (Some(t), _, false) => format!("; more than {t} fails"),
        (None, Some(f), true) => format!("，得分低于 {f} 分为不合格"),
        (None, Some(f), false) => format!("; a score below {f} fails"),
        _ => String::new(),
    };
    match (r.score, zh) {
        (None, true) => {
            let _ = writeln!(out, "结论：{verdict}（单项否决）");
        }
        (None, false) => {
            let _ = writeln!(out, "verdict: {verdict} (veto)");
        }
        (Some(s), true) => {
            let _ = writeln!(
                out,
                "结论：{verdict}  得分 {s}（扣分 {}{limit}）",
                r.total_deduction
            );
        }
        (Some(s), false) => {
            let _ = writeln!(
                out,
                "verdict: {verdict}  score {s} (deductions {}{limit})",
                r.total_deduction
            );
        }
    }
    if !r.bonus.is_zero() {
        let _ = writeln!(out, "{} {}", if zh { "加分" } else { "bonus" }, r.bonus);
    }
    if let Some(rs) = &r.rescaled {
        let _ = writeln!(
            out,
            "{}{}",
            if zh { "折算：" } else { "rescaled: " },
            rs.get(lang)
        );
    }
    if r.verdict == Verdict::Undetermined {
        let most = match (r.total_deduction_max, zh) {
            (Some(m), true) => format!("扣分最多可能达 {m} 分"),
            (Some(m), false) => format!("deductions could reach {m}"),
            (None, true) => "扣分上限未知".to_string(),
            (None, false) => "deductions have no known limit".to_string(),
        };
        let open: Vec<&str> = r.undecided.iter().map(|id| &**id).collect();
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!(
                    "未评定：缺少的数据可能使结论为合格或不合格（{most}；待定：{}）",
                    open.join("、")
                )
            } else {
                format!(
                    "undetermined: the missing data could make the site pass or fail ({most}; open: {})",
                    open.join(", ")
                )
            }
        );
    } else if !r.complete {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "数据不完整：部分规则缺少数据，但无论缺少的数据如何，结论都不变"
            } else {
                "incomplete: some rules lack data, but the verdict holds whatever the missing data are"
            }
        );
    }
    if !r.uncounted_deduction.is_zero() {
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!(
                    "（已单项否决，扣分项仅供参考，合计 {} 分，不计入）",
                    r.uncounted_deduction
                )
            } else {
                format!(
                    "(vetoed: deductions shown for information only, {} in all, not counted)",
                    r.uncounted_deduction
                )
            }
        );
    }
    for (kind, head_zh, head_en) in [
        (RuleKind::Veto, "单项否决", "Vetoes"),
        (RuleKind::Deduction, "扣分指标", "Deductions"),
        (RuleKind::Bonus, "加分指标", "Bonus"),
    ] {
        let rules: Vec<RuleResult<'_>> = r.rules.iter().filter(|x| x.kind == kind).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", if zh { head_zh } else { head_en });
        for x in rules {
            rule_block(&mut out, &x, lang);
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", if zh { "数据提示" } else { "Warnings" });
        for w in &r.warnings {
            let _ = writeln!(out, "  - [{}] {}", w.code, w.message.get(lang));
        }
    }
    // Names, titles and evidence come from the observation (and through it from crawled pages): what a terminal
    // would obey is shown as an escape.
    match crate::model::visible::visible(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(safe) => safe,
    }
}
