//! Verdicts on partial data: a rule whose facts are missing evaluated over the ranges they can take, a deduction
//! a veto applies in place of, and the rules a report lists as undecided (`docs/rule-language.md`).

use super::env::MeasureEnv;
use super::*;

impl Engine {
    /// A deduction whose pack names the veto that applies in its place (`veto_instead`, the earlier rule `v`), given
    /// how that veto came out: once it fires the deduction gives nothing (`not_applicable`, "veto instead"); while
    /// it can still fire the deduction's certain points are 0 and its most is what it gives should the veto not fire.
    #[cold]
    #[inline(never)]
    pub(super) fn veto_instead(
        &self,
        rule: &Rule,
        v: usize,
        veto: Status,
        veto_missing: &[&'static str],
        env: &MeasureEnv<'_>,
        ev: &mut RuleEval,
    ) {
        let data = &*self.pack.data;
        match veto {
            Status::Applied => {
                ev.status = Status::NotApplicable;
                ev.points = Points::ZERO;
                ev.points_max = Some(Points::ZERO);
                ev.decider = Decider::VetoInstead;
                ev.missing.clear();
            }
            Status::NoData => {
                // Each comparison of a measure with a number in the veto, assumed not to hold, narrows the measure.
                let mut narrowed = Vec::new();
                if let Some(vr) = data.rules.get(v) {
                    let whole = |i: usize| {
                        data.measures
                            .get(i)
                            .is_some_and(|d| d.0.unit == crate::lang::facts::Unit::Count)
                    };
                    for w in vr.cases.iter().filter_map(|c| c.when.as_ref()) {
                        range::narrow_false(&w.expr, env, &whole, &mut narrowed);
                    }
                }
                let assumed = MeasureEnv {
                    narrowed: &narrowed,
                    ..env.clone()
                };
                let without =
                    self.eval_rule_ranges(rule, &assumed, None, RuleEval::blank(Status::Passed), Vec::new());
                ev.points = Points::ZERO;
                ev.points_max = without.points_max;
                if ev.points_max != Some(Points::ZERO) {
                    ev.status = Status::NoData;
                    ev.decider = Decider::None;
                    for m in veto_missing {
                        if !ev.missing.contains(m) {
                            ev.missing.push(m);
                        }
                    }
                } else if matches!(ev.status, Status::NoData | Status::Applied) {
                    ev.status = Status::Passed;
                }
            }
            _ => {}
        }
    }

    /// Evaluate a rule whose outcome depends on missing facts over the ranges those facts can take
    /// (`docs/rule-language.md`, "Verdicts on partial data"): each case holds, fails, or can go either way; the rule's
    /// points are the least and the most its possible outcomes give; a veto is applied only when it fires for every
    /// value, and `no_data` while it still can.
    // Out of line: the slow path of partial data, kept off the code of fully known observations.
    #[cold]
    #[inline(never)]
    pub(super) fn eval_rule_ranges(
        &self,
        rule: &Rule,
        env: &MeasureEnv<'_>,
        mut cases: Option<&mut Vec<CaseOutcome>>,
        mut out: RuleEval,
        missing: Vec<&'static str>,
    ) -> RuleEval {
        let failed = std::cell::Cell::new(false);
        let cond = |c: Option<&Compiled>| match c {
            None => (true, false),
            Some(w) => match range::eval(&w.expr, env) {
                Ok(Range::Bool(t, f)) => (t, f),
                Ok(_) => (true, true),
                Err(_) => {
                    failed.set(true);
                    (true, true)
                }
            },
        };
        let mut arithmetic = out.arithmetic;
        let (applies_t, applies_f) = cond(rule.applies.as_ref());
        if !applies_t {
            out.status = Status::NotApplicable;
            out.decider = Decider::Applies;
            return out;
        }
        let (mut lo, mut hi) = (Points::ZERO, Some(Points::ZERO));
        // `first`: the outcomes of every case that can be first, and the fall-through when every case can fail.
        let (mut first_lo, mut first_hi, mut reachable) = (None::<Points>, Some(Points::ZERO), true);
        let (mut fires, mut can_fire) = (false, false);
        for (case_ix, case) in rule.cases.iter().enumerate() {
            if rule.first && !reachable {
                break;
            }
            let (t, f) = cond(case.when.as_ref());
            let (plo, phi) = match self.case_points_range(&case.points, env) {
                Ok(p) => p,
                Err(_) => {
                    arithmetic = true;
                    (Points::ZERO, None)
                }
            };
            let certain = t && !f;
            if let Some(c) = cases.as_deref_mut() {
                c.push(CaseOutcome {
                    matched: if certain {
                        Some(true)
                    } else if !t {
                        Some(false)
                    } else {
                        None
                    },
                    points: if certain { plo } else { Points::ZERO },
                });
                out.cases_at.1 += 1;
            }
            if certain && out.decider == Decider::None && case.when.is_some() {
                out.decider = Decider::Case(u32::try_from(case_ix).unwrap_or(u32::MAX));
            }
            fires |= certain;
            can_fire |= t;
            if rule.first {
                if t {
                    first_lo = Some(first_lo.map_or(plo, |x| x.min(plo)));
                    first_hi = first_hi.zip(phi).map(|(a, b)| a.max(b));
                }
                reachable &= f;
            } else {
                if certain {
                    match lo.rule_sum(plo) {
                        Some(x) => lo = x,
                        None => arithmetic = true,
                    }
                }
                if t {
                    // Past what a rule can give: no bound.
                    hi = hi.zip(phi).and_then(|(a, b)| a.rule_sum(b));
                }
            }
        }
        if rule.first {
            lo = match first_lo {
                Some(x) if !reachable => x,
                _ => Points::ZERO,
            };
            hi = first_hi;
        }
        // A rule that may not apply may give nothing.
        if applies_f {
            lo = Points::ZERO;
            fires = false;
        }
        if let Some(cap) = rule.cap.and_then(Points::from_ratio) {
            lo = lo.min(cap);
            hi = Some(hi.map_or(cap, |h| h.min(cap)));
        }
        arithmetic |= failed.get();
        out.points = lo;
        out.points_max = hi;
        out.arithmetic = arithmetic;
        out.status = match rule.kind {
            RuleKind::Veto if fires => Status::Applied,
            RuleKind::Veto if can_fire => Status::NoData,
            RuleKind::Veto => {
                if out.review > 0 {
                    Status::NeedsReview
                } else {
                    Status::Passed
                }
            }
            _ if hi != Some(lo) => Status::NoData,
            _ if !lo.is_zero() => Status::Applied,
            _ if out.review > 0 => Status::NeedsReview,
            _ => Status::Passed,
        };
        if rule.kind == RuleKind::Veto {
            out.points_max = Some(Points::ZERO);
        }
        if out.status == Status::NoData {
            out.missing = missing;
            if out.missing.is_empty() && arithmetic {
                out.missing.push("arithmetic");
            }
        }
        out
    }

    /// The least and the most points a case can give over the ranges of its facts, each rounded half up to 0.1
    /// (rounding keeps order, so the ends stay the ends); negative points count as 0. `None` above: no bound.
    pub(super) fn case_points_range(
        &self,
        p: &PointsSpec,
        env: &MeasureEnv<'_>,
    ) -> Result<(Points, Option<Points>), Undefined> {
        let (lo, hi) = match p {
            PointsSpec::None => (Some(Ratio::ZERO), Some(Ratio::ZERO)),
            PointsSpec::Fixed(r) => (Some(*r), Some(*r)),
            PointsSpec::Expr(e) => match range::eval(&e.expr, env)? {
                Range::Num(lo, hi) => (lo, hi),
                _ => return Err(Undefined::Arithmetic),
            },
            PointsSpec::Each {
                count,
                unit,
                per,
                steps,
            } => {
                let Range::Num(clo, chi) = range::eval(&count.expr, env)? else {
                    return Err(Undefined::Arithmetic);
                };
                let whole = whole_steps(*steps, env.params);
                let scale = |c: Ratio| each_points(c, *unit, *per, whole);
                // `unit` is a pack number: a negative one turns the ends round.
                let (a, b) = (clo.map(scale).transpose()?, chi.map(scale).transpose()?);
                if *unit < Ratio::ZERO { (b, a) } else { (a, b) }
            }
        };
        let grid = |r: Option<Ratio>| r.map(|r| Points::from_ratio(r.max(Ratio::ZERO)));
        let lo = match grid(lo) {
            Some(Some(p)) if p <= Points::RULE_MAX => p,
            Some(_) => return Err(Undefined::Arithmetic),
            None => Points::ZERO,
        };
        Ok((lo, grid(hi).flatten().and_then(Points::within_rule_max)))
    }
}

/// The rules a report lists as undecided, in pack order: the vetoes that could still fire and the rules whose
/// points could still grow.
pub(super) fn undecided(
    data: &crate::lang::pack::PackData,
    outcomes: impl Iterator<Item = (Status, Points, Option<Points>)>,
) -> Vec<Arc<str>> {
    data.rules
        .iter()
        .zip(outcomes)
        .filter(|(r, (st, p, max))| {
            if r.kind == RuleKind::Veto {
                *st == Status::NoData
            } else {
                *max != Some(*p)
            }
        })
        .map(|(r, _)| r.id.clone())
        .collect()
}
