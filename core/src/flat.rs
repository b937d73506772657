//! Flat records: one row of a census spreadsheet (counts only) as an observation.
//!
//! A flat record maps documented column names (`links.other_broken`, `interaction.survey.activities`, …) to
//! cell values. It is turned into an observation JSON object and read by [`Observation::from_json_value`], so every
//! check and error of the contract applies, with the flat name as the error path. Spreadsheets do not list
//! columns or findings one by one, so the counts `columns.stale.*`, `columns.blank`, `columns.overdue`,
//! `columns.inaccurate`, `content.confirmed` and `content.unconfirmed` become that many synthetic entries, named
//! as counted ("（计数）") in the evidence.

use crate::error::{Error, ErrorKind, closest};
use crate::observation::Observation;
use serde_json::{Map, Value, json};

/// A cell of a flat table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Empty cell, `None`, or NaN: no data.
    Missing,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (whole floats count as integers).
    Float(f64),
    /// Text (numbers and booleans written as text are read as such).
    Text(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Count,
    Flag,
}

/// Every flat column name with its kind and meaning (English), in documentation order.
pub const FLAT_COLUMNS: &[(&str, &str)] = &[
    ("monitoring_point", "the 监测时间点, `YYYY-MM-DD`"),
    ("site.name", "网站名称"),
    ("site.url", "首页网址"),
    ("site.kind", "`portal` or `other` (门户网站 / 其他)"),
    ("site.id", "网站标识码"),
    ("site.region", "地区"),
    ("site.department", "部门"),
    (
        "site.homepage_navigation_only",
        "the homepage only navigates (true/false)",
    ),
    (
        "site.offers_services",
        "false for a department without external services",
    ),
    ("availability.visits", "homepage visits in the week"),
    ("availability.failures", "failed visits"),
    ("availability.days", "days covered"),
    ("links.homepage_broken", "broken links on the homepage"),
    ("links.other_broken", "broken links on other pages"),
    ("links.checked", "links checked"),
    (
        "homepage.updates_in_window",
        "new homepage items in the 2-week window",
    ),
    (
        "columns.stale.dynamics",
        "动态/要闻 columns with no new item in 2 weeks",
    ),
    (
        "columns.stale.notice",
        "通知公告 columns with no new item in 6 months",
    ),
    (
        "columns.stale.policy",
        "政策文件 columns with no new item in 6 months",
    ),
    (
        "columns.stale.plan",
        "规划计划 columns with no new item in 1 year",
    ),
    (
        "columns.stale.personnel",
        "人事信息 columns with no new item in 1 year",
    ),
    ("columns.blank", "blank columns"),
    ("columns.overdue", "should-update columns long not updated"),
    ("columns.inaccurate", "inaccurate items of basic information"),
    ("interaction.consultation.exists", "a 政务咨询 column exists"),
    ("interaction.consultation.usable", "it works"),
    (
        "interaction.consultation.valid_messages",
        "valid messages in the year",
    ),
    (
        "interaction.consultation.overdue_messages",
        "messages that waited more than 3 months",
    ),
    (
        "interaction.consultation.answers_in_window",
        "answers in the answer window",
    ),
    ("interaction.survey.exists", "a 调查征集 column exists"),
    ("interaction.survey.usable", "it works"),
    ("interaction.survey.activities", "activities in the year"),
    ("interaction.interview.exists", "a 互动访谈 column exists"),
    ("interaction.interview.usable", "it works"),
    ("interaction.interview.activities", "interviews in the year"),
    ("services.guide_count", "guides checked"),
    (
        "services.missing_element_categories",
        "guide element categories missing (0–8)",
    ),
    ("services.inaccurate_elements", "inaccurate guide elements"),
    (
        "services.attachments_not_offered",
        "forms mentioned but not offered",
    ),
    (
        "services.attachments_broken",
        "attachments that cannot be downloaded",
    ),
    ("services.online_system_count", "online systems checked"),
    (
        "services.online_systems_unreachable",
        "online systems unreachable",
    ),
    ("content.confirmed", "confirmed serious errors"),
    ("content.unconfirmed", "unconfirmed findings to review"),
];

/// The most synthetic entries one count may create.
pub const MAX_SYNTHETIC: u64 = 10_000;

const GROUPS: &[&str] = &[
    "site",
    "availability",
    "links",
    "homepage",
    "columns",
    "interaction",
    "services",
    "content",
];

fn kind_of(name: &str) -> Kind {
    match name {
        "monitoring_point" | "site.name" | "site.url" | "site.kind" | "site.id" | "site.region"
        | "site.department" => Kind::Text,
        n if n.ends_with(".exists") || n.ends_with(".usable") || n.starts_with("site.") => Kind::Flag,
        _ => Kind::Count,
    }
}

/// Whether a column name belongs to the flat form (a known name), is unknown but looks like one (an error), or is
/// some other column of the table (ignored).
pub fn classify(name: &str) -> Result<bool, Error> {
    if FLAT_COLUMNS.iter().any(|(n, _)| *n == name) {
        return Ok(true);
    }
    let group = name.split('.').next().unwrap_or("");
    if name.contains('.') && GROUPS.contains(&group) {
        let e = Error::new(ErrorKind::UnknownField, format!("unknown flat column `{name}`")).with_path(name);
        return Err(match closest(name, FLAT_COLUMNS.iter().map(|(n, _)| *n)) {
            Some(c) => e.with_help(format!("did you mean `{c}`?")),
            None => e.with_help("see docs/python.md for the flat column names"),
        });
    }
    Ok(false)
}

fn value(name: &str, cell: &Cell) -> Option<Value> {
    let kind = kind_of(name);
    match (kind, cell) {
        (_, Cell::Missing) => None,
        (_, Cell::Float(f)) if f.is_nan() => None,
        (_, Cell::Text(t)) if t.trim().is_empty() => None,
        (Kind::Text, Cell::Text(t)) => Some(Value::from(t.trim())),
        (Kind::Text, Cell::Int(i)) => Some(Value::from(i.to_string())),
        (Kind::Text, Cell::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => {
            Some(Value::from(format!("{f:.0}")))
        }
        (Kind::Text, Cell::Float(f)) => Some(Value::from(f.to_string())),
        (Kind::Text, Cell::Bool(b)) => Some(Value::from(b.to_string())),
        (Kind::Flag, Cell::Bool(b)) => Some(Value::from(*b)),
        (Kind::Flag, Cell::Int(0)) => Some(Value::from(false)),
        (Kind::Flag, Cell::Int(1)) => Some(Value::from(true)),
        (Kind::Flag, Cell::Float(f)) if *f == 0.0 || *f == 1.0 => Some(Value::from(*f == 1.0)),
        (Kind::Flag, Cell::Text(t)) => Some(match t.trim().to_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" | "有" => Value::from(true),
            "false" | "no" | "n" | "0" | "否" | "无" => Value::from(false),
            other => Value::from(other),
        }),
        (Kind::Flag, Cell::Int(i)) => Some(Value::from(*i)),
        (Kind::Flag, Cell::Float(f)) => Some(json!(f)),
        (Kind::Count, Cell::Int(i)) => Some(Value::from(*i)),
        (Kind::Count, Cell::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(Value::from(*f as i64)),
        (Kind::Count, Cell::Float(f)) => Some(json!(f)),
        (Kind::Count, Cell::Bool(b)) => Some(Value::from(*b)),
        (Kind::Count, Cell::Text(t)) => {
            let t = t.trim();
            Some(match (t.parse::<i64>(), t.parse::<f64>()) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
                _ => Value::from(t),
            })
        }
    }
}

fn insert(root: &mut Map<String, Value>, path: &[&str], v: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = root;
    for p in parents {
        let entry = cur
            .entry((*p).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Some(next) = entry.as_object_mut() else { return };
        cur = next;
    }
    cur.insert((*last).to_string(), v);
}

fn synthetic_count(name: &str, v: &Value) -> Result<u64, Error> {
    let n = v.as_u64().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("`{v}` is not a non-negative whole number"),
        )
        .with_path(name)
    })?;
    if n > MAX_SYNTHETIC {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("{n} is more than {MAX_SYNTHETIC}"),
        )
        .with_path(name));
    }
    Ok(n)
}

/// Build an observation from `(flat column name, cell)` pairs. Columns that are not flat names are ignored; names
/// that look like flat names but are unknown are errors.
///
/// # Errors
/// As [`Observation::from_json_value`], with the flat name as path; `unknown_field` for a misspelt flat name.
pub fn observation_from_flat<'a>(
    cells: impl IntoIterator<Item = (&'a str, &'a Cell)>,
) -> Result<Observation, Error> {
    let mut root = Map::new();
    let mut columns: Vec<Value> = Vec::new();
    let mut any_columns = false;
    let mut findings: Vec<Value> = Vec::new();
    let mut any_content = false;
    for (name, cell) in cells {
        if !classify(name)? {
            continue;
        }
        let Some(v) = value(name, cell) else { continue };
        let stale = |cat: &str, label: &str, n: u64| -> Vec<Value> {
            (1..=n)
                .map(|i| json!({"name": format!("{label}（计数 {i}）"), "category": cat, "last_published": "1900-01-01"}))
                .collect()
        };
        match name {
            "columns.stale.dynamics" => columns.extend(stale("dynamics", "未更新动态要闻栏目", synthetic_count(name, &v)?)),
            "columns.stale.notice" => columns.extend(stale("notice", "未更新通知公告栏目", synthetic_count(name, &v)?)),
            "columns.stale.policy" => columns.extend(stale("policy", "未更新政策文件栏目", synthetic_count(name, &v)?)),
            "columns.stale.plan" => columns.extend(stale("plan", "未更新规划计划栏目", synthetic_count(name, &v)?)),
            "columns.stale.personnel" => columns.extend(stale("personnel", "未更新人事信息栏目", synthetic_count(name, &v)?)),
            "columns.blank" => columns.extend(
                (1..=synthetic_count(name, &v)?).map(|i| json!({"name": format!("空白栏目（计数 {i}）"), "category": "other", "blank": true})),
            ),
            "columns.overdue" => columns.extend((1..=synthetic_count(name, &v)?).map(|i| {
                json!({"name": format!("应更新未更新栏目（计数 {i}）"), "category": "other", "should_update": true, "last_published": "1900-01-01"})
            })),
            "columns.inaccurate" => {
                let n = synthetic_count(name, &v)?;
                columns.push(json!({"name": "基本信息（计数）", "category": "organization", "last_published": "1900-01-01", "inaccurate": n}));
            }
            "content.confirmed" | "content.unconfirmed" => {
                any_content = true;
                let confirmed = name == "content.confirmed";
                findings.extend((1..=synthetic_count(name, &v)?).map(|i| {
                    json!({"kind": "serious_typo", "url": format!("（计数 {i}）"), "excerpt": "（计数）", "confirmed": confirmed})
                }));
            }
            _ => {
                let path: Vec<&str> = name.split('.').collect();
                insert(&mut root, &path, v);
            }
        }
        any_columns |= name.starts_with("columns.");
    }
    if any_columns {
        root.insert("columns".into(), Value::Array(columns));
    }
    if any_content {
        root.insert("content_findings".into(), Value::Array(findings));
    }
    // A channel given only by its counts exists.
    if let Some(Value::Object(inter)) = root.get_mut("interaction") {
        for ch in inter.values_mut() {
            if let Value::Object(o) = ch {
                o.entry("exists").or_insert(Value::Bool(true));
            }
        }
    }
    if !root.contains_key("site") {
        root.insert("site".into(), json!({"name": ""}));
    } else if let Some(Value::Object(site)) = root.get_mut("site") {
        site.entry("name").or_insert(Value::from(""));
    }
    Observation::from_json_value(Value::Object(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(cells: &[(&str, Cell)]) -> Result<Observation, Error> {
        observation_from_flat(cells.iter().map(|(n, c)| (*n, c)))
    }

    #[test]
    fn counts_become_an_observation() {
        let o = obs(&[
            ("monitoring_point", Cell::Text("2015-06-30".into())),
            ("site.name", Cell::Text("x".into())),
            ("site.kind", Cell::Text("portal".into())),
            ("site.id", Cell::Int(1100000088)),
            ("availability.visits", Cell::Float(200.0)),
            ("availability.failures", Cell::Text("5".into())),
            ("links.other_broken", Cell::Float(f64::NAN)),
            ("columns.stale.dynamics", Cell::Int(2)),
            ("interaction.survey.activities", Cell::Int(4)),
            ("note", Cell::Text("ignored".into())),
        ])
        .unwrap();
        assert_eq!(o.availability.as_ref().and_then(|a| a.failures), Some(5));
        assert!(o.links.is_none());
        assert_eq!(o.columns.as_ref().map(Vec::len), Some(2));
        assert!(
            o.interaction
                .as_ref()
                .and_then(|i| i.survey.as_ref())
                .is_some_and(|s| s.exists)
        );
        assert_eq!(o.site.id.as_ref().map(|i| i.0.as_str()), Some("1100000088"));
    }

    #[test]
    fn bad_cells_name_their_column() {
        let e = obs(&[
            ("monitoring_point", Cell::Text("2015-06-30".into())),
            ("links.other_brokn", Cell::Int(1)),
        ])
        .unwrap_err();
        assert_eq!(
            (e.code(), e.help()),
            ("unknown_field", Some("did you mean `links.other_broken`?"))
        );
        let e = obs(&[
            ("monitoring_point", Cell::Text("2015-06-30".into())),
            ("links.other_broken", Cell::Float(2.5)),
        ])
        .unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_type", Some("links.other_broken")));
        let e = obs(&[
            ("monitoring_point", Cell::Text("2015-06-30".into())),
            ("columns.blank", Cell::Int(-1)),
        ])
        .unwrap_err();
        assert_eq!(e.path(), Some("columns.blank"));
        let e = obs(&[
            ("monitoring_point", Cell::Text("2015-06-30".into())),
            ("columns.blank", Cell::Int(1 << 40)),
        ])
        .unwrap_err();
        assert_eq!(e.code(), "invalid_value");
        let e = obs(&[("monitoring_point", Cell::Text("2015-02-30".into()))]).unwrap_err();
        assert_eq!(e.code(), "invalid_date");
    }
}
