//! `pucha score`: one observation or a JSON Lines batch.

use crate::{EXIT_BAD_INPUT, EXIT_FAIL, EXIT_PASS, load_pack, out, print_error};
use pucha_core::{Engine, Error, ErrorKind, Lang, Observation, Verdict, render_text};
use std::io::Read;

fn read_input(path: &str) -> Result<String, Error> {
    let limit = pucha_core::MAX_INPUT_BYTES as u64;
    let mut buf = Vec::new();
    let res = if path == "-" {
        std::io::stdin().lock().take(limit + 1).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
    };
    let name = if path == "-" { "stdin" } else { path };
    res.map_err(|e| Error::new(ErrorKind::Io, format!("cannot read observation: {e}")).with_file(name))?;
    if buf.len() as u64 > limit {
        return Err(
            Error::new(ErrorKind::TooLarge, format!("input is larger than {limit} bytes")).with_file(name),
        );
    }
    String::from_utf8(buf).map_err(|e| {
        Error::new(
            ErrorKind::JsonSyntax,
            format!("input is not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
        .with_file(name)
    })
}

/// True when the text holds more than one JSON document, one per line.
fn is_json_lines(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else { return false };
    lines.next().is_some() && serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
}

fn error_json(e: &Error, line: Option<usize>) -> String {
    let mut v = serde_json::json!({ "type": "failure", "errors": [e] });
    if let (Some(l), Some(obj)) = (line, v.as_object_mut()) {
        obj.insert("line".into(), serde_json::Value::from(l));
    }
    v.to_string()
}

/// Score the observation(s) at `path`; returns the exit code.
pub(crate) fn score(path: &str, pack: &str, set: &[String], json: bool, lang: Lang) -> u8 {
    let engine = match load_pack(pack, set) {
        Ok(p) => Engine::new(p),
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let text = match read_input(path) {
        Ok(t) => t,
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let name = if path == "-" { "stdin" } else { path };
    if !is_json_lines(&text) {
        return match Observation::from_json_str(&text) {
            Ok(obs) => {
                let r = engine.score(&obs);
                out(&if json {
                    r.to_json_pretty() + "\n"
                } else {
                    render_text(&r, lang)
                });
                if r.verdict == Verdict::Pass {
                    EXIT_PASS
                } else {
                    EXIT_FAIL
                }
            }
            Err(e) => {
                let e = e.with_file(name);
                print_error(&e);
                if json {
                    out(&(error_json(&e, None) + "\n"));
                }
                EXIT_BAD_INPUT
            }
        };
    }
    let (mut any_fail, mut any_bad) = (false, false);
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Observation::from_json_str(line) {
            Ok(obs) => {
                let r = engine.score(&obs);
                any_fail |= r.verdict == Verdict::Fail;
                if json {
                    out(&(r.to_json() + "\n"));
                } else {
                    if !first {
                        out(&format!("\n{}\n\n", "─".repeat(60)));
                    }
                    out(&render_text(&r, lang));
                }
            }
            Err(e) => {
                any_bad = true;
                let e = e.with_file(format!("{name}:{}", i + 1));
                print_error(&e);
                if json {
                    out(&(error_json(&e, Some(i + 1)) + "\n"));
                }
            }
        }
        first = false;
    }
    if any_bad {
        EXIT_BAD_INPUT
    } else if any_fail {
        EXIT_FAIL
    } else {
        EXIT_PASS
    }
}
