//! The extraction boundary: one page's bytes and a JSON request in, everything pucha reads from that page out, as
//! JSON. The browser's checker module and the shared extraction vectors both go through [`examine`], so the
//! browser reads a page exactly as `pucha probe` does.
//!
//! Request: `{"url": "http://…", "content_type"?: "text/html; charset=gbk", "crawl": "2015-06-30",
//! "home"?: "http://…/" (the homepage, whose host decides which links are external; default: the page's own),
//! "terms"?: [{"wrong", "right", "certain"?}] (default: the built-in dictionary)}`.
//!
//! Answer: `{"type": "success", "reading": {decoded, column, messages, activities, links, guide, findings}}` or
//! `{"type": "failure", "errors": [{"code", "path"?, "message"}]}`; it never panics.

use crate::charset::decode_page;
use crate::facts;
use crate::guides::read_guide;
use crate::items::{extract_items, page_links, visible_text};
use crate::links::{host_of, link_kind};
use crate::screen::{Term, default_terms, screen_text};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

/// The request's keys.
const KEYS: [&str; 5] = ["url", "content_type", "crawl", "home", "terms"];

/// A request's problem: a stable code, the key it is about, and a message.
fn failure(code: &str, path: Option<&str>, message: String) -> Value {
    let mut e = json!({"code": code, "message": message});
    if let Some(p) = path {
        e["path"] = json!(p);
    }
    json!({"type": "failure", "errors": [e]})
}

/// The text of key `key`, if present; a non-string is a problem.
fn text<'a>(req: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Value> {
    match req.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(failure(
            "invalid_type",
            Some(key),
            format!("`{key}` must be a string, not `{other}`"),
        )),
    }
}

/// Read everything pucha reads from one page: `body` as served, described by `request` (JSON text, above).
pub fn examine(body: &[u8], request: &str) -> Value {
    match reading(body, request) {
        Ok(r) => json!({"type": "success", "reading": r}),
        Err(f) => f,
    }
}

fn reading(body: &[u8], request: &str) -> Result<Value, Value> {
    let req: Value = serde_json::from_str(request)
        .map_err(|e| failure("json_syntax", None, format!("the request is not JSON: {e}")))?;
    let Value::Object(req) = req else {
        return Err(failure(
            "invalid_type",
            None,
            "the request must be a JSON object".into(),
        ));
    };
    if let Some(k) = req.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(failure(
            "unknown_field",
            Some(k),
            format!("unknown field `{k}`, expected one of {}", KEYS.join(", ")),
        ));
    }
    let url = text(&req, "url")?
        .ok_or_else(|| failure("missing_field", Some("url"), "`url` is required".into()))?;
    let crawl_text = text(&req, "crawl")?
        .ok_or_else(|| failure("missing_field", Some("crawl"), "`crawl` is required".into()))?;
    let crawl = NaiveDate::parse_from_str(crawl_text, "%Y-%m-%d").map_err(|_| {
        failure(
            "invalid_date",
            Some("crawl"),
            format!("`{crawl_text}` is not a date (YYYY-MM-DD)"),
        )
    })?;
    let content_type = text(&req, "content_type")?;
    let home = text(&req, "home")?.unwrap_or(url);
    let terms: Vec<Term> = match req.get("terms") {
        None | Some(Value::Null) => default_terms(),
        Some(t) => serde_json::from_value(t.clone())
            .map_err(|e| failure("invalid_value", Some("terms"), format!("`terms`: {e}")))?,
    };

    let decoded = decode_page(body, content_type);
    let html = &decoded.text;
    let list = extract_items(html, Some(url), crawl);
    let home_host = host_of(home).unwrap_or_default();
    let links: Vec<Value> = page_links(html, Some(url))
        .into_iter()
        .map(|l| json!({"url": l.url, "tag": l.tag, "kind": link_kind(&l.url, l.tag, &home_host)}))
        .collect();
    let guide = read_guide(html, Some(url));
    let findings: Vec<Value> = screen_text(&visible_text(html), &terms)
        .iter()
        .map(|f| facts::content_finding(url, f))
        .collect();
    Ok(json!({
        "decoded": {"encoding": decoded.encoding, "source": decoded.source, "malformed": decoded.malformed},
        "column": facts::column_listing(&list),
        "refresh_to": list.refresh_to,
        "messages": facts::consultation_messages(&list),
        "activities": facts::activities(&list),
        "links": links,
        "guide": {
            "missing_elements": guide.missing_elements,
            "attachments": guide.attachments.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(),
            "not_offered": guide.not_offered,
        },
        "findings": findings,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(v: &Value) -> (&str, Option<&str>) {
        (
            v["errors"][0]["code"].as_str().unwrap_or(""),
            v["errors"][0]["path"].as_str(),
        )
    }

    #[test]
    fn a_gbk_column_page_reads_with_its_items_and_links() {
        let html =
            "<meta charset=gbk><ul><li><a href=\"/a/1.html\">关于开展普查的通知</a> 2015-06-29</li></ul>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let v = examine(
            &bytes,
            r#"{"url": "http://www.example.gov.cn/tzgg/", "crawl": "2015-06-30"}"#,
        );
        assert_eq!(v["type"], "success", "{v}");
        let r = &v["reading"];
        assert_eq!(r["decoded"]["encoding"], "GBK");
        assert_eq!(r["column"]["items"][0]["published"], "2015-06-29");
        assert_eq!(
            r["column"]["items"][0]["url"],
            "http://www.example.gov.cn/a/1.html"
        );
        assert_eq!(r["links"][0]["kind"], "page");
        assert_eq!(r["messages"][0]["asked"], "2015-06-29");
        assert_eq!(r["guide"]["missing_elements"].as_array().map(Vec::len), Some(8));
    }

    #[test]
    fn bad_requests_name_the_field() {
        let ok = r#""url": "http://x/", "crawl": "2015-06-30""#;
        assert_eq!(code(&examine(b"", "{")), ("json_syntax", None));
        assert_eq!(code(&examine(b"", "[]")), ("invalid_type", None));
        assert_eq!(
            code(&examine(b"", r#"{"crawl": "2015-06-30"}"#)),
            ("missing_field", Some("url"))
        );
        assert_eq!(
            code(&examine(b"", r#"{"url": "http://x/", "crawl": "2015-02-30"}"#)),
            ("invalid_date", Some("crawl"))
        );
        assert_eq!(
            code(&examine(b"", &format!("{{{ok}, \"budget\": 5}}"))),
            ("unknown_field", Some("budget"))
        );
        assert_eq!(
            code(&examine(b"", &format!("{{{ok}, \"home\": 5}}"))),
            ("invalid_type", Some("home"))
        );
        assert_eq!(
            code(&examine(
                b"",
                &format!("{{{ok}, \"terms\": [{{\"wrong\": \"a\"}}]}}")
            )),
            ("invalid_value", Some("terms"))
        );
    }

    #[test]
    fn a_page_with_a_wrong_term_finds_it_with_the_given_dictionary() {
        let body = "<p>本站特别提示：截止目前共受理申请三百件。</p>".as_bytes();
        let req = r#"{"url": "http://x/", "crawl": "2015-06-30", "terms": [{"wrong": "受理申请", "right": "x", "certain": true}]}"#;
        let v = examine(body, req);
        assert_eq!(v["reading"]["findings"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(v["reading"]["findings"][0]["confirmed"], true);
        let v = examine(body, r#"{"url": "http://x/", "crawl": "2015-06-30"}"#);
        assert_eq!(v["reading"]["findings"][0]["expected"], "截至目前");
    }
}
