//! Property tests: the engine never panics on hostile input, and the scoring laws of the spec hold.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests and benches fail loudly on broken fixtures"
)]

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use pucha_core::{Engine, Observation, RuleKind, RulePack, Span, Status, Verdict, parse_local_date};
use serde_json::{Value, json};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("2015-02-30"),
            Just("2015-06-30"),
            Just("portal"),
            Just("dynamics"),
            Just("-1")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,10}".boxed(),
                    prop::sample::select(vec![
                        "monitoring_point",
                        "site",
                        "name",
                        "kind",
                        "availability",
                        "visits",
                        "failures",
                        "samples",
                        "links",
                        "broken",
                        "columns",
                        "category",
                        "items",
                        "published",
                        "interaction",
                        "consultation",
                        "messages",
                        "services",
                        "guides",
                        "content_findings",
                        "homepage",
                        "updates_in_window",
                        "activities",
                        "exists",
                    ])
                    .prop_map(String::from)
                    .boxed(),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A counts-only observation from fault counts.
#[derive(Debug, Clone)]
struct Faults {
    visits: u64,
    failures: u64,
    home_broken: u64,
    other_broken: u64,
    updates: u64,
    stale_news: usize,
    stale_notice: usize,
    stale_plan: usize,
    blank: usize,
    inaccurate: u64,
    valid: u64,
    overdue: u64,
    survey: Option<u64>,
    interview: Option<u64>,
    missing_categories: u64,
    not_offered: u64,
    broken_attachments: u64,
    unreachable: u64,
    confirmed: usize,
}

fn arb_faults() -> impl Strategy<Value = Faults> {
    (
        (100u64..2000, 0u64..100, 0u64..50, 0u64..500, 0u64..40),
        (0usize..6, 0usize..6, 0usize..4, 0usize..6, 0u64..5),
        (
            0u64..50,
            0u64..3,
            prop::option::of(0u64..10),
            prop::option::of(0u64..10),
        ),
        (0u64..9, 0u64..5, 0u64..5, 0u64..4, 0usize..2),
    )
        .prop_map(|(a, b, c, d)| Faults {
            visits: a.0,
            failures: a.1.min(a.0),
            home_broken: a.2,
            other_broken: a.3,
            updates: a.4,
            stale_news: b.0,
            stale_notice: b.1,
            stale_plan: b.2,
            blank: b.3,
            inaccurate: b.4,
            valid: c.0.max(c.1),
            overdue: c.1,
            survey: c.2,
            interview: c.3,
            missing_categories: d.0,
            not_offered: d.1,
            broken_attachments: d.2,
            unreachable: d.3,
            confirmed: d.4,
        })
}

fn observation(f: &Faults, kind: &str) -> Value {
    let mut cols = vec![
        // Known by its size alone, so the counted homepage updates fix the number (a date in the window would
        // contradict a count of 0).
        json!({"name": "首页要闻", "category": "other", "on_homepage": true, "item_count": 50}),
    ];
    for i in 0..f.stale_news {
        cols.push(
            json!({"name": format!("动态{i}"), "category": "dynamics", "last_published": "2015-05-01"}),
        );
    }
    for i in 0..f.stale_notice {
        cols.push(json!({"name": format!("公告{i}"), "category": "notice", "last_published": "2014-10-01"}));
    }
    for i in 0..f.stale_plan {
        cols.push(
            json!({"name": format!("人事{i}"), "category": "personnel", "last_published": "2013-10-01"}),
        );
    }
    for i in 0..f.blank {
        cols.push(json!({"name": format!("空白{i}"), "category": "other", "items": []}));
    }
    cols.push(json!({"name": "机构职能", "category": "organization", "last_published": "2015-01-01", "inaccurate": f.inaccurate}));
    let channel = |n: Option<u64>| match n {
        Some(n) => json!({"exists": true, "activities": n}),
        None => json!({"exists": false}),
    };
    let findings: Vec<Value> = (0..f.confirmed)
        .map(|_| json!({"kind": "serious_typo", "url": "http://x", "excerpt": "x", "confirmed": true}))
        .collect();
    json!({
        "monitoring_point": "2015-06-30",
        "site": {"name": "t", "kind": kind},
        "availability": {"visits": f.visits, "failures": f.failures, "days": 7},
        "links": {"homepage_broken": f.home_broken, "other_broken": f.other_broken},
        "homepage": {"updates_in_window": f.updates},
        "columns": cols,
        "interaction": {
            "consultation": {"exists": true, "valid_messages": f.valid, "overdue_messages": f.overdue},
            "survey": channel(f.survey),
            "interview": channel(f.interview),
        },
        "services": {
            "missing_element_categories": f.missing_categories, "attachments_not_offered": f.not_offered,
            "attachments_broken": f.broken_attachments, "online_systems_unreachable": f.unreachable,
        },
        "content_findings": findings,
    })
}

fn engine() -> Engine {
    Engine::builtin("census-2015").expect("census pack loads")
}

fn points_by_rule(r: &pucha_core::Report) -> Vec<(String, i64)> {
    r.rules
        .iter()
        .filter(|x| x.kind == RuleKind::Deduction)
        .map(|x| (x.id().to_string(), x.points.tenths()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_json_never_panics(v in arb_json()) {
        let text = v.to_string();
        let _ = Observation::from_json_str(&text);
        let _ = Observation::from_json_value(v.clone());
        let _ = pucha_core::ffi::call(&json!({"observation": v}).to_string());
    }

    #[test]
    fn random_observation_fields_never_panic(mut base in arb_faults().prop_map(|f| observation(&f, "portal")), key in "[a-z_]{1,12}", v in arb_json()) {
        if let Some(o) = base.as_object_mut() { o.insert(key, v); }
        if let Ok(obs) = Observation::from_json_value(base) {
            let _ = engine().score(&obs);
        }
    }

    #[test]
    fn random_text_never_panics(s in "\\PC{0,200}") {
        let _ = Observation::from_json_str(&s);
        let _ = RulePack::from_toml_str(&s, "random");
    }

    #[test]
    fn mutated_packs_never_panic(cut in 0usize..20_000, len in 0usize..200, insert in "\\PC{0,40}") {
        let src = pucha_rules::get("census-2015").expect("pack");
        let mut s: String = src.chars().take(cut).collect();
        s.push_str(&insert);
        s.extend(src.chars().skip(cut + len));
        if let Ok(p) = RulePack::from_toml_str(&s, "mutated") {
            let obs = Observation::from_json_value(observation(&Faults {
                visits: 100, failures: 3, home_broken: 1, other_broken: 4, updates: 5, stale_news: 1, stale_notice: 1,
                stale_plan: 1, blank: 1, inaccurate: 1, valid: 1, overdue: 0, survey: Some(1), interview: None,
                missing_categories: 1, not_offered: 1, broken_attachments: 1, unreachable: 1, confirmed: 0,
            }, "portal")).expect("obs");
            let _ = Engine::new(p).score(&obs);
        }
    }

    #[test]
    fn scoring_laws_hold(f in arb_faults(), portal in any::<bool>()) {
        let obs = Observation::from_json_value(observation(&f, if portal { "portal" } else { "other" })).expect("valid");
        let r = engine().score(&obs);
        let again = engine().score(&obs);
        prop_assert_eq!(r.to_json(), again.to_json(), "scoring is deterministic");
        prop_assert!(r.complete, "counts cover every rule");
        let vetoed = r.rules.iter().any(|x| x.kind == RuleKind::Veto && x.status == Status::Applied);
        prop_assert_eq!(vetoed, !r.vetoes.is_empty());
        if vetoed {
            prop_assert_eq!(r.verdict, Verdict::Fail, "any veto fails");
            prop_assert!(r.score.is_none());
            prop_assert!(r.rules.iter().filter(|x| x.kind == RuleKind::Deduction).all(|x| !x.counted));
        } else {
            let sum: i64 = r.rules.iter().filter(|x| x.counted && x.kind == RuleKind::Deduction).map(|x| x.points.tenths()).sum();
            prop_assert_eq!(r.total_deduction.tenths(), sum, "total = sum of counted rule points");
            prop_assert_eq!(r.score.map(|s| s.tenths()), Some(1000 - sum));
            prop_assert_eq!(r.verdict == Verdict::Fail, sum > 400, "fail exactly when above 40");
        }
    }

    #[test]
    fn more_faults_never_lower_a_deduction(f in arb_faults(), which in 0usize..14, more in 1u64..5) {
        let mut g = f.clone();
        let m = more as usize;
        match which {
            0 => g.failures = (g.failures + more).min(g.visits),
            1 => g.home_broken += more,
            2 => g.other_broken += more * 7,
            3 => g.updates = g.updates.saturating_sub(more * 3),
            4 => g.stale_news += m,
            5 => g.stale_notice += m,
            6 => g.stale_plan += m,
            7 => g.blank += m,
            8 => g.inaccurate += more,
            9 => g.survey = g.survey.map(|n| n.saturating_sub(more)),
            10 => g.interview = g.interview.map(|n| n.saturating_sub(more)),
            11 => g.missing_categories += more,
            12 => g.not_offered += more,
            _ => g.unreachable += more,
        }
        let e = engine();
        let before = e.score(&Observation::from_json_value(observation(&f, "portal")).expect("valid"));
        let after = e.score(&Observation::from_json_value(observation(&g, "portal")).expect("valid"));
        // With more faults no rule's points fall, except where a deduction gives way to the veto the pack names in
        // its place (homepage availability at 5 %, no homepage update at all); and the verdict never moves toward
        // a pass (fail ≥ undetermined ≥ pass).
        let instead = |r: &pucha_core::Report, id: &str| {
            r.rule(id).is_some_and(|x| x.status == Status::NotApplicable)
        };
        for ((id, a), (_, b)) in points_by_rule(&before).into_iter().zip(points_by_rule(&after)) {
            prop_assert!(b >= a || instead(&after, &id), "rule {} went from {} to {} tenths with more faults ({})", id, a, b, which);
        }
        let total = |r: &pucha_core::Report| r.total_deduction.tenths() + r.uncounted_deduction.tenths();
        prop_assert!(total(&after) >= total(&before) || !after.vetoes.is_empty());
        let rank = |v: Verdict| match v {
            Verdict::Pass => 0,
            Verdict::Undetermined => 1,
            Verdict::Fail => 2,
        };
        prop_assert!(rank(after.verdict) >= rank(before.verdict), "more faults never move the verdict toward a pass");
    }

    #[test]
    fn window_invariants(days in 0i64..73_000, n in 0u32..40, unit in 0usize..4) {
        let point = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + chrono::Duration::days(days);
        let u = ["d", "w", "mo", "y"][unit];
        let span = Span::parse(&format!("{n}{u}")).expect("span");
        let bigger = Span::parse(&format!("{}{u}", n + 1)).expect("span");
        let w = span.window(point);
        let wb = bigger.window(point);
        prop_assert!(w.contains(point), "a window contains its point");
        prop_assert!(wb.from <= w.from && wb.to == w.to, "N+1 units contain N units");
        prop_assert!(w.from <= w.to);
    }

    #[test]
    fn every_date_round_trips(days in 0i64..73_415) {
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + chrono::Duration::days(days);
        prop_assume!(d.year() <= 2100);
        let text = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        prop_assert_eq!(parse_local_date(&text), Some(d));
        let stamp = format!("{text}T12:00:00+08:00");
        prop_assert_eq!(parse_local_date(&stamp), Some(d));
    }
}

#[test]
fn every_builtin_pack_loads() {
    for name in pucha_rules::available() {
        let p = RulePack::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!p.rules().is_empty());
    }
}

#[test]
fn huge_and_deep_inputs_are_errors_not_crashes() {
    let deep = format!(
        "{{\"monitoring_point\":\"2015-06-30\",\"site\":{{\"name\":\"x\"}},\"provenance\":{}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    assert_eq!(
        Observation::from_json_str(&deep).unwrap_err().code(),
        "json_syntax"
    );
    let big = format!(
        "{{\"monitoring_point\":\"2015-06-30\",\"site\":{{\"name\":\"x\"}},\"provenance\":\"{}\"}}",
        "x".repeat(100 * 1024 * 1024)
    );
    assert!(
        Observation::from_json_str(&big).is_ok(),
        "100 MB of text is read, not refused"
    );
    let nan =
        r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"availability":{"visits":NaN,"failures":0}}"#;
    assert_eq!(Observation::from_json_str(nan).unwrap_err().code(), "json_syntax");
    let deep_toml = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(RulePack::from_toml_str(&deep_toml, "deep").is_err());
}

#[test]
fn every_fact_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rule-language.md"))
        .expect("doc");
    for f in pucha_core::facts::FACTS {
        let short = f.name.rsplit('.').next().unwrap_or(f.name);
        assert!(
            doc.contains(&format!("`{}`", f.name))
                || doc.contains(&format!(".{short}`"))
                || doc.contains(&format!("/ `.{short}`")),
            "fact `{}` is not documented in docs/rule-language.md",
            f.name
        );
    }
}

/// Exact arithmetic: whatever path a value takes (whole numbers, 64-bit reduction, or intermediate values beyond 64
/// bits), results are the exact, normalised value — or `None` exactly when that value's parts do not fit 64 bits —,
/// checked in 128 bits, where these operands never overflow.
mod ratio_exactness {
    use proptest::prelude::*;
    use pucha_core::Ratio;

    fn operand() -> impl Strategy<Value = (i128, i128)> {
        prop_oneof![
            (-1000i128..1000, 1i128..200),
            (-(1i128 << 40)..(1i128 << 40), 1i128..(1i128 << 20)),
            // near 2^63: sums and products leave 64 bits, some results do not fit
            ((1i128 << 62)..(1i128 << 63), 1i128..4),
            (-(1i128 << 63)..-(1i128 << 62), 1i128..4),
            (-1000i128..1000, (1i128 << 62)..(1i128 << 63)),
        ]
    }

    fn normalised(r: Ratio) -> bool {
        let (mut a, mut b) = (r.numer().abs(), r.denom());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        r.denom() > 0 && (r.numer() == 0 && r.denom() == 1 || a == 1)
    }

    /// `got` is the exact value `n / d` (any signs, `d ≠ 0`) when its reduced parts fit 64 bits, and `None` when not.
    fn is_exactly(got: Option<Ratio>, n: i128, d: i128) -> bool {
        let (mut a, mut b) = (n.abs(), d.abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        let g = a.max(1) * d.signum();
        let (n, d) = (n / g, d / g);
        match got {
            Some(r) => normalised(r) && r.numer() == n && r.denom() == d,
            None => i64::try_from(n).is_err() || i64::try_from(d).is_err(),
        }
    }

    proptest! {
        #[test]
        fn arithmetic_is_exact((n1, d1) in operand(), (n2, d2) in operand()) {
            let (a, b) = (Ratio::new(n1, d1).unwrap(), Ratio::new(n2, d2).unwrap());
            prop_assert!(normalised(a) && normalised(b));
            prop_assert_eq!(a.numer() * d1, n1 * a.denom());
            // Every result is exact, or `None` when it does not fit 64 bits (operands near 2^63 add beyond).
            prop_assert!(is_exactly(a.checked_add(b), n1 * d2 + n2 * d1, d1 * d2));
            prop_assert!(is_exactly(a.checked_sub(b), n1 * d2 - n2 * d1, d1 * d2));
            prop_assert!(is_exactly(a.checked_mul(b), n1 * n2, d1 * d2));
            if n2 != 0 {
                prop_assert!(is_exactly(a.checked_div(b), n1 * d2, d1 * n2));
            } else {
                prop_assert_eq!(a.checked_div(b), None);
            }
            if n1.abs() < (1 << 30) && n2.abs() < (1 << 30) && d1 < (1 << 20) && d2 < (1 << 20) {
                prop_assert!(a.checked_add(b).is_some() && a.checked_mul(b).is_some());
            }
            prop_assert_eq!(a.cmp(&b), (n1 * d2).cmp(&(n2 * d1)));
            prop_assert_eq!(a.floor().numer(), n1.div_euclid(d1));
            let tenths = (n1 * 20 + d1).div_euclid(d1 * 2);
            prop_assert_eq!(a.to_tenths_half_up(), i64::try_from(tenths).ok());
        }
    }
}
