//! What a rule's expressions read during a score: each measure's value (or the range it can take), the parameters,
//! and the gates' context values; the exact evaluator natively, the range evaluator alone in WebAssembly.

use super::*;

#[derive(Clone)]
pub(super) struct MeasureEnv<'a> {
    pub(super) measured: &'a [Measured],
    pub(super) params: &'a [ParamValue],
    /// The parameters as expression values (`None`: a window length, which expressions do not read).
    pub(super) param_vals: &'a [Option<Val>],
    pub(super) context: [Option<Ratio>; 3],
    /// The upper ends of the context values where they are ranges (`None`: unbounded).
    pub(super) context_hi: [Option<Ratio>; 3],
    /// Each measure's fact: what a measure without a value can be.
    pub(super) defs: &'a [(&'static FactDef, Args)],
    /// Measures narrowed by an assumption (a veto that did not fire), read before their own ranges.
    pub(super) narrowed: &'a [(usize, Range)],
}

impl RangeEnv for MeasureEnv<'_> {
    fn range(&self, var: Var) -> Result<Range, Undefined> {
        match var {
            Var::Measure(i) => {
                if let Some((_, r)) = self.narrowed.iter().find(|(j, _)| *j == i) {
                    return Ok(r.clone());
                }
                let m = self.measured.get(i).ok_or(Undefined::NoData)?;
                match m.value() {
                    Ok(v) => return Ok(Range::exact(v)),
                    Err(Undefined::Arithmetic) => return Err(Undefined::Arithmetic),
                    Err(Undefined::NoData) => {}
                }
                let def = self.defs.get(i).map(|d| d.0);
                Ok(match def.map(|d| (d.ty, d.unit, d.id)) {
                    Some((expr::Ty::Bool, ..)) => Range::Bool(true, true),
                    Some((expr::Ty::Str, ..)) => Range::Str(None),
                    Some((_, crate::lang::facts::Unit::Rate, _)) => {
                        Range::Num(Some(Ratio::ZERO), Some(Ratio::ONE))
                    }
                    _ => {
                        let (lo, hi) = m.bounds;
                        let lo = Ratio::from_u64(lo).ok_or(Undefined::Arithmetic)?;
                        // An upper end beyond exact 64-bit values is no bound at all.
                        Range::Num(Some(lo), Ratio::from_u64(hi).filter(|_| hi != u64::MAX))
                    }
                })
            }
            // Gates only: each context value is the range its lower and upper ends give (`None`: unbounded).
            Var::Context(i) => Ok(Range::Num(
                self.context.get(i).copied().flatten(),
                self.context_hi.get(i).copied().flatten(),
            )),
            Var::Param(_) => self.get(var).map(|v| Range::exact(&v)),
        }
    }
}

impl MeasureEnv<'_> {
    /// Measure `i`'s value where it is, or why it has none.
    pub(super) fn measure(&self, i: usize) -> Result<&Val, Undefined> {
        self.measured.get(i).map_or(Err(Undefined::NoData), |m| m.value())
    }
}

impl Env for MeasureEnv<'_> {
    fn get(&self, var: Var) -> Result<Val, Undefined> {
        match var {
            Var::Measure(i) => self.measure(i).cloned(),
            Var::Param(i) => match self.param_vals.get(i) {
                Some(Some(v)) => Ok(v.clone()),
                _ => Err(Undefined::NoData),
            },
            Var::Context(i) => self
                .context
                .get(i)
                .copied()
                .flatten()
                .map(Val::Num)
                .ok_or(Undefined::NoData),
        }
    }

    fn num(&self, var: Var) -> Result<Ratio, Undefined> {
        match var {
            Var::Measure(i) => match self.measure(i)? {
                Val::Num(r) => Ok(*r),
                _ => Err(Undefined::Arithmetic),
            },
            _ => expr::num(self.get(var)),
        }
    }

    fn boolean(&self, var: Var) -> Result<bool, Undefined> {
        match var {
            Var::Measure(i) => match self.measure(i)? {
                Val::Bool(b) => Ok(*b),
                _ => Err(Undefined::Arithmetic),
            },
            Var::Param(i) => match self.param_vals.get(i) {
                Some(Some(Val::Bool(b))) => Ok(*b),
                Some(Some(_)) => Err(Undefined::Arithmetic),
                _ => Err(Undefined::NoData),
            },
            Var::Context(_) => match self.get(var)? {
                Val::Bool(b) => Ok(b),
                _ => Err(Undefined::Arithmetic),
            },
        }
    }

    fn get_ref(&self, var: Var) -> Result<std::borrow::Cow<'_, Val>, Undefined> {
        use std::borrow::Cow;
        match var {
            Var::Measure(i) => self.measure(i).map(Cow::Borrowed),
            Var::Param(i) => match self.param_vals.get(i) {
                Some(Some(v)) => Ok(Cow::Borrowed(v)),
                _ => Err(Undefined::NoData),
            },
            Var::Context(_) => self.get(var).map(Cow::Owned),
        }
    }
}

/// A condition's value, or why it has none (`NoData`: it depends on missing facts).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn eval_bool(c: &Compiled, env: &MeasureEnv<'_>) -> Result<bool, Undefined> {
    expr::bool_of(&c.expr, env)
}

/// An amount's value, or why it has none.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn eval_num(c: &Compiled, env: &MeasureEnv<'_>) -> Result<Ratio, Undefined> {
    expr::num_of(&c.expr, env)
}

/// The WebAssembly module, which favours size, reads conditions through the range evaluator alone (one evaluator
/// instead of two): a condition the ranges decide is decided, anything else is `NoData` and the rule is evaluated
/// over ranges, so reports are the same as natively (the Node tests run every shared vector through it).
#[cfg(target_arch = "wasm32")]
pub(super) fn eval_bool(c: &Compiled, env: &MeasureEnv<'_>) -> Result<bool, Undefined> {
    range::eval(&c.expr, env)?.decided().ok_or(Undefined::NoData)
}

/// The same for an amount: decided only when its range is one number.
#[cfg(target_arch = "wasm32")]
pub(super) fn eval_num(c: &Compiled, env: &MeasureEnv<'_>) -> Result<Ratio, Undefined> {
    match range::eval(&c.expr, env)? {
        Range::Num(Some(lo), Some(hi)) if lo == hi => Ok(lo),
        _ => Err(Undefined::NoData),
    }
}
