//! Expressions over intervals: what a condition or an amount can be for every value the measures' intervals allow
//! (`docs/rule-language.md`, "Verdicts on partial data").
//!
//! A number is an interval `[lo, hi]` whose ends may be unbounded, a boolean is the set of values it can take, text
//! is one value or unknown (the site kind an observation does not give). Comparisons decide only when they hold, or fail, for every value in the intervals;
//! `if` with an undecided condition joins both branches. Measures are independent: a name that appears twice is not
//! reasoned about jointly, so an answer may be undecided where joint reasoning would decide, never decided wrongly.

use crate::lang::expr::{Arith, ArithOp, Cmp, CmpOp, Expr, Undefined, Val, Var};
use crate::model::ratio::Ratio;
use std::cmp::Ordering;
use std::sync::Arc;

/// What a value can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Range {
    /// A number in `[lo, hi]`; `None` is unbounded on that side.
    Num(Option<Ratio>, Option<Ratio>),
    /// A boolean: whether it can be true, whether it can be false.
    Bool(bool, bool),
    /// Text: this value, or one of several (`None`: the site kind when the observation does not say).
    Str(Option<Arc<str>>),
}

impl Range {
    /// The range of exactly one value.
    pub fn exact(v: &Val) -> Range {
        match v {
            Val::Num(r) => Range::Num(Some(*r), Some(*r)),
            Val::Bool(b) => Range::Bool(*b, !*b),
            Val::Str(s) => Range::Str(Some(s.clone())),
        }
    }

    /// A boolean that holds for every value (`Some(true)`), for none (`Some(false)`), or is undecided.
    pub fn decided(&self) -> Option<bool> {
        match self {
            Range::Bool(true, false) => Some(true),
            Range::Bool(false, true) => Some(false),
            _ => None,
        }
    }

    /// Everything either range can be.
    fn join(self, other: Range) -> Range {
        match (self, other) {
            (Range::Num(a, b), Range::Num(c, d)) => Range::Num(lo_min(a, c), hi_max(b, d)),
            (Range::Bool(a, b), Range::Bool(c, d)) => Range::Bool(a || c, b || d),
            (Range::Str(Some(a)), Range::Str(Some(b))) if a == b => Range::Str(Some(a)),
            _ => Range::Str(None),
        }
    }
}

/// The values of variables as ranges.
pub trait RangeEnv {
    /// What `var` can be; `Arithmetic` when it cannot be computed at all.
    fn range(&self, var: Var) -> Result<Range, Undefined>;
}

/// The lower of two lower ends (`None`: unbounded below).
fn lo_min(a: Option<Ratio>, b: Option<Ratio>) -> Option<Ratio> {
    Some(a?.min(b?))
}

/// The higher of two upper ends (`None`: unbounded above).
fn hi_max(a: Option<Ratio>, b: Option<Ratio>) -> Option<Ratio> {
    Some(a?.max(b?))
}

/// An end of an interval on the extended line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ext {
    NegInf,
    Fin(Ratio),
    PosInf,
}

impl Ext {
    fn sign(self) -> Ordering {
        match self {
            Ext::NegInf => Ordering::Less,
            Ext::PosInf => Ordering::Greater,
            Ext::Fin(r) => r.cmp(&Ratio::ZERO),
        }
    }

    /// The product of two ends, with 0 · ∞ = 0 (an unbounded end times zero is zero).
    fn mul(self, o: Ext) -> Result<Ext, Undefined> {
        match (self, o) {
            (Ext::Fin(a), Ext::Fin(b)) => a.checked_mul(b).map(Ext::Fin).ok_or(Undefined::Arithmetic),
            _ => Ok(match self.sign() as i8 * o.sign() as i8 {
                0 => Ext::Fin(Ratio::ZERO),
                1 => Ext::PosInf,
                _ => Ext::NegInf,
            }),
        }
    }
}

fn ends(lo: Option<Ratio>, hi: Option<Ratio>) -> (Ext, Ext) {
    (lo.map_or(Ext::NegInf, Ext::Fin), hi.map_or(Ext::PosInf, Ext::Fin))
}

fn num_of(lo: Ext, hi: Ext) -> Range {
    let fin = |e: Ext| match e {
        Ext::Fin(r) => Some(r),
        _ => None,
    };
    Range::Num(fin(lo), fin(hi))
}

fn nums(r: Range) -> Result<(Option<Ratio>, Option<Ratio>), Undefined> {
    match r {
        Range::Num(a, b) => Ok((a, b)),
        _ => Err(Undefined::Arithmetic),
    }
}

fn bools(r: Range) -> Result<(bool, bool), Undefined> {
    match r {
        Range::Bool(t, f) => Ok((t, f)),
        _ => Err(Undefined::Arithmetic),
    }
}

fn add(a: Option<Ratio>, b: Option<Ratio>) -> Result<Option<Ratio>, Undefined> {
    match (a, b) {
        (Some(x), Some(y)) => x.checked_add(y).map(Some).ok_or(Undefined::Arithmetic),
        _ => Ok(None),
    }
}

fn neg(a: Option<Ratio>) -> Result<Option<Ratio>, Undefined> {
    a.map(|x| Ratio::ZERO.checked_sub(x).ok_or(Undefined::Arithmetic))
        .transpose()
}

fn arith(
    op: Arith,
    (a, b): (Option<Ratio>, Option<Ratio>),
    (c, d): (Option<Ratio>, Option<Ratio>),
) -> Result<Range, Undefined> {
    match op {
        Arith::Add => Ok(Range::Num(add(a, c)?, add(b, d)?)),
        Arith::Sub => Ok(Range::Num(add(a, neg(d)?)?, add(b, neg(c)?)?)),
        Arith::Mul => {
            let ((x0, x1), (y0, y1)) = (ends(a, b), ends(c, d));
            let p = [x0.mul(y0)?, x0.mul(y1)?, x1.mul(y0)?, x1.mul(y1)?];
            let lo = p.iter().copied().min().unwrap_or(Ext::NegInf);
            let hi = p.iter().copied().max().unwrap_or(Ext::PosInf);
            Ok(num_of(lo, hi))
        }
        Arith::Div => {
            if (c, d) == (Some(Ratio::ZERO), Some(Ratio::ZERO)) {
                return Err(Undefined::Arithmetic);
            }
            // A divisor that can be zero (or change sign) leaves the quotient unbounded both ways.
            let (y0, y1) = ends(c, d);
            if y0.sign() != Ordering::Greater && y1.sign() != Ordering::Less {
                return Ok(Range::Num(None, None));
            }
            let inv = |e: Ext| match e {
                Ext::Fin(r) => Ratio::ONE
                    .checked_div(r)
                    .map(Ext::Fin)
                    .ok_or(Undefined::Arithmetic),
                _ => Ok(Ext::Fin(Ratio::ZERO)),
            };
            let (i0, i1) = (inv(y1)?, inv(y0)?);
            let fin = |e: Ext| match e {
                Ext::Fin(r) => Some(r),
                _ => None,
            };
            arith(Arith::Mul, (a, b), (fin(i0), fin(i1)))
        }
    }
}

/// Whether `x op y` can hold and can fail, for `x` in `[a, b]` and `y` in `[c, d]`.
fn compare(op: Cmp, (a, b): (Option<Ratio>, Option<Ratio>), (c, d): (Option<Ratio>, Option<Ratio>)) -> Range {
    let ((x0, x1), (y0, y1)) = (ends(a, b), ends(c, d));
    // Certainly below / not above / … : every x against every y.
    let lt_all = x1 < y0;
    let le_all = x1 <= y0;
    let gt_all = x0 > y1;
    let ge_all = x0 >= y1;
    let point = x0 == x1 && y0 == y1 && x0 == y0 && matches!(x0, Ext::Fin(_));
    let (t, f) = match op {
        Cmp::Lt => (!ge_all, !lt_all),
        Cmp::Le => (!gt_all, !le_all),
        Cmp::Gt => (!le_all, !gt_all),
        Cmp::Ge => (!lt_all, !ge_all),
        Cmp::Eq => (!(lt_all || gt_all), !point),
        Cmp::Ne => (!point, !(lt_all || gt_all)),
    };
    Range::Bool(t, f)
}

/// Whether two text or boolean ranges can be equal and can differ.
fn equality(l: Range, r: Range) -> Result<(bool, bool), Undefined> {
    match (l, r) {
        (Range::Bool(t1, f1), Range::Bool(t2, f2)) => {
            Ok(((t1 && t2) || (f1 && f2), (t1 && f2) || (f1 && t2)))
        }
        (Range::Str(Some(a)), Range::Str(Some(b))) => Ok((a == b, a != b)),
        (Range::Str(_), Range::Str(_)) => Ok((true, true)),
        _ => Err(Undefined::Arithmetic),
    }
}

/// Evaluate `e` over ranges. `Arithmetic` when it overflows or certainly divides by zero.
pub fn eval(e: &Expr, env: &dyn RangeEnv) -> Result<Range, Undefined> {
    match e {
        Expr::Lit(v) => Ok(Range::exact(v)),
        Expr::Var(v) => env.range(*v),
        Expr::Neg(a) => {
            let (lo, hi) = nums(eval(a, env)?)?;
            Ok(Range::Num(neg(hi)?, neg(lo)?))
        }
        Expr::Not(a) => {
            let (t, f) = bools(eval(a, env)?)?;
            Ok(Range::Bool(f, t))
        }
        Expr::And(a, b) | Expr::Or(a, b) => {
            let and = matches!(e, Expr::And(..));
            let (l, r) = (eval(a, env).and_then(bools), eval(b, env).and_then(bools));
            // The value that decides alone (false for `and`, true for `or`) decides even beside a failure.
            let decides = |x: &Result<(bool, bool), Undefined>| matches!(x, Ok((t, f)) if if and { !*t && *f } else { *t && !*f });
            if decides(&l) || decides(&r) {
                return Ok(Range::Bool(!and, and));
            }
            let ((t1, f1), (t2, f2)) = (l?, r?);
            Ok(if and {
                Range::Bool(t1 && t2, f1 || f2)
            } else {
                Range::Bool(t1 || t2, f1 && f2)
            })
        }
        Expr::Cmp(CmpOp(op), a, b) => {
            let (l, r) = (eval(a, env)?, eval(b, env)?);
            match (l, r) {
                (Range::Num(x0, x1), Range::Num(y0, y1)) => Ok(compare(*op, (x0, x1), (y0, y1))),
                (l, r) => {
                    let (same, differ) = equality(l, r)?;
                    Ok(if *op == Cmp::Ne {
                        Range::Bool(differ, same)
                    } else {
                        Range::Bool(same, differ)
                    })
                }
            }
        }
        Expr::Arith(ArithOp(op), a, b) => arith(*op, nums(eval(a, env)?)?, nums(eval(b, env)?)?),
        Expr::If(c, a, b) => match bools(eval(c, env)?)? {
            (true, false) => eval(a, env),
            (false, _) => eval(b, env),
            (true, true) => Ok(eval(a, env)?.join(eval(b, env)?)),
        },
        Expr::Min(es) | Expr::Max(es) => {
            let min = matches!(e, Expr::Min(_));
            let mut acc: Option<(Option<Ratio>, Option<Ratio>)> = None;
            for x in es {
                let (lo, hi) = nums(eval(x, env)?)?;
                acc = Some(match acc {
                    None => (lo, hi),
                    // min: the lower ends' minimum, the upper ends' minimum (unbounded is no limit there).
                    Some((a, b)) if min => (lo_min(a, lo), upper_min(b, hi)),
                    Some((a, b)) => (lower_max(a, lo), hi_max(b, hi)),
                });
            }
            let (lo, hi) = acc.ok_or(Undefined::Arithmetic)?;
            Ok(Range::Num(lo, hi))
        }
        Expr::Floor(a) => {
            let (lo, hi) = nums(eval(a, env)?)?;
            Ok(Range::Num(lo.map(Ratio::floor), hi.map(Ratio::floor)))
        }
    }
}

/// Narrow the ranges of measures that `e` compares with a number, assuming `e` is false (a veto that did not fire):
/// `x >= c` false gives `x < c` (for a whole count, `x <= c - 1`), `a or b` false narrows by both. Other forms
/// assume nothing, which keeps the answer sound. `whole(i)` says whether measure `i` is a whole count; `out` holds
/// the narrowed ranges, read before the environment's.
pub(crate) fn narrow_false(
    e: &Expr,
    env: &dyn RangeEnv,
    whole: &dyn Fn(usize) -> bool,
    out: &mut Vec<(usize, Range)>,
) {
    match e {
        Expr::Or(a, b) => {
            narrow_false(a, env, whole, out);
            narrow_false(b, env, whole, out);
        }
        Expr::Cmp(CmpOp(op), a, b) => {
            let (Expr::Var(Var::Measure(i)), Expr::Lit(Val::Num(c))) = (&**a, &**b) else {
                return;
            };
            let current = match out.iter().find(|(j, _)| j == i) {
                Some((_, r)) => Ok(r.clone()),
                None => env.range(Var::Measure(*i)),
            };
            let Ok(Range::Num(mut lo, mut hi)) = current else {
                return;
            };
            let c = *c;
            let int = whole(*i);
            let ceil = |x: Ratio| {
                let f = x.floor();
                if f == x {
                    Some(f)
                } else {
                    f.checked_add(Ratio::ONE)
                }
            };
            let step = |x: Option<Ratio>, d: i64| x.and_then(|x| x.checked_add(Ratio::int(d)));
            match op {
                Cmp::Ge => hi = upper_min(hi, if int { step(ceil(c), -1) } else { Some(c) }),
                Cmp::Gt => hi = upper_min(hi, if int { Some(c.floor()) } else { Some(c) }),
                Cmp::Le => lo = lower_max(lo, if int { step(Some(c.floor()), 1) } else { Some(c) }),
                Cmp::Lt => lo = lower_max(lo, if int { ceil(c) } else { Some(c) }),
                Cmp::Eq if int => {
                    if lo == Some(c) {
                        lo = step(lo, 1);
                    }
                    if hi == Some(c) {
                        hi = step(hi, -1);
                    }
                }
                Cmp::Eq => {}
                Cmp::Ne => {
                    lo = lower_max(lo, Some(c));
                    hi = upper_min(hi, Some(c));
                }
            }
            // An assumption no value meets leaves the range as it was.
            if lo.zip(hi).is_some_and(|(l, h)| l > h) {
                return;
            }
            out.retain(|(j, _)| j != i);
            out.push((*i, Range::Num(lo, hi)));
        }
        _ => {}
    }
}

fn upper_min(a: Option<Ratio>, b: Option<Ratio>) -> Option<Ratio> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

fn lower_max(a: Option<Ratio>, b: Option<Ratio>) -> Option<Ratio> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) | (None, x) => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::expr::{Scope, Ty, compile};

    struct S;
    impl Scope for S {
        fn name(&mut self, name: &str) -> Result<(Var, Ty), String> {
            match name {
                "x" => Ok((Var::Measure(0), Ty::Num)),
                "y" => Ok((Var::Measure(1), Ty::Num)),
                "kind" => Ok((Var::Measure(2), Ty::Str)),
                "flag" => Ok((Var::Measure(3), Ty::Bool)),
                _ => Err(format!("unknown `{name}`")),
            }
        }
        fn param(&mut self, _: &str) -> Result<(Var, Ty), String> {
            Err("no params".into())
        }
    }
    struct E(Vec<Range>);
    impl RangeEnv for E {
        fn range(&self, v: Var) -> Result<Range, Undefined> {
            match v {
                Var::Measure(i) => self.0.get(i).cloned().ok_or(Undefined::NoData),
                _ => Err(Undefined::NoData),
            }
        }
    }
    fn n(lo: i64, hi: Option<i64>) -> Range {
        Range::Num(Some(Ratio::int(lo)), hi.map(Ratio::int))
    }
    fn run(src: &str, x: Range, y: Range) -> Range {
        let (e, _) = compile(src, &mut S).unwrap();
        let kinds = Range::Str(None);
        eval(&e, &E(vec![x, y, kinds, Range::Bool(true, true)])).unwrap()
    }

    #[test]
    fn monotone_conditions_decide_at_the_ends() {
        assert_eq!(
            run("x + y >= 5", n(5, Some(6)), n(0, Some(1))).decided(),
            Some(true)
        );
        assert_eq!(
            run("x + y >= 5", n(3, Some(3)), n(0, Some(1))).decided(),
            Some(false)
        );
        assert_eq!(run("x + y >= 5", n(4, Some(4)), n(0, Some(1))).decided(), None);
        assert_eq!(run("x >= 5", n(5, None), n(0, None)).decided(), Some(true));
    }

    #[test]
    fn non_monotone_conditions_need_every_value() {
        // x == 3 with x in [0, 5] holds for 3 and fails for the rest: undecided, though both ends say false.
        assert_eq!(run("x == 3", n(0, Some(5)), n(0, None)).decided(), None);
        assert_eq!(run("x == 3", n(4, None), n(0, None)).decided(), Some(false));
        assert_eq!(run("x == 3", n(3, Some(3)), n(0, None)).decided(), Some(true));
        assert_eq!(run("x < 10 and x > 0", n(0, None), n(0, None)).decided(), None);
        assert_eq!(
            run("x < 10 and x > 0", n(12, None), n(0, None)).decided(),
            Some(false)
        );
    }

    #[test]
    fn unknown_kind_decides_when_every_threshold_agrees() {
        let src = "x < if(kind == 'portal', 6, 3)";
        assert_eq!(run(src, n(2, Some(2)), n(0, None)).decided(), Some(true));
        assert_eq!(run(src, n(8, Some(8)), n(0, None)).decided(), Some(false));
        assert_eq!(run(src, n(4, Some(4)), n(0, None)).decided(), None);
    }

    #[test]
    fn arithmetic_over_unbounded_ends() {
        assert_eq!(
            run("x * 0.1", n(2, None), n(0, None)),
            Range::Num(Ratio::new(1, 5), None)
        );
        assert_eq!(
            run("x - y", n(2, Some(3)), n(0, None)),
            Range::Num(None, Some(Ratio::int(3)))
        );
        assert_eq!(run("x / y", n(2, Some(3)), n(0, Some(1))), Range::Num(None, None));
        assert_eq!(run("min(x, 4)", n(2, None), n(0, None)), n(2, Some(4)));
        assert_eq!(run("max(x, 4)", n(2, None), n(0, None)), n(4, None));
        assert_eq!(run("floor(x / 2)", n(3, Some(5)), n(0, None)), n(1, Some(2)));
    }

    #[test]
    fn three_valued_logic() {
        assert_eq!(
            run("flag and x > 3", n(0, Some(1)), n(0, None)).decided(),
            Some(false)
        );
        assert_eq!(run("flag or x > 3", n(5, None), n(0, None)).decided(), Some(true));
        assert_eq!(run("not flag", n(0, None), n(0, None)).decided(), None);
    }
}
