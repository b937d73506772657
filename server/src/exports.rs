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

/// The roll-up of `unit_id`'s subtree, read and digested on every core (each thread its share of the sites, on
/// its own reader connection).
///
/// # Errors
/// `forbidden`, `not_found`, `storage`.
pub fn rollup_of(
    store: &crate::store::Store,
    scorer: &crate::scoring::Scorer,
    actor: &crate::access::Actor,
    unit_id: i64,
) -> Result<Rollup> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    let parts = i64::try_from(threads).unwrap_or(1);
    // The rules' titles from the packs themselves (a filing from before digests adds its report's).
    let mut titles = scorer.titles();
    let digested: Vec<Result<(Vec<Digest>, TitleBook)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..parts)
            .map(|k| {
                s.spawn(move || -> Result<(Vec<Digest>, TitleBook)> {
                    let docs = store.read(|c| crate::filings::rollup_docs(c, actor, unit_id, (parts, k)))?;
                    let mut book = TitleBook::default();
                    let d = docs
                        .iter()
                        .map(|d| match d {
                            crate::filings::RollupDoc::Digest(bytes) => crate::digest::decode(bytes)
                                .ok_or_else(|| {
                                    ServerError::Storage("a stored roll-up digest does not decode".into())
                                }),
                            crate::filings::RollupDoc::Json(text) => {
                                Digest::read(text, Some(&mut book)).map_err(stored)
                            }
                        })
                        .collect::<Result<Vec<_>>>()?;
                    Ok((d, book))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(ServerError::Storage("a roll-up worker failed".into())))
            })
            .collect()
    });
    let mut all = Vec::new();
    for part in digested {
        let (d, book) = part?;
        titles.merge(book);
        all.extend(d);
    }
    // In 网站标识码 order whatever the split, so the roll-up's lists do not depend on the number of cores.
    all.sort_unstable_by(|a, b| a.site.id.cmp(&b.site.id));
    let mut builder = RollupBuilder::new(GroupBy::Region);
    for d in &all {
        builder.add(d);
    }
    Ok(builder.finish(Some(&titles)))
}

/// The roll-up in `format` (`json`, `csv`, `text`, `html`, `xlsx`).
///
/// # Errors
/// `bad_input` for another format, `storage`.
pub fn rollup(r: &Rollup, format: &str) -> Result<Response> {
    let lang = Lang::Zh;
    Ok(match format {
        "json" => axum::Json(&r).into_response(),
        "csv" => attachment(
            "text/csv; charset=utf-8",
            "rollup.csv",
            pucha_render::text::rollup_csv(r).into_bytes(),
        ),
        "text" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            pucha_render::text::rollup_text(r, lang),
        )
            .into_response(),
        "html" => axum::response::Html(pucha_render::html::rollup_html(r, lang)).into_response(),
        "xlsx" => {
            let today = chrono::Utc::now().date_naive().to_string();
            let book = pucha_render::xlsx::rollup_xlsx(r, lang, &today).map_err(stored)?;
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
