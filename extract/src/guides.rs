//! Service guides (办事指南): which of the 8 element categories a guide page shows, which forms it names, and which
//! of those it offers as a linked attachment.

use crate::items::{PageLink, page_links, visible_text};

/// The 8 element categories of a service guide: key and the heading sites use.
pub const GUIDE_ELEMENTS: [(&str, &str); 8] = [
    ("name", "事项名称"),
    ("basis", "设定依据"),
    ("conditions", "申请条件"),
    ("materials", "办理材料"),
    ("location", "办理地点"),
    ("hours", "办理时间"),
    ("phone", "联系电话"),
    ("process", "办理流程"),
];

/// The extensions of a downloadable form (表格) a guide links.
const FORM_EXTENSIONS: [&str; 9] = [
    ".doc", ".docx", ".xls", ".xlsx", ".pdf", ".zip", ".rar", ".wps", ".et",
];

/// Whether `url` names a downloadable form (Word, Excel, WPS, PDF or an archive), by its path's extension.
pub fn is_attachment(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    FORM_EXTENSIONS.iter().any(|e| path.ends_with(e))
}

/// Forms named in a text: `《…表》`, `《…书》`, `《…单》`, each once, in order of appearance.
pub fn named_forms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('《') {
        let after = &rest[open + '《'.len_utf8()..];
        let Some(close) = after.find('》') else { break };
        let name = &after[..close];
        if ["表", "书", "单"].iter().any(|s| name.ends_with(s)) && !out.iter().any(|n: &String| n == name)
        {
            out.push(name.to_string());
        }
        rest = &after[close..];
    }
    out
}

/// `(href, anchor text)` of each `<a>` of a page, the href as written.
pub fn anchor_texts(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| t.find("<a ")) {
        let start = from + p;
        let Some(close) = lower[start..].find("</a>").map(|e| start + e) else {
            break;
        };
        let inner = &html[start..close];
        let href = inner
            .split("href=")
            .nth(1)
            .map(|h| {
                h.trim_start_matches(['"', '\''])
                    .split(['"', '\'', ' ', '>'])
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default();
        out.push((href, visible_text(inner)));
        from = close + 4;
    }
    out
}

/// What one guide page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideReading {
    /// The keys of [`GUIDE_ELEMENTS`] whose heading is nowhere in the page's visible text.
    pub missing_elements: Vec<&'static str>,
    /// The forms the page links (absolute when a base address was given), to be downloaded.
    pub attachments: Vec<PageLink>,
    /// The forms the text names (`《…表》`) that no linked attachment's anchor text names: not offered.
    pub not_offered: Vec<String>,
}

/// Read a guide page's HTML (`base` resolves its links).
pub fn read_guide(html: &str, base: Option<&str>) -> GuideReading {
    let text = visible_text(html);
    let missing_elements = GUIDE_ELEMENTS
        .iter()
        .filter(|(_, zh)| !text.contains(zh))
        .map(|(k, _)| *k)
        .collect();
    let attachments = page_links(html, base)
        .into_iter()
        .filter(|l| is_attachment(&l.url))
        .collect();
    // A named form is offered when the page links an attachment whose anchor text names it; the anchor texts are
    // in the visible text too, so compare per link.
    let anchors = anchor_texts(html);
    let not_offered = named_forms(&text)
        .into_iter()
        .filter(|f| {
            !anchors
                .iter()
                .any(|(href, t)| t.contains(f.as_str()) && is_attachment(href))
        })
        .collect();
    GuideReading {
        missing_elements,
        attachments,
        not_offered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_with_every_heading_and_its_form_linked_misses_nothing() {
        let headings: String = GUIDE_ELEMENTS
            .iter()
            .map(|(_, zh)| format!("<h3>{zh}</h3>"))
            .collect();
        let html = format!(
            "{headings}<p>填写《开业申请表》</p><a href=\"/files/kaiye.DOC?v=2\">《开业申请表》下载</a>"
        );
        let g = read_guide(&html, Some("http://www.example.gov.cn/bszn/1.html"));
        assert!(g.missing_elements.is_empty());
        assert!(g.not_offered.is_empty());
        assert_eq!(g.attachments.len(), 1);
        assert_eq!(
            g.attachments[0].url,
            "http://www.example.gov.cn/files/kaiye.DOC?v=2"
        );
    }

    #[test]
    fn a_named_form_without_a_linked_file_is_not_offered() {
        let html =
            "<h3>事项名称</h3><p>提交《变更登记表》和《承诺书》，见<a href=\"/x.html\">《承诺书》</a></p>";
        let g = read_guide(html, None);
        assert_eq!(g.not_offered, ["变更登记表", "承诺书"]);
        assert_eq!(g.missing_elements.len(), 7);
        assert!(!g.missing_elements.contains(&"name"));
    }

    #[test]
    fn named_forms_are_listed_once_and_other_titles_are_not_forms() {
        assert_eq!(
            named_forms("《行政许可法》《申请表》《申请表》《告知书》《清单》《未闭合表"),
            ["申请表", "告知书", "清单"]
        );
    }

    #[test]
    fn attachments_are_known_by_extension_not_by_query() {
        assert!(is_attachment("http://a/b.pdf#page=2"));
        assert!(is_attachment("/f/表格.ET"));
        assert!(!is_attachment("/download?file=a.pdf"));
        assert!(!is_attachment("/a.txt"));
    }
}
