//! What a unit takes away: the roll-up (JSON, CSV, text, HTML, XLSX) and the 上报表 workbook of its subtree
//! (per site + 汇总 + 不合格网站名单), made by the same renderers as `pucha summarize` and `pucha render`.

use crate::error::{Result, ServerError};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pucha_core::Lang;
use pucha_core::rollup::{GroupBy, Rollup, RollupBuilder};
use pucha_core::stored::{Digest, StoredReport, TitleBook};
use pucha_render::signing::Signing;

/// A download.
pub fn attachment(content_type: &'static str, filename: &str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

fn stored(e: pucha_core::Error) -> ServerError {
    ServerError::Storage(format!("a stored report does not read: {e}"))
}

/// The roll-up of stored reports, grouped by 地区.
///
/// # Errors
/// `storage` when a stored report does not read.
pub fn build_rollup(reports: &[String]) -> Result<Rollup> {
    let mut builder = RollupBuilder::new(GroupBy::Region);
    let mut titles = TitleBook::default();
    for r in reports {
        builder.add(&Digest::read(r, Some(&mut titles)).map_err(stored)?);
    }
    Ok(builder.finish(Some(&titles)))
}

/// The roll-up in `format` (`json`, `csv`, `text`, `html`, `xlsx`).
///
/// # Errors
/// `bad_input` for another format, `storage`.
pub fn rollup(reports: &[String], format: &str) -> Result<Response> {
    let r = build_rollup(reports)?;
    let lang = Lang::Zh;
    Ok(match format {
        "json" => axum::Json(&r).into_response(),
        "csv" => attachment(
            "text/csv; charset=utf-8",
            "rollup.csv",
            pucha_render::text::rollup_csv(&r).into_bytes(),
        ),
        "text" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            pucha_render::text::rollup_text(&r, lang),
        )
            .into_response(),
        "html" => axum::response::Html(pucha_render::html::rollup_html(&r, lang)).into_response(),
        "xlsx" => {
            let today = chrono::Utc::now().date_naive().to_string();
            let book = pucha_render::xlsx::rollup_xlsx(&r, lang, &today).map_err(stored)?;
            attachment(XLSX, "rollup.xlsx", book)
        }
        other => {
            return Err(ServerError::bad(
                "format",
                format!(
                    "`{other}`: 应为 json、csv、text、html 或 xlsx / expected json, csv, text, html or xlsx"
                ),
            ));
        }
    })
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The 上报表 workbook: one sheet per site, 汇总, 不合格网站名单.
///
/// # Errors
/// `storage` when a stored report does not read or the workbook cannot be written.
pub fn workbook(reports: &[String]) -> Result<Response> {
    let parsed = reports
        .iter()
        .map(|r| StoredReport::from_json_str(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(stored)?;
    let book =
        pucha_render::xlsx::reports_xlsx(&parsed, Lang::Zh, &|_| Signing::default()).map_err(stored)?;
    Ok(attachment(XLSX, "shangbaobiao.xlsx", book))
}
