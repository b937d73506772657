//! The hand-in workbooks of a campaign too big for one: one workbook per region (地区), each at most
//! [`crate::xlsx::MAX_BOOK_SITES`] sites (a bigger region is split into numbered parts), in `DIR/上报表/`.

use pucha_core::{Error, ErrorKind, Lang};
use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The region of a site that gave none.
const NO_REGION: &str = "未填地区";

/// A file name for `region`: what a file system refuses becomes `_`, at most 60 characters.
fn file_name(region: &str) -> String {
    let name: String = region
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    match name.trim_matches('.') {
        "" => NO_REGION.to_string(),
        n => n.to_string(),
    }
}

/// Write one workbook per region of the reports in `reports` (JSON Lines, failure records skipped) into `folder`
/// (made if missing), at most `per_book` sites each, each written beside and renamed into place; returns the
/// files written, in region order.
///
/// # Errors
/// When `reports` cannot be read or a report does not read (naming its line), or a workbook cannot be written.
pub(crate) fn by_region(
    reports: &Path,
    folder: &Path,
    per_book: usize,
    lang: Lang,
    sign: pucha_render::signing::SigningOf<'_>,
) -> Result<Vec<PathBuf>, Error> {
    let per_book = per_book.clamp(1, crate::xlsx::MAX_BOOK_SITES);
    let io = |what: &Path, e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            crate::io_failed("使用", "use", &what.display(), &e),
        )
    };
    // Where each report is: its region, byte offset and length, so each region's reports are read again by seeking,
    // never all held at once.
    let mut at: Vec<(String, u64, usize)> = Vec::new();
    {
        let mut r = std::io::BufReader::new(std::fs::File::open(reports).map_err(|e| io(reports, e))?);
        let (mut offset, mut line) = (0u64, String::new());
        let mut n = 0usize;
        loop {
            line.clear();
            let len = r.read_line(&mut line).map_err(|e| io(reports, e))?;
            if len == 0 {
                break;
            }
            n += 1;
            let text = line.trim();
            if !text.is_empty() && !crate::documents::is_failure_record(text) {
                let report = pucha_core::stored::StoredReport::from_json_str(text)
                    .map_err(|e| e.with_file(format!("{}:{n}", reports.display())))?;
                let region = report.site.region.as_deref().unwrap_or_default();
                at.push((file_name(region), offset, len));
            }
            offset += len as u64;
        }
    }
    at.sort_by(|a, b| a.0.cmp(&b.0));
    std::fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
    let mut file = std::fs::File::open(reports).map_err(|e| io(reports, e))?;
    let mut written = Vec::new();
    for region in at.chunk_by(|a, b| a.0 == b.0) {
        let parts = region.len().div_ceil(per_book);
        for (k, part) in region.chunks(per_book).enumerate() {
            let mut wb = crate::xlsx::ReportsBook::new(lang)?;
            for (_, offset, len) in part {
                let mut buf = vec![0u8; *len];
                file.seek(SeekFrom::Start(*offset))
                    .and_then(|_| file.read_exact(&mut buf))
                    .map_err(|e| io(reports, e))?;
                let text = String::from_utf8_lossy(&buf);
                let r = pucha_core::stored::StoredReport::from_json_str(text.trim())?;
                wb.add(&r, &sign(&r))?;
            }
            let name = if parts > 1 {
                format!("{}-{}.xlsx", part[0].0, k + 1)
            } else {
                format!("{}.xlsx", part[0].0)
            };
            let book = folder.join(name);
            let tmp = book.with_extension("xlsx.part");
            std::fs::write(&tmp, wb.finish()?).map_err(|e| io(&tmp, e))?;
            std::fs::rename(&tmp, &book).map_err(|e| io(&book, e))?;
            written.push(book);
        }
    }
    Ok(written)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn region_names_become_file_names() {
        assert_eq!(file_name("四川省/成都市"), "四川省_成都市");
        assert_eq!(file_name("  "), NO_REGION);
        assert_eq!(file_name(".."), NO_REGION);
        assert_eq!(file_name(&"县".repeat(100)).chars().count(), 60);
    }

    #[test]
    fn each_region_gets_its_workbooks_and_failure_records_none() {
        let dir = std::env::temp_dir().join(format!("pucha-books-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let engine = pucha_core::Engine::builtin("census-2015").unwrap();
        let mut lines = String::new();
        for (i, region) in ["甲县", "乙县", "甲县", "", "甲县"].iter().enumerate() {
            let obs = pucha_core::Observation::from_json_str(&format!(
                r#"{{"monitoring_point":"2015-06-30","site":{{"name":"网站{i}","region":"{region}"}}}}"#
            ))
            .unwrap();
            lines.push_str(&engine.score(&obs).to_json());
            lines.push('\n');
            lines.push_str(r#"{"type":"failure","site":"x","errors":[{"code":"unscored","message":"m"}]}"#);
            lines.push('\n');
        }
        let reports = dir.join("reports.jsonl");
        std::fs::write(&reports, lines).unwrap();
        let books = by_region(&reports, &dir.join("books"), 2, Lang::Zh, &|_| Default::default()).unwrap();
        let names: Vec<String> = books
            .iter()
            .map(|b| b.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["乙县.xlsx", "未填地区.xlsx", "甲县-1.xlsx", "甲县-2.xlsx"]
        );
        for b in &books {
            let bytes = std::fs::read(b).unwrap();
            assert!(bytes.starts_with(b"PK"), "{}", b.display());
        }
        std::fs::write(&reports, "{\"schema\": 1}\n").unwrap();
        let err = by_region(&reports, &dir.join("books"), 2, Lang::Zh, &|_| Default::default()).unwrap_err();
        assert!(
            err.file().is_some_and(|f| f.ends_with("reports.jsonl:1")),
            "{err:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
