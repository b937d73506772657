//! The report contract `pucha.report/1`: verdict, vetoes, each rule with its points and evidence.

use crate::observation::Site;
use crate::ratio::Points;
use crate::window::Window;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The schema tag of reports.
pub const REPORT_SCHEMA: &str = "pucha.report/1";

/// Text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese.
    pub zh: Arc<str>,
    /// English.
    pub en: Arc<str>,
}

impl Text {
    /// Text from its Chinese and English forms.
    pub fn new(zh: impl Into<Arc<str>>, en: impl Into<Arc<str>>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang` (`en`, anything else is Chinese).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Language of rendered text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// `zh` or `en`; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "中文" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }
}

/// 合格 or 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
}

/// What decided the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictBasis {
    /// A veto fired.
    Veto,
    /// Deductions passed the limit (or the score fell below the gate).
    Threshold,
    /// Deductions stayed within the limit.
    Deductions,
}

/// Outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Points deducted (or added), or the veto fired.
    Applied,
    /// Checked, nothing found.
    Passed,
    /// The rule does not apply to this site.
    NotApplicable,
    /// Facts missing.
    NoData,
    /// Only unconfirmed findings: a person must decide.
    NeedsReview,
}

/// Kind of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// 单项否决.
    Veto,
    /// 扣分指标.
    Deduction,
    /// 加分指标.
    Bonus,
}

/// A data problem that did not stop scoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable code, e.g. `sampling_below_standard`.
    pub code: &'static str,
    /// Observation path concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Rule concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// What happened.
    pub message: Text,
}

impl Warning {
    /// A warning with a code, path and message in both languages.
    pub fn new(code: &'static str, path: Option<String>, zh: String, en: String) -> Warning {
        Warning {
            code,
            path,
            rule: None,
            message: Text::new(zh, en),
        }
    }
}

/// One case (condition and points) of a rule, as evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Its label and condition, shared with the pack (flattened in JSON: `label`, `when`).
    #[serde(flatten)]
    pub meta: Arc<CaseMeta>,
    /// Whether it held; null when facts were missing.
    pub matched: Option<bool>,
    /// Points it gave.
    pub points: Points,
}

/// A case as the pack states it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseMeta {
    /// What the case means.
    pub label: Text,
    /// Its condition, as written in the pack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Arc<str>>,
}

/// A one-line explanation in both languages, built per report (kept as owned strings, not shared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Explanation {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The evaluated result of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    /// Rule id.
    pub id: Arc<str>,
    /// veto / deduction / bonus.
    pub kind: RuleKind,
    /// Title, indicator path, 考察点, 扣分细则, clause and confidence: shared with the pack, flattened in JSON.
    #[serde(flatten)]
    pub meta: Arc<RuleMeta>,
    /// Outcome.
    pub status: Status,
    /// Points after the rule's cap (0 when none).
    pub points: Points,
    /// Whether the points count toward the total (false after a veto or an unmet gate).
    pub counted: bool,
    /// A one-line explanation.
    pub explanation: Explanation,
    /// Values of the rule's measures (null when missing), by measure name.
    #[serde(serialize_with = "ser_pairs")]
    pub observed: Vec<(Arc<str>, serde_json::Value)>,
    /// The decisive condition, as written in the pack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Arc<str>>,
    /// Each case as evaluated.
    pub cases: Vec<CaseResult>,
    /// The first window the rule used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// Every window by measure name.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "ser_pairs")]
    pub windows: Vec<(Arc<str>, Window)>,
    /// Evidence behind the points (kept for applied and review rules).
    pub evidence: crate::evidence::EvidenceList,
    /// Observation facts that were missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'static str>,
    /// How many items need a person's review.
    #[serde(skip_serializing_if = "is_zero")]
    pub review: u64,
}

/// What a rule is, as the pack states it: the same for every report, so shared rather than copied.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// 二级指标 name.
    pub title: Text,
    /// Indicator path: 一级指标 then 二级指标.
    pub indicator: IndicatorPath,
    /// 考察点.
    pub checkpoint: Text,
    /// 扣分细则, restated.
    pub criteria: Text,
    /// Source clause.
    pub clause: Arc<str>,
    /// Source confidence: C2, C1 or R.
    pub confidence: Arc<str>,
}

impl RuleResult {
    /// The observed value of measure `name`.
    pub fn observed(&self, name: &str) -> Option<&serde_json::Value> {
        self.observed.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }
}

/// Serialise `(name, value)` pairs as a JSON object, in order.
fn ser_pairs<S: serde::Serializer, V: Serialize>(pairs: &[(Arc<str>, V)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        m.serialize_entry(&**k, v)?;
    }
    m.end()
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// 一级指标 / 二级指标 in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorPath {
    /// Indicator id in the pack.
    pub id: Arc<str>,
    /// Chinese path.
    pub zh: [Arc<str>; 2],
    /// English path.
    pub en: [Arc<str>; 2],
}

/// A veto that fired.
#[derive(Debug, Clone, Serialize)]
pub struct VetoResult {
    /// Rule id.
    pub rule: Arc<str>,
    /// Rule title.
    pub title: Text,
    /// Clauses that fired.
    pub clauses: Vec<Text>,
}

/// Points per first-level indicator, with caps.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorTotal {
    /// Indicator id.
    pub id: Arc<str>,
    /// Its title.
    pub title: Text,
    /// Sum of its counted rules before the cap.
    pub points: Points,
    /// Its cap, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<Points>,
    /// What counts after the cap.
    pub counted_points: Points,
}

/// Pack identity.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// Pack id.
    pub id: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
    /// Pack title.
    pub title: Text,
    /// `complete` or `partial`.
    pub completeness: Arc<str>,
}

/// What `score(observation, pack)` returns.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `"pucha.report/1"`.
    pub schema: &'static str,
    /// Pack used.
    pub pack: PackInfo,
    /// Effective parameter values.
    pub params: Arc<BTreeMap<String, String>>,
    /// Site, echoed.
    pub site: Site,
    /// Monitoring point, echoed.
    pub monitoring_point: Arc<str>,
    /// 合格 / 不合格.
    pub verdict: Verdict,
    /// What decided it.
    pub verdict_basis: VerdictBasis,
    /// False when any rule lacked data: a pass may not hold once the data is complete.
    pub complete: bool,
    /// Base − counted deductions (+ bonus); null when a veto fired.
    pub score: Option<Points>,
    /// Sum of counted deductions.
    pub total_deduction: Points,
    /// Deductions computed for information but not counted (after a veto).
    pub uncounted_deduction: Points,
    /// Bonus counted.
    pub bonus: Points,
    /// Fail when the total deduction is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Points>,
    /// Fail when the score is below this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_below: Option<Points>,
    /// A rescale that applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rescaled: Option<Text>,
    /// Vetoes that fired.
    pub vetoes: Vec<VetoResult>,
    /// Points by first-level indicator.
    pub indicators: Vec<IndicatorTotal>,
    /// Every rule, in pack order.
    pub rules: Vec<RuleResult>,
    /// Data problems.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The report as pretty JSON.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The result of rule `id`.
    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}
