//! The report contract `pucha.report/1`: verdict, vetoes, each rule with its points and evidence.

use crate::eval::evidence::EvidenceList;
use crate::eval::measure::MeasureOutcome;
use crate::lang::expr::Val;
use crate::lang::facts::Unit;
use crate::lang::pack::{RuleMeta, Seg};
use crate::model::observation::Site;
use crate::model::ratio::{Points, Ratio};
pub use crate::model::verdict::{Lang, RuleKind, Status, Text, Verdict, VerdictBasis, Warning};
use crate::model::window::Window;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The schema tag of reports.
pub const REPORT_SCHEMA: &str = "pucha.report/1";

/// How one case of a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseOutcome {
    /// Whether its condition held; `None` when facts were missing.
    pub matched: Option<bool>,
    /// Points it gave.
    pub points: Points,
}

crate::eval::recycle::reused!(CaseOutcome);

/// A one-line explanation in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Explanation {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The measure and case outcomes of one evaluation, each list in one allocation and shared by all the rule results
/// of a report (instead of two small vectors per rule).
#[derive(Debug, Clone)]
pub(crate) struct Outcomes {
    /// The pack that was scored with: rule ids, metadata and conditions are read from it, not copied.
    pub(crate) pack: PackRef,
    /// Every measure of the pack as evaluated, by its index in the pack.
    pub(crate) measures: Vec<crate::eval::measure::Measured>,
    /// The evaluated cases of every rule, rule after rule.
    pub(crate) cases: Vec<CaseOutcome>,
}

/// The measure and case lists' room is kept for the next score on the thread that drops the report.
impl Drop for Outcomes {
    fn drop(&mut self) {
        crate::eval::recycle::keep(std::mem::take(&mut self.measures));
        crate::eval::recycle::keep(std::mem::take(&mut self.cases));
    }
}

/// A shared reference to a compiled pack, printed by its id (not its whole contents) in debug output.
#[derive(Clone)]
pub(crate) struct PackRef(pub(crate) Arc<crate::lang::pack::PackData>);

impl std::fmt::Debug for PackRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackRef({})", self.0.meta.id)
    }
}

/// Which condition decided a rule: its `applies` condition or the `when` of one of its cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decider {
    /// Nothing decided it by a condition.
    None,
    /// The rule's `applies` condition (false: not applicable).
    Applies,
    /// The `when` of this case.
    Case(u32),
    /// The veto the pack names in this deduction's place fired (`veto_instead`).
    VetoInstead,
}

/// What one rule decided, as a report stores it: status, points, evidence. Read it through [`RuleResult`] (what
/// iterating [`Report::rules`] gives), which adds everything the pack states and the measure and case outcomes the
/// report's rules share.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    /// veto / deduction / bonus.
    pub kind: RuleKind,
    /// Outcome.
    pub status: Status,
    /// Points after the rule's cap (0 when none): the points certain whatever the missing data hold.
    pub points: Points,
    /// The most the rule could give once the missing data are known (`None`: no bound); equal to `points` when the
    /// rule is decided.
    pub points_max: Option<Points>,
    /// Whether the points count toward the total (false after a veto or an unmet gate).
    pub counted: bool,
    /// Where this rule's cases start in the report's case outcomes, and how many were evaluated.
    pub(crate) cases_at: (u32, u32),
    /// The decisive condition (read it with [`RuleResult::threshold`]).
    pub(crate) decider: Decider,
    /// Observation facts that were missing.
    pub missing: Vec<&'static str>,
    /// How many items need a person's review.
    pub review: u64,
}

crate::eval::recycle::reused!(RuleRecord);

/// Every rule's result in a report, in pack order, with what the results share: the pack (ids, metadata,
/// conditions) and the evaluation's measure and case outcomes. Nothing shared is copied into each rule's result,
/// so building and dropping a report moves no reference counts per rule.
#[derive(Debug, Clone)]
pub struct Rules {
    pub(crate) records: Vec<RuleRecord>,
    pub(crate) shared: Outcomes,
}

/// The record list's room is kept for the next score on the thread that drops the report.
impl Drop for Rules {
    fn drop(&mut self) {
        crate::eval::recycle::keep(std::mem::take(&mut self.records));
    }
}

impl Rules {
    /// Each rule's result, in pack order.
    pub fn iter(&self) -> RuleIter<'_> {
        RuleIter {
            records: self.records.iter().zip(self.shared.pack.0.rules.iter()),
            shared: &self.shared,
        }
    }

    /// The `i`-th rule's result.
    pub fn get(&self, i: usize) -> Option<RuleResult<'_>> {
        let (record, rule) = self.records.get(i).zip(self.shared.pack.0.rules.get(i))?;
        Some(RuleResult {
            record,
            rule,
            shared: &self.shared,
        })
    }

    /// How many rules.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// `rules[i]`: what the `i`-th rule decided (its status, points, evidence); [`Rules::get`] gives its full result.
impl std::ops::Index<usize> for Rules {
    type Output = RuleRecord;
    fn index(&self, i: usize) -> &RuleRecord {
        &self.records[i]
    }
}

impl<'a> IntoIterator for &'a Rules {
    type Item = RuleResult<'a>;
    type IntoIter = RuleIter<'a>;
    fn into_iter(self) -> RuleIter<'a> {
        self.iter()
    }
}

/// The rule results of a report, in pack order ([`Rules::iter`]).
#[derive(Debug, Clone)]
pub struct RuleIter<'a> {
    /// Each record with the pack's rule (a report has one record per rule of its pack, in pack order).
    records: std::iter::Zip<std::slice::Iter<'a, RuleRecord>, std::slice::Iter<'a, crate::lang::pack::Rule>>,
    shared: &'a Outcomes,
}

impl<'a> Iterator for RuleIter<'a> {
    type Item = RuleResult<'a>;
    fn next(&mut self) -> Option<RuleResult<'a>> {
        let shared = self.shared;
        self.records
            .next()
            .map(|(record, rule)| RuleResult { record, rule, shared })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl DoubleEndedIterator for RuleIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let shared = self.shared;
        self.records
            .next_back()
            .map(|(record, rule)| RuleResult { record, rule, shared })
    }
}

impl ExactSizeIterator for RuleIter<'_> {}

impl Serialize for Rules {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The evaluated result of one rule: what this observation decided ([`RuleRecord`], its fields read through this
/// view) with everything the pack states (id, [`RuleMeta`], conditions) and the rule's measure and case outcomes.
/// The explanation is written when it is asked for (`explanation()`, JSON, text), not on every score. The JSON form
/// has the fields of the report contract.
#[derive(Clone, Copy)]
pub struct RuleResult<'a> {
    record: &'a RuleRecord,
    rule: &'a crate::lang::pack::Rule,
    shared: &'a Outcomes,
}

impl std::ops::Deref for RuleResult<'_> {
    type Target = RuleRecord;
    fn deref(&self) -> &RuleRecord {
        self.record
    }
}

impl std::fmt::Debug for RuleResult<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleResult")
            .field("id", &self.id())
            .field("record", self.record)
            .finish()
    }
}

impl<'a> RuleResult<'a> {
    /// Rule id.
    pub fn id(&self) -> &'a str {
        &self.rule.id
    }

    /// The rule id as the pack shares it.
    pub(crate) fn id_arc(&self) -> Arc<str> {
        self.rule.id.clone()
    }

    /// Title, indicator path, 考察点, 扣分细则, clause, confidence, measure names and cases.
    pub fn meta(&self) -> &'a RuleMeta {
        &self.rule.meta
    }

    /// The decisive condition, as written in the pack.
    pub fn threshold(&self) -> Option<&'a str> {
        match self.record.decider {
            Decider::None | Decider::VetoInstead => None,
            Decider::Applies => self.rule.applies.as_ref().map(|a| &*a.src),
            Decider::Case(i) => self.rule.cases.get(i as usize)?.when.as_ref().map(|w| &*w.src),
        }
    }

    /// Each measure's outcome, parallel to `meta().measures`.
    pub fn measures(&self) -> impl Iterator<Item = &'a MeasureOutcome> + 'a {
        let shared = self.shared;
        self.meta()
            .measure_ix
            .iter()
            .filter_map(move |&g| shared.measures.get(g).map(|m| &m.outcome))
    }

    /// The outcome of the rule's `i`-th measure.
    fn measure_at(&self, i: usize) -> Option<&'a MeasureOutcome> {
        let shared = self.shared;
        self.meta()
            .measure_ix
            .get(i)
            .and_then(|&g| shared.measures.get(g).map(|m| &m.outcome))
    }

    /// Each evaluated case's outcome, parallel to `meta().cases` (cases after the deciding one of a `first` rule
    /// are not evaluated and not listed).
    pub fn cases(&self) -> &'a [CaseOutcome] {
        let (at, n) = (self.cases_at.0 as usize, self.cases_at.1 as usize);
        self.shared.cases.get(at..at + n).unwrap_or(&[])
    }

    /// The observed value of measure `name` as JSON (`null` when missing); `None` if the rule has no such measure.
    pub fn observed(&self, name: &str) -> Option<serde_json::Value> {
        let i = self.meta().measures.iter().position(|(n, _)| &**n == name)?;
        Some(
            self.measure_at(i)
                .and_then(|m| m.value.as_ref())
                .map_or(serde_json::Value::Null, json_value),
        )
    }

    /// Evidence behind the points, for applied, review and no-data rules (none for the others): the evidence of
    /// the rule's measures, in their order, each list once.
    pub fn evidence(&self) -> EvidenceList<'a> {
        if !matches!(
            self.status,
            Status::Applied | Status::NeedsReview | Status::NoData
        ) {
            return EvidenceList::default();
        }
        let shared = self.shared;
        EvidenceList::gather(
            self.rule
                .measures
                .iter()
                .filter_map(move |(_, g)| shared.measures.get(*g)?.evidence.as_ref()),
        )
    }

    /// The first window the rule used.
    pub fn window(&self) -> Option<Window> {
        self.measures().find_map(|m| m.window)
    }

    /// The labels of the cases that held (for a veto: the clauses that fired).
    pub fn matched_labels(&self) -> impl Iterator<Item = &'a Text> + 'a {
        self.meta()
            .cases
            .iter()
            .zip(self.cases())
            .filter(|(_, o)| o.matched == Some(true))
            .map(|(m, _)| &m.label)
    }

    /// A one-line explanation: what decided the rule, then the rule's own `explain` text with its values.
    pub fn explanation(&self) -> Explanation {
        let mut zh = String::with_capacity(96);
        let mut en = String::with_capacity(96);
        match self.status {
            Status::Applied if self.kind == RuleKind::Veto => {
                zh.push_str("单项否决：");
                en.push_str("veto: ");
                for (i, l) in self.matched_labels().enumerate() {
                    if i > 0 {
                        zh.push('；');
                        en.push_str("; ");
                    }
                    zh.push_str(&l.zh);
                    en.push_str(&l.en);
                }
            }
            Status::Applied => {
                zh.push_str("扣 ");
                self.points.push_to(&mut zh);
                zh.push_str(" 分：");
                self.points.push_to(&mut en);
                en.push_str(" points: ");
                let mut first = true;
                for (m, c) in self
                    .meta()
                    .cases
                    .iter()
                    .zip(self.cases())
                    .filter(|(_, c)| !c.points.is_zero())
                {
                    if !first {
                        zh.push('；');
                        en.push_str("; ");
                    }
                    first = false;
                    zh.push_str(&m.label.zh);
                    zh.push('（');
                    c.points.push_to(&mut zh);
                    zh.push_str("分）");
                    en.push_str(&m.label.en);
                    en.push_str(" (");
                    c.points.push_to(&mut en);
                    en.push_str(if c.points == Points::from_tenths(10) {
                        " point)"
                    } else {
                        " points)"
                    });
                }
                if self.meta().cap == Some(self.points) {
                    zh.push_str("，已达上限");
                    en.push_str(", capped");
                }
            }
            Status::Passed => {
                zh.push_str("未发现问题");
                en.push_str("nothing found");
            }
            Status::NotApplicable if self.decider == Decider::VetoInstead => {
                let veto = self
                    .rule
                    .veto_instead
                    .and_then(|v| self.shared.pack.0.rules.get(v));
                zh.push_str("以单项否决代替");
                en.push_str("veto instead");
                if let Some(v) = veto {
                    zh.push('（');
                    zh.push_str(&v.title.zh);
                    zh.push_str("），本项不扣分");
                    en.push_str(" (");
                    en.push_str(&v.title.en);
                    en.push_str("): no points here");
                }
            }
            Status::NotApplicable => {
                zh.push_str("不适用");
                en.push_str("not applicable");
            }
            Status::NoData => {
                if self.kind == RuleKind::Veto {
                    zh.push_str("可能触发单项否决，");
                    en.push_str("the veto may apply; ");
                } else if self.points_max != Some(self.points) {
                    zh.push_str("已确定扣 ");
                    self.points.push_to(&mut zh);
                    en.push_str("certain ");
                    self.points.push_to(&mut en);
                    match self.points_max {
                        Some(m) => {
                            zh.push_str(" 分，最多 ");
                            m.push_to(&mut zh);
                            zh.push_str(" 分，");
                            en.push_str(" points, at most ");
                            m.push_to(&mut en);
                            en.push_str("; ");
                        }
                        None => {
                            zh.push_str(" 分，上限未知，");
                            en.push_str(" points, no known limit; ");
                        }
                    }
                }
                zh.push_str("缺少数据：");
                en.push_str("missing data: ");
                zh.push_str(&self.missing.join("、"));
                en.push_str(&self.missing.join(", "));
            }
            Status::NeedsReview => {
                crate::model::ratio::push_int(&mut zh, i64::try_from(self.review).unwrap_or(i64::MAX));
                zh.push_str(" 项待人工复核");
                zh.insert_str(0, "有 ");
                crate::model::ratio::push_int(&mut en, i64::try_from(self.review).unwrap_or(i64::MAX));
                en.push_str(" item(s) need a person's review");
            }
        }
        if let Some((tz, te)) = &self.meta().explain {
            zh.push('。');
            en.push_str(". ");
            self.fill(&mut zh, tz);
            self.fill(&mut en, te);
        }
        Explanation { zh, en }
    }

    fn fill(&self, out: &mut String, t: &[Seg]) {
        for seg in t {
            match seg {
                Seg::Lit(s) => out.push_str(s),
                Seg::Measure(i) => {
                    let unit = self.meta().measures.get(*i).map_or(Unit::Count, |(_, u)| *u);
                    match self.measure_at(*i).and_then(|m| m.value.as_ref()) {
                        Some(v) => push_value(out, v, unit),
                        None => out.push('—'),
                    }
                }
            }
        }
    }
}

impl Serialize for RuleResult<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Pairs<'a, T>(&'a RuleResult<'a>, fn(&MeasureOutcome) -> Option<T>);
        impl<T: Serialize> Serialize for Pairs<'_, T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                for ((name, _), o) in self.0.meta().measures.iter().zip(self.0.measures()) {
                    if let Some(v) = (self.1)(o) {
                        m.serialize_entry(&**name, &v)?;
                    }
                }
                m.end()
            }
        }
        struct Cases<'a>(&'a RuleResult<'a>);
        impl Serialize for Cases<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #[derive(Serialize)]
                struct Case<'a> {
                    label: &'a Text,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    when: Option<&'a str>,
                    matched: Option<bool>,
                    points: Points,
                }
                s.collect_seq(self.0.meta().cases.iter().zip(self.0.cases()).map(|(m, o)| Case {
                    label: &m.label,
                    when: m.when.as_deref(),
                    matched: o.matched,
                    points: o.points,
                }))
            }
        }
        let meta = self.meta();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", self.id())?;
        m.serialize_entry("kind", &self.kind)?;
        m.serialize_entry("title", &meta.title)?;
        m.serialize_entry("indicator", &meta.indicator)?;
        m.serialize_entry("checkpoint", &meta.checkpoint)?;
        m.serialize_entry("criteria", &meta.criteria)?;
        m.serialize_entry("clause", &*meta.clause)?;
        m.serialize_entry("confidence", &*meta.confidence)?;
        m.serialize_entry("status", &self.status)?;
        m.serialize_entry("points", &self.points)?;
        if self.points_max != Some(self.points) {
            m.serialize_entry("points_max", &self.points_max)?;
        }
        m.serialize_entry("counted", &self.counted)?;
        m.serialize_entry("explanation", &self.explanation())?;
        m.serialize_entry(
            "observed",
            &Pairs(self, |o| {
                Some(o.value.as_ref().map_or(serde_json::Value::Null, json_value))
            }),
        )?;
        if let Some(t) = self.threshold() {
            m.serialize_entry("threshold", t)?;
        }
        m.serialize_entry("cases", &Cases(self))?;
        if let Some(w) = self.window() {
            m.serialize_entry("window", &w)?;
            m.serialize_entry("windows", &Pairs(self, |o| o.window))?;
        }
        m.serialize_entry("evidence", &self.evidence())?;
        if !self.missing.is_empty() {
            m.serialize_entry("missing", &self.missing)?;
        }
        if self.review != 0 {
            m.serialize_entry("review", &self.review)?;
        }
        m.end()
    }
}

/// A measure value as JSON: whole numbers as integers, other numbers as the nearest double, text, booleans.
pub(crate) fn json_value(v: &Val) -> serde_json::Value {
    match v {
        Val::Num(r) if r.denom() == 1 => {
            i64::try_from(r.numer()).map_or(serde_json::Value::Null, serde_json::Value::from)
        }
        Val::Num(r) => serde_json::Number::from_f64(r.to_f64_lossy())
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Str(s) => serde_json::Value::String(s.to_string()),
    }
}

/// Write a measure value for people: rates as exact percentages with at most two decimals.
pub(crate) fn push_value(out: &mut String, v: &Val, unit: Unit) {
    match v {
        Val::Num(r) if unit == Unit::Rate => {
            // Hundredths of a percent, rounded half up once (tenths of r · 1000), trailing zeros dropped
            // (2.5298 % → "2.53%"; 1.4946 % → "1.49%", which rounding to thousandths first made "1.5%").
            match r
                .checked_mul(Ratio::int(1_000))
                .and_then(|x| x.to_tenths_half_up())
            {
                // A rate that is not zero never reads as "0%" (1 failure in 40,000 visits is "<0.01%").
                Some(0) if *r > Ratio::ZERO => out.push_str("<0.01"),
                Some(b) => {
                    crate::model::ratio::push_int(out, b / 100);
                    let frac = b.rem_euclid(100);
                    if frac != 0 {
                        out.push('.');
                        out.push(char::from(b'0' + (frac / 10) as u8));
                        if frac % 10 != 0 {
                            out.push(char::from(b'0' + (frac % 10) as u8));
                        }
                    }
                }
                None => r.push_to(out),
            }
            out.push('%');
        }
        Val::Num(r) => r.push_to(out),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Str(s) => out.push_str(s),
    }
}

/// A veto that fired.
#[derive(Debug, Clone, Serialize)]
pub struct VetoResult {
    /// Rule id.
    pub rule: Arc<str>,
    /// Rule title.
    pub title: Text,
    /// Clauses that fired.
    pub clauses: Vec<Text>,
}

/// Points per first-level indicator, in pack order, read with the pack's ids and titles: one reference to the pack
/// for all of them (a reference per indicator was five pairs of atomic counts a report).
#[derive(Debug, Clone)]
pub struct Indicators {
    pub(crate) pack: PackRef,
    /// One per indicator of the pack, in its order.
    pub(crate) totals: Vec<IndicatorPoints>,
}

/// An indicator's points, with its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorPoints {
    /// Sum of its counted rules before the cap.
    pub points: Points,
    /// Its cap, if any.
    pub cap: Option<Points>,
    /// What counts after the cap.
    pub counted_points: Points,
}

crate::eval::recycle::reused!(IndicatorPoints);

/// One indicator's points with its id and title ([`Indicators::iter`]); its points are read through it.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorTotal<'a> {
    points: &'a IndicatorPoints,
    indicator: &'a crate::lang::pack::Indicator,
}

impl<'a> IndicatorTotal<'a> {
    /// Indicator id.
    pub fn id(&self) -> &'a str {
        &self.indicator.id
    }

    /// Its title.
    pub fn title(&self) -> &'a Text {
        &self.indicator.title
    }
}

impl std::ops::Deref for IndicatorTotal<'_> {
    type Target = IndicatorPoints;
    fn deref(&self) -> &IndicatorPoints {
        self.points
    }
}

/// The list's room is kept for the next score on the thread that drops the report.
impl Drop for Indicators {
    fn drop(&mut self) {
        crate::eval::recycle::keep(std::mem::take(&mut self.totals));
    }
}

impl Indicators {
    /// Each indicator's points, in pack order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = IndicatorTotal<'_>> + DoubleEndedIterator + '_ {
        self.totals
            .iter()
            .zip(self.pack.0.indicators.iter())
            .map(|(points, indicator)| IndicatorTotal { points, indicator })
    }

    /// The `i`-th indicator's points.
    pub fn get(&self, i: usize) -> Option<IndicatorTotal<'_>> {
        let (points, indicator) = self.totals.get(i).zip(self.pack.0.indicators.get(i))?;
        Some(IndicatorTotal { points, indicator })
    }

    /// How many indicators.
    pub fn len(&self) -> usize {
        self.totals.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }
}

impl Serialize for Indicators {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Serialize for IndicatorTotal<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", self.id())?;
        m.serialize_entry("title", self.title())?;
        m.serialize_entry("points", &self.points.points)?;
        if let Some(c) = &self.points.cap {
            m.serialize_entry("cap", c)?;
        }
        m.serialize_entry("counted_points", &self.points.counted_points)?;
        m.end()
    }
}

/// Pack identity.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
    /// Pack title.
    pub title: Text,
    /// `complete` or `partial`.
    pub completeness: Arc<str>,
}

/// What `score(observation, pack)` returns.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `"pucha.report/1"`.
    pub schema: &'static str,
    /// Pack used (shared by every report of an engine).
    pub pack: Arc<PackInfo>,
    /// Effective parameter values.
    pub params: Arc<BTreeMap<String, String>>,
    /// Site, echoed (shared with the observation).
    pub site: Arc<Site>,
    /// Monitoring point, echoed.
    pub monitoring_point: Arc<str>,
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// What decided it.
    pub verdict_basis: VerdictBasis,
    /// False when any rule lacked data: a pass may not hold once the data is complete.
    pub complete: bool,
    /// Base − counted deductions (+ bonus); null when a veto fired.
    pub score: Option<Points>,
    /// Sum of counted deductions: those certain whatever the missing data hold.
    pub total_deduction: Points,
    /// The most the counted deductions could come to once the missing data are known (`None`: no bound).
    pub total_deduction_max: Option<Points>,
    /// Deductions computed for information but not counted (after a veto).
    pub uncounted_deduction: Points,
    /// Bonus counted.
    pub bonus: Points,
    /// Fail when the total deduction is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Points>,
    /// Fail when the score is below this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_below: Option<Points>,
    /// A rescale that applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rescaled: Option<Text>,
    /// Vetoes that fired.
    pub vetoes: Vec<VetoResult>,
    /// What the missing data leave open: the vetoes that could still fire and the rules whose points could still
    /// grow (`points_max` above `points`), in pack order.
    pub undecided: Vec<Arc<str>>,
    /// Points by first-level indicator.
    pub indicators: Indicators,
    /// Every rule, in pack order.
    pub rules: Rules,
    /// Data problems.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The result of rule `id`.
    pub fn rule(&self, id: &str) -> Option<RuleResult<'_>> {
        self.rules.iter().find(|r| r.id() == id)
    }
}

/// The schema tag of summaries.
pub const SUMMARY_SCHEMA: &str = "pucha.summary/1";

/// A compact form of a report for tables and batches: the verdict, the totals, and each rule's status and points
/// (no evidence, no texts). `Engine::summarize` builds it without building a report; `Report::summary` from one.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// `"pucha.summary/1"`.
    pub schema: &'static str,
    /// Pack id.
    pub pack: Arc<str>,
    /// Site, echoed (shared with the observation).
    pub site: Arc<Site>,
    /// Monitoring point, echoed.
    pub monitoring_point: Arc<str>,
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// What decided it.
    pub verdict_basis: VerdictBasis,
    /// False when any rule lacked data.
    pub complete: bool,
    /// The score; null after a veto.
    pub score: Option<Points>,
    /// Counted deductions.
    pub total_deduction: Points,
    /// The most the counted deductions could come to (`None`: no bound).
    pub total_deduction_max: Option<Points>,
    /// Deductions not counted (after a veto).
    pub uncounted_deduction: Points,
    /// Bonus counted.
    pub bonus: Points,
    /// Ids of the vetoes that fired, in pack order.
    pub vetoes: Vec<Arc<str>>,
    /// The vetoes that could still fire and the rules whose points could still grow, in pack order.
    pub undecided: Vec<Arc<str>>,
    /// Each rule's id, status and points, in pack order.
    pub rules: Vec<(Arc<str>, Status, Points)>,
    /// The rules whose points could still grow, each with the most it could give (`None`: no bound).
    pub points_max: Vec<(Arc<str>, Option<Points>)>,
    /// Warning codes.
    pub warnings: Vec<&'static str>,
}

impl Serialize for Summary {
    /// As `pucha.summary/1`: the fields above, with `points` and `status` as objects keyed by rule id.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct ByRule<'a, T>(
            &'a [(Arc<str>, Status, Points)],
            fn(&(Arc<str>, Status, Points)) -> T,
        );
        impl<T: Serialize> Serialize for ByRule<'_, T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for r in self.0 {
                    m.serialize_entry(&*r.0, &(self.1)(r))?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", self.schema)?;
        m.serialize_entry("pack", &*self.pack)?;
        m.serialize_entry("site", &self.site)?;
        m.serialize_entry("monitoring_point", &*self.monitoring_point)?;
        m.serialize_entry("verdict", &self.verdict)?;
        m.serialize_entry("verdict_basis", &self.verdict_basis)?;
        m.serialize_entry("complete", &self.complete)?;
        m.serialize_entry("score", &self.score)?;
        m.serialize_entry("total_deduction", &self.total_deduction)?;
        m.serialize_entry("total_deduction_max", &self.total_deduction_max)?;
        m.serialize_entry("uncounted_deduction", &self.uncounted_deduction)?;
        m.serialize_entry("bonus", &self.bonus)?;
        m.serialize_entry("vetoes", &self.vetoes.iter().map(|v| &**v).collect::<Vec<_>>())?;
        m.serialize_entry(
            "undecided",
            &self.undecided.iter().map(|v| &**v).collect::<Vec<_>>(),
        )?;
        m.serialize_entry("points", &ByRule(&self.rules, |r| r.2))?;
        struct Maxes<'a>(&'a [(Arc<str>, Option<Points>)]);
        impl Serialize for Maxes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (id, p) in self.0 {
                    m.serialize_entry(&**id, p)?;
                }
                m.end()
            }
        }
        m.serialize_entry("points_max", &Maxes(&self.points_max))?;
        m.serialize_entry("status", &ByRule(&self.rules, |r| r.1))?;
        m.serialize_entry("warnings", &self.warnings)?;
        m.end()
    }
}

impl Report {
    /// The compact summary of this report.
    pub fn summary(&self) -> Summary {
        Summary {
            schema: SUMMARY_SCHEMA,
            pack: self.pack.id.clone(),
            site: self.site.clone(),
            monitoring_point: self.monitoring_point.clone(),
            verdict: self.verdict,
            verdict_basis: self.verdict_basis,
            complete: self.complete,
            score: self.score,
            total_deduction: self.total_deduction,
            total_deduction_max: self.total_deduction_max,
            uncounted_deduction: self.uncounted_deduction,
            bonus: self.bonus,
            vetoes: self.vetoes.iter().map(|v| v.rule.clone()).collect(),
            undecided: self.undecided.clone(),
            rules: self
                .rules
                .iter()
                .map(|r| (r.id_arc(), r.status, r.points))
                .collect(),
            points_max: self
                .rules
                .iter()
                .filter(|r| r.points_max != Some(r.points))
                .map(|r| (r.id_arc(), r.points_max))
                .collect(),
            warnings: self.warnings.iter().map(|w| w.code).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(num: i128, den: i128) -> String {
        let mut out = String::new();
        push_value(&mut out, &Val::Num(Ratio::new(num, den).unwrap()), Unit::Rate);
        out
    }

    /// Rates for people: hundredths of a percent rounded half up once, never "0%" for a rate that is not zero.
    #[test]
    fn rates_read_as_people_expect() {
        assert_eq!(rate(17, 672), "2.53%");
        assert_eq!(rate(14_946, 1_000_000), "1.49%");
        assert_eq!(rate(14_950, 1_000_000), "1.5%");
        assert_eq!(rate(1, 20), "5%");
        assert_eq!(rate(0, 1), "0%");
        assert_eq!(rate(1, 40_000), "<0.01%");
        assert_eq!(rate(1, 20_000), "0.01%");
    }
}
