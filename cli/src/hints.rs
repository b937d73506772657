//! Hints for the mistakes people make with pucha's inputs, added to the error that met them: a list of
//! observations, several pretty-printed documents one after another, a report where an observation belongs (and
//! the other way round), a date written as people write it. The error's code and position stay as they were.

use pucha_core::Error;

/// The hint for a batch given as one JSON document holding several.
const ONE_PER_LINE: &str = "每个文件一个观测，或用 JSON Lines（每行一个观测）/ one observation per file, or JSON Lines (one per line)";

/// Whether `text` reads as a JSON object with a `schema` of `pucha.report/1` or `pucha.summary/1`.
fn is_result(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.get("schema")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|s| s == "pucha.report/1" || s == "pucha.summary/1")
    })
}

/// Whether `text` reads as an observation (a JSON object with a `monitoring_point` and no result schema).
fn is_observation(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.get("monitoring_point").is_some()
            && v.get("schema")
                .and_then(serde_json::Value::as_str)
                .is_none_or(|s| s == "pucha.observation/1")
    })
}

/// The value in the first pair of backticks after `after` in `message` (`invalid date `2015/6/30`` → 2015/6/30).
fn quoted_after<'a>(message: &'a str, after: &str) -> Option<&'a str> {
    let rest = &message[message.find(after)? + after.len()..];
    let start = rest.find('`')? + 1;
    let len = rest[start..].find('`')?;
    Some(&rest[start..start + len])
}

/// The observation in `text`, or the error with a hint when the mistake is a common one ([`for_observation`]).
pub(crate) fn observation(text: &str) -> Result<pucha_core::Observation, Error> {
    pucha_core::Observation::from_json_str(text).map_err(|e| for_observation(text, e))
}

/// `e`, met reading `text` as an observation, with a hint when the mistake is a common one.
pub(crate) fn for_observation(text: &str, e: Error) -> Error {
    if e.help().is_some() {
        return e;
    }
    let message = e.message().to_string();
    match e.code() {
        "invalid_type" if text.trim_start().starts_with('[') => e.with_help(ONE_PER_LINE),
        "json_syntax" if message.contains("trailing characters") => e.with_help(ONE_PER_LINE),
        "unknown_field" | "invalid_type" | "invalid_value" if is_result(text) => e.with_help(
            "这是评分结果，不是观测；观测是 `pucha probe` 的输出或按附件2填写的事实 / this is a result (a report or summary), \
             not an observation",
        ),
        "invalid_date" => match quoted_after(&message, "invalid date").and_then(pucha_probes::typed_date) {
            Some(d) => e.with_help(format!("是否应为 `{d}`？日期写作 YYYY-MM-DD / did you mean `{d}`?")),
            None => e,
        },
        _ => e,
    }
}

/// `e`, met reading `text` as a stored report or summary, with a hint when it is an observation.
pub(crate) fn for_result(text: &str, e: Error) -> Error {
    if e.help().is_some() || !is_observation(text) {
        return e;
    }
    e.with_help(
        "这是观测，不是评分结果：请先运行 `pucha score` / this is an observation: run `pucha score` first",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pucha_core::Observation;

    fn hint(text: &str) -> Option<String> {
        let e = Observation::from_json_str(text).unwrap_err();
        for_observation(text, e).help().map(str::to_string)
    }

    #[test]
    fn the_common_mistakes_get_their_hint() {
        let one = r#"{"monitoring_point": "2015-06-30", "site": {"name": "x"}}"#;
        assert!(hint(&format!("[{one}, {one}]")).is_some_and(|h| h.contains("JSON Lines")));
        assert!(hint(&format!("{one}\n{one}")).is_some_and(|h| h.contains("JSON Lines")));
        let report = r#"{"schema": "pucha.report/1", "pack": {"id": "census-2015"}, "monitoring_point": "2015-06-30"}"#;
        assert!(hint(report).is_some_and(|h| h.contains("not an observation")));
        let date = r#"{"monitoring_point": "2015/6/30", "site": {"name": "x"}}"#;
        assert!(hint(date).is_some_and(|h| h.contains("`2015-06-30`")));
        let date = r#"{"monitoring_point": "2015年6月30日", "site": {"name": "x"}}"#;
        assert!(hint(date).is_some_and(|h| h.contains("`2015-06-30`")));
        assert_eq!(
            hint(r#"{"monitoring_point": "someday", "site": {"name": "x"}}"#),
            None
        );
        let e = pucha_core::stored::StoredReport::from_json_str(one).unwrap_err();
        assert!(
            for_result(one, e)
                .help()
                .is_some_and(|h| h.contains("pucha score"))
        );
    }
}
