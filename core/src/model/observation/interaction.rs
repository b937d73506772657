//! Interaction channels (互动回应): consultation messages, survey and interview activities.

use super::*;

/// Interaction channels (互动回应).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// 政务咨询类.
    #[serde(default)]
    pub consultation: Option<Consultation>,
    /// 调查征集类.
    #[serde(default)]
    pub survey: Option<Channel>,
    /// 互动访谈类.
    #[serde(default)]
    pub interview: Option<Channel>,
}

/// The consultation channel (政务咨询类栏目).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// The site has such a column.
    pub exists: bool,
    /// The column opens and its form submits (default true).
    #[serde(default)]
    pub usable: Option<bool>,
    /// Column name.
    #[serde(default)]
    pub name: Option<Arc<str>>,
    /// Column URL.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Every message, raw.
    #[serde(default)]
    pub messages: Option<Vec<Message>>,
    /// Counted: valid messages asked in the 1-year window.
    #[serde(default)]
    pub valid_messages: Option<u64>,
    /// Counted: messages in the window that waited more than 3 months.
    #[serde(default)]
    pub overdue_messages: Option<u64>,
    /// Counted: answers given in the pack's answer window.
    #[serde(default)]
    pub answers_in_window: Option<u64>,
}

/// One consultation message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// When it was asked.
    pub asked: LocalDate,
    /// When it was answered; `null` if not yet.
    #[serde(default)]
    pub answered: Option<LocalDate>,
    /// Valid letter (not spam, duplicate or test); default true.
    #[serde(default = "yes")]
    pub valid: bool,
    /// Title, if known.
    #[serde(default)]
    pub title: Option<Arc<str>>,
    /// Link, if known.
    #[serde(default)]
    pub url: Option<Arc<str>>,
}

fn yes() -> bool {
    true
}

/// A survey or interview channel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The site has such a column.
    pub exists: bool,
    /// The column opens and works (default true).
    #[serde(default)]
    pub usable: Option<bool>,
    /// Column name.
    #[serde(default)]
    pub name: Option<Arc<str>>,
    /// Column URL.
    #[serde(default)]
    pub url: Option<Arc<str>>,
    /// Activities held: a list with dates, or a count for the 1-year window.
    #[serde(default)]
    pub activities: Option<Activities>,
}

/// Activities as a dated list or as a count.
#[derive(Debug, Clone)]
pub enum Activities {
    /// Each activity with its date.
    List(Vec<Activity>),
    /// Counted for the 1-year window.
    Count(u64),
}

impl<'de> Deserialize<'de> for Activities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Activities;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ACTIVITIES_EXPECTING)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Activities, E> {
                Ok(Activities::Count(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Activities, E> {
                u64::try_from(n)
                    .map(Activities::Count)
                    .map_err(|_| E::custom(format_args!("invalid value: integer `{n}`, expected u64")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Activities, A::Error> {
                Vec::<Activity>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Activities::List)
            }
        }
        d.deserialize_any(V)
    }
}

/// One survey, consultation exercise or interview.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// When it was held or opened.
    pub date: LocalDate,
    /// Title, if known.
    #[serde(default)]
    pub title: Option<Arc<str>>,
    /// Link, if known.
    #[serde(default)]
    pub url: Option<Arc<str>>,
}
