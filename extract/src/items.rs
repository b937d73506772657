//! The items of a column's list page: title, link and date, from HTML as real sites write it.
//!
//! A single forward pass over the text (no DOM), so broken and hostile HTML cannot make it fail or slow down:
//! rows are `<li>`, `<tr>`, `<dd>`, `<p>` (a new row also starts at `<br>`); in each row the link with the longest
//! title is the item (its `title` attribute when that is longer than the text, as sites cut long titles with `…`),
//! and the item's date is the first date in the row outside the link, else inside it. Items without a date are kept
//! as undated. Navigation links (更多, 首页, 下一页, page numbers …) are not items. Script, style and comments are
//! skipped. A page with no item is blank.

use crate::dates::first_date;
use chrono::NaiveDate;

/// One item of a list page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// Title.
    pub title: String,
    /// Link, resolved against the page address when one was given.
    pub url: Option<String>,
    /// Publication date, when the row shows one.
    pub published: Option<NaiveDate>,
    /// The date as printed.
    pub date_text: Option<String>,
    /// True when the year was inferred from the crawl date (`[03-29]`).
    pub year_inferred: bool,
    /// Every date in the row outside the link, in order (a mailbox row: asked, then answered).
    pub dates: Vec<NaiveDate>,
    /// The row's text outside the link (e.g. `未回复`).
    pub rest: String,
}

/// What a list page holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPage {
    /// The items, in page order.
    pub items: Vec<ListItem>,
    /// Links seen on the page (items, navigation and the rest).
    pub links: usize,
    /// Where a `<meta http-equiv="refresh">` sends the reader: the page is a parent column, not a blank one.
    pub refresh_to: Option<String>,
}

impl ListPage {
    /// True when the page lists nothing and does not send the reader on (a blank column, 空白栏目).
    pub fn is_blank(&self) -> bool {
        self.items.is_empty() && self.refresh_to.is_none()
    }
}

const NAV: &[&str] = &[
    "更多",
    "更多>>",
    "更多>",
    "more",
    "more>>",
    "首页",
    "上一页",
    "下一页",
    "尾页",
    "末页",
    "返回",
    "打印",
    "关闭",
    ">>",
    "»",
    "<<",
    "«",
    "top",
    "返回顶部",
];

#[derive(Default)]
struct Link {
    href: Option<String>,
    title_attr: Option<String>,
    text: String,
}

#[derive(Default)]
struct Row {
    text: String,
    links: Vec<Link>,
    /// Opened by a row tag (not the text between rows, such as a navigation bar).
    explicit: bool,
}

struct Scan<'a> {
    base: Option<&'a str>,
    crawl: NaiveDate,
    row: Row,
    in_link: bool,
    page: ListPage,
}

/// A title or excerpt as one printable line: control characters (a page may write `&#27;`) become spaces and the
/// bidi controls that reorder text are dropped, so nothing a site writes reaches a report or a terminal as a command.
pub fn printable(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .char_indices()
            .take(11)
            .find(|(_, c)| *c == ';')
            .map(|(e, _)| e + 1);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "nbsp" | "ensp" | "emsp" | "#160" => Some(' '),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "middot" => Some('·'),
            "hellip" => Some('…'),
            "mdash" => Some('—'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn push_text(into: &mut String, t: &str) {
    for w in t.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}') {
        if w.is_empty() {
            continue;
        }
        if !into.is_empty() && !into.ends_with(' ') {
            into.push(' ');
        }
        into.push_str(w);
    }
}

/// An attribute's value from a tag's text (`href="…"`, `href='…'`, `href=…`).
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower.get(from..).and_then(|t| t.find(name)) {
        let at = from + p;
        let before_ok = at == 0
            || lower
                .as_bytes()
                .get(at - 1)
                .is_some_and(|c| c.is_ascii_whitespace());
        let rest = tag.get(at + name.len()..)?.trim_start();
        if before_ok && let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            return Some(match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &v[1..];
                    &inner[..inner.find(q).unwrap_or(inner.len())]
                }
                _ => &v[..v.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(v.len())],
            });
        }
        from = at + name.len();
    }
    None
}

/// `href` resolved against `base`; `None` for script, mail and in-page links.
fn resolve(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || href.starts_with('#')
        || lower.starts_with("javascript:")
        || lower.starts_with("mailto:")
    {
        return None;
    }
    let href = href.split('#').next().unwrap_or(href);
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_string());
    }
    let Some(base) = base else {
        return Some(href.to_string());
    };
    let scheme_end = base.find("://").map_or(0, |p| p + 3);
    let origin_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |p| scheme_end + p);
    if let Some(rest) = href.strip_prefix("//") {
        let scheme = base.get(..scheme_end).unwrap_or("http://");
        return Some(format!("{scheme}{rest}"));
    }
    if href.starts_with('/') {
        return Some(format!("{}{href}", &base[..origin_end]));
    }
    // Relative to the base's folder, with `./` and `../` applied.
    let path_and_more = &base[origin_end..];
    let path = path_and_more.split(['?', '#']).next().unwrap_or("");
    let dir = &path[..path.rfind('/').map_or(0, |p| p + 1)];
    let mut segs: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let mut tail = href;
    loop {
        if let Some(r) = tail.strip_prefix("./") {
            tail = r;
        } else if let Some(r) = tail.strip_prefix("../") {
            segs.pop();
            tail = r;
        } else {
            break;
        }
    }
    let mut out = String::from(&base[..origin_end]);
    for s in segs {
        out.push('/');
        out.push_str(s);
    }
    out.push('/');
    out.push_str(tail);
    Some(out)
}

impl Scan<'_> {
    fn text(&mut self, raw: &str) {
        if raw.trim().is_empty() {
            return;
        }
        let t = decode_entities(raw);
        push_text(&mut self.row.text, &t);
        if self.in_link
            && let Some(l) = self.row.links.last_mut()
        {
            push_text(&mut l.text, &t);
        }
    }

    fn end_row(&mut self, next_explicit: bool) {
        self.in_link = false;
        let row = std::mem::replace(
            &mut self.row,
            Row {
                explicit: next_explicit,
                ..Row::default()
            },
        );
        let best = row
            .links
            .into_iter()
            .filter_map(|l| {
                let text = l.text.trim().to_string();
                let title = match &l.title_attr {
                    Some(t) if t.trim().chars().count() > text.chars().count() => t.trim().to_string(),
                    _ => text.clone(),
                };
                let nav = title.chars().count() < 2
                    || NAV.iter().any(|n| title.eq_ignore_ascii_case(n))
                    || title.chars().all(|c| c.is_ascii_digit() || c == '[' || c == ']');
                (!nav).then_some((title, text, l.href))
            })
            .max_by_key(|(t, _, _)| t.chars().count());
        let Some((title, link_text, href)) = best else {
            return;
        };
        let outside = row.text.replacen(&link_text, " ", 1);
        let date = first_date(&outside, self.crawl).or_else(|| first_date(&link_text, self.crawl));
        if !row.explicit && date.is_none() {
            // Links between rows without a date: navigation, not a list item.
            return;
        }
        let dates = crate::dates::find_dates(&outside, self.crawl)
            .into_iter()
            .map(|d| d.date)
            .collect();
        self.page.items.push(ListItem {
            title: printable(&title),
            url: href.and_then(|h| resolve(&decode_entities(&h), self.base)),
            published: date.as_ref().map(|d| d.date),
            date_text: date.as_ref().map(|d| d.text.clone()),
            year_inferred: date.is_some_and(|d| d.year_inferred),
            dates,
            rest: outside.trim().to_string(),
        });
    }

    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("li" | "tr" | "dd" | "p", false) | ("br", false) => self.end_row(true),
            ("li" | "tr" | "dd" | "p", true) | ("ul" | "ol" | "table" | "tbody", true) => self.end_row(false),
            ("a", false) => {
                self.page.links += 1;
                self.in_link = true;
                self.row.links.push(Link {
                    href: attr(body, "href").map(str::to_string),
                    title_attr: attr(body, "title").map(|t| decode_entities(t).into_owned()),
                    text: String::new(),
                });
            }
            ("a", true) => self.in_link = false,
            ("meta", false) if self.page.refresh_to.is_none() => {
                let refresh = attr(body, "http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
                if let Some(content) = attr(body, "content").filter(|_| refresh) {
                    // `0; url=next.html`
                    let target = content.split_once(';').map(|(_, t)| {
                        let t = t.trim();
                        let t = match t.split_once('=') {
                            Some((k, v)) if k.trim().eq_ignore_ascii_case("url") => v,
                            _ => t,
                        };
                        t.trim().trim_matches(['\'', '"']).to_string()
                    });
                    self.page.refresh_to = target
                        .and_then(|t| resolve(&t, self.base))
                        .or(Some(String::new()));
                }
            }
            _ => {}
        }
    }
}

/// A piece of HTML: text between tags, or a tag's inside (`a href="…"`, `/li`).
enum Token<'a> {
    Text(&'a str),
    Tag(&'a str),
}

/// The text and tags of a page, in order: comments and `<!…>`/`<?…>` declarations are dropped, and the content of
/// `script`, `style`, `noscript` and `textarea` is skipped (their opening tag is kept). Never fails: an unclosed
/// tag ends the page.
struct Tokens<'a> {
    html: &'a str,
    i: usize,
    pending: Option<&'a str>,
}

fn tokens(html: &str) -> Tokens<'_> {
    Tokens {
        html,
        i: 0,
        pending: None,
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(t) = self.pending.take() {
            return Some(Token::Tag(t));
        }
        let html = self.html;
        let b = html.as_bytes();
        loop {
            if self.i >= b.len() {
                return None;
            }
            let i = self.i;
            let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|p| i + p) else {
                self.i = b.len();
                return Some(Token::Text(&html[i..]));
            };
            let rest = &html[lt..];
            if rest.starts_with("<!--") {
                self.i = rest.find("-->").map_or(b.len(), |e| lt + e + 3);
                if lt > i {
                    return Some(Token::Text(&html[i..lt]));
                }
                continue;
            }
            let Some(gt) = memchr::memchr(b'>', &b[lt..]).map(|p| lt + p) else {
                self.i = b.len();
                return (lt > i).then(|| Token::Text(&html[i..lt]));
            };
            let tag = &html[lt + 1..gt];
            self.i = gt + 1;
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .unwrap_or(tag.len());
            let name = &tag[..name_end];
            if let Some(raw) = ["script", "style", "noscript", "textarea"]
                .into_iter()
                .find(|r| name.eq_ignore_ascii_case(r))
            {
                // Skip to the matching end tag (case-insensitive), or to the end.
                let from = self.i;
                self.i = find_ci(&html[from..], &format!("</{raw}")).map_or(b.len(), |p| from + p);
            }
            let token = if tag.starts_with('!') || tag.starts_with('?') {
                None
            } else {
                Some(tag)
            };
            if lt > i {
                self.pending = token;
                return Some(Token::Text(&html[i..lt]));
            }
            if let Some(t) = token {
                return Some(Token::Tag(t));
            }
        }
    }
}

/// The items of a list page. `base` is the page's address (to resolve relative links); `crawl` dates the page,
/// for dates printed without a year.
pub fn extract_items(html: &str, base: Option<&str>, crawl: NaiveDate) -> ListPage {
    let mut s = Scan {
        base,
        crawl,
        row: Row::default(),
        in_link: false,
        page: ListPage::default(),
    };
    for t in tokens(html) {
        match t {
            Token::Text(text) => s.text(text),
            Token::Tag(tag) => s.tag(tag),
        }
    }
    s.end_row(false);
    s.page
}

/// The text a reader sees (tags, script, style and comments removed; entities decoded; whitespace collapsed).
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    for t in tokens(html) {
        if let Token::Text(text) = t {
            push_text(&mut out, &decode_entities(text));
        }
    }
    out
}

/// A link on a page: where it points and which tag made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    /// Target, resolved against the page address.
    pub url: String,
    /// `a`, `img`, `iframe`, `script`, `link` or `area`.
    pub tag: &'static str,
}

/// Every link, image, frame, script and stylesheet a page refers to, resolved, in page order (script text and
/// comments skipped).
pub fn page_links(html: &str, base: Option<&str>) -> Vec<PageLink> {
    let mut out = Vec::new();
    for t in tokens(html) {
        let Token::Tag(tag) = t else { continue };
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let (kind, at): (&'static str, &str) = match name.as_str() {
            "a" => ("a", "href"),
            "area" => ("area", "href"),
            "img" => ("img", "src"),
            "iframe" => ("iframe", "src"),
            "script" => ("script", "src"),
            "link" => ("link", "href"),
            _ => continue,
        };
        if let Some(v) = attr(tag, at)
            && let Some(url) = resolve(&decode_entities(v), base)
        {
            out.push(PageLink { url, tag: kind });
        }
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    let h = hay.as_bytes();
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'<', &h[from..]) {
        let at = from + p;
        if h.len() >= at + n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crawl() -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, 6, 30).unwrap()
    }

    #[test]
    fn lists_of_every_common_shape() {
        let html = r#"
        <ul class="list">
          <li><a href="/xxgk/2015/0629/a1.html" title="关于做好2015年防汛抗旱工作的通知全文">关于做好2015年防汛…</a><span>2015-06-29</span></li>
          <li><a href="a2.html">市政府常务会议召开</a>&nbsp;[06-12]</li>
          <li><a href='../zcwj/a3.html'>政策解读：稳增长</a><em>2015年5月3日</em></li>
          <li><a href="a4.html">无日期的信息</a></li>
          <li><a href="index_2.html">下一页</a></li>
        </ul>
        <table><tr><td><a href="http://other.gov.cn/t.html">表格里的信息&amp;公告通知</a></td><td>２０１５．０４．０１</td></tr></table>
        <script>var s = "<li><a href='x'>not an item 2015-01-01</a></li>";</script>
        <!-- <li><a href="c">comment 2015-01-01</a></li> -->
        "#;
        let p = extract_items(
            html,
            Some("http://www.example.gov.cn/xxgk/tzgg/index.html"),
            crawl(),
        );
        let titles: Vec<&str> = p.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "关于做好2015年防汛抗旱工作的通知全文",
                "市政府常务会议召开",
                "政策解读：稳增长",
                "无日期的信息",
                "表格里的信息&公告通知"
            ]
        );
        let urls: Vec<&str> = p.items.iter().map(|i| i.url.as_deref().unwrap_or("")).collect();
        assert_eq!(
            urls,
            [
                "http://www.example.gov.cn/xxgk/2015/0629/a1.html",
                "http://www.example.gov.cn/xxgk/tzgg/a2.html",
                "http://www.example.gov.cn/xxgk/zcwj/a3.html",
                "http://www.example.gov.cn/xxgk/tzgg/a4.html",
                "http://other.gov.cn/t.html"
            ]
        );
        let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day);
        let dates: Vec<Option<NaiveDate>> = p.items.iter().map(|i| i.published).collect();
        assert_eq!(dates, [d(6, 29), d(6, 12), d(5, 3), None, d(4, 1)]);
        assert!(p.items[1].year_inferred);
        assert_eq!(p.links, 6);
        assert!(!p.is_blank());
    }

    #[test]
    fn blank_and_hostile_pages() {
        assert!(extract_items("<html><body><p>暂无信息</p></body></html>", None, crawl()).is_blank());
        assert!(extract_items("", None, crawl()).is_blank());
        let parent = extract_items(
            "<html><head><meta http-equiv=\"Refresh\" content=\"0; url=list_1.html\"></head></html>",
            Some("http://h/zwgk/"),
            crawl(),
        );
        assert!(!parent.is_blank(), "a redirecting list page is a parent column");
        assert_eq!(parent.refresh_to.as_deref(), Some("http://h/zwgk/list_1.html"));
        for junk in [
            "<",
            "<<<<>>>",
            "<a href=",
            "<li><a href=\"x\">未闭合",
            "&#xFFFFFFFF; &#99999999; &",
            "<script>",
            "<!--",
            "<a href='x' title='",
        ] {
            let _ = extract_items(junk, Some("http://x"), crawl());
        }
        let open = extract_items(
            "<li><a href=\"x\">未闭合的链接 2015-06-01",
            Some("http://h/a/"),
            crawl(),
        );
        assert_eq!(open.items.len(), 1);
        assert_eq!(open.items[0].published, NaiveDate::from_ymd_opt(2015, 6, 1));
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let b = Some("https://www.gov.cn/a/b/c.html?x=1");
        assert_eq!(
            resolve("d.html", b).as_deref(),
            Some("https://www.gov.cn/a/b/d.html")
        );
        assert_eq!(
            resolve("../d.html", b).as_deref(),
            Some("https://www.gov.cn/a/d.html")
        );
        assert_eq!(
            resolve("/d.html#top", b).as_deref(),
            Some("https://www.gov.cn/d.html")
        );
        assert_eq!(
            resolve("//cdn.gov.cn/x.pdf", b).as_deref(),
            Some("https://cdn.gov.cn/x.pdf")
        );
        assert_eq!(resolve("javascript:void(0)", b), None);
        assert_eq!(resolve("#", b), None);
        assert_eq!(resolve("mailto:a@b", b), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = extract_items(&s, Some("http://h/x/"), crawl());
        }
    }

    #[test]
    fn control_characters_in_a_title_never_reach_the_report() {
        let html = "<ul><li><a href=\"/a\">关于&#27;[2J通知\u{202e}gpj</a> 2015-06-29</li></ul>";
        let p = extract_items(html, None, NaiveDate::from_ymd_opt(2015, 6, 30).unwrap());
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].title, "关于 [2J通知gpj");
    }
}
