//! The words a report is made of: text in Chinese and English, the verdict and its basis, a rule's kind and
//! status, warnings. Part of the model: imports nothing from the crate.

use serde::Serialize;
use std::sync::Arc;

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

/// 合格, 不合格 or 未评定: a verdict is given only when it holds for every completion of the missing data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
    /// 未评定: the missing data could still make the site pass or fail.
    Undetermined,
}

impl Verdict {
    /// Its key in reports (`pass`, `fail`, `undetermined`).
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Undetermined => "undetermined",
        }
    }

    /// How people read it: 合格 / pass, 不合格 / fail, 未评定 / undetermined.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Pass, Lang::Zh) => "合格",
            (Verdict::Fail, Lang::Zh) => "不合格",
            (Verdict::Undetermined, Lang::Zh) => "未评定",
            (Verdict::Pass, Lang::En) => "pass",
            (Verdict::Fail, Lang::En) => "fail",
            (Verdict::Undetermined, Lang::En) => "undetermined",
        }
    }
}

/// What decided the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictBasis {
    /// A veto fired.
    Veto,
    /// Deductions passed the limit (or the score fell below the gate).
    Threshold,
    /// Deductions stayed within the limit.
    Deductions,
    /// Undetermined: the rules in `undecided` could still go either way.
    MissingData,
}

/// Outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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

impl Status {
    /// Its key in reports (`applied`, `passed`, `not_applicable`, `no_data`, `needs_review`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Passed => "passed",
            Status::NotApplicable => "not_applicable",
            Status::NoData => "no_data",
            Status::NeedsReview => "needs_review",
        }
    }
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
