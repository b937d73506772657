//! The JSON documents of input files read one at a time, so that a batch of any size costs the memory of its
//! largest document: JSON Lines (one document per line, blank lines skipped) or, when the first line is not a whole
//! document (pretty-printed JSON), the whole file as one. Each document is at most the input limit
//! (`pucha_core::MAX_INPUT_BYTES`), and so is a single-document file.

use pucha_core::{Error, ErrorKind};
use std::io::{BufRead, BufReader, Read};

/// The most errors a batch command prints one by one; past it, it says how many more there were.
pub(crate) const ERRORS_SHOWN: usize = 20;

/// Call `f` with each document of the file at `path` (stdin for `-`): its 1-based line, and its text or the error
/// that makes it no document (not UTF-8, too long). An error from `f`, or one reading the file, stops the reading.
pub(crate) fn each_document(
    path: &str,
    f: impl FnMut(usize, Result<&str, Error>) -> Result<(), Error>,
) -> Result<(), Error> {
    each_document_within(path, pucha_core::MAX_INPUT_BYTES, f)
}

/// [`each_document`] with JSON Lines lines of at most `line_limit` bytes (a longer one is an error for that line,
/// and the reading goes on); a single document over many lines may still take the whole input limit.
pub(crate) fn each_document_within(
    path: &str,
    line_limit: usize,
    mut f: impl FnMut(usize, Result<&str, Error>) -> Result<(), Error>,
) -> Result<(), Error> {
    let name = if path == "-" { "stdin" } else { path };
    let io = |e: std::io::Error| {
        Error::new(ErrorKind::Io, format!("无法读取输入 / cannot read input: {e}")).with_file(name)
    };
    let mut reader: Box<dyn BufRead> = if path == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        Box::new(BufReader::new(std::fs::File::open(path).map_err(io)?))
    };
    let limit = pucha_core::MAX_INPUT_BYTES;
    let mut buf = Vec::new();
    let mut line = 0usize;
    // The first line with something on it decides the layout.
    let first_at = loop {
        buf.clear();
        if read_line(&mut reader, &mut buf, limit).map_err(io)? == 0 {
            return Ok(());
        }
        line += 1;
        if line == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            buf.drain(..3);
        }
        if !is_blank(&buf) {
            break line;
        }
    };
    if buf.len() > limit {
        return f(first_at, Err(too_long(name, first_at, limit)));
    }
    let first_is_whole = std::str::from_utf8(&buf)
        .ok()
        .is_some_and(|t| serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok());
    if !first_is_whole {
        // One document over many lines: the rest of the file with it, within the limit.
        let room = (limit - buf.len()) as u64;
        reader.take(room + 1).read_to_end(&mut buf).map_err(io)?;
        if buf.len() > limit {
            return f(1, Err(too_long(name, 1, limit)));
        }
        let text = utf8(&buf, name, 1);
        return f(1, text.map(str::trim));
    }
    if buf.len() > line_limit {
        f(first_at, Err(too_long(name, first_at, line_limit)))?;
    } else {
        f(first_at, utf8(&buf, name, first_at))?;
    }
    let limit = line_limit.min(limit);
    loop {
        buf.clear();
        if read_line(&mut reader, &mut buf, limit).map_err(io)? == 0 {
            return Ok(());
        }
        line += 1;
        if buf.len() > limit {
            f(line, Err(too_long(name, line, limit)))?;
            // The rest of the overlong line is not a document either.
            skip_line(&mut reader).map_err(io)?;
            continue;
        }
        if !is_blank(&buf) {
            f(line, utf8(&buf, name, line))?;
        }
    }
}

/// One line into `buf` (its end of line dropped), reading at most `limit + 1` bytes of it.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<usize> {
    let n = r.take(limit as u64 + 1).read_until(b'\n', buf)?;
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    Ok(n)
}

fn skip_line(r: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let (done, used) = {
            let chunk = r.fill_buf()?;
            match memchr_newline(chunk) {
                Some(i) => (true, i + 1),
                None => (chunk.is_empty(), chunk.len()),
            }
        };
        r.consume(used);
        if done {
            return Ok(());
        }
    }
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|c| *c == b'\n')
}

fn is_blank(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_whitespace)
}

fn utf8<'a>(b: &'a [u8], name: &str, line: usize) -> Result<&'a str, Error> {
    std::str::from_utf8(b).map_err(|e| {
        Error::new(
            ErrorKind::JsonSyntax,
            format!(
                "不是 UTF-8 文本（第 {} 字节）/ not UTF-8 (byte {})",
                e.valid_up_to() + 1,
                e.valid_up_to() + 1
            ),
        )
        .with_file(format!("{name}:{line}"))
    })
}

fn too_long(name: &str, line: usize, limit: usize) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        format!("一份文档超过 {limit} 字节的上限 / a document is larger than the limit of {limit} bytes"),
    )
    .with_file(format!("{name}:{line}"))
}

/// Whether a record says a site could not be scored (`{"type": "failure", …}`, as `pucha score` writes for bad
/// input in a batch).
pub(crate) fn is_failure_record(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Tag {
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    serde_json::from_str::<Tag>(text).is_ok_and(|t| t.kind.as_deref() == Some("failure"))
}

/// The errors of a batch read past: printed together at the end, the first [`ERRORS_SHOWN`] in full.
#[derive(Debug, Default)]
pub(crate) struct Skipped {
    shown: Vec<Error>,
    /// Documents that were neither a report nor a failure record.
    pub(crate) errors: usize,
    /// Failure records (未能评分).
    pub(crate) unscored: u64,
}

impl Skipped {
    /// Note a document that could not be read.
    pub(crate) fn error(&mut self, e: Error) {
        self.errors += 1;
        if self.shown.len() < ERRORS_SHOWN {
            self.shown.push(e);
        }
    }

    /// Print the errors noted; true when there were any.
    pub(crate) fn print(&self) -> bool {
        for e in &self.shown {
            crate::print_error(e);
        }
        if self.errors > self.shown.len() {
            crate::say_err(&format!(
                "…… 另有 {n} 个错误 and {n} more errors",
                n = self.errors - self.shown.len()
            ));
        }
        self.errors > 0
    }
}
