//! `pucha render`, `pucha summarize` and `pucha diff`: reports people hand in, roll-ups for organising units,
//! and what-if comparisons.

use crate::{EXIT_BAD_INPUT, EXIT_PASS, Format, html, load_pack, out, print_error, xlsx};
use pucha_core::diff::{Comparison, compare_site};
use pucha_core::rollup::{GroupBy, RollupBuilder};
use pucha_core::stored::{Digest, StoredReport, TitleBook};
use pucha_core::{Engine, Error, ErrorKind, Lang};
use pucha_render::text::{diff_csv, diff_text, rollup_csv, rollup_text};

/// Write `bytes` to `output`, or to stdout when none is given (text formats only).
pub(crate) fn emit(output: Option<&str>, bytes: &[u8], binary: bool) -> Result<(), Error> {
    match output {
        Some(p) if p != "-" => std::fs::write(p, bytes)
            .map_err(|e| Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &p, &e)).with_file(p)),
        _ if binary => Err(Error::new(
            ErrorKind::InvalidArgument,
            "XLSX 工作簿须用 `--output 文件.xlsx` 写入文件 / an XLSX workbook needs `--output FILE.xlsx`",
        )),
        _ => {
            out(&String::from_utf8_lossy(bytes));
            Ok(())
        }
    }
}

/// Where a render writes: a file, or stdout (text formats), as it goes.
enum Sink {
    File(std::io::BufWriter<std::fs::File>, String),
    Stdout,
}

impl Sink {
    fn open(output: Option<&str>) -> Result<Sink, Error> {
        match output {
            Some(p) if p != "-" => std::fs::File::create(p)
                .map(|f| Sink::File(std::io::BufWriter::new(f), p.to_string()))
                .map_err(|e| {
                    Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &p, &e)).with_file(p)
                }),
            _ => Ok(Sink::Stdout),
        }
    }

    fn write(&mut self, s: &str) -> Result<(), Error> {
        match self {
            Sink::File(w, p) => std::io::Write::write_all(w, s.as_bytes()).map_err(|e| {
                Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &p, &e)).with_file(p.as_str())
            }),
            Sink::Stdout => {
                out(s);
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Sink::File(mut w, p) => std::io::Write::flush(&mut w).map_err(|e| {
                Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &p, &e)).with_file(p.as_str())
            }),
            Sink::Stdout => Ok(()),
        }
    }
}

/// Stdin kept in a temporary file for a command that reads its input twice; removed when dropped.
struct Spool(Option<std::path::PathBuf>);

impl Drop for Spool {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Each input as `(where it is read, its name in messages)`, `-` (stdin) read from a temporary copy of it, so that
/// every input can be read twice.
fn spool_stdin(paths: &[String]) -> Result<(Vec<(String, String)>, Spool), Error> {
    if !paths.iter().any(|p| p == "-") {
        return Ok((
            paths.iter().map(|p| (p.clone(), p.clone())).collect(),
            Spool(None),
        ));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let path = std::env::temp_dir().join(format!("pucha-stdin-{}-{nanos}.jsonl", std::process::id()));
    let spool = Spool(Some(path.clone()));
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("无法暂存标准输入 / cannot keep stdin: {e}"),
        )
        .with_file("stdin")
    };
    let mut f = std::fs::File::create(&path).map_err(io)?;
    std::io::copy(&mut std::io::stdin().lock(), &mut f).map_err(io)?;
    let name = path.display().to_string();
    let paths = paths
        .iter()
        .map(|p| {
            if p == "-" {
                (name.clone(), "stdin".to_string())
            } else {
                (p.clone(), p.clone())
            }
        })
        .collect();
    Ok((paths, spool))
}

/// Render reports stored as JSON (`pucha score --format json`) as HTML or XLSX, reading them one at a time: a
/// first pass checks every record and counts the reports, a second writes them. A failure record (未能评分) is
/// skipped and counted; any other record that is not a report is an error naming file:line, and the rest are
/// rendered before the command exits 2.
pub(crate) fn render(
    paths: &[String],
    format: Format,
    output: Option<&str>,
    lang: Lang,
    hand_in: &crate::hand_in::HandIn,
) -> u8 {
    if matches!(format, Format::Text | Format::Csv | Format::Summary) {
        print_error(&Error::new(
            ErrorKind::InvalidArgument,
            "render 输出 `html`、`xlsx` 或 `json` / render writes `html`, `xlsx` or `json`",
        ));
        return EXIT_BAD_INPUT;
    }
    let sign = match hand_in.signing() {
        Ok(s) => s,
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let res = spool_stdin(paths).and_then(|(paths, spool)| {
        let mut skipped = crate::documents::Skipped::default();
        let (mut count, mut first) = (0usize, None::<StoredReport>);
        // Each report's name and verdict, for the table of contents of a many-site page.
        let mut toc: Vec<(String, pucha_core::Verdict)> = Vec::new();
        for (p, shown) in &paths {
            crate::documents::each_document(p, |line, doc| {
                match doc
                    .map_err(|e| e.with_file(format!("{shown}:{line}")))
                    .and_then(|d| read_report(d, shown, line))
                {
                    Ok(Some(r)) => {
                        count += 1;
                        if format == Format::Html {
                            toc.push((r.site.name.clone(), r.verdict));
                        }
                        if first.is_none() {
                            first = Some(r);
                        }
                    }
                    Ok(None) => skipped.unscored += 1,
                    Err(e) => skipped.error(e),
                }
                Ok(())
            })?;
        }
        let failed = skipped.print();
        if skipped.unscored > 0 {
            crate::say_err(&format!(
                "注意 note: 跳过 {n} 条未能评分的记录 skipped {n} records of sites that could not be scored",
                n = skipped.unscored
            ));
        }
        if count == 0 {
            return Err(Error::new(ErrorKind::InvalidValue, "输入中没有评分结果 / no reports in the input"));
        }
        if format == Format::Xlsx && count > xlsx::MAX_BOOK_SITES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "{count} 份评分结果：一个工作簿至多 {max} 个网站 / {count} reports: one workbook holds at most {max} sites",
                    max = xlsx::MAX_BOOK_SITES
                ),
            )
            .with_help("请输出为 HTML，或拆分输入（例如按地区）/ render them as HTML, or split the input (by region, for one)"));
        }
        let page = Page {
            count,
            first,
            toc,
            sign: &sign,
        };
        write_rendered(&paths, page, format, output, lang)?;
        drop(spool);
        Ok(failed)
    });
    match res {
        Ok(false) => EXIT_PASS,
        Ok(true) => EXIT_BAD_INPUT,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}

/// A stored report (`Some`), a failure record (`None`), or an error naming `file:line`.
fn read_report(doc: &str, file: &str, line: usize) -> Result<Option<StoredReport>, Error> {
    match StoredReport::from_json_str(doc) {
        Ok(r) => Ok(Some(r)),
        Err(_) if crate::documents::is_failure_record(doc) => Ok(None),
        Err(e) => Err(
            pucha_core::messages::hinted(doc, e, pucha_core::messages::Reading::Result)
                .with_file(format!("{file}:{line}")),
        ),
    }
}

/// What the first pass of [`render`] learnt: how many reports, the first, the table of contents, and who signs.
struct Page<'a> {
    count: usize,
    first: Option<StoredReport>,
    toc: Vec<(String, pucha_core::Verdict)>,
    sign: &'a pucha_render::signing::Signing,
}

/// The second pass of [`render`]: each report read again and written as it is read.
fn write_rendered(
    paths: &[(String, String)],
    page: Page<'_>,
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> Result<(), Error> {
    let Page {
        count,
        first,
        toc,
        sign,
    } = page;
    if format == Format::Xlsx {
        if output.is_none_or(|o| o == "-") {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "XLSX 工作簿须用 `--output 文件.xlsx` 写入文件 / an XLSX workbook needs `--output FILE.xlsx`",
            ));
        }
        let bytes = match (count, &first) {
            (1, Some(one)) => xlsx::report_xlsx(one, lang, sign)?,
            _ => {
                let mut book = xlsx::ReportsBook::new(lang)?;
                each_report(paths, |r| book.add(&r, sign))?;
                book.finish()?
            }
        };
        return emit(output, &bytes, true);
    }
    let mut sink = Sink::open(output)?;
    if format == Format::Html {
        sink.write(&html::reports_html_head(count, first.as_ref(), lang))?;
        if count > 1 {
            sink.write(&html::contents(toc.iter().map(|(n, v)| (n.as_str(), *v)), lang))?;
        }
    }
    let mut i = 0usize;
    each_report(paths, |r| match format {
        Format::Html => {
            i += 1;
            sink.write(&html::report_article(i - 1, &r, lang, sign))
        }
        _ => sink.write(&(serde_json::to_string(&r).unwrap_or_default() + "\n")),
    })?;
    if format == Format::Html {
        sink.write(&html::reports_html_foot())?;
    }
    sink.finish()
}

/// Each report of the inputs, records that are not reports passed over (the first pass named them).
fn each_report(
    paths: &[(String, String)],
    mut f: impl FnMut(StoredReport) -> Result<(), Error>,
) -> Result<(), Error> {
    for (p, shown) in paths {
        crate::documents::each_document(p, |line, doc| {
            match doc.and_then(|d| read_report(d, shown, line)) {
                Ok(Some(r)) => f(r),
                _ => Ok(()),
            }
        })?;
    }
    Ok(())
}

/// Write reports in a hand-in format.
pub(crate) fn write_reports(
    reports: &[StoredReport],
    format: Format,
    output: Option<&str>,
    lang: Lang,
    sign: &pucha_render::signing::Signing,
) -> Result<(), Error> {
    match format {
        Format::Html => emit(
            output,
            html::reports_html(reports, lang, &|_| sign.clone()).as_bytes(),
            false,
        ),
        Format::Xlsx => {
            let bytes = match reports {
                [one] => xlsx::report_xlsx(one, lang, sign)?,
                many => xlsx::reports_xlsx(many, lang, &|_| sign.clone())?,
            };
            emit(output, &bytes, true)
        }
        Format::Json => {
            let mut s = String::new();
            for r in reports {
                s.push_str(&serde_json::to_string(r).unwrap_or_default());
                s.push('\n');
            }
            emit(output, s.as_bytes(), false)
        }
        Format::Text | Format::Csv | Format::Summary => Err(Error::new(
            ErrorKind::InvalidArgument,
            "render 输出 `html`、`xlsx` 或 `json` / render writes `html`, `xlsx` or `json`",
        )),
    }
}

/// How many records are read before they are digested together, in parallel: enough to keep every core busy,
/// few enough (and at most [`BATCH_BYTES`]) that memory stays bounded whatever the input's size.
const BATCH_DOCS: usize = 4096;
const BATCH_BYTES: usize = 16 << 20;

/// The roll-up of reports or summaries read one batch at a time from many files, with the rule titles they carry,
/// and what was passed over: failure records (未能评分, counted) and records that are neither (errors naming
/// file:line).
pub(crate) fn read_rollup(
    paths: &[String],
    by: GroupBy,
) -> Result<(RollupBuilder, TitleBook, crate::documents::Skipped), Error> {
    let mut builder = RollupBuilder::new(by);
    let mut book = TitleBook::default();
    let mut skipped = crate::documents::Skipped::default();
    for p in paths {
        let mut batch: Vec<(usize, String)> = Vec::new();
        let mut bytes = 0;
        crate::documents::each_document(p, |line, doc| {
            match doc {
                Ok(d) => {
                    bytes += d.len();
                    batch.push((line, d.to_string()));
                }
                Err(e) => skipped.error(e),
            }
            if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
                digest_batch(p, &batch, &mut builder, &mut book, &mut skipped);
                batch.clear();
                bytes = 0;
            }
            Ok(())
        })?;
        digest_batch(p, &batch, &mut builder, &mut book, &mut skipped);
    }
    Ok((builder, book, skipped))
}

enum Read {
    Digest(Box<Digest>),
    Unscored,
    Bad(Error),
}

/// Digest a batch on up to 8 threads, then count it in input order.
fn digest_batch(
    file: &str,
    batch: &[(usize, String)],
    builder: &mut RollupBuilder,
    book: &mut TitleBook,
    skipped: &mut crate::documents::Skipped,
) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = batch.len().div_ceil(threads).max(1);
    let read = |c: &[(usize, String)]| {
        let mut titles = TitleBook::default();
        let out: Vec<Read> = c
            .iter()
            .map(|(line, d)| match Digest::read(d, Some(&mut titles)) {
                Ok(x) => Read::Digest(Box::new(x)),
                Err(_) if crate::documents::is_failure_record(d) => Read::Unscored,
                Err(e) => Read::Bad(
                    pucha_core::messages::hinted(d, e, pucha_core::messages::Reading::Result)
                        .with_file(format!("{file}:{line}")),
                ),
            })
            .collect();
        (out, titles)
    };
    let parts: Vec<(Vec<Read>, TitleBook)> = std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|c| {
                (
                    c,
                    std::thread::Builder::new().spawn_scoped(s, move || read(c)).ok(),
                )
            })
            .collect();
        handles
            .into_iter()
            // A thread that cannot be started, or that failed, leaves its chunk to this one.
            .map(|(c, h)| h.and_then(|h| h.join().ok()).unwrap_or_else(|| read(c)))
            .collect()
    });
    for (reads, titles) in parts {
        for r in reads {
            match r {
                Read::Digest(d) => builder.add(&d),
                Read::Unscored => builder.add_unscored(),
                Read::Bad(e) => skipped.error(e),
            }
        }
        book.merge(titles);
    }
}

/// `pucha summarize`.
pub(crate) fn summarize(paths: &[String], by: &str, format: Format, output: Option<&str>, lang: Lang) -> u8 {
    let Some(by) = GroupBy::parse(by) else {
        print_error(
            &Error::new(ErrorKind::InvalidArgument, format!("不能按 `{by}` 分组 / cannot group by `{by}`"))
                .with_help("可用 `region`、`department`、`kind`、`pack` 或 `all` / use `region`, `department`, `kind`, `pack` or `all`"),
        );
        return EXIT_BAD_INPUT;
    };
    let res = read_rollup(paths, by).and_then(|(builder, titles, skipped)| {
        let failed = skipped.print();
        if builder.sites() == 0 && skipped.unscored == 0 {
            return Err(Error::new(ErrorKind::InvalidValue, "输入中没有评分结果 / no reports in the input"));
        }
        let r = builder.finish(Some(&titles));
        let written = match format {
            Format::Text => emit(output, rollup_text(&r, lang).as_bytes(), false),
            Format::Json => emit(
                output,
                (serde_json::to_string_pretty(&r).unwrap_or_default() + "\n").as_bytes(),
                false,
            ),
            Format::Csv => emit(output, rollup_csv(&r).as_bytes(), false),
            Format::Html => emit(output, html::rollup_html(&r, lang).as_bytes(), false),
            Format::Xlsx => {
                let today = chrono::Utc::now()
                    .with_timezone(&pucha_probes::adapters::cst())
                    .date_naive()
                    .to_string();
                emit(output, &xlsx::rollup_xlsx(&r, lang, &today)?, true)
            }
            Format::Summary => Err(Error::new(
                ErrorKind::InvalidArgument,
                "summarize 输出 `text`、`json`、`csv`、`html` 或 `xlsx` / summarize writes `text`, `json`, `csv`, `html` or `xlsx`",
            )),
        };
        written.map(|()| failed)
    });
    match res {
        Ok(false) => EXIT_PASS,
        Ok(true) => EXIT_BAD_INPUT,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}

fn label(pack: &str, set: &[String]) -> String {
    if set.is_empty() {
        pack.to_string()
    } else {
        format!("{pack} {}", set.join(" "))
    }
}

/// `pucha diff`: score the observations two ways and compare.
pub(crate) fn diff(
    paths: &[String],
    packs: &[String],
    set: &[String],
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> u8 {
    let (pa, pb) = match packs {
        [] => ("census-2015", "census-2015"),
        [a] => (a.as_str(), a.as_str()),
        [a, b] => (a.as_str(), b.as_str()),
        _ => {
            print_error(&Error::new(
                ErrorKind::InvalidArgument,
                "`--pack` 须给一次或两次 / give `--pack` once or twice",
            ));
            return EXIT_BAD_INPUT;
        }
    };
    if pa == pb && set.is_empty() {
        print_error(
            &Error::new(
                ErrorKind::InvalidArgument,
                "没有可对比的：B 方与 A 方相同 / nothing to compare: side B equals side A",
            )
            .with_help("请再给一个 `--pack`，或为 B 方给出 `--set 名称=值` / give a second `--pack`, or `--set name=value` for side B"),
        );
        return EXIT_BAD_INPUT;
    }
    let res = (|| -> Result<Comparison, Error> {
        let a = Engine::new(load_pack(pa, &[])?);
        let b = Engine::new(load_pack(pb, set)?);
        // One site at a time: both reports are compared and dropped, only the comparison kept.
        let mut sites = Vec::new();
        for p in paths {
            crate::documents::each_document(p, |line, doc| {
                let obs = doc
                    .and_then(pucha_core::messages::read_observation)
                    .map_err(|e| e.with_file(format!("{p}:{line}")))?;
                let (ra, rb) = (
                    StoredReport::from_report(&a.score(&obs))?,
                    StoredReport::from_report(&b.score(&obs))?,
                );
                sites.push(compare_site(&ra, &rb));
                Ok(())
            })?;
        }
        Ok(Comparison::from_site_diffs(
            &label(pa, &[]),
            &label(pb, set),
            sites,
        ))
    })();
    let res = res.and_then(|c| match format {
        Format::Text => emit(output, diff_text(&c, lang).as_bytes(), false),
        Format::Json => emit(
            output,
            (serde_json::to_string_pretty(&c).unwrap_or_default() + "\n").as_bytes(),
            false,
        ),
        Format::Csv => emit(output, diff_csv(&c).as_bytes(), false),
        Format::Html | Format::Xlsx | Format::Summary => Err(Error::new(
            ErrorKind::InvalidArgument,
            "diff 输出 `text`、`json` 或 `csv` / diff writes `text`, `json` or `csv`",
        )),
    });
    match res {
        Ok(()) => EXIT_PASS,
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}
