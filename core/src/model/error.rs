//! Errors for bad input: malformed observations and rule packs.
//!
//! One error type, [`Error`], with a stable machine [`ErrorKind::code`], so bindings and test vectors match on
//! codes and never on message text. Messages are lowercase, have no trailing period, and put user input in
//! backticks. Scoring itself never fails: missing data is a status inside the report.

use serde::Serialize;
use std::fmt;

/// What kind of problem an [`Error`] reports; each has a stable snake_case code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// JSON that does not parse.
    JsonSyntax,
    /// TOML that does not parse.
    TomlSyntax,
    /// A field that the contract does not know.
    UnknownField,
    /// A required field is absent.
    MissingField,
    /// A value of the wrong JSON/TOML type.
    InvalidType,
    /// A value of the right type that is not allowed (negative count, unknown category …).
    InvalidValue,
    /// A date that is malformed or does not exist (`2015-02-30`).
    InvalidDate,
    /// Facts that contradict each other (more failures than visits, an answer before its question).
    Inconsistent,
    /// Input larger than the limit.
    TooLarge,
    /// A `schema` tag that this version does not read.
    UnsupportedSchema,
    /// A rule names a fact the engine does not offer.
    UnknownFact,
    /// A fact is given an argument it does not take, or a bad value for one.
    InvalidArgument,
    /// A rule expression that does not parse.
    ExpressionSyntax,
    /// A rule expression that mixes types (a number compared with text …).
    ExpressionType,
    /// An expression names a measure, fact or parameter that does not exist.
    UnknownName,
    /// Two rules (or indicators, parameters) share an id.
    DuplicateId,
    /// A rule names an indicator the pack does not define.
    UnknownIndicator,
    /// `--set` names a parameter the pack does not have.
    UnknownParam,
    /// A parameter value of the wrong type or outside its allowed values.
    InvalidParam,
    /// No built-in pack of that name.
    UnknownPack,
    /// A TOML pack given to a build that reads none (the browser's smaller WebAssembly module).
    TomlUnavailable,
    /// A built-in pack that this build does not embed (the browser's main WebAssembly module embeds only the one
    /// the self-check widget scores with; the full module has them all).
    PackUnavailable,
    /// A file could not be read.
    Io,
}

impl ErrorKind {
    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::JsonSyntax => "json_syntax",
            ErrorKind::TomlSyntax => "toml_syntax",
            ErrorKind::UnknownField => "unknown_field",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::InvalidType => "invalid_type",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::InvalidDate => "invalid_date",
            ErrorKind::Inconsistent => "inconsistent",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::UnsupportedSchema => "unsupported_schema",
            ErrorKind::UnknownFact => "unknown_fact",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::ExpressionSyntax => "expression_syntax",
            ErrorKind::ExpressionType => "expression_type",
            ErrorKind::UnknownName => "unknown_name",
            ErrorKind::DuplicateId => "duplicate_id",
            ErrorKind::UnknownIndicator => "unknown_indicator",
            ErrorKind::UnknownParam => "unknown_param",
            ErrorKind::InvalidParam => "invalid_param",
            ErrorKind::UnknownPack => "unknown_pack",
            ErrorKind::TomlUnavailable => "toml_unavailable",
            ErrorKind::PackUnavailable => "pack_unavailable",
            ErrorKind::Io => "io",
        }
    }
}

/// A problem with an observation or a rule pack, with where it is and what to do about it.
///
/// One opaque type with accessors (rather than an enum per operation) so every binding maps it the same way:
/// `code`, `message`, `path`, `rule`, `file`, `line`, `column`, `help`. Boxed so `Result`s stay small.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(transparent)]
pub struct Error {
    inner: Box<Details>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Details {
    #[serde(rename = "code", serialize_with = "ser_kind")]
    kind: ErrorKind,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

fn ser_kind<S: serde::Serializer>(k: &ErrorKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

impl fmt::Display for Error {
    /// `file:line:column: path: message (help)`, each part only when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let (Some(l), Some(c)) = (self.line, self.column) {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
        } else if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "line {l} column {c}: ")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        if let Some(path) = &self.path {
            write!(f, "`{path}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// The most characters of one piece of input (a quoted name or value) an error message echoes.
pub const ECHO_MAX: usize = 120;

/// `s` cut to `max` characters, with the length of what was left out.
fn shorten(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…（共 {} 字节 bytes）", &s[..at], s.len())),
    }
}

/// A message whose quoted pieces (between backticks) are each cut to [`ECHO_MAX`] characters: a 200 MB unknown key
/// is named, not echoed.
fn shortened(message: String) -> String {
    if message.len() <= ECHO_MAX * 4 {
        return message;
    }
    let mut out = String::with_capacity(ECHO_MAX * 8);
    for (i, piece) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd pieces are quoted input; the words around them are pucha's own and short.
        out.push_str(&shorten(piece, if i % 2 == 1 { ECHO_MAX } else { ECHO_MAX * 4 }));
    }
    out
}

impl Error {
    /// A new error of `kind` with `message` (a piece of input it quotes longer than 120 characters is shortened).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Details {
                kind,
                message: shortened(message.into()),
                path: None,
                rule: None,
                file: None,
                line: None,
                column: None,
                help: None,
            }),
        }
    }

    /// The JSON path (`columns[3].items[0].published`) or TOML key path of the problem (a key longer than
    /// 240 characters is shortened).
    pub fn with_path(mut self, path: impl Into<String>) -> Error {
        let p = shorten(&path.into(), ECHO_MAX * 2).into_owned();
        self.inner.path = if p.is_empty() || p == "." { None } else { Some(p) };
        self
    }

    /// The rule the problem belongs to.
    pub fn with_rule(mut self, rule: impl Into<String>) -> Error {
        self.inner.rule = Some(rule.into());
        self
    }

    /// The file (or pack name) the input came from.
    pub fn with_file(mut self, file: impl Into<String>) -> Error {
        self.inner.file = Some(file.into());
        self
    }

    /// 1-based line and column.
    pub fn with_position(mut self, line: usize, column: usize) -> Error {
        self.inner.line = Some(line);
        self.inner.column = Some(column);
        self
    }

    /// The same error without line and column (for positions in text the caller never saw).
    pub(crate) fn without_position(mut self) -> Error {
        self.inner.line = None;
        self.inner.column = None;
        self
    }

    /// A hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Error {
        self.inner.help = Some(help.into());
        self
    }

    /// The kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The stable machine code, e.g. `unknown_field`.
    pub fn code(&self) -> &'static str {
        self.inner.kind.code()
    }

    /// The message alone, without location.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The JSON or TOML path, when known.
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }

    /// The rule id, when the problem is in a rule.
    pub fn rule(&self) -> Option<&str> {
        self.inner.rule.as_deref()
    }

    /// The file or pack name, when known.
    pub fn file(&self) -> Option<&str> {
        self.inner.file.as_deref()
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.inner.line
    }

    /// The 1-based column, when known.
    pub fn column(&self) -> Option<usize> {
        self.inner.column
    }

    /// The hint, when there is one.
    pub fn help(&self) -> Option<&str> {
        self.inner.help.as_deref()
    }
}

/// Levenshtein distance on chars, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No field or rule name is this long: a longer word is no typo of one, and comparing it would cost its length
    // times each candidate's.
    if word.len() > 64 {
        return None;
    }
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Turn serde's "unknown field `x`, expected one of `a`, `b`" into a kind and a help text naming the closest field.
pub(crate) fn classify_serde_message(msg: &str) -> (ErrorKind, Option<String>) {
    let ticks: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    if msg.starts_with("unknown field") || msg.starts_with("unknown variant") {
        let kind = if msg.starts_with("unknown field") {
            ErrorKind::UnknownField
        } else {
            ErrorKind::InvalidValue
        };
        let help = ticks.split_first().and_then(|(word, cands)| {
            closest(word, cands.iter().copied()).map(|c| format!("did you mean `{c}`?"))
        });
        return (kind, help);
    }
    let kind = if msg.starts_with("missing field") {
        ErrorKind::MissingField
    } else if msg.starts_with("invalid type") {
        ErrorKind::InvalidType
    } else if msg.starts_with("invalid date") {
        ErrorKind::InvalidDate
    } else {
        ErrorKind::InvalidValue
    };
    (kind, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_fields() {
        let (k, help) = classify_serde_message(
            "unknown field `monitoring_pont`, expected one of `schema`, `monitoring_point`, `site`",
        );
        assert_eq!(k, ErrorKind::UnknownField);
        assert_eq!(help.as_deref(), Some("did you mean `monitoring_point`?"));
        let (_, help) = classify_serde_message("unknown field `zzzzzzzz`, expected `a` or `b`");
        assert_eq!(help, None);
    }

    #[test]
    fn display_has_location() {
        let e = Error::new(ErrorKind::UnknownFact, "unknown fact `x`")
            .with_file("p.toml")
            .with_position(3, 7)
            .with_rule("r")
            .with_help("did you mean `y`?");
        assert_eq!(
            e.to_string(),
            "p.toml:3:7: rule `r`: unknown fact `x`; did you mean `y`?"
        );
        assert_eq!(e.code(), "unknown_fact");
    }

    #[test]
    fn a_huge_name_is_named_not_echoed() {
        let key = "k".repeat(1_000_000);
        let e = Error::new(
            ErrorKind::UnknownField,
            format!("unknown field `{key}`, expected one of `schema`, `site`"),
        )
        .with_path(key.clone());
        assert!(e.to_string().len() < 1_000, "{}", e.to_string().len());
        assert!(
            e.message().contains("…（共 1000000 字节 bytes）"),
            "{}",
            e.message()
        );
        assert!(e.message().ends_with("expected one of `schema`, `site`"));
        assert!(closest(&key, ["schema", "site"]).is_none());
        // Ordinary messages are left alone.
        let small = Error::new(ErrorKind::UnknownField, "unknown field `colums`");
        assert_eq!(small.message(), "unknown field `colums`");
    }
}
