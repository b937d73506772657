//! Rule packs: a scoring table as declarative TOML, validated and compiled once.
//!
//! The format is documented in `docs/rule-language.md`. Loading returns `Result`; every error carries a stable
//! code, the file, TOML line and column, and the rule id.

use crate::lang::expr::{self, Expr, ExprErrorKind, Scope, Ty, Var};
use crate::lang::facts::{self, Arg, Args, FACTS, FactDef, LinkScope, ParamValue, SpanArg, TextArg, Unit};
use crate::lang::spanned::{PackValue, Spanned};
use crate::model::error::{Error, ErrorKind, closest};
use crate::model::observation::{Category, FindingKind, GuideElement, LinkKind};
use crate::model::ratio::{Points, Ratio};
use crate::model::seeded::Seeded;
use crate::model::verdict::{RuleKind, Text};
use crate::model::window::Span;
use serde::Deserialize;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

mod file;
mod load;

use file::*;
use load::*;

/// The schema tag of packs this version reads.
pub const PACK_SCHEMA: &str = "pucha.pack/1";

/// The largest pack source accepted, in bytes.
pub const MAX_PACK_BYTES: usize = 4 * 1024 * 1024;

/// Names the scoring gates may use besides facts.
pub(crate) const CONTEXT_VARS: &[&str] = &["score", "total_deduction", "bonus"];

/// A compiled expression with its source text.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) src: Arc<str>,
    pub(crate) expr: Expr,
}

/// How `each` counts turn into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Steps {
    Linear,
    Whole,
    Param(usize),
}

#[derive(Debug, Clone)]
pub(crate) enum PointsSpec {
    None,
    Fixed(Ratio),
    Expr(Compiled),
    Each {
        count: Compiled,
        unit: Ratio,
        per: Ratio,
        steps: Steps,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) label: Text,
    pub(crate) when: Option<Compiled>,
    pub(crate) points: PointsSpec,
}

/// A parameter a user may override with `--set name=value`.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Current value.
    pub value: ParamValue,
    /// Allowed values for text parameters.
    pub allowed: Option<Vec<String>>,
    /// What it sets.
    pub doc: Option<Text>,
}

impl Param {
    /// The value as text, as `--set` would take it.
    pub fn display(&self) -> String {
        match &self.value {
            ParamValue::Num(r) => r.to_string(),
            ParamValue::Text(s) => s.to_string(),
            ParamValue::Bool(b) => b.to_string(),
            ParamValue::Span(s) => s.to_string(),
        }
    }
}

/// A first-level indicator (一级指标), optionally capped.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Id used by rules.
    pub id: Arc<str>,
    /// Title.
    pub title: Text,
    /// Cap on the sum of its rules' points.
    pub cap: Option<Ratio>,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Id, exactly as in the official table's reading.
    pub id: Arc<str>,
    /// veto / deduction / bonus.
    pub kind: RuleKind,
    /// Index of its indicator.
    pub(crate) indicator: usize,
    /// 二级指标.
    pub title: Text,
    /// 考察点.
    pub checkpoint: Text,
    /// 扣分细则.
    pub criteria: Text,
    /// Source clause.
    pub clause: Arc<str>,
    /// Source confidence.
    pub confidence: Arc<str>,
    pub(crate) measures: Vec<(Arc<str>, usize)>,
    pub(crate) applies: Option<Compiled>,
    pub(crate) review: Option<Compiled>,
    pub(crate) first: bool,
    pub(crate) cap: Option<Ratio>,
    /// The veto (an earlier rule, by index) that applies in this deduction's place when its own facts fire it.
    pub(crate) veto_instead: Option<usize>,
    pub(crate) meta: Arc<RuleMeta>,
    pub(crate) cases: Vec<Case>,
}

/// A piece of an `explain` template: literal text or the value of a rule measure (by local index).
#[derive(Debug, Clone)]
pub(crate) enum Seg {
    Lit(Arc<str>),
    Measure(usize),
}

/// An `explain` text split at its `{measure}` placeholders at load time.
pub(crate) type Template = Vec<Seg>;

fn template(t: &str, locals: &[(Arc<str>, usize)]) -> Result<Template, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let (lit, tail) = rest.split_at(open);
        if !lit.is_empty() {
            out.push(Seg::Lit(Arc::from(lit)));
        }
        let Some(close) = tail.find('}') else {
            return Err("unclosed `{`".into());
        };
        let name = tail.get(1..close).unwrap_or("");
        let i = locals
            .iter()
            .position(|(n, _)| &**n == name)
            .ok_or_else(|| name.to_string())?;
        out.push(Seg::Measure(i));
        rest = tail.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Seg::Lit(Arc::from(rest)));
    }
    Ok(out)
}

impl Rule {
    /// The facts this rule reads, as `name = fact(args)` lines for display.
    pub fn measure_names(&self) -> impl Iterator<Item = &str> {
        self.measures.iter().map(|(n, _)| &**n)
    }

    /// Each case as `(label, condition, points)` for display.
    pub fn case_texts(&self) -> Vec<(Text, Option<String>, String)> {
        self.cases
            .iter()
            .map(|c| {
                let pts = match &c.points {
                    PointsSpec::None => String::new(),
                    PointsSpec::Fixed(r) => r.to_string(),
                    PointsSpec::Expr(e) => e.src.to_string(),
                    PointsSpec::Each { count, unit, per, .. } => {
                        if *per == Ratio::ONE {
                            format!("{unit} × ({})", count.src)
                        } else {
                            format!("{unit} × ({}) / {per}", count.src)
                        }
                    }
                };
                (c.label.clone(), c.when.as_ref().map(|w| w.src.to_string()), pts)
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Gate {
    pub(crate) when: Compiled,
    pub(crate) cap: Option<Ratio>,
    pub(crate) label: Text,
}

#[derive(Debug, Clone)]
pub(crate) struct Rescale {
    pub(crate) when: Compiled,
    pub(crate) exclude: Vec<usize>,
    pub(crate) factor: Ratio,
    pub(crate) label: Text,
}

/// Pack-level facts about the table.
#[derive(Debug, Clone)]
pub struct PackMeta {
    /// Pack id, e.g. `census-2015`.
    pub id: Arc<str>,
    /// Pack version.
    pub version: Arc<str>,
    /// Title.
    pub title: Text,
    /// Official source.
    pub source: Option<String>,
    /// Description.
    pub description: Option<Text>,
    /// `complete` or `partial`.
    pub completeness: Arc<str>,
    /// Parts of the table that are not encoded (partial packs).
    pub missing: Vec<String>,
}

#[derive(Debug)]
#[cfg_attr(feature = "what-if", derive(Clone))]
pub(crate) struct PackData {
    pub(crate) meta: PackMeta,
    pub(crate) base: Ratio,
    pub(crate) fail_above: Option<Ratio>,
    pub(crate) fail_below: Option<Ratio>,
    pub(crate) bonus: Option<Gate>,
    pub(crate) rescale: Vec<Rescale>,
    pub(crate) indicators: Vec<Indicator>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) measures: Vec<(&'static FactDef, Args)>,
    /// How many cases all rules have together (a report's case list is sized once).
    pub(crate) case_count: usize,
}

/// The scoring settings [`RulePack::set_param`] changes besides the pack's parameters, for what-if work (feature
/// `what-if`): the pass threshold (`fail_above`: more than this many points deducted fails; `fail_below`: a score
/// below it fails) and the bonus cap (`bonus_cap`), each where the pack has it.
pub const SCORING_SETTINGS: [&str; 3] = ["fail_above", "fail_below", "bonus_cap"];

/// A validated, compiled rule pack with its current parameter values.
///
/// Cheap to clone; parameters can be changed with [`RulePack::set_param`].
#[derive(Debug, Clone)]
pub struct RulePack {
    pub(crate) data: Arc<PackData>,
    pub(crate) params: Arc<[Param]>,
    /// The TOML text, or `None` for a built-in pack (whose text `pucha-rules` holds, under the name in `origin`).
    source: Option<Arc<str>>,
    origin: Arc<str>,
}

impl RulePack {
    /// A pack from its compiled parts (a compiled pack read back); built-in, named `origin`.
    #[cfg(feature = "compiled-packs")]
    pub(crate) fn from_parts(data: PackData, params: Vec<Param>, origin: &str) -> RulePack {
        RulePack {
            data: Arc::new(data),
            params: Arc::from(params),
            source: None,
            origin: Arc::from(origin),
        }
    }

    /// Parse, validate and compile a pack from TOML. `origin` names it in errors (a file path or pack name).
    ///
    /// # Errors
    /// An [`Error`] with code `toml_syntax`, `unknown_field`, `unknown_fact`, `invalid_argument`,
    /// `expression_syntax`, `expression_type`, `unknown_name`, `duplicate_id`, `unknown_indicator`,
    /// `invalid_param` or `too_large`, with line and column.
    #[cfg(feature = "toml-packs")]
    pub fn from_toml_str(src: &str, origin: &str) -> Result<RulePack, Error> {
        if src.len() > MAX_PACK_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "pack is {} bytes, more than the limit of {MAX_PACK_BYTES}",
                    src.len()
                ),
            )
            .with_file(origin));
        }
        let file: FilePack = toml::from_str(src).map_err(|e| {
            let msg = e.message().trim_end_matches('\n').to_string();
            let (kind, help) = if msg.starts_with("unknown field")
                || msg.starts_with("missing field")
                || msg.starts_with("invalid type")
                || msg.starts_with("unknown variant")
                || msg.starts_with("invalid value")
            {
                crate::model::error::classify_serde_message(&msg)
            } else {
                (ErrorKind::TomlSyntax, None)
            };
            let mut err = Error::new(kind, msg).with_file(origin);
            if let Some(sp) = e.span() {
                let (l, c) = line_col(src, sp.start);
                err = err.with_position(l, c);
            }
            match help {
                Some(h) => err.with_help(h),
                None => err,
            }
        })?;
        RulePack::compile_file(file, src, origin)
    }

    /// Load the JSON copy of a built-in pack (made from its TOML when `pucha-rules` was built): the route of
    /// builds without a TOML parser, and the quicker one for every build. Errors (which a tested built-in pack
    /// never has) carry no line or column.
    #[cfg(feature = "builtin-packs")]
    fn from_builtin_json(json: &str, origin: &str) -> Result<RulePack, Error> {
        #[cfg(feature = "toml-packs")]
        let _plain = crate::lang::spanned::PlainGuard::new();
        let file: FilePack = serde_json::from_str(json).map_err(|e| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("built-in pack does not read: {e}"),
            )
            .with_file(origin)
        })?;
        RulePack::compile_file(file, "", origin)
    }

    /// Validate and compile a pack read from TOML or JSON; spans in `file` point into `src` (empty for JSON).
    fn compile_file(file: FilePack, src: &str, origin: &str) -> Result<RulePack, Error> {
        let mut ld = Loader::new(src, origin);
        if let Some(s) = &file.schema
            && s.get_ref() != PACK_SCHEMA
        {
            return Err(ld.err(
                ErrorKind::UnsupportedSchema,
                format!(
                    "unsupported schema `{}`, this version reads `{PACK_SCHEMA}`",
                    s.get_ref()
                ),
                s.span().start,
            ));
        }
        for (name, p) in &file.params {
            let at = p.span().start;
            let value = param_value(name, p.get_ref()).map_err(|m| ld.err(ErrorKind::InvalidParam, m, at))?;
            if let (ParamValue::Text(v), Some(allowed)) = (&value, &p.get_ref().allowed)
                && !allowed.iter().any(|a| a == &**v)
            {
                return Err(ld.err(
                    ErrorKind::InvalidParam,
                    format!("parameter `{name}`: default `{v}` is not among its allowed values"),
                    at,
                ));
            }
            ld.param_ix
                .insert(load::Counted(Arc::from(name.as_str())), ld.params.len());
            ld.params.push(Param {
                name: name.clone(),
                value,
                allowed: p.get_ref().allowed.clone(),
                doc: p.get_ref().doc.clone(),
            });
        }
        let mut indicators: Vec<Indicator> = Vec::new();
        for ind in &file.indicators {
            let i = ind.get_ref();
            if ld.indicator_ix.contains_key(i.id.as_str()) {
                return Err(ld.err(
                    ErrorKind::DuplicateId,
                    format!("indicator `{}` is defined twice", i.id),
                    ind.span().start,
                ));
            }
            ld.indicator_ix
                .insert(load::Counted(Arc::from(i.id.as_str())), indicators.len());
            indicators.push(Indicator {
                id: Arc::from(i.id.as_str()),
                title: i.title.clone(),
                cap: i.cap.map(|c| c.0),
            });
        }
        let mut rules: Vec<Rule> = Vec::new();
        for r in &file.rules {
            let rule = ld
                .rule(r, &indicators, &rules)
                .map_err(|e| e.with_rule(r.get_ref().id.clone()))?;
            ld.rule_ix.insert(load::Counted(rule.id.clone()), rules.len());
            rules.push(rule);
        }
        let scoring = file.scoring.unwrap_or(FileScoring {
            base: None,
            fail_above: None,
            fail_below: None,
            bonus: None,
            rescale: Vec::new(),
        });
        let bonus = match &scoring.bonus {
            Some(b) => Some(Gate {
                when: ld.compile(&b.when, &[], true, Ty::Bool, "bonus gate")?,
                cap: b.cap.map(|c| c.0),
                label: b.label.clone().unwrap_or_else(|| Text {
                    zh: "加分".into(),
                    en: "bonus".into(),
                }),
            }),
            None => None,
        };
        let mut rescale = Vec::new();
        for rs in &scoring.rescale {
            let mut exclude = Vec::new();
            for x in &rs.exclude {
                let i = ld
                    .indicator_ix
                    .get(x.get_ref().as_str())
                    .copied()
                    .ok_or_else(|| {
                        ld.err(
                            ErrorKind::UnknownIndicator,
                            format!("rescale excludes unknown indicator `{}`", x.get_ref()),
                            x.span().start,
                        )
                    })?;
                exclude.push(i);
            }
            rescale.push(Rescale {
                when: ld.compile(&rs.when, &[], false, Ty::Bool, "rescale condition")?,
                exclude,
                factor: rs.factor.0,
                label: rs.label.clone(),
            });
        }
        let completeness = match &file.pack.completeness {
            Some(c) if c.get_ref() == "complete" || c.get_ref() == "partial" => c.get_ref().clone(),
            Some(c) => {
                return Err(ld
                    .err(
                        ErrorKind::InvalidValue,
                        format!("invalid completeness `{}`", c.get_ref()),
                        c.span().start,
                    )
                    .with_help("expected `complete` or `partial`"));
            }
            None => "complete".into(),
        };
        let data = PackData {
            meta: PackMeta {
                id: Arc::from(file.pack.id.as_str()),
                version: Arc::from(file.pack.version.as_str()),
                title: file.pack.title,
                source: file.pack.source,
                description: file.pack.description,
                completeness: Arc::from(completeness.as_str()),
                missing: file.pack.missing,
            },
            base: scoring.base.map_or(Ratio::int(100), |b| b.0),
            fail_above: scoring.fail_above.map(|n| n.0),
            fail_below: scoring.fail_below.map(|n| n.0),
            bonus,
            rescale,
            indicators,
            case_count: rules.iter().map(|r| r.cases.len()).sum(),
            rules,
            measures: ld.measures,
        };
        Ok(RulePack {
            data: Arc::new(data),
            params: Arc::from(ld.params),
            source: (!src.is_empty()).then(|| Arc::from(src)),
            origin: Arc::from(origin),
        })
    }

    /// An embedded pack by name (`census-2015`, `checklist-2019`).
    ///
    /// # Errors
    /// `unknown_pack` (with the closest name) or any load error of the embedded source.
    #[cfg(feature = "builtin-packs")]
    pub fn builtin(name: &str) -> Result<RulePack, Error> {
        match pucha_rules::get_json(name) {
            Some(json) => RulePack::from_builtin_json(json, name),
            None => {
                let e = Error::new(ErrorKind::UnknownPack, format!("no built-in pack `{name}`"));
                Err(match closest(name, pucha_rules::available()) {
                    Some(c) => e.with_help(format!("did you mean `{c}`?")),
                    None => e.with_help(format!(
                        "built-in packs: {}",
                        pucha_rules::available().collect::<Vec<_>>().join(", ")
                    )),
                })
            }
        }
    }

    /// Override a parameter from text, as `--set name=value` does.
    ///
    /// # Errors
    /// `unknown_param` (with the closest name) or `invalid_param` (wrong type, not an allowed value).
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let origin = self.origin.to_string();
        #[cfg(feature = "what-if")]
        if SCORING_SETTINGS.contains(&name) {
            return self.set_scoring(name, value).map_err(|e| e.with_file(origin));
        }
        let Some(i) = self.params.iter().position(|p| p.name == name) else {
            let e = Error::new(
                ErrorKind::UnknownParam,
                format!("pack `{}` has no parameter `{name}`", self.data.meta.id),
            )
            .with_file(origin);
            #[cfg_attr(not(feature = "what-if"), allow(unused_mut, reason = "no settings to add"))]
            let mut names: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
            #[cfg(feature = "what-if")]
            names.extend(SCORING_SETTINGS.iter().copied().filter(|s| self.has_scoring(s)));
            return Err(match closest(name, names.iter().copied()) {
                Some(c) => e.with_help(format!("did you mean `{c}`?")),
                None => e.with_help(format!("its parameters are {}", names.join(", "))),
            });
        };
        let mut params: Vec<Param> = self.params.to_vec();
        let Some(p) = params.get_mut(i) else { return Ok(()) };
        let bad = |why: String| Error::new(ErrorKind::InvalidParam, format!("parameter `{name}`: {why}"));
        let v = value.trim();
        p.value = match &p.value {
            ParamValue::Num(_) => {
                ParamValue::Num(Ratio::parse(v).ok_or_else(|| bad(format!("`{v}` is not a number")))?)
            }
            ParamValue::Bool(_) => ParamValue::Bool(match v {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                _ => return Err(bad(format!("`{v}` is not true or false"))),
            }),
            ParamValue::Span(_) => ParamValue::Span(
                Span::parse(v)
                    .ok_or_else(|| bad(format!("`{v}` is not a window length such as `1y` or `6mo`")))?,
            ),
            ParamValue::Text(_) => {
                if let Some(allowed) = &p.allowed
                    && !allowed.iter().any(|a| a == v)
                {
                    return Err(bad(format!("`{v}` is not allowed"))
                        .with_help(format!("expected one of {}", allowed.join(", "))));
                }
                ParamValue::Text(Arc::from(v))
            }
        };
        self.params = Arc::from(params);
        Ok(())
    }

    /// Whether this pack has the scoring setting `name` ([`SCORING_SETTINGS`]).
    #[cfg(feature = "what-if")]
    fn has_scoring(&self, name: &str) -> bool {
        match name {
            "fail_above" => self.data.fail_above.is_some(),
            "fail_below" => self.data.fail_below.is_some(),
            "bonus_cap" => self.data.bonus.is_some(),
            _ => false,
        }
    }

    /// Set one of the [`SCORING_SETTINGS`], checked as the loader checks the pack's own: a number of points from 0
    /// to the table's base (any number ≥ 0 for the bonus cap), on a pack that has the setting.
    #[cfg(feature = "what-if")]
    fn set_scoring(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let bad = |why: String| Error::new(ErrorKind::InvalidParam, format!("`{name}`: {why}"));
        let v = value.trim();
        let points = Ratio::parse(v).ok_or_else(|| bad(format!("`{v}` is not a number")))?;
        if points < Ratio::ZERO {
            return Err(bad(format!("`{v}` is negative")));
        }
        let base = self.data.base;
        if name != "bonus_cap" && points > base {
            return Err(bad(format!("`{v}` is more than the table's {base} points")));
        }
        if !self.has_scoring(name) {
            let has: Vec<&str> = SCORING_SETTINGS
                .iter()
                .copied()
                .filter(|s| self.has_scoring(s))
                .collect();
            return Err(bad(format!("pack `{}` has no such setting", self.data.meta.id))
                .with_help(format!("its scoring settings are {}", has.join(", "))));
        }
        let data = Arc::make_mut(&mut self.data);
        match name {
            "fail_above" => data.fail_above = Some(points),
            "fail_below" => data.fail_below = Some(points),
            _ => {
                if let Some(b) = data.bonus.as_mut() {
                    b.cap = Some(points);
                }
            }
        }
        Ok(())
    }

    /// Pack identity and metadata.
    pub fn meta(&self) -> &PackMeta {
        &self.data.meta
    }

    /// The rules, in pack order.
    pub fn rules(&self) -> &[Rule] {
        &self.data.rules
    }

    /// The rule `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.data.rules.iter().find(|r| &*r.id == id)
    }

    /// The parameters with their current values.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The first-level indicators.
    pub fn indicators(&self) -> &[Indicator] {
        &self.data.indicators
    }

    /// The TOML source it was loaded from (for a built-in pack, its file in `pucha-rules`).
    pub fn source(&self) -> &str {
        match &self.source {
            Some(s) => s,
            #[cfg(feature = "builtin-packs")]
            None => pucha_rules::get(&self.origin).unwrap_or_default(),
            #[cfg(not(feature = "builtin-packs"))]
            None => "",
        }
    }

    /// Where it was loaded from (file path or built-in name).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// How many distinct measures the pack evaluates per observation.
    pub fn measure_count(&self) -> usize {
        self.data.measures.len()
    }
}

/// A case as the pack states it: its label and condition.
#[derive(Debug, Clone)]
pub struct CaseMeta {
    /// What the case means.
    pub label: Text,
    /// Its condition, as written in the pack.
    pub when: Option<Arc<str>>,
}

/// What a rule is, as the pack states it: the same for every report, so shared rather than copied.
#[derive(Debug, Clone)]
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
    /// The rule's measures: name and how the value reads.
    pub measures: Vec<(Arc<str>, Unit)>,
    /// The rule's cases.
    pub cases: Vec<CaseMeta>,
    /// The rule's cap, if any.
    pub cap: Option<Points>,
    /// Where each measure's outcome sits in the report's [`Outcomes`] (the pack's measure index).
    pub(crate) measure_ix: Vec<usize>,
    pub(crate) explain: Option<(Template, Template)>,
}

/// 一级指标 / 二级指标 in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorPath {
    /// Indicator id in the pack.
    pub id: Arc<str>,
    /// Chinese path.
    #[serde(serialize_with = "ser_seq")]
    pub zh: [Arc<str>; 2],
    /// English path.
    #[serde(serialize_with = "ser_seq")]
    pub en: [Arc<str>; 2],
}

/// A fixed array as a sequence (a JSON array, a Python list), not a tuple.
fn ser_seq<S: serde::Serializer>(v: &[Arc<str>; 2], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|x| &**x))
}

#[cfg(all(test, feature = "builtin-packs", feature = "toml-packs"))]
mod tests {
    use super::*;

    /// A pack of `rules` rules over as many indicators as rules / 100, each rule naming a parameter, an indicator,
    /// a measure of its own and one shared with every rule, and (every tenth) a veto before it.
    fn big_pack(rules: usize) -> String {
        let indicators = rules.div_ceil(100).max(1);
        let mut s = String::from(
            "schema = \"pucha.pack/1\"\n[pack]\nid = \"big\"\nversion = \"0.1.0\"\n\
             title = { zh = \"大\", en = \"big\" }\n[params.min]\ndefault = 6\n",
        );
        for i in 0..indicators {
            s += &format!("[[indicators]]\nid = \"i{i}\"\ntitle = {{ zh = \"甲\", en = \"A\" }}\n");
        }
        for i in 0..rules {
            let (kind, instead) = match i % 10 {
                0 => ("veto", String::new()),
                _ => ("deduction", format!("veto_instead = \"rule-{}\"\n", i - i % 10)),
            };
            s += &format!(
                "[[rules]]\nid = \"rule-{i}\"\nkind = \"{kind}\"\nindicator = \"i{}\"\n{instead}\
                 title = {{ zh = \"规则\", en = \"rule\" }}\n\
                 measures.n = {{ fact = \"links.broken\", scope = \"other\" }}\n\
                 measures.a = {{ fact = \"survey.activities\", window = \"{}d\" }}\n\
                 [[rules.cases]]\nwhen = \"n >= 1 and a < $min\"\n{}",
                i % indicators,
                i + 1,
                if kind == "veto" { "" } else { "points = 1\n" }
            );
        }
        s
    }

    /// The loader's work, counted as the key comparisons its lookups make (parameters, indicators, rules, shared
    /// measures), grows linearly with the rules: a pack four times larger costs at most about four times as many,
    /// where a linear search per rule cost sixteen times as many.
    #[test]
    fn loading_does_work_linear_in_the_rules() {
        let comparisons = |rules: usize| {
            let src = big_pack(rules);
            load::COMPARISONS.with(|c| c.set(0));
            let pack = RulePack::from_toml_str(&src, "big.toml").unwrap();
            assert_eq!(pack.rules().len(), rules);
            // Every rule's own measure and the shared one.
            assert_eq!(pack.data.measures.len(), rules + 1);
            load::COMPARISONS.with(std::cell::Cell::get)
        };
        let (small, large) = (comparisons(500), comparisons(2_000));
        assert!(small >= 500, "{small}");
        assert!(
            large <= small * 5,
            "500 rules: {small} comparisons, 2,000 rules: {large}"
        );
        // A few per rule: its id, indicator, parameter, veto and two measures.
        assert!(large <= 2_000 * 8, "{large}");
    }

    /// The JSON copies the built-in packs load from compile to exactly what their TOML does.
    #[test]
    fn builtin_json_copies_load_as_their_toml() {
        for name in pucha_rules::available() {
            let from_json = RulePack::builtin(name).unwrap();
            let from_toml = RulePack::from_toml_str(pucha_rules::get(name).unwrap(), name).unwrap();
            assert_eq!(
                format!("{:?}", from_json.data),
                format!("{:?}", from_toml.data),
                "{name}"
            );
            assert_eq!(
                format!("{:?}", from_json.params),
                format!("{:?}", from_toml.params),
                "{name}"
            );
            assert_eq!(from_json.source(), from_toml.source());
            assert_eq!(from_json.origin(), name);
        }
    }

    /// A negative cap or an absurd base is refused at load, with its line and column, never scored.
    #[test]
    fn scoring_numbers_out_of_range_are_refused_where_they_stand() {
        let census = pucha_rules::get("census-2015").unwrap();
        let at = census.find("\ncap = ").map(|i| i + 1).unwrap();
        let end = census[at..].find('\n').map(|n| at + n).unwrap();
        for bad in ["cap = -5", "cap = 1e12", "cap = \"-1/2\""] {
            let text = format!("{}{}{}", &census[..at], bad, &census[end..]);
            let e = RulePack::from_toml_str(&text, "bad.toml").unwrap_err();
            assert!(e.message().contains("out of range"), "{bad}: {e}");
            let line = census[..at].matches('\n').count() + 1;
            assert_eq!(e.line(), Some(line), "{bad}: {e}");
        }
        let ok = format!("{}cap = 0{}", &census[..at], &census[end..]);
        assert!(RulePack::from_toml_str(&ok, "ok.toml").is_ok());
    }

    /// A pack value may be text, a number or a boolean; anything else is named, for the loader's message.
    #[test]
    fn pack_values_read_from_toml_and_json_alike() {
        #[derive(Debug, Deserialize)]
        struct Doc {
            v: Vec<PackValue>,
        }
        let toml_doc: Doc =
            toml::from_str("v = [\"a\", 5, 0.5, true, [1], { x = 1, y = [2] }, 1979-05-27]").unwrap();
        let json_doc: Doc =
            serde_json::from_str(r#"{"v": ["a", 5, 0.5, true, [1], {"x": 1, "y": [2]}]}"#).unwrap();
        let want = [
            PackValue::Str("a".into()),
            PackValue::Int(5),
            PackValue::Float(0.5),
            PackValue::Bool(true),
            PackValue::Other("an array"),
            PackValue::Other("a table"),
        ];
        assert_eq!(toml_doc.v[..6], want);
        assert_eq!(toml_doc.v[6], PackValue::Other("a date"));
        assert_eq!(json_doc.v, want);
    }

    /// A default that is a table or a date is reported, not accepted.
    #[test]
    fn a_table_as_a_parameter_default_is_an_error() {
        let src = "[pack]\nid = \"p\"\nversion = \"1\"\ntitle = { zh = \"p\", en = \"p\" }\n\n[params.x]\ndefault = { a = 1 }\n";
        let e = RulePack::from_toml_str(src, "p.toml").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParam, "{e}");
        assert!(e.message().contains("the default (a table) does not fit"), "{e}");
    }
}
