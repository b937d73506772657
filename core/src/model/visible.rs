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
    let Some(first) = first_hidden(s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let (clean, rest) = s.split_at(first);
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(clean);
    let mut chars = rest.chars().peekable();
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

/// The byte offset of the first character [`visible`] escapes, read from the UTF-8 bytes without decoding: every
/// hidden character starts with a byte below 0x20, 0x7F, or 0xC2 (C1), 0xD8 (U+061C) or 0xE2 (the bidi marks and
/// controls), and only those lead bytes need a closer look. Reports a lone `\r` and passes `\r\n`.
fn first_hidden(b: &[u8]) -> Option<usize> {
    // Whole 64-byte blocks without any such lead byte are passed in one comparison per byte, without branches (the
    // compiler vectorises it); the exact reading starts at the first block that has one.
    let lead = |x: u8| {
        (x < 0x20 && x != b'\n' && x != b'\t') | (x == 0x7F) | (x == 0xC2) | (x == 0xD8) | (x == 0xE2)
    };
    let clean = b
        .chunks_exact(64)
        .take_while(|block| !block.iter().fold(false, |any, x| any | lead(*x)))
        .count();
    let mut i = clean * 64;
    while i < b.len() {
        let hit = match b[i] {
            b'\n' | b'\t' => false,
            b'\r' => b.get(i + 1) != Some(&b'\n'),
            0x00..=0x1F | 0x7F => true,
            0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9F)),
            0xD8 => b.get(i + 1) == Some(&0x9C),
            0xE2 => matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
            ),
            _ => false,
        };
        if hit {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{first_hidden, hidden, visible};

    #[test]
    fn the_byte_scan_finds_exactly_the_hidden_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let one = c.to_string();
            let expected = hidden(c).then_some(0);
            assert_eq!(first_hidden(one.as_bytes()), expected, "{:04x}", u32::from(c));
            let later = format!("网站{c}x");
            assert_eq!(
                first_hidden(later.as_bytes()),
                expected.map(|_| 6),
                "{:04x}",
                u32::from(c)
            );
            // Past the whole clean blocks the scan skips (every hidden character and lead byte is below U+3000).
            if u32::from(c) >= 0x3000 {
                continue;
            }
            let far = format!("{}{c}", "网".repeat(50));
            assert_eq!(
                first_hidden(far.as_bytes()),
                expected.map(|_| 150),
                "{:04x}",
                u32::from(c)
            );
        }
        assert_eq!(first_hidden(b"a\r\nb"), None);
        assert_eq!(first_hidden(b"a\rb"), Some(1));
        assert_eq!(first_hidden(b"a\r"), Some(1));
    }

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
