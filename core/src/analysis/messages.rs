//! Errors in words a person reads: a Chinese sentence first, the English one after, keeping the code, the place
//! (file:line:column, rule, field) and the did-you-mean. The error's own message stays in the machine's English (the
//! readers' parity tests and the JSON boundary compare it); this module words it for people, so the CLI, Python
//! and the WebAssembly full module print the same sentence. No Rust or serde words reach a person: `u64` is
//! 非负整数 / a whole number ≥ 0, `map` 一个对象 / an object, `variant` 可选值 / an allowed value.
//!
//! The hints for the usual mistakes and the reader of typed dates are in [`crate::hints`], re-exported here.

use crate::analysis::hints::ticked;
use crate::analysis::words::field_words;
use crate::eval::report::Lang;
use crate::model::error::{Error, ErrorKind};

pub use crate::analysis::hints::{
    OBSERVATION_NOT_RESULT, ONE_PER_LINE, RESULT_NOT_OBSERVATION, Reading, hinted, read_observation,
    typed_date,
};

/// `` `a`、`b` `` from the ticked pieces.
fn listed(pieces: &[&str], sep: &str) -> String {
    pieces
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(sep)
}

/// What serde names as expected, in words: (中文, English).
fn expected_words(expected: &str) -> (String, String) {
    let e = expected.trim();
    let pair = |zh: &str, en: &str| (zh.to_string(), en.to_string());
    match e {
        "u64" | "usize" | "u8" => pair("非负整数", "a whole number ≥ 0"),
        "u32" => pair(
            "非负整数（至多 4294967295）",
            "a whole number from 0 to 4294967295",
        ),
        "u16" => pair("0 到 65535 的整数", "a whole number from 0 to 65535"),
        "i64" | "i32" | "isize" => pair("整数", "a whole number"),
        "f64" | "f32" | "a number" => pair("数字", "a number"),
        "a boolean" => pair("true 或 false", "true or false"),
        "a string" | "a borrowed string" => pair("带引号的文本", "text in quotes"),
        "a sequence" | "a list" => pair("列表 […]", "a list […]"),
        _ if e == "a map"
            || e.starts_with("struct ")
            || e.starts_with("an observation")
            || e.starts_with("a map")
            || e.starts_with("an object") =>
        {
            pair("一个对象 {…}", "an object {…}")
        }
        _ if e.starts_with("a date") => pair(
            "日期，写作 YYYY-MM-DD 或 RFC 3339 时间",
            "a date, written YYYY-MM-DD or as an RFC 3339 timestamp",
        ),
        _ => {
            let t = ticked(e);
            if t.is_empty() {
                (e.to_string(), e.to_string())
            } else {
                (
                    format!("可选值之一：{}", listed(&t, "、")),
                    format!("one of {}", listed(&t, ", ")),
                )
            }
        }
    }
}

/// What serde says it found, in words: (中文, English).
fn found_words(found: &str) -> (String, String) {
    let f = found.trim();
    let value = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|v| v.trim().trim_matches('`').to_string())
    };
    if let Some(s) = f.strip_prefix("string ") {
        return (format!("文本 {s}"), format!("the text {s}"));
    }
    for p in ["integer ", "floating point "] {
        if let Some(v) = value(p) {
            return (format!("数 {v}"), format!("the number {v}"));
        }
    }
    if let Some(v) = value("boolean ") {
        return (v.clone(), v);
    }
    let pair = |zh: &str, en: &str| (zh.to_string(), en.to_string());
    match f {
        "null" | "unit value" => pair("null", "null"),
        "map" => pair("一个对象 {…}", "an object {…}"),
        "sequence" | "a list" => pair("一个列表 […]", "a list […]"),
        _ => (f.to_string(), f.to_string()),
    }
}

/// "invalid type: F, expected E" / "invalid value: F, expected E" in words.
fn mismatch(message: &str) -> Option<(String, String)> {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let (found, expected) = rest.split_once(", expected ")?;
    let (fz, fe) = found_words(found);
    let (ez, ee) = expected_words(expected);
    Some((
        format!("应为{ez}，实为{fz}"),
        format!("expected {ee}, found {fe}"),
    ))
}

/// serde_json's syntax messages (the core's reader gives the same, `json_parse`), each in words: the messages that
/// start one, then (中文, English).
const JSON_WORDS: &[(&[&str], &str, &str)] = {
    use crate::io::json_parse::*;
    &[
        (
            &[EOF_LIST, EOF_OBJECT, EOF_STRING, EOF_VALUE],
            "内容在中途结束（少了结尾的 `}`、`]` 或引号？）",
            "the text ends in the middle (a closing `}`, `]` or quote missing?)",
        ),
        (&[EXPECTED_COLON], "此处应为 `:`", "expected `:` here"),
        (
            &[EXPECTED_LIST_END],
            "此处应为 `,` 或 `]`",
            "expected `,` or `]` here",
        ),
        (
            &[EXPECTED_OBJECT_END],
            "此处应为 `,` 或 `}`",
            "expected `,` or `}` here",
        ),
        (
            &[EXPECTED_VALUE, EXPECTED_IDENT],
            "此处应为一个值（数字、带引号的文本、true、false、null、对象或列表）",
            "expected a value here",
        ),
        (
            &[TRAILING_CHARACTERS],
            "一个值之后还有多余的内容",
            "more text after the value",
        ),
        (&[TRAILING_COMMA], "多余的逗号", "a comma too many"),
        (
            &[KEY_NOT_STRING],
            "字段名须为带引号的文本",
            "a field name must be text in quotes",
        ),
        (
            &[CONTROL],
            "文本中有控制字符（换行须写作 \\n）",
            "a control character inside text (write a line break as \\n)",
        ),
        (&[OUT_OF_RANGE], "数字超出范围", "a number out of range"),
        (&[INVALID_NUMBER], "数字写法不对", "a malformed number"),
        (
            &[INVALID_ESCAPE, LONE_SURROGATE, HEX_END],
            "转义写法不对（\\u 后须为四位十六进制数）",
            "a malformed escape (\\u takes four hex digits)",
        ),
        (&[RECURSION], "嵌套过深", "nested too deeply"),
    ]
};

/// A JSON syntax message (serde_json's words) in words.
fn json_syntax(message: &str) -> (String, String) {
    let m = message.split(" at line ").next().unwrap_or(message);
    let m = m.strip_prefix("invalid ").map_or(m, |rest| {
        // `invalid record: …`, `invalid pack: …`: the reader's words after its own prefix.
        rest.split_once(": ").map_or(m, |(_, inner)| inner)
    });
    match JSON_WORDS
        .iter()
        .find(|(starts, ..)| starts.iter().any(|s| m.starts_with(s)))
    {
        Some((_, zh, en)) => (format!("不是有效的 JSON：{zh}"), format!("not valid JSON: {en}")),
        None => ("不是有效的 JSON".to_string(), message.to_string()),
    }
}

/// The Chinese name of an interaction column in the observation's messages.
fn column_zh(name: &str) -> &str {
    match name {
        "survey" => "调查征集",
        "interview" => "在线访谈",
        "consultation" => "咨询",
        _ => name,
    }
}

/// Numbers in `message`, in order.
fn numbers(message: &str) -> Vec<&str> {
    message
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What an operating system's error on a file says, in words (中文, English): the kind only.
pub fn io_words(message: &str) -> (&'static str, &'static str) {
    let has = |code: &str| message.contains(&format!("os error {code})"));
    if has("2") {
        ("文件或文件夹不存在", "no such file or folder")
    } else if has("13") || has("1") {
        ("没有权限", "permission denied")
    } else if has("21") {
        ("这是一个文件夹，不是文件", "this is a folder, not a file")
    } else if has("20") {
        ("路径中有一段不是文件夹", "a part of the path is not a folder")
    } else if has("28") {
        ("磁盘已满", "the disk is full")
    } else if has("30") {
        ("只读文件系统", "a read-only file system")
    } else if has("17") {
        ("已存在", "it exists already")
    } else if message.contains("Broken pipe") || has("32") {
        ("输出已关闭", "the output was closed")
    } else {
        ("读写失败", "the input or output failed")
    }
}

/// The sentence for `e` in both languages, without place or help: (中文, English).
fn sentences(e: &Error) -> (String, String) {
    let m = e.message();
    let t = ticked(m);
    let first = t.first().copied().unwrap_or("");
    let keep = m.to_string();
    if let Some(pair) = mismatch(m) {
        return pair;
    }
    // A message made in both languages (`中文 / English`, as the CLI writes its own).
    if m.chars()
        .next()
        .is_some_and(|c| has_cjk(c.encode_utf8(&mut [0; 4])))
        && let Some((zh, en)) = m.split_once(" / ")
    {
        return (zh.to_string(), en.to_string());
    }
    if m.starts_with("unknown variant") {
        let allowed = t.get(1..).unwrap_or_default();
        return (
            format!("`{first}` 不是可选值；可选值：{}", listed(allowed, "、")),
            format!(
                "`{first}` is not an allowed value; allowed: {}",
                listed(allowed, ", ")
            ),
        );
    }
    if m.starts_with("duplicate field") {
        return (format!("字段 `{first}` 出现了两次"), keep);
    }
    match e.kind() {
        ErrorKind::JsonSyntax if m.contains("is not UTF-8") => (
            format!(
                "不是 UTF-8 编码的文本（第 {} 字节起）；GBK 文件请先另存为 UTF-8",
                numbers(m).last().unwrap_or(&"?")
            ),
            keep,
        ),
        ErrorKind::JsonSyntax => json_syntax(m),
        ErrorKind::TomlSyntax => ("不是有效的 TOML".into(), keep),
        ErrorKind::UnknownField => (format!("未知字段 `{first}`"), keep),
        ErrorKind::MissingField if m.starts_with("missing field") => (format!("缺少字段 `{first}`"), keep),
        ErrorKind::MissingField if m.starts_with("counted availability") => (
            "按次数给出的首页可用性须同时给出访问次数 `visits` 与失败次数 `failures`".into(),
            keep,
        ),
        ErrorKind::InvalidDate => (
            format!("日期 `{first}` 不对：日期写作 YYYY-MM-DD（须为真实存在的日期）或 RFC 3339 时间"),
            keep,
        ),
        ErrorKind::Inconsistent => {
            let n = numbers(m);
            let n0 = n.first().copied().unwrap_or("?");
            let n1 = n.get(1).copied().unwrap_or("?");
            let zh = if m.contains("failures is more than") {
                format!("首页访问失败次数（{n0}）多于访问次数（{n1}）")
            } else if m.contains("is marked blank but lists items") {
                format!("栏目 `{first}` 标为空白，却列出了信息条目")
            } else if m.contains("consultation column does not exist") {
                "咨询栏目标为不存在，却给出了留言".into()
            } else if let Some(rest) = m.strip_prefix("the ")
                && let Some((name, _)) = rest.split_once(" column does not exist")
            {
                format!("{}栏目标为不存在，却给出了活动", column_zh(name))
            } else if m.starts_with("answered on") {
                format!("答复日期 `{first}` 早于提问日期 `{}`", t.get(1).unwrap_or(&"?"))
            } else if m.contains("overdue messages is more than") {
                format!("超期未答复留言数（{n0}）多于有效留言数（{n1}）")
            } else {
                "数据前后矛盾".into()
            };
            (zh, keep)
        }
        ErrorKind::TooLarge => match numbers(m).last() {
            Some(limit) if m.contains("limit") => (format!("输入超过 {limit} 字节的上限"), keep),
            _ => ("输入过大".into(), keep),
        },
        ErrorKind::UnsupportedSchema => (
            format!(
                "不支持的格式版本 `{first}`；本版本读取 `{}`",
                t.get(1).unwrap_or(&"?")
            ),
            keep,
        ),
        ErrorKind::UnknownPack => match m.split_once("built-in packs: ") {
            Some((_, names)) => (
                format!(
                    "没有名为 `{first}` 的内置规则包；内置规则包：{}",
                    names.replace(", ", "、")
                ),
                keep,
            ),
            None => (format!("没有名为 `{first}` 的内置规则包"), keep),
        },
        ErrorKind::InvalidParam if t.len() >= 2 => {
            let (name, v) = (first, t[1]);
            let why = if m.ends_with("is not a number") {
                "不是数字".to_string()
            } else if m.ends_with("is not true or false") {
                "不是 true 或 false".to_string()
            } else if m.contains("is not a window length") {
                "不是时长（如 `1y`、`6mo`、`2w`）".to_string()
            } else if m.ends_with("is not allowed") {
                "不是可选值".to_string()
            } else if m.ends_with("is negative") {
                "是负数".to_string()
            } else if let Some((_, rest)) = m.split_once("is more than the table's ") {
                format!("超过评分表的 {} 分", rest.trim_end_matches(" points"))
            } else if m.ends_with("has no such setting") {
                return (format!("规则包 `{v}` 没有评分设置 `{name}`"), keep);
            } else {
                return (format!("参数值不对：{}", listed(&t, "、")), keep);
            };
            (format!("参数 `{name}` 的值 `{v}` {why}"), keep)
        }
        ErrorKind::UnknownParam if t.len() >= 2 => (format!("规则包 `{first}` 没有参数 `{}`", t[1]), keep),
        ErrorKind::Io => {
            let (zh, en) = io_words(m);
            let what = m
                .strip_prefix("cannot read ")
                .and_then(|r| r.split(':').next())
                .unwrap_or("");
            (
                format!("无法读取{}：{zh}", what_zh(what)),
                format!("cannot read {what}: {en}"),
            )
        }
        kind => {
            let lead = lead_zh(kind);
            if t.is_empty() {
                (lead.into(), keep)
            } else {
                (format!("{lead}：{}", listed(&t, "、")), keep)
            }
        }
    }
}

/// What a file was read as, in Chinese.
fn what_zh(what: &str) -> &str {
    match what {
        "observation" => "观测文件",
        "input" => "输入文件",
        "terms" => "词表",
        "site list" => "网站名录",
        "column list" => "栏目表",
        "pack" => "规则包",
        "report" | "reports" => "评分结果",
        "profile" => "网站信息表",
        "" => "文件",
        other => other,
    }
}

/// The Chinese lead of an error of `kind` whose English has no closer reading.
fn lead_zh(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::JsonSyntax => "不是有效的 JSON",
        ErrorKind::TomlSyntax => "不是有效的 TOML",
        ErrorKind::UnknownField => "未知字段",
        ErrorKind::MissingField => "缺少必需的内容",
        ErrorKind::InvalidType => "类型不对",
        ErrorKind::InvalidValue => "取值不对",
        ErrorKind::InvalidDate => "日期不对",
        ErrorKind::Inconsistent => "数据前后矛盾",
        ErrorKind::TooLarge => "输入过大",
        ErrorKind::UnsupportedSchema => "不支持的格式版本",
        ErrorKind::UnknownFact => "规则用到未知的事实",
        ErrorKind::InvalidArgument => "事实的参数不对",
        ErrorKind::ExpressionSyntax => "表达式写法不对",
        ErrorKind::ExpressionType => "表达式的类型不对",
        ErrorKind::UnknownName => "未知的名称",
        ErrorKind::DuplicateId => "编号重复",
        ErrorKind::UnknownIndicator => "未知的指标",
        ErrorKind::UnknownParam => "没有这个参数",
        ErrorKind::InvalidParam => "参数值不对",
        ErrorKind::UnknownPack => "没有这个内置规则包",
        ErrorKind::TomlUnavailable => "此版本不读 TOML 规则包",
        ErrorKind::PackUnavailable => "此版本未内置该规则包",
        ErrorKind::Io => "无法读取文件",
    }
}

/// Whether `s` holds a CJK character (a Chinese word, or full-width punctuation).
pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c))
}

/// The help in both languages: a bilingual help (`中文 / English`) split, "did you mean" put in Chinese, other
/// English help kept for the English side only.
fn help_words(help: &str) -> (Option<String>, String) {
    if let Some((zh, en)) = help.split_once("/ ")
        && has_cjk(zh)
    {
        return (Some(zh.trim_end().to_string()), en.to_string());
    }
    if let Some(rest) = help.strip_prefix("did you mean ") {
        return (
            Some(format!("是否应为 {}？", rest.trim_end_matches('?'))),
            help.to_string(),
        );
    }
    if let Some(rest) = help
        .strip_prefix("expected one of ")
        .or_else(|| help.strip_prefix("expected "))
    {
        return (
            Some(format!("可选值：{}", rest.replace(", ", "、"))),
            help.to_string(),
        );
    }
    if let Some(rest) = help.strip_prefix("its parameters are ") {
        return (
            Some(format!("其参数为 {}", rest.replace(", ", "、"))),
            help.to_string(),
        );
    }
    if let Some(rest) = help.strip_prefix("its scoring settings are ") {
        return (
            Some(format!("其评分设置为 {}", rest.replace(", ", "、"))),
            help.to_string(),
        );
    }
    (None, help.to_string())
}

/// The place of the problem: file:line:column, rule and field, the field named in words where it has a name.
fn place(e: &Error) -> String {
    let mut out = String::new();
    if let Some(file) = e.file() {
        out.push_str(file);
        if let (Some(l), Some(c)) = (e.line(), e.column()) {
            out.push_str(&format!(":{l}:{c}"));
        }
        out.push_str(": ");
    } else if let (Some(l), Some(c)) = (e.line(), e.column()) {
        out.push_str(&format!("第 {l} 行第 {c} 列 line {l} column {c}: "));
    }
    if let Some(rule) = e.rule() {
        out.push_str(&format!("规则 rule `{rule}`: "));
    }
    if let Some(path) = e.path() {
        match field_words(path) {
            Some(w) => out.push_str(&format!("`{path}`（{}）: ", w.zh)),
            None => out.push_str(&format!("`{path}`: ")),
        }
    }
    out
}

impl Error {
    /// The message in `lang`, with its hint, without the place: `应为非负整数，实为数 -1` / `expected a whole
    /// number ≥ 0, found the number -1`.
    pub fn words(&self, lang: Lang) -> String {
        let (zh, en) = sentences(self);
        let (help_zh, help_en) = match self.help() {
            Some(h) => help_words(h),
            None => (None, String::new()),
        };
        match lang {
            Lang::Zh => match help_zh {
                Some(h) => format!("{zh}；{h}"),
                None => zh,
            },
            Lang::En if help_en.is_empty() => en,
            Lang::En => format!("{en}; {help_en}"),
        }
    }

    /// The message in both languages, without the place: `应为非负整数，实为数 -1 / expected a whole number ≥ 0,
    /// found the number -1`.
    pub fn sentence(&self) -> String {
        format!("{} / {}", self.words(Lang::Zh), self.words(Lang::En))
    }

    /// The error as a person reads it: the place, the Chinese sentence, then the English one —
    /// ``stdin:1:92: `availability.visits`（首页访问次数）: 应为非负整数，实为文本 "x" / expected a whole number ≥ 0,
    /// found the text "x"``.
    pub fn bilingual(&self) -> String {
        format!(
            "{}{} / {}",
            place(self),
            self.words(Lang::Zh),
            self.words(Lang::En)
        )
    }
}

/// A reader's message passed on as text (the probes' profile reader gives serde's words) in words: the Chinese
/// sentence for the line that says what is wrong, and the text with that line in plain English; `None` when no line
/// has one of serde's phrases.
pub fn reword(text: &str) -> Option<(String, String)> {
    text.lines().find_map(|line| {
        let said = line.trim();
        // After a leading quoted name (`` `file.json`: ``), as the CLI passes a file's error on.
        let said = said
            .strip_prefix('`')
            .and_then(|r| r.split_once("`: "))
            .map_or(said, |(_, rest)| rest);
        let core = said.split(" at line ").next().unwrap_or(said);
        let (kind, _) = crate::model::error::classify_serde_message(core);
        let serde = [
            "invalid type:",
            "invalid value:",
            "unknown variant",
            "unknown field",
            "missing field",
            "duplicate field",
        ];
        if !serde.iter().any(|p| core.starts_with(p)) {
            return None;
        }
        let (zh, en) = sentences(&Error::new(kind, core));
        Some((zh, text.replacen(core, &en, 1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Error {
        read_observation(text).unwrap_err()
    }

    const HEAD: &str = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}"#;

    #[test]
    fn serde_words_become_words() {
        let e = read(&format!(
            r#"{HEAD},"availability":{{"visits":-1,"failures":0}}}}"#
        ));
        assert_eq!(e.words(Lang::Zh), "应为非负整数，实为数 -1");
        assert_eq!(
            e.words(Lang::En),
            "expected a whole number ≥ 0, found the number -1"
        );
        assert!(
            e.bilingual().contains("`availability.visits`（"),
            "{}",
            e.bilingual()
        );
        let e = read(&format!(
            r#"{HEAD},"availability":{{"visits":"x","failures":0}}}}"#
        ));
        assert_eq!(e.words(Lang::Zh), "应为非负整数，实为文本 \"x\"");
        let e = read(&format!(r#"{HEAD},"links":5}}"#));
        assert!(
            e.words(Lang::En).starts_with("expected an object"),
            "{}",
            e.words(Lang::En)
        );
        let e = read(r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kind":"blog"}}"#);
        assert!(
            e.words(Lang::Zh)
                .starts_with("`blog` 不是可选值；可选值：`portal`"),
            "{}",
            e.words(Lang::Zh)
        );
        for lang in [Lang::Zh, Lang::En] {
            for word in ["u64", "variant", "invalid type", "map", "sequence"] {
                assert!(!e.words(lang).contains(word), "{word} in {}", e.words(lang));
            }
        }
    }

    #[test]
    fn a_readers_text_is_reworded() {
        let text = "`p.toml`: TOML parse error at line 2, column 8\n  |\n2 | name = 5\n  |        ^\ninvalid type: integer `5`, expected a string";
        let (zh, en) = reword(text).unwrap();
        assert_eq!(zh, "应为带引号的文本，实为数 5");
        assert!(
            en.ends_with("expected text in quotes, found the number 5"),
            "{en}"
        );
        assert!(reword("`x`: the workbook has no sheet").is_none());
        let (zh, en) =
            reword("`p.json`: invalid type: integer `5`, expected a string at line 1 column 19").unwrap();
        assert_eq!(zh, "应为带引号的文本，实为数 5");
        assert_eq!(
            en,
            "`p.json`: expected text in quotes, found the number 5 at line 1 column 19"
        );
    }

    #[test]
    fn every_kind_has_a_chinese_sentence() {
        let e = Error::new(ErrorKind::Inconsistent, "200 failures is more than 168 visits")
            .with_path("availability.failures");
        assert_eq!(e.words(Lang::Zh), "首页访问失败次数（200）多于访问次数（168）");
        assert!(
            e.bilingual()
                .starts_with("`availability.failures`（首页访问失败）: "),
            "{}",
            e.bilingual()
        );
        let e = Error::new(
            ErrorKind::Io,
            "cannot read observation: No such file or directory (os error 2)",
        )
        .with_file("a.json");
        assert_eq!(
            e.bilingual(),
            "a.json: 无法读取观测文件：文件或文件夹不存在 / cannot read observation: no such file or folder"
        );
        let e = Error::new(ErrorKind::UnknownFact, "unknown fact `x`").with_help("did you mean `y`?");
        assert_eq!(e.words(Lang::Zh), "规则用到未知的事实：`x`；是否应为 `y`？");
        let e = read("{\"a\":");
        assert!(
            e.words(Lang::Zh).starts_with("不是有效的 JSON：内容在中途结束"),
            "{}",
            e.words(Lang::Zh)
        );
    }
}
