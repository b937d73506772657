//! The hints for the mistakes people make with pucha's inputs, added to the error that met them: a list of
//! observations, documents one after another, a report where an observation belongs (and the other way round), a
//! date written as people write it. And the one reader of dates as people type them. The error's code and position
//! stay as they were; `messages` (above this file: it re-exports these) words the whole for people.

use crate::model::error::Error;
use crate::model::observation::Observation;

/// The pieces of `message` between backticks.
pub(crate) fn ticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// What a text was being read as, for [`hinted`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// An observation (`score`, the widget's import).
    Observation,
    /// A stored report or summary (`render`, `summarize`, `compare`).
    Result,
}

/// The hint for a batch given as one JSON document holding several.
pub const ONE_PER_LINE: &str = "每个文件一个观测，或用 JSON Lines（每行一个观测）/ one observation per file, or JSON Lines (one per line)";

/// The hint for a report or summary given where an observation belongs.
pub const RESULT_NOT_OBSERVATION: &str = "这是评分结果，不是观测；观测是 `pucha probe` 的输出或按附件2填写的事实 / \
     this is a result (a report or summary), not an observation";

/// The hint for an observation given where a report belongs.
pub const OBSERVATION_NOT_RESULT: &str =
    "这是观测，不是评分结果：请先运行 `pucha score` / this is an observation: run `pucha score` first";

/// The `schema` of a JSON object `text`, and whether it has a `monitoring_point` (read as far as the top level).
fn shape(text: &str) -> Option<(Option<String>, bool)> {
    use crate::io::json_tree::Node;
    match crate::io::json_parse::parse(text).ok()? {
        Node::Obj(entries) => {
            let schema = entries.iter().find_map(|(k, v)| match v {
                Node::Str(s) if &**k == "schema" => Some(s.to_string()),
                _ => None,
            });
            let point = entries.iter().any(|(k, _)| &**k == "monitoring_point");
            Some((schema, point))
        }
        _ => None,
    }
}

/// Whether `text` is a stored report or summary.
fn is_result(text: &str) -> bool {
    shape(text).is_some_and(|(s, _)| matches!(s.as_deref(), Some("pucha.report/1" | "pucha.summary/1")))
}

/// Whether `text` is an observation (a `monitoring_point` and no result schema).
fn is_observation(text: &str) -> bool {
    shape(text).is_some_and(|(s, point)| point && s.as_deref().is_none_or(|s| s == "pucha.observation/1"))
}

/// `e`, met reading `text` as `reading`, with a hint when the mistake is a common one. An error that has a hint
/// already keeps it; the code and position stay as they were.
pub fn hinted(text: &str, e: Error, reading: Reading) -> Error {
    if e.help().is_some() {
        return e;
    }
    match reading {
        Reading::Result if is_observation(text) => e.with_help(OBSERVATION_NOT_RESULT),
        Reading::Result => e,
        Reading::Observation => match e.code() {
            "invalid_type" if text.trim_start().starts_with('[') => e.with_help(ONE_PER_LINE),
            "json_syntax" if e.message().contains("trailing characters") => e.with_help(ONE_PER_LINE),
            "unknown_field" | "invalid_type" | "invalid_value" if is_result(text) => {
                e.with_help(RESULT_NOT_OBSERVATION)
            }
            "invalid_date" => match ticked(e.message()).first().and_then(|d| typed_date(d)) {
                Some(d) => e.with_help(format!(
                    "是否应为 `{d}`？日期写作 YYYY-MM-DD / did you mean `{d}`?"
                )),
                None => e,
            },
            _ => e,
        },
    }
}

/// The observation in `text`, or the error with its hint ([`hinted`]).
///
/// # Errors
/// As [`Observation::from_json_str`], with the hint for a common mistake.
pub fn read_observation(text: &str) -> Result<Observation, Error> {
    Observation::from_json_str(text).map_err(|e| hinted(text, e, Reading::Observation))
}

/// A date as people type it — `2015/6/30`, `2015.6.30`, `2015-6-30`, `2015年6月30日`, full-width digits — in the
/// form the contract reads (`2015-06-30`), when it is a real date. Inputs a person types (CLI options, form fields,
/// spreadsheet cells) accept these forms; observation and report JSON refuse them with this as the hint.
pub fn typed_date(text: &str) -> Option<chrono::NaiveDate> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '／' => '/',
            '．' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = if let Some(rest) = t.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        let sep = t.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
        t.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = |s: &str, n: usize| !s.is_empty() && s.len() <= n && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !ok(y, 4) || !ok(m, 2) || !ok(d, 2) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::report::Lang;
    use crate::model::error::ErrorKind;

    fn read(text: &str) -> Error {
        read_observation(text).unwrap_err()
    }

    const HEAD: &str = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}"#;

    #[test]
    fn typical_mistakes_get_their_hint() {
        let e = read(&format!("[{HEAD}}}]"));
        assert!(
            e.words(Lang::Zh)
                .ends_with("；每个文件一个观测，或用 JSON Lines（每行一个观测）"),
            "{}",
            e.words(Lang::Zh)
        );
        assert!(
            e.words(Lang::En)
                .ends_with("; one observation per file, or JSON Lines (one per line)")
        );
        let e = read(&format!("{HEAD}}}\n{HEAD}}}"));
        assert_eq!(e.help(), Some(ONE_PER_LINE));
        let e = read(r#"{"monitoring_point":"2015/6/30","site":{"name":"x"}}"#);
        assert!(
            e.words(Lang::Zh).contains("是否应为 `2015-06-30`？"),
            "{}",
            e.words(Lang::Zh)
        );
        assert!(
            e.words(Lang::En).ends_with("did you mean `2015-06-30`?"),
            "{}",
            e.words(Lang::En)
        );
        let e = read(r#"{"schema":"pucha.report/1","verdict":"pass"}"#);
        assert_eq!(e.help(), Some(RESULT_NOT_OBSERVATION));
        let obs = format!("{HEAD}}}");
        let e = hinted(
            &obs,
            Error::new(ErrorKind::MissingField, "missing field `verdict`"),
            Reading::Result,
        );
        assert_eq!(e.help(), Some(OBSERVATION_NOT_RESULT));
        let e = read(&format!(r#"{HEAD},"availabilty":{{}}}}"#));
        assert_eq!(
            e.words(Lang::Zh),
            "未知字段 `availabilty`；是否应为 `availability`？"
        );
    }

    #[test]
    fn people_type_dates_their_way() {
        let day = chrono::NaiveDate::from_ymd_opt(2015, 6, 30);
        for t in [
            "2015/6/30",
            "2015.6.30",
            "2015-6-30",
            "2015年6月30日",
            "２０１５／６／３０",
            "２０１５－０６－３０",
            " 2015-06-30 ",
        ] {
            assert_eq!(typed_date(t), day, "{t}");
        }
        for t in [
            "2015/2/30",
            "6/30",
            "06-30",
            "2015/6",
            "15/6/30",
            "2015/6-30",
            "",
            "2015年6月30",
            "x/y/z",
            "tomorrow",
            "2015-06-30 and more",
            "2015-06-30 2015-07-01",
        ] {
            assert_eq!(typed_date(t), None, "{t}");
        }
    }
}
