//! The layers of `core/src` import one way: `model` ← `lang` ← `eval` ← `io` ← `analysis`, each only from those
//! before it, and no circle of files inside a layer.
//!
//! Read from the source text: `use` and `pub use` (grouped or not), `crate::…` paths written in code, `super::`
//! paths and `$crate::` in macros. Comments and string literals are not code; `#[cfg(test)]` modules may import any
//! layer (a test of a lower layer may score with the whole engine), so they are left out. A self-test plants each
//! kind of violation and sees it reported.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 5] = ["model", "lang", "eval", "io", "analysis"];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// Source text with comments, string and char literals blanked (lengths kept, so nothing else moves).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in out.iter_mut().take(to).skip(from) {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                blank(&mut out, i, end);
                i = end;
            }
            b'r' if b.get(i + 1) == Some(&b'#') || (b.get(i + 1) == Some(&b'"') && !ident_before(b, i)) => {
                // A raw string: r"…", r#"…"#, r##"…"##.
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let start = i + 2 + hashes;
                let end = src[start..]
                    .find(&close)
                    .map_or(b.len(), |n| start + n + close.len());
                blank(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i, (j + 1).min(b.len()));
                i = j + 1;
            }
            b'\'' if char_literal(src, i) => {
                // A char literal ('x' or '\n'); lifetimes ('a) are left alone.
                let end = src[i + 1..].find('\'').map_or(b.len(), |n| i + 1 + n + 1);
                blank(&mut out, i, end);
                i = end;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Whether the `'` at `i` opens a char literal (`'x'`, `'，'`, `'\n'`), not a lifetime (`'a`).
fn char_literal(src: &str, i: usize) -> bool {
    let rest = &src[i + 1..];
    let mut chars = rest.chars();
    match chars.next() {
        Some('\\') => true,
        Some(c) => rest[c.len_utf8()..].starts_with('\''),
        None => false,
    }
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// The code without its `#[cfg(test)]` (or `#[cfg(all(test, …))]`) modules.
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(").map(|n| from + n) {
        let attr_end = out[at..].find(']').map_or(out.len(), |n| at + n + 1);
        let attr = &out[at..attr_end];
        let is_test = attr.contains("(test") || attr.contains(" test") || attr.contains("test)");
        // Further attributes may follow (`#[cfg(test)] #[cfg(feature = …)] mod tests`).
        let mut attr_end = attr_end;
        while out[attr_end..].trim_start().starts_with("#[") {
            let at2 = attr_end + (out[attr_end..].len() - out[attr_end..].trim_start().len());
            attr_end = out[at2..].find(']').map_or(out.len(), |n| at2 + n + 1);
        }
        let rest = out[attr_end..].trim_start();
        let is_mod =
            rest.starts_with("mod ") || rest.starts_with("pub mod ") || rest.starts_with("pub(crate) mod ");
        if !(is_test && is_mod) {
            from = attr_end;
            continue;
        }
        let Some(open) = out[attr_end..].find(['{', ';']).map(|n| attr_end + n) else {
            break;
        };
        if out.as_bytes()[open] == b';' {
            from = open + 1;
            continue;
        }
        let mut depth = 0usize;
        let mut end = out.len();
        for (k, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let blanked: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blanked);
        from = end;
    }
    out
}

/// The paths this code names from the crate root, as segments: `crate::eval::engine::Engine` gives
/// `["eval", "engine", "Engine"]`; a grouped `use crate::{io::ffi, eval::{engine, report}}` gives one path per
/// leaf; `super::` is resolved against `module` (the file's own path, e.g. `["eval", "engine"]`).
fn crate_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_crate = code[i..].starts_with("crate::") && !ident_before(b, i);
        let starts_dollar = code[i..].starts_with("$crate::");
        let starts_super = code[i..].starts_with("super::") && !ident_before(b, i);
        if !(starts_crate || starts_dollar || starts_super) {
            i += 1;
            continue;
        }
        let (mut base, mut j) = if starts_super {
            // Each `super::` climbs one module from the file's own.
            let mut m = module.to_vec();
            let mut j = i;
            while code[j..].starts_with("super::") {
                m.pop();
                j += "super::".len();
            }
            (m, j)
        } else {
            (
                Vec::new(),
                i + if starts_dollar {
                    "$crate::".len()
                } else {
                    "crate::".len()
                },
            )
        };
        loop {
            let rest = &code[j..];
            if rest.starts_with('{') {
                let inner_end = matching_brace(code, j);
                for part in split_top(&code[j + 1..inner_end]) {
                    let mut p = base.clone();
                    p.extend(segments(&part));
                    found.extend(expand(&p, &part));
                }
                i = inner_end + 1;
                break;
            }
            let seg: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if seg.is_empty() {
                found.push(base.clone());
                i = j;
                break;
            }
            base.push(seg.clone());
            j += seg.len();
            if code[j..].starts_with("::") {
                j += 2;
            } else {
                found.push(base.clone());
                i = j;
                break;
            }
        }
    }
    found.retain(|p| !p.is_empty());
    found
}

/// The index of the `}` closing the `{` at `open`.
fn matching_brace(code: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (k, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + k;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// The top-level comma-separated parts of a group.
fn split_top(group: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0usize);
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The leading `a::b::` segments of a group part (before a nested group or the last name).
fn segments(part: &str) -> Vec<String> {
    let head = part.split('{').next().unwrap_or("");
    head.split("::")
        .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
        .filter(|s| !s.is_empty() && s != "self" && s != "*")
        .collect()
}

/// A part's paths: itself, or one per leaf of its nested group.
fn expand(prefix: &[String], part: &str) -> Vec<Vec<String>> {
    match part.find('{') {
        Some(open) => {
            let close = matching_brace(part, open);
            split_top(&part[open + 1..close])
                .iter()
                .flat_map(|p| {
                    let mut q = prefix.to_vec();
                    q.extend(segments(p));
                    expand(&q, p)
                })
                .collect()
        }
        None => vec![prefix.to_vec()],
    }
}

/// A file's module path from `core/src`: `eval/engine.rs` is `["eval", "engine"]`, `eval.rs` is `["eval"]`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut m: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if m.last().is_some_and(|s| s == "mod") {
        m.pop();
    }
    m
}

/// Every violation in `files` (path from `core/src`, text): an import from a higher layer, or a circle of files
/// within one layer.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    let known: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (rel, text) in files {
        let module = module_of(rel);
        let Some(own) = module.first().and_then(|l| rank(l)) else {
            continue; // lib.rs and test helpers: the root re-exports every layer
        };
        let code = without_tests(&code_only(text));
        for path in crate_paths(&code, &module) {
            let Some(target) = path.first().and_then(|l| rank(l)) else {
                // The root re-exports every layer: naming an item through it would hide where it comes from.
                bad.push(format!(
                    "{}: names `crate::{}` through the crate root; name it by its layer",
                    rel.display(),
                    path.join("::")
                ));
                continue;
            };
            if target > own {
                bad.push(format!(
                    "{}: imports `crate::{}` from layer `{}`, above its own `{}`",
                    rel.display(),
                    path.join("::"),
                    LAYERS[target],
                    LAYERS[own]
                ));
            }
            // The file it names, for the circle check inside a layer.
            if target == own && path.len() >= 2 {
                let file = vec![path[0].clone(), path[1].clone()];
                if known.contains(&file) && file != module {
                    edges.entry(module.clone()).or_default().insert(file);
                }
            }
        }
    }
    // Circles of files inside a layer: a depth-first search that meets a file still on its path.
    fn visit(
        n: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
        bad: &mut Vec<String>,
    ) {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                0 => visit(m, edges, state, stack, bad),
                1 => {
                    let from = stack.iter().position(|x| x == m).unwrap_or(0);
                    let circle: Vec<String> = stack[from..].iter().map(|x| x.join("/")).collect();
                    bad.push(format!(
                        "a circle inside layer `{}`: {} → {}",
                        m[0],
                        circle.join(" → "),
                        m.join("/")
                    ));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            visit(n, &edges, &mut state, &mut Vec::new(), &mut bad);
        }
    }
    bad
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).expect("core/src") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            sources(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).expect("under core/src").to_path_buf();
            out.push((rel, std::fs::read_to_string(&p).expect("source")));
        }
    }
}

#[test]
fn each_layer_imports_only_from_those_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let layers: BTreeSet<String> = files
        .iter()
        .filter_map(|(p, _)| module_of(p).first().cloned())
        .collect();
    for l in LAYERS {
        assert!(layers.contains(l), "layer `{l}` has no files");
    }
    let stray: Vec<_> = files
        .iter()
        .filter(|(p, _)| {
            let m = module_of(p);
            m.len() == 1
                && !LAYERS.contains(&m[0].as_str())
                && !["lib", "test_support"].contains(&m[0].as_str())
        })
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(stray.is_empty(), "files outside the layers: {stray:?}");
    assert_eq!(violations(&files), Vec::<String>::new());
}

#[test]
fn the_check_sees_each_kind_of_violation() {
    let f = |p: &str, t: &str| (PathBuf::from(p), t.to_string());
    let plant = |extra: (PathBuf, String)| {
        let base = vec![
            f("model/date.rs", "pub struct D;"),
            f("eval/engine.rs", "use crate::model::date::D;"),
            f("io/ffi.rs", "pub fn call() {}"),
            f("analysis/diff.rs", "pub fn compare() {}"),
        ];
        let mut all = base;
        all.push(extra);
        violations(&all)
    };
    // Clean: downward imports, a comment and a string naming a higher layer, a test module importing anything.
    assert_eq!(
        plant(f(
            "lang/pack.rs",
            "use crate::model::date::D; // crate::io::ffi\nconst S: &str = \"crate::io::ffi\";\n#[cfg(test)]\nmod tests {\n    use crate::io::ffi::call;\n}\n#[cfg(test)]\n#[cfg(feature = \"x\")]\nmod more {\n    use crate::Engine;\n}\n"
        )),
        Vec::<String>::new()
    );
    for (what, file) in [
        ("a plain use", f("model/window.rs", "use crate::io::ffi::call;")),
        (
            "a grouped use",
            f(
                "lang/pack.rs",
                "use crate::{model::date::D, eval::{engine, report::R}};",
            ),
        ),
        ("a pub use", f("eval/report.rs", "pub use crate::io::ffi::call;")),
        (
            "a path in code",
            f("io/flat.rs", "fn f() { crate::analysis::diff::compare(); }"),
        ),
        (
            "super::",
            f("lang/pack.rs", "fn f() { super::super::io::ffi::call(); }"),
        ),
        (
            "$crate:: in a macro",
            f(
                "model/error.rs",
                "macro_rules! m { () => { $crate::eval::engine::E } }",
            ),
        ),
        (
            "a name through the root",
            f("model/error.rs", "fn f() -> crate::Engine { todo!() }"),
        ),
        (
            "a test gated with more than test",
            f(
                "model/ratio.rs",
                "#[cfg(feature = \"x\")]\nmod m { use crate::io::ffi::call; }",
            ),
        ),
    ] {
        assert!(!plant(file).is_empty(), "{what} is not seen");
    }
    // A circle of files inside one layer.
    let circle = violations(&[
        f("eval/a.rs", "use crate::eval::b::B;"),
        f("eval/b.rs", "use crate::eval::a::A;"),
    ]);
    assert_eq!(circle.len(), 1, "{circle:?}");
    assert!(
        circle[0].contains("eval/a") && circle[0].contains("eval/b"),
        "{circle:?}"
    );
}
