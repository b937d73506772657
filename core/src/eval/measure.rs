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

mod availability;
mod columns;
mod interaction;
mod links;
mod services;

use availability::{AvailKey, AvailScan, availability};
use columns::{columns, homepage_updates};
use interaction::{channel, messages};
use links::links;
use services::{findings, services};

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
