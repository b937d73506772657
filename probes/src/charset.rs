//! Pages in the charsets government sites use. Many are not UTF-8: GBK, GB2312 and GB18030 are common.
//!
//! The charset is taken, in order, from a byte-order mark, the HTTP `Content-Type` header, a `<meta charset>` or
//! `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 4 KB, and otherwise the bytes themselves:
//! valid UTF-8 is UTF-8, anything else is read as GB18030 (a superset of GBK and GB2312). Labels are resolved as
//! browsers do (WHATWG: `gb2312` and `gbk` decode as GBK). Malformed bytes become U+FFFD and are counted, never an
//! error.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// A decoded page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used (`UTF-8`, `GBK`, `gb18030` …).
    pub encoding: &'static str,
    /// Where the encoding came from: `bom`, `header`, `meta`, `sniffed` or `default`.
    pub source: &'static str,
    /// Bytes that did not decode (replaced by U+FFFD).
    pub malformed: bool,
}

fn charset_param(s: &str) -> Option<&str> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = s.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '>' || c == '/' || c.is_whitespace())
        .unwrap_or(rest.len());
    rest.get(..end).filter(|v| !v.is_empty())
}

/// The charset a page declares in a `<meta>` tag near its start.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower.get(from..).and_then(|t| t.find("<meta")) {
        let start = from + pos;
        let end = lower
            .get(start..)
            .and_then(|t| t.find('>'))
            .map_or(lower.len(), |e| start + e);
        if let Some(tag) = text.get(start..end)
            && let Some(label) = charset_param(tag)
            && let Some(enc) = Encoding::for_label(label.as_bytes())
        {
            return Some(enc);
        }
        from = end.max(start + 5);
    }
    None
}

/// Decode a page's bytes, given its `Content-Type` header when there is one.
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (enc, source) = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        (enc, "bom")
    } else if let Some(enc) = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
    {
        (enc, "header")
    } else if let Some(enc) = meta_charset(&bytes[..bytes.len().min(4096)]) {
        (enc, "meta")
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, "default")
    } else {
        (GB18030, "sniffed")
    };
    // A page that declares UTF-8 but is not is common on old sites: GB18030 reads it when UTF-8 cannot.
    let (enc, source) = if enc == UTF_8 && source != "bom" && std::str::from_utf8(bytes).is_err() {
        let (_, _, gb_bad) = GB18030.decode(bytes);
        if gb_bad {
            (enc, source)
        } else {
            (GB18030, "sniffed")
        }
    } else {
        (enc, source)
    };
    let (text, used, malformed) = enc.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        source,
        malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn gbk_pages_by_header_meta_and_sniffing() {
        let page =
            gbk("<html><head><meta charset=\"gb2312\"></head><body>通知公告 2015年3月29日</body></html>");
        let d = decode_page(&page, None);
        assert_eq!((d.encoding, d.source, d.malformed), ("GBK", "meta", false));
        assert!(d.text.contains("通知公告"));
        let d = decode_page(&gbk("政策文件"), Some("text/html; charset=GBK"));
        assert_eq!((d.text.as_str(), d.source), ("政策文件", "header"));
        let d = decode_page(&gbk("<p>人事信息</p>"), None);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source),
            ("<p>人事信息</p>", "gb18030", "sniffed")
        );
        let old = gbk("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"><p>规划计划</p>");
        assert!(decode_page(&old, None).text.contains("规划计划"));
    }

    #[test]
    fn utf8_bom_and_lies() {
        let d = decode_page("工作动态".as_bytes(), None);
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source),
            ("工作动态", "UTF-8", "default")
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("要闻".as_bytes());
        assert_eq!(decode_page(&bom, Some("text/html; charset=gbk")).source, "bom");
        // Declares UTF-8, is GBK.
        let d = decode_page(&gbk("领导信息"), Some("text/html; charset=utf-8"));
        assert_eq!((d.text.as_str(), d.source), ("领导信息", "sniffed"));
        // Garbage: replaced, flagged, no panic.
        let d = decode_page(&[0xff, 0xfe, 0x00, 0x81], Some("text/html; charset=utf-8"));
        assert!(d.malformed || !d.text.is_empty());
        let d = decode_page(b"<meta charset=\"klingon\">x", Some("charset="));
        assert_eq!(d.encoding, "UTF-8");
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300), ct in "\\PC{0,40}") {
            let _ = decode_page(&bytes, Some(&ct));
            let _ = decode_page(&bytes, None);
        }
    }
}
