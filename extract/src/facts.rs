//! The observation fields (`pucha.observation/1`) read from one page, as JSON: what `pucha probe` writes and what
//! the browser's checker writes, from the same functions.

use crate::guides::GuideReading;
use crate::items::ListPage;
use crate::screen::TextFinding;
use serde_json::{Value, json};

/// A column's list page: `{"blank": true, "items": []}` for a blank column (空白栏目), else `{"items": [...]}` with
/// each item's `title`, `url` and `published` date.
pub fn column_listing(list: &ListPage) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    if list.is_blank() {
        m.insert("blank".into(), Value::Bool(true));
        m.insert("items".into(), json!([]));
    } else {
        let items = list
            .items
            .iter()
            .map(|i| json!({"title": i.title, "url": i.url, "published": i.published.map(|d| d.to_string())}))
            .collect();
        m.insert("items".into(), Value::Array(items));
    }
    m
}

/// A consultation column's messages (`interaction.consultation.messages`): the first date of a row is when it was
/// asked, the second when it was answered (none: unanswered, e.g. `未回复`). Rows without a date are not messages.
pub fn consultation_messages(list: &ListPage) -> Vec<Value> {
    list.items
        .iter()
        .filter_map(|item| {
            let asked = item.dates.first()?;
            Some(json!({
                "asked": asked.to_string(),
                "answered": item.dates.get(1).map(|d| d.to_string()),
                "title": item.title,
                "url": item.url,
            }))
        })
        .collect()
}

/// A survey or interview column's activities (`interaction.survey.activities`): its dated items.
pub fn activities(list: &ListPage) -> Vec<Value> {
    list.items
        .iter()
        .filter_map(|item| {
            let d = item.published?;
            Some(json!({"date": d.to_string(), "title": item.title, "url": item.url}))
        })
        .collect()
}

/// A guide page's reading as `services.guides[]` holds it, with the attachments found `broken` by downloading.
pub fn guide(name: &str, url: &str, reading: &GuideReading, broken: Vec<String>) -> Value {
    json!({
        "name": name,
        "url": url,
        "missing_elements": reading.missing_elements,
        "attachments_not_offered": reading.not_offered,
        "attachments_broken": broken,
    })
}

/// A wrong form found on the page at `url`, as `content_findings[]` holds it.
pub fn content_finding(url: &str, f: &TextFinding) -> Value {
    json!({
        "kind": "serious_typo",
        "url": url,
        "excerpt": f.excerpt,
        "expected": f.expected,
        "confirmed": f.confirmed,
    })
}
