//! `pucha score`: one observation or a JSON Lines batch.

use crate::{EXIT_BAD_INPUT, Format, load_pack, out, print_error};
use pucha_core::{Engine, Error, ErrorKind, Lang, Observation, Verdict, render_text};

fn read_input(path: &str) -> Result<String, Error> {
    pucha_core::files::read_text(path, pucha_core::MAX_INPUT_BYTES, "observation")
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

/// Score the observation(s) at `path` into a hand-in format (HTML, XLSX): every report, or nothing on bad input.
fn score_to_file(
    engine: &Engine,
    text: &str,
    name: &str,
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> u8 {
    let mut reports = Vec::new();
    for (line, doc) in crate::report_cmd::documents(text) {
        let stored = Observation::from_json_str(doc)
            .map_err(|e| {
                e.with_file(if line > 1 || is_json_lines(text) {
                    format!("{name}:{line}")
                } else {
                    name.to_string()
                })
            })
            .and_then(|obs| pucha_core::stored::StoredReport::from_report(&engine.score(&obs)));
        match stored {
            Ok(r) => reports.push(r),
            Err(e) => {
                print_error(&e);
                return EXIT_BAD_INPUT;
            }
        }
    }
    if reports.is_empty() {
        print_error(&Error::new(ErrorKind::InvalidValue, "no observations in the input").with_file(name));
        return EXIT_BAD_INPUT;
    }
    if let Err(e) = crate::report_cmd::write_reports(&reports, format, output, lang) {
        print_error(&e);
        return EXIT_BAD_INPUT;
    }
    crate::exit_code(false, reports.iter().map(|r| r.verdict))
}

/// Score the observation(s) at `path`; returns the exit code.
pub(crate) fn score(
    path: &str,
    pack: &str,
    set: &[String],
    format: Format,
    output: Option<&str>,
    lang: Lang,
) -> u8 {
    if format == Format::Csv {
        print_error(&Error::new(
            ErrorKind::InvalidArgument,
            "score writes `text`, `json`, `html` or `xlsx`",
        ));
        return EXIT_BAD_INPUT;
    }
    let json = format == Format::Json;
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
    if matches!(format, Format::Html | Format::Xlsx) {
        return score_to_file(&engine, &text, name, format, output, lang);
    }
    if let Some(o) = output.filter(|o| *o != "-") {
        // Text and JSON to a file: the same output as on stdout.
        return match std::fs::File::create(o) {
            Ok(_) => score_stdout(&engine, &text, name, json, lang, Some(o)),
            Err(e) => {
                print_error(&Error::new(ErrorKind::Io, format!("cannot write `{o}`: {e}")).with_file(o));
                EXIT_BAD_INPUT
            }
        };
    }
    score_stdout(&engine, &text, name, json, lang, None)
}

fn score_stdout(engine: &Engine, text: &str, name: &str, json: bool, lang: Lang, file: Option<&str>) -> u8 {
    let mut buf = String::new();
    let mut out = |s: &str| match file {
        Some(_) => buf.push_str(s),
        None => out(s),
    };
    let code = score_lines(engine, text, name, json, lang, &mut out);
    if let Some(f) = file
        && let Err(e) = std::fs::write(f, buf.as_bytes())
    {
        print_error(&Error::new(ErrorKind::Io, format!("cannot write `{f}`: {e}")).with_file(f));
        return EXIT_BAD_INPUT;
    }
    code
}

fn score_lines(
    engine: &Engine,
    text: &str,
    name: &str,
    json: bool,
    lang: Lang,
    out: &mut dyn FnMut(&str),
) -> u8 {
    if !is_json_lines(text) {
        return match Observation::from_json_str(text) {
            Ok(obs) => {
                let r = engine.score(&obs);
                out(&if json {
                    r.to_json_pretty() + "\n"
                } else {
                    render_text(&r, lang)
                });
                crate::exit_code(false, [r.verdict])
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
    let mut any_bad = false;
    let mut verdicts: Vec<Verdict> = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Observation::from_json_str(line) {
            Ok(obs) => {
                let r = engine.score(&obs);
                verdicts.push(r.verdict);
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
    crate::exit_code(any_bad, verdicts)
}
