//! Pages in the charsets government sites use. Many are not UTF-8: GBK, GB2312 and GB18030 are common.
//!
//! The charset is taken, in order, from a byte-order mark, the HTTP `Content-Type` header, a `<meta charset>` or
//! `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 4 KB, and otherwise the bytes themselves:
//! valid UTF-8 is UTF-8, anything else is read as GB18030 (a superset of GBK and GB2312). Labels are resolved as
//! browsers do (WHATWG: `gb2312` and `gbk` decode as GBK; a UTF-16 label in `<meta>` means UTF-8, since a page
//! whose `<meta>` reads as ASCII cannot be UTF-16). Malformed bytes become U+FFFD and are counted, never an
//! error.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

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
            return Some(prescan_meaning(enc));
        }
        from = end.max(start + 5);
    }
    None
}

/// What a charset found in `<meta>` means (WHATWG, "prescan a byte stream"): a document whose `<meta>` can be read
/// as ASCII is not UTF-16, so a UTF-16 label there means UTF-8; `x-user-defined` means windows-1252.
fn prescan_meaning(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16BE || enc == UTF_16LE {
        UTF_8
    } else if enc == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        enc
    }
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

    #[test]
    fn a_utf16_label_in_meta_means_utf8_as_browsers_read_it() {
        let page = "<html><head><meta charset=\"utf-16\"></head><body><ul><li><a href=\"/a\">通知公告</a> 2015-06-29</li></ul></body></html>";
        for label in ["utf-16", "UTF-16LE", "utf-16be", "unicodefffe", "csunicode"] {
            let html = page.replace("utf-16", label);
            let d = decode_page(html.as_bytes(), None);
            assert_eq!(
                (d.encoding, d.source, d.malformed),
                ("UTF-8", "meta", false),
                "{label}"
            );
            assert_eq!(d.text, html, "{label}");
            // Read as UTF-16 the column looked blank (空白栏目, toward a veto); read as UTF-8 its item is there.
            let crawl = chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap();
            assert_eq!(
                crate::items::extract_items(&d.text, None, crawl).items.len(),
                1,
                "{label}"
            );
        }
        // x-user-defined in <meta> is windows-1252; a UTF-16 byte-order mark is still UTF-16.
        assert_eq!(
            decode_page(b"<meta charset=\"x-user-defined\">caf\xe9", None).text,
            "<meta charset=\"x-user-defined\">caf\u{e9}"
        );
        let bom: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("通知".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(
            (
                decode_page(&bom, None).text.as_str(),
                decode_page(&bom, None).encoding
            ),
            ("通知", "UTF-16LE")
        );
    }
}
