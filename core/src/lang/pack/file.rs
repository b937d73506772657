//! The pack file as written (TOML, or its JSON copy): serde's model of `pucha.pack/1`, before any check. The
//! loader (`load`) turns it into a compiled pack.

use super::*;

/// A number of the pack's scoring (a base, a cap, a threshold, a factor, points per unit): from 0 to
/// [`NUM_MAX`]. A negative cap gave scores above the base and a huge base or factor a score of 0 with no warning;
/// such a pack is refused when it loads, with the line and column.
#[derive(Debug, Clone, Copy)]
pub(super) struct Num(pub(super) Ratio);

/// The largest number a pack's scoring takes (a 评分表 counts in hundreds of points).
pub(super) const NUM_MAX: i64 = 10_000;

fn in_range<E: serde::de::Error>(r: Ratio, written: &dyn std::fmt::Display) -> Result<Num, E> {
    if r < Ratio::ZERO || r > Ratio::int(NUM_MAX) {
        return Err(E::custom(format_args!(
            "number `{written}` is out of range: a pack's points, caps, thresholds and factors are from 0 to {NUM_MAX}"
        )));
    }
    Ok(Num(r))
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number such as `5`, `0.1`, or text such as `\"4/3\"` or `\"5%\"`")
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Num, E> {
                in_range(Ratio::int(n), &n)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Num, E> {
                match Ratio::from_u64(n) {
                    Some(r) => in_range(r, &n),
                    None => Err(E::custom(format_args!("number `{n}` is too large"))),
                }
            }
            fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Num, E> {
                match Ratio::from_written_f64(f) {
                    Some(r) => in_range(r, &f),
                    None => Err(E::custom(format_args!("invalid number `{f}`"))),
                }
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Num, E> {
                match Ratio::parse(s) {
                    Some(r) => in_range(r, &s),
                    None => Err(E::custom(format_args!("invalid number `{s}`"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FilePack {
    #[serde(default)]
    pub(super) schema: Option<Spanned<String>>,
    pub(super) pack: FileMeta,
    #[serde(default)]
    pub(super) scoring: Option<FileScoring>,
    #[serde(default)]
    pub(super) params: BTreeMap<String, Spanned<FileParam>>,
    #[serde(default)]
    pub(super) indicators: Vec<Spanned<FileIndicator>>,
    #[serde(default)]
    pub(super) rules: Vec<Spanned<FileRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileMeta {
    pub(super) id: String,
    pub(super) version: String,
    pub(super) title: Text,
    #[serde(default)]
    pub(super) source: Option<String>,
    #[serde(default)]
    pub(super) description: Option<Text>,
    #[serde(default)]
    pub(super) completeness: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) missing: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileScoring {
    #[serde(default)]
    pub(super) base: Option<Num>,
    #[serde(default)]
    pub(super) fail_above: Option<Num>,
    #[serde(default)]
    pub(super) fail_below: Option<Num>,
    #[serde(default)]
    pub(super) bonus: Option<FileBonus>,
    #[serde(default)]
    pub(super) rescale: Vec<FileRescale>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileBonus {
    pub(super) when: Spanned<String>,
    #[serde(default)]
    pub(super) cap: Option<Num>,
    #[serde(default)]
    pub(super) label: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileRescale {
    pub(super) when: Spanned<String>,
    #[serde(default)]
    pub(super) exclude: Vec<Spanned<String>>,
    pub(super) factor: Num,
    pub(super) label: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileParam {
    pub(super) default: PackValue,
    #[serde(default, rename = "type")]
    pub(super) ty: Option<String>,
    #[serde(default)]
    pub(super) allowed: Option<Vec<String>>,
    #[serde(default)]
    pub(super) doc: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileIndicator {
    pub(super) id: String,
    pub(super) title: Text,
    #[serde(default)]
    pub(super) cap: Option<Num>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Combine {
    #[default]
    Sum,
    First,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileRule {
    pub(super) id: String,
    pub(super) kind: RuleKind,
    pub(super) indicator: Spanned<String>,
    pub(super) title: Text,
    #[serde(default)]
    pub(super) checkpoint: Option<Text>,
    #[serde(default)]
    pub(super) criteria: Option<Text>,
    #[serde(default)]
    pub(super) clause: String,
    #[serde(default)]
    pub(super) confidence: String,
    #[serde(default)]
    pub(super) measures: BTreeMap<String, Spanned<FileMeasure>>,
    #[serde(default)]
    pub(super) applies: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) review: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) combine: Combine,
    #[serde(default)]
    pub(super) cap: Option<Num>,
    #[serde(default)]
    pub(super) veto_instead: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) explain: Option<Spanned<Text>>,
    #[serde(default)]
    pub(super) cases: Vec<Spanned<FileCase>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileMeasure {
    pub(super) fact: Spanned<String>,
    #[serde(default)]
    pub(super) window: Option<String>,
    #[serde(default)]
    pub(super) wait: Option<String>,
    #[serde(default)]
    pub(super) default_cycle: Option<String>,
    #[serde(default)]
    pub(super) categories: Option<Vec<String>>,
    #[serde(default)]
    pub(super) names: Option<Vec<String>>,
    #[serde(default)]
    pub(super) level: Option<u32>,
    #[serde(default)]
    pub(super) on_homepage: Option<bool>,
    #[serde(default)]
    pub(super) scope: Option<String>,
    #[serde(default)]
    pub(super) count: Option<String>,
    #[serde(default)]
    pub(super) kinds: Option<Vec<String>>,
    #[serde(default)]
    pub(super) confirmed: Option<bool>,
    #[serde(default)]
    pub(super) timeout_ms: Option<u64>,
    #[serde(default)]
    pub(super) elements: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileCase {
    #[serde(default)]
    pub(super) label: Option<Text>,
    #[serde(default)]
    pub(super) when: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) points: Option<Spanned<PackValue>>,
    #[serde(default)]
    pub(super) each: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) per: Option<Num>,
    #[serde(default)]
    pub(super) steps: Option<Spanned<String>>,
}

// ---------- compiled model ----------
