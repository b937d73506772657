//! Dates as the observation gives them: `YYYY-MM-DD` or RFC 3339 timestamps, read as China Standard Time dates.

use chrono::{DateTime, FixedOffset, NaiveDate};
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

/// China Standard Time, UTC+8, no daylight saving.
fn cst() -> Option<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
}

/// Read `YYYY-MM-DD` or an RFC 3339 timestamp; a timestamp is converted to +08:00 before its date is taken.
pub fn parse_local_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.len() == 10 {
        return parse_ymd(t.as_bytes());
    }
    let dt = DateTime::parse_from_rfc3339(t).ok()?;
    Some(dt.with_timezone(&cst()?).date_naive())
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
