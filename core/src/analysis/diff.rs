//! What-if comparison: the same sites scored two ways (two packs, or one pack with other parameters) — which
//! sites change verdict and which rules moved how many points.

use crate::eval::report::{Status, Text, Verdict};
use crate::io::stored::{StoredReport, StoredSite};
use serde::Serialize;
use std::collections::BTreeMap;

/// The schema tag of comparisons.
pub const DIFF_SCHEMA: &str = "pucha.diff/1";

/// One side of a comparison for one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// Score (null after a veto).
    pub score: Option<f64>,
    /// Counted deductions.
    pub total_deduction: f64,
    /// Vetoes that fired.
    pub vetoes: Vec<String>,
}

/// A rule whose outcome differs between the two sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMove {
    /// Rule id.
    pub rule: String,
    /// Title.
    pub title: Text,
    /// Status on side A (absent when A's pack lacks the rule).
    pub a_status: Option<Status>,
    /// Status on side B.
    pub b_status: Option<Status>,
    /// Points on side A.
    pub a_points: Option<f64>,
    /// Points on side B.
    pub b_points: Option<f64>,
    /// B − A in points (a missing side counts 0).
    pub delta: f64,
}

/// One site compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteDiff {
    /// The site.
    pub site: StoredSite,
    /// 监测时间点.
    pub monitoring_point: String,
    /// Side A.
    pub a: Side,
    /// Side B.
    pub b: Side,
    /// Whether the verdict differs.
    pub verdict_changed: bool,
    /// Rules that moved.
    pub rules: Vec<RuleMove>,
}

/// How one rule moved over all sites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleShift {
    /// Rule id.
    pub rule: String,
    /// Title.
    pub title: Text,
    /// Sites where it moved.
    pub sites: u64,
    /// Sum of B − A over those sites, in points.
    pub total_delta: f64,
}

/// A comparison of many sites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// `pucha.diff/1`.
    pub schema: &'static str,
    /// What side A is (e.g. `census-2015`).
    pub a: String,
    /// What side B is (e.g. `census-2015 proration=whole-percent`).
    pub b: String,
    /// Sites compared.
    pub sites: u64,
    /// Sites whose verdict changed.
    pub verdict_changed: u64,
    /// 合格 → 不合格.
    pub pass_to_fail: u64,
    /// 不合格 → 合格.
    pub fail_to_pass: u64,
    /// 合格 or 不合格 → 未评定 (B's missing data leave open what A decided).
    pub to_undetermined: u64,
    /// 未评定 → 合格 or 不合格.
    pub from_undetermined: u64,
    /// Rules that moved, most sites first.
    pub rules: Vec<RuleShift>,
    /// Every site, in input order.
    pub site_diffs: Vec<SiteDiff>,
}

fn side(r: &StoredReport) -> Side {
    Side {
        verdict: r.verdict,
        score: r.score,
        total_deduction: r.total_deduction,
        vetoes: r.vetoes.iter().map(|v| v.rule.clone()).collect(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Compare one site's two reports.
pub fn compare_site(a: &StoredReport, b: &StoredReport) -> SiteDiff {
    let mut rules = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for ra in &a.rules {
        seen.push(&ra.id);
        let rb = b.rule(&ra.id);
        let moved = match rb {
            Some(rb) => {
                rb.status != ra.status
                    || (rb.points - ra.points).abs() > 1e-9
                    || rb.points_max != ra.points_max
            }
            None => true,
        };
        if moved {
            rules.push(RuleMove {
                rule: ra.id.clone(),
                title: ra.title.clone(),
                a_status: Some(ra.status),
                b_status: rb.map(|r| r.status),
                a_points: Some(ra.points),
                b_points: rb.map(|r| r.points),
                delta: round1(rb.map_or(0.0, |r| r.points) - ra.points),
            });
        }
    }
    for rb in b.rules.iter().filter(|r| !seen.contains(&r.id.as_str())) {
        rules.push(RuleMove {
            rule: rb.id.clone(),
            title: rb.title.clone(),
            a_status: None,
            b_status: Some(rb.status),
            a_points: None,
            b_points: Some(rb.points),
            delta: round1(rb.points),
        });
    }
    SiteDiff {
        site: a.site.clone(),
        monitoring_point: a.monitoring_point.clone(),
        a: side(a),
        b: side(b),
        verdict_changed: a.verdict != b.verdict,
        rules,
    }
}

/// Compare pairs of reports (A, B) for many sites.
pub fn compare(a_label: &str, b_label: &str, pairs: &[(StoredReport, StoredReport)]) -> Comparison {
    let site_diffs: Vec<SiteDiff> = pairs.iter().map(|(a, b)| compare_site(a, b)).collect();
    Comparison::from_site_diffs(a_label, b_label, site_diffs)
}

impl Comparison {
    /// The comparison of sites already compared one by one ([`compare_site`]): what a caller streaming many sites
    /// keeps, instead of both reports of every site.
    pub fn from_site_diffs(a_label: &str, b_label: &str, site_diffs: Vec<SiteDiff>) -> Comparison {
        comparison(a_label, b_label, site_diffs)
    }
}

fn comparison(a_label: &str, b_label: &str, site_diffs: Vec<SiteDiff>) -> Comparison {
    let mut shifts: BTreeMap<String, RuleShift> = BTreeMap::new();
    for d in &site_diffs {
        for m in &d.rules {
            let e = shifts.entry(m.rule.clone()).or_insert_with(|| RuleShift {
                rule: m.rule.clone(),
                title: m.title.clone(),
                sites: 0,
                total_delta: 0.0,
            });
            e.sites += 1;
            e.total_delta = round1(e.total_delta + m.delta);
        }
    }
    let mut rules: Vec<RuleShift> = shifts.into_values().collect();
    rules.sort_by(|x, y| y.sites.cmp(&x.sites).then_with(|| x.rule.cmp(&y.rule)));
    let count = |f: &dyn Fn(&SiteDiff) -> bool| site_diffs.iter().filter(|d| f(d)).count() as u64;
    Comparison {
        schema: DIFF_SCHEMA,
        a: a_label.to_string(),
        b: b_label.to_string(),
        sites: site_diffs.len() as u64,
        verdict_changed: count(&|d| d.verdict_changed),
        pass_to_fail: count(&|d| d.a.verdict == Verdict::Pass && d.b.verdict == Verdict::Fail),
        fail_to_pass: count(&|d| d.a.verdict == Verdict::Fail && d.b.verdict == Verdict::Pass),
        to_undetermined: count(&|d| {
            d.a.verdict != Verdict::Undetermined && d.b.verdict == Verdict::Undetermined
        }),
        from_undetermined: count(&|d| {
            d.a.verdict == Verdict::Undetermined && d.b.verdict != Verdict::Undetermined
        }),
        rules,
        site_diffs,
    }
}
