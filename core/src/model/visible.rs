//! Text made safe to show on a terminal: control characters (C0 but newline and tab, C1, DEL) and the bidi controls
//! that reorder a line are written as visible `\uXXXX` escapes, so a website cannot write escape sequences or
//! reversed text into an inspector's terminal through a title it serves. Part of the model: imports nothing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must be shown as an escape: C0 controls but `\n` and `\t`, DEL, C1 controls, and the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks that can hide order (U+200E, U+200F,
/// U+061C).
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `s` with every control and bidi character written as `\uXXXX` (the form JSON and TOML strings read back as the
/// same character, so the escape is harmless inside them); `\r` stays where it ends a line (`\r\n`). Borrowed when
/// there is nothing to escape.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if hidden(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn escapes_what_a_terminal_would_obey_and_keeps_the_rest() {
        assert!(matches!(
            visible("通知公告\n2015-06-29\tok"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(visible("a\u{1b}[2Jb"), "a\\u001b[2Jb");
        assert_eq!(visible("x\u{202e}gpj.exe"), "x\\u202egpj.exe");
        assert_eq!(visible("\u{9b}31m\u{7f}"), "\\u009b31m\\u007f");
        assert_eq!(visible("line\r\nnext\rover"), "line\r\nnext\\u000dover");
        // Inside a JSON string the escape reads back as the same character.
        let json = format!("\"{}\"", visible("a\u{202e}b"));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), "a\u{202e}b");
    }
}
