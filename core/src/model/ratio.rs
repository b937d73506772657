//! Exact rational numbers for points, rates and thresholds: no binary floating point anywhere.

use std::cmp::Ordering;
use std::fmt;

/// An exact fraction `num / den` with `den > 0`, always reduced, both parts within 64 bits.
///
/// Arithmetic is checked: a result whose reduced parts do not fit 64 bits, or a division by zero, yields `None`,
/// never a panic or a wrong number. Intermediate products are taken in 128 bits, where the product of two 64-bit
/// parts always fits, so every operation is exact up to that final check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i64,
    den: i64,
}

/// Greatest common divisor of two magnitudes (binary, so no division).
fn gcd64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// The same for 128-bit magnitudes (products before reduction; rarely beyond 64 bits).
fn gcd128(a: u128, b: u128) -> u128 {
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        return u128::from(gcd64(x, y));
    }
    let (mut a, mut b) = (a, b);
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced; `None` when `den` is zero or the reduced parts do not fit 64 bits.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        // Nearly always both fit in 64 bits: reduce there, with no 128-bit division.
        if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den))
            && n != i64::MIN
            && d != i64::MIN
        {
            let g = gcd64(n.unsigned_abs(), d.unsigned_abs()).max(1);
            // g ≤ |n|, |d| < 2^63, so it is a valid i64 and the divisions are exact.
            let g = i64::try_from(g).ok()?;
            let (mut n, mut d) = if g == 1 { (n, d) } else { (n / g, d / g) };
            if d < 0 {
                n = -n;
                d = -d;
            }
            return Some(Ratio { num: n, den: d });
        }
        let g = gcd128(num.unsigned_abs(), den.unsigned_abs()).max(1);
        let g = i128::try_from(g).ok()?;
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Ratio {
            num: i64::try_from(num).ok()?,
            den: i64::try_from(den).ok()?,
        })
    }

    /// A whole number.
    pub fn int(n: i64) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// A whole number from a count; `None` above `i64::MAX`.
    pub fn from_u64(n: u64) -> Option<Ratio> {
        i64::try_from(n).ok().map(Ratio::int)
    }

    /// Numerator (sign carrier).
    pub fn numer(&self) -> i128 {
        i128::from(self.num)
    }

    /// Denominator, always positive.
    pub fn denom(&self) -> i128 {
        i128::from(self.den)
    }

    /// Checked sum.
    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        self.plus_times(o, 1)
    }

    /// Checked difference.
    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.plus_times(o, -1)
    }

    /// `self + sign · o` for `sign` ±1, with the other operand negated in 128 bits (so `i64::MIN` is no special
    /// case).
    fn plus_times(self, o: Ratio, sign: i128) -> Option<Ratio> {
        let (a, b, c, d) = (
            i128::from(self.num),
            i128::from(self.den),
            sign * i128::from(o.num),
            i128::from(o.den),
        );
        if b == 1 && d == 1 {
            return i64::try_from(a + c).ok().map(Ratio::int);
        }
        if b == d {
            return Ratio::new(a + c, b);
        }
        // Each product is below 2^126 in magnitude, so their sum fits too.
        Ratio::new(a * d + c * b, b * d)
    }

    /// Checked product.
    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        if self.den == 1 && o.den == 1 {
            return Some(Ratio {
                num: self.num.checked_mul(o.num)?,
                den: 1,
            });
        }
        Ratio::new(
            i128::from(self.num) * i128::from(o.num),
            i128::from(self.den) * i128::from(o.den),
        )
    }

    /// Checked quotient; `None` on division by zero.
    pub fn checked_div(self, o: Ratio) -> Option<Ratio> {
        if o == Ratio::ONE {
            return Some(self);
        }
        if o.num == 0 {
            return None;
        }
        Ratio::new(
            i128::from(self.num) * i128::from(o.den),
            i128::from(self.den) * i128::from(o.num),
        )
    }

    /// Largest whole number not above the value.
    pub fn floor(self) -> Ratio {
        if self.den == 1 {
            return self;
        }
        Ratio::int(self.num.div_euclid(self.den))
    }

    /// The value in tenths, rounded half up (away from zero for positive values): 12.45 → 124.5 → 125.
    pub fn to_tenths_half_up(self) -> Option<i64> {
        if self.den == 1 {
            return self.num.checked_mul(10);
        }
        // floor((20·num + den) / (2·den)) is round-half-up; in 64 bits when it fits (nearly always), else in 128,
        // where it always does.
        if let Some(t) = self.num.checked_mul(20).and_then(|x| x.checked_add(self.den))
            && let Some(d2) = self.den.checked_mul(2)
        {
            return Some(t.div_euclid(d2));
        }
        let t = (i128::from(self.num) * 20 + i128::from(self.den)).div_euclid(i128::from(self.den) * 2);
        i64::try_from(t).ok()
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    /// Parse `12`, `0.1`, `-3.25`, `5%` (= 0.05) or `4/3`.
    pub fn parse(s: &str) -> Option<Ratio> {
        let s = s.trim();
        if let Some(p) = s.strip_suffix('%') {
            return Ratio::parse_decimal(p.trim())?.checked_div(Ratio::int(100));
        }
        if let Some((a, b)) = s.split_once('/') {
            return Ratio::parse_decimal(a.trim())?.checked_div(Ratio::parse_decimal(b.trim())?);
        }
        Ratio::parse_decimal(s)
    }

    fn parse_decimal(s: &str) -> Option<Ratio> {
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if int_part.len() + frac_part.len() > 30 {
            return None;
        }
        let mut num: i128 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            num = num.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        let den = 10i128.checked_pow(u32::try_from(frac_part.len()).ok()?)?;
        Ratio::new(if neg { -num } else { num }, den)
    }

    /// Convert a TOML/JSON float that a person wrote (`0.1`, `2.5`) exactly, through its shortest decimal form.
    pub fn from_written_f64(f: f64) -> Option<Ratio> {
        if !f.is_finite() {
            return None;
        }
        Ratio::parse(&format!("{f}"))
    }

    /// A lossy float for display only.
    pub fn to_f64_lossy(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        // a/b against c/d through a·d against c·b, exact in 128 bits.
        if self.den == other.den {
            return self.num.cmp(&other.num);
        }
        (i128::from(self.num) * i128::from(other.den)).cmp(&(i128::from(other.num) * i128::from(self.den)))
    }
}

impl Ratio {
    /// Append the value as [`fmt::Display`] would, with a fast path for whole numbers.
    pub fn push_to(self, out: &mut String) {
        if self.den == 1 {
            push_int(out, self.num);
            return;
        }
        use fmt::Write;
        let _ = write!(out, "{self}");
    }
}

/// Append an integer without going through `fmt`.
pub(crate) fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let v = n.unsigned_abs();
    let mut div = 1u64;
    while v / div >= 10 {
        div *= 10;
    }
    while div > 0 {
        out.push(char::from(b'0' + ((v / div) % 10) as u8));
        div /= 10;
    }
}

impl Points {
    /// Append as [`fmt::Display`] would (`12.5`, `40`), without going through `fmt`.
    pub fn push_to(self, out: &mut String) {
        if self.0 < 0 {
            out.push('-');
        }
        let a = self.0.unsigned_abs();
        push_int(out, i64::try_from(a / 10).unwrap_or(i64::MAX));
        if !a.is_multiple_of(10) {
            out.push('.');
            out.push(char::from(b'0' + (a % 10) as u8));
        }
    }
}

impl fmt::Display for Ratio {
    /// Exact decimal when the value has at most 4 decimal places, else 4 places rounded half up.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.num < 0;
        // In 128 bits, where 20,000·|num| + den cannot overflow; the whole part, at most |num| / den + 1, and the
        // four decimals are printed as 64-bit numbers (a build that prints no 128-bit number is smaller).
        let (num, den) = (
            u128::from(self.num.unsigned_abs()),
            u128::from(self.den.unsigned_abs()),
        );
        let q = (num * 20_000 + den) / (den * 2);
        let int = u64::try_from(q / 10_000).unwrap_or(u64::MAX);
        let rest = u64::try_from(q % 10_000).unwrap_or(0);
        let mut frac = format!("{rest:04}");
        while frac.ends_with('0') {
            frac.pop();
        }
        let sign = if neg && q != 0 { "-" } else { "" };
        if frac.is_empty() {
            write!(f, "{sign}{int}")
        } else {
            write!(f, "{sign}{int}.{frac}")
        }
    }
}

/// Points on the official 0.1 grid, held as whole tenths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(i64);

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);

    /// From whole tenths: `Points::from_tenths(27)` is 2.7.
    pub fn from_tenths(t: i64) -> Points {
        Points(t)
    }

    /// Whole tenths.
    pub fn tenths(self) -> i64 {
        self.0
    }

    /// Round an exact value half up onto the grid; `None` if it does not fit.
    pub fn from_ratio(r: Ratio) -> Option<Points> {
        r.to_tenths_half_up().map(Points)
    }

    /// The exact value.
    pub fn to_ratio(self) -> Ratio {
        // Tenths reduced by hand (10 = 2·5): no gcd needed.
        let t = self.0;
        let (num, den) = if t % 10 == 0 {
            (t / 10, 1)
        } else if t % 2 == 0 {
            (t / 2, 5)
        } else if t % 5 == 0 {
            (t / 5, 2)
        } else {
            (t, 10)
        };
        Ratio { num, den }
    }

    /// The most points one rule can give while scoring: 10⁹. More is an arithmetic overflow (the rule has no data,
    /// with a warning), never a saturated number: the sums of rules in a report then stay exact, in 64 bits and in a
    /// JSON number (below 2⁵³ tenths for any pack within the pack size limit).
    pub const RULE_MAX: Points = Points(10_000_000_000);

    /// `self + o` when it is at most [`Points::RULE_MAX`] (and neither is negative).
    pub fn rule_sum(self, o: Points) -> Option<Points> {
        self.0
            .checked_add(o.0)
            .filter(|t| (0..=Points::RULE_MAX.0).contains(t))
            .map(Points)
    }

    /// `self` when it is at most [`Points::RULE_MAX`].
    pub fn within_rule_max(self) -> Option<Points> {
        (self <= Points::RULE_MAX).then_some(self)
    }

    /// Saturating sum (of rules' points, each at most [`Points::RULE_MAX`], it does not saturate).
    pub fn plus(self, o: Points) -> Points {
        Points(self.0.saturating_add(o.0))
    }

    /// Saturating difference.
    pub fn minus(self, o: Points) -> Points {
        Points(self.0.saturating_sub(o.0))
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a.is_multiple_of(10) {
            write!(f, "{sign}{}", a / 10)
        } else {
            write!(f, "{sign}{}.{}", a / 10, a % 10)
        }
    }
}

impl serde::Serialize for Points {
    /// A JSON number with at most one decimal: `n / 10` as a double prints as its shortest decimal, which is exact.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 10 == 0 {
            s.serialize_i64(self.0 / 10)
        } else {
            s.serialize_f64(self.0 as f64 / 10.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tenths reduced by hand equal tenths reduced by gcd, over a range and at the ends of `i64`.
    #[test]
    fn points_to_ratio_is_reduced() {
        let ends = [i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX];
        for t in (-2000..=2000).chain(ends) {
            assert_eq!(
                Points(t).to_ratio(),
                Ratio::new(i128::from(t), 10).unwrap(),
                "{t}"
            );
        }
    }

    /// The 64-bit rounding agrees with the 128-bit formula, near and far from where `20·n + d` overflows.
    #[test]
    fn half_up_in_64_bits_agrees_with_128() {
        let mut seed = 11u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed
        };
        for _ in 0..20_000 {
            let shift = next() % 62;
            let n = i128::from((next() >> 2) as i64 >> shift) * if next() % 2 == 0 { 1 } else { -1 };
            let d = i128::from(((next() >> 2) as i64 >> (next() % 62)).max(1));
            let r = Ratio::new(n, d).unwrap();
            let want = (r.numer() * 20 + r.denom()).div_euclid(r.denom() * 2);
            assert_eq!(r.to_tenths_half_up(), i64::try_from(want).ok(), "{n}/{d}");
        }
    }

    #[test]
    fn tenths_add_exactly() {
        let tenth = Ratio::parse("0.1").unwrap();
        let mut sum = Ratio::ZERO;
        for _ in 0..27 {
            sum = sum.checked_add(tenth).unwrap();
        }
        assert_eq!(Points::from_ratio(sum).unwrap().to_string(), "2.7");
        assert_eq!(
            serde_json::to_string(&Points::from_ratio(sum).unwrap()).unwrap(),
            "2.7"
        );
    }

    #[test]
    fn parse_forms() {
        assert_eq!(Ratio::parse("5%"), Ratio::new(1, 20));
        assert_eq!(Ratio::parse("4/3"), Ratio::new(4, 3));
        assert_eq!(Ratio::parse("-2.50"), Ratio::new(-5, 2));
        assert_eq!(Ratio::parse("1e3"), None);
        assert_eq!(Ratio::parse("."), None);
        assert_eq!(Ratio::from_written_f64(0.1), Ratio::new(1, 10));
    }

    #[test]
    fn half_up() {
        assert_eq!(Ratio::new(125, 1000).unwrap().to_tenths_half_up(), Some(1)); // 0.125 → 0.1
        assert_eq!(Ratio::new(15, 100).unwrap().to_tenths_half_up(), Some(2)); // 0.15 → 0.2
        assert_eq!(Ratio::new(40, 3).unwrap().to_tenths_half_up(), Some(133));
        assert_eq!(Ratio::new(1, 3).unwrap().to_string(), "0.3333");
        assert_eq!(Points::from_tenths(400).to_string(), "40");
        assert_eq!(serde_json::to_string(&Points::from_tenths(401)).unwrap(), "40.1");
    }

    #[test]
    fn overflow_is_none() {
        let big = Ratio::int(i64::MAX / 2);
        assert_eq!(big.checked_mul(Ratio::int(4)), None);
        assert_eq!(big.checked_add(big).and_then(|x| x.checked_add(big)), None);
        assert_eq!(Ratio::ONE.checked_div(Ratio::ZERO), None);
        assert_eq!(Ratio::new(i128::from(i64::MAX) + 1, 1), None);
        assert_eq!(Ratio::from_u64(u64::MAX), None);
        // Parts beyond 64 bits that reduce into them are fine.
        assert_eq!(
            Ratio::new(i128::from(i64::MAX) * 6, 6),
            Some(Ratio::int(i64::MAX))
        );
        assert_eq!(Ratio::new(i128::from(i64::MIN), -1), None);
        assert_eq!(
            Ratio::new(i128::from(i64::MIN), 2),
            Some(Ratio::int(i64::MIN / 2))
        );
        // Sums and products whose intermediate values leave 64 bits but whose results do not.
        let x = Ratio::new(i128::from(i64::MAX), 3).unwrap();
        assert_eq!(
            x.checked_mul(Ratio::new(3, i128::from(i64::MAX)).unwrap()),
            Some(Ratio::ONE)
        );
        assert_eq!(x.checked_sub(x), Some(Ratio::ZERO));
        assert_eq!(Ratio::int(i64::MIN).to_string(), i64::MIN.to_string());
    }
}
