//! The engine: `report = score(observation, pack)`, pure and infallible.

use crate::eval::measure::{self, Ctx, Measured};
use crate::eval::report::{
    CaseOutcome, Decider, IndicatorPoints, Indicators, Outcomes, PackInfo, PackRef, REPORT_SCHEMA, Report,
    RuleKind, RuleRecord, Rules, SUMMARY_SCHEMA, Status, Summary, Verdict, VerdictBasis, VetoResult, Warning,
};
use crate::lang::expr::{self, Env, Undefined, Val, Var};
use crate::lang::facts::{Args, FactDef, ParamValue};
use crate::lang::pack::{Compiled, PointsSpec, Rule, RulePack, Steps};
use crate::lang::range::{self, Range, RangeEnv};
use crate::model::observation::{Observation, SiteKind};
use crate::model::ratio::{Points, Ratio};
use std::collections::BTreeMap;

use std::sync::Arc;

mod env;
mod ranges;

use env::{MeasureEnv, eval_bool, eval_num};
use ranges::undecided;

/// What [`Engine::tally`] gives: a summary without ids, site or texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// What decided it.
    pub verdict_basis: VerdictBasis,
    /// False when any rule lacked data.
    pub complete: bool,
    /// The score; `None` after a veto.
    pub score: Option<Points>,
    /// Counted deductions: the certain ones.
    pub total_deduction: Points,
    /// The most the counted deductions could come to (`None`: no bound).
    pub total_deduction_max: Option<Points>,
    /// Deductions not counted (after a veto).
    pub uncounted_deduction: Points,
    /// Bonus counted.
    pub bonus: Points,
    /// Each rule's status and points, in pack order ([`RulePack::rules`]).
    pub rules: Vec<(Status, Points)>,
    /// The rules whose points could still grow: pack index and the most they could give (`None`: no bound).
    pub points_max: Vec<(usize, Option<Points>)>,
    /// Warning codes.
    pub warnings: Vec<&'static str>,
}

/// A reusable scorer for one pack with fixed parameters. Build once, score many observations.
#[derive(Debug, Clone)]
pub struct Engine {
    pack: RulePack,
    params: Arc<BTreeMap<String, String>>,
    /// Parameter values by index, as expressions and facts read them (built once, not per score).
    values: Vec<ParamValue>,
    /// The same as expression values, read in place by comparisons.
    param_vals: Vec<Option<Val>>,
    /// The site kinds as expression values (`site_kind == "portal"`), made once.
    kinds: [Arc<str>; 2],
    /// Each indicator's cap, the fail-above threshold and the fail-below gate as points, made once.
    caps: Vec<Option<Points>>,
    fail_above: Option<Points>,
    fail_below: Option<Points>,
    /// The pack's identity as reports echo it, made once and shared by them.
    info: Arc<PackInfo>,
}

struct RuleEval {
    status: Status,
    /// The rule's points on the 0.1 grid (set when the rule is done): the certain ones.
    points: Points,
    /// The most it could give (`None`: no bound).
    points_max: Option<Points>,
    /// Where its evaluated cases start in the run's case list, and how many (reports only).
    cases_at: (u32, u32),
    /// The condition that decided (reports read its text from the pack).
    decider: Decider,
    missing: Vec<&'static str>,
    review: u64,
    arithmetic: bool,
}

impl RuleEval {
    /// A rule with `status`, no points, nothing missing and no cases listed.
    fn blank(status: Status) -> RuleEval {
        RuleEval {
            status,
            points: Points::ZERO,
            points_max: Some(Points::ZERO),
            cases_at: (0, 0),
            decider: Decider::None,
            missing: Vec::new(),
            review: 0,
            arithmetic: false,
        }
    }
}

/// How one rule came out, as a tally lists it.
pub(crate) struct Outcome {
    status: Status,
    points: Points,
    points_max: Option<Points>,
}

crate::eval::recycle::reused!(Outcome);

/// Totals and verdict.
struct Totals {
    verdict: Verdict,
    basis: VerdictBasis,
    complete: bool,
    score: Option<Points>,
    total: Points,
    /// The most the counted deductions could come to (`None`: no bound).
    total_max: Option<Points>,
    uncounted: Points,
    bonus: Points,
    threshold: Option<Points>,
    fail_below: Option<Points>,
    /// Per indicator: deductions, and what counted after its cap.
    indicators: Vec<IndicatorPoints>,
}

/// Everything one evaluation produced.
struct Run {
    measured: Vec<Measured>,
    /// Each rule's evaluation, for reports only (empty for tallies).
    records: Vec<RuleRecord>,
    /// Every rule's evaluated cases, rule after rule (reports only).
    cases: Vec<CaseOutcome>,
    /// Each rule's status and points, for tallies only (empty for reports, whose records hold them).
    outcomes: Vec<Outcome>,
    warnings: Vec<Warning>,
    rescaled: Option<crate::eval::report::Text>,
    /// Whether a veto applied, and whether the bonus part's gate opened.
    vetoed: bool,
    bonus_open: bool,
    totals: Totals,
}

impl Run {
    /// Whether a rule of `kind` that came out `status` counts toward the total: a veto always; a deduction when
    /// applied and nothing was vetoed; a bonus when applied and its gate opened.
    fn counted(&self, kind: RuleKind, status: Status) -> bool {
        match kind {
            RuleKind::Veto => true,
            RuleKind::Deduction => !self.vetoed && status == Status::Applied,
            RuleKind::Bonus => self.bonus_open && status == Status::Applied,
        }
    }
}

impl Engine {
    /// An engine for `pack` with its current parameters.
    pub fn new(pack: RulePack) -> Engine {
        // Inserted one by one: collecting into a map sorts and bulk-builds first, code the WebAssembly module
        // carried for this and one other map alone (12.8 KB for the two) for a handful of parameters.
        let mut params = BTreeMap::new();
        for p in pack.params.iter() {
            params.insert(p.name.clone(), p.display());
        }
        let params = Arc::new(params);
        let values: Vec<ParamValue> = pack.params.iter().map(|p| p.value.clone()).collect();
        let param_vals = values
            .iter()
            .map(|v| match v {
                ParamValue::Num(r) => Some(Val::Num(*r)),
                ParamValue::Text(s) => Some(Val::Str(s.clone())),
                ParamValue::Bool(b) => Some(Val::Bool(*b)),
                ParamValue::Span(_) => None,
            })
            .collect();
        let data = &*pack.data;
        let caps = data
            .indicators
            .iter()
            .map(|i| i.cap.and_then(Points::from_ratio))
            .collect();
        let (fail_above, fail_below) = (
            data.fail_above.and_then(Points::from_ratio),
            data.fail_below.and_then(Points::from_ratio),
        );
        let info = Arc::new(PackInfo {
            id: data.meta.id.clone(),
            version: data.meta.version.clone(),
            title: data.meta.title.clone(),
            completeness: data.meta.completeness.clone(),
        });
        Engine {
            info,
            pack,
            params,
            values,
            param_vals,
            kinds: [SiteKind::Portal, SiteKind::Other].map(|k| Arc::from(k.as_str())),
            caps,
            fail_above,
            fail_below,
        }
    }

    /// An engine for a built-in pack.
    ///
    /// # Errors
    /// As [`RulePack::builtin`].
    #[cfg(feature = "builtin-packs")]
    pub fn builtin(name: &str) -> Result<Engine, crate::model::error::Error> {
        RulePack::builtin(name).map(Engine::new)
    }

    /// The pack this engine scores with.
    pub fn pack(&self) -> &RulePack {
        &self.pack
    }

    /// Score one observation. Never fails: missing facts become `no_data` statuses and `complete: false`.
    pub fn score(&self, obs: &Observation) -> Report {
        let data = &*self.pack.data;
        let mut run = self.run(obs, true);
        // The measures move into the report as they are (their outcomes), shared by its rule results.
        let outcomes = Outcomes {
            pack: PackRef(self.pack.data.clone()),
            measures: std::mem::take(&mut run.measured),
            cases: std::mem::take(&mut run.cases),
        };
        let mut records = std::mem::take(&mut run.records);
        for rec in &mut records {
            rec.counted = run.counted(rec.kind, rec.status);
        }
        let rules = Rules {
            records,
            shared: outcomes,
        };
        // Only a rule without its data can be undecided.
        let undecided = if run.totals.complete {
            Vec::new()
        } else {
            undecided(
                data,
                rules.records.iter().map(|r| (r.status, r.points, r.points_max)),
            )
        };
        let mut vetoes = Vec::new();
        // Only a vetoed report lists vetoes (most have none to look for).
        let vetoed = run.vetoed;
        for (rule, res) in data.rules.iter().zip(rules.iter()).filter(|_| vetoed) {
            if rule.kind == RuleKind::Veto && res.status == Status::Applied {
                vetoes.push(VetoResult {
                    rule: rule.id.clone(),
                    title: rule.title.clone(),
                    clauses: res.matched_labels().cloned().collect(),
                });
            }
        }
        let t = run.totals;
        Report {
            schema: REPORT_SCHEMA,
            pack: self.info.clone(),
            params: self.params.clone(),
            site: obs.site.clone(),
            monitoring_point: obs.monitoring_point.raw.clone(),
            verdict: t.verdict,
            verdict_basis: t.basis,
            complete: t.complete,
            score: t.score,
            total_deduction: t.total,
            total_deduction_max: t.total_max,
            uncounted_deduction: t.uncounted,
            bonus: t.bonus,
            threshold: t.threshold,
            fail_below: t.fail_below,
            rescaled: run.rescaled,
            vetoes,
            undecided,
            indicators: Indicators {
                pack: PackRef(self.pack.data.clone()),
                totals: t.indicators,
            },
            rules,
            warnings: run.warnings,
        }
    }

    /// Score one observation into its compact summary: the same evaluation as [`Engine::score`], without building
    /// rule results, evidence or texts. `engine.summarize(o)` equals `engine.score(o).summary()`.
    pub fn summarize(&self, obs: &Observation) -> Summary {
        let data = &*self.pack.data;
        let t = self.tally(obs);
        Summary {
            schema: SUMMARY_SCHEMA,
            pack: data.meta.id.clone(),
            site: obs.site.clone(),
            monitoring_point: obs.monitoring_point.raw.clone(),
            verdict: t.verdict,
            verdict_basis: t.verdict_basis,
            complete: t.complete,
            score: t.score,
            total_deduction: t.total_deduction,
            total_deduction_max: t.total_deduction_max,
            uncounted_deduction: t.uncounted_deduction,
            bonus: t.bonus,
            vetoes: data
                .rules
                .iter()
                .zip(&t.rules)
                .filter(|(r, o)| r.kind == RuleKind::Veto && o.0 == Status::Applied)
                .map(|(r, _)| r.id.clone())
                .collect(),
            undecided: if t.complete {
                Vec::new()
            } else {
                undecided(
                    data,
                    t.rules.iter().enumerate().map(|(i, (st, p))| {
                        let max = t.points_max.iter().find(|m| m.0 == i).map_or(Some(*p), |m| m.1);
                        (*st, *p, max)
                    }),
                )
            },
            points_max: t
                .points_max
                .iter()
                .filter_map(|(i, m)| data.rules.get(*i).map(|r| (r.id.clone(), *m)))
                .collect(),
            rules: data
                .rules
                .iter()
                .zip(&t.rules)
                .map(|(r, o)| (r.id.clone(), o.0, o.1))
                .collect(),
            warnings: t.warnings,
        }
    }

    /// The leanest result of the evaluation: verdict, totals and each rule's status and points in pack order, with
    /// no ids, site or texts (nothing shared is touched, so threads scoring side by side do not contend).
    pub fn tally(&self, obs: &Observation) -> Tally {
        let mut run = self.run(obs, false);
        crate::eval::recycle::keep(std::mem::take(&mut run.measured));
        crate::eval::recycle::keep(std::mem::take(&mut run.totals.indicators));
        let rules = run.outcomes.iter().map(|o| (o.status, o.points)).collect();
        let points_max = run
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.points_max != Some(o.points))
            .map(|(i, o)| (i, o.points_max))
            .collect();
        crate::eval::recycle::keep(std::mem::take(&mut run.outcomes));
        let t = run.totals;
        Tally {
            verdict: t.verdict,
            verdict_basis: t.basis,
            complete: t.complete,
            score: t.score,
            total_deduction: t.total,
            total_deduction_max: t.total_max,
            uncounted_deduction: t.uncounted,
            bonus: t.bonus,
            rules,
            points_max,
            warnings: run.warnings.iter().map(|w| w.code).collect(),
        }
    }

    /// The evaluation both `score` and `summarize` share: measures, rescale, every rule, totals and the verdict.
    fn run(&self, obs: &Observation, evidence: bool) -> Run {
        let pack = &self.pack;
        let data = &*pack.data;
        let params = &self.values;
        let mut ctx = Ctx {
            obs,
            point: obs.monitoring_point.date,
            params,
            warnings: Vec::new(),
            link_cache: None,
            avail_cache: None,
            col_cache: None,
            evidence,
            kinds: &self.kinds,
        };
        // Fresh slots: `facts::measure` sets each one's previous (empty) value aside without dropping it.
        let mut measured: Vec<Measured> = crate::eval::recycle::take();
        measured.clear();
        measured.resize_with(data.measures.len(), Measured::empty);
        for (slot, (def, args)) in measured.iter_mut().zip(&data.measures) {
            measure::measure(def, args, &mut ctx, slot);
        }
        let mut warnings = ctx.warnings;
        if !obs.not_visited.is_empty() {
            warnings.extend(crate::eval::not_visited::warning(&obs.not_visited));
        }
        let mut env = MeasureEnv {
            measured: &measured,
            params,
            param_vals: &self.param_vals,
            context: [None; 3],
            context_hi: [None; 3],
            defs: &data.measures,
            narrowed: &[],
        };
        // Rescale (e.g. a department without external services): excluded indicators do not apply.
        // Sized only when a rescale applies (most scores: none), so a score allocates nothing for it.
        let mut excluded: Vec<bool> = Vec::new();
        let mut factor = Ratio::ONE;
        let mut base = data.base;
        let mut rescaled = None;
        // Rescales the data cannot decide: the verdict weighs the score with and without each.
        let mut maybe_rescale: Vec<&crate::lang::pack::Rescale> = Vec::new();
        for rs in &data.rescale {
            let decided = match eval_bool(&rs.when, &env) {
                Ok(b) => Some(b),
                Err(_) => range::eval(&rs.when.expr, &env).ok().and_then(|r| r.decided()),
            };
            match decided {
                Some(true) => {
                    excluded.resize(data.indicators.len(), false);
                    for &i in &rs.exclude {
                        if let Some(x) = excluded.get_mut(i) {
                            *x = true;
                        }
                        if let Some(cap) = data.indicators.get(i).and_then(|ind| ind.cap) {
                            base = base.checked_sub(cap).unwrap_or(base);
                        }
                    }
                    factor = factor.checked_mul(rs.factor).unwrap_or(factor);
                    rescaled = Some(rs.label.clone());
                }
                Some(false) => {}
                None => {
                    maybe_rescale.push(rs);
                    warnings.push(Warning::new(
                        "rescale_undecided",
                        None,
                        format!("无法判断是否适用“{}”（缺少数据）：得分按未适用计算，结论兼顾两种情况", rs.label.zh),
                        format!(
                            "could not decide whether `{}` applies (missing data): the score is shown without it, the verdict weighs both",
                            rs.label.en
                        ),
                    ));
                }
            }
        }

        let mut records = if evidence {
            let mut r = crate::eval::recycle::take();
            r.reserve(data.rules.len());
            r
        } else {
            Vec::new()
        };
        let mut cases = if evidence {
            let mut c = crate::eval::recycle::take();
            c.reserve(data.case_count);
            c
        } else {
            Vec::new()
        };
        let mut outcomes: Vec<Outcome> = if evidence {
            Vec::new()
        } else {
            let mut o = crate::eval::recycle::take();
            o.reserve(data.rules.len());
            o
        };
        // Deductions by indicator (capped after the loop), all deductions, and the bonus points; whether a veto
        // applied and whether every rule had its data: all noted as the rules are evaluated.
        let mut indicators: Vec<IndicatorPoints> = crate::eval::recycle::take();
        indicators.extend(self.caps.iter().map(|&cap| IndicatorPoints {
            points: Points::ZERO,
            cap,
            counted_points: Points::ZERO,
        }));
        // The most each indicator's rules could give (`None`: no bound), kept only once some rule is open.
        let mut open: Vec<Option<Points>> = Vec::new();
        let (mut deductions, mut bonus_sum, mut bonus_max) = (Points::ZERO, Points::ZERO, Some(Points::ZERO));
        let (mut vetoed, mut can_veto, mut complete) = (false, false, true);
        for rule in &data.rules {
            let mut ev = if excluded.get(rule.indicator).copied().unwrap_or(false) {
                RuleEval::blank(Status::NotApplicable)
            } else {
                self.eval_rule(rule, &env, &measured, evidence.then_some(&mut cases))
            };
            if let Some(v) = rule.veto_instead
                && ev.status != Status::NotApplicable
            {
                let veto = if evidence {
                    records
                        .get(v)
                        .map(|r: &RuleRecord| (r.status, r.missing.as_slice()))
                } else {
                    outcomes.get(v).map(|o| (o.status, &[][..]))
                };
                if let Some((status @ (Status::Applied | Status::NoData), missing)) = veto {
                    self.veto_instead(rule, v, status, missing, &env, &mut ev);
                }
            }
            if ev.arithmetic {
                warnings.push(Warning {
                    rule: Some(rule.id.to_string()),
                    ..Warning::new(
                        "arithmetic",
                        None,
                        "计算溢出或除以零，该规则按缺少数据处理".into(),
                        "arithmetic overflowed or divided by zero; the rule is treated as missing data"
                            .into(),
                    )
                })
            }
            complete &= ev.missing.is_empty() && ev.status != Status::NoData;
            if rule.kind == RuleKind::Deduction && open.is_empty() && ev.points_max != Some(ev.points) {
                open.extend(indicators.iter().map(|t| Some(t.points)));
            }
            match rule.kind {
                RuleKind::Veto => {
                    vetoed |= ev.status == Status::Applied;
                    can_veto |= ev.status == Status::NoData;
                }
                RuleKind::Deduction => {
                    deductions = deductions.plus(ev.points);
                    if let Some(t) = indicators.get_mut(rule.indicator) {
                        t.points = t.points.plus(ev.points);
                    }
                    if let Some(m) = open.get_mut(rule.indicator) {
                        *m = m.zip(ev.points_max).map(|(a, b)| a.plus(b));
                    }
                }
                RuleKind::Bonus => {
                    bonus_sum = bonus_sum.plus(ev.points);
                    bonus_max = bonus_max.zip(ev.points_max).map(|(a, b)| a.plus(b));
                }
            }
            if !evidence {
                outcomes.push(Outcome {
                    status: ev.status,
                    points: ev.points,
                    points_max: ev.points_max,
                });
            } else {
                // What a report keeps, made here once: the report fills in `counted` in place.
                records.push(RuleRecord {
                    kind: rule.kind,
                    status: ev.status,
                    points: ev.points,
                    points_max: ev.points_max,
                    counted: false,
                    cases_at: ev.cases_at,
                    decider: ev.decider,
                    missing: ev.missing,
                    review: ev.review,
                });
            }
        }

        // After a veto no deduction counts: they are listed as uncounted, and no indicator has any.
        let uncounted = if vetoed {
            for t in &mut indicators {
                t.points = Points::ZERO;
            }
            open.clear();
            deductions
        } else {
            Points::ZERO
        };
        let mut total = Points::ZERO;
        for t in &mut indicators {
            t.counted_points = match t.cap {
                Some(c) if t.points > c => c,
                _ => t.points,
            };
            total = total.plus(t.counted_points);
        }
        // The most the counted deductions could come to: each indicator's most, capped.
        let capped_max = |i: usize, m: Option<Points>| match self.caps.get(i).copied().flatten() {
            Some(c) => Some(m.map_or(c, |m| m.min(c))),
            None => m,
        };
        let total_max = if open.is_empty() {
            Some(total)
        } else {
            open.iter()
                .enumerate()
                .try_fold(Points::ZERO, |acc, (i, m)| capped_max(i, *m).map(|m| acc.plus(m)))
        };
        let (threshold, fail_below) = (self.fail_above, self.fail_below);

        let mut bonus_open = false;
        let (verdict, basis, score, bonus) = if vetoed {
            (Verdict::Fail, VerdictBasis::Veto, None, Points::ZERO)
        } else {
            let part_of = |base: Ratio, total: Points, factor: Ratio| {
                base.checked_sub(total.to_ratio())
                    .and_then(|p| p.checked_mul(factor))
                    .and_then(Points::from_ratio)
                    .unwrap_or(Points::ZERO)
            };
            let part = part_of(base, total, factor);
            // The score gate over every way the open rules and undecided rescales could turn out: the lowest and
            // highest score before the bonus, and the least and most counted deductions.
            let (mut part_lo, mut part_hi) = (Some(part), part);
            let (mut total_lo, mut total_hi) = (total, total_max);
            if total_max != Some(total) || !maybe_rescale.is_empty() {
                let variants = if maybe_rescale.len() > 4 {
                    0
                } else {
                    1usize << maybe_rescale.len()
                };
                if variants == 0 {
                    (part_lo, part_hi, total_lo, total_hi) =
                        (None, Points::from_tenths(i64::MAX), Points::ZERO, None);
                }
                for bits in 0..variants {
                    let (mut vbase, mut vfactor) = (base, factor);
                    let mut out: Vec<usize> = Vec::new();
                    for (k, rs) in maybe_rescale.iter().enumerate() {
                        if bits & (1 << k) != 0 {
                            for &i in &rs.exclude {
                                if excluded.get(i).copied().unwrap_or(false) || out.contains(&i) {
                                    continue;
                                }
                                out.push(i);
                                if let Some(cap) = data.indicators.get(i).and_then(|ind| ind.cap) {
                                    vbase = vbase.checked_sub(cap).unwrap_or(vbase);
                                }
                            }
                            vfactor = vfactor.checked_mul(rs.factor).unwrap_or(vfactor);
                        }
                    }
                    let (mut lo, mut hi) = (Points::ZERO, Some(Points::ZERO));
                    for (i, t) in indicators.iter().enumerate() {
                        if out.contains(&i) {
                            continue;
                        }
                        lo = lo.plus(t.counted_points);
                        let m = if open.is_empty() {
                            Some(t.counted_points)
                        } else {
                            capped_max(i, open.get(i).copied().flatten())
                        };
                        hi = hi.zip(m).map(|(a, b)| a.plus(b));
                    }
                    let v_lo = hi.map(|h| part_of(vbase, h, vfactor));
                    let v_hi = part_of(vbase, lo, vfactor);
                    if bits == 0 {
                        (part_lo, part_hi, total_lo, total_hi) = (v_lo, v_hi, lo, hi);
                    } else {
                        part_lo = part_lo.zip(v_lo).map(|(a, b)| a.min(b));
                        part_hi = part_hi.max(v_hi);
                        total_lo = total_lo.min(lo);
                        total_hi = total_hi.zip(hi).map(|(a, b)| a.max(b));
                    }
                }
            }
            let over = threshold.is_some_and(|t| total_lo > t);
            let maybe_over = threshold.is_some_and(|t| total_hi.is_none_or(|h| h > t));
            let under = fail_below.is_some_and(|f| part_hi < f);
            let maybe_under = fail_below.is_some_and(|f| part_lo.is_none_or(|l| l < f));
            let mut bonus = Points::ZERO;
            if let Some(g) = &data.bonus {
                // The gate reads the score before the bonus, the counted deductions and the bonus points, each as
                // the range the open rules leave.
                env.context = [
                    part_lo.map(Points::to_ratio),
                    Some(total.to_ratio()),
                    Some(bonus_sum.to_ratio()),
                ];
                env.context_hi = [
                    Some(part_hi.to_ratio()),
                    total_max.map(Points::to_ratio),
                    bonus_max.map(Points::to_ratio),
                ];
                let gate = range::eval(&g.when.expr, &env).ok().and_then(|r| r.decided());
                let open_gate = match gate {
                    Some(b) => b,
                    None => {
                        warnings.push(Warning::new(
                            "bonus_undecided",
                            None,
                            format!("无法判断是否计入“{}”（缺少数据），未计入", g.label.zh),
                            format!(
                                "could not decide whether `{}` counts (missing data); not counted",
                                g.label.en
                            ),
                        ));
                        false
                    }
                };
                if open_gate {
                    let capped = g
                        .cap
                        .and_then(Points::from_ratio)
                        .map_or(bonus_sum, |c| bonus_sum.min(c));
                    bonus = capped;
                }
                bonus_open = open_gate;
            }
            let (verdict, basis) = if over || under {
                (Verdict::Fail, VerdictBasis::Threshold)
            } else if can_veto || maybe_over || maybe_under {
                (Verdict::Undetermined, VerdictBasis::MissingData)
            } else {
                (Verdict::Pass, VerdictBasis::Deductions)
            };
            (verdict, basis, Some(part.plus(bonus)), bonus)
        };

        sort_warnings(&mut warnings);
        warnings.dedup_by(|a, b| a.code == b.code && a.path == b.path && a.rule == b.rule);
        Run {
            measured,
            records,
            cases,
            outcomes,
            warnings,
            rescaled,
            vetoed,
            bonus_open,
            totals: Totals {
                verdict,
                basis,
                complete,
                score,
                total: if vetoed { Points::ZERO } else { total },
                total_max: if vetoed { Some(Points::ZERO) } else { total_max },
                uncounted,
                bonus,
                threshold,
                fail_below,
                indicators,
            },
        }
    }

    /// Evaluate one rule; case outcomes are appended to `cases` for reports only. A rule whose outcome depends on
    /// missing facts is evaluated again over the ranges the facts can take ([`Engine::eval_rule_ranges`]).
    fn eval_rule(
        &self,
        rule: &Rule,
        env: &MeasureEnv<'_>,
        measured: &[Measured],
        mut cases: Option<&mut Vec<CaseOutcome>>,
    ) -> RuleEval {
        let mut missing: Vec<&'static str> = Vec::new();
        let mut arithmetic = false;
        for (_, g) in &rule.measures {
            if let Some(m) = measured.get(*g) {
                match (m.value().err(), m.missing) {
                    (Some(Undefined::NoData), Some(what)) if !missing.contains(&what) => missing.push(what),
                    (Some(Undefined::Arithmetic), _) => arithmetic = true,
                    _ => {}
                }
            }
        }
        let mut out = RuleEval {
            status: Status::Passed,
            points: Points::ZERO,
            points_max: Some(Points::ZERO),
            cases_at: (
                cases
                    .as_ref()
                    .map_or(0, |c| u32::try_from(c.len()).unwrap_or(u32::MAX)),
                0,
            ),
            decider: Decider::None,
            missing: Vec::new(),
            review: 0,
            arithmetic,
        };
        let mut evaluated = 0;
        // Each case's points are rounded half up to 0.1, then summed (docs/readings.md), so a rule's points are the
        // sum of the case points its explanation lists.
        let mut total = Points::ZERO;
        // Whether some outcome depended on a missing fact (then the rule is evaluated over ranges).
        let mut nodata = false;
        if let Some(a) = &rule.applies {
            match eval_bool(a, env) {
                Ok(true) => {}
                Ok(false) => {
                    out.status = Status::NotApplicable;
                    out.decider = Decider::Applies;
                    return out;
                }
                Err(Undefined::NoData) => {
                    return self.eval_rule_ranges(rule, env, cases, out, missing);
                }
                Err(Undefined::Arithmetic) => {
                    out.status = Status::NoData;
                    out.points_max = None;
                    out.missing = missing;
                    return out;
                }
            }
        }
        let review = rule.review.as_ref().map(|r| eval_num(r, env));
        if let Some(Ok(n)) = &review
            && let Some(t) = n.floor().to_tenths_half_up()
        {
            out.review = u64::try_from(t / 10).unwrap_or(0);
        }
        let mut undetermined = false;
        let mut any = false;
        for (case_ix, case) in rule.cases.iter().enumerate() {
            let matched = match &case.when {
                None => Ok(true),
                Some(w) => eval_bool(w, env),
            };
            let mut pts = Ratio::ZERO;
            match matched {
                Ok(true) => {
                    any = true;
                    match self.case_points(&case.points, env) {
                        Ok(p) => pts = p,
                        Err(u) => {
                            undetermined = true;
                            nodata |= u == Undefined::NoData;
                            arithmetic |= u == Undefined::Arithmetic;
                        }
                    }
                    if out.decider == Decider::None && case.when.is_some() {
                        out.decider = Decider::Case(u32::try_from(case_ix).unwrap_or(u32::MAX));
                    }
                }
                Ok(false) => {}
                Err(u) => {
                    undetermined = true;
                    nodata |= u == Undefined::NoData;
                    arithmetic |= u == Undefined::Arithmetic;
                }
            }
            let pts = if pts < Ratio::ZERO {
                Points::ZERO
            } else if let Some(p) = Points::from_ratio(pts).and_then(Points::within_rule_max) {
                p
            } else {
                // More than a rule can give (a count near 10^17 times a few points): undecided, never 0.
                undetermined = true;
                arithmetic = true;
                Points::ZERO
            };
            match total.rule_sum(pts) {
                Some(t) => total = t,
                None => {
                    undetermined = true;
                    arithmetic = true;
                }
            }
            evaluated += 1;
            if let Some(c) = cases.as_deref_mut() {
                c.push(CaseOutcome {
                    matched: matched.ok(),
                    points: pts,
                });
                out.cases_at.1 += 1;
            }
            if rule.first && (matched.is_err() || matched == Ok(true)) {
                break;
            }
        }
        if nodata {
            if let Some(c) = cases.as_deref_mut() {
                c.truncate(out.cases_at.0 as usize);
            }
            out.cases_at.1 = 0;
            out.decider = Decider::None;
            out.arithmetic = arithmetic;
            return self.eval_rule_ranges(rule, env, cases, out, missing);
        }
        out.arithmetic = arithmetic;
        if let Some(cap) = rule.cap.and_then(Points::from_ratio)
            && total > cap
        {
            total = cap;
        }
        out.points = total;
        out.points_max = if undetermined && rule.kind != RuleKind::Veto {
            None
        } else {
            Some(total)
        };
        // Applied means points on the official 0.1 grid: an amount that rounds to 0.0 (one failed visit in 40,000,
        // prorated linearly, is 0.0125) deducts nothing, as an exact zero (the same visit under whole-percent
        // proration) does.
        let has_points = !total.is_zero();
        out.status = match rule.kind {
            RuleKind::Veto if any => Status::Applied,
            _ if rule.kind != RuleKind::Veto && has_points && !undetermined => Status::Applied,
            _ if undetermined
                || (rule.first && !any && !missing.is_empty() && evaluated < rule.cases.len()) =>
            {
                Status::NoData
            }
            _ if out.review > 0 => Status::NeedsReview,
            _ => Status::Passed,
        };
        // Facts are "missing" only where the outcome depended on them; a review count that cannot be computed
        // (counted data rarely has it) leaves the outcome intact.
        if undetermined || out.status == Status::NoData {
            out.missing = missing;
        }
        if out.status == Status::NoData && out.missing.is_empty() && arithmetic {
            out.missing.push("arithmetic");
        }
        out
    }

    fn case_points(&self, p: &PointsSpec, env: &MeasureEnv<'_>) -> Result<Ratio, Undefined> {
        match p {
            PointsSpec::None => Ok(Ratio::ZERO),
            PointsSpec::Fixed(r) => Ok(*r),
            PointsSpec::Expr(e) => eval_num(e, env),
            PointsSpec::Each {
                count,
                unit,
                per,
                steps,
            } => each_points(
                eval_num(count, env)?,
                *unit,
                *per,
                whole_steps(*steps, env.params),
            ),
        }
    }
}

/// Whether an `each` case counts whole steps only (`steps = "whole"`, or a parameter set to anything but `linear`).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn whole_steps(steps: Steps, params: &[ParamValue]) -> bool {
    match steps {
        Steps::Linear => false,
        Steps::Whole => true,
        Steps::Param(i) => matches!(params.get(i), Some(ParamValue::Text(s)) if &**s != "linear"),
    }
}

/// The points of an `each` case for `count`: `unit × count / per`, whole steps only when `whole`.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn each_points(count: Ratio, unit: Ratio, per: Ratio, whole: bool) -> Result<Ratio, Undefined> {
    let units = count.checked_div(per).ok_or(Undefined::Arithmetic)?;
    let units = if whole { units.floor() } else { units };
    units.checked_mul(unit).ok_or(Undefined::Arithmetic)
}

/// Score with a built-in pack in one call (sugar for `Engine::builtin(name)?.score(obs)`).
///
/// # Errors
/// When the pack name is unknown.
#[cfg(feature = "builtin-packs")]
pub fn score(obs: &Observation, pack: &str) -> Result<Report, crate::model::error::Error> {
    Engine::builtin(pack).map(|e| e.score(obs))
}

/// Sort warnings stably by code, path and rule, as `sort_by` would: a bottom-up merge sort of their indices. A
/// score has a few warnings (a hostile observation maybe thousands); the standard library's sort would be 3 KB of
/// the browser's module for them.
fn sort_warnings(warnings: &mut Vec<Warning>) {
    let n = warnings.len();
    if n < 2 {
        return;
    }
    let le = |a: &Warning, b: &Warning| (a.code, &a.path, &a.rule) <= (b.code, &b.path, &b.rule);
    let mut idx: Vec<usize> = (0..n).collect();
    let mut buf = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let (mid, end) = ((start + width).min(n), (start + 2 * width).min(n));
            let (mut i, mut j) = (start, mid);
            for slot in &mut buf[start..end] {
                // The left run wins ties: equal warnings keep their order.
                if j >= end || (i < mid && le(&warnings[idx[i]], &warnings[idx[j]])) {
                    *slot = idx[i];
                    i += 1;
                } else {
                    *slot = idx[j];
                    j += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    let mut taken: Vec<Option<Warning>> = warnings.drain(..).map(Some).collect();
    warnings.extend(
        idx.iter()
            .filter_map(|&i| taken.get_mut(i).and_then(Option::take)),
    );
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    #[test]
    fn warnings_sort_as_a_stable_sort_does() {
        let w =
            |code: &'static str, path: String, msg: String| Warning::new(code, Some(path), msg.clone(), msg);
        for n in [0usize, 1, 2, 3, 7, 16, 33, 100, 1000] {
            let mut mine: Vec<Warning> = (0..n)
                .map(|i| {
                    w(
                        ["b", "a", "c"][i % 3],
                        format!("columns[{}].items", (i * 7) % 13),
                        i.to_string(),
                    )
                })
                .collect();
            let mut want = mine.clone();
            want.sort_by(|a, b| (a.code, &a.path, &a.rule).cmp(&(b.code, &b.path, &b.rule)));
            sort_warnings(&mut mine);
            assert_eq!(mine, want, "{n}");
        }
    }
}

#[cfg(all(test, feature = "builtin-packs", feature = "toml-packs"))]
mod tests {
    use super::*;

    /// A report's indicator totals are read with the pack's ids and titles, in pack order, each capped, and written
    /// to JSON with them; their counted points add up to the total deduction.
    #[test]
    fn indicator_totals_read_with_the_pack_ids_and_titles() {
        let engine = Engine::builtin("checklist-2019").unwrap();
        let obs = Observation::from_json_str(include_str!(
            "../../../examples/observations/department-deductions.json"
        ))
        .unwrap();
        let report = engine.score(&obs);
        let pack = engine.pack();
        assert_eq!(report.indicators.len(), pack.indicators().len());
        assert!(!report.indicators.is_empty());
        let mut sum = Points::ZERO;
        for (t, ind) in report.indicators.iter().zip(pack.indicators()) {
            assert_eq!((t.id(), t.title()), (&*ind.id, &ind.title));
            assert_eq!(t.counted_points, t.cap.map_or(t.points, |c| t.points.min(c)));
            sum = sum.plus(t.counted_points);
        }
        assert_eq!(sum, report.total_deduction);
        let last = report.indicators.len() - 1;
        assert_eq!(
            report.indicators.get(last).map(|t| t.id()),
            pack.indicators().last().map(|i| &*i.id)
        );
        assert!(report.indicators.get(last + 1).is_none());
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["indicators"][0]["id"], *pack.indicators()[0].id);
        assert_eq!(
            json["indicators"][0]["title"]["zh"],
            *pack.indicators()[0].title.zh
        );
    }

    /// One failed visit in 40,000 is 0.0125 points prorated linearly, which rounds to 0.0: nothing is deducted, so
    /// the rule is passed (not applied with 0 points), and its rate reads "<0.01%", not "0%".
    #[test]
    fn a_deduction_that_rounds_to_nothing_is_passed() {
        let obs = Observation::from_json_str(
            r#"{"schema": "pucha.observation/1", "site": {"name": "t", "kind": "portal"},
                "monitoring_point": "2015-06-30", "availability": {"visits": 40000, "failures": 1, "days": 7}}"#,
        )
        .unwrap();
        let report = Engine::builtin("census-2015").unwrap().score(&obs);
        let rule = report
            .rules
            .iter()
            .find(|r| r.id() == "homepage-availability")
            .unwrap();
        assert_eq!((rule.status, rule.points), (Status::Passed, Points::ZERO));
        let why = rule.explanation();
        assert!(why.zh.contains("失败 1 次，失败率 <0.01%"), "{}", why.zh);
        assert!(why.en.contains("1 failed, <0.01%"), "{}", why.en);
    }

    /// A count beyond what exact 64-bit values hold (a broken probe, not a site) makes a rule that depends on it
    /// undecided with the `arithmetic` warning: it is never scored as some other number, and nothing panics. A
    /// rate over it is still exact when its reduced form fits (3 failures in 2^64 − 1 visits: 1 in 6.1 · 10^18).
    #[test]
    fn an_absurd_count_is_an_arithmetic_failure_not_a_number() {
        let obs = Observation::from_json_str(
            r#"{"schema": "pucha.observation/1", "site": {"name": "t", "kind": "portal"},
                "monitoring_point": "2015-06-30",
                "availability": {"visits": 18446744073709551615, "failures": 3, "days": 7},
                "links": {"homepage_broken": 18446744073709551615, "other_broken": 0}}"#,
        )
        .unwrap();
        let report = Engine::builtin("census-2015").unwrap().score(&obs);
        let rule = |id: &str| report.rules.iter().find(|r| r.id() == id).unwrap();
        let links = rule("link-availability");
        assert_eq!((links.status, links.points), (Status::NoData, Points::ZERO));
        assert_eq!(links.missing, ["arithmetic"]);
        assert_eq!(rule("site-unreachable").status, Status::Passed);
        assert!(report.warnings.iter().any(|w| w.code == "arithmetic"));
        // Points too large for the 0.1 grid in 64 bits: 10^17 broken links at 10 points each.
        let pack = RulePack::from_toml_str(
            r#"schema = "pucha.pack/1"
[pack]
id = "huge"
version = "0.1.0"
title = { zh = "大数", en = "huge" }
[[indicators]]
id = "a"
title = { zh = "甲", en = "A" }
[[rules]]
id = "links"
kind = "deduction"
indicator = "a"
title = { zh = "错链", en = "Links" }
measures.n = { fact = "links.broken", scope = "homepage" }
[[rules.cases]]
each = "n"
points = 10
"#,
            "huge.toml",
        )
        .unwrap();
        let obs = Observation::from_json_str(
            r#"{"schema": "pucha.observation/1", "site": {"name": "t"}, "monitoring_point": "2015-06-30",
                "links": {"homepage_broken": 100000000000000000, "other_broken": 0}}"#,
        )
        .unwrap();
        let report = Engine::new(pack).score(&obs);
        assert_eq!(report.rules[0].status, Status::NoData);
        assert_eq!(report.rules[0].missing, ["arithmetic"]);
        assert!(!report.complete);
    }

    /// Twenty rules of 10^17 points each fit 64 bits one by one but not summed: each is past what a rule can give
    /// (10^9), so each is undecided with the `arithmetic` warning, and the total is never a saturated number. Just
    /// under the limit a rule scores exactly, twice over and summed.
    #[test]
    fn sums_of_rules_never_saturate() {
        let mut src = String::from(
            "schema = \"pucha.pack/1\"\n[pack]\nid = \"sum\"\nversion = \"0.1.0\"\n\
             title = { zh = \"和\", en = \"sum\" }\n[[indicators]]\nid = \"a\"\ntitle = { zh = \"甲\", en = \"A\" }\n",
        );
        for i in 0..20 {
            src += &format!(
                "[[rules]]\nid = \"r{i}\"\nkind = \"deduction\"\nindicator = \"a\"\n\
                 title = {{ zh = \"错链\", en = \"Links\" }}\n\
                 measures.n = {{ fact = \"links.broken\", scope = \"homepage\" }}\n\
                 [[rules.cases]]\neach = \"n\"\npoints = 10000\n"
            );
        }
        let engine = Engine::new(RulePack::from_toml_str(&src, "sum.toml").unwrap());
        let score = |n: u64| {
            let obs = Observation::from_json_str(&format!(
                r#"{{"site": {{"name": "t"}}, "monitoring_point": "2015-06-30",
                    "links": {{"homepage_broken": {n}, "other_broken": 0}}}}"#
            ))
            .unwrap();
            engine.score(&obs)
        };
        let report = score(10_000_000_000_000);
        assert!(
            report
                .rules
                .iter()
                .all(|r| r.status == Status::NoData && r.missing == ["arithmetic"])
        );
        assert_eq!(
            report.warnings.iter().filter(|w| w.code == "arithmetic").count(),
            20
        );
        assert_eq!(report.total_deduction, Points::ZERO);
        assert!(!report.complete);
        // 100,000 × 10,000 = 10^9 points a rule: exact, and the twenty sum exactly.
        let report = score(100_000);
        assert!(report.rules.iter().all(|r| r.points == Points::RULE_MAX));
        assert_eq!(report.total_deduction, Points::from_tenths(200_000_000_000));
        assert!(report.warnings.iter().all(|w| w.code != "arithmetic"));
    }
}

/// Reports and tallies hand their lists back for the next score on the thread (`crate::eval::recycle`).
#[cfg(all(test, feature = "builtin-packs"))]
mod recycle_tests {
    use crate::{Engine, Observation};

    /// Reports scored one after another on a thread reuse the lists a dropped report handed back, and a report
    /// kept alive keeps its own: every report reads the same.
    #[test]
    fn reports_reuse_lists_and_read_the_same() {
        let engine = Engine::builtin("census-2015").unwrap();
        let obs = Observation::from_json_str(include_str!("../../../examples/observations/counts-only.json"))
            .unwrap();
        let first = engine.score(&obs).to_json();
        let tally = engine.tally(&obs);
        let kept = engine.score(&obs);
        for _ in 0..3 {
            let again = engine.score(&obs);
            assert_eq!(again.to_json(), first);
            assert_eq!(engine.tally(&obs), tally);
        }
        assert_eq!(kept.to_json(), first);
        let clone = kept.clone();
        drop(kept);
        assert_eq!(clone.to_json(), first);
        // The dropped report's lists wait, emptied, for the next score on this thread.
        let (m, r) = (
            crate::eval::recycle::take::<crate::eval::measure::Measured>(),
            crate::eval::recycle::take::<crate::eval::report::RuleRecord>(),
        );
        assert!(m.is_empty() && m.capacity() >= engine.pack().measure_count());
        assert!(r.is_empty() && r.capacity() >= engine.pack().rules().len());
        // So do its case and indicator lists, and the tallies' outcome list.
        let (c, i, o) = (
            crate::eval::recycle::take::<crate::eval::report::CaseOutcome>(),
            crate::eval::recycle::take::<crate::eval::report::IndicatorPoints>(),
            crate::eval::recycle::take::<crate::eval::engine::Outcome>(),
        );
        assert!(c.is_empty() && c.capacity() > 0);
        assert!(i.is_empty() && i.capacity() >= engine.pack().indicators().len());
        assert!(o.is_empty() && o.capacity() >= engine.pack().rules().len());
    }
}
