//! Measuring the facts of one observation: each measure of a pack reads the observation (raw evidence first,
//! counts second) into its slot — a value or bounds, its evidence, the window it used, or what is missing.

use crate::eval::evidence::{Chunk, ColumnChunk, ColumnFinding, Evidence, ItemChunk, LinkChunk};
use crate::eval::scan::{ColDates, LinkGroups, LinkKey, Seeded, link_groups, newest_date};
use crate::lang::expr::{Undefined, Val};
use crate::lang::facts::{Args, ChannelId, FactDef, FactId, LinkScope, ParamValue, SpanArg, TextArg};
use crate::model::observation::{Activities, Channel, Column, GUIDE_ELEMENTS, Observation};
use crate::model::ratio::Ratio;
use crate::model::verdict::Warning;
use crate::model::window::{Span, Window};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// How one measure of a rule came out.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureOutcome {
    /// Its value; `None` when facts were missing.
    pub value: Option<Val>,
    /// The window it used.
    pub window: Option<Window>,
}

/// The bounds of a count the data say nothing about: any number from zero.
pub(crate) const ANY_COUNT: (u64, u64) = (0, u64::MAX);

/// What a measure yielded. A report keeps these as they are (its measure outcomes), so nothing is copied.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The value (`None` when it could not be computed) and the window it used, as reports show them.
    pub outcome: MeasureOutcome,
    /// Why there is no value (meaningful only when `outcome.value` is `None`).
    pub undefined: Undefined,
    /// Evidence behind it (`None`: none, or not kept).
    pub(crate) evidence: Option<Chunk>,
    /// What is missing, when there is no value.
    pub missing: Option<&'static str>,
    /// When a count has no value: the bounds the data still give it, `u64::MAX` above for none (`ANY_COUNT`: the
    /// data say nothing). Other measures without a value can be any value of their kind.
    pub(crate) bounds: (u64, u64),
}

crate::eval::recycle::reused!(Measured);

impl Measured {
    /// A measure not yet evaluated: no value, no data.
    pub fn empty() -> Measured {
        Measured {
            outcome: MeasureOutcome {
                value: None,
                window: None,
            },
            undefined: Undefined::NoData,
            evidence: None,
            missing: None,
            bounds: ANY_COUNT,
        }
    }

    /// The value, or why there is none.
    pub fn value(&self) -> Result<&Val, Undefined> {
        self.outcome.value.as_ref().ok_or(self.undefined)
    }
}

/// Everything a fact needs while evaluating.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The observation.
    pub obs: &'a Observation,
    /// The monitoring point's date.
    pub point: NaiveDate,
    /// Parameter values by index.
    pub params: &'a [ParamValue],
    /// Warnings collected.
    pub warnings: Vec<Warning>,
    /// Whether to collect evidence (reports) or not (summaries).
    pub evidence: bool,
    /// Newest valid date per column, worked out once per score.
    pub col_cache: Option<Vec<ColDates<'a>>>,
    /// The availability scan, done once per score.
    pub avail_cache: Option<(AvailKey, AvailScan)>,
    /// Broken links grouped once per score.
    pub link_cache: Option<(LinkKey, Arc<LinkGroups>)>,
    /// `portal` and `other` as values, made once per engine.
    pub kinds: &'a [Arc<str>; 2],
}

impl Ctx<'_> {
    fn kind_name(&self, k: crate::model::observation::SiteKind) -> Arc<str> {
        self.kinds[usize::from(k == crate::model::observation::SiteKind::Other)].clone()
    }

    fn span(&self, a: Option<&SpanArg>, default: Option<&'static str>) -> Option<Span> {
        match a {
            Some(SpanArg::Lit(s)) => Some(*s),
            Some(SpanArg::Param(i)) => match self.params.get(*i) {
                Some(ParamValue::Span(s)) => Some(*s),
                _ => None,
            },
            None => default.and_then(Span::parse),
        }
    }
    fn text<'b>(&'b self, a: Option<&'b TextArg>) -> Option<&'b str> {
        match a {
            Some(TextArg::Lit(s)) => Some(s),
            Some(TextArg::Param(i)) => match self.params.get(*i) {
                Some(ParamValue::Text(s)) => Some(s),
                _ => None,
            },
            None => None,
        }
    }
    fn warn(&mut self, code: &'static str, path: String, zh: String, en: String) {
        self.warnings.push(Warning::new(code, Some(path), zh, en));
    }
}

/// Evidence for a number taken from counted data; none for zero, which needs no checking, nor when evidence is not
/// kept (`keep` false: summaries).
fn counted_evidence(keep: bool, field: &'static str, value: u64) -> Option<Chunk> {
    (value != 0 && keep).then_some(Chunk::Counted(field, value))
}

fn count(n: u64) -> Result<Val, Undefined> {
    Ratio::from_u64(n).map(Val::Num).ok_or(Undefined::Arithmetic)
}

/// The records that show a number as a chunk (none when the list is empty). Out of line: the constructors that call
/// it are inlined into each fact's returns.
fn records(evidence: Vec<Evidence>) -> Option<Chunk> {
    (!evidence.is_empty()).then(|| Chunk::Records(Arc::new(evidence)))
}

/// A fact's result as built at one of its returns, before [`Sink::put`] writes it into the slot. Its constructors
/// are inlined natively, so that the fields go straight into the slot: a result returned from an out-of-line
/// constructor was copied in with wide loads just after its narrow stores.
struct Out {
    /// The value as a report keeps it (`None` when undefined), and why it is undefined.
    value: Option<Val>,
    undefined: Undefined,
    /// Evidence: records made while evaluating, or a shared chunk (a counted field, the score's broken links).
    evidence: Option<Chunk>,
    window: Option<Window>,
    missing: Option<&'static str>,
    /// The bounds of a count the data do not fix (`u64::MAX` above: no bound).
    bounds: (u64, u64),
}

impl Out {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn val(value: Result<Val, Undefined>) -> Out {
        let (value, undefined) = match value {
            Ok(v) => (Some(v), Undefined::NoData),
            Err(u) => (None, u),
        };
        Out {
            value,
            undefined,
            evidence: None,
            window: None,
            missing: None,
            bounds: ANY_COUNT,
        }
    }
    /// A count known to lie in `[lo, hi]` (`hi` `None`: unbounded), with `what` naming the facts that would fix it;
    /// the count itself when the bounds meet.
    fn between(lo: u64, hi: Option<u64>, what: &'static str, evidence: Option<Chunk>) -> Out {
        if hi == Some(lo) {
            return Out::shared(lo, evidence);
        }
        Out {
            evidence,
            bounds: (lo, hi.unwrap_or(u64::MAX)),
            ..Out::missing(what)
        }
    }
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn missing(what: &'static str) -> Out {
        Out {
            missing: Some(what),
            ..Out::val(Err(Undefined::NoData))
        }
    }
    /// A number with the records that show it (none kept when the list is empty).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn n(n: u64, evidence: Vec<Evidence>) -> Out {
        Out {
            evidence: records(evidence),
            ..Out::val(count(n))
        }
    }
    /// A number whose evidence is a shared chunk (a counted field, the score's broken links).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn shared(n: u64, evidence: Option<Chunk>) -> Out {
        Out {
            evidence,
            ..Out::val(count(n))
        }
    }
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn within(mut self, w: Window) -> Out {
        self.window = Some(w);
        self
    }
}

/// Evaluate one measure against the observation into `slot`, a fresh place for it in the measure list
/// (`Measured::empty()`: what a slot held before is set aside, not dropped).
pub(crate) fn measure(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, slot: &mut Measured) {
    let to = Sink {
        slot,
        keep: ctx.evidence,
    };
    match def.id {
        FactId::SiteKind => match ctx.obs.site.kind {
            Some(k) => to.put(Out::val(Ok(Val::Str(ctx.kind_name(k))))),
            None => to.put(Out::missing("site.kind")),
        },
        FactId::SiteNavigationOnly => to.put(Out::val(Ok(Val::Bool(ctx.obs.site.homepage_navigation_only)))),
        FactId::SiteOffersServices => {
            to.put(Out::val(Ok(Val::Bool(
                ctx.obs.site.offers_services.unwrap_or(true),
            ))));
        }
        FactId::AvailVisits | FactId::AvailFailures | FactId::AvailRate | FactId::AvailDays => {
            availability(def, args, ctx, to)
        }
        FactId::LinksBroken => links(args, ctx, to),
        FactId::ColumnsCount
        | FactId::ColumnsStale
        | FactId::ColumnsBlank
        | FactId::ColumnsOverdue
        | FactId::ColumnsInaccurate => columns(def, args, ctx, to),
        FactId::HomepageUpdates => homepage_updates(def, args, ctx, to),
        FactId::Exists(ch) | FactId::Usable(ch) | FactId::Activities(ch) => channel(def, ch, args, ctx, to),
        FactId::ValidMessages | FactId::OverdueMessages | FactId::Answers => messages(def, args, ctx, to),
        FactId::Guides
        | FactId::MissingElements
        | FactId::InaccurateElements
        | FactId::AttachmentsNotOffered
        | FactId::AttachmentsBroken
        | FactId::OnlineSystems
        | FactId::OnlineSystemsUnreachable
        | FactId::ServicesOffered => services(def, args, ctx, to),
        FactId::Findings => findings(args, ctx, to),
    }
}

/// Where a fact's result goes: its slot in the measure list, and whether evidence is kept. Each fact writes its
/// result at the return that makes it (`put`), so the fields are stored once, straight into the slot. A result
/// returned and then copied in was assembled in one stack place shared by all of a fact's returns and read back
/// with wide loads just after its narrow stores: a store-forwarding stall per measure, the largest single cost of a
/// counts-only score on the clock.
struct Sink<'s> {
    slot: &'s mut Measured,
    keep: bool,
}

impl Sink<'_> {
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn put(self, out: Out) {
        fill(self.slot, out, self.keep);
    }
}

/// Write a fact's result into its slot, field by field, in the branch that made it (natively inlined there; one
/// shared copy in the WebAssembly build, which favours size).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn fill(slot: &mut Measured, out: Out, keep: bool) {
    let evidence = if keep { out.evidence } else { None };
    let filled = Measured {
        outcome: MeasureOutcome {
            value: out.value,
            window: out.window,
        },
        undefined: out.undefined,
        evidence,
        missing: out.missing,
        bounds: out.bounds,
    };
    // The slot is fresh (`Measured::empty()`, which owns nothing; see `measure`): it is set aside without running
    // drop code for it, which was a measurable share of a counts-only score (0.4k of 19.7k instructions).
    std::mem::forget(std::mem::replace(slot, filled));
}

/// One pass over the availability samples, shared by visits, failures, rate and days.
#[derive(Debug, Clone)]
pub struct AvailScan {
    visits: u64,
    failures: u64,
    days: Option<u64>,
    evidence: Option<Chunk>,
}

/// Cache key of an availability scan: window and time limit.
pub type AvailKey = (Window, u64);

fn availability_scan(
    a: &crate::model::observation::Availability,
    w: Window,
    timeout: u64,
    ctx: &mut Ctx<'_>,
) -> Option<AvailScan> {
    let (visits, failures, days, ev) = if let Some(samples) = &a.samples {
        let (mut visits, mut failures, mut faults, mut outside) = (0u64, 0u64, 0u64, 0u64);
        let mut per_day: Vec<(NaiveDate, u64)> = Vec::new();
        let mut ev = Vec::new();
        for s in samples {
            if !w.contains(s.at.date) {
                outside += 1;
                continue;
            }
            if s.probe_fault {
                faults += 1;
                continue;
            }
            visits += 1;
            // Samples come mostly in time order: the latest day first, then the others.
            match per_day.last_mut() {
                Some((d, n)) if *d == s.at.date => *n += 1,
                _ => match per_day.iter_mut().find(|(d, _)| *d == s.at.date) {
                    Some((_, n)) => *n += 1,
                    None => per_day.push((s.at.date, 1)),
                },
            }
            let slow = s.elapsed_ms.is_some_and(|e| e >= timeout);
            if !s.ok || slow {
                failures += 1;
                if ctx.evidence {
                    ev.push(Evidence::FailedVisit {
                        at: s.at.raw.clone(),
                        status: s.status,
                        error: s.error.clone(),
                        elapsed_ms: s.elapsed_ms,
                    });
                }
            }
        }
        if faults > 0 {
            ctx.warn(
                "probe_faults_excluded",
                "availability.samples".into(),
                format!("{faults} 次访问因监测方自身网络故障被排除"),
                format!("{faults} samples were excluded as probe-side faults"),
            );
        }
        if outside > 0 {
            ctx.warn(
                "samples_outside_window",
                "availability.samples".into(),
                format!("{outside} 次访问不在监测窗口 {}..{} 内，未计入", w.from, w.to),
                format!(
                    "{outside} samples lie outside the window {}..{} and were not counted",
                    w.from, w.to
                ),
            );
        }
        let thin = per_day.iter().filter(|(_, n)| *n < 20).count();
        if per_day.len() < 7 || thin > 0 {
            ctx.warn(
                "sampling_below_standard",
                "availability.samples".into(),
                format!("监测覆盖 {} 天，其中 {thin} 天少于 20 次访问，低于普查抽样标准（1 周、每天 20 次以上）", per_day.len()),
                format!(
                    "samples cover {} days, {thin} of them with fewer than 20 visits: below the official standard (1 week, at least 20 a day)",
                    per_day.len()
                ),
            );
        }
        if let (Some(v), Some(f)) = (a.visits, a.failures)
            && (v, f) != (visits, failures)
        {
            ctx.warn(
                "counts_mismatch",
                "availability".into(),
                format!("原始记录计得 {visits} 次访问、{failures} 次失败，与给出的计数 {v}/{f} 不符，以原始记录为准"),
                format!("raw samples give {visits} visits and {failures} failures, the counts say {v}/{f}: raw wins"),
            );
        }
        let ev = (!ev.is_empty()).then(|| Chunk::Records(Arc::new(ev)));
        (visits, failures, Some(per_day.len() as u64), ev)
    } else {
        let (Some(v), Some(f)) = (a.visits, a.failures) else {
            return None;
        };
        if let Some(d) = a.days
            && d < 7
        {
            ctx.warn(
                "sampling_below_standard",
                "availability.days".into(),
                format!("监测仅覆盖 {d} 天，低于普查抽样标准（1 周）"),
                format!("samples cover only {d} days, below the official standard (1 week)"),
            );
        }
        let ev = counted_evidence(ctx.evidence, "availability.failures", f);
        (v, f, a.days, ev)
    };
    Some(AvailScan {
        visits,
        failures,
        days,
        evidence: ev,
    })
}

fn availability(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(a) = &ctx.obs.availability else {
        return to.put(Out::missing("availability"));
    };
    let span = ctx.span(args.window.as_ref(), def.default_window);
    let w = span.map(|s| s.window(ctx.point)).unwrap_or(Window {
        from: ctx.point,
        to: ctx.point,
    });
    let timeout = args.timeout_ms.unwrap_or(15_000);
    let key = (w, timeout);
    let scan = match ctx.avail_cache.take() {
        Some((k, sc)) if k == key => sc,
        _ => match availability_scan(a, w, timeout, ctx) {
            Some(sc) => sc,
            None => return to.put(Out::missing("availability.visits")),
        },
    };
    let AvailScan {
        visits,
        failures,
        days,
        evidence,
    } = scan.clone();
    ctx.avail_cache = Some((key, scan));
    let value = match def.id {
        FactId::AvailVisits => count(visits),
        FactId::AvailFailures => count(failures),
        FactId::AvailDays => match days {
            Some(d) => count(d),
            None => return to.put(Out::missing("availability.days")),
        },
        _ => {
            if visits == 0 {
                return to.put(Out::missing("availability.samples").within(w));
            }
            Ratio::new(i128::from(failures), i128::from(visits))
                .map(Val::Num)
                .ok_or(Undefined::Arithmetic)
        }
    };
    let shared = if matches!(def.id, FactId::AvailFailures | FactId::AvailRate) {
        evidence
    } else {
        None
    };
    to.put(Out {
        evidence: shared,
        window: Some(w),
        ..Out::val(value)
    });
}

fn links(args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(l) = &ctx.obs.links else {
        return to.put(Out::missing("links"));
    };
    let scope = args.scope.unwrap_or(LinkScope::All);
    let occurrence = ctx.text(args.count.as_ref()) == Some("occurrence");
    let Some(broken) = &l.broken else {
        let (h, o) = (l.homepage_broken, l.other_broken);
        match (scope, h, o) {
            (LinkScope::Homepage, Some(h), _) => {
                let ev = counted_evidence(ctx.evidence, "links.homepage_broken", h);
                to.put(link_count(l, scope, h, ev));
            }
            (LinkScope::Other, _, Some(o)) => {
                let ev = counted_evidence(ctx.evidence, "links.other_broken", o);
                to.put(link_count(l, scope, o, ev));
            }
            (LinkScope::All, Some(h), Some(o)) => to.put(link_count(l, scope, h.saturating_add(o), None)),
            (LinkScope::Homepage, None, _) => to.put(Out::missing("links.homepage_broken")),
            (LinkScope::Other, _, None) | (LinkScope::All, _, _) => {
                to.put(Out::missing("links.other_broken"));
            }
        }
        return;
    };
    let key = (occurrence, args.link_kinds.clone());
    let groups = match ctx.link_cache.take() {
        Some((k, g)) if k == key => g,
        _ => Arc::new(link_groups(
            broken,
            args.link_kinds.as_deref(),
            ctx.obs.site.homepage_navigation_only,
            occurrence,
        )),
    };
    let (mut home_n, mut other_n, mut listed) = (0u64, 0u64, 0usize);
    for g in groups.iter() {
        home_n += g.home;
        other_n += g.other;
        listed += usize::from(g.in_scope(scope));
    }
    let chunk = (ctx.evidence && listed > 0).then(|| {
        Chunk::Links(Arc::new(LinkChunk {
            broken: broken.clone(),
            groups: groups.clone(),
            scope,
            len: listed,
        }))
    });
    ctx.link_cache = Some((key, groups));
    if args.link_kinds.is_none() && !occurrence {
        for (given, got, field) in [
            (l.homepage_broken, home_n, "links.homepage_broken"),
            (l.other_broken, other_n, "links.other_broken"),
        ] {
            if let Some(g) = given
                && g != got
            {
                ctx.warn(
                    "counts_mismatch",
                    field.into(),
                    format!("原始记录计得 {got} 个，与给出的计数 {g} 不符，以原始记录为准"),
                    format!("raw findings give {got}, the count says {g}: raw wins"),
                );
            }
        }
    }
    let n = match scope {
        LinkScope::Homepage => home_n,
        LinkScope::Other => other_n,
        LinkScope::All => home_n + other_n,
    };
    to.put(link_count(l, scope, n, chunk));
}

/// `n` broken links of `scope` found, as a measure: exact when the check was complete and every link found was
/// checked; else at least `n`, at most `n` plus the links not checked there, unbounded when the check stopped at a
/// cap (`links.complete: false`).
fn link_count(
    l: &crate::model::observation::Links,
    scope: LinkScope,
    n: u64,
    evidence: Option<Chunk>,
) -> Out {
    if l.complete == Some(false) {
        return Out::between(n, None, "links.complete", evidence);
    }
    let u = l.unchecked.unwrap_or_default();
    let extra = match scope {
        LinkScope::Homepage => u.homepage,
        LinkScope::Other => u.other,
        LinkScope::All => u.homepage.saturating_add(u.other),
    };
    Out::between(n, Some(n.saturating_add(extra)), "links.unchecked", evidence)
}

/// Whether a column is shown on the homepage: `on_homepage`, or `level` 0 (the homepage itself).
pub(crate) fn on_homepage(c: &Column) -> bool {
    c.on_homepage || c.level == Some(0)
}

fn matches_filter(c: &Column, args: &Args) -> bool {
    if let Some(cats) = &args.categories
        && !cats.contains(&c.category)
    {
        return false;
    }
    if let Some(l) = args.level
        && c.level.unwrap_or(1) != l
    {
        return false;
    }
    if let Some(h) = args.on_homepage
        && on_homepage(c) != h
    {
        return false;
    }
    if let Some(names) = &args.names
        && !names.iter().any(|n| c.name.contains(n.as_str()))
    {
        return false;
    }
    true
}

/// A `level_conflict` warning for a column at level 0 (the homepage) that says it is not on the homepage: it is
/// read as a homepage column.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn level_conflict(c: &Column, idx: usize, ctx: &mut Ctx<'_>) {
    if c.level == Some(0) && !c.on_homepage {
        level_conflict_warning(c, idx, ctx);
    }
}

#[cold]
fn level_conflict_warning(c: &Column, idx: usize, ctx: &mut Ctx<'_>) {
    ctx.warn(
        "level_conflict",
        format!("columns[{idx}].level"),
        format!("栏目“{}”的层级为 0（首页），但未标为首页栏目；按首页栏目处理", c.name),
        format!(
            "column `{}` is at level 0 (the homepage) but not marked `on_homepage`; read as a homepage column",
            c.name
        ),
    );
}

/// Newest valid date of every column, with `future_dated` warnings, in one pass over all items.
fn column_dates<'a>(cols: &'a [Column], ctx: &mut Ctx<'a>) -> Vec<ColDates<'a>> {
    let mut out = Vec::with_capacity(cols.len());
    for (idx, c) in cols.iter().enumerate() {
        level_conflict(c, idx, ctx);
        let (state, future) = newest_date(c, ctx.point);
        if future > 0 {
            if c.items.is_some() {
                ctx.warn(
                    "future_dated",
                    format!("columns[{idx}].items"),
                    format!("栏目“{}”有 {future} 条信息的日期晚于监测时间点，不计为更新", c.name),
                    format!("column `{}` has {future} items dated after the monitoring point; they are not updates", c.name),
                );
            } else {
                ctx.warn(
                    "future_dated",
                    format!("columns[{idx}].last_published"),
                    format!("栏目“{}”的最近更新日期晚于监测时间点，不计为更新；此前的更新情况未知", c.name),
                    format!(
                        "column `{}` has a last publication date after the monitoring point; not an update, and what it held before is unknown",
                        c.name
                    ),
                );
            }
        }
        out.push(state);
    }
    out
}

/// Whether column `idx` has a dated item in `w` (Some), or the data cannot tell (None).
fn updated_in(dates: &[ColDates<'_>], idx: usize, w: &Window) -> Option<bool> {
    match dates.get(idx) {
        Some(ColDates::Known(Some(d))) => Some(d.date >= w.from),
        Some(ColDates::Known(None)) => Some(false),
        _ => None,
    }
}

fn is_blank(c: &Column) -> Option<bool> {
    if let Some(items) = &c.items {
        return Some(items.is_empty());
    }
    if let Some(b) = c.blank {
        return Some(b);
    }
    if let Some(n) = c.item_count {
        return Some(n == 0);
    }
    if c.last_published.is_some() {
        return Some(false);
    }
    None
}

fn columns<'a>(def: &FactDef, args: &Args, ctx: &mut Ctx<'a>, to: Sink<'_>) {
    let obs = ctx.obs;
    let Some(cols) = &obs.columns else {
        return to.put(Out::missing("columns"));
    };
    // Dates only for the measures that read them, worked out once per score and handed back after the measure.
    let dates = match def.id {
        FactId::ColumnsCount | FactId::ColumnsBlank | FactId::ColumnsInaccurate => None,
        _ => Some(match ctx.col_cache.take() {
            Some(d) => d,
            None => column_dates(cols, ctx),
        }),
    };
    columns_with(def, args, ctx, cols, dates.as_deref().unwrap_or(&[]), to);
    if dates.is_some() {
        ctx.col_cache = dates;
    }
}

fn columns_with(
    def: &FactDef,
    args: &Args,
    ctx: &mut Ctx<'_>,
    cols: &Arc<Vec<Column>>,
    dates: &[ColDates<'_>],
    to: Sink<'_>,
) {
    let mut n = 0u64;
    // Columns the data cannot place: each could add one.
    let mut unknown = 0u64;
    let mut window = None;
    let span = match def.id {
        FactId::ColumnsStale => ctx.span(args.window.as_ref(), def.default_window),
        FactId::ColumnsOverdue => ctx.span(args.default_cycle.as_ref(), Some("1y")),
        _ => None,
    };
    if def.id == FactId::ColumnsStale {
        match span {
            Some(s) => window = Some(s.window(ctx.point)),
            None => return to.put(Out::missing("window")),
        }
    }
    let finding = match def.id {
        FactId::ColumnsStale => ColumnFinding::Stale,
        FactId::ColumnsOverdue => ColumnFinding::Overdue,
        FactId::ColumnsBlank => ColumnFinding::Blank,
        _ => ColumnFinding::Inaccurate,
    };
    // The columns found, written out as evidence records only when a report is read (made at the first one found,
    // and only for reports).
    let mut found: Option<ColumnChunk> = None;
    let keep = ctx.evidence;
    let mut add = |i: usize| {
        if keep {
            found
                .get_or_insert_with(|| ColumnChunk::new(cols.clone(), ctx.point, span, finding))
                .add(i);
        }
    };
    let mut last_window: Option<(Span, Window)> = None;
    for (i, c) in cols.iter().enumerate() {
        if !matches_filter(c, args) {
            continue;
        }
        match def.id {
            FactId::ColumnsCount => n += 1,
            FactId::ColumnsInaccurate => {
                let k = c.inaccurate.unwrap_or(0);
                if k > 0 {
                    n = n.saturating_add(k);
                    add(i);
                }
            }
            FactId::ColumnsBlank => match is_blank(c) {
                Some(true) => {
                    n += 1;
                    add(i);
                }
                Some(false) => {}
                None => unknown += 1,
            },
            FactId::ColumnsStale | FactId::ColumnsOverdue => {
                if def.id == FactId::ColumnsOverdue && !c.should_update {
                    continue;
                }
                let s = match (def.id, c.update_cycle) {
                    (FactId::ColumnsOverdue, Some(cy)) => cy.0,
                    _ => match span {
                        Some(s) => s,
                        None => return to.put(Out::missing("default_cycle")),
                    },
                };
                // Columns mostly share a few cycles: each cycle's window is worked out once.
                let w = match (window, last_window) {
                    (Some(w), _) if def.id == FactId::ColumnsStale => w,
                    (_, Some((ls, lw))) if ls == s => lw,
                    _ => {
                        let w = s.window(ctx.point);
                        last_window = Some((s, w));
                        w
                    }
                };
                match updated_in(dates, i, &w) {
                    Some(false) => {
                        n += 1;
                        add(i);
                    }
                    Some(true) => {}
                    None => unknown += 1,
                }
            }
            _ => {}
        }
    }
    let chunk = found.map(Chunk::Columns);
    let mut o = Out::between(n, n.checked_add(unknown), "columns[].items", chunk);
    o.window = window;
    to.put(o);
}

fn homepage_updates(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let obs = ctx.obs;
    let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
        return to.put(Out::missing("window"));
    };
    let w = span.window(ctx.point);
    let counted = obs.homepage.as_ref().map(|h| h.updates_in_window);
    let nav = obs.site.homepage_navigation_only;
    let counted_out = |n: u64, keep: bool| {
        Out::shared(n, counted_evidence(keep, "homepage.updates_in_window", n)).within(w)
    };
    let Some(cols) = &obs.columns else {
        match counted {
            Some(n) => to.put(counted_out(n, ctx.evidence)),
            None => to.put(Out::missing("columns").within(w)),
        }
        return;
    };
    // The homepage's columns; for a navigation-only homepage the second-level columns that stand in for them
    // (level 1, or no level and not on the homepage).
    let considered = |c: &&Column| {
        if nav {
            c.level == Some(1) || (c.level.is_none() && !c.on_homepage)
        } else {
            on_homepage(c)
        }
    };
    // Sized for every item of the homepage's columns (capped), so that it is not rebuilt as it grows.
    let items: usize = cols
        .iter()
        .filter(considered)
        .map(|c| c.items.as_ref().map_or(0, Vec::len))
        .sum();
    let mut seen: HashSet<(&str, Option<NaiveDate>), Seeded> =
        HashSet::with_capacity_and_hasher(items.min(4096), Seeded::default());
    // Positions of the new items; their evidence records are written only when a report is read.
    let mut picks: Vec<(u32, u32)> = Vec::new();
    // What columns without items could add (`None`: any number), and whether one of them certainly has a new item.
    let mut extra: Option<u64> = Some(0);
    let mut at_least_one = false;
    let mut any_col = false;
    for (ci, c) in cols.iter().enumerate() {
        if !considered(&c) {
            continue;
        }
        level_conflict(c, ci, ctx);
        any_col = true;
        match &c.items {
            Some(items) => {
                for (ii, it) in items.iter().enumerate() {
                    let Some(p) = &it.published else { continue };
                    if !w.contains(p.date) {
                        continue;
                    }
                    let key = match &it.url {
                        Some(u) => (&**u, None),
                        None => (&*it.title, Some(p.date)),
                    };
                    if seen.insert(key)
                        && ctx.evidence
                        && let (Ok(ci), Ok(ii)) = (u32::try_from(ci), u32::try_from(ii))
                    {
                        picks.push((ci, ii));
                    }
                }
            }
            None => {
                // How many of its items could be new: all of them (or any number), less a newest one known to lie
                // outside the window.
                let up_to = |minus: u64| c.item_count.map(|n| n.saturating_sub(minus));
                let could = match &c.last_published {
                    _ if c.blank == Some(true) || c.item_count == Some(0) => Some(0),
                    Some(lp) if lp.date > ctx.point => up_to(1),
                    Some(lp) if lp.date < w.from => Some(0),
                    Some(_) => {
                        at_least_one = true;
                        up_to(0)
                    }
                    None => up_to(0),
                };
                extra = extra.zip(could).and_then(|(a, b)| a.checked_add(b));
            }
        }
    }
    if !any_col {
        if let Some(n) = counted {
            return to.put(counted_out(n, ctx.evidence));
        }
        // Columns are listed but none is known to be on the homepage: that is missing data, never "0 updates".
        ctx.warn(
            "no_homepage_columns",
            "columns".into(),
            if nav {
                "首页为导航页，但未列出二级页面栏目".into()
            } else {
                "未标明任何首页栏目（on_homepage），无法统计首页更新".into()
            },
            if nav {
                "the homepage only navigates but no second-level columns are listed".into()
            } else {
                "no column is marked `on_homepage`, so homepage updates cannot be counted".into()
            },
        );
        return to.put(Out::missing("columns[].on_homepage").within(w));
    }
    // An item shown in several columns counts once, so a column known to have a new item raises the lower end to
    // one rather than adding one.
    let raw = seen.len() as u64;
    let lo = raw.max(u64::from(at_least_one));
    let hi = extra.and_then(|e| raw.checked_add(e));
    if let Some(c) = counted {
        // Raw evidence wins: a count is used where it fits what the columns show, and then fixes the number.
        if c >= lo && hi.is_none_or(|h| c <= h) {
            if hi != Some(lo) {
                return to.put(counted_out(c, ctx.evidence));
            }
        } else {
            let shown = match hi {
                Some(h) if h == lo => lo.to_string(),
                Some(h) => format!("{lo}–{h}"),
                None => format!("≥ {lo}"),
            };
            ctx.warn(
                "counts_mismatch",
                "homepage.updates_in_window".into(),
                format!("首页栏目显示 {shown} 条新信息，与给出的计数 {c} 不符，以原始记录为准"),
                format!("the homepage columns show {shown} new items, the count says {c}: raw wins"),
            );
        }
    }
    let chunk = (!picks.is_empty()).then(|| {
        Chunk::Items(Arc::new(ItemChunk {
            columns: cols.clone(),
            picks,
        }))
    });
    to.put(Out::between(lo, hi, "columns[].items", chunk).within(w));
}

fn channel_of(
    obs: &Observation,
    ch: ChannelId,
) -> Option<Result<&Channel, &crate::model::observation::Consultation>> {
    let i = obs.interaction.as_ref()?;
    match ch {
        ChannelId::Consultation => i.consultation.as_ref().map(Err),
        ChannelId::Survey => i.survey.as_ref().map(Ok),
        ChannelId::Interview => i.interview.as_ref().map(Ok),
    }
}

fn channel(def: &FactDef, ch: ChannelId, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let path = match ch {
        ChannelId::Consultation => "interaction.consultation",
        ChannelId::Survey => "interaction.survey",
        ChannelId::Interview => "interaction.interview",
    };
    let Some(c) = channel_of(ctx.obs, ch) else {
        return to.put(Out::missing(path));
    };
    let (exists, usable) = match c {
        Ok(c) => (c.exists, c.exists && c.usable.unwrap_or(true)),
        Err(c) => (c.exists, c.exists && c.usable.unwrap_or(true)),
    };
    match def.id {
        FactId::Exists(_) => to.put(Out::val(Ok(Val::Bool(exists)))),
        FactId::Usable(_) => to.put(Out::val(Ok(Val::Bool(usable)))),
        _ => {
            let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
                return to.put(Out::missing("window"));
            };
            let w = span.window(ctx.point);
            let Ok(c) = c else {
                return to.put(Out::missing(path));
            };
            if !exists {
                return to.put(Out::n(0, Vec::new()).within(w));
            }
            match &c.activities {
                Some(Activities::Count(n)) => to.put(Out::n(*n, Vec::new()).within(w)),
                Some(Activities::List(list)) => to.put(
                    Out::n(
                        list.iter().filter(|a| w.contains(a.date.date)).count() as u64,
                        Vec::new(),
                    )
                    .within(w),
                ),
                None => to.put(Out::missing(match ch {
                    ChannelId::Survey => "interaction.survey.activities",
                    _ => "interaction.interview.activities",
                })),
            }
        }
    }
}

fn messages(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(c) = ctx.obs.interaction.as_ref().and_then(|i| i.consultation.as_ref()) else {
        return to.put(Out::missing("interaction.consultation"));
    };
    let Some(span) = ctx.span(args.window.as_ref(), def.default_window) else {
        return to.put(Out::missing("window"));
    };
    let w = span.window(ctx.point);
    if !c.exists {
        return to.put(Out::n(0, Vec::new()).within(w));
    }
    let Some(msgs) = &c.messages else {
        let (given, field) = match def.id {
            FactId::ValidMessages => (c.valid_messages, "interaction.consultation.valid_messages"),
            FactId::OverdueMessages => (c.overdue_messages, "interaction.consultation.overdue_messages"),
            _ => (c.answers_in_window, "interaction.consultation.answers_in_window"),
        };
        // Overdue messages are valid messages of the window: each count bounds the other.
        let out = match (given, def.id) {
            (Some(n), _) => Out::shared(n, counted_evidence(ctx.evidence, field, n)),
            (None, FactId::ValidMessages) => match c.overdue_messages {
                Some(o) => Out::between(
                    o,
                    None,
                    field,
                    counted_evidence(ctx.evidence, "interaction.consultation.overdue_messages", o),
                ),
                None => Out::missing(field),
            },
            (None, FactId::OverdueMessages) => match c.valid_messages {
                Some(v) => Out::between(0, Some(v), field, None),
                None => Out::missing(field),
            },
            (None, _) => Out::missing(field),
        };
        return to.put(out.within(w));
    };
    let wait = ctx.span(args.wait.as_ref(), Some("3mo")).map(Span::deadline);
    let point = ctx.point;
    let mut n = 0u64;
    let mut ev = Vec::new();
    for m in msgs.iter().filter(|m| m.valid) {
        match def.id {
            FactId::ValidMessages => n += u64::from(w.contains(m.asked.date)),
            FactId::Answers => n += u64::from(m.answered.as_ref().is_some_and(|a| w.contains(a.date))),
            _ => {
                if !w.contains(m.asked.date) {
                    continue;
                }
                let r = match &m.answered {
                    Some(a) if a.date <= point => a.date,
                    _ => point,
                };
                if wait.is_some_and(|s| s.exceeded(m.asked.date, r)) {
                    n += 1;
                    if ctx.evidence {
                        ev.push(Evidence::OverdueMessage {
                            asked: m.asked.raw.clone(),
                            answered: m.answered.as_ref().map(|a| a.raw.clone()),
                            waited_days: (r - m.asked.date).num_days(),
                            title: m.title.clone(),
                            url: m.url.clone(),
                        });
                    }
                }
            }
        }
    }
    let counted = match def.id {
        FactId::ValidMessages => c.valid_messages,
        FactId::OverdueMessages => c.overdue_messages,
        _ => c.answers_in_window,
    };
    if let Some(g) = counted
        && g != n
    {
        ctx.warn(
            "counts_mismatch",
            "interaction.consultation".into(),
            format!("原始留言记录计得 {n}，与给出的计数 {g} 不符，以原始记录为准"),
            format!("raw messages give {n}, the count says {g}: raw wins"),
        );
    }
    to.put(Out::n(n, ev).within(w));
}

fn services(def: &FactDef, args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(s) = &ctx.obs.services else {
        return to.put(Out::missing("services"));
    };
    let guides = s.guides.as_deref();
    let systems = s.online_systems.as_deref();
    let pick =
        |raw: Option<u64>, counted: Option<u64>, field: &'static str, to: Sink<'_>| match raw.or(counted) {
            Some(n) => to.put(Out::shared(
                n,
                if raw.is_none() {
                    counted_evidence(ctx.evidence, field, n)
                } else {
                    None
                },
            )),
            None => to.put(Out::missing(field)),
        };
    match def.id {
        FactId::Guides => pick(
            guides.map(|g| g.len() as u64),
            s.guide_count,
            "services.guides",
            to,
        ),
        FactId::MissingElements => {
            let Some(gs) = guides else {
                return pick(
                    None,
                    s.missing_element_categories,
                    "services.missing_element_categories",
                    to,
                );
            };
            let mut ev = Vec::new();
            for (el, key, zh) in GUIDE_ELEMENTS {
                if args.elements.as_ref().is_some_and(|f| !f.contains(el)) {
                    continue;
                }
                let lacking: Vec<Arc<str>> = gs
                    .iter()
                    .filter(|g| g.missing_elements.contains(el))
                    .map(|g| g.name.clone())
                    .collect();
                if !lacking.is_empty() {
                    ev.push(Evidence::MissingElement {
                        element: Cow::Borrowed(key),
                        element_zh: Cow::Borrowed(zh),
                        guides: lacking,
                    });
                }
            }
            to.put(Out::n(ev.len() as u64, ev));
        }
        FactId::InaccurateElements => {
            let Some(gs) = guides else {
                return pick(None, s.inaccurate_elements, "services.inaccurate_elements", to);
            };
            let ev: Vec<Evidence> = gs
                .iter()
                .flat_map(|g| {
                    g.inaccurate_elements
                        .iter()
                        .map(move |e| Evidence::InaccurateElement {
                            element: Cow::Borrowed(e.key()),
                            element_zh: Cow::Borrowed(e.zh()),
                            guide: g.name.clone(),
                        })
                })
                .collect();
            to.put(Out::n(ev.len() as u64, ev));
        }
        FactId::AttachmentsNotOffered | FactId::AttachmentsBroken => {
            let broken = def.id == FactId::AttachmentsBroken;
            let Some(gs) = guides else {
                return if broken {
                    pick(None, s.attachments_broken, "services.attachments_broken", to)
                } else {
                    pick(
                        None,
                        s.attachments_not_offered,
                        "services.attachments_not_offered",
                        to,
                    )
                };
            };
            let mut ev = Vec::new();
            let mut n = 0u64;
            for g in gs {
                let t = if broken {
                    &g.attachments_broken
                } else {
                    &g.attachments_not_offered
                };
                if t.count > 0 {
                    n = n.saturating_add(t.count);
                    ev.push(Evidence::Attachment {
                        problem: Cow::Borrowed(if broken { "broken" } else { "not_offered" }),
                        guide: g.name.clone(),
                        count: t.count,
                        items: t.items.clone(),
                    });
                }
            }
            to.put(Out::n(n, ev));
        }
        FactId::OnlineSystems => pick(
            systems.map(|v| v.len() as u64),
            s.online_system_count,
            "services.online_systems",
            to,
        ),
        FactId::OnlineSystemsUnreachable => {
            let Some(sys) = systems else {
                return pick(
                    None,
                    s.online_systems_unreachable,
                    "services.online_systems_unreachable",
                    to,
                );
            };
            let ev: Vec<Evidence> = sys
                .iter()
                .filter(|x| !x.reachable)
                .map(|x| Evidence::UnreachableSystem {
                    name: x.name.clone(),
                    url: x.url.clone(),
                    status: x.status,
                    error: x.error.clone(),
                })
                .collect();
            to.put(Out::n(ev.len() as u64, ev));
        }
        _ => {
            let g = guides.map(|g| g.len() as u64).or(s.guide_count);
            let o = systems.map(|v| v.len() as u64).or(s.online_system_count);
            match (g, o) {
                (Some(a), Some(b)) => to.put(Out::n(a.saturating_add(b), Vec::new())),
                (Some(a), None) | (None, Some(a)) if a > 0 => to.put(Out::n(a, Vec::new())),
                _ => to.put(Out::missing("services.guides")),
            }
        }
    }
}

fn findings(args: &Args, ctx: &mut Ctx<'_>, to: Sink<'_>) {
    let Some(fs) = &ctx.obs.content_findings else {
        return to.put(Out::missing("content_findings"));
    };
    let ev: Vec<Evidence> = fs
        .iter()
        .filter(|f| args.confirmed.is_none_or(|c| c == f.confirmed))
        .filter(|f| args.finding_kinds.as_ref().is_none_or(|k| k.contains(&f.kind)))
        .map(|f| Evidence::ContentFinding {
            finding: Cow::Borrowed(f.kind.key()),
            url: f.url.clone(),
            excerpt: f.excerpt.clone(),
            expected: f.expected.clone(),
            confirmed: f.confirmed,
        })
        .collect();
    to.put(Out::n(ev.len() as u64, ev));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::observation::LinkKind;
    use crate::model::observation::{BrokenLink, StrList};

    fn link(url: &str, page: &str, depth: u32) -> BrokenLink {
        BrokenLink {
            url: Arc::from(url),
            found_on: StrList(Arc::from(vec![Arc::<str>::from(page)])),
            depth,
            kind: LinkKind::Page,
            status: Some(404),
            error: None,
        }
    }

    /// The grouping table agrees with a plain map on lists of every size up to a few thousand links, most of
    /// them repeats (the table grows, probes wrap around its end, and tags collide only by chance).
    #[test]
    fn link_groups_agree_with_a_plain_map() {
        let mut seed = 7u64;
        let mut rand = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for len in [0usize, 1, 2, 3, 7, 8, 9, 100, 300, 1023, 1024, 1025, 3000] {
            let distinct = (len as u64 / 3).max(1);
            let broken: Vec<BrokenLink> = (0..len)
                .map(|_| {
                    let target = rand(distinct);
                    link(
                        &format!("http://t.gov.cn/{target}"),
                        &format!("http://t.gov.cn/p{}", rand(5)),
                        u32::try_from(rand(4)).unwrap(),
                    )
                })
                .collect();
            for occurrence in [false, true] {
                let got = link_groups(&broken, None, false, occurrence);
                // Reference: first index, last index, shallowest depth, and occurrences by place, per target.
                let mut order: Vec<&str> = Vec::new();
                let mut want: std::collections::HashMap<&str, (u32, u32, u32, u64, u64)> =
                    std::collections::HashMap::new();
                for (i, b) in broken.iter().enumerate() {
                    let i = u32::try_from(i).unwrap();
                    let (h, o) = if b.depth == 0 { (1, 0) } else { (0, 1) };
                    want.entry(&b.url)
                        .and_modify(|w| {
                            w.1 = i;
                            w.2 = w.2.min(b.depth);
                            w.3 += h;
                            w.4 += o;
                        })
                        .or_insert_with(|| {
                            order.push(&b.url);
                            (i, i, b.depth, h, o)
                        });
                }
                assert_eq!(got.groups.len(), order.len(), "{len} links");
                for (g, url) in got.groups.iter().zip(&order) {
                    let w = want[url];
                    assert_eq!(&*broken[g.first as usize].url, *url);
                    assert_eq!((g.first, g.last, g.depth), (w.0, w.1, w.2), "{url}");
                    if occurrence {
                        assert_eq!((g.home, g.other), (w.3, w.4), "{url}");
                    } else {
                        assert_eq!((g.home, g.other), if w.2 == 0 { (1, 0) } else { (0, 1) }, "{url}");
                    }
                    // The chain of same-target links runs from the first to the last, in order.
                    let mut at = g.first;
                    let mut seen = 1;
                    while let Some(&n) = got.next.get(at as usize).filter(|&&n| n != u32::MAX) {
                        assert!(n > at);
                        assert_eq!(&*broken[n as usize].url, *url);
                        at = n;
                        seen += 1;
                    }
                    assert_eq!(at, g.last);
                    assert_eq!(seen, broken.iter().filter(|b| &*b.url == *url).count());
                }
            }
        }
    }
}
