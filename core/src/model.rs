//! The model: what is scored and what is said — the observation, dates, exact numbers, windows, errors, and the
//! words of a report (text in two languages, verdicts, statuses, warnings). Imports nothing from the crate.

pub(crate) mod date;
pub(crate) mod error;
pub(crate) mod from_str;
pub(crate) mod observation;
pub(crate) mod ratio;
pub(crate) mod seeded;
pub(crate) mod verdict;
pub(crate) mod visible;
pub(crate) mod window;
