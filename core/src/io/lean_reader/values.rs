//! Values as serde's derived readers take them: counts, strings, dates, the model's enums, lists, and serde's
//! own messages when they are wrong.

use super::*;

/// A value of the wrong type: reported after it, or before it for an object or array (serde_json refuses those
/// on sight).
#[cold]
#[inline(never)]
pub(super) fn wrong(n: &Node, expected: &str) -> Fail {
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
pub(super) fn wrong_any(n: &Node, expected: &str) -> Fail {
    let mut f = wrong(n, expected);
    if matches!(n, Node::Obj(_)) {
        f.at = At::AnyMap;
    }
    f
}

#[inline(never)]
pub(super) fn unsigned(n: &Node, expected: &'static str, max: u64) -> R<u64> {
    match n {
        Node::U(u) if *u <= max => Ok(*u),
        Node::U(_) | Node::I(_) => Err(Fail::new(
            format!("invalid value: {}, expected {expected}", n.unexpected()),
            At::End,
        )),
        _ => Err(wrong(n, expected)),
    }
}

pub(super) fn count(n: &Node) -> R<u64> {
    unsigned(n, "u64", u64::MAX)
}

pub(super) fn small(n: &Node) -> R<u32> {
    unsigned(n, "u32", u64::from(u32::MAX)).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
}

pub(super) fn status(n: &Node) -> R<u16> {
    unsigned(n, "u16", u64::from(u16::MAX)).map(|v| u16::try_from(v).unwrap_or(u16::MAX))
}

pub(super) fn boolean(n: &Node) -> R<bool> {
    match n {
        Node::Bool(b) => Ok(*b),
        _ => Err(wrong(n, "a boolean")),
    }
}

pub(super) fn string(n: &Node) -> R<String> {
    match n {
        Node::Str(s) => Ok(s.to_string()),
        _ => Err(wrong(n, "a string")),
    }
}

pub(super) fn shared(n: &Node) -> R<Arc<str>> {
    match n {
        Node::Str(s) => Ok(Arc::from(&**s)),
        _ => Err(wrong(n, "a string")),
    }
}

/// A string read into `T` (kinds, categories, ids, lengths), failing with the parser's own message.
pub(super) fn text<T>(n: &Node, parse: fn(&str) -> Result<T, String>) -> R<T> {
    match n {
        Node::Str(s) => parse(s).map_err(|m| Fail::new(m, At::End)),
        _ => Err(wrong(n, "a string")),
    }
}

pub(super) fn date(n: &Node) -> R<LocalDate> {
    match n {
        Node::Str(s) => LocalDate::from_text(s).map_err(|m| Fail::new(m, At::End)),
        _ => Err(wrong(n, DATE_EXPECTING)),
    }
}

pub(super) fn site_kind(n: &Node) -> R<SiteKind> {
    text(n, SiteKind::from_text)
}

pub(super) fn site_id(n: &Node) -> R<SiteId> {
    text(n, SiteId::from_text)
}

pub(super) fn link_kind(n: &Node) -> R<LinkKind> {
    text(n, LinkKind::from_text)
}

pub(super) fn column_category(n: &Node) -> R<Category> {
    text(n, Category::from_text)
}

pub(super) fn cycle(n: &Node) -> R<SpanValue> {
    text(n, SpanValue::from_text)
}

pub(super) fn element(n: &Node) -> R<GuideElement> {
    text(n, GuideElement::from_text)
}

pub(super) fn finding_kind(n: &Node) -> R<FindingKind> {
    text(n, FindingKind::from_text)
}

pub(super) fn opt<T>(n: &Node, read: fn(&Node) -> R<T>) -> R<Option<T>> {
    match n {
        Node::Null => Ok(None),
        _ => read(n).map(Some),
    }
}

pub(super) fn list<T>(n: &Node, read: fn(&Node) -> R<T>) -> R<Vec<T>> {
    let Node::Arr(items) = n else {
        return Err(wrong(n, "a sequence"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        out.push(read(v).map_err(|f| f.within(Seg::Index(i)))?);
    }
    Ok(out)
}

pub(super) fn column_list(n: &Node) -> R<Arc<Vec<Column>>> {
    list(n, column).map(Arc::new)
}

pub(super) fn broken_link_list(n: &Node) -> R<Arc<Vec<BrokenLink>>> {
    list(n, broken_link).map(Arc::new)
}

pub(super) fn findings_list(n: &Node) -> R<Vec<ContentFinding>> {
    list(n, finding)
}

pub(super) fn sample_list(n: &Node) -> R<Vec<Sample>> {
    list(n, sample)
}

pub(super) fn items_list(n: &Node) -> R<Vec<Item>> {
    list(n, item)
}

pub(super) fn messages_list(n: &Node) -> R<Vec<Message>> {
    list(n, message)
}

pub(super) fn guides_list(n: &Node) -> R<Vec<Guide>> {
    list(n, guide)
}

pub(super) fn systems_list(n: &Node) -> R<Vec<OnlineSystem>> {
    list(n, online_system)
}

pub(super) fn str_list(n: &Node) -> R<StrList> {
    match n {
        Node::Str(s) => Ok(StrList(Arc::from([Arc::from(&**s)]))),
        Node::Arr(_) => list(n, shared).map(|v| StrList(Arc::from(v))),
        _ => Err(wrong_any(n, STR_LIST_EXPECTING)),
    }
}

/// A negative count where a count or a list is read (serde_json hands it over as a signed integer).
pub(super) fn negative(i: i64) -> Fail {
    Fail::new(format!("invalid value: integer `{i}`, expected u64"), At::End)
}

pub(super) fn tally(n: &Node) -> R<Tally> {
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

pub(super) fn activities(n: &Node) -> R<Activities> {
    match n {
        Node::U(c) => Ok(Activities::Count(*c)),
        Node::I(i) => Err(negative(*i)),
        Node::Arr(_) => list(n, activity).map(Activities::List),
        _ => Err(wrong_any(n, ACTIVITIES_EXPECTING)),
    }
}
