//! Compiled packs as bytes (feature `compiled-packs`): a pack already checked and compiled, written out so that a
//! build can embed it and load it without reading or compiling the pack text.
//!
//! The browser's WebAssembly module embeds the built-in packs this way: its build script compiles them with this
//! crate and writes their bytes, and the module decodes them when an engine is built. That keeps the pack reader,
//! the expression compiler and their JSON reading out of the module, and the first engine build runs little code.
//! The bytes are private to one version of this crate (they are made and read by the same source) and are not a
//! file format to store.

use crate::lang::expr::{Expr, Val, Var};
use crate::lang::facts::{self, Args, FactDef, LinkScope, ParamValue, SpanArg, TextArg};
use crate::lang::pack::{
    Case, Compiled, Gate, Indicator, PackData, PackMeta, Param, PointsSpec, Rescale, Rule, RulePack, Seg,
    Steps,
};
use crate::lang::pack::{CaseMeta, IndicatorPath, RuleMeta};
use crate::model::error::{Error, ErrorKind, closest};
use crate::model::observation::{Category, FindingKind, GuideElement, LinkKind};
use crate::model::ratio::{Points, Ratio};
use crate::model::verdict::{RuleKind, Text};
use crate::model::window::{Span, Unit};
use std::sync::Arc;

/// What the bytes start with: the format and the crate version that wrote them.
const MAGIC: &str = concat!("pucha-compiled-pack/1 ", env!("CARGO_PKG_VERSION"));

/// Nesting limit for expressions read back (the compiler allows far less).
const MAX_DEPTH: u32 = 256;

/// Writes values out; with `scoring_only`, leaves out the texts that only describe a pack.
pub(crate) struct Writer(Vec<u8>, bool);

/// Reads values back; every read is checked, so corrupt bytes give `None`, never a panic.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    depth: u32,
}

impl Writer {
    pub(crate) fn u64(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn i128(&mut self, v: i128) {
        // Zigzag, then two 64-bit halves.
        let z = ((v << 1) ^ (v >> 127)) as u128;
        self.u64(z as u64);
        self.u64((z >> 64) as u64);
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    fn i128(&mut self) -> Option<i128> {
        let z = u128::from(self.u64()?) | (u128::from(self.u64()?) << 64);
        Some(((z >> 1) as i128) ^ -((z & 1) as i128))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.usize()?;
        if n > self.bytes.len() {
            return None;
        }
        let (s, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        std::str::from_utf8(s).ok()
    }
    /// A list length, no longer than the bytes left could hold (corrupt lengths allocate nothing).
    fn len(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.bytes.len()).then_some(n)
    }
}

/// A value that round-trips through the bytes.
pub(crate) trait Bin: Sized {
    fn put(&self, w: &mut Writer);
    fn get(r: &mut Reader<'_>) -> Option<Self>;
}

impl Bin for bool {
    fn put(&self, w: &mut Writer) {
        w.u8(u8::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        match r.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Bin for u32 {
    fn put(&self, w: &mut Writer) {
        w.u64(u64::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        u32::try_from(r.u64()?).ok()
    }
}

impl Bin for u64 {
    fn put(&self, w: &mut Writer) {
        w.u64(*self);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        r.u64()
    }
}

impl Bin for usize {
    fn put(&self, w: &mut Writer) {
        w.u64(*self as u64);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        r.usize()
    }
}

impl Bin for Arc<str> {
    fn put(&self, w: &mut Writer) {
        w.str(self);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        r.str().map(Arc::from)
    }
}

impl Bin for String {
    fn put(&self, w: &mut Writer) {
        w.str(self);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        r.str().map(String::from)
    }
}

impl<T: Bin> Bin for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        match r.u8()? {
            0 => Some(None),
            1 => T::get(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Bin> Bin for Vec<T> {
    fn put(&self, w: &mut Writer) {
        w.u64(self.len() as u64);
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(T::get(r)?);
        }
        Some(out)
    }
}

impl<T: Bin> Bin for Box<T> {
    fn put(&self, w: &mut Writer) {
        (**self).put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        T::get(r).map(Box::new)
    }
}

impl<A: Bin, B: Bin> Bin for (A, B) {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Some((A::get(r)?, B::get(r)?))
    }
}

impl Bin for [Arc<str>; 2] {
    fn put(&self, w: &mut Writer) {
        self[0].put(w);
        self[1].put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Some([Arc::get(r)?, Arc::get(r)?])
    }
}

impl Bin for Ratio {
    fn put(&self, w: &mut Writer) {
        w.i128(self.numer());
        w.i128(self.denom());
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Ratio::new(r.i128()?, r.i128()?)
    }
}

impl Bin for Points {
    fn put(&self, w: &mut Writer) {
        w.i128(i128::from(self.tenths()));
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        i64::try_from(r.i128()?).ok().map(Points::from_tenths)
    }
}

impl Bin for &'static FactDef {
    fn put(&self, w: &mut Writer) {
        w.str(self.name);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        facts::lookup_for_scoring(r.str()?)
    }
}

/// Unit enums as their position in a fixed list.
macro_rules! bin_enum {
    ($($ty:ty => [$($v:path),+ $(,)?];)+) => {$(
        impl Bin for $ty {
            fn put(&self, w: &mut Writer) {
                // Every variant must be listed: this match stops compiling when one is added.
                match self {
                    $($v)|+ => {}
                }
                const ALL: &[$ty] = &[$($v),+];
                w.u8(ALL.iter().position(|v| v == self).unwrap_or(0) as u8);
            }
            fn get(r: &mut Reader<'_>) -> Option<Self> {
                const ALL: &[$ty] = &[$($v),+];
                ALL.get(usize::from(r.u8()?)).copied()
            }
        }
    )+};
}

bin_enum! {
    RuleKind => [RuleKind::Veto, RuleKind::Deduction, RuleKind::Bonus];
    Unit => [Unit::Day, Unit::Week, Unit::Month, Unit::Year];
    facts::Unit => [facts::Unit::Count, facts::Unit::Rate, facts::Unit::Flag, facts::Unit::Text];
    LinkScope => [LinkScope::Homepage, LinkScope::Other, LinkScope::All];
    LinkKind => [LinkKind::Page, LinkKind::Image, LinkKind::Attachment, LinkKind::External];
    FindingKind => [FindingKind::SeriousTypo, FindingKind::FalseContent, FindingKind::ProhibitedContent];
    Category => [
        Category::Organization, Category::Dynamics, Category::Notice, Category::Policy, Category::Plan,
        Category::Personnel, Category::Consultation, Category::Survey, Category::Interview, Category::Guide,
        Category::OnlineSystem, Category::Other,
    ];
    GuideElement => [
        GuideElement::Name, GuideElement::Basis, GuideElement::Conditions, GuideElement::Materials,
        GuideElement::Location, GuideElement::Hours, GuideElement::Phone, GuideElement::Process,
    ];
}

/// Structs field by field, in declaration order.
macro_rules! bin_struct {
    ($($ty:ident { $($f:ident),+ $(,)? })+) => {$(
        impl Bin for $ty {
            fn put(&self, w: &mut Writer) {
                let $ty { $($f),+ } = self;
                $($f.put(w);)+
            }
            fn get(r: &mut Reader<'_>) -> Option<Self> {
                $(let $f = Bin::get(r)?;)+
                Some($ty { $($f),+ })
            }
        }
    )+};
}

bin_struct! {
    Text { zh, en }
    Span { n, unit }
    IndicatorPath { id, zh, en }
    CaseMeta { label, when }
    Compiled { src, expr }
    Case { label, when, points }
    Indicator { id, title, cap }
    Gate { when, cap, label }
    Rescale { when, exclude, factor, label }
    Args {
        window, wait, default_cycle, categories, names, level, on_homepage, scope, count, link_kinds,
        finding_kinds, confirmed, timeout_ms, elements,
    }
    RuleMeta { title, indicator, checkpoint, criteria, clause, confidence, measures, cases, cap, measure_ix, explain }
    PackData { meta, base, fail_above, fail_below, bonus, rescale, indicators, rules, measures, case_count }
}

/// What a parameter sets is left out of packs written only for scoring.
impl Bin for Param {
    fn put(&self, w: &mut Writer) {
        let Param {
            name,
            value,
            allowed,
            doc,
        } = self;
        name.put(w);
        value.put(w);
        allowed.put(w);
        doc.as_ref().filter(|_| !w.1).cloned().put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Some(Param {
            name: Bin::get(r)?,
            value: Bin::get(r)?,
            allowed: Bin::get(r)?,
            doc: Bin::get(r)?,
        })
    }
}

/// The pack's source, description and missing parts are left out of packs written only for scoring.
impl Bin for PackMeta {
    fn put(&self, w: &mut Writer) {
        let PackMeta {
            id,
            version,
            title,
            source,
            description,
            completeness,
            missing,
        } = self;
        let describe = !w.1;
        id.put(w);
        version.put(w);
        title.put(w);
        source.as_ref().filter(|_| describe).cloned().put(w);
        description.as_ref().filter(|_| describe).cloned().put(w);
        completeness.put(w);
        if describe {
            missing.put(w)
        } else {
            Vec::<String>::new().put(w)
        }
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Some(PackMeta {
            id: Bin::get(r)?,
            version: Bin::get(r)?,
            title: Bin::get(r)?,
            source: Bin::get(r)?,
            description: Bin::get(r)?,
            completeness: Bin::get(r)?,
            missing: Bin::get(r)?,
        })
    }
}

/// A rule's texts are its meta's (the compiler shares them), so they are written once.
impl Bin for Rule {
    fn put(&self, w: &mut Writer) {
        let Rule {
            id,
            kind,
            indicator,
            title: _,
            checkpoint: _,
            criteria: _,
            clause: _,
            confidence: _,
            measures,
            applies,
            review,
            first,
            cap,
            veto_instead,
            meta,
            cases,
        } = self;
        id.put(w);
        kind.put(w);
        indicator.put(w);
        measures.put(w);
        applies.put(w);
        review.put(w);
        first.put(w);
        cap.put(w);
        veto_instead.put(w);
        meta.put(w);
        cases.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        let (id, kind, indicator) = (Bin::get(r)?, Bin::get(r)?, Bin::get(r)?);
        let (measures, applies, review, first, cap) = (
            Bin::get(r)?,
            Bin::get(r)?,
            Bin::get(r)?,
            Bin::get(r)?,
            Bin::get(r)?,
        );
        let veto_instead = Bin::get(r)?;
        let meta: Arc<RuleMeta> = Bin::get(r)?;
        Some(Rule {
            id,
            kind,
            indicator,
            title: meta.title.clone(),
            checkpoint: meta.checkpoint.clone(),
            criteria: meta.criteria.clone(),
            clause: meta.clause.clone(),
            confidence: meta.confidence.clone(),
            measures,
            applies,
            review,
            first,
            cap,
            veto_instead,
            meta,
            cases: Bin::get(r)?,
        })
    }
}

impl<T: Bin> Bin for Arc<T> {
    fn put(&self, w: &mut Writer) {
        (**self).put(w);
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        T::get(r).map(Arc::new)
    }
}

/// Enums with data: a tag, then the fields.
macro_rules! bin_tagged {
    ($ty:ident { $($tag:literal => $v:ident $(($($f:ident),+))?),+ $(,)? }) => {
        impl Bin for $ty {
            fn put(&self, w: &mut Writer) {
                match self {
                    $($ty::$v $(($($f),+))? => {
                        w.u8($tag);
                        $($($f.put(w);)+)?
                    })+
                }
            }
            fn get(r: &mut Reader<'_>) -> Option<Self> {
                match r.u8()? {
                    $($tag => Some($ty::$v $(($({
                        let $f = Bin::get(r)?;
                        $f
                    }),+))?),)+
                    _ => None,
                }
            }
        }
    };
}

bin_tagged!(SpanArg { 0 => Lit(a), 1 => Param(a) });
bin_tagged!(TextArg { 0 => Lit(a), 1 => Param(a) });
bin_tagged!(Steps { 0 => Linear, 1 => Whole, 2 => Param(a) });
bin_tagged!(Seg { 0 => Lit(a), 1 => Measure(a) });
bin_tagged!(ParamValue { 0 => Num(a), 1 => Text(a), 2 => Bool(a), 3 => Span(a) });
bin_tagged!(Val { 0 => Num(a), 1 => Bool(a), 2 => Str(a) });
bin_tagged!(Var { 0 => Measure(a), 1 => Param(a), 2 => Context(a) });

impl Bin for PointsSpec {
    fn put(&self, w: &mut Writer) {
        match self {
            PointsSpec::None => w.u8(0),
            PointsSpec::Fixed(r) => {
                w.u8(1);
                r.put(w);
            }
            PointsSpec::Expr(e) => {
                w.u8(2);
                e.put(w);
            }
            PointsSpec::Each {
                count,
                unit,
                per,
                steps,
            } => {
                w.u8(3);
                count.put(w);
                unit.put(w);
                per.put(w);
                steps.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        Some(match r.u8()? {
            0 => PointsSpec::None,
            1 => PointsSpec::Fixed(Bin::get(r)?),
            2 => PointsSpec::Expr(Bin::get(r)?),
            3 => PointsSpec::Each {
                count: Bin::get(r)?,
                unit: Bin::get(r)?,
                per: Bin::get(r)?,
                steps: Bin::get(r)?,
            },
            _ => return None,
        })
    }
}

impl Bin for Expr {
    fn put(&self, w: &mut Writer) {
        let tag = match self {
            Expr::Lit(_) => 0,
            Expr::Var(_) => 1,
            Expr::Neg(_) => 2,
            Expr::Not(_) => 3,
            Expr::And(..) => 4,
            Expr::Or(..) => 5,
            Expr::Cmp(..) => 6,
            Expr::Arith(..) => 7,
            Expr::If(..) => 8,
            Expr::Min(_) => 9,
            Expr::Max(_) => 10,
            Expr::Floor(_) => 11,
        };
        w.u8(tag);
        match self {
            Expr::Lit(v) => v.put(w),
            Expr::Var(v) => v.put(w),
            Expr::Neg(a) | Expr::Not(a) | Expr::Floor(a) => a.put(w),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.put(w);
                b.put(w);
            }
            Expr::Cmp(op, a, b) => {
                w.u8(op.code());
                a.put(w);
                b.put(w);
            }
            Expr::Arith(op, a, b) => {
                w.u8(op.code());
                a.put(w);
                b.put(w);
            }
            Expr::If(c, a, b) => {
                c.put(w);
                a.put(w);
                b.put(w);
            }
            Expr::Min(es) | Expr::Max(es) => es.put(w),
        }
    }
    fn get(r: &mut Reader<'_>) -> Option<Self> {
        if r.depth >= MAX_DEPTH {
            return None;
        }
        r.depth += 1;
        let e = (|| {
            Some(match r.u8()? {
                0 => Expr::Lit(Bin::get(r)?),
                1 => Expr::Var(Bin::get(r)?),
                2 => Expr::Neg(Bin::get(r)?),
                3 => Expr::Not(Bin::get(r)?),
                4 => Expr::And(Bin::get(r)?, Bin::get(r)?),
                5 => Expr::Or(Bin::get(r)?, Bin::get(r)?),
                6 => Expr::Cmp(
                    crate::lang::expr::CmpOp::from_code(r.u8()?)?,
                    Bin::get(r)?,
                    Bin::get(r)?,
                ),
                7 => Expr::Arith(
                    crate::lang::expr::ArithOp::from_code(r.u8()?)?,
                    Bin::get(r)?,
                    Bin::get(r)?,
                ),
                8 => Expr::If(Bin::get(r)?, Bin::get(r)?, Bin::get(r)?),
                9 => Expr::Min(Bin::get(r)?),
                10 => Expr::Max(Bin::get(r)?),
                11 => Expr::Floor(Bin::get(r)?),
                _ => return None,
            })
        })();
        r.depth -= 1;
        e
    }
}

impl RulePack {
    /// This pack, compiled, as bytes that [`RulePack::from_compiled`] of the same crate version reads back
    /// (parameters at their current values). Built-in packs only keep their name as their origin.
    pub fn to_compiled(&self) -> Vec<u8> {
        self.write_compiled(false)
    }

    /// [`RulePack::to_compiled`] without the texts that only describe the pack — its source, description and
    /// missing parts, and what each parameter sets — which scoring never shows: the browser's main WebAssembly
    /// module, which neither describes packs nor writes text reports, embeds its packs this way.
    pub fn to_compiled_for_scoring(&self) -> Vec<u8> {
        self.write_compiled(true)
    }

    fn write_compiled(&self, scoring_only: bool) -> Vec<u8> {
        let mut w = Writer(Vec::new(), scoring_only);
        w.str(MAGIC);
        self.data.put(&mut w);
        self.params.to_vec().put(&mut w);
        w.0
    }

    /// A pack from bytes made by [`RulePack::to_compiled`] (a built-in pack embedded at build time), named
    /// `origin`.
    ///
    /// # Errors
    /// `invalid_value` when the bytes were not made by this version of the crate or are damaged.
    pub fn from_compiled(bytes: &[u8], origin: &str) -> Result<RulePack, Error> {
        let mut r = Reader { bytes, depth: 0 };
        let read = (|| {
            if r.str()? != MAGIC {
                return None;
            }
            let data: PackData = Bin::get(&mut r)?;
            let params: Vec<Param> = Bin::get(&mut r)?;
            r.bytes.is_empty().then_some((data, params))
        })();
        match read {
            Some((data, params)) => Ok(RulePack::from_parts(data, params, origin)),
            None => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("compiled pack `{origin}` does not read: it was made by another version of pucha, or damaged"),
            )
            .with_file(origin)),
        }
    }

    /// The pack `name` from a table of compiled packs (`(name, bytes)`), with the closest name suggested when
    /// there is none.
    ///
    /// # Errors
    /// `unknown_pack`, or as [`RulePack::from_compiled`].
    pub fn from_compiled_table(name: &str, table: &[(&str, &[u8])]) -> Result<RulePack, Error> {
        match table.iter().find(|(n, _)| *n == name) {
            Some((n, bytes)) => RulePack::from_compiled(bytes, n),
            None => {
                let e = Error::new(ErrorKind::UnknownPack, format!("no built-in pack `{name}`"));
                let names = || table.iter().map(|(n, _)| *n);
                Err(match closest(name, names()) {
                    Some(c) => e.with_help(format!("did you mean `{c}`?")),
                    None => e.with_help(format!(
                        "built-in packs: {}",
                        names().collect::<Vec<_>>().join(", ")
                    )),
                })
            }
        }
    }
}

#[cfg(test)]
#[cfg(all(feature = "builtin-packs", feature = "toml-packs"))]
mod tests {
    use super::*;
    use crate::{Engine, Observation};

    fn packs() -> Vec<RulePack> {
        let mut out: Vec<RulePack> = pucha_rules::available()
            .map(|n| RulePack::builtin(n).unwrap())
            .collect();
        let mut p = RulePack::builtin("census-2015").unwrap();
        p.set_param("proration", "whole-percent").unwrap();
        p.set_param("link_count", "occurrence").unwrap();
        out.push(p);
        // The users' packs of the shared vectors that load.
        for entry in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/custom")).unwrap()
        {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let tomls = v["cases"]
                .as_array()
                .into_iter()
                .flatten()
                .chain([&v])
                .filter_map(|c| c["pack"]["toml"].as_str());
            out.extend(tomls.filter_map(|t| RulePack::from_toml_str(t, "vector").ok()));
        }
        assert!(out.len() > 4);
        out
    }

    #[test]
    fn compiled_packs_read_back_as_they_were() {
        let obs: Vec<Observation> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/observations"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .map(|p| Observation::from_json_str(&std::fs::read_to_string(p).unwrap()).unwrap())
                .collect();
        assert!(obs.len() >= 5);
        for pack in packs() {
            let back = RulePack::from_compiled(&pack.to_compiled(), pack.origin()).unwrap();
            // Everything but the TOML text a pack from a file keeps.
            assert_eq!(
                format!("{:?}", back.data),
                format!("{:?}", pack.data),
                "{}",
                pack.origin()
            );
            assert_eq!(format!("{:?}", back.params), format!("{:?}", pack.params));
            let (a, b) = (Engine::new(pack.clone()), Engine::new(back));
            for o in &obs {
                assert_eq!(a.score(o).to_json(), b.score(o).to_json());
            }
        }
    }

    #[test]
    fn packs_for_scoring_score_the_same_without_their_descriptions() {
        let obs: Vec<Observation> = crate::test_support::observation_values(&["examples/observations"])
            .into_iter()
            .filter_map(|v| Observation::from_json_value(v).ok())
            .collect();
        assert!(obs.len() >= 5);
        for pack in packs() {
            let lean = pack.to_compiled_for_scoring();
            assert!(lean.len() < pack.to_compiled().len() || pack.meta().description.is_none());
            let back = RulePack::from_compiled(&lean, pack.origin()).unwrap();
            let m = back.meta();
            assert!(m.description.is_none() && m.source.is_none() && m.missing.is_empty());
            assert!(back.params().iter().all(|p| p.doc.is_none()));
            assert_eq!((&m.id, &m.title.zh), (&pack.meta().id, &pack.meta().title.zh));
            let (a, b) = (Engine::new(pack.clone()), Engine::new(back));
            for o in &obs {
                assert_eq!(a.score(o).to_json(), b.score(o).to_json());
            }
        }
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let bytes = RulePack::builtin("census-2015").unwrap().to_compiled();
        let e = RulePack::from_compiled(&bytes[..bytes.len() / 2], "census-2015").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidValue);
        assert!(
            e.message().contains("compiled pack `census-2015`"),
            "{}",
            e.message()
        );
        // Every truncation, and each byte flipped, either reads or fails cleanly.
        for cut in (0..bytes.len()).step_by(97) {
            let _ = RulePack::from_compiled(&bytes[..cut], "x");
        }
        for i in (0..bytes.len()).step_by(13) {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let _ = RulePack::from_compiled(&b, "x");
        }
        let mut other = bytes.clone();
        other[0] = b'q';
        assert!(RulePack::from_compiled(&other, "x").is_err());
    }

    #[test]
    fn tables_name_the_closest_pack() {
        let bytes = RulePack::builtin("census-2015").unwrap().to_compiled();
        let table: &[(&str, &[u8])] = &[("census-2015", &bytes)];
        assert_eq!(
            RulePack::from_compiled_table("census-2015", table)
                .unwrap()
                .meta()
                .id
                .as_ref(),
            "census-2015"
        );
        let e = RulePack::from_compiled_table("census-2051", table).unwrap_err();
        assert_eq!(
            (e.kind(), e.help()),
            (ErrorKind::UnknownPack, Some("did you mean `census-2015`?"))
        );
    }
}
