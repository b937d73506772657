//! Dates as Chinese government sites print them.
//!
//! Recognised: `2015-03-29`, `2015-3-9`, `2015/3/29`, `2015.03.29`, `2015年3月29日` (also without 日), `21.07.2015`,
//! each possibly followed by a time; `[03-29]`, `(03-29)`, `（03-29）`, `【03-29】` and a bare `03-29` token, whose year
//! is inferred from the crawl date (the latest such date not after it); full-width digits and separators
//! (`２０１５－０３－２９`). Impossible dates (`2015-02-30`) are not dates. Years outside 1990–2099 are ignored.

use chrono::{Datelike, NaiveDate};

/// A date found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// The date.
    pub date: NaiveDate,
    /// The text as printed (after full-width normalisation).
    pub text: String,
    /// True when the year was inferred from the crawl date (`[03-29]`).
    pub year_inferred: bool,
}

/// Full-width digits and date punctuation as ASCII (`２０１５－０３` → `2015-03`); other text unchanged.
pub fn normalize_width(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_wide) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' | '—' | '–' => '-',
                '／' => '/',
                '．' => '.',
                '：' => ':',
                '［' => '[',
                '］' => ']',
                _ => c,
            })
            .collect(),
    )
}

fn is_wide(c: char) -> bool {
    matches!(
        c,
        '０'..='９' | '－' | '—' | '–' | '／' | '．' | '：' | '［' | '］'
    )
}

/// The value (saturating: a run of digits longer than any date part is only skipped) and length of the run of at
/// most `max` ASCII digits at `i`.
fn digits(b: &[u8], i: usize, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    while n < max && i + n < b.len() && b[i + n].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add(u32::from(b[i + n] - b'0'));
        n += 1;
    }
    (v, n)
}

fn digit_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// Every date in `text`, in order. `crawl` dates the page, for `[MM-DD]` forms.
pub fn find_dates(text: &str, crawl: NaiveDate) -> Vec<FoundDate> {
    let norm = normalize_width(text);
    let s: &str = &norm;
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let Some(off) = b[i..].iter().position(u8::is_ascii_digit) else {
            break;
        };
        let start = i + off;
        if start > 0 && digit_at(b, start - 1) {
            // Inside a longer number: skip to its end.
            let (_, n) = digits(b, start, usize::MAX);
            i = start + n.max(1);
            continue;
        }
        if let Some((date, end, inferred)) = full_date(b, start)
            .or_else(|| day_month_year(b, start))
            .or_else(|| month_day(b, start, crawl))
        {
            out.push(FoundDate {
                date,
                text: s[start..end].to_string(),
                year_inferred: inferred,
            });
            i = end;
        } else {
            let (_, n) = digits(b, start, usize::MAX);
            i = start + n.max(1);
        }
    }
    out
}

/// The first date in `text`.
pub fn first_date(text: &str, crawl: NaiveDate) -> Option<FoundDate> {
    find_dates(text, crawl).into_iter().next()
}

/// `YYYY<sep>M<sep>D` with sep in `-/.` (the same twice), or `YYYY年M月D日`.
fn full_date(b: &[u8], i: usize) -> Option<(NaiveDate, usize, bool)> {
    let (y, n) = digits(b, i, 4);
    if n != 4 || !(1990..=2099).contains(&y) || digit_at(b, i + 4) {
        return None;
    }
    let mut p = i + 4;
    let cjk = b[p..].starts_with("年".as_bytes());
    let sep = if cjk {
        p += "年".len();
        0
    } else {
        let c = *b.get(p)?;
        if !matches!(c, b'-' | b'/' | b'.') {
            return None;
        }
        p += 1;
        c
    };
    let (m, mn) = digits(b, p, 2);
    if mn == 0 || digit_at(b, p + mn) {
        return None;
    }
    p += mn;
    if cjk {
        if !b[p..].starts_with("月".as_bytes()) {
            return None;
        }
        p += "月".len();
    } else if b.get(p) != Some(&sep) {
        return None;
    } else {
        p += 1;
    }
    let (d, dn) = digits(b, p, 2);
    if dn == 0 || digit_at(b, p + dn) {
        return None;
    }
    p += dn;
    if cjk && b[p..].starts_with("日".as_bytes()) {
        p += "日".len();
    }
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    Some((date, p, false))
}

/// `DD.MM.YYYY` (as `21.07.2015 12:01`): two digits, a dot, two digits, a dot, four digits.
fn day_month_year(b: &[u8], i: usize) -> Option<(NaiveDate, usize, bool)> {
    let (d, dn) = digits(b, i, 2);
    if dn != 2 || b.get(i + 2) != Some(&b'.') {
        return None;
    }
    let (m, mn) = digits(b, i + 3, 2);
    if mn != 2 || b.get(i + 5) != Some(&b'.') {
        return None;
    }
    let (y, yn) = digits(b, i + 6, 4);
    if yn != 4 || digit_at(b, i + 10) || !(1990..=2099).contains(&y) {
        return None;
    }
    Some((NaiveDate::from_ymd_opt(y as i32, m, d)?, i + 10, false))
}

/// `MM-DD` (exactly two digits each) in brackets or as a bare token; the year is the crawl date's, or the one before
/// when that would be after the crawl.
fn month_day(b: &[u8], i: usize, crawl: NaiveDate) -> Option<(NaiveDate, usize, bool)> {
    if !(digit_at(b, i)
        && digit_at(b, i + 1)
        && b.get(i + 2) == Some(&b'-')
        && digit_at(b, i + 3)
        && digit_at(b, i + 4))
        || digit_at(b, i + 5)
    {
        return None;
    }
    let before = &b[..i];
    let after = &b[i + 5..];
    let opened = [&b"["[..], b"(", "（".as_bytes(), "【".as_bytes()]
        .iter()
        .any(|o| before.ends_with(o));
    let closed = [&b"]"[..], b")", "）".as_bytes(), "】".as_bytes()]
        .iter()
        .any(|c| after.starts_with(c));
    let bare_start = before
        .last()
        .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || !c.is_ascii());
    let bare_end = after
        .first()
        .is_none_or(|c| c.is_ascii_whitespace() || *c == b'<' || !c.is_ascii());
    // A bare token must not be part of something longer such as a phone number or a range (`010-12-34`).
    let bare = bare_start && bare_end && !before.ends_with(b"-") && !after.starts_with(b"-");
    if !((opened && closed) || bare) {
        return None;
    }
    let m = u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let d = u32::from(b[i + 3] - b'0') * 10 + u32::from(b[i + 4] - b'0');
    let this_year = NaiveDate::from_ymd_opt(crawl.year(), m, d);
    let date = match this_year {
        Some(dt) if dt <= crawl => dt,
        // After the crawl date, or 02-29 in a common year: the latest earlier year that has it.
        _ => (1..=8).find_map(|k| NaiveDate::from_ymd_opt(crawl.year() - k, m, d))?,
    };
    Some((date, i + 5, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_longer_than_any_date_is_skipped_without_overflow() {
        let crawl = NaiveDate::from_ymd_opt(2015, 6, 30).unwrap_or_default();
        let found = find_dates(
            "网站标识码5101230001，99999999999999999999 发布于2015-06-29",
            crawl,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "2015-06-29");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(s: &str) -> Vec<NaiveDate> {
        find_dates(s, d(2015, 6, 30))
            .into_iter()
            .map(|f| f.date)
            .collect()
    }

    #[test]
    fn the_formats_real_sites_use() {
        assert_eq!(dates("发布日期：2015-03-29"), [d(2015, 3, 29)]);
        assert_eq!(dates("2015-3-9 10:12"), [d(2015, 3, 9)]);
        assert_eq!(dates("2015/3/29"), [d(2015, 3, 29)]);
        assert_eq!(dates("2015.03.29"), [d(2015, 3, 29)]);
        assert_eq!(dates("2015年3月29日"), [d(2015, 3, 29)]);
        assert_eq!(dates("2015年03月29"), [d(2015, 3, 29)]);
        assert_eq!(dates("２０１５－０３－２９"), [d(2015, 3, 29)]);
        assert_eq!(dates("２０１５年３月２９日"), [d(2015, 3, 29)]);
        assert_eq!(dates("关于做好防汛工作的通知 [03-29]"), [d(2015, 3, 29)]);
        assert_eq!(dates("（06-30）"), [d(2015, 6, 30)]);
        assert_eq!(
            dates("【12-31】"),
            [d(2014, 12, 31)],
            "after the crawl date: last year"
        );
        assert_eq!(dates("<span>05-04</span>"), [d(2015, 5, 4)]);
        assert_eq!(
            dates("a 2015-01-02 and 2014-12-30"),
            [d(2015, 1, 2), d(2014, 12, 30)]
        );
    }

    #[test]
    fn more_formats_from_real_pages() {
        assert_eq!(dates("21.07.2015 12:01"), [d(2015, 7, 21)]);
        assert_eq!(dates("发布时间: 2013.09.16"), [d(2013, 9, 16)]);
        assert_eq!(dates("日期:2015/3/24 20:29:00"), [d(2015, 3, 24)]);
        assert_eq!(dates("发布日期: 2015年03月24日"), [d(2015, 3, 24)]);
        assert_eq!(dates("成文日期：2015年03月11日"), [d(2015, 3, 11)]);
        assert!(dates("31.02.2015").is_empty());
    }

    #[test]
    fn what_is_not_a_date() {
        assert!(dates("2015-02-30").is_empty());
        assert!(dates("2015-13-01").is_empty());
        assert!(dates("2015-03/29").is_empty(), "mixed separators");
        assert!(dates("电话 010-12-34").is_empty());
        assert!(dates("12015-03-29").is_empty(), "part of a longer number");
        assert!(dates("1889-03-29").is_empty());
        assert!(dates("第 03-29 号").len() == 1, "a bare token is read");
        assert!(dates("1203-29").is_empty());
        assert!(dates("ISBN 978-7-03-29").is_empty());
        assert_eq!(find_dates("[02-29]", d(2015, 6, 30))[0].date, d(2012, 2, 29));
    }

    #[test]
    fn inferred_years_are_marked() {
        let f = first_date("[03-29]", d(2015, 6, 30)).unwrap();
        assert!(f.year_inferred);
        assert_eq!(f.text, "03-29");
        assert!(!first_date("2015-03-29", d(2015, 6, 30)).unwrap().year_inferred);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_finds_printed_dates(s in "\\PC{0,80}", y in 1990i32..2099, m in 1u32..=12, day in 1u32..=28) {
            let crawl = d(2015, 6, 30);
            let _ = find_dates(&s, crawl);
            let printed = format!("{s} {y}-{m:02}-{day:02} ");
            let found = find_dates(&printed, crawl);
            proptest::prop_assert!(found.iter().any(|f| f.date == d(y, m, day)), "{printed}: {found:?}");
        }
    }
}
