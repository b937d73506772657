//! Reports read back from JSON: the full `pucha.report/1` for rendering and comparing, and a digest of either a
//! report or a `pucha.summary/1` for roll-ups. Old reports re-render: unknown fields are ignored, and only what the
//! readers use is required.

use crate::eval::evidence::Evidence;
use crate::eval::report::{REPORT_SCHEMA, RuleKind, SUMMARY_SCHEMA, Status, Text, Verdict, VerdictBasis};
use crate::io::json_path::locate;
use crate::model::error::{Error, ErrorKind};
use crate::model::ratio::Points;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The pack a stored report was scored with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPack {
    /// Pack id.
    pub id: String,
    /// Pack version.
    #[serde(default)]
    pub version: String,
    /// Title.
    pub title: Text,
    /// `complete` or `partial`.
    #[serde(default)]
    pub completeness: String,
}

/// The site of a stored report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredSite {
    /// 网站名称.
    #[serde(default)]
    pub name: String,
    /// 首页网址.
    #[serde(default)]
    pub url: Option<String>,
    /// `portal` or `other`.
    #[serde(default)]
    pub kind: Option<String>,
    /// 网站标识码.
    #[serde(default)]
    pub id: Option<String>,
    /// 地区.
    #[serde(default)]
    pub region: Option<String>,
    /// 部门.
    #[serde(default)]
    pub department: Option<String>,
}

/// A veto that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVeto {
    /// Rule id.
    pub rule: String,
    /// Rule title.
    pub title: Text,
    /// The clauses that fired.
    #[serde(default)]
    pub clauses: Vec<Text>,
}

/// 一级指标 / 二级指标 of a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredIndicatorPath {
    /// Indicator id.
    pub id: String,
    /// Chinese path.
    pub zh: Vec<String>,
    /// English path.
    pub en: Vec<String>,
}

/// A first-level indicator's points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredIndicator {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Points of its rules.
    pub points: f64,
    /// Points counted (caps applied; none after a veto).
    #[serde(default)]
    pub counted_points: f64,
}

/// One rule's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRule {
    /// Rule id.
    pub id: String,
    /// veto / deduction / bonus.
    pub kind: RuleKind,
    /// 二级指标.
    pub title: Text,
    /// Where it sits in the table.
    pub indicator: StoredIndicatorPath,
    /// 考察点.
    pub checkpoint: Text,
    /// 扣分细则.
    pub criteria: Text,
    /// Source clause.
    #[serde(default)]
    pub clause: String,
    /// Outcome.
    pub status: Status,
    /// Points (a deduction, a bonus; 0 for vetoes): the certain ones.
    pub points: f64,
    /// The most the rule could give once the missing data are known: absent when equal to `points`,
    /// `Some(None)` (JSON `null`) when unbounded.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub points_max: Option<Option<f64>>,
    /// Whether the points count in the total.
    #[serde(default = "yes")]
    pub counted: bool,
    /// One sentence saying why.
    pub explanation: Text,
    /// Evidence items.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// Findings awaiting a person.
    #[serde(default)]
    pub review: u64,
}

fn yes() -> bool {
    true
}

/// A field that is present, `null` included (`Some(None)`); an absent one is `None` through `default`.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A warning about the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredWarning {
    /// Stable code.
    pub code: String,
    /// Observation path.
    #[serde(default)]
    pub path: Option<String>,
    /// Rule.
    #[serde(default)]
    pub rule: Option<String>,
    /// What happened.
    pub message: Text,
}

/// A `pucha.report/1` read back from JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    /// `pucha.report/1`.
    pub schema: String,
    /// The pack.
    pub pack: StoredPack,
    /// Parameter values used.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The site.
    pub site: StoredSite,
    /// 监测时间点.
    pub monitoring_point: String,
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// What decided it.
    pub verdict_basis: VerdictBasis,
    /// False when a rule lacked data.
    pub complete: bool,
    /// Score; null after a veto.
    pub score: Option<f64>,
    /// Counted deductions: the certain ones.
    pub total_deduction: f64,
    /// The most the counted deductions could come to: absent in reports that predate it (read as equal to
    /// `total_deduction`), `Some(None)` (JSON `null`) when unbounded.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_deduction_max: Option<Option<f64>>,
    /// Deductions not counted (after a veto).
    #[serde(default)]
    pub uncounted_deduction: f64,
    /// Bonus.
    #[serde(default)]
    pub bonus: f64,
    /// Deductions above this fail.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Vetoes that fired.
    #[serde(default)]
    pub vetoes: Vec<StoredVeto>,
    /// The vetoes that could still fire and the rules whose points could still grow.
    #[serde(default)]
    pub undecided: Vec<String>,
    /// Points by indicator.
    #[serde(default)]
    pub indicators: Vec<StoredIndicator>,
    /// Every rule.
    pub rules: Vec<StoredRule>,
    /// Data problems.
    #[serde(default)]
    pub warnings: Vec<StoredWarning>,
}

fn read_error(inner: &serde_json::Error, text: &str, what: &str) -> Error {
    let at = locate(inner, text);
    let kind = if at.data {
        ErrorKind::InvalidValue
    } else {
        ErrorKind::JsonSyntax
    };
    // Evidence records are read whole before their kind is known (an internally tagged enum), so a problem inside
    // one is found only after it, perhaps at the next record: name the list.
    let path = match at.path.find(".evidence[") {
        Some(i) => &at.path[..i + ".evidence".len()],
        None => &at.path,
    };
    let mut err = Error::new(kind, format!("not a readable {what}: {}", at.message)).with_path(path);
    if let Some((line, column)) = at.position {
        err = err.with_position(line, column);
    }
    err
}

/// Parse straight from the text; on failure the JSON path is found from the error's position.
fn parse<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| read_error(&e, text, "report"))
}

fn check_schema(found: &str, want: &[&str]) -> Result<(), Error> {
    if want.contains(&found) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::UnsupportedSchema,
            format!(
                "`{found}` is not a report this version reads (expected {})",
                want.join(" or ")
            ),
        )
        .with_path("schema"))
    }
}

impl StoredReport {
    /// Read a report from its JSON text.
    ///
    /// # Errors
    /// `json_syntax`, `invalid_value` (with the JSON path) or `unsupported_schema`.
    pub fn from_json_str(text: &str) -> Result<StoredReport, Error> {
        let r: StoredReport = parse(text)?;
        check_schema(&r.schema, &[REPORT_SCHEMA])?;
        Ok(r)
    }

    /// A report as the engine produced it, through its JSON form (what a stored file holds).
    pub fn from_report(report: &crate::eval::report::Report) -> Result<StoredReport, Error> {
        StoredReport::from_json_str(&report.to_json())
    }

    /// The result of rule `id`.
    pub fn rule(&self, id: &str) -> Option<&StoredRule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// What a roll-up needs of one site's result, read from a full report or from a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// Pack id.
    pub pack: String,
    /// The site.
    pub site: StoredSite,
    /// 监测时间点.
    pub monitoring_point: String,
    /// 合格 / 不合格 / 未评定.
    pub verdict: Verdict,
    /// False when a rule lacked data.
    pub complete: bool,
    /// Score (null after a veto).
    pub score: Option<Points>,
    /// Counted deductions.
    pub total_deduction: Points,
    /// Ids of the vetoes that fired.
    pub vetoes: Vec<String>,
    /// Each rule's id, status and points.
    pub rules: Vec<(String, Status, Points)>,
}

/// Rule titles met while reading full reports (rule id → title, the first one seen), so that roll-ups name the
/// rules of any pack; each distinct title is copied once, not once per report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleBook(pub std::collections::HashMap<String, Text>);

impl TitleBook {
    /// Add the titles of `other` that are not known yet.
    pub fn merge(&mut self, other: TitleBook) {
        for (k, v) in other.0 {
            self.0.entry(k).or_insert(v);
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PackField {
    Id(String),
    Full { id: String },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VetoField {
    Id(String),
    Full { rule: String },
}

#[derive(Deserialize)]
struct BorrowedText<'a> {
    #[serde(borrow)]
    zh: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    en: std::borrow::Cow<'a, str>,
}

#[derive(Deserialize)]
struct DigestRule<'a> {
    id: String,
    #[serde(borrow)]
    title: Option<BorrowedText<'a>>,
    status: Status,
    points: f64,
}

#[derive(Deserialize)]
struct DigestInput<'a> {
    schema: String,
    pack: PackField,
    #[serde(default)]
    site: StoredSite,
    #[serde(default)]
    monitoring_point: String,
    verdict: Verdict,
    #[serde(default = "yes")]
    complete: bool,
    score: Option<f64>,
    total_deduction: f64,
    #[serde(default)]
    vetoes: Vec<VetoField>,
    #[serde(default, borrow)]
    rules: Vec<DigestRule<'a>>,
    #[serde(default)]
    points: BTreeMap<String, f64>,
    #[serde(default)]
    status: BTreeMap<String, Status>,
}

fn tenths(x: f64) -> Points {
    // Stored points are on the 0.1 grid; rounding only undoes the float's representation error.
    Points::from_tenths((x * 10.0).round() as i64)
}

impl Digest {
    /// Read a digest from the JSON of a `pucha.report/1` or a `pucha.summary/1`.
    ///
    /// # Errors
    /// `json_syntax`, `invalid_value` (with the JSON path) or `unsupported_schema`.
    pub fn from_json_str(text: &str) -> Result<Digest, Error> {
        Digest::read(text, None)
    }

    /// As [`Digest::from_json_str`], also noting the rule titles a full report carries in `titles`.
    ///
    /// # Errors
    /// As [`Digest::from_json_str`].
    pub fn read(text: &str, mut titles: Option<&mut TitleBook>) -> Result<Digest, Error> {
        let d: DigestInput<'_> = parse(text)?;
        check_schema(&d.schema, &[REPORT_SCHEMA, SUMMARY_SCHEMA])?;
        let rules = if d.rules.is_empty() {
            d.points
                .iter()
                .map(|(id, p)| {
                    let st = d.status.get(id).copied().unwrap_or(Status::Passed);
                    (id.clone(), st, tenths(*p))
                })
                .collect()
        } else {
            d.rules
                .into_iter()
                .map(|r| {
                    if let (Some(book), Some(t)) = (titles.as_deref_mut(), &r.title)
                        && !book.0.contains_key(&r.id)
                    {
                        book.0.insert(r.id.clone(), Text::new(&*t.zh, &*t.en));
                    }
                    (r.id, r.status, tenths(r.points))
                })
                .collect()
        };
        Ok(Digest {
            pack: match d.pack {
                PackField::Id(id) | PackField::Full { id } => id,
            },
            site: d.site,
            monitoring_point: d.monitoring_point,
            verdict: d.verdict,
            complete: d.complete,
            score: d.score.map(tenths),
            total_deduction: tenths(d.total_deduction),
            vetoes: d
                .vetoes
                .into_iter()
                .map(|v| match v {
                    VetoField::Id(r) | VetoField::Full { rule: r } => r,
                })
                .collect(),
            rules,
        })
    }

    /// The digest of a full stored report.
    pub fn from_stored(r: &StoredReport) -> Digest {
        Digest {
            pack: r.pack.id.clone(),
            site: r.site.clone(),
            monitoring_point: r.monitoring_point.clone(),
            verdict: r.verdict,
            complete: r.complete,
            score: r.score.map(tenths),
            total_deduction: tenths(r.total_deduction),
            vetoes: r.vetoes.iter().map(|v| v.rule.clone()).collect(),
            rules: r
                .rules
                .iter()
                .map(|x| (x.id.clone(), x.status, tenths(x.points)))
                .collect(),
        }
    }
}

#[cfg(test)]
#[cfg(feature = "builtin-packs")]
mod tests {
    use super::*;
    use crate::{Engine, Observation};

    fn report(obs: &str) -> crate::Report {
        let e = Engine::builtin("census-2015").unwrap();
        e.score(&Observation::from_json_str(obs).unwrap())
    }

    const OBS: &str = r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kind":"portal","region":"甲省"},
        "availability":{"visits":100,"failures":2},"links":{"broken":[{"url":"http://a/x","found_on":"http://a/","depth":0}]},
        "columns":[{"name":"政策文件","category":"policy","last_published":"2014-01-02"}]}"#;

    #[test]
    fn a_report_reads_back_with_its_evidence() {
        let r = report(OBS);
        let s = StoredReport::from_report(&r).unwrap();
        assert_eq!(s.rules.len(), r.rules.len());
        assert_eq!(s.site.region.as_deref(), Some("甲省"));
        let links = s.rule("link-availability").unwrap();
        assert_eq!(links.points, 1.0);
        assert!(matches!(
            links.evidence.first(),
            Some(Evidence::BrokenLink { .. })
        ));
        // Evidence round-trips exactly, so stored reports render as live ones.
        for (a, b) in r.rules.iter().zip(&s.rules) {
            assert_eq!(
                a.evidence()
                    .iter()
                    .map(std::borrow::Cow::into_owned)
                    .collect::<Vec<_>>(),
                b.evidence
            );
        }
    }

    #[test]
    fn digests_agree_between_report_and_summary() {
        let r = report(OBS);
        let mut book = TitleBook::default();
        let full = Digest::read(&r.to_json(), Some(&mut book)).unwrap();
        let summary = Digest::from_json_str(&serde_json::to_string(&r.summary()).unwrap()).unwrap();
        assert_eq!(full.total_deduction, summary.total_deduction);
        assert_eq!(full.verdict, summary.verdict);
        let mut a = full.rules.clone();
        let mut b = summary.rules.clone();
        a.sort_by(|x, y| x.0.cmp(&y.0));
        b.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(a, b);
        assert_eq!(book.0.get("survey").map(|t| &*t.zh), Some("调查征集类栏目"));
    }

    #[test]
    fn bad_reports_are_named() {
        let e = StoredReport::from_json_str("{").unwrap_err();
        assert_eq!(e.code(), "json_syntax");
        let e = StoredReport::from_json_str(r#"{"schema":"pucha.report/1","pack":3}"#).unwrap_err();
        assert_eq!(e.path(), Some("pack"));
        let mut v: serde_json::Value = serde_json::from_str(&report(OBS).to_json()).unwrap();
        v["schema"] = "pucha.report/9".into();
        let e = StoredReport::from_json_str(&v.to_string()).unwrap_err();
        assert_eq!(e.code(), "unsupported_schema");
        let e = Digest::from_json_str(r#"{"schema":"pucha.observation/1"}"#).unwrap_err();
        assert!(matches!(e.code(), "unsupported_schema" | "invalid_value"), "{e}");
    }
}
