//! The words a person reads in place of the report's machine names: observation fields (`availability.failures` →
//! 首页访问失败), window codes (`6mo` → 6 个月), finding codes (`serious_typo` → 严重错别字) and raw network errors
//! (`… os error 111` → 连接被拒绝). The report's JSON keeps the machine names; the renderers (text, HTML, XLSX) and
//! the signed 上报表 use these. Only renderers call them, so a build that renders nothing carries none of them.

use crate::eval::report::Lang;
use crate::model::window::Span;

/// An observation field as a person names it, in both languages, with the unit of its count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldWords {
    /// 中文名称.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// 量词 of a count (次, 个, 条, 项, 天), empty for a field that is not a count.
    pub unit: &'static str,
}

const fn w(zh: &'static str, en: &'static str, unit: &'static str) -> FieldWords {
    FieldWords { zh, en, unit }
}

/// Every field path a report names (counted evidence, missing data), longest first within a prefix so that a
/// replacement never cuts a longer path.
const FIELDS: &[(&str, FieldWords)] = &[
    (
        "availability.samples",
        w("首页访问记录", "homepage visit records", ""),
    ),
    ("availability.visits", w("首页访问", "homepage visits", "次")),
    (
        "availability.failures",
        w("首页访问失败", "failed homepage visits", "次"),
    ),
    ("availability.days", w("监测天数", "days monitored", "天")),
    (
        "availability",
        w("首页可用性监测记录", "homepage availability records", ""),
    ),
    (
        "links.homepage_broken",
        w("首页错链", "broken links on the homepage", "个"),
    ),
    (
        "links.other_broken",
        w("其他页面错链", "broken links on other pages", "个"),
    ),
    ("links.checked", w("已检查链接", "links checked", "个")),
    ("links.broken", w("错链记录", "broken-link records", "")),
    ("links", w("链接检查结果", "link check results", "")),
    (
        "homepage.updates_in_window",
        w("首页新信息", "new homepage items", "条"),
    ),
    ("homepage", w("首页栏目信息", "homepage column items", "")),
    (
        "columns[].on_homepage",
        w("栏目是否在首页", "whether each column is on the homepage", ""),
    ),
    (
        "columns.stale.dynamics",
        w("未更新的动态要闻类栏目", "stale news columns", "个"),
    ),
    (
        "columns.stale.notice",
        w("未更新的通知公告类栏目", "stale notice columns", "个"),
    ),
    (
        "columns.stale.policy",
        w("未更新的政策文件类栏目", "stale policy columns", "个"),
    ),
    (
        "columns.stale.plan",
        w("未更新的规划计划类栏目", "stale plan columns", "个"),
    ),
    (
        "columns.stale.personnel",
        w("未更新的人事信息类栏目", "stale personnel columns", "个"),
    ),
    ("columns.blank", w("空白栏目", "blank columns", "个")),
    (
        "columns.overdue",
        w("应更新未更新的栏目", "should-update columns not updated", "个"),
    ),
    (
        "columns.inaccurate",
        w("不准确的基本信息", "inaccurate basic information", "条"),
    ),
    ("columns", w("栏目信息", "column information", "")),
    (
        "interaction.consultation.valid_messages",
        w("有效留言", "valid messages", "条"),
    ),
    (
        "interaction.consultation.overdue_messages",
        w(
            "超过 3 个月未回应的留言",
            "messages unanswered over 3 months",
            "条",
        ),
    ),
    (
        "interaction.consultation.answers_in_window",
        w("期内答复", "answers in the window", "条"),
    ),
    (
        "interaction.consultation.messages",
        w("留言记录", "message records", ""),
    ),
    (
        "interaction.consultation",
        w("政务咨询类栏目", "the consultation column", ""),
    ),
    (
        "interaction.survey.activities",
        w("调查征集活动", "survey activities", "次"),
    ),
    ("interaction.survey", w("调查征集类栏目", "the survey column", "")),
    (
        "interaction.interview.activities",
        w("在线访谈", "online interviews", "次"),
    ),
    (
        "interaction.interview",
        w("互动访谈类栏目", "the interview column", ""),
    ),
    ("interaction", w("互动回应信息", "interaction information", "")),
    ("services.guide_count", w("办事指南", "service guides", "项")),
    ("services.guides", w("办事指南", "service guides", "")),
    (
        "services.missing_element_categories",
        w("办事指南缺少的要素类别", "missing guide element categories", "类"),
    ),
    (
        "services.inaccurate_elements",
        w("办事指南不准确的要素", "inaccurate guide elements", "项"),
    ),
    (
        "services.attachments_not_offered",
        w("提及但未提供的表格附件", "forms mentioned but not offered", "个"),
    ),
    (
        "services.attachments_broken",
        w("无法下载的附件", "attachments that cannot be downloaded", "个"),
    ),
    (
        "services.online_system_count",
        w("在线办事系统", "online systems", "个"),
    ),
    (
        "services.online_systems_unreachable",
        w("无法访问的在线办事系统", "unreachable online systems", "个"),
    ),
    ("services.online_systems", w("在线办事系统", "online systems", "")),
    ("services", w("办事服务信息", "service information", "")),
    ("content_findings", w("内容检查结果", "content check results", "")),
    (
        "content.confirmed",
        w("已确认的严重错误", "confirmed serious errors", "项"),
    ),
    (
        "content.unconfirmed",
        w("待复核的内容问题", "findings to review", "项"),
    ),
    ("content", w("内容检查结果", "content check results", "")),
    ("site.kind", w("网站类型", "the site's kind", "")),
    (
        "site.homepage_navigation_only",
        w("首页是否为导航页", "whether the homepage only navigates", ""),
    ),
    (
        "site.offers_services",
        w("是否提供对外服务", "whether the site offers services", ""),
    ),
    (
        "default_cycle",
        w(
            "应更新栏目的更新周期",
            "the update cycle of should-update columns",
            "",
        ),
    ),
    ("window", w("监测窗口", "the monitoring window", "")),
];

/// The words for an observation field path, e.g. `availability.failures` → 首页访问失败 (次).
pub fn field_words(path: &str) -> Option<FieldWords> {
    FIELDS.iter().find(|(p, _)| *p == path).map(|(_, w)| *w)
}

/// A field's name in `lang`, or the path itself when it has none.
pub fn field_name(path: &str, lang: Lang) -> &str {
    match (field_words(path), lang) {
        (Some(w), Lang::Zh) => w.zh,
        (Some(w), Lang::En) => w.en,
        (None, _) => path,
    }
}

/// A counted figure as given: 按给出的计数：首页访问失败 6 次 / as counted: failed homepage visits 6.
pub fn counted_line(field: &str, value: u64, lang: Lang) -> String {
    match (field_words(field), lang) {
        (Some(w), Lang::Zh) => format!("按给出的计数：{} {value} {}", w.zh, w.unit)
            .trim_end()
            .to_string(),
        (Some(w), Lang::En) => format!("as counted: {} {value}", w.en),
        (None, Lang::Zh) => format!("按给出的计数：{field} {value}"),
        (None, Lang::En) => format!("as counted: {field} {value}"),
    }
}

/// A span in words: 2 周 / 6 个月 / 1 年; 2 weeks / 6 months / 1 year ([`Span::zh`], [`Span::en`]).
pub fn span_words(span: Span, lang: Lang) -> String {
    match lang {
        Lang::Zh => span.zh(),
        Lang::En => span.en(),
    }
}

/// A content finding's kind in words (`serious_typo` → 严重错别字).
pub fn finding_name(code: &str, lang: Lang) -> &str {
    let (zh, en) = match code {
        "serious_typo" => ("严重错别字", "serious typo"),
        "false_content" => ("虚假或伪造内容", "false or fabricated content"),
        "prohibited_content" => ("违法违规内容", "prohibited content"),
        _ => return code,
    };
    if lang == Lang::Zh { zh } else { en }
}

/// What a raw network error (a client's error chain, or a producer's short note) says, in words: the kind of
/// failure only — the raw text stays in the report's JSON.
pub fn error_words(raw: &str, lang: Lang) -> &'static str {
    let e = raw.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| e.contains(w));
    let (zh, en) = if has(&["timed out", "timeout", "time out", "deadline"]) {
        ("超时未响应", "timed out")
    } else if has(&[
        "dns",
        "no such host",
        "failed to lookup",
        "name or service not known",
        "name resolution",
    ]) {
        ("域名无法解析", "the name does not resolve")
    } else if has(&["refused", "os error 111"]) {
        ("连接被拒绝", "connection refused")
    } else if has(&["reset", "os error 104", "broken pipe"]) {
        ("连接被重置", "connection reset")
    } else if has(&["certificate", "tls", "ssl", "handshake"]) {
        ("证书或加密连接错误", "certificate or TLS error")
    } else if has(&["redirect"]) {
        ("重定向过多", "too many redirects")
    } else if has(&["unreachable", "os error 101", "os error 113", "no route"]) {
        ("网络不可达", "network unreachable")
    } else if has(&["not a url", "invalid url", "relative url", "builder error"]) {
        ("网址无效", "not a valid address")
    } else if has(&["body", "decod", "incomplete", "unexpected eof", "closed before"]) {
        ("内容读取中断", "the transfer broke off")
    } else if has(&["blocked", "robots"]) {
        ("按规定未访问", "not visited by rule")
    } else {
        ("网络错误", "network error")
    };
    if lang == Lang::Zh { zh } else { en }
}

/// `text` with the machine names a report's explanations may carry put in words: field paths after 缺少数据 /
/// missing data, and window codes in parentheses (`（6mo）` → `（6 个月）`).
pub fn humanize(text: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        // Only a whole token: not the tail of a word or a URL.
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let prev = out.chars().next_back();
        let len = from
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')))
            .unwrap_or(from.len());
        let token = from[..len].trim_end_matches('.');
        let len = token.len().max(1);
        let inside_word =
            prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '/' | ':' | '-' | '_' | '.'));
        if !inside_word {
            if let Some(words) = field_words(token) {
                out.push_str(if lang == Lang::Zh { words.zh } else { words.en });
                rest = &from[len..];
                continue;
            }
            if matches!(prev, Some('（' | '('))
                && let Some(span) = Span::parse(token)
            {
                let after = &from[len..];
                if after.starts_with(['）', ')']) {
                    out.push_str(&span_words(span, lang));
                    rest = after;
                    continue;
                }
            }
        }
        out.push_str(&from[..len]);
        rest = &from[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_windows_and_errors_read_as_words() {
        assert_eq!(
            counted_line("availability.failures", 6, Lang::Zh),
            "按给出的计数：首页访问失败 6 次"
        );
        assert_eq!(
            humanize(
                "可能触发单项否决，缺少数据：availability、services.guides。访问 — 次",
                Lang::Zh
            ),
            "可能触发单项否决，缺少数据：首页可用性监测记录、办事指南。访问 — 次"
        );
        assert_eq!(
            humanize("missing data: links.homepage_broken, window. — visits", Lang::En),
            "missing data: broken links on the homepage, the monitoring window. — visits"
        );
        assert_eq!(
            humanize("自 2015-05-15 起（6mo）无新信息", Lang::Zh),
            "自 2015-05-15 起（6 个月）无新信息"
        );
        assert_eq!(
            humanize("since 2015-05-15 (1y)", Lang::En),
            "since 2015-05-15 (1 year)"
        );
        // URLs, numbers and words around them are left alone.
        let url = "见于 http://www.a.gov.cn/links/availability.html 共 2w 条";
        assert_eq!(humanize(url, Lang::Zh), url);
        assert_eq!(
            error_words(
                "error sending request for url (http://127.0.0.1:9/): client error (Connect): tcp connect error: \
                 Connection refused (os error 111)",
                Lang::Zh
            ),
            "连接被拒绝"
        );
        assert_eq!(error_words("dns: no such host", Lang::Zh), "域名无法解析");
        assert_eq!(error_words("timed out (15 s)", Lang::En), "timed out");
        assert_eq!(finding_name("serious_typo", Lang::Zh), "严重错别字");
        assert_eq!(span_words(Span::parse("2w").unwrap(), Lang::Zh), "2 周");
    }
}
