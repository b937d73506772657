//! `pucha rules …`: list, check, show, facts, params.

use crate::{EXIT_BAD_INPUT, EXIT_PASS, load_pack, out, print_error};
use pucha_core::facts::FACTS;
use pucha_core::{Lang, RuleKind, RulePack};
use std::fmt::Write;

fn kind_word(k: RuleKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (RuleKind::Veto, Lang::Zh) => "单项否决",
        (RuleKind::Deduction, Lang::Zh) => "扣分",
        (RuleKind::Bonus, Lang::Zh) => "加分",
        (RuleKind::Veto, Lang::En) => "veto",
        (RuleKind::Deduction, Lang::En) => "deduction",
        (RuleKind::Bonus, Lang::En) => "bonus",
    }
}

pub(crate) fn list(lang: Lang) -> u8 {
    let mut s = String::new();
    for name in pucha_core::builtin_packs() {
        match RulePack::builtin(name) {
            Ok(p) => {
                let m = p.meta();
                let _ = writeln!(
                    s,
                    "{name}  {} v{} [{}]",
                    m.title.get(lang),
                    m.version,
                    m.completeness
                );
                for r in p.rules() {
                    let _ = writeln!(
                        s,
                        "  {:<24} {:<8} {}",
                        r.id,
                        kind_word(r.kind, lang),
                        r.title.get(lang)
                    );
                }
                s.push('\n');
            }
            Err(e) => {
                print_error(&e);
                return EXIT_BAD_INPUT;
            }
        }
    }
    out(&s);
    EXIT_PASS
}

pub(crate) fn check(file: &str) -> u8 {
    match load_pack(file, &[]) {
        Ok(p) => {
            let m = p.meta();
            let vetoes = p.rules().iter().filter(|r| r.kind == RuleKind::Veto).count();
            out(&format!(
                "ok: {} v{} — {} rules ({vetoes} vetoes), {} indicators, {} parameters, {} distinct measures\n",
                m.id,
                m.version,
                p.rules().len(),
                p.indicators().len(),
                p.params().len(),
                p.measure_count()
            ));
            EXIT_PASS
        }
        Err(e) => {
            print_error(&e);
            EXIT_BAD_INPUT
        }
    }
}

pub(crate) fn show(pack: &str, rule: &str, lang: Lang) -> u8 {
    let p = match load_pack(pack, &[]) {
        Ok(p) => p,
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let Some(r) = p.rule(rule) else {
        let ids: Vec<&str> = p.rules().iter().map(|r| &*r.id).collect();
        print_error(
            &pucha_core::Error::new(
                pucha_core::ErrorKind::UnknownName,
                format!(
                    "规则包 `{}` 没有规则 `{rule}` / pack `{}` has no rule `{rule}`",
                    p.meta().id,
                    p.meta().id
                ),
            )
            .with_help(format!(
                "其规则为 {} / its rules are {}",
                ids.join("、"),
                ids.join(", ")
            )),
        );
        return EXIT_BAD_INPUT;
    };
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  {}（{}）",
        r.id,
        r.title.get(lang),
        kind_word(r.kind, lang)
    );
    let _ = writeln!(
        s,
        "{}{}",
        if zh { "考察点：" } else { "checkpoint: " },
        r.checkpoint.get(lang)
    );
    let _ = writeln!(
        s,
        "{}{}",
        if zh { "扣分细则：" } else { "criteria: " },
        r.criteria.get(lang)
    );
    let _ = writeln!(
        s,
        "{}{}  [{}]",
        if zh { "出处：" } else { "clause: " },
        r.clause,
        r.confidence
    );
    let names: Vec<&str> = r.measure_names().collect();
    let _ = writeln!(
        s,
        "{}{}",
        if zh { "度量：" } else { "measures: " },
        names.join(", ")
    );
    for (label, when, pts) in r.case_texts() {
        let _ = write!(s, "  - {}", label.get(lang));
        if let Some(w) = when {
            let _ = write!(s, "  when `{w}`");
        }
        if !pts.is_empty() {
            let _ = write!(s, "  → {pts}");
        }
        s.push('\n');
    }
    out(&s);
    EXIT_PASS
}

pub(crate) fn facts(lang: Lang) -> u8 {
    let mut s = String::new();
    for f in FACTS {
        let args: Vec<&str> = f.args.iter().map(|a| a.key()).collect();
        let _ = writeln!(
            s,
            "{:<38} {:<7} {}{}",
            f.name,
            f.ty.name(),
            if lang == Lang::Zh { f.zh } else { f.en },
            if args.is_empty() {
                String::new()
            } else {
                format!("  [{}]", args.join(", "))
            }
        );
    }
    out(&s);
    EXIT_PASS
}

pub(crate) fn params(pack: &str) -> u8 {
    let p = match load_pack(pack, &[]) {
        Ok(p) => p,
        Err(e) => {
            print_error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let mut s = String::new();
    for prm in p.params() {
        let allowed = prm
            .allowed
            .as_ref()
            .map(|a| format!(" ({})", a.join(" | ")))
            .unwrap_or_default();
        let _ = writeln!(s, "{} = {}{allowed}", prm.name, prm.display());
        if let Some(d) = &prm.doc {
            let _ = writeln!(s, "    {}\n    {}", d.zh, d.en);
        }
    }
    out(&s);
    EXIT_PASS
}
