//! The observation contract `pucha.observation/1`: one site at one monitoring point.
//!
//! Every fact may be given raw (evidence) or pre-counted. A fact that is absent is `no_data`, never zero.
//! Unknown fields are rejected with the closest known field suggested.

use crate::model::date::LocalDate;
use crate::model::error::{Error, ErrorKind};
use crate::model::from_str::parse_str;
use crate::model::window::Span;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

mod availability;
mod columns;
mod content;
mod interaction;
mod links;
mod services;
mod site;

pub use availability::*;
pub use columns::*;
pub use content::*;
pub use interaction::*;
pub use links::*;
pub use services::*;
pub use site::*;

/// The schema tag of observations this version reads.
pub const OBSERVATION_SCHEMA: &str = "pucha.observation/1";

/// What a [`StrList`], a [`Tally`] and [`Activities`] expect, in type errors.
pub(crate) const STR_LIST_EXPECTING: &str = "a string or a list of strings";
pub(crate) const TALLY_EXPECTING: &str = "a non-negative count or a list of names or URLs";
pub(crate) const ACTIVITIES_EXPECTING: &str = "a list of `{date, title?}` or a non-negative count";

/// The largest observation text accepted, in bytes (256 MiB).
pub const MAX_INPUT_BYTES: usize = 256 * 1024 * 1024;

/// One site at one monitoring point (监测时间点).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// `"pucha.observation/1"`; may be omitted.
    #[serde(default)]
    pub schema: Option<String>,
    /// The 监测时间点: a date or a timestamp with offset.
    pub monitoring_point: LocalDate,
    /// The site observed (shared with the reports made from it).
    pub site: Arc<Site>,
    /// Homepage availability samples or counts.
    #[serde(default)]
    pub availability: Option<Availability>,
    /// Broken links found, or counts.
    #[serde(default)]
    pub links: Option<Links>,
    /// The site's columns (栏目) with their items or summary facts (shared with the reports that list new homepage
    /// items as evidence).
    #[serde(default)]
    pub columns: Option<Arc<Vec<Column>>>,
    /// Counted homepage updates.
    #[serde(default)]
    pub homepage: Option<HomepageCounts>,
    /// Interaction channels (互动回应).
    #[serde(default)]
    pub interaction: Option<Interaction>,
    /// Service guides and online systems (服务实用).
    #[serde(default)]
    pub services: Option<Services>,
    /// Content findings (serious errors); absent means the text was not screened.
    #[serde(default)]
    pub content_findings: Option<Vec<ContentFinding>>,
    /// Who or what produced the observation; free-form and never scored, except its `not_visited` list (read into
    /// [`Observation::not_visited`]). Builds without the feature `fast-json` (the WebAssembly modules) check that it
    /// is JSON but do not keep it.
    #[serde(default)]
    pub provenance: Option<serde_json::Value>,
    /// The pages not visited, from `provenance.not_visited[]` (`{url, reason}`); the report warns of them.
    #[serde(skip)]
    pub not_visited: Vec<NotVisited>,
}

/// The variant whose key is `s`, or serde's message for an unknown variant (its keys are at least three).
fn from_key<T: Copy>(s: &str, keys: &[(T, &str)]) -> Result<T, String> {
    keys.iter()
        .find(|(_, k)| *k == s)
        .map(|(v, _)| *v)
        .ok_or_else(|| {
            let names: Vec<String> = keys.iter().map(|(_, k)| format!("`{k}`")).collect();
            format!("unknown variant `{s}`, expected one of {}", names.join(", "))
        })
}

impl Observation {
    /// Checks across fields that the types cannot express (more failures than visits, answers before questions …);
    /// for observations built by other means than the parsers here.
    ///
    /// # Errors
    /// An `inconsistent` (or `missing_field`, `unsupported_schema`) error naming the path.
    pub fn check_consistency(&self) -> Result<(), Error> {
        self.check()
    }

    /// Checks across fields that the types cannot express.
    pub(crate) fn check(&self) -> Result<(), Error> {
        let bad = |path: String, msg: String| Err(Error::new(ErrorKind::Inconsistent, msg).with_path(path));
        if let Some(s) = &self.schema
            && s != OBSERVATION_SCHEMA
        {
            return Err(Error::new(
                ErrorKind::UnsupportedSchema,
                format!("unsupported schema `{s}`, this version reads `{OBSERVATION_SCHEMA}`"),
            )
            .with_path("schema"));
        }
        if let Some(a) = &self.availability {
            if let (Some(v), Some(f)) = (a.visits, a.failures)
                && f > v
            {
                return bad(
                    "availability.failures".into(),
                    format!("{f} failures is more than {v} visits"),
                );
            }
            if a.samples.is_none() && (a.visits.is_none() != a.failures.is_none()) {
                return Err(Error::new(
                    ErrorKind::MissingField,
                    "counted availability needs both `visits` and `failures`",
                )
                .with_path("availability"));
            }
        }
        if let Some(cols) = &self.columns {
            for (i, c) in cols.iter().enumerate() {
                let has_items =
                    c.items.as_ref().is_some_and(|v| !v.is_empty()) || c.item_count.is_some_and(|n| n > 0);
                if c.blank == Some(true) && has_items {
                    return bad(
                        format!("columns[{i}].blank"),
                        format!("column `{}` is marked blank but lists items", c.name),
                    );
                }
            }
        }
        if let Some(i) = &self.interaction {
            let c = i.consultation.as_ref();
            let says_nothing = c.is_none_or(|c| {
                c.exists
                    || (c.messages.as_ref().is_none_or(Vec::is_empty)
                        && c.valid_messages.unwrap_or(0) == 0
                        && c.overdue_messages.unwrap_or(0) == 0
                        && c.answers_in_window.unwrap_or(0) == 0)
            });
            if !says_nothing {
                return bad(
                    "interaction.consultation.exists".into(),
                    "the consultation column does not exist but messages are given".into(),
                );
            }
            for (name, ch) in [("survey", &i.survey), ("interview", &i.interview)] {
                let held = match ch.as_ref().and_then(|c| c.activities.as_ref()) {
                    Some(Activities::Count(n)) => *n > 0,
                    Some(Activities::List(l)) => !l.is_empty(),
                    None => false,
                };
                if ch.as_ref().is_some_and(|c| !c.exists) && held {
                    return bad(
                        format!("interaction.{name}.exists"),
                        format!("the {name} column does not exist but activities are given"),
                    );
                }
            }
        }
        if let Some(c) = self.interaction.as_ref().and_then(|i| i.consultation.as_ref()) {
            for (i, m) in c.messages.iter().flatten().enumerate() {
                if let Some(a) = &m.answered
                    && a.date < m.asked.date
                {
                    return bad(
                        format!("interaction.consultation.messages[{i}].answered"),
                        format!("answered on `{}` before it was asked on `{}`", a.raw, m.asked.raw),
                    );
                }
            }
            if let (Some(v), Some(o)) = (c.valid_messages, c.overdue_messages)
                && o > v
                && c.messages.is_none()
            {
                return bad(
                    "interaction.consultation.overdue_messages".into(),
                    format!("{o} overdue messages is more than {v} valid messages"),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Error {
        Observation::from_json_str(text).unwrap_err()
    }

    const MIN: &str = r#"{"monitoring_point":"2015-06-30","site":{"name":"x"}}"#;

    #[test]
    fn minimal_parses() {
        let o = Observation::from_json_str(MIN).unwrap();
        assert!(o.availability.is_none());
    }

    #[test]
    fn unknown_field_suggests() {
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"colums":[]}"#);
        assert_eq!(e.code(), "unknown_field");
        assert_eq!(e.help(), Some("did you mean `columns`?"));
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kidn":"portal"}}"#);
        assert_eq!(e.path(), Some("site.kidn"));
        assert_eq!(e.help(), Some("did you mean `kind`?"));
    }

    #[test]
    fn bad_values_name_their_path() {
        let e = err(r#"{"monitoring_point":"2015-02-30","site":{"name":"x"}}"#);
        assert_eq!((e.code(), e.path()), ("invalid_date", Some("monitoring_point")));
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"availability":{"visits":-1,"failures":0}}"#,
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", Some("availability.visits"))
        );
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"columns":[{"name":"a","category":"news"}]}"#,
        );
        assert_eq!(
            (e.code(), e.path()),
            ("invalid_value", Some("columns[0].category"))
        );
        let e = err(r#"{"monitoring_point":"2015-06-30","site":{"name":"x","id":"bm123"}}"#);
        assert_eq!(e.code(), "invalid_value");
        let e = err(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x"},"availability":{"visits":3,"failures":4}}"#,
        );
        assert_eq!(e.code(), "inconsistent");
    }

    #[test]
    fn syntax_and_depth() {
        assert_eq!(err("{").code(), "json_syntax");
        assert_eq!(err(&format!("{MIN} x")).code(), "json_syntax");
        // A list is no observation; nested past serde_json's depth limit it is not even JSON, said first.
        assert_eq!(err("[[1]]").code(), "invalid_type");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(err(&deep).code(), "json_syntax");
        // Nesting past serde_json's depth limit is a syntax error first, though a list is also the wrong type for
        // `site`: both readers name the same problem.
        let deep = format!(r#"{{"site": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(err(&deep).code(), "json_syntax");
        let nested = format!(
            r#"{{"monitoring_point":"2015-06-30","site":{{"name":"x"}},"provenance":{}{}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(err(&nested).code(), "json_syntax");
    }

    #[test]
    fn chinese_labels() {
        let o = Observation::from_json_str(
            r#"{"monitoring_point":"2015-06-30","site":{"name":"x","kind":"门户网站"},
                "columns":[{"name":"要闻","category":"要闻"}],
                "services":{"guides":[{"name":"g","missing_elements":["联系电话","process"],"attachments_broken":["a.doc"]}]}}"#,
        )
        .unwrap();
        assert_eq!(o.columns.unwrap()[0].category, Category::Dynamics);
        let g = &o.services.unwrap().guides.unwrap()[0];
        assert_eq!(
            g.missing_elements,
            vec![GuideElement::Phone, GuideElement::Process]
        );
        assert_eq!(g.attachments_broken.count, 1);
    }
}
