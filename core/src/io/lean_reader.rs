//! The readers of the lean build (the WebAssembly module) for observations and `call` requests: the text is read
//! once into a [`Node`] tree and mapped onto the model by hand, instead of through serde's derived readers, whose
//! code for the observation's twenty-odd types was a fifth of the module.
//!
//! It answers exactly as the derived reader does — the same observation, or the same error with the same code,
//! message, path, line and column — which a test checks on thousands of altered observations. Serde's own
//! message texts are used (through serde_json's error type), and positions are found in the text where serde_json
//! would have stopped: after a value, before an object or array refused outright, after an unknown key.
//!
//! One difference is by design: a document that is both malformed and wrongly typed is reported malformed first
//! (the derived reader reports whichever problem comes first in the text).

use crate::io::json_parse::{SyntaxError, parse, parse_prefix};
use crate::io::json_path::{Cause, path_at};
use crate::io::json_tree::{At, Node, Seg, line_col, offset};
use crate::io::request::{PackRef, Request};
use crate::model::date::{DATE_EXPECTING, LocalDate};
use crate::model::error::{Error, ErrorKind, classify_serde_message};
use crate::model::observation::*;
use serde::de::Error as _;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Serde's messages (unknown, repeated and missing fields, wrong lengths) as its `de::Error` helpers word them,
/// through an error type of our own: serde_json's would bring its error machinery into the WebAssembly module
/// (the messages' text is the same, which the comparison with the derived reader checks).
#[derive(Debug)]
struct Msg(String);

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Msg {}

impl serde::de::Error for Msg {
    fn custom<T: std::fmt::Display>(msg: T) -> Msg {
        Msg(msg.to_string())
    }
}

/// A problem found while mapping: its message, where in the value it is reported, and the path to that value
/// (innermost step first, as the error travels outwards).
struct Fail {
    msg: String,
    at: At,
    path: Vec<Seg>,
    syntax: bool,
}

type R<T> = Result<T, Fail>;

impl Fail {
    #[cold]
    #[inline(never)]
    fn new(msg: String, at: At) -> Fail {
        Fail {
            msg,
            at,
            path: Vec::new(),
            syntax: false,
        }
    }

    fn within(mut self, seg: Seg) -> Fail {
        self.path.push(seg);
        self
    }

    /// serde_json's line and column for it in `text`.
    fn position(&mut self, text: &str) -> (usize, usize) {
        self.path.reverse();
        line_col(text, offset(text, &self.path, self.at))
    }

    fn into_error(mut self, text: &str) -> Error {
        let (line, column) = self.position(text);
        let (kind, help, cause) = if self.syntax {
            (ErrorKind::JsonSyntax, None, Cause::Syntax)
        } else {
            let (kind, help) = classify_serde_message(&self.msg);
            let variant = self.msg.starts_with("unknown variant");
            (kind, help, if variant { Cause::Variant } else { Cause::Value })
        };
        let path = path_at(text, line, column, cause);
        let err = Error::new(kind, self.msg)
            .with_path(path)
            .with_position(line, column);
        match help {
            Some(h) => err.with_help(h),
            None => err,
        }
    }
}

/// Read an observation from JSON text (not yet checked across fields).
pub(crate) fn read(text: &str) -> Result<Observation, Error> {
    let node = parse(text).map_err(|e| syntax_error(&e, text))?;
    observation(&node).map_err(|f| f.into_error(text))
}

/// `provenance.not_visited[]` for the derived reader, which keeps the provenance as a value: read here, so both
/// readers answer alike; a problem is found again in `text` to name its line and column.
#[cfg(any(feature = "fast-json", test))]
pub(crate) fn not_visited_of(provenance: &serde_json::Value, text: &str) -> Result<Vec<NotVisited>, Error> {
    let Some(list) = provenance.get("not_visited") else {
        return Ok(Vec::new());
    };
    if let Ok(l) = not_visited_list(&Node::from_value(list)) {
        return Ok(l);
    }
    let root = parse(text).map_err(|e| syntax_error(&e, text))?;
    observation_not_visited(&root).map_err(|f| f.into_error(text))
}

/// `provenance.not_visited[]` of an observation's tree.
fn observation_not_visited(observation: &Node) -> R<Vec<NotVisited>> {
    let Node::Obj(entries) = observation else {
        return Ok(Vec::new());
    };
    match entries.iter().rposition(|(k, _)| &**k == "provenance") {
        Some(i) => match entries.get(i) {
            Some((_, p)) => provenance_not_visited(p).map_err(|f| f.within(Seg::Entry(i))),
            None => Ok(Vec::new()),
        },
        None => Ok(Vec::new()),
    }
}

/// The `not_visited` list of a provenance value (the last one when the key repeats, as serde_json keeps it); the
/// rest of the provenance is free-form, and anything but an object has none.
fn provenance_not_visited(n: &Node) -> R<Vec<NotVisited>> {
    let Node::Obj(entries) = n else {
        return Ok(Vec::new());
    };
    match entries.iter().rposition(|(k, _)| &**k == "not_visited") {
        Some(i) => match entries.get(i) {
            Some((_, v)) => not_visited_list(v).map_err(|f| f.within(Seg::Entry(i))),
            None => Ok(Vec::new()),
        },
        None => Ok(Vec::new()),
    }
}

fn not_visited_list(n: &Node) -> R<Vec<NotVisited>> {
    list(n, not_visited)
}

const NOT_VISITED: Shape = Shape {
    name: "struct NotVisited",
    fields: &["url", "reason"],
};

fn not_visited(n: &Node) -> R<NotVisited> {
    let (mut url, mut reason) = (None, None);
    let form = fields(n, &NOT_VISITED, &mut |j, v| {
        match j {
            0 => url = Some(string(v)?),
            _ => reason = Some(text(v, NotVisitedReason::from_text)?),
        }
        Ok(())
    })?;
    Ok(NotVisited {
        url: req(url, 0, form, &NOT_VISITED)?,
        reason: req(reason, 1, form, &NOT_VISITED)?,
    })
}

/// A syntax error as the derived reader reports it (`observation::json_error`): serde_json's message, the path of the
/// value being read, the line and column.
fn syntax_error(e: &SyntaxError, text: &str) -> Error {
    Error::new(ErrorKind::JsonSyntax, e.message)
        .with_path(path_at(text, e.line, e.column, Cause::Syntax))
        .with_position(e.line, e.column)
}

/// Read an already parsed observation (not yet checked across fields); `None` when it has a problem, which reading
/// its text names.
pub(crate) fn from_value(value: &serde_json::Value) -> Option<Observation> {
    from_tree(&Node::from_value(value))
}

/// Read an observation from a tree in the map's order (see [`crate::io::json_tree::map_order`]), as [`from_value`]
/// reads the value it stands for.
pub(crate) fn from_tree(tree: &Node) -> Option<Observation> {
    observation(tree).ok()
}

/// Read JSON text that must be an object, as serde_json reads it into a map: its entries in the map's order (by
/// key, a repeated key's last value only), or serde_json's message for what is wrong with the text, with its line
/// and column. Read through the tree, not into a map directly: serde_json's typed readers name a value of the wrong
/// type with serde's own words, whose code carries the standard library's float printing.
pub(crate) fn object_entries(text: &str) -> Result<Vec<(Box<str>, Node)>, String> {
    // The map reader refuses anything but an object on sight: an array at its bracket, a scalar once read (before
    // whatever follows it).
    let node = match text
        .trim_start_matches([' ', '\n', '\r', '\t'])
        .as_bytes()
        .first()
    {
        Some(b'{') => parse(text),
        Some(b'[') => Ok(Node::Arr(Vec::new())),
        _ => parse_prefix(text),
    };
    match node.map_err(|e| e.to_string())? {
        Node::Obj(entries) => Ok(crate::io::json_tree::into_map_order(entries)),
        other => {
            let mut f = wrong(&other, "a map");
            let (line, column) = f.position(text);
            Err(format!("{} at line {line} column {column}", f.msg))
        }
    }
}

/// Read a `call` request (`{pack, params, observation}`), or serde_json's message for what is wrong with it, with
/// its line and column, as the derived reader words it.
pub(crate) fn request(text: &str) -> Result<Request, String> {
    let node = parse(text).map_err(|e| e.to_string())?;
    read_request(&node).map_err(|mut f| {
        let (line, column) = f.position(text);
        format!("{} at line {line} column {column}", f.msg)
    })
}

/// A value of the wrong type: reported after it, or before it for an object or array (serde_json refuses those
/// on sight).
#[cold]
#[inline(never)]
fn wrong(n: &Node, expected: &str) -> Fail {
    let at = match n {
        Node::Arr(_) | Node::Obj(_) => At::Start,
        _ => At::End,
    };
    Fail::new(
        format!("invalid type: {}, expected {expected}", n.unexpected()),
        at,
    )
}

/// A value of the wrong type where any JSON value is read (counts or lists): an object is opened, then refused.
#[cold]
#[inline(never)]
fn wrong_any(n: &Node, expected: &str) -> Fail {
    let mut f = wrong(n, expected);
    if matches!(n, Node::Obj(_)) {
        f.at = At::AnyMap;
    }
    f
}

#[inline(never)]
fn unsigned(n: &Node, expected: &'static str, max: u64) -> R<u64> {
    match n {
        Node::U(u) if *u <= max => Ok(*u),
        Node::U(_) | Node::I(_) => Err(Fail::new(
            format!("invalid value: {}, expected {expected}", n.unexpected()),
            At::End,
        )),
        _ => Err(wrong(n, expected)),
    }
}

fn count(n: &Node) -> R<u64> {
    unsigned(n, "u64", u64::MAX)
}

fn small(n: &Node) -> R<u32> {
    unsigned(n, "u32", u64::from(u32::MAX)).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
}

fn status(n: &Node) -> R<u16> {
    unsigned(n, "u16", u64::from(u16::MAX)).map(|v| u16::try_from(v).unwrap_or(u16::MAX))
}

fn boolean(n: &Node) -> R<bool> {
    match n {
        Node::Bool(b) => Ok(*b),
        _ => Err(wrong(n, "a boolean")),
    }
}

fn string(n: &Node) -> R<String> {
    match n {
        Node::Str(s) => Ok(s.to_string()),
        _ => Err(wrong(n, "a string")),
    }
}

fn shared(n: &Node) -> R<Arc<str>> {
    match n {
        Node::Str(s) => Ok(Arc::from(&**s)),
        _ => Err(wrong(n, "a string")),
    }
}

/// A string read into `T` (kinds, categories, ids, lengths), failing with the parser's own message.
fn text<T>(n: &Node, parse: fn(&str) -> Result<T, String>) -> R<T> {
    match n {
        Node::Str(s) => parse(s).map_err(|m| Fail::new(m, At::End)),
        _ => Err(wrong(n, "a string")),
    }
}

fn date(n: &Node) -> R<LocalDate> {
    match n {
        Node::Str(s) => LocalDate::from_text(s).map_err(|m| Fail::new(m, At::End)),
        _ => Err(wrong(n, DATE_EXPECTING)),
    }
}

fn site_kind(n: &Node) -> R<SiteKind> {
    text(n, SiteKind::from_text)
}

fn site_id(n: &Node) -> R<SiteId> {
    text(n, SiteId::from_text)
}

fn link_kind(n: &Node) -> R<LinkKind> {
    text(n, LinkKind::from_text)
}

fn column_category(n: &Node) -> R<Category> {
    text(n, Category::from_text)
}

fn cycle(n: &Node) -> R<SpanValue> {
    text(n, SpanValue::from_text)
}

fn element(n: &Node) -> R<GuideElement> {
    text(n, GuideElement::from_text)
}

fn finding_kind(n: &Node) -> R<FindingKind> {
    text(n, FindingKind::from_text)
}

fn opt<T>(n: &Node, read: fn(&Node) -> R<T>) -> R<Option<T>> {
    match n {
        Node::Null => Ok(None),
        _ => read(n).map(Some),
    }
}

fn list<T>(n: &Node, read: fn(&Node) -> R<T>) -> R<Vec<T>> {
    let Node::Arr(items) = n else {
        return Err(wrong(n, "a sequence"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(read(v).map_err(|f| f.within(Seg::Index(i)))?);
    }
    Ok(out)
}

fn column_list(n: &Node) -> R<Arc<Vec<Column>>> {
    list(n, column).map(Arc::new)
}

fn broken_link_list(n: &Node) -> R<Arc<Vec<BrokenLink>>> {
    list(n, broken_link).map(Arc::new)
}

fn findings_list(n: &Node) -> R<Vec<ContentFinding>> {
    list(n, finding)
}

fn sample_list(n: &Node) -> R<Vec<Sample>> {
    list(n, sample)
}

fn items_list(n: &Node) -> R<Vec<Item>> {
    list(n, item)
}

fn messages_list(n: &Node) -> R<Vec<Message>> {
    list(n, message)
}

fn guides_list(n: &Node) -> R<Vec<Guide>> {
    list(n, guide)
}

fn systems_list(n: &Node) -> R<Vec<OnlineSystem>> {
    list(n, online_system)
}

fn str_list(n: &Node) -> R<StrList> {
    match n {
        Node::Str(s) => Ok(StrList(Arc::from([Arc::from(&**s)]))),
        Node::Arr(_) => list(n, shared).map(|v| StrList(Arc::from(v))),
        _ => Err(wrong_any(n, STR_LIST_EXPECTING)),
    }
}

/// A negative count where a count or a list is read (serde_json hands it over as a signed integer).
fn negative(i: i64) -> Fail {
    Fail::new(format!("invalid value: integer `{i}`, expected u64"), At::End)
}

fn tally(n: &Node) -> R<Tally> {
    match n {
        Node::U(c) => Ok(Tally {
            count: *c,
            items: Vec::new(),
        }),
        Node::I(i) => Err(negative(*i)),
        Node::Arr(_) => list(n, shared).map(|items| Tally {
            count: items.len() as u64,
            items,
        }),
        _ => Err(wrong_any(n, TALLY_EXPECTING)),
    }
}

fn activities(n: &Node) -> R<Activities> {
    match n {
        Node::U(c) => Ok(Activities::Count(*c)),
        Node::I(i) => Err(negative(*i)),
        Node::Arr(_) => list(n, activity).map(Activities::List),
        _ => Err(wrong_any(n, ACTIVITIES_EXPECTING)),
    }
}

/// How a struct was written: as an object, or (as serde's derived readers also accept) as an array of its fields
/// in declaration order.
#[derive(Clone, Copy)]
enum Form {
    Object,
    Array,
}

/// A struct's name in messages and its fields in declaration order.
struct Shape {
    name: &'static str,
    fields: &'static [&'static str],
}

/// Read the entries of a struct, handing each known field's value to `set` with the field's index: unknown and
/// repeated fields are refused, extra array elements are trailing characters.
#[inline(never)]
fn fields(n: &Node, shape: &Shape, set: &mut dyn FnMut(usize, &Node) -> R<()>) -> R<Form> {
    match n {
        Node::Obj(entries) => {
            let mut seen = 0u64;
            for (i, (key, v)) in entries.iter().enumerate() {
                let Some(j) = shape.fields.iter().position(|f| **f == **key) else {
                    let msg = Msg::unknown_field(key, shape.fields).to_string();
                    return Err(Fail::new(msg, At::Key).within(Seg::Entry(i)));
                };
                let name = shape.fields.get(j).copied().unwrap_or_default();
                if seen & (1 << j) != 0 {
                    return Err(
                        Fail::new(Msg::duplicate_field(name).to_string(), At::Key).within(Seg::Entry(i))
                    );
                }
                seen |= 1 << j;
                set(j, v).map_err(|f| f.within(Seg::Entry(i)))?;
            }
            Ok(Form::Object)
        }
        Node::Arr(items) => {
            for (j, v) in items.iter().enumerate().take(shape.fields.len()) {
                set(j, v).map_err(|f| f.within(Seg::Index(j)))?;
            }
            if items.len() > shape.fields.len() {
                let mut f = Fail::new("trailing characters".into(), At::AfterFirstByte)
                    .within(Seg::Index(shape.fields.len()));
                f.syntax = true;
                return Err(f);
            }
            Ok(Form::Array)
        }
        _ => Err(wrong(n, shape.name)),
    }
}

/// A required field: missing from an object, or beyond the end of an array.
fn req<T>(v: Option<T>, j: usize, form: Form, shape: &Shape) -> R<T> {
    v.ok_or_else(|| missing(j, form, shape))
}

#[cold]
#[inline(never)]
fn missing(j: usize, form: Form, shape: &Shape) -> Fail {
    let msg = match form {
        Form::Object => Msg::missing_field(shape.fields.get(j).copied().unwrap_or_default()),
        Form::Array => {
            let n = shape.fields.len();
            let expected = format!("{} with {n} element{}", shape.name, if n == 1 { "" } else { "s" });
            Msg::invalid_length(j, &expected.as_str())
        }
    };
    Fail::new(msg.to_string(), At::End)
}

const OBSERVATION: Shape = Shape {
    name: "struct Observation",
    fields: &[
        "schema",
        "monitoring_point",
        "site",
        "availability",
        "links",
        "columns",
        "homepage",
        "interaction",
        "services",
        "content_findings",
        "provenance",
    ],
};

fn observation(n: &Node) -> R<Observation> {
    let (mut schema, mut point, mut site_, mut availability_, mut links_, mut columns) =
        (None, None, None, None, None, None);
    let (mut homepage, mut interaction_, mut services_, mut findings) = (None, None, None, None);
    let form = fields(n, &OBSERVATION, &mut |j, v| {
        match j {
            0 => schema = opt(v, string)?,
            1 => point = Some(date(v)?),
            2 => site_ = Some(Arc::new(site(v)?)),
            3 => availability_ = opt(v, availability)?,
            4 => links_ = opt(v, links)?,
            5 => columns = opt(v, column_list)?,
            6 => homepage = opt(v, homepage_counts)?,
            7 => interaction_ = opt(v, interaction)?,
            8 => services_ = opt(v, services)?,
            9 => findings = opt(v, findings_list)?,
            // Any JSON value, and none of it kept but its `not_visited` list (read below, once the rest is read,
            // as the derived route does): nothing else scores it, and building its `serde_json::Value` would take
            // 4.5 KB (2 KB gzipped) of the WebAssembly module for the map code.
            _ => {}
        }
        Ok(())
    })?;
    Ok(Observation {
        schema,
        monitoring_point: req(point, 1, form, &OBSERVATION)?,
        site: req(site_, 2, form, &OBSERVATION)?,
        availability: availability_,
        links: links_,
        columns,
        homepage,
        interaction: interaction_,
        services: services_,
        content_findings: findings,
        provenance: None,
        not_visited: observation_not_visited(n)?,
    })
}

const SITE: Shape = Shape {
    name: "struct Site",
    fields: &[
        "name",
        "url",
        "kind",
        "id",
        "homepage_navigation_only",
        "offers_services",
        "region",
        "department",
    ],
};

fn site(n: &Node) -> R<Site> {
    let (mut name, mut url, mut kind, mut id, mut nav) = (None, None, None, None, false);
    let (mut offers, mut region, mut department) = (None, None, None);
    let form = fields(n, &SITE, &mut |j, v| {
        match j {
            0 => name = Some(string(v)?),
            1 => url = opt(v, string)?,
            2 => kind = opt(v, site_kind)?,
            3 => id = opt(v, site_id)?,
            4 => nav = boolean(v)?,
            5 => offers = opt(v, boolean)?,
            6 => region = opt(v, string)?,
            _ => department = opt(v, string)?,
        }
        Ok(())
    })?;
    Ok(Site {
        name: req(name, 0, form, &SITE)?,
        url,
        kind,
        id,
        homepage_navigation_only: nav,
        offers_services: offers,
        region,
        department,
    })
}

const AVAILABILITY: Shape = Shape {
    name: "struct Availability",
    fields: &["samples", "visits", "failures", "days"],
};

fn availability(n: &Node) -> R<Availability> {
    let (mut samples, mut visits, mut failures, mut days) = (None, None, None, None);
    fields(n, &AVAILABILITY, &mut |j, v| {
        match j {
            0 => samples = opt(v, sample_list)?,
            1 => visits = opt(v, count)?,
            2 => failures = opt(v, count)?,
            _ => days = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Availability {
        samples,
        visits,
        failures,
        days,
    })
}

const SAMPLE: Shape = Shape {
    name: "struct Sample",
    fields: &["at", "ok", "elapsed_ms", "status", "error", "probe_fault"],
};

fn sample(n: &Node) -> R<Sample> {
    let (mut at, mut ok, mut elapsed, mut status_, mut error, mut fault) =
        (None, None, None, None, None, false);
    let form = fields(n, &SAMPLE, &mut |j, v| {
        match j {
            0 => at = Some(date(v)?),
            1 => ok = Some(boolean(v)?),
            2 => elapsed = opt(v, count)?,
            3 => status_ = opt(v, status)?,
            4 => error = opt(v, shared)?,
            _ => fault = boolean(v)?,
        }
        Ok(())
    })?;
    Ok(Sample {
        at: req(at, 0, form, &SAMPLE)?,
        ok: req(ok, 1, form, &SAMPLE)?,
        elapsed_ms: elapsed,
        status: status_,
        error,
        probe_fault: fault,
    })
}

const LINKS: Shape = Shape {
    name: "struct Links",
    fields: &[
        "broken",
        "checked",
        "homepage_broken",
        "other_broken",
        "complete",
        "unchecked",
    ],
};

fn links(n: &Node) -> R<Links> {
    let (mut broken, mut checked, mut homepage_broken, mut other_broken) = (None, None, None, None);
    let (mut complete, mut unchecked_) = (None, None);
    fields(n, &LINKS, &mut |j, v| {
        match j {
            0 => broken = opt(v, broken_link_list)?,
            1 => checked = opt(v, count)?,
            2 => homepage_broken = opt(v, count)?,
            3 => other_broken = opt(v, count)?,
            4 => complete = opt(v, boolean)?,
            _ => unchecked_ = opt(v, unchecked)?,
        }
        Ok(())
    })?;
    Ok(Links {
        broken,
        checked,
        homepage_broken,
        other_broken,
        complete,
        unchecked: unchecked_,
    })
}

const UNCHECKED: Shape = Shape {
    name: "struct Unchecked",
    fields: &["homepage", "other"],
};

fn unchecked(n: &Node) -> R<Unchecked> {
    let mut u = Unchecked::default();
    fields(n, &UNCHECKED, &mut |j, v| {
        match j {
            0 => u.homepage = count(v)?,
            _ => u.other = count(v)?,
        }
        Ok(())
    })?;
    Ok(u)
}

const BROKEN_LINK: Shape = Shape {
    name: "struct BrokenLink",
    fields: &["url", "found_on", "depth", "kind", "status", "error"],
};

fn broken_link(n: &Node) -> R<BrokenLink> {
    let (mut url, mut found_on, mut depth, mut kind) = (None, StrList::default(), None, LinkKind::Page);
    let (mut status_, mut error) = (None, None);
    let form = fields(n, &BROKEN_LINK, &mut |j, v| {
        match j {
            0 => url = Some(shared(v)?),
            1 => found_on = str_list(v)?,
            2 => depth = Some(small(v)?),
            3 => kind = link_kind(v)?,
            4 => status_ = opt(v, status)?,
            _ => error = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(BrokenLink {
        url: req(url, 0, form, &BROKEN_LINK)?,
        found_on,
        depth: req(depth, 2, form, &BROKEN_LINK)?,
        kind,
        status: status_,
        error,
    })
}

const COLUMN: Shape = Shape {
    name: "struct Column",
    fields: &[
        "name",
        "category",
        "url",
        "on_homepage",
        "level",
        "should_update",
        "update_cycle",
        "items",
        "last_published",
        "item_count",
        "blank",
        "inaccurate",
    ],
};

fn column(n: &Node) -> R<Column> {
    let (mut name, mut category, mut url, mut on_homepage, mut level) = (None, None, None, false, None);
    let (mut should_update, mut update_cycle, mut items, mut last) = (false, None, None, None);
    let (mut item_count, mut blank, mut inaccurate) = (None, None, None);
    let form = fields(n, &COLUMN, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => category = Some(column_category(v)?),
            2 => url = opt(v, shared)?,
            3 => on_homepage = boolean(v)?,
            4 => level = opt(v, small)?,
            5 => should_update = boolean(v)?,
            6 => update_cycle = opt(v, cycle)?,
            7 => items = opt(v, items_list)?,
            8 => last = opt(v, date)?,
            9 => item_count = opt(v, count)?,
            10 => blank = opt(v, boolean)?,
            _ => inaccurate = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Column {
        name: req(name, 0, form, &COLUMN)?,
        category: req(category, 1, form, &COLUMN)?,
        url,
        on_homepage,
        level,
        should_update,
        update_cycle,
        items,
        last_published: last,
        item_count,
        blank,
        inaccurate,
    })
}

const ITEM: Shape = Shape {
    name: "struct Item",
    fields: &["title", "url", "published"],
};

fn item(n: &Node) -> R<Item> {
    let (mut title, mut url, mut published) = (None, None, None);
    let form = fields(n, &ITEM, &mut |j, v| {
        match j {
            0 => title = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            _ => published = opt(v, date)?,
        }
        Ok(())
    })?;
    Ok(Item {
        title: req(title, 0, form, &ITEM)?,
        url,
        published,
    })
}

const HOMEPAGE: Shape = Shape {
    name: "struct HomepageCounts",
    fields: &["updates_in_window"],
};

fn homepage_counts(n: &Node) -> R<HomepageCounts> {
    let mut updates = None;
    let form = fields(n, &HOMEPAGE, &mut |_, v| {
        updates = Some(count(v)?);
        Ok(())
    })?;
    Ok(HomepageCounts {
        updates_in_window: req(updates, 0, form, &HOMEPAGE)?,
    })
}

const INTERACTION: Shape = Shape {
    name: "struct Interaction",
    fields: &["consultation", "survey", "interview"],
};

fn interaction(n: &Node) -> R<Interaction> {
    let (mut consultation_, mut survey, mut interview) = (None, None, None);
    fields(n, &INTERACTION, &mut |j, v| {
        match j {
            0 => consultation_ = opt(v, consultation)?,
            1 => survey = opt(v, channel)?,
            _ => interview = opt(v, channel)?,
        }
        Ok(())
    })?;
    Ok(Interaction {
        consultation: consultation_,
        survey,
        interview,
    })
}

const CONSULTATION: Shape = Shape {
    name: "struct Consultation",
    fields: &[
        "exists",
        "usable",
        "name",
        "url",
        "messages",
        "valid_messages",
        "overdue_messages",
        "answers_in_window",
    ],
};

fn consultation(n: &Node) -> R<Consultation> {
    let (mut exists, mut usable, mut name, mut url) = (None, None, None, None);
    let (mut messages, mut valid, mut overdue, mut answers) = (None, None, None, None);
    let form = fields(n, &CONSULTATION, &mut |j, v| {
        match j {
            0 => exists = Some(boolean(v)?),
            1 => usable = opt(v, boolean)?,
            2 => name = opt(v, shared)?,
            3 => url = opt(v, shared)?,
            4 => messages = opt(v, messages_list)?,
            5 => valid = opt(v, count)?,
            6 => overdue = opt(v, count)?,
            _ => answers = opt(v, count)?,
        }
        Ok(())
    })?;
    Ok(Consultation {
        exists: req(exists, 0, form, &CONSULTATION)?,
        usable,
        name,
        url,
        messages,
        valid_messages: valid,
        overdue_messages: overdue,
        answers_in_window: answers,
    })
}

const MESSAGE: Shape = Shape {
    name: "struct Message",
    fields: &["asked", "answered", "valid", "title", "url"],
};

fn message(n: &Node) -> R<Message> {
    let (mut asked, mut answered, mut valid, mut title, mut url) = (None, None, true, None, None);
    let form = fields(n, &MESSAGE, &mut |j, v| {
        match j {
            0 => asked = Some(date(v)?),
            1 => answered = opt(v, date)?,
            2 => valid = boolean(v)?,
            3 => title = opt(v, shared)?,
            _ => url = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(Message {
        asked: req(asked, 0, form, &MESSAGE)?,
        answered,
        valid,
        title,
        url,
    })
}

const CHANNEL: Shape = Shape {
    name: "struct Channel",
    fields: &["exists", "usable", "name", "url", "activities"],
};

fn channel(n: &Node) -> R<Channel> {
    let (mut exists, mut usable, mut name, mut url, mut held) = (None, None, None, None, None);
    let form = fields(n, &CHANNEL, &mut |j, v| {
        match j {
            0 => exists = Some(boolean(v)?),
            1 => usable = opt(v, boolean)?,
            2 => name = opt(v, shared)?,
            3 => url = opt(v, shared)?,
            _ => held = opt(v, activities)?,
        }
        Ok(())
    })?;
    Ok(Channel {
        exists: req(exists, 0, form, &CHANNEL)?,
        usable,
        name,
        url,
        activities: held,
    })
}

const ACTIVITY: Shape = Shape {
    name: "struct Activity",
    fields: &["date", "title", "url"],
};

fn activity(n: &Node) -> R<Activity> {
    let (mut on, mut title, mut url) = (None, None, None);
    let form = fields(n, &ACTIVITY, &mut |j, v| {
        match j {
            0 => on = Some(date(v)?),
            1 => title = opt(v, shared)?,
            _ => url = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(Activity {
        date: req(on, 0, form, &ACTIVITY)?,
        title,
        url,
    })
}

const SERVICES: Shape = Shape {
    name: "struct Services",
    fields: &[
        "guides",
        "online_systems",
        "guide_count",
        "missing_element_categories",
        "inaccurate_elements",
        "attachments_not_offered",
        "attachments_broken",
        "online_system_count",
        "online_systems_unreachable",
    ],
};

fn services(n: &Node) -> R<Services> {
    let (mut guides, mut systems) = (None, None);
    let mut counts: [Option<u64>; 7] = [None; 7];
    fields(n, &SERVICES, &mut |j, v| {
        match j {
            0 => guides = opt(v, guides_list)?,
            1 => systems = opt(v, systems_list)?,
            _ => {
                if let Some(c) = counts.get_mut(j - 2) {
                    *c = opt(v, count)?;
                }
            }
        }
        Ok(())
    })?;
    let [
        guide_count,
        missing,
        inaccurate,
        not_offered,
        broken,
        system_count,
        unreachable,
    ] = counts;
    Ok(Services {
        guides,
        online_systems: systems,
        guide_count,
        missing_element_categories: missing,
        inaccurate_elements: inaccurate,
        attachments_not_offered: not_offered,
        attachments_broken: broken,
        online_system_count: system_count,
        online_systems_unreachable: unreachable,
    })
}

const GUIDE: Shape = Shape {
    name: "struct Guide",
    fields: &[
        "name",
        "url",
        "missing_elements",
        "inaccurate_elements",
        "attachments_not_offered",
        "attachments_broken",
    ],
};

fn guide(n: &Node) -> R<Guide> {
    let (mut name, mut url, mut missing, mut inaccurate) = (None, None, Vec::new(), Vec::new());
    let (mut not_offered, mut broken) = (Tally::default(), Tally::default());
    let form = fields(n, &GUIDE, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            2 => missing = list(v, element)?,
            3 => inaccurate = list(v, element)?,
            4 => not_offered = tally(v)?,
            _ => broken = tally(v)?,
        }
        Ok(())
    })?;
    Ok(Guide {
        name: req(name, 0, form, &GUIDE)?,
        url,
        missing_elements: missing,
        inaccurate_elements: inaccurate,
        attachments_not_offered: not_offered,
        attachments_broken: broken,
    })
}

const ONLINE_SYSTEM: Shape = Shape {
    name: "struct OnlineSystem",
    fields: &["name", "url", "reachable", "status", "error"],
};

fn online_system(n: &Node) -> R<OnlineSystem> {
    let (mut name, mut url, mut reachable, mut status_, mut error) = (None, None, None, None, None);
    let form = fields(n, &ONLINE_SYSTEM, &mut |j, v| {
        match j {
            0 => name = Some(shared(v)?),
            1 => url = opt(v, shared)?,
            2 => reachable = Some(boolean(v)?),
            3 => status_ = opt(v, status)?,
            _ => error = opt(v, shared)?,
        }
        Ok(())
    })?;
    Ok(OnlineSystem {
        name: req(name, 0, form, &ONLINE_SYSTEM)?,
        url,
        reachable: req(reachable, 2, form, &ONLINE_SYSTEM)?,
        status: status_,
        error,
    })
}

const FINDING: Shape = Shape {
    name: "struct ContentFinding",
    fields: &["kind", "url", "excerpt", "expected", "confirmed"],
};

fn finding(n: &Node) -> R<ContentFinding> {
    let (mut kind, mut url, mut excerpt, mut expected, mut confirmed) = (None, None, None, None, false);
    let form = fields(n, &FINDING, &mut |j, v| {
        match j {
            0 => kind = Some(finding_kind(v)?),
            1 => url = Some(shared(v)?),
            2 => excerpt = Some(shared(v)?),
            3 => expected = opt(v, shared)?,
            _ => confirmed = boolean(v)?,
        }
        Ok(())
    })?;
    Ok(ContentFinding {
        kind: req(kind, 0, form, &FINDING)?,
        url: req(url, 1, form, &FINDING)?,
        excerpt: req(excerpt, 2, form, &FINDING)?,
        expected,
        confirmed,
    })
}

const REQUEST: Shape = Shape {
    name: "struct Request",
    fields: &["pack", "params", "observation"],
};

fn read_request(n: &Node) -> R<Request> {
    let (mut pack, mut params, mut observation) = (None, None, None);
    let form = fields(n, &REQUEST, &mut |j, v| {
        match j {
            0 => pack = Some(pack_ref(v)?),
            1 => params = Some(string_map(v)?),
            _ => observation = Some(v.to_value()),
        }
        Ok(())
    })?;
    Ok(Request {
        pack: pack.unwrap_or_default(),
        params: params.unwrap_or_default(),
        observation: req(observation, 2, form, &REQUEST)?,
    })
}

/// A pack name, or `{"toml": "..."}` (other keys ignored), as serde's untagged reader takes them.
fn pack_ref(n: &Node) -> R<PackRef> {
    let toml = match n {
        Node::Str(name) => return Ok(PackRef::Name(name.to_string())),
        Node::Obj(entries) => {
            let mut tomls = entries.iter().filter(|(k, _)| &**k == "toml");
            match (tomls.next(), tomls.next()) {
                (Some((_, Node::Str(t))), None) => Some(t),
                _ => None,
            }
        }
        _ => None,
    };
    match toml {
        Some(t) => Ok(PackRef::Inline { toml: t.to_string() }),
        None => Err(Fail::new(
            "data did not match any variant of untagged enum PackRef".into(),
            At::EndSpace,
        )),
    }
}

fn string_map(n: &Node) -> R<BTreeMap<String, String>> {
    let Node::Obj(entries) = n else {
        return Err(wrong(n, "a map"));
    };
    let mut out = BTreeMap::new();
    for (i, (k, v)) in entries.iter().enumerate() {
        out.insert(k.to_string(), string(v).map_err(|f| f.within(Seg::Entry(i)))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! The lean reader against the derived one, on the example and vector observations and thousands of altered
    //! copies: wrong types, impossible values, unknown, missing and repeated fields, structs written as arrays,
    //! compact and indented text.
    use super::*;
    use crate::io::read::json_error;
    use serde_json::Value;
    use std::fmt::Write as _;

    /// [`object_entries`] as the map serde_json reads.
    fn object(text: &str) -> Result<serde_json::Map<String, Value>, String> {
        let mut map = serde_json::Map::new();
        for (k, v) in object_entries(text)? {
            map.insert(k.into(), v.into_value());
        }
        Ok(map)
    }

    /// Any JSON text through the tree, as the value serde_json reads.
    fn value(text: &str) -> Result<Value, String> {
        parse(text).map(Node::into_value).map_err(|e| e.to_string())
    }

    /// A text that must be an object reads as serde_json's map reader reads it, and any text as its value reader
    /// reads it: the same map or value, or the same message at the same line and column.
    #[test]
    fn objects_read_as_serde_json_reads_a_map() {
        for t in [
            r#"{"a": 1, "b": [1.5, -2, 18446744073709551615, 1e300], "a": {"c": null}, "d": "x\u00e9"}"#,
            "{}",
            "5",
            " 5",
            "-3",
            "1.5",
            "\n\n  12.25 ",
            "1e400",
            "123456789012345678901234567890",
            "\"x\"",
            " \"a\\\"b\" ",
            "null",
            "true",
            "[1, 2]",
            "  [",
            "  {",
            "{\"a\":1} x",
            "",
            "nul",
            "{\"a\": 1,}",
            "5 x",
            "[1] x",
            "\"s\" ]",
            "tru",
            "x",
        ] {
            let want = serde_json::from_str::<serde_json::Map<String, Value>>(t).map_err(|e| e.to_string());
            assert_eq!(object(t), want, "{t:?}");
            // Any value reads through the tree as serde_json reads it into a `Value`.
            let want = serde_json::from_str::<Value>(t).map_err(|e| e.to_string());
            assert_eq!(value(t), want, "{t:?}");
        }
        // Nesting past serde_json's limit, in an object and as an array.
        for t in [
            format!("{}1{}", r#"{"a": "#.repeat(200), "}".repeat(200)),
            format!("{}{}", "[".repeat(200), "]".repeat(200)),
        ] {
            let want = serde_json::from_str::<serde_json::Map<String, Value>>(&t).map_err(|e| e.to_string());
            assert!(want.is_err());
            assert_eq!(object(&t), want);
            let want = serde_json::from_str::<Value>(&t).map_err(|e| e.to_string());
            assert_eq!(value(&t), want);
        }
    }

    /// The derived reader's answer, less the provenance, which the lean reader checks but does not keep (but for
    /// its `not_visited` list).
    fn derived(text: &str) -> Result<Observation, Error> {
        serde_json::from_str::<Observation>(text)
            .map_err(|e| json_error(&e, text))?
            .read_not_visited(text)
            .map(|mut o| {
                o.provenance = None;
                o
            })
    }

    fn same(text: &str) {
        match (derived(text), read(text)) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{text}"),
            (a, b) => panic!("derived {:?}, lean {:?}: {text}", a.err(), b.err()),
        }
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const WORDS: &[&str] = &[
        "",
        "x",
        "portal",
        "门户网站",
        "other",
        "2015-02-30",
        "2015-06-30",
        "2015-06-30T23:00:00Z",
        "bm07000001",
        "12345",
        "dynamics",
        "工作动态",
        "news",
        "2w",
        "6个月",
        "page",
        "image",
        "serious_typo",
        "name",
        "a\"b\\c\n",
    ];
    const KEYS: &[&str] = &[
        "name",
        "url",
        "kind",
        "visits",
        "failures",
        "samples",
        "broken",
        "columns",
        "items",
        "exists",
        "activities",
        "messages",
        "guides",
        "depth",
        "found_on",
        "at",
        "ok",
        "colums",
        "kidn",
        "date",
        "published",
        "category",
        "attachments_broken",
        "status",
        "level",
        "valid",
        "schema",
        "site",
        "monitoring_point",
        "toml",
        "pack",
        "params",
        "observation",
    ];

    fn scalar(rng: &mut Rng) -> Value {
        match rng.below(14) {
            0 => Value::Null,
            1 => Value::Bool(rng.below(2) == 0),
            2 => Value::from(0),
            3 => Value::from(5),
            4 => Value::from(-1),
            5 => Value::from(70000),
            6 => Value::from(4_294_967_296u64),
            7 => Value::from(u64::MAX),
            8 => Value::from(1.5),
            9 => Value::from(2.0),
            10 => Value::Array(vec![]),
            11 => Value::Array(vec![Value::from(WORDS[rng.below(WORDS.len())])]),
            12 => {
                let mut m = serde_json::Map::new();
                if rng.below(2) == 0 {
                    m.insert(KEYS[rng.below(KEYS.len())].into(), scalar(rng));
                }
                Value::Object(m)
            }
            _ => Value::from(WORDS[rng.below(WORDS.len())]),
        }
    }

    /// Change one value somewhere in `v`.
    fn mutate(v: &mut Value, rng: &mut Rng) {
        let descend = rng.below(4) != 0;
        match v {
            Value::Object(m) if !m.is_empty() && descend => {
                let keys: Vec<String> = m.keys().cloned().collect();
                let k = &keys[rng.below(keys.len())];
                match rng.below(8) {
                    0 => {
                        m.remove(k);
                    }
                    1 => {
                        m.insert(KEYS[rng.below(KEYS.len())].into(), scalar(rng));
                    }
                    _ => {
                        if let Some(c) = m.get_mut(k) {
                            mutate(c, rng);
                        }
                    }
                }
            }
            Value::Array(a) if !a.is_empty() && descend => {
                let i = rng.below(a.len());
                if rng.below(6) == 0 {
                    a.push(a[i].clone());
                } else {
                    mutate(&mut a[i], rng);
                }
            }
            _ => *v = scalar(rng),
        }
    }

    /// Write `v` as JSON, sometimes repeating an object's entry, writing an object as the array of its values,
    /// indenting, or writing zero as `-0`.
    fn emit(v: &Value, rng: &mut Rng, pretty: bool, depth: usize, out: &mut String) {
        let nl = |out: &mut String, d: usize| {
            if pretty {
                out.push('\n');
                out.push_str(&"  ".repeat(d));
            }
        };
        match v {
            Value::Object(m) if rng.below(40) == 0 => {
                let vals: Vec<Value> = m.values().cloned().collect();
                emit(&Value::Array(vals), rng, pretty, depth, out);
            }
            Value::Object(m) => {
                out.push('{');
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                if !entries.is_empty() && rng.below(30) == 0 {
                    let e = entries[rng.below(entries.len())];
                    entries.push(e);
                }
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    let _ = write!(out, "{}:", Value::from(k.as_str()));
                    if pretty {
                        out.push(' ');
                    }
                    emit(x, rng, pretty, depth + 1, out);
                }
                if !entries.is_empty() {
                    nl(out, depth);
                } else if pretty && rng.below(2) == 0 {
                    out.push(' ');
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    emit(x, rng, pretty, depth + 1, out);
                }
                if !a.is_empty() {
                    nl(out, depth);
                }
                out.push(']');
            }
            Value::Number(n) if n.as_u64() == Some(0) && rng.below(3) == 0 => out.push_str("-0"),
            other => out.push_str(&other.to_string()),
        }
    }

    fn seeds() -> Vec<Value> {
        crate::test_support::observation_values(&[
            "examples/observations",
            "tests/vectors/census-2015",
            "tests/vectors/checklist-2019",
        ])
    }

    #[test]
    fn provenance_is_checked_but_not_kept() {
        let text =
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"provenance":{"tool":"t","n":[1,2.5]}}"#;
        let derived = serde_json::from_str::<Observation>(text).unwrap();
        assert!(derived.provenance.is_some());
        assert!(read(text).unwrap().provenance.is_none());
        let bad = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"provenance":{"tool":}}"#;
        assert_eq!(read(bad).unwrap_err().kind(), ErrorKind::JsonSyntax);
    }

    #[test]
    fn answers_as_the_derived_reader_does() {
        let seeds = seeds();
        assert!(seeds.len() > 50, "{}", seeds.len());
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut errors = 0;
        for round in 0..60 {
            for seed in &seeds {
                let mut v = seed.clone();
                for _ in 0..=rng.below(3) {
                    if round > 0 {
                        mutate(&mut v, &mut rng);
                    }
                }
                let mut text = String::new();
                emit(&v, &mut rng, round % 2 == 1, 0, &mut text);
                errors += usize::from(derived(&text).is_err());
                same(&text);
                // An already parsed value reads as the text it writes does.
                if let Ok(value) = serde_json::from_str::<Value>(&text) {
                    let via_text = read(&value.to_string()).ok().map(|o| format!("{o:?}"));
                    assert_eq!(from_value(&value).map(|o| format!("{o:?}")), via_text, "{text}");
                }
            }
        }
        // Most altered observations are refused, and some are not.
        assert!(errors > seeds.len() * 20, "{errors}");
    }

    fn same_request(text: &str) {
        let derived = serde_json::from_str::<Request>(text).map_err(|e| e.to_string());
        match (derived, request(text)) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text}"),
            (a, b) => assert_eq!(a.err(), b.err(), "{text}"),
        }
    }

    #[test]
    fn requests_answer_as_the_derived_reader_does() {
        let seeds = [
            serde_json::json!({"pack": "census-2015", "params": {"proration": "linear"}, "observation": {}}),
            serde_json::json!({"pack": {"toml": "x", "other": 1}, "observation": null}),
            serde_json::json!({"observation": {"a": [1, 2]}}),
        ];
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut errors = 0;
        for round in 0..1500 {
            for seed in &seeds {
                let mut v = seed.clone();
                if round > 0 {
                    mutate(&mut v, &mut rng);
                }
                let mut text = String::new();
                emit(&v, &mut rng, round % 2 == 1, 0, &mut text);
                errors += usize::from(request(&text).is_err());
                same_request(&text);
            }
        }
        assert!(errors > 1000, "{errors}");
        for text in [
            "[]",
            r#"["census-2015", {}, 1]"#,
            r#"{"pack": ["inline"], "observation": 1}"#,
            r#"{"pack": {"toml": "a", "toml": "b"}, "observation": 1}"#,
            r#"{"pack": 5 , "observation": 1}"#,
            r#"{"params": {"a": "1", "a": "2"}, "observation": 1}"#,
        ] {
            same_request(text);
        }
    }

    #[test]
    fn reads_text_as_given() {
        for text in [
            "[1, 2]",
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}} "#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"broken": [{"url": "u", "depth": 1, "kind": {"image": null}}]}}"#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "links": {"broken": [{"url": "u", "depth": 1, "kind": 5}]}}"#,
            "{\"monitoring_point\": \"2015-06-30\",\r\n\t\"site\": {\"name\": \"x\", \"name\" : \"y\"}}",
            r#"{"monitoring_point": "2015-06-30", "site": ["x", null, "portal"]}"#,
            r#"{"monitoring_point": "2015-06-30", "site": ["x", null, "portal", null, false, null, null, null, 1]}"#,
            r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}, "interaction": {"survey": {"exists": true, "activities": { }}}}"#,
        ] {
            same(text);
        }
    }
}
