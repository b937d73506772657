//! `pucha score`: one observation, or a JSON Lines batch streamed through every core in input order
//! ([`crate::score_stream`]).

use crate::documents::{each_document, each_document_within};
use crate::score_stream::{Doc, LineFormat, Output, Scoring, error_json, score_doc};
use crate::{EXIT_BAD_INPUT, Format, load_pack, print_error};
use pucha_core::{Engine, Error, ErrorKind, Lang, render_text};
use std::io::Write;

/// The largest line of a JSON Lines batch (a longer one is a failure record, and the batch goes on), so that the
/// batch's memory stays bounded; a single observation may take the whole input limit.
pub(crate) const MAX_LINE_BYTES: usize = 16 << 20;

/// What `pucha score` was asked.
#[derive(Debug)]
pub(crate) struct ScoreOptions<'a> {
    /// Observation file, `-` for stdin.
    pub(crate) path: &'a str,
    /// Pack name or file.
    pub(crate) pack: &'a str,
    /// `--set` overrides.
    pub(crate) set: &'a [String],
    /// Output format.
    pub(crate) format: Format,
    /// Output file (stdout when absent or `-`).
    pub(crate) output: Option<&'a str>,
    /// Language of text.
    pub(crate) lang: Lang,
    /// Scoring threads (all cores when absent).
    pub(crate) jobs: Option<usize>,
    /// The 上报表's hand-in fields (HTML and XLSX).
    pub(crate) hand_in: &'a crate::hand_in::HandIn,
}

/// Score the observation(s) into a hand-in format (HTML, XLSX): every report, or nothing on bad input.
fn score_to_file(engine: &Engine, o: &ScoreOptions<'_>, name: &str) -> u8 {
    let sign = match o.hand_in.signing() {
        Ok(s) => s,
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let mut reports = Vec::new();
    let mut docs = 0usize;
    let read = each_document(o.path, |line, doc| {
        docs += 1;
        let file = if docs > 1 || line > 1 {
            format!("{name}:{line}")
        } else {
            name.to_string()
        };
        let stored = doc
            .and_then(|t| pucha_core::messages::read_observation(t).map_err(|e| e.with_file(file)))
            .and_then(|obs| pucha_core::stored::StoredReport::from_report(&engine.score(&obs)))?;
        if o.format == Format::Xlsx && reports.len() >= crate::xlsx::MAX_BOOK_SITES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "一个工作簿至多 {max} 个网站：请拆分输入或用 `--format html` / a workbook holds at most {max} sites; split the input or use `--format html`",
                    max = crate::xlsx::MAX_BOOK_SITES
                ),
            )
            .with_file(name));
        }
        reports.push(stored);
        Ok(())
    });
    if let Err(e) = read {
        print_error(&e);
        return EXIT_BAD_INPUT;
    }
    if reports.is_empty() {
        print_error(
            &Error::new(
                ErrorKind::InvalidValue,
                "输入中没有观测 / no observations in the input",
            )
            .with_file(name),
        );
        return EXIT_BAD_INPUT;
    }
    if let Err(e) = crate::report_cmd::write_reports(&reports, o.format, o.output, o.lang, &sign) {
        print_error(&e);
        return EXIT_BAD_INPUT;
    }
    crate::exit_code(false, reports.iter().map(|r| r.verdict))
}

/// Score the observation(s) at `o.path`; returns the exit code.
pub(crate) fn score(o: &ScoreOptions<'_>) -> u8 {
    let engine = match load_pack(o.pack, o.set) {
        Ok(p) => Engine::new(p),
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let name = if o.path == "-" { "stdin" } else { o.path };
    let format = match o.format {
        Format::Html | Format::Xlsx => return score_to_file(&engine, o, name),
        Format::Text => LineFormat::Text,
        Format::Json => LineFormat::Json,
        Format::Summary => LineFormat::Summary,
        Format::Csv => LineFormat::Csv,
    };
    let file = o.output.filter(|f| *f != "-");
    let mut sink: Box<dyn Write + Send> = match file {
        Some(f) => match std::fs::File::create(f) {
            Ok(h) => Box::new(std::io::BufWriter::with_capacity(1 << 16, h)),
            Err(e) => {
                print_error(
                    &Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &f, &e)).with_file(f),
                );
                return EXIT_BAD_INPUT;
            }
        },
        None => Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())),
    };
    let header = if format == LineFormat::Csv {
        crate::score_csv::header(&engine)
    } else {
        String::new()
    };
    let jobs = o
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    // The first document is held back until a second one shows the input is a batch: a single observation is
    // answered as such (a pretty report, errors naming the file alone).
    let mut held: Option<Doc> = None;
    let mut docs = 0usize;
    let mut read_error = None;
    let scoring = Scoring {
        engine: &engine,
        name,
        format,
        lang: o.lang,
    };
    let output = Output {
        header: &header,
        sink: &mut *sink,
        stdout: file.is_none(),
    };
    let mut outcome = crate::score_stream::run(scoring, jobs, output, |push| {
        let mut stopped = false;
        let r = each_document_within(o.path, MAX_LINE_BYTES, |line, doc| {
            docs += 1;
            let doc: Doc = (line, doc.map(str::to_string));
            if docs == 1 {
                held = Some(doc);
                return Ok(());
            }
            if held.take().is_none_or(&mut *push) && push(doc) {
                return Ok(());
            }
            // The output is closed: stop reading.
            stopped = true;
            Err(Error::new(ErrorKind::Io, "输出已关闭 / output closed"))
        });
        if !stopped {
            read_error = r.err();
        }
    });
    if let Some(e) = read_error {
        print_error(&e);
        return EXIT_BAD_INPUT;
    }
    if docs == 0 {
        print_error(
            &Error::new(
                ErrorKind::InvalidValue,
                "输入中没有观测 / no observations in the input",
            )
            .with_file(name),
        );
        return EXIT_BAD_INPUT;
    }
    let mut bad = outcome.skipped.print();
    if let Some(doc) = held {
        bad |= !single(scoring, doc, &mut *sink, file.is_none(), &mut outcome);
    }
    if let Err(e) = sink.flush()
        && outcome.write_error.is_none()
    {
        outcome.write_error = Some(e.to_string());
    }
    if let (Some(msg), Some(f)) = (&outcome.write_error, file) {
        print_error(&Error::new(ErrorKind::Io, crate::io_failed("写入", "write", &f, &msg)).with_file(f));
        return EXIT_BAD_INPUT;
    }
    if bad {
        return EXIT_BAD_INPUT;
    }
    crate::exit_code(
        false,
        [
            outcome.fail.then_some(pucha_core::Verdict::Fail),
            outcome.undetermined.then_some(pucha_core::Verdict::Undetermined),
        ]
        .into_iter()
        .flatten(),
    )
}

/// Score the only document of the input, as a single observation: a pretty report in JSON, errors naming the file
/// alone (a batch's lines have one line each); true when it scored.
fn single(
    scoring: Scoring<'_>,
    (line, doc): Doc,
    sink: &mut dyn Write,
    stdout: bool,
    outcome: &mut crate::score_stream::Outcome,
) -> bool {
    let Scoring {
        engine,
        name,
        format,
        lang,
    } = scoring;
    let mut text = String::new();
    let ok = match format {
        LineFormat::Text | LineFormat::Json => {
            match doc.and_then(|t| pucha_core::messages::read_observation(&t).map_err(|e| e.with_file(name)))
            {
                Ok(obs) => {
                    let r = engine.score(&obs);
                    text = if format == LineFormat::Json {
                        r.to_json_pretty() + "\n"
                    } else {
                        render_text(&r, lang)
                    };
                    outcome.fail |= r.verdict == pucha_core::Verdict::Fail;
                    outcome.undetermined |= r.verdict == pucha_core::Verdict::Undetermined;
                    true
                }
                Err(e) => {
                    print_error(&e);
                    if format == LineFormat::Json {
                        text = error_json(&e, None) + "\n";
                    }
                    false
                }
            }
        }
        LineFormat::Summary | LineFormat::Csv => match score_doc(scoring, &(line, doc), &mut text) {
            Ok(v) => {
                outcome.fail |= v == pucha_core::Verdict::Fail;
                outcome.undetermined |= v == pucha_core::Verdict::Undetermined;
                true
            }
            Err(e) => {
                print_error(&e);
                false
            }
        },
    };
    let written = if stdout {
        sink.write_all(pucha_core::visible(&text).as_bytes())
    } else {
        sink.write_all(text.as_bytes())
    };
    if let Err(e) = written
        && outcome.write_error.is_none()
    {
        outcome.write_error = Some(e.to_string());
    }
    ok
}
