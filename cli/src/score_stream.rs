//! A JSON Lines batch through `pucha score`, streamed: one thread reads lines into batches, `jobs` threads score
//! them, one writes the results in input order. At most [`in_flight`] batches exist at once, so memory stays flat
//! whatever the input's length (a batch is at most [`LineFormat::batch_docs`] documents or [`BATCH_BYTES`] of
//! input).

use crate::documents::Skipped;
use pucha_core::{Engine, Error, Lang, Verdict, render_text};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// The most input bytes in one batch (a batch closes at the document that passes it).
pub(crate) const BATCH_BYTES: usize = 1 << 20;

/// Batches that may exist at once (being read, scored, waiting to be written) for `jobs` scoring threads.
pub(crate) fn in_flight(jobs: usize) -> usize {
    2 * jobs + 2
}

/// What one line of output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineFormat {
    /// The text report, reports separated by a rule.
    Text,
    /// The whole `pucha.report/1`, one per line.
    Json,
    /// `pucha.summary/1`, one per line.
    Summary,
    /// One CSV row per site ([`crate::score_csv`]).
    Csv,
}

impl LineFormat {
    /// The most documents in one batch: fewer for whole reports (≈ 23 KB each for a counts-only observation), so
    /// that a batch's output stays under a megabyte.
    pub(crate) fn batch_docs(self) -> usize {
        match self {
            LineFormat::Text | LineFormat::Json => 32,
            LineFormat::Summary | LineFormat::Csv => 256,
        }
    }
}

/// What every document of a batch is scored with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scoring<'a> {
    /// The engine.
    pub(crate) engine: &'a Engine,
    /// The input's name, for `file:line` in errors.
    pub(crate) name: &'a str,
    /// What each document becomes.
    pub(crate) format: LineFormat,
    /// Language of text reports.
    pub(crate) lang: Lang,
}

/// Where a batch's results go.
pub(crate) struct Output<'a> {
    /// Written before the first result (the CSV header).
    pub(crate) header: &'a str,
    /// The file or stdout.
    pub(crate) sink: &'a mut (dyn Write + Send),
    /// Whether the sink is stdout (control characters are then written visibly escaped).
    pub(crate) stdout: bool,
}

/// One document: its line and text, or why it is no document.
pub(crate) type Doc = (usize, Result<String, Error>);

struct Batch {
    seq: u64,
    docs: Vec<Doc>,
}

/// A scored batch: each document's output (empty for a bad line in text), verdicts and errors (already carrying
/// `file:line`).
struct Done {
    seq: u64,
    parts: Vec<String>,
    verdicts: Vec<Verdict>,
    errors: Vec<Error>,
}

/// How a batch ended, as the exit code needs it.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Errors (bad lines), printed at the end.
    pub(crate) skipped: Skipped,
    /// A verdict of 不合格 was given.
    pub(crate) fail: bool,
    /// A verdict of 未评定 was given.
    pub(crate) undetermined: bool,
    /// The output could not be written: the message.
    pub(crate) write_error: Option<String>,
}

/// A failure record: `{"type": "failure", "errors": [...], "line": N}`.
pub(crate) fn error_json(e: &Error, line: Option<usize>) -> String {
    let mut v = serde_json::json!({ "type": "failure", "errors": [e] });
    if let (Some(l), Some(obj)) = (line, v.as_object_mut()) {
        obj.insert("line".into(), serde_json::Value::from(l));
    }
    v.to_string()
}

/// Score one document into `out` as `scoring.format` (batch form: one line, or a text report).
pub(crate) fn score_doc(scoring: Scoring<'_>, (line, doc): &Doc, out: &mut String) -> Result<Verdict, Error> {
    let Scoring {
        engine,
        name,
        format,
        lang,
    } = scoring;
    let obs = doc.as_ref().map_err(Clone::clone).and_then(|t| {
        pucha_core::messages::read_observation(t).map_err(|e| e.with_file(format!("{name}:{line}")))
    });
    let obs = match obs {
        Ok(o) => o,
        Err(e) => {
            match format {
                LineFormat::Text => {}
                LineFormat::Json | LineFormat::Summary => {
                    out.push_str(&error_json(&e, Some(*line)));
                    out.push('\n');
                }
                LineFormat::Csv => crate::score_csv::error_row(engine, *line, &e, out),
            }
            return Err(e);
        }
    };
    let verdict = match format {
        LineFormat::Text => {
            let r = engine.score(&obs);
            out.push_str(&render_text(&r, lang));
            r.verdict
        }
        LineFormat::Json => {
            let r = engine.score(&obs);
            out.push_str(&r.to_json());
            out.push('\n');
            r.verdict
        }
        LineFormat::Summary => {
            let s = engine.summarize(&obs);
            out.push_str(&serde_json::to_string(&s).unwrap_or_default());
            out.push('\n');
            s.verdict
        }
        LineFormat::Csv => crate::score_csv::row(engine, *line, &obs, out),
    };
    Ok(verdict)
}

/// Score a batch; with `escape` (the output is a terminal's stdout) each part is made [`pucha_core::visible`] here,
/// on the scoring threads, so the one writer only copies bytes.
fn score_batch(scoring: Scoring<'_>, escape: bool, b: Batch) -> Done {
    let format = scoring.format;
    let mut parts = Vec::with_capacity(b.docs.len());
    let mut verdicts = Vec::with_capacity(b.docs.len());
    let mut errors = Vec::new();
    // Line formats go out as one text a batch (one write); text reports one part each, for the rules between them.
    let mut joined = String::new();
    for doc in &b.docs {
        let mut one = String::new();
        let out = if format == LineFormat::Text {
            &mut one
        } else {
            &mut joined
        };
        match score_doc(scoring, doc, out) {
            Ok(v) => verdicts.push(v),
            Err(e) => errors.push(e),
        }
        if format == LineFormat::Text {
            parts.push(one);
        }
    }
    if format != LineFormat::Text {
        parts.push(joined);
    }
    if escape {
        for part in &mut parts {
            if let std::borrow::Cow::Owned(shown) = pucha_core::visible(part) {
                *part = shown;
            }
        }
    }
    Done {
        seq: b.seq,
        parts,
        verdicts,
        errors,
    }
}

/// Score the documents `read` produces (it calls its argument with each, in order, and stops when that fails),
/// writing to `sink` in input order with `jobs` scoring threads. `header` is written first.
pub(crate) fn run(
    scoring: Scoring<'_>,
    jobs: usize,
    output: Output<'_>,
    read: impl FnOnce(&mut dyn FnMut(Doc) -> bool),
) -> Outcome {
    let format = scoring.format;
    let escape = output.stdout;
    let jobs = jobs.max(1);
    let slots = in_flight(jobs);
    let (batch_tx, batch_rx) = sync_channel::<Batch>(slots);
    let (done_tx, done_rx) = sync_channel::<Done>(slots);
    // A token per batch that may exist: the reader takes one before it sends a batch, the writer gives it back
    // once the batch is written, so a slow batch cannot make the others pile up behind it.
    let (token_tx, token_rx) = sync_channel::<()>(slots);
    for _ in 0..slots {
        let _ = token_tx.send(());
    }
    let batch_rx = Arc::new(Mutex::new(batch_rx));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            let batch_rx = Arc::clone(&batch_rx);
            let done_tx = done_tx.clone();
            s.spawn(move || {
                loop {
                    let next = batch_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok(b)) = next else { return };
                    if done_tx.send(score_batch(scoring, escape, b)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let writer = s.spawn(move || write_in_order(done_rx, token_tx, format, output));
        read_batches(read, format.batch_docs(), &batch_tx, &token_rx);
        drop(batch_tx);
        writer.join().unwrap_or_default()
    })
}

/// Group the documents into batches and send them, each after taking a token.
fn read_batches(
    read: impl FnOnce(&mut dyn FnMut(Doc) -> bool),
    batch_docs: usize,
    tx: &SyncSender<Batch>,
    tokens: &Receiver<()>,
) {
    let mut seq = 0u64;
    let mut docs: Vec<Doc> = Vec::new();
    let mut bytes = 0usize;
    let send = |docs: Vec<Doc>, seq: &mut u64| -> bool {
        if tokens.recv().is_err() {
            return false;
        }
        let ok = tx.send(Batch { seq: *seq, docs }).is_ok();
        *seq += 1;
        ok
    };
    let mut open = true;
    read(&mut |doc: Doc| {
        bytes += doc.1.as_ref().map_or(0, String::len);
        docs.push(doc);
        if docs.len() >= batch_docs || bytes >= BATCH_BYTES {
            bytes = 0;
            open = send(std::mem::take(&mut docs), &mut seq);
        }
        open
    });
    if open && !docs.is_empty() {
        send(docs, &mut seq);
    }
}

fn write_in_order(
    done: Receiver<Done>,
    tokens: SyncSender<()>,
    format: LineFormat,
    output: Output<'_>,
) -> Outcome {
    let Output { header, sink, stdout } = output;
    let mut o = Outcome::default();
    let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut first = true;
    // Write `s` (already escaped for a terminal by the scoring threads), noting the first failure (after which
    // nothing more is written).
    let put = |sink: &mut (dyn Write + Send), s: &str, o: &mut Outcome| {
        if o.write_error.is_some() || s.is_empty() {
            return;
        }
        if let Err(e) = sink.write_all(s.as_bytes()) {
            o.write_error = Some(e.to_string());
        }
    };
    if stdout {
        put(sink, &pucha_core::visible(header), &mut o);
    } else {
        put(sink, header, &mut o);
    }
    // Progress on stderr while a long batch runs (indicatif draws nothing when stderr is not a terminal).
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} 已评分 {pos} 个网站 sites scored [{elapsed}, {per_sec}]",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    for d in done {
        waiting.insert(d.seq, d);
        while let Some(d) = waiting.remove(&next) {
            next += 1;
            for v in &d.verdicts {
                o.fail |= *v == Verdict::Fail;
                o.undetermined |= *v == Verdict::Undetermined;
            }
            progress.inc(d.errors.len() as u64);
            for e in d.errors {
                o.skipped.error(e);
            }
            progress.inc(d.verdicts.len() as u64);
            for part in &d.parts {
                // Text reports are separated by a rule (a bad line, reported on stderr, leaves no part).
                if format == LineFormat::Text && !part.is_empty() {
                    if !first {
                        put(sink, &format!("\n{}\n\n", "─".repeat(60)), &mut o);
                    }
                    first = false;
                }
                put(sink, part, &mut o);
            }
            // Each batch reaches the file or pipe whole as soon as it is written, so a reader sees progress.
            if let Err(e) = sink.flush()
                && o.write_error.is_none()
            {
                o.write_error = Some(e.to_string());
            }
            if o.write_error.is_some() {
                // Nothing more can be written: stop taking batches (the reader sees the tokens end).
                progress.finish_and_clear();
                return o;
            }
            let _ = tokens.send(());
        }
    }
    progress.finish_and_clear();
    if let Err(e) = sink.flush()
        && o.write_error.is_none()
    {
        o.write_error = Some(e.to_string());
    }
    o
}
