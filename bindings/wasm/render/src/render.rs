//! The 上报表 as a file, from a stored report: the CLI's own renderer (`pucha-render`), so the
//! widget prints and exports the same table a unit signs from `pucha render`.

use pucha_core::stored::StoredReport;
use pucha_core::{Error, ErrorKind, Lang};
use pucha_render::signing::Signing;

/// The failure answer `{"type": "failure", "errors": [e]}` as JSON text, thrown to JavaScript.
fn failure(e: &Error) -> String {
    serde_json::json!({ "type": "failure", "errors": [e] }).to_string()
}

/// The hand-in fields from a JSON object of `authority`, `unit`, `head`, `reviewer`, `filler`, `phone`, `date`
/// (text, each optional; empty text is a line for the ink).
fn signing(text: &str) -> Result<Signing, Error> {
    let bad = |m: String| Error::new(ErrorKind::InvalidValue, m).with_path("signing");
    if text.trim().is_empty() {
        return Ok(Signing::default());
    }
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Error::new(ErrorKind::JsonSyntax, e.to_string()).with_path("signing"))?;
    let Some(map) = v.as_object() else {
        return Err(bad(
            "签章信息应为一个对象 / the hand-in fields are an object".into()
        ));
    };
    let mut s = Signing::default();
    for (k, v) in map {
        let value = match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(t) if t.trim().is_empty() => None,
            serde_json::Value::String(t) => Some(t.trim().to_string()),
            _ => return Err(bad(format!("`{k}` 应为文本 / `{k}` is text"))),
        };
        let slot = match k.as_str() {
            "authority" => &mut s.authority,
            "unit" => &mut s.unit,
            "head" => &mut s.head,
            "reviewer" => &mut s.reviewer,
            "filler" => &mut s.filler,
            "phone" => &mut s.phone,
            "date" => &mut s.date,
            _ => {
                return Err(Error::new(
                    ErrorKind::UnknownField,
                    format!(
                        "签章信息没有 `{k}` 一项 / unknown field `{k}`, expected one of `authority`, `unit`, `head`, \
                         `reviewer`, `filler`, `phone`, `date`"
                    ),
                )
                .with_path("signing"));
            }
        };
        *slot = value;
    }
    Ok(s)
}

/// The 上报表 of `report` in `format` (`html`: the page's UTF-8 bytes; `xlsx`: the workbook), in `lang`, signed
/// with `signing`.
///
/// # Errors
/// The failure answer as JSON text: a report or signing that does not read, an unknown format or language.
pub(crate) fn render_report(
    report: &str,
    format: &str,
    lang: &str,
    signing_json: &str,
) -> Result<Vec<u8>, String> {
    let lang = Lang::parse(lang).ok_or_else(|| {
        failure(&Error::new(
            ErrorKind::InvalidValue,
            format!("语言 `{lang}` 不可用 / no language `{lang}`; use `zh` or `en`"),
        ))
    })?;
    let r = StoredReport::from_json_str(report).map_err(|e| failure(&e))?;
    let sign = signing(signing_json).map_err(|e| failure(&e))?;
    match format {
        "html" => Ok(pucha_render::html::report_html(&r, lang, &sign).into_bytes()),
        "xlsx" => pucha_render::xlsx::report_xlsx(&r, lang, &sign).map_err(|e| failure(&e)),
        other => Err(failure(&Error::new(
            ErrorKind::InvalidValue,
            format!("格式 `{other}` 不可用 / no format `{other}`; use `html` or `xlsx`"),
        ))),
    }
}
