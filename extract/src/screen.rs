//! Text screening (严重错别字): the wrong forms of official terms found in a page's visible text.

use serde::Deserialize;

/// One entry of the text-screening dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The wrong form, as it would appear.
    pub wrong: String,
    /// The right form.
    pub right: String,
    /// When true the wrong form is never right anywhere, and findings are `confirmed`; otherwise a person reviews.
    #[serde(default)]
    pub certain: bool,
}

/// A user dictionary file: `[[term]]` tables with `wrong`, `right`, `certain`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermFile {
    /// The entries.
    #[serde(default)]
    pub term: Vec<Term>,
}

impl TermFile {
    /// Read a dictionary file's TOML text; an entry whose `wrong` form is empty is refused, naming the entry (it
    /// would match everywhere).
    pub fn from_toml(text: &str) -> Result<Vec<Term>, String> {
        let f: TermFile = toml::from_str(text).map_err(|e| e.to_string())?;
        match f.term.iter().position(|t| t.wrong.trim().is_empty()) {
            Some(i) => Err(format!("[[term]] {}: `wrong` is empty", i + 1)),
            None => Ok(f.term),
        }
    }
}

/// A small default set of official terms and their common wrong forms.
pub fn default_terms() -> Vec<Term> {
    let t = |wrong: &str, right: &str, certain: bool| Term {
        wrong: wrong.into(),
        right: right.into(),
        certain,
    };
    vec![
        t("中华人民共合国", "中华人民共和国", true),
        t("国务院办工厅", "国务院办公厅", true),
        t("社会主义核心价值规", "社会主义核心价值观", true),
        t("党风廉正建设", "党风廉政建设", true),
        t("依法形政", "依法行政", true),
        t("全国人民代表大会常务委员", "全国人民代表大会常务委员会", false),
        t("截止目前", "截至目前", false),
        t("截止到目前", "截至目前", false),
        t("既往不究", "既往不咎", false),
    ]
}

/// One wrong form found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFinding {
    /// The wrong form found.
    pub wrong: String,
    /// Up to 15 characters either side of it with the wrong form, [`printable`](crate::printable).
    pub excerpt: String,
    /// The right form.
    pub expected: String,
    /// Whether the entry is certain (no person needs to confirm it).
    pub confirmed: bool,
}

/// Every occurrence of every term's wrong form in `text` (a page's visible text), term by term, left to right;
/// occurrences of one term do not overlap.
pub fn screen_text(text: &str, terms: &[Term]) -> Vec<TextFinding> {
    let mut findings = Vec::new();
    for t in terms {
        if t.wrong.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|s| s.find(&t.wrong)) {
            let at = from + p;
            let end_at = at + t.wrong.len();
            findings.push(TextFinding {
                wrong: t.wrong.clone(),
                excerpt: excerpt(text, at, end_at),
                expected: t.right.clone(),
                confirmed: t.certain,
            });
            from = end_at;
        }
    }
    findings
}

/// Whether a text may be cut at `c` without cutting a word or a phrase: a space or a punctuation mark.
fn breaks_at(c: char) -> bool {
    c.is_whitespace() || "。，、；：！？“”‘’（）《》【】…—,.;:!?()\"'".contains(c)
}

/// The words around `text[at..end]`, with it marked 【so】: up to 15 characters either side, each side narrowed to
/// the farthest break (a space or a punctuation mark) in it so that it neither starts nor ends inside a word, or,
/// with no break at least 5 characters out, cut at 15 and marked `…`.
fn excerpt(text: &str, at: usize, end: usize) -> String {
    const SIDE: usize = 15;
    // A break closer to the word than this leaves too little to read: the window is cut instead.
    const MIN_CONTEXT: usize = 5;
    let before: Vec<(usize, char)> = text[..at].char_indices().rev().take(SIDE + 1).collect();
    let (start, cut_before) = if before.len() <= SIDE {
        (0, false)
    } else {
        let window = &before[..SIDE];
        match window.iter().rposition(|(_, c)| breaks_at(*c)) {
            Some(k) if k >= MIN_CONTEXT => (window[k].0 + window[k].1.len_utf8(), false),
            _ => (window[SIDE - 1].0, true),
        }
    };
    let after: Vec<(usize, char)> = text[end..].char_indices().take(SIDE + 1).collect();
    let (stop, cut_after) = if after.len() <= SIDE {
        (text.len(), false)
    } else {
        let window = &after[..SIDE];
        match window.iter().rposition(|(_, c)| breaks_at(*c)) {
            Some(k) if k >= MIN_CONTEXT => (end + window[k].0, false),
            _ => (end + after[SIDE].0, true),
        }
    };
    format!(
        "{}{}【{}】{}{}",
        if cut_before { "…" } else { "" },
        crate::printable(text[start..at].trim_start()),
        crate::printable(&text[at..end]),
        crate::printable(text[end..stop].trim_end()),
        if cut_after { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certain_term_is_confirmed_and_quoted_with_its_surroundings() {
        let text = "欢迎访问本站。我们坚持依法形政，建设法治政府。".repeat(2);
        let f = screen_text(&text, &default_terms());
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.confirmed && f.expected == "依法行政"));
        assert!(
            f[0].excerpt.contains("我们坚持【依法形政】，建设"),
            "{}",
            f[0].excerpt
        );
    }

    #[test]
    fn an_excerpt_starts_and_ends_at_a_break_or_says_it_was_cut() {
        let terms = default_terms();
        let long = format!("{}依法形政{}", "甲".repeat(30), "乙".repeat(30));
        let f = screen_text(&long, &terms);
        assert_eq!(
            f[0].excerpt,
            format!("…{}【依法形政】{}…", "甲".repeat(15), "乙".repeat(15))
        );
        let words = "the county office said we keep 依法形政 in every matter we handle";
        assert_eq!(
            screen_text(words, &terms)[0].excerpt,
            "said we keep 【依法形政】 in every"
        );
        assert_eq!(screen_text("依法形政", &terms)[0].excerpt, "【依法形政】");
    }

    #[test]
    fn an_uncertain_term_needs_review_and_a_clean_text_finds_nothing() {
        let f = screen_text("截止目前已办结", &default_terms());
        assert_eq!(f.len(), 1);
        assert!(!f[0].confirmed);
        assert!(screen_text("截至目前已办结", &default_terms()).is_empty());
    }

    #[test]
    fn a_dictionary_file_reads_and_an_empty_wrong_form_is_refused_by_entry() {
        let ok = "[[term]]\nwrong = \"办工\"\nright = \"办公\"\ncertain = true\n";
        assert_eq!(TermFile::from_toml(ok).map(|t| t.len()), Ok(1));
        let empty = format!("{ok}[[term]]\nwrong = \" \"\nright = \"x\"\n");
        assert_eq!(
            TermFile::from_toml(&empty),
            Err("[[term]] 2: `wrong` is empty".into())
        );
        assert!(TermFile::from_toml("[[term]]\nwrong = \"a\"\nright = \"b\"\nsure = 1\n").is_err());
    }

    #[test]
    fn an_empty_wrong_form_finds_nothing_rather_than_everything() {
        let terms = [Term {
            wrong: String::new(),
            right: "x".into(),
            certain: true,
        }];
        assert!(screen_text("任何文字", &terms).is_empty());
    }
}
