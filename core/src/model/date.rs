//! Dates as the observation gives them: `YYYY-MM-DD` or RFC 3339 timestamps, read as China Standard Time dates.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;

/// A calendar date in Asia/Shanghai, with the text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalDate {
    /// The date in China Standard Time (UTC+8).
    pub date: NaiveDate,
    /// The text as given, kept for evidence.
    pub raw: Arc<str>,
}

/// Read `YYYY-MM-DD` or an RFC 3339 timestamp; a timestamp is converted to +08:00 before its date is taken.
pub fn parse_local_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.len() == 10 {
        return parse_ymd(t.as_bytes());
    }
    rfc3339_cst_date(t.as_bytes())
}

/// The China Standard Time date of an RFC 3339 timestamp, accepting exactly what chrono's
/// `DateTime::parse_from_rfc3339` accepts (`T`, `t` or a space between date and time, a leap second `60`, any
/// number of fractional digits, `Z`, `z` or an offset of at most ±23:59 with `+`, `-` or `−`), which a test checks
/// against it. By hand, because chrono's parser was a tenth of the observation reader in the browser's module.
fn rfc3339_cst_date(b: &[u8]) -> Option<NaiveDate> {
    let digit = |c: u8| c.is_ascii_digit().then(|| i64::from(c - b'0'));
    let two = |i: usize| Some(digit(*b.get(i)?)? * 10 + digit(*b.get(i + 1)?)?);
    let date = parse_ymd(b.get(..10)?)?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (hour, min, sec) = (two(11)?, two(14)?, two(17)?);
    // A leap second (60) is taken as 59 plus a second, with any fraction: it never changes the date.
    if hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut rest = b.get(19..)?;
    if let Some((b'.', frac)) = rest.split_first() {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        _ => {
            let (negative, tail) = match rest {
                [b'+', tail @ ..] => (false, tail),
                [b'-', tail @ ..] => (true, tail),
                [0xE2, 0x88, 0x92, tail @ ..] => (true, tail),
                _ => return None,
            };
            let [h1, h2, b':', m1, m2] = *tail else {
                return None;
            };
            let (oh, om) = (digit(h1)? * 10 + digit(h2)?, digit(m1)? * 10 + digit(m2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = oh * 3600 + om * 60;
            if negative { -secs } else { secs }
        }
    };
    // Seconds since the local midnight, moved to UTC+8; the date moves by whole days (-1 to +2).
    let at = hour * 3600 + min * 60 + sec.min(59) - offset + 8 * 3600;
    match at.div_euclid(86_400) {
        -1 => date.pred_opt(),
        0 => Some(date),
        1 => date.succ_opt(),
        _ => date.succ_opt()?.succ_opt(),
    }
}

/// `YYYY-MM-DD` by hand: chrono's format-string parser was the hot spot of reading observations.
fn parse_ymd(b: &[u8]) -> Option<NaiveDate> {
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(y, digits(5..7)?, digits(8..10)?)
}

/// What a date field expects, in type errors.
pub(crate) const DATE_EXPECTING: &str =
    "a date `YYYY-MM-DD` or an RFC 3339 timestamp such as `2015-06-30T10:00:00+08:00`";

impl LocalDate {
    /// Parse as [`parse_local_date`].
    pub fn parse(s: &str) -> Option<LocalDate> {
        parse_local_date(s).map(|date| LocalDate {
            date,
            raw: Arc::from(s),
        })
    }

    /// Parse, or the message of an impossible or malformed date.
    pub(crate) fn from_text(s: &str) -> Result<LocalDate, String> {
        LocalDate::parse(s).ok_or_else(|| {
            format!(
                "invalid date `{}`: expected `YYYY-MM-DD` (a real calendar date) or an RFC 3339 timestamp",
                s.chars().take(60).collect::<String>()
            )
        })
    }
}

impl<'de> Deserialize<'de> for LocalDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = LocalDate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(DATE_EXPECTING)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<LocalDate, E> {
                LocalDate::from_text(s).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

impl Serialize for LocalDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset};
    use proptest::prelude::*;

    /// What chrono makes of a timestamp: the reference `rfc3339_cst_date` is checked against.
    fn chrono_cst_date(s: &str) -> Option<NaiveDate> {
        let cst = FixedOffset::east_opt(8 * 3600)?;
        Some(
            DateTime::parse_from_rfc3339(s)
                .ok()?
                .with_timezone(&cst)
                .date_naive(),
        )
    }

    #[test]
    fn timestamps_read_as_chrono_reads_them() {
        let cases = [
            "2015-06-30T10:00:00+08:00",
            "2015-06-30t10:00:00z",
            "2015-06-30 10:00:00Z",
            "2015-06-30T23:59:60+08:00",
            "2015-06-30T23:59:60.999999999999-00:00",
            "2015-06-30T16:00:00Z",
            "2015-06-30T15:59:59.5Z",
            "2015-12-31T23:30:00\u{2212}23:59",
            "2015-01-01T00:00:00+23:59",
            "2015-01-01T00:00:00+24:00",
            "2015-01-01T00:00:00+23:60",
            "2015-01-01T00:00:00+23:5",
            "2015-01-01T00:00:00+2359",
            "2015-01-01T00:00:00+23:59:00",
            "2015-01-01T00:00:00.Z",
            "2015-01-01T00:00:00.1",
            "2015-01-01T24:00:00Z",
            "2015-01-01T23:60:00Z",
            "2015-01-01T23:59:61Z",
            "2015-02-29T10:00:00Z",
            "2016-02-29T10:00:00Z",
            "0000-01-01T00:00:00+08:01",
            "9999-12-31T23:59:59-23:59",
            "2015-06-30X10:00:00Z",
            "2015-06-30T10:00:00",
            "2015-06-30T10:00:00ZZ",
            "2015-06-30T1:00:00Z",
            "+015-06-30T10:00:00Z",
            "2015-06-30T10:00:00+08:00 ",
            "2015-06-30T10:00:00\u{2212}08:00",
        ];
        for c in cases {
            assert_eq!(rfc3339_cst_date(c.as_bytes()), chrono_cst_date(c), "{c}");
        }
    }

    fn part(choices: &'static [&'static str]) -> impl Strategy<Value = String> {
        proptest::sample::select(choices).prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Timestamps assembled from likely and unlikely parts read the same as chrono reads them.
        #[test]
        fn assembled_timestamps_agree_with_chrono(
            date in part(&["2015-06-30", "2016-02-29", "2015-02-29", "0000-01-01", "9999-12-31", "2015-13-01",
                "2015-6-30", "2015-06-3x"]),
            sep in part(&["T", "t", " ", "_", ""]),
            time in part(&["10:00:00", "00:00:00", "23:59:59", "23:59:60", "23:59:61", "24:00:00", "12:60:00",
                "1:00:00", "10:00", "10-00-00"]),
            frac in part(&["", ".", ".5", ".123456789", ".1234567891234", ".x"]),
            offset in part(&["Z", "z", "+08:00", "-08:00", "\u{2212}05:30", "+23:59", "-23:59", "+24:00",
                "+00:60", "+0800", "+08", "+08:0", "", "ZZ", "+08:00x"]),
        ) {
            let s = format!("{date}{sep}{time}{frac}{offset}");
            prop_assert_eq!(rfc3339_cst_date(s.as_bytes()), chrono_cst_date(&s), "{}", s);
        }

        /// Valid instants (any second of 1900–2100, any offset) give chrono's date.
        #[test]
        fn valid_instants_agree_with_chrono(secs in -2_208_988_800i64..4_102_444_800, off in -1439i32..1440,
                                            frac in 0u32..1_000_000_000) {
            let tz = FixedOffset::east_opt(off * 60).unwrap_or_else(|| panic!("offset {off}"));
            let at = DateTime::from_timestamp(secs, frac).unwrap_or_default().with_timezone(&tz);
            let s = at.to_rfc3339();
            prop_assert_eq!(rfc3339_cst_date(s.as_bytes()), chrono_cst_date(&s), "{}", s);
            prop_assert!(chrono_cst_date(&s).is_some());
        }

        /// Arbitrary text near the format never panics and agrees with chrono.
        #[test]
        fn near_misses_agree_with_chrono(s in "[0-9Tt :.+\\-Zz\u{2212}]{17,32}") {
            prop_assert_eq!(rfc3339_cst_date(s.as_bytes()), chrono_cst_date(&s), "{}", s);
        }
    }

    #[test]
    fn reads_forms() {
        let d = |s| parse_local_date(s).map(|d| d.to_string());
        assert_eq!(d("2015-06-30").as_deref(), Some("2015-06-30"));
        assert_eq!(d("2015-06-30T17:00:00Z").as_deref(), Some("2015-07-01"));
        assert_eq!(d("2015-06-30T23:59:59+08:00").as_deref(), Some("2015-06-30"));
        assert_eq!(d("2015-02-30"), None);
        assert_eq!(d("2015/06/30"), None);
        assert_eq!(d("30.06.2015"), None);
    }
}
