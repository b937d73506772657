//! Roll-ups for organising units (组织单位): many sites' results summarised by 地区, 部门 or site kind — sites,
//! 合格/不合格, pass rate, which vetoes fired how often, the distribution of deductions and the most frequent
//! problems.

use crate::eval::report::{Status, Text, Verdict};
use crate::io::stored::{Digest, TitleBook};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The schema tag of roll-ups.
pub const ROLLUP_SCHEMA: &str = "pucha.rollup/1";

/// How sites are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// `site.region` (地区).
    Region,
    /// `site.department` (部门).
    Department,
    /// `site.kind` (门户网站 / 其他).
    Kind,
    /// The pack the reports were scored with.
    Pack,
    /// One group with every site.
    All,
}

impl GroupBy {
    /// `region`, `department`, `kind`, `pack` or `all`.
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s {
            "region" | "地区" => Some(GroupBy::Region),
            "department" | "部门" => Some(GroupBy::Department),
            "kind" | "类型" => Some(GroupBy::Kind),
            "pack" => Some(GroupBy::Pack),
            "all" | "none" => Some(GroupBy::All),
            _ => None,
        }
    }

    /// Column heading for the group.
    pub fn heading(self) -> Text {
        match self {
            GroupBy::Region => Text::new("地区", "Region"),
            GroupBy::Department => Text::new("部门", "Department"),
            GroupBy::Kind => Text::new("网站类型", "Site kind"),
            GroupBy::Pack => Text::new("评分表", "Pack"),
            GroupBy::All => Text::new("全部", "All"),
        }
    }
}

/// How often one veto fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VetoCount {
    /// Rule id.
    pub rule: String,
    /// Rule title, when known.
    pub title: Option<Text>,
    /// Sites where it fired.
    pub sites: u64,
}

/// A problem (a rule that deducted points or vetoed) and how common it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Rule id.
    pub rule: String,
    /// Rule title, when known.
    pub title: Option<Text>,
    /// Sites where it applied.
    pub sites: u64,
    /// Share of the group's sites.
    pub share: f64,
    /// Mean points deducted where it applied (0 for vetoes).
    pub mean_points: f64,
}

/// One bar of the deduction distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Label, e.g. `30–40`.
    pub label: &'static str,
    /// Sites in it.
    pub sites: u64,
}

/// Deductions of the sites without a veto.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Sites counted (those without a veto).
    pub sites: u64,
    /// Mean deduction.
    pub mean: Option<f64>,
    /// Median deduction.
    pub median: Option<f64>,
    /// Smallest.
    pub min: Option<f64>,
    /// Largest.
    pub max: Option<f64>,
    /// Sites by deduction band: 0–10, 10–20, 20–30, 30–40 (all pass), over 40 (fail).
    pub bins: Vec<Bin>,
}

/// The statistics of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    /// The group's value (`甲省`, `portal` …); empty when the reports did not give it.
    pub group: String,
    /// How to show it.
    pub label: Text,
    /// Sites.
    pub sites: u64,
    /// 合格.
    pub pass: u64,
    /// 不合格.
    pub fail: u64,
    /// 未评定: the missing data could go either way (neither 合格 nor 不合格; left out of scores and deductions).
    pub undetermined: u64,
    /// 合格 share of all sites.
    pub pass_rate: f64,
    /// Sites whose report lacked data for some rule.
    pub incomplete: u64,
    /// Sites failed by a veto.
    pub vetoed: u64,
    /// Each veto and how often it fired, most frequent first.
    pub vetoes: Vec<VetoCount>,
    /// Mean score of the sites with one (no veto).
    pub mean_score: Option<f64>,
    /// Deductions of the sites without a veto.
    pub deductions: Distribution,
    /// The most frequent problems, most frequent first (at most [`TOP_PROBLEMS`]).
    pub problems: Vec<Problem>,
}

/// How many problems a group lists.
pub const TOP_PROBLEMS: usize = 10;

/// A rule named with its title, when known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedRule {
    /// Rule id.
    pub rule: String,
    /// Rule title, when known.
    pub title: Option<Text>,
    /// Points deducted (0 for a veto).
    pub points: f64,
}

/// A site that failed, as the 不合格网站名单 lists it: who it is, the vetoes that fired and its largest deductions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailingSite {
    /// 网站名称.
    pub name: String,
    /// 网站标识码.
    pub id: Option<String>,
    /// 地区.
    pub region: Option<String>,
    /// 部门.
    pub department: Option<String>,
    /// 首页网址.
    pub url: Option<String>,
    /// Score (none after a veto).
    pub score: Option<f64>,
    /// The vetoes that fired.
    pub vetoes: Vec<NamedRule>,
    /// The largest deductions, largest first (at most [`LARGEST_DEDUCTIONS`]).
    pub largest: Vec<NamedRule>,
}

/// How many deductions the 不合格网站名单 shows a site with.
pub const LARGEST_DEDUCTIONS: usize = 3;

impl FailingSite {
    /// The 名单's entry for the site `d` reports on: its vetoes and its [`LARGEST_DEDUCTIONS`] largest deductions
    /// (rules that applied with points, the vetoes aside), largest first; the rules' titles still unknown.
    pub fn of(d: &Digest) -> FailingSite {
        let rule = |id: &String, points: f64| NamedRule {
            rule: id.clone(),
            title: None,
            points,
        };
        let mut largest: Vec<(&String, i64)> = d
            .rules
            .iter()
            .filter(|(id, st, pts)| *st == Status::Applied && pts.tenths() > 0 && !d.vetoes.contains(id))
            .map(|(id, _, pts)| (id, pts.tenths()))
            .collect();
        largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        largest.truncate(LARGEST_DEDUCTIONS);
        let site = &d.site;
        FailingSite {
            name: site.name.clone(),
            id: site.id.clone(),
            region: site.region.clone(),
            department: site.department.clone(),
            url: site.url.clone(),
            score: d.score.map(|s| s.tenths() as f64 / 10.0),
            vetoes: d.vetoes.iter().map(|v| rule(v, 0.0)).collect(),
            largest: largest
                .into_iter()
                .map(|(id, t)| rule(id, t as f64 / 10.0))
                .collect(),
        }
    }

    /// The entry with each rule's title from `title` (rule id → title).
    #[must_use]
    pub fn titled(mut self, title: impl Fn(&str) -> Option<Text>) -> FailingSite {
        for r in self.vetoes.iter_mut().chain(self.largest.iter_mut()) {
            r.title = title(&r.rule);
        }
        self
    }
}

/// A roll-up: one entry per group, plus the whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    /// `pucha.rollup/1`.
    pub schema: &'static str,
    /// How sites were grouped.
    pub by: GroupBy,
    /// Groups in order of their value (unnamed last).
    pub groups: Vec<GroupStats>,
    /// Every site together.
    pub overall: GroupStats,
    /// Records that say a site could not be scored (`{"type": "failure"}`, 未能评分): counted here, in no group.
    #[serde(skip_serializing_if = "is_zero")]
    pub unscored: u64,
    /// The 不合格网站名单: every site that failed, in the groups' order and the input's within a group.
    pub failing: Vec<FailingSite>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Default)]
struct Acc {
    sites: u64,
    pass: u64,
    undetermined: u64,
    incomplete: u64,
    vetoed: u64,
    vetoes: HashMap<String, u64>,
    score_sum: i64,
    scored: u64,
    /// Deductions (tenths) and how many sites had each: the distribution exactly, in memory bounded by the number
    /// of distinct deductions rather than of sites.
    deductions: BTreeMap<i64, u64>,
    problems: HashMap<String, (u64, i64)>,
    /// The smallest 行政区划代码 of the group's sites (the first 6 digits of a 10-digit 网站标识码); `Some(None)`
    /// once a site had none.
    code: Option<Option<String>>,
}

/// The 行政区划代码 in a 网站标识码: its first 6 digits when it has 10 (a department's `bm…` code has none).
fn region_code(id: Option<&str>) -> Option<String> {
    let id = id?.trim();
    (id.len() == 10 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id[..6].to_string())
}

impl Acc {
    fn add(&mut self, d: &Digest) {
        let code = region_code(d.site.id.as_deref());
        self.code = Some(match (self.code.take(), code) {
            (None, c) => c,
            (Some(Some(a)), Some(b)) => Some(a.min(b)),
            _ => None,
        });
        self.sites += 1;
        if d.verdict == Verdict::Pass {
            self.pass += 1;
        }
        if d.verdict == Verdict::Undetermined {
            // Counted apart, and left out of the scores and deductions: what it has is only a lower bound.
            self.undetermined += 1;
        }
        if !d.complete {
            self.incomplete += 1;
        }
        if !d.vetoes.is_empty() {
            self.vetoed += 1;
        }
        for v in &d.vetoes {
            *self.vetoes.entry(v.clone()).or_default() += 1;
        }
        if let Some(s) = d.score.filter(|_| d.verdict != Verdict::Undetermined) {
            self.score_sum += s.tenths();
            self.scored += 1;
        }
        if d.vetoes.is_empty() && d.verdict != Verdict::Undetermined {
            *self.deductions.entry(d.total_deduction.tenths()).or_default() += 1;
        }
        for (id, st, pts) in &d.rules {
            let vetoed = d.vetoes.iter().any(|v| v == id);
            if *st == Status::Applied && (pts.tenths() != 0 || vetoed) {
                let e = self.problems.entry(id.clone()).or_default();
                e.0 += 1;
                e.1 += pts.tenths();
            }
        }
    }

    fn finish(self, group: String, label: Text, titles: &HashMap<String, Text>) -> GroupStats {
        let title = |id: &str| titles.get(id).cloned();
        let mut vetoes: Vec<VetoCount> = self
            .vetoes
            .into_iter()
            .map(|(rule, sites)| VetoCount {
                title: title(&rule),
                rule,
                sites,
            })
            .collect();
        vetoes.sort_by(|a, b| b.sites.cmp(&a.sites).then_with(|| a.rule.cmp(&b.rule)));
        let share = |n: u64| {
            if self.sites == 0 {
                0.0
            } else {
                n as f64 / self.sites as f64
            }
        };
        let mut problems: Vec<Problem> = self
            .problems
            .into_iter()
            .map(|(rule, (sites, sum))| Problem {
                title: title(&rule),
                rule,
                sites,
                share: share(sites),
                mean_points: sum as f64 / sites as f64 / 10.0,
            })
            .collect();
        problems.sort_by(|a, b| b.sites.cmp(&a.sites).then_with(|| a.rule.cmp(&b.rule)));
        problems.truncate(TOP_PROBLEMS);
        let n: u64 = self.deductions.values().sum();
        let tenth = |t: i64| t as f64 / 10.0;
        // The k-th smallest deduction (0-based), walking the counts.
        let nth = |k: u64| {
            let mut seen = 0;
            self.deductions.iter().find_map(|(&t, &c)| {
                seen += c;
                (seen > k).then_some(t)
            })
        };
        let median = match (nth(n.saturating_sub(1) / 2), nth(n / 2)) {
            (Some(a), Some(b)) if n > 0 => Some((a + b) as f64 / 20.0),
            _ => None,
        };
        let mut bins = [0u64; 5];
        let mut sum = 0i128;
        for (&t, &c) in &self.deductions {
            let i = match t {
                ..100 => 0,
                100..200 => 1,
                200..300 => 2,
                300..=400 => 3,
                _ => 4,
            };
            bins[i] += c;
            sum += i128::from(t) * i128::from(c);
        }
        let labels = ["0–10", "10–20", "20–30", "30–40", ">40"];
        GroupStats {
            group,
            label,
            sites: self.sites,
            pass: self.pass,
            fail: self.sites - self.pass - self.undetermined,
            undetermined: self.undetermined,
            pass_rate: share(self.pass),
            incomplete: self.incomplete,
            vetoed: self.vetoed,
            vetoes,
            mean_score: (self.scored > 0).then(|| self.score_sum as f64 / self.scored as f64 / 10.0),
            deductions: Distribution {
                sites: n,
                mean: (n > 0).then(|| sum as f64 / n as f64 / 10.0),
                median,
                min: self.deductions.keys().next().map(|&t| tenth(t)),
                max: self.deductions.keys().next_back().map(|&t| tenth(t)),
                bins: labels
                    .iter()
                    .zip(bins)
                    .map(|(label, sites)| Bin { label, sites })
                    .collect(),
            },
            problems,
        }
    }
}

fn group_key(d: &Digest, by: GroupBy) -> String {
    match by {
        GroupBy::Region => d.site.region.clone().unwrap_or_default(),
        GroupBy::Department => d.site.department.clone().unwrap_or_default(),
        GroupBy::Kind => d.site.kind.clone().unwrap_or_default(),
        GroupBy::Pack => d.pack.clone(),
        GroupBy::All => String::new(),
    }
}

fn group_label(key: &str, by: GroupBy) -> Text {
    match (by, key) {
        (GroupBy::All, _) => Text::new("全部网站", "All sites"),
        (_, "") => Text::new("（未填写）", "(not given)"),
        (GroupBy::Kind, "portal") => Text::new("政府门户网站", "Government portal"),
        (GroupBy::Kind, "other") => Text::new("部门及其他网站", "Department or other site"),
        _ => Text::new(key, key),
    }
}

/// The key that puts Chinese names in 拼音 order (each Han character by its toneless pinyin, anything else as
/// itself); without the `pinyin` feature, the name itself.
fn spoken_order(name: &str) -> String {
    #[cfg(feature = "pinyin")]
    {
        use pinyin::ToPinyin;
        let mut key = String::with_capacity(name.len() * 2);
        for (c, p) in name.chars().zip(name.to_pinyin()) {
            match p {
                Some(p) => key.push_str(p.plain()),
                None => key.push(c),
            }
            key.push(' ');
        }
        key
    }
    #[cfg(not(feature = "pinyin"))]
    name.to_string()
}

/// Rule titles: those read from the inputs, then those of the built-in packs the inputs name.
fn titles(packs: &[String], known: Option<&TitleBook>) -> HashMap<String, Text> {
    let mut t: HashMap<String, Text> = known.map(|k| k.0.clone()).unwrap_or_default();
    #[cfg(feature = "builtin-packs")]
    for p in packs {
        if let Ok(pack) = crate::lang::pack::RulePack::builtin(p) {
            for r in pack.rules() {
                t.entry(r.id.to_string()).or_insert_with(|| r.title.clone());
            }
        }
    }
    #[cfg(not(feature = "builtin-packs"))]
    let _ = (packs, &mut t);
    t
}

/// A roll-up built one record at a time, so that a batch of any size is summarised in memory bounded by its
/// groups, rules and distinct deductions, not by its sites.
#[derive(Debug)]
pub struct RollupBuilder {
    by: GroupBy,
    groups: BTreeMap<String, Acc>,
    all: Acc,
    packs: Vec<String>,
    unscored: u64,
    /// The failing sites so far, with their group's key (the rules' titles are filled in at the end).
    failing: Vec<(String, FailingSite)>,
}

impl RollupBuilder {
    /// An empty roll-up grouped `by`.
    pub fn new(by: GroupBy) -> RollupBuilder {
        RollupBuilder {
            by,
            groups: BTreeMap::new(),
            all: Acc::default(),
            packs: Vec::new(),
            unscored: 0,
            failing: Vec::new(),
        }
    }

    /// Count one site.
    pub fn add(&mut self, d: &Digest) {
        self.all.add(d);
        let key = group_key(d, self.by);
        if d.verdict == Verdict::Fail {
            self.failing.push((key.clone(), FailingSite::of(d)));
        }
        if self.by != GroupBy::All {
            self.groups.entry(key).or_default().add(d);
        }
        if !self.packs.contains(&d.pack) {
            self.packs.push(d.pack.clone());
        }
    }

    /// Count a record saying a site could not be scored (未能评分).
    pub fn add_unscored(&mut self) {
        self.unscored += 1;
    }

    /// Sites counted so far (scored ones).
    pub fn sites(&self) -> u64 {
        self.all.sites
    }

    /// The roll-up, rules named from `known` titles, then from the built-in packs the records name.
    pub fn finish(self, known: Option<&TitleBook>) -> Rollup {
        let titles = self::titles(&self.packs, known);
        // Named groups in the order a person looks them up: by 行政区划代码 when every group of regions has one,
        // else by pinyin, then by code point; the sites that gave no value last.
        let mut named: Vec<(String, Acc)> = Vec::with_capacity(self.groups.len());
        let mut unnamed = None;
        for (k, acc) in self.groups {
            if k.is_empty() {
                unnamed = Some((k, acc));
            } else {
                named.push((k, acc));
            }
        }
        let all_coded = named.iter().all(|(_, a)| matches!(a.code, Some(Some(_))));
        match self.by {
            GroupBy::Region if all_coded => {
                named.sort_by(|(ka, a), (kb, b)| (&a.code, ka).cmp(&(&b.code, kb)))
            }
            GroupBy::Region | GroupBy::Department => {
                named.sort_by_cached_key(|(k, _)| (spoken_order(k), k.clone()));
            }
            _ => {}
        }
        // The 名单 in the groups' order (a stable sort keeps the input's order within a group), titles filled in.
        let order: HashMap<&str, usize> = named
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_str(), i))
            .collect();
        let mut failing = self.failing;
        failing.sort_by_key(|(key, _)| order.get(key.as_str()).copied().unwrap_or(usize::MAX));
        let failing: Vec<FailingSite> = failing
            .into_iter()
            .map(|(_, f)| f.titled(|id| titles.get(id).cloned()))
            .collect();
        let mut out: Vec<GroupStats> = Vec::with_capacity(named.len() + 1);
        for (k, acc) in named.into_iter().chain(unnamed) {
            let label = group_label(&k, self.by);
            out.push(acc.finish(k, label, &titles));
        }
        Rollup {
            schema: ROLLUP_SCHEMA,
            by: self.by,
            groups: out,
            overall: self
                .all
                .finish(String::new(), group_label("", GroupBy::All), &titles),
            unscored: self.unscored,
            failing,
        }
    }
}

impl Rollup {
    /// Summarise `digests` grouped `by`, naming rules from the built-in packs.
    pub fn build(digests: &[Digest], by: GroupBy) -> Rollup {
        Rollup::build_with_titles(digests, by, None)
    }

    /// Summarise `digests` grouped `by`, naming rules from `titles` (read with [`Digest::read`]) first.
    pub fn build_with_titles(digests: &[Digest], by: GroupBy, titles: Option<&TitleBook>) -> Rollup {
        let mut b = RollupBuilder::new(by);
        for d in digests {
            b.add(d);
        }
        b.finish(titles)
    }
}

#[cfg(test)]
#[cfg(feature = "builtin-packs")]
mod tests {
    use super::*;

    fn summary(
        region: Option<&str>,
        verdict: &str,
        score: Option<f64>,
        ded: f64,
        vetoes: &[&str],
        pts: &[(&str, &str, f64)],
    ) -> Digest {
        let v = serde_json::json!({
            "schema": "pucha.summary/1", "pack": "census-2015",
            "site": {"name": "s", "region": region, "kind": "portal"},
            "monitoring_point": "2015-06-30", "verdict": verdict, "complete": true,
            "score": score, "total_deduction": ded, "vetoes": vetoes,
            "points": pts.iter().map(|(id, _, p)| (id.to_string(), serde_json::json!(p))).collect::<serde_json::Map<_, _>>(),
            "status": pts.iter().map(|(id, st, _)| (id.to_string(), serde_json::json!(st))).collect::<serde_json::Map<_, _>>(),
        });
        Digest::from_json_str(&v.to_string()).unwrap()
    }

    /// Five sites counted by hand: 甲 has two passes (10.0 and 30.5 deducted) and a veto; 乙 one fail at 45.0;
    /// one site without a region passes with nothing deducted.
    fn fixture() -> Vec<Digest> {
        vec![
            summary(
                Some("甲"),
                "pass",
                Some(90.0),
                10.0,
                &[],
                &[("link-availability", "applied", 10.0)],
            ),
            summary(
                Some("甲"),
                "pass",
                Some(69.5),
                30.5,
                &[],
                &[
                    ("link-availability", "applied", 20.5),
                    ("survey", "applied", 10.0),
                ],
            ),
            summary(
                Some("甲"),
                "fail",
                None,
                0.0,
                &["site-unreachable"],
                &[
                    ("site-unreachable", "applied", 0.0),
                    ("link-availability", "applied", 3.0),
                ],
            ),
            summary(
                Some("乙"),
                "fail",
                Some(55.0),
                45.0,
                &[],
                &[("survey", "applied", 45.0)],
            ),
            summary(None, "pass", Some(100.0), 0.0, &[], &[("survey", "passed", 0.0)]),
        ]
    }

    #[test]
    fn regions_with_codes_go_by_code_and_the_failing_sites_are_listed() {
        let with_id = |region: &str, id: &str, verdict: &str, vetoes: &[&str], pts: &[(&str, &str, f64)]| {
            let mut d = summary(Some(region), verdict, Some(50.0), 50.0, vetoes, pts);
            d.site.id = Some(id.to_string());
            d.site.name = format!("{region}网站");
            d
        };
        let sites = vec![
            with_id("北京市", "1100000001", "pass", &[], &[]),
            with_id(
                "安徽省",
                "3400000001",
                "fail",
                &[],
                &[
                    ("link-availability", "applied", 12.0),
                    ("survey", "applied", 45.0),
                ],
            ),
            with_id(
                "天津市",
                "1200000001",
                "fail",
                &["site-unreachable"],
                &[("site-unreachable", "applied", 0.0)],
            ),
        ];
        let r = Rollup::build(&sites, GroupBy::Region);
        // 北京 110000, 天津 120000, 安徽 340000: by code, not by pinyin (安 ān would come first).
        assert_eq!(
            r.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(),
            ["北京市", "天津市", "安徽省"]
        );
        assert_eq!(r.failing.len(), 2);
        assert_eq!(r.failing[0].name, "天津市网站", "in the groups' order");
        assert_eq!(r.failing[0].vetoes[0].rule, "site-unreachable");
        assert!(r.failing[0].largest.is_empty());
        let largest: Vec<(&str, f64)> = r.failing[1]
            .largest
            .iter()
            .map(|x| (x.rule.as_str(), x.points))
            .collect();
        assert_eq!(largest, [("survey", 45.0), ("link-availability", 12.0)]);
        // One region without a code: all by pinyin.
        let mut mixed = sites.clone();
        mixed[0].site.id = Some("bm11000001".into());
        let r = Rollup::build(&mixed, GroupBy::Region);
        // Without the pinyin tables (the browser's module), by code point.
        let order = if cfg!(feature = "pinyin") {
            ["安徽省", "北京市", "天津市"]
        } else {
            ["北京市", "天津市", "安徽省"]
        };
        assert_eq!(
            r.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(),
            order
        );
    }

    #[test]
    fn by_region_matches_the_hand_count() {
        let r = Rollup::build(&fixture(), GroupBy::Region);
        // In pinyin order (jiǎ, yǐ) — by code point without the pinyin tables — the sites without a region last.
        let order = if cfg!(feature = "pinyin") {
            ["甲", "乙", ""]
        } else {
            ["乙", "甲", ""]
        };
        assert_eq!(
            r.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(),
            order
        );
        let group = |name: &str| r.groups.iter().find(|g| g.group == name).unwrap();
        let jia = group("甲");
        assert_eq!((jia.sites, jia.pass, jia.fail, jia.vetoed), (3, 2, 1, 1));
        assert!((jia.pass_rate - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(jia.vetoes[0].rule, "site-unreachable");
        assert_eq!(jia.vetoes[0].title.as_ref().map(|t| &*t.zh), Some("站点无法访问"));
        assert_eq!(jia.deductions.sites, 2);
        assert_eq!(jia.deductions.mean, Some(20.25));
        assert_eq!(jia.deductions.median, Some(20.25));
        assert_eq!(
            jia.deductions.bins.iter().map(|b| b.sites).collect::<Vec<_>>(),
            [0, 1, 0, 1, 0]
        );
        assert_eq!(jia.mean_score, Some(79.75));
        // link-availability applied at all three 甲 sites: 10 + 20.5 + 3 = 33.5, mean 11.17.
        assert_eq!(jia.problems[0].rule, "link-availability");
        assert_eq!(jia.problems[0].sites, 3);
        assert!((jia.problems[0].mean_points - 33.5 / 3.0).abs() < 1e-9);
        let yi = group("乙");
        assert_eq!(yi.deductions.bins[4].sites, 1);
        assert_eq!(group("").label.zh.as_ref(), "（未填写）");
        assert_eq!((r.overall.sites, r.overall.pass, r.overall.fail), (5, 3, 2));
        assert_eq!(r.overall.deductions.median, Some(20.25));
        // survey: applied at two sites (10 and 45), passed at one (not a problem).
        let survey = r.overall.problems.iter().find(|p| p.rule == "survey").unwrap();
        assert_eq!((survey.sites, survey.mean_points), (2, 27.5));
    }

    #[test]
    fn by_kind_and_all() {
        let r = Rollup::build(&fixture(), GroupBy::Kind);
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.groups[0].label.zh.as_ref(), "政府门户网站");
        let all = Rollup::build(&fixture(), GroupBy::All);
        assert!(all.groups.is_empty());
        assert_eq!(all.overall.sites, 5);
        let empty = Rollup::build(&[], GroupBy::Region);
        assert_eq!(empty.overall.sites, 0);
        assert_eq!(empty.overall.pass_rate, 0.0);
        assert_eq!(empty.overall.deductions.mean, None);
    }
}
