//! Flat records: one row of a census spreadsheet (counts only) as an observation.
//!
//! A flat record maps documented column names (`links.other_broken`, `interaction.survey.activities`, …) to
//! cell values. It is turned into an observation JSON object and read by [`Observation::from_json_value`], so every
//! check and error of the contract applies, with the flat name as the error path. Spreadsheets do not list
//! columns or findings one by one, so the counts `columns.stale.*`, `columns.blank`, `columns.overdue`,
//! `columns.inaccurate`, `content.confirmed` and `content.unconfirmed` become that many synthetic entries, named
//! as counted ("（计数）") in the evidence.

use crate::io::json_tree::{self, Entries, Node};
use crate::model::error::{Error, ErrorKind, closest};
use crate::model::observation::Observation;

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
        "links.complete",
        "false when the link check stopped at a cap (the counts are then a lower bound)",
    ),
    (
        "links.unchecked.homepage",
        "homepage links found but not checkable",
    ),
    (
        "links.unchecked.other",
        "links on other pages found but not checkable",
    ),
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
        n if n.ends_with(".exists")
            || n.ends_with(".usable")
            || n.starts_with("site.")
            || n == "links.complete" =>
        {
            Kind::Flag
        }
        _ => Kind::Count,
    }
}

/// The names of [`FLAT_COLUMNS`] alone: lookups read these, so a build that never lists the columns (the browser's
/// main module) carries no meanings.
const FLAT_NAMES: [&str; FLAT_COLUMNS.len()] = {
    let mut names = [""; FLAT_COLUMNS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = FLAT_COLUMNS[i].0;
        i += 1;
    }
    names
};

/// Whether a column name belongs to the flat form (a known name), is unknown but looks like one (an error), or is
/// some other column of the table (ignored).
pub fn classify(name: &str) -> Result<bool, Error> {
    if FLAT_NAMES.contains(&name) {
        return Ok(true);
    }
    let group = name.split('.').next().unwrap_or("");
    if name.contains('.') && GROUPS.contains(&group) {
        let e = Error::new(ErrorKind::UnknownField, format!("unknown flat column `{name}`")).with_path(name);
        return Err(match closest(name, FLAT_NAMES.iter().copied()) {
            Some(c) => e.with_help(format!("did you mean `{c}`?")),
            None => e.with_help("see docs/python.md for the flat column names"),
        });
    }
    Ok(false)
}

/// A decimal text that is exactly a whole number below 9·10^15 (`12.0`, `1.2e1`, `+12.`, `0e99`), as Rust writes
/// decimals. Read exactly rather than through `f64` (whose parser is 17 KB of the WebAssembly module): a text that
/// only rounds to a whole number, such as `1.00000000000000001`, is not one.
fn whole_number(t: &str) -> Option<i64> {
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(at) => (&t[..at], t[at + 1..].parse::<i64>().ok()?),
        None => (t, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = || whole.bytes().chain(fraction.bytes());
    if whole.len() + fraction.len() == 0 || !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The digits with the point moved `shift` places to the right.
    let shift = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let significant: Vec<u8> = digits().skip_while(|&b| b == b'0').collect();
    let mut kept = significant.as_slice();
    if shift < 0 {
        let cut = usize::try_from(shift.unsigned_abs()).ok()?;
        if cut >= kept.len() {
            return kept.iter().all(|&b| b == b'0').then_some(0);
        }
        let (head, tail) = kept.split_at(kept.len() - cut);
        if tail.iter().any(|&b| b != b'0') {
            return None;
        }
        kept = head;
    }
    let mut n: i64 = 0;
    for &b in kept {
        n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    for _ in 0..shift.max(0) {
        if n == 0 {
            break;
        }
        n = n.checked_mul(10)?;
    }
    (n < 9_000_000_000_000_000).then_some(if negative { -n } else { n })
}

/// A float written out in full as the standard library displays it (`1.5`, `100`, `0.0000001`, `-0`, `NaN`,
/// `inf`), from the shortest digits that read back to it as serde_json writes floats (zmij). Where 16 or 17
/// significant digits are needed, the last may differ from the standard library's (which picks the closest of the
/// shortest); both read back as the same float. The standard library's own float printing is 14 KB of the WebAssembly
/// module, for a spreadsheet cell holding a fractional number where text is expected.
pub(crate) fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return zmij::Buffer::new().format(f).to_owned();
    }
    let mut buf = zmij::Buffer::new();
    let shortest = buf.format_finite(f.abs());
    // `d.ddd`, `ddd.d` or `d.ddde±x`: the digits, and where the decimal point goes among them.
    let (mantissa, exp) = match shortest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (shortest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = int.chars().chain(frac.chars()).collect();
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits.trim_start_matches('0').trim_end_matches('0');
    let point = int.len() as i64 + exp - lead as i64;
    let mut out = String::with_capacity(digits.len() + 8);
    if f.is_sign_negative() {
        out.push('-');
    }
    let len = digits.len() as i64;
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(digits);
    } else if point >= len {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', (point - len) as usize));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

fn value(name: &str, cell: &Cell) -> Option<Node> {
    let kind = kind_of(name);
    match (kind, cell) {
        (_, Cell::Missing) => None,
        (_, Cell::Float(f)) if f.is_nan() => None,
        (_, Cell::Text(t)) if t.trim().is_empty() => None,
        (Kind::Text, Cell::Text(t)) => Some(Node::text(t.trim())),
        (Kind::Text, Cell::Int(i)) => Some(Node::text(&i.to_string())),
        (Kind::Text, Cell::Float(f)) => Some(Node::text(&float_text(*f))),
        (Kind::Text, Cell::Bool(b)) => Some(Node::text(&b.to_string())),
        (Kind::Flag, Cell::Bool(b)) => Some(Node::Bool(*b)),
        (Kind::Flag, Cell::Int(0)) => Some(Node::Bool(false)),
        (Kind::Flag, Cell::Int(1)) => Some(Node::Bool(true)),
        (Kind::Flag, Cell::Float(f)) if *f == 0.0 || *f == 1.0 => Some(Node::Bool(*f == 1.0)),
        (Kind::Flag, Cell::Text(t)) => Some(match t.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" | "有" => Node::Bool(true),
            "false" | "no" | "n" | "0" | "否" | "无" => Node::Bool(false),
            other => Node::text(other),
        }),
        (Kind::Flag, Cell::Int(i)) => Some(Node::int(*i)),
        (Kind::Flag, Cell::Float(f)) => Some(Node::float(*f)),
        (Kind::Count, Cell::Int(i)) => Some(Node::int(*i)),
        (Kind::Count, Cell::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(Node::int(*f as i64)),
        (Kind::Count, Cell::Float(f)) => Some(Node::float(*f)),
        (Kind::Count, Cell::Bool(b)) => Some(Node::Bool(*b)),
        (Kind::Count, Cell::Text(t)) => {
            let t = t.trim();
            Some(match t.parse::<i64>().ok().or_else(|| whole_number(t)) {
                Some(i) => Node::int(i),
                None => Node::text(t),
            })
        }
    }
}

fn insert(root: &mut Entries, path: &[&str], v: Node) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = root;
    for p in parents {
        let entry = json_tree::entry(cur, p, || Node::Obj(Vec::new()));
        if !matches!(entry, Node::Obj(_)) {
            *entry = Node::Obj(Vec::new());
        }
        let Node::Obj(next) = entry else { return };
        cur = next;
    }
    json_tree::set(cur, last, v);
}

/// A JSON object from its entries (kept in the map's order, by key).
fn obj<const N: usize>(entries: [(&str, Node); N]) -> Node {
    let mut m = Vec::with_capacity(N);
    for (k, v) in entries {
        json_tree::set(&mut m, k, v);
    }
    Node::Obj(m)
}

fn synthetic_count(name: &str, v: &Node) -> Result<u64, Error> {
    let Node::U(n) = *v else {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "`{}` is not a non-negative whole number",
                crate::io::report_json::node_json(v)
            ),
        )
        .with_path(name));
    };
    if n > MAX_SYNTHETIC {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("{n} is more than {MAX_SYNTHETIC}"),
        )
        .with_path(name));
    }
    Ok(n)
}

/// A table's column names, classified once: which are flat names (kept) and which are other columns (ignored).
#[derive(Debug, Clone)]
pub struct FlatColumns {
    keep: Vec<Option<&'static str>>,
    /// Flat name → its column in the table.
    lookup: std::collections::HashMap<&'static str, usize, foldhash::fast::RandomState>,
}

impl FlatColumns {
    /// Classify `names` (in table order).
    ///
    /// # Errors
    /// `unknown_field` for a name that looks like a flat name but is not one.
    pub fn new<S: AsRef<str>>(names: &[S]) -> Result<FlatColumns, Error> {
        let mut keep = Vec::with_capacity(names.len());
        let mut lookup = std::collections::HashMap::default();
        for (i, n) in names.iter().enumerate() {
            let n = n.as_ref();
            let flat = if classify(n)? {
                FLAT_NAMES.iter().find(|f| **f == n).copied()
            } else {
                None
            };
            if let Some(f) = flat {
                lookup.insert(f, i);
            }
            keep.push(flat);
        }
        Ok(FlatColumns { keep, lookup })
    }

    /// The observation of one row, whose cells are in table order.
    ///
    /// # Errors
    /// As [`observation_from_flat`].
    pub fn observation<'a>(&self, cells: impl IntoIterator<Item = &'a Cell>) -> Result<Observation, Error> {
        let row: Vec<&Cell> = cells.into_iter().collect();
        let get = |name: &str| self.lookup.get(name).and_then(|&i| row.get(i).copied());
        match direct(&get) {
            Some(res) => res,
            // A cell that does not fit its column: the JSON route names the problem precisely.
            None => observation_from_flat(
                self.keep
                    .iter()
                    .zip(row.iter())
                    .filter_map(|(k, c)| k.map(|k| (k, *c))),
            ),
        }
    }
}

/// Build an observation from `(flat column name, cell)` pairs. Columns that are not flat names are ignored; names
/// that look like flat names but are unknown are errors.
///
/// # Errors
/// As [`Observation::from_json_value`], with the flat name as path; `unknown_field` for a misspelt flat name.
pub fn observation_from_flat<'a>(
    cells: impl IntoIterator<Item = (&'a str, &'a Cell)>,
) -> Result<Observation, Error> {
    Observation::from_tree(tree_from_flat(cells)?)
}

/// The observation JSON (`pucha.observation/1`) that a flat record stands for, before it is checked: the form
/// the WASM self-check exports. Feed it to [`Observation::from_json_value`] to check it.
///
/// # Errors
/// `unknown_field` for a misspelt flat name; errors of a cell that does not fit its column.
pub fn observation_json_from_flat<'a>(
    cells: impl IntoIterator<Item = (&'a str, &'a Cell)>,
) -> Result<serde_json::Value, Error> {
    tree_from_flat(cells).map(Node::into_value)
}

/// A flat record given as JSON text (an object of flat column names to numbers, text, booleans or nulls, as the
/// self-check form writes it): the observation JSON it stands for, as [`observation_json_from_flat`] gives it
/// written out, and the observation, checked. The cells are read in the order of the object's keys, a repeated
/// key's last value only.
///
/// # Errors
/// `json_syntax` (path `record`) when the text is not a JSON object; `invalid_type` for a cell holding a list or
/// an object; otherwise as [`observation_from_flat`].
pub fn observation_from_flat_json(record: &str) -> Result<(String, Observation), Error> {
    let entries = crate::io::lean_reader::object_entries(record)
        .map_err(|e| Error::new(ErrorKind::JsonSyntax, format!("invalid record: {e}")).with_path("record"))?;
    let mut cells: Vec<(&str, Cell)> = Vec::with_capacity(entries.len());
    for (k, v) in &entries {
        let cell = match v {
            Node::Null => Cell::Missing,
            Node::Bool(b) => Cell::Bool(*b),
            Node::U(u) => i64::try_from(*u).map_or(Cell::Float(*u as f64), Cell::Int),
            Node::I(i) => Cell::Int(*i),
            Node::F(f) => Cell::Float(*f),
            Node::Str(s) => Cell::Text(s.to_string()),
            Node::Arr(_) | Node::Obj(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidType,
                    format!(
                        "flat column `{k}` holds a list or an object; a cell is a number, text or a boolean"
                    ),
                )
                .with_path(&**k));
            }
        };
        cells.push((k, cell));
    }
    let tree = tree_from_flat(cells.iter().map(|(k, c)| (*k, c)))?;
    let json = crate::io::report_json::node_json(&tree);
    Ok((json, Observation::from_tree(tree)?))
}

/// The observation a flat record stands for, as a tree in serde_json's map order.
fn tree_from_flat<'a>(cells: impl IntoIterator<Item = (&'a str, &'a Cell)>) -> Result<Node, Error> {
    let mut root: Entries = Vec::new();
    let mut columns: Vec<Node> = Vec::new();
    let mut any_columns = false;
    let mut findings: Vec<Node> = Vec::new();
    let mut any_content = false;
    for (name, cell) in cells {
        if !classify(name)? {
            continue;
        }
        let Some(v) = value(name, cell) else { continue };
        let stale = |cat: &str, label: &str, n: u64| -> Vec<Node> {
            (1..=n)
                .map(|_| {
                    obj([
                        ("name", Node::text(&format!("{label}（计数）"))),
                        ("category", Node::text(cat)),
                        ("last_published", Node::text("1900-01-01")),
                    ])
                })
                .collect()
        };
        match name {
            "columns.stale.dynamics" => columns.extend(stale(
                "dynamics",
                "未更新动态要闻栏目",
                synthetic_count(name, &v)?,
            )),
            "columns.stale.notice" => {
                columns.extend(stale("notice", "未更新通知公告栏目", synthetic_count(name, &v)?))
            }
            "columns.stale.policy" => {
                columns.extend(stale("policy", "未更新政策文件栏目", synthetic_count(name, &v)?))
            }
            "columns.stale.plan" => {
                columns.extend(stale("plan", "未更新规划计划栏目", synthetic_count(name, &v)?))
            }
            "columns.stale.personnel" => columns.extend(stale(
                "personnel",
                "未更新人事信息栏目",
                synthetic_count(name, &v)?,
            )),
            "columns.blank" => columns.extend((1..=synthetic_count(name, &v)?).map(|_| {
                obj([
                    ("name", Node::text("空白栏目（计数）")),
                    ("category", Node::text("other")),
                    ("blank", Node::Bool(true)),
                ])
            })),
            "columns.overdue" => columns.extend((1..=synthetic_count(name, &v)?).map(|_| {
                obj([
                    ("name", Node::text("应更新未更新栏目（计数）")),
                    ("category", Node::text("other")),
                    ("should_update", Node::Bool(true)),
                    ("last_published", Node::text("1900-01-01")),
                ])
            })),
            "columns.inaccurate" => {
                let n = synthetic_count(name, &v)?;
                columns.push(obj([
                    ("name", Node::text("基本信息（计数）")),
                    ("category", Node::text("organization")),
                    ("last_published", Node::text("1900-01-01")),
                    ("inaccurate", Node::U(n)),
                ]));
            }
            "content.confirmed" | "content.unconfirmed" => {
                any_content = true;
                let confirmed = name == "content.confirmed";
                findings.extend((1..=synthetic_count(name, &v)?).map(|i| {
                    obj([
                        ("kind", Node::text("serious_typo")),
                        ("url", Node::text(&format!("（计数 {i}）"))),
                        ("excerpt", Node::text("（计数）")),
                        ("confirmed", Node::Bool(confirmed)),
                    ])
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
        json_tree::set(&mut root, "columns", Node::Arr(columns));
    }
    if any_content {
        json_tree::set(&mut root, "content_findings", Node::Arr(findings));
    }
    if let Ok(at) = root.binary_search_by(|(k, _)| (**k).cmp("interaction"))
        && let Some((_, Node::Obj(inter))) = root.get_mut(at)
    {
        for (_, ch) in inter.iter_mut() {
            if let Node::Obj(o) = ch {
                json_tree::entry(o, "exists", || Node::Bool(true));
            }
        }
    }
    if let Node::Obj(site) = json_tree::entry(&mut root, "site", || Node::Obj(Vec::new())) {
        json_tree::entry(site, "name", || Node::text(""));
    }
    Ok(Node::Obj(root))
}

fn missing(c: &Cell) -> bool {
    match c {
        Cell::Missing => true,
        Cell::Float(f) => f.is_nan(),
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    }
}

/// A count cell: `Some(None)` for no data, `Some(Some(n))` for a count, `None` when it does not fit.
fn as_count(c: &Cell) -> Option<Option<u64>> {
    if missing(c) {
        return Some(None);
    }
    match c {
        Cell::Int(i) => u64::try_from(*i).ok().map(Some),
        Cell::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15 => Some(Some(*f as u64)),
        Cell::Text(t) => t.trim().parse::<u64>().ok().map(Some),
        _ => None,
    }
}

fn as_flag(c: &Cell) -> Option<Option<bool>> {
    if missing(c) {
        return Some(None);
    }
    match c {
        Cell::Bool(b) => Some(Some(*b)),
        Cell::Int(0) => Some(Some(false)),
        Cell::Int(1) => Some(Some(true)),
        Cell::Float(f) if *f == 0.0 || *f == 1.0 => Some(Some(*f == 1.0)),
        Cell::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "是" | "有" => Some(Some(true)),
            "false" | "no" | "n" | "0" | "否" | "无" => Some(Some(false)),
            _ => None,
        },
        _ => None,
    }
}

fn as_text(c: &Cell) -> Option<Option<String>> {
    if missing(c) {
        return Some(None);
    }
    match c {
        Cell::Text(t) => Some(Some(t.trim().to_string())),
        Cell::Int(i) => Some(Some(i.to_string())),
        _ => None,
    }
}

/// Build the observation straight from well-formed cells (the fast path); `None` if any cell needs the careful
/// route, `Some(Err)` for data that is well-formed but inconsistent.
fn direct<'c>(get: &dyn Fn(&str) -> Option<&'c Cell>) -> Option<Result<Observation, Error>> {
    use crate::model::date::LocalDate;
    use crate::model::observation::*;
    use std::sync::Arc;
    let count = |name: &str| -> Option<Option<u64>> { get(name).map_or(Some(None), as_count) };
    let flag = |name: &str| -> Option<Option<bool>> { get(name).map_or(Some(None), as_flag) };
    let text = |name: &str| -> Option<Option<String>> { get(name).map_or(Some(None), as_text) };

    let point = LocalDate::parse(&text("monitoring_point")??)?;
    let site = Site {
        name: text("site.name")?.unwrap_or_default(),
        url: text("site.url")?,
        kind: match text("site.kind")? {
            Some(k) => Some(SiteKind::parse(&k)?),
            None => None,
        },
        id: match text("site.id")? {
            Some(i) => Some(SiteId::parse(&i)?),
            None => None,
        },
        homepage_navigation_only: flag("site.homepage_navigation_only")?.unwrap_or(false),
        offers_services: flag("site.offers_services")?,
        region: text("site.region")?,
        department: text("site.department")?,
    };
    let (visits, failures, days) = (
        count("availability.visits")?,
        count("availability.failures")?,
        count("availability.days")?,
    );
    let availability = (visits.is_some() || failures.is_some() || days.is_some()).then_some(Availability {
        samples: None,
        visits,
        failures,
        days,
    });
    let (hb, ob, checked) = (
        count("links.homepage_broken")?,
        count("links.other_broken")?,
        count("links.checked")?,
    );
    let (complete, uh, uo) = (
        flag("links.complete")?,
        count("links.unchecked.homepage")?,
        count("links.unchecked.other")?,
    );
    let unchecked = (uh.is_some() || uo.is_some()).then(|| Unchecked {
        homepage: uh.unwrap_or(0),
        other: uo.unwrap_or(0),
    });
    let any_links =
        hb.is_some() || ob.is_some() || checked.is_some() || complete.is_some() || unchecked.is_some();
    let links = any_links.then_some(Links {
        broken: None,
        checked,
        homepage_broken: hb,
        other_broken: ob,
        complete,
        unchecked,
    });
    let homepage = count("homepage.updates_in_window")?.map(|n| HomepageCounts { updates_in_window: n });

    let long_ago = LocalDate {
        date: chrono::NaiveDate::from_ymd_opt(1900, 1, 1)?,
        raw: Arc::from("1900-01-01"),
    };
    let column = |name: Arc<str>, category: Category| Column {
        name,
        category,
        url: None,
        on_homepage: false,
        level: None,
        should_update: false,
        update_cycle: None,
        items: None,
        last_published: Some(long_ago.clone()),
        item_count: None,
        blank: None,
        inaccurate: None,
    };
    let mut cols = Vec::new();
    let mut any_col = false;
    for (name, cat, label) in [
        ("columns.stale.dynamics", Category::Dynamics, "未更新动态要闻栏目"),
        ("columns.stale.notice", Category::Notice, "未更新通知公告栏目"),
        ("columns.stale.policy", Category::Policy, "未更新政策文件栏目"),
        ("columns.stale.plan", Category::Plan, "未更新规划计划栏目"),
        (
            "columns.stale.personnel",
            Category::Personnel,
            "未更新人事信息栏目",
        ),
    ] {
        if let Some(n) = count(name)? {
            any_col = true;
            if n > MAX_SYNTHETIC {
                return None;
            }
            let shared: Arc<str> = Arc::from(format!("{label}（计数）"));
            cols.extend((1..=n).map(|_| column(shared.clone(), cat)));
        }
    }
    if let Some(n) = count("columns.blank")? {
        any_col = true;
        if n > MAX_SYNTHETIC {
            return None;
        }
        let shared: Arc<str> = Arc::from("空白栏目（计数）");
        cols.extend((1..=n).map(|_| Column {
            last_published: None,
            blank: Some(true),
            ..column(shared.clone(), Category::Other)
        }));
    }
    if let Some(n) = count("columns.overdue")? {
        any_col = true;
        if n > MAX_SYNTHETIC {
            return None;
        }
        let shared: Arc<str> = Arc::from("应更新未更新栏目（计数）");
        cols.extend((1..=n).map(|_| Column {
            should_update: true,
            ..column(shared.clone(), Category::Other)
        }));
    }
    if let Some(n) = count("columns.inaccurate")? {
        any_col = true;
        cols.push(Column {
            inaccurate: Some(n),
            ..column("基本信息（计数）".into(), Category::Organization)
        });
    }

    let channel = |prefix: &str| -> Option<Option<Channel>> {
        let exists = flag(&format!("{prefix}.exists"))?;
        let usable = flag(&format!("{prefix}.usable"))?;
        let activities = count(&format!("{prefix}.activities"))?;
        Some(
            (exists.is_some() || usable.is_some() || activities.is_some()).then(|| Channel {
                exists: exists.unwrap_or(true),
                usable,
                name: None,
                url: None,
                activities: activities.map(Activities::Count),
            }),
        )
    };
    let c_exists = flag("interaction.consultation.exists")?;
    let c_usable = flag("interaction.consultation.usable")?;
    let (valid, late, answers) = (
        count("interaction.consultation.valid_messages")?,
        count("interaction.consultation.overdue_messages")?,
        count("interaction.consultation.answers_in_window")?,
    );
    let consultation =
        (c_exists.is_some() || c_usable.is_some() || valid.is_some() || late.is_some() || answers.is_some())
            .then(|| Consultation {
                exists: c_exists.unwrap_or(true),
                usable: c_usable,
                name: None,
                url: None,
                messages: None,
                valid_messages: valid,
                overdue_messages: late,
                answers_in_window: answers,
            });
    let (survey, interview) = (channel("interaction.survey")?, channel("interaction.interview")?);
    let interaction =
        (consultation.is_some() || survey.is_some() || interview.is_some()).then_some(Interaction {
            consultation,
            survey,
            interview,
        });

    let svc = [
        count("services.guide_count")?,
        count("services.missing_element_categories")?,
        count("services.inaccurate_elements")?,
        count("services.attachments_not_offered")?,
        count("services.attachments_broken")?,
        count("services.online_system_count")?,
        count("services.online_systems_unreachable")?,
    ];
    let services = svc.iter().any(Option::is_some).then(|| Services {
        guides: None,
        online_systems: None,
        guide_count: svc[0],
        missing_element_categories: svc[1],
        inaccurate_elements: svc[2],
        attachments_not_offered: svc[3],
        attachments_broken: svc[4],
        online_system_count: svc[5],
        online_systems_unreachable: svc[6],
    });

    let (conf, unconf) = (count("content.confirmed")?, count("content.unconfirmed")?);
    let content_findings = if conf.is_some() || unconf.is_some() {
        if conf.unwrap_or(0) > MAX_SYNTHETIC || unconf.unwrap_or(0) > MAX_SYNTHETIC {
            return None;
        }
        let finding = |i: u64, confirmed: bool| ContentFinding {
            kind: FindingKind::SeriousTypo,
            url: Arc::from(format!("（计数 {i}）")),
            excerpt: Arc::from("（计数）"),
            expected: None,
            confirmed,
        };
        let mut v: Vec<ContentFinding> = (1..=conf.unwrap_or(0)).map(|i| finding(i, true)).collect();
        v.extend((1..=unconf.unwrap_or(0)).map(|i| finding(i, false)));
        Some(v)
    } else {
        None
    };

    let obs = Observation {
        schema: None,
        monitoring_point: point,
        site: Arc::new(site),
        availability,
        links,
        columns: any_col.then(|| Arc::new(cols)),
        homepage,
        interaction,
        services,
        content_findings,
        provenance: None,
        not_visited: Vec::new(),
    };
    Some(obs.check().map(|()| obs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(cells: &[(&str, Cell)]) -> Result<Observation, Error> {
        observation_from_flat(cells.iter().map(|(n, c)| (*n, c)))
    }

    /// A float in a text cell reads as the standard library displays it.
    #[test]
    fn float_text_is_the_standard_display() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            12.0,
            0.1,
            1e-7,
            123456.789,
            1e15,
            1e16,
            1e21,
            1e22,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(float_text(f), f.to_string(), "{f:e}");
        }
    }

    proptest::proptest! {
        /// Any float reads back as itself, and is written as the standard library writes it when that takes at most
        /// 15 significant digits (such a form is the only shortest one); with 16 or 17, the last digit may differ.
        #[test]
        fn float_text_reads_back_and_matches_display_below_17_digits(bits: u64) {
            let f = f64::from_bits(bits);
            let (text, display) = (float_text(f), f.to_string());
            if f.is_nan() {
                proptest::prop_assert_eq!(text, "NaN");
            } else {
                proptest::prop_assert_eq!(text.parse::<f64>().map(f64::to_bits), Ok(bits));
                let digits: String = display.chars().filter(char::is_ascii_digit).collect();
                if digits.trim_matches('0').len() <= 15 {
                    proptest::prop_assert_eq!(text, display);
                }
            }
        }

        #[test]
        fn float_text_matches_display_for_short_decimals(n: i32, scale in 0u32..12) {
            let f = f64::from(n) / 10f64.powi(scale as i32);
            proptest::prop_assert_eq!(float_text(f), f.to_string());
        }
    }

    #[test]
    fn flags_read_words_in_any_ascii_case_and_chinese() {
        for (t, want) in [
            (" YES ", Some(Some(true))),
            ("True", Some(Some(true))),
            ("是", Some(Some(true))),
            ("N", Some(Some(false))),
            ("无", Some(Some(false))),
            ("Ja", None),
        ] {
            assert_eq!(as_flag(&Cell::Text(t.into())), want, "{t}");
        }
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
        assert_eq!(o.columns.as_ref().map(|c| c.len()), Some(2));
        assert!(
            o.interaction
                .as_ref()
                .and_then(|i| i.survey.as_ref())
                .is_some_and(|s| s.exists)
        );
        assert_eq!(o.site.id.as_ref().map(|i| i.0.as_str()), Some("1100000088"));
    }

    #[cfg(feature = "builtin-packs")]
    #[test]
    fn fast_path_and_json_route_agree() {
        let engine = crate::Engine::builtin("census-2015").unwrap();
        let cells: Vec<(&str, Cell)> = vec![
            ("monitoring_point", Cell::Text("2015-11-15".into())),
            ("site.name", Cell::Text("示例".into())),
            ("site.kind", Cell::Text("门户网站".into())),
            ("site.id", Cell::Text("bm07000001".into())),
            ("site.offers_services", Cell::Text("是".into())),
            ("availability.visits", Cell::Int(672)),
            ("availability.failures", Cell::Float(17.0)),
            ("links.homepage_broken", Cell::Text("2".into())),
            ("links.other_broken", Cell::Int(31)),
            ("homepage.updates_in_window", Cell::Int(9)),
            ("columns.stale.dynamics", Cell::Int(2)),
            ("columns.stale.policy", Cell::Int(1)),
            ("columns.blank", Cell::Int(2)),
            ("columns.overdue", Cell::Int(3)),
            ("columns.inaccurate", Cell::Int(1)),
            ("interaction.consultation.valid_messages", Cell::Int(0)),
            ("interaction.survey.exists", Cell::Bool(false)),
            ("interaction.interview.activities", Cell::Int(2)),
            ("services.missing_element_categories", Cell::Int(3)),
            ("content.unconfirmed", Cell::Int(2)),
        ];
        let names: Vec<&str> = cells.iter().map(|(n, _)| *n).collect();
        let fast = FlatColumns::new(&names)
            .unwrap()
            .observation(cells.iter().map(|(_, c)| c))
            .unwrap();
        let slow = obs(&cells).unwrap();
        assert_eq!(engine.score(&fast).to_json(), engine.score(&slow).to_json());
        let first = &cells[0].1;
        let get = |n: &str| (n == "monitoring_point").then_some(first);
        assert!(direct(&get).is_some(), "a well-formed row takes the fast path");
    }

    #[test]
    fn whole_numbers_in_text_are_read_as_rust_reads_decimals() {
        for (t, n) in [
            ("12.0", Some(12)),
            ("+12.", Some(12)),
            ("1.2e1", Some(12)),
            (".5e1", Some(5)),
            ("1E+3", Some(1000)),
            ("-0.0", Some(0)),
            ("0e99999999999", Some(0)),
            ("120e-1", Some(12)),
            ("8999999999999999.0", Some(8_999_999_999_999_999)),
            ("9e15", None),
            ("1e999", None),
            ("2.5", None),
            ("1.00000000000000001", None),
            ("", None),
            (".", None),
            ("e5", None),
            ("1e", None),
            ("1e5.0", None),
            ("+-1", None),
            ("inf", None),
            ("NaN", None),
            ("１２", None),
        ] {
            assert_eq!(whole_number(t), n, "{t}");
            // Where Rust's own parser says whole and exact, the two agree.
            if let Ok(f) = t.parse::<f64>()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
                && t != "1.00000000000000001"
            {
                assert_eq!(whole_number(t), Some(f as i64), "{t}");
            }
        }
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

    /// The cells of a record as the WebAssembly module read them before records went through the tree: serde_json's
    /// map (by key, a repeated key's last value), numbers as integers where they fit.
    fn reference(record: &str) -> Result<(serde_json::Value, Observation), Error> {
        use serde_json::Value;
        let rec: serde_json::Map<String, Value> = serde_json::from_str(record).unwrap();
        let mut cells = Vec::new();
        for (k, v) in &rec {
            cells.push((
                k.as_str(),
                match v {
                    Value::Null => Cell::Missing,
                    Value::Bool(b) => Cell::Bool(*b),
                    Value::Number(n) => n.as_i64().map_or(Cell::Float(n.as_f64().unwrap()), Cell::Int),
                    Value::String(s) => Cell::Text(s.clone()),
                    _ => {
                        return Err(Error::new(
                            ErrorKind::InvalidType,
                            format!("flat column `{k}` holds a list or an object; a cell is a number, text or a boolean"),
                        )
                        .with_path(k.clone()));
                    }
                },
            ));
        }
        let json = observation_json_from_flat(cells.iter().map(|(k, c)| (*k, c)))?;
        let direct = FlatColumns::new(&cells.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .and_then(|f| f.observation(cells.iter().map(|(_, c)| c)));
        let obs = Observation::from_json_value(json.clone())?;
        // The fast path, where it takes a record, builds the same observation without JSON.
        if let Ok(d) = direct {
            assert_eq!(format!("{d:?}"), format!("{obs:?}"), "{record}");
        }
        Ok((json, obs))
    }

    /// A JSON object of flat cells, with repeated and unknown keys and every kind of value.
    fn record(rng: &mut u64) -> String {
        let mut next = |n: usize| {
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            (*rng % n as u64) as usize
        };
        let values = [
            "null",
            "true",
            "false",
            "0",
            "1",
            "2",
            "7",
            "-1",
            "3.0",
            "2.5",
            "1e300",
            "18446744073709551615",
            "10001",
            "\"\"",
            "\" \"",
            "\"是\"",
            "\"否\"",
            "\"5\"",
            "\"1.2e1\"",
            "\"x\"",
            "\"2015-06-30\"",
            "\"2015-02-30\"",
            "\"portal\"",
            "\"门户网站\"",
            "\"bm07000001\"",
            "[1]",
            "{\"a\":1}",
        ];
        let mut names: Vec<&str> = FLAT_NAMES.to_vec();
        names.extend([
            "note",
            "links.other_brokn",
            "site",
            "columns.stale",
            "interaction.survey.exist",
        ]);
        let mut out = String::from("{\"monitoring_point\":\"2015-06-30\"");
        for _ in 0..next(12) {
            let k = names[next(names.len())];
            let v = values[next(values.len())];
            out.push_str(&format!(",\"{k}\":{v}"));
        }
        out.push('}');
        out
    }

    #[test]
    fn records_read_as_the_map_reading_did() {
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let (mut ok, mut failed) = (0, 0);
        for _ in 0..3000 {
            let text = record(&mut rng);
            match (observation_from_flat_json(&text), reference(&text)) {
                (Ok((json, obs)), Ok((want, want_obs))) => {
                    assert_eq!(json, want.to_string(), "{text}");
                    assert_eq!(format!("{obs:?}"), format!("{want_obs:?}"), "{text}");
                    ok += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{text}");
                    failed += 1;
                }
                (a, b) => panic!("{text}: {:?} / {:?}", a.err(), b.err()),
            }
        }
        assert!(ok > 300 && failed > 300, "{ok} read, {failed} refused");
        let e = observation_from_flat_json("[1]").unwrap_err();
        assert_eq!((e.code(), e.path()), ("json_syntax", Some("record")));
        assert_eq!(
            e.message(),
            "invalid record: invalid type: sequence, expected a map at line 1 column 0"
        );
    }
}
