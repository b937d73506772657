//! What a link points at, as the link check counts it (a page, an image, an attachment, an external site), and
//! whether an answer is a bot wall or rate limiting rather than the page itself.

use crate::charset::decode_page;

/// The host of an absolute address (`None` for a relative or unreadable one).
pub fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
}

/// The kind of a link target found on a site whose homepage is on `home_host`: `external` (another host), `image`
/// (an `<img>` or an image file), `attachment` (a document or archive) or `page`.
pub fn link_kind(url: &str, tag: &str, home_host: &str) -> &'static str {
    let host = host_of(url).unwrap_or_default();
    if !host.is_empty() && host != home_host {
        return "external";
    }
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    if tag == "img"
        || [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg"]
            .iter()
            .any(|e| path.ends_with(e))
    {
        "image"
    } else if [
        ".doc", ".docx", ".xls", ".xlsx", ".pdf", ".zip", ".rar", ".wps", ".txt", ".ppt", ".pptx",
    ]
    .iter()
    .any(|e| path.ends_with(e))
    {
        "attachment"
    } else {
        "page"
    }
}

/// Text of the challenge pages web application firewalls and anti-bot services put in front of a page.
pub const BOT_WALL_MARKERS: &[&str] = &[
    "安全验证",
    "访问验证",
    "人机验证",
    "请完成验证",
    "安全狗",
    "云防护",
    "云盾",
    "网站防火墙",
    "请开启JavaScript",
    "Please enable JavaScript",
    "Just a moment",
    "Access Denied",
    "Attention Required",
];

/// Rate limiting (429, 503) or a bot wall (412, 567, or a 403 or 200 page under 64 KiB that is a firewall's
/// challenge): the link's state is unknown, not broken.
pub fn throttled_or_walled(status: u16, body: &[u8], content_type: Option<&str>) -> bool {
    match status {
        429 | 503 | 412 | 567 => true,
        200 | 403 if body.len() < 64 << 10 => {
            let text = decode_page(body, content_type).text;
            BOT_WALL_MARKERS.iter().any(|m| text.contains(m)) && (status == 403 || text.len() < 4096)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walled(status: u16, body: &str) -> bool {
        throttled_or_walled(status, body.as_bytes(), Some("text/html; charset=utf-8"))
    }

    #[test]
    fn bot_walls_and_throttling_are_inconclusive() {
        assert!(walled(429, ""));
        assert!(walled(503, ""));
        assert!(walled(403, "<title>网站防火墙</title>您的访问被拦截"));
        assert!(walled(200, "<p>请完成安全验证后继续访问</p>"));
        assert!(!walled(403, "<h1>Forbidden</h1>"), "a plain 403 is broken");
        assert!(!walled(404, "安全验证"));
        assert!(
            !walled(200, &format!("{}安全验证", "正文".repeat(3000))),
            "a long real page mentioning it"
        );
    }

    #[test]
    fn link_kinds() {
        let k = |u: &str, tag: &str| link_kind(u, tag, "www.example.gov.cn");
        assert_eq!(k("http://www.example.gov.cn/a.html", "a"), "page");
        assert_eq!(k("http://www.example.gov.cn/logo", "img"), "image");
        assert_eq!(k("http://www.example.gov.cn/a.PNG?x=1", "a"), "image");
        assert_eq!(k("http://www.example.gov.cn/f/a.pptx", "a"), "attachment");
        assert_eq!(k("http://www.gov.cn/", "a"), "external");
        assert_eq!(k("/relative.pdf", "a"), "attachment");
    }
}
