//! Monitoring windows: "监测时间点前××内" as inclusive ranges of China Standard Time calendar dates.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::fmt;

/// A unit of window length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Calendar day.
    Day,
    /// Seven days.
    Week,
    /// Calendar month, clamped to the target month's last day.
    Month,
    /// Twelve calendar months.
    Year,
}

/// Days in `month` (1–12) of `year` (proleptic Gregorian).
fn month_len(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Leap year: divisible by 4, and not by 100 unless by 400 (`% 25` and `& 15` are the cheap forms).
fn is_leap(year: i64) -> bool {
    year & 3 == 0 && (year % 25 != 0 || year & 15 == 0)
}

/// Days from `start` to `end` when they are in the same or in consecutive years (`None` otherwise), from their
/// years and days of the year, which a `NaiveDate` holds directly.
fn days_between(start: NaiveDate, end: NaiveDate) -> Option<i64> {
    let (sy, ey) = (i64::from(start.year()), i64::from(end.year()));
    let (so, eo) = (i64::from(start.ordinal()), i64::from(end.ordinal()));
    if ey == sy {
        Some(eo - so)
    } else if ey == sy + 1 {
        Some(eo + 365 + i64::from(is_leap(sy)) - so)
    } else {
        None
    }
}

/// `d` moved by `n` calendar months, clamping the day to the target month's last day (03-31 − 1 month = 02-28).
pub fn shift_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let total = i64::from(d.year())
        .checked_mul(12)?
        .checked_add(i64::from(d.month0()))?
        .checked_add(n)?;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u32::try_from(total.rem_euclid(12)).ok()? + 1;
    let last = u32::try_from(month_len(i64::from(year), i64::from(month))).unwrap_or(28);
    NaiveDate::from_ymd_opt(year, month, d.day().min(last))
}

/// A window length such as `2w`, `6mo`, `1y`, `3个月`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// How many units.
    pub n: u32,
    /// Which unit.
    pub unit: Unit,
}

impl Span {
    /// Parse `15d`/`15天`/`15日`, `2w`/`2周`, `6mo`/`6个月`/`6月`, `1y`/`1年`.
    pub fn parse(s: &str) -> Option<Span> {
        let s = s.trim();
        let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(digits_end);
        if num.is_empty() || num.len() > 6 {
            return None;
        }
        let n: u32 = num.parse().ok()?;
        let unit = unit.trim();
        let is = |names: &[&str]| names.iter().any(|n| unit.eq_ignore_ascii_case(n));
        let unit = if is(&["d", "天", "日"]) {
            Unit::Day
        } else if is(&["w", "周", "星期"]) {
            Unit::Week
        } else if is(&["mo", "个月", "月"]) {
            Unit::Month
        } else if is(&["y", "年"]) {
            Unit::Year
        } else {
            return None;
        };
        Some(Span { n, unit })
    }

    /// The date reached by going back this span from `point`, clamping month ends; `None` before year 1.
    pub fn back_from(self, point: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => point.checked_sub_days(Days::new(u64::from(self.n))),
            Unit::Week => point.checked_sub_days(Days::new(u64::from(self.n) * 7)),
            Unit::Month => shift_months(point, -i64::from(self.n)),
            Unit::Year => shift_months(point, -i64::from(self.n).checked_mul(12)?),
        }
    }

    /// The date reached by going forward this span from `start`, clamping month ends.
    pub fn forward_from(self, start: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => start.checked_add_days(Days::new(u64::from(self.n))),
            Unit::Week => start.checked_add_days(Days::new(u64::from(self.n) * 7)),
            Unit::Month => shift_months(start, i64::from(self.n)),
            Unit::Year => shift_months(start, i64::from(self.n).checked_mul(12)?),
        }
    }

    /// Whether `end` falls after the date this span reaches from `start` (`end > forward_from(start)`; false when
    /// that date is out of range). For many tests with one span, make its [`Deadline`] once.
    pub fn exceeded(self, start: NaiveDate, end: NaiveDate) -> bool {
        self.deadline().exceeded(start, end)
    }

    /// The test of [`Span::exceeded`], prepared once for many start dates (one per consultation message).
    pub fn deadline(self) -> Deadline {
        let n = i64::from(self.n);
        let (months, lo, hi) = match self.unit {
            Unit::Day => (0, n, n),
            Unit::Week => (0, n * 7, n * 7),
            // `m` months reach at least `30m − 2⌈m/12⌉ − 3` days (one February in twelve months; a clamped day
            // loses at most 3) and at most `31m`.
            Unit::Month | Unit::Year => {
                let m = if self.unit == Unit::Year { n * 12 } else { n };
                (m, 30 * m - 2 * ((m + 11) / 12) - 3, 31 * m)
            }
        };
        Deadline {
            span: self,
            months,
            lo,
            hi,
        }
    }

    /// The window of this span ending at `point`.
    pub fn window(self, point: NaiveDate) -> Window {
        let from = self.back_from(point).unwrap_or(NaiveDate::MIN);
        Window { from, to: point }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = match self.unit {
            Unit::Day => "d",
            Unit::Week => "w",
            Unit::Month => "mo",
            Unit::Year => "y",
        };
        write!(f, "{}{u}", self.n)
    }
}

impl Span {
    /// The span in Chinese, e.g. `2 周`, `6 个月`.
    pub fn zh(&self) -> String {
        let u = match self.unit {
            Unit::Day => "天",
            Unit::Week => "周",
            Unit::Month => "个月",
            Unit::Year => "年",
        };
        format!("{} {u}", self.n)
    }

    /// The span in English, e.g. `2 weeks`, `1 year`.
    pub fn en(&self) -> String {
        let u = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        format!("{} {u}{}", self.n, if self.n == 1 { "" } else { "s" })
    }
}

/// A span's deadline test, prepared once ([`Span::deadline`]): whether a wait from one date to another went past
/// the date the span reaches.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    span: Span,
    /// Months of a month or year span; 0 for days and weeks (and `0mo`), which `Span::forward_from` decides.
    months: i64,
    /// Waits of at most this many days are never past the deadline.
    lo: i64,
    /// Waits of more than this many days always are.
    hi: i64,
}

impl Deadline {
    /// Whether `end` falls after the date the span reaches from `start` (false when that date is out of range).
    /// Nearly always decided by the days between the two dates, from their years and days of the year; otherwise
    /// month spans work out the clamped deadline's year and day of the year and compare them with `end`'s.
    #[inline]
    pub fn exceeded(&self, start: NaiveDate, end: NaiveDate) -> bool {
        if let Some(days) = days_between(start, end) {
            if days <= self.lo {
                return false;
            }
            if days > self.hi {
                return true;
            }
        }
        if self.months == 0 {
            return self.span.forward_from(start).is_some_and(|limit| end > limit);
        }
        let total = i64::from(start.year()) * 12 + i64::from(start.month0()) + self.months;
        let year = total.div_euclid(12);
        let month = total.rem_euclid(12) + 1;
        if year > i64::from(NaiveDate::MAX.year()) {
            return false;
        }
        let day = i64::from(start.day()).min(month_len(year, month));
        // The deadline as (year, day of the year), which `end` gives without working out its month.
        const BEFORE: [i64; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        let leap_day = i64::from(month > 2 && is_leap(year));
        let before = usize::try_from(month - 1)
            .ok()
            .and_then(|m| BEFORE.get(m))
            .copied()
            .unwrap_or(0);
        let ordinal = before + leap_day + day;
        (i64::from(end.year()), i64::from(end.ordinal())) > (year, ordinal)
    }
}

/// An inclusive range of calendar dates, `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    /// First date in the window.
    #[serde(serialize_with = "ser_date")]
    pub from: NaiveDate,
    /// Last date in the window (the monitoring point).
    #[serde(serialize_with = "ser_date")]
    pub to: NaiveDate,
}

fn ser_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&DateFmt(*d))
}

/// Formats a date as `YYYY-MM-DD` without allocation beyond the formatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateFmt(pub NaiveDate);

impl fmt::Display for DateFmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Window {
    /// Whether `d` lies in the window, both ends included.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn official_examples() {
        let p = d("2015-03-01");
        assert_eq!(Span::parse("2mo").unwrap().window(p).from, d("2015-01-01"));
        assert_eq!(Span::parse("2周").unwrap().window(p).from, d("2015-02-15"));
        assert_eq!(Span::parse("1年").unwrap().window(p).from, d("2014-03-01"));
    }

    #[test]
    fn month_end_clamps() {
        assert_eq!(
            Span::parse("1mo").unwrap().back_from(d("2015-03-31")),
            Some(d("2015-02-28"))
        );
        assert_eq!(
            Span::parse("1个月").unwrap().back_from(d("2016-03-31")),
            Some(d("2016-02-29"))
        );
        assert_eq!(
            Span::parse("1y").unwrap().back_from(d("2016-02-29")),
            Some(d("2015-02-28"))
        );
        assert_eq!(
            Span::parse("3mo").unwrap().forward_from(d("2015-11-30")),
            Some(d("2016-02-29"))
        );
    }

    #[test]
    fn month_shift_matches_chrono() {
        use chrono::Months;
        let mut day = d("1899-12-01");
        while day < d("2101-02-01") {
            for n in [1u32, 2, 3, 6, 12, 13, 24] {
                assert_eq!(
                    shift_months(day, -i64::from(n)),
                    day.checked_sub_months(Months::new(n)),
                    "{day} - {n}"
                );
                assert_eq!(
                    shift_months(day, i64::from(n)),
                    day.checked_add_months(Months::new(n)),
                    "{day} + {n}"
                );
            }
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn bad_spans() {
        for s in ["", "w", "2", "2x", "-1w", "9999999d", "2 weeks"] {
            assert_eq!(Span::parse(s), None, "{s}");
        }
    }

    #[test]
    fn exceeded_agrees_with_the_date_reached() {
        let mut start = d("2011-12-01");
        while start < d("2013-03-01") {
            for span in [
                "0mo", "3mo", "1mo", "2mo", "6mo", "11mo", "12mo", "13mo", "1y", "2y", "0d", "1d", "15d",
                "2w",
            ] {
                let sp = Span::parse(span).unwrap();
                let limit = sp.forward_from(start).unwrap();
                for waited in -3i64..800 {
                    let end = start + chrono::Duration::days(waited);
                    assert_eq!(sp.exceeded(start, end), end > limit, "{start} + {span}, {end}");
                }
            }
            start = start.succ_opt().unwrap();
        }
        // Out of range: never exceeded, as with no date reached.
        let sp = Span::parse("3mo").unwrap();
        assert!(!sp.exceeded(NaiveDate::MAX, NaiveDate::MAX));
    }
}
