//! Probes: collecting observations of government websites.
//!
//! What is read out of pages and forms lives in `pucha-extract` (no I/O; re-exported here): decoding pages in the
//! charsets real sites use (UTF-8, GBK, GB2312, GB18030 …, [`decode_page`]), reading the dates they print
//! (`2015-03-29`, `2015年3月29日`, `2015/3/29`, `2015.03.29`, `[03-29]`, full-width digits: [`find_dates`]), listing
//! the items of a column's list page ([`extract_items`]), robots.txt and site profiles. This crate adds the I/O: the
//! shared HTTP client ([`Fetcher`]), bounded against hostile sites and refusing internal addresses by default; the
//! adapters, the monitor and the fixture site that `pucha probe` builds on (see docs/probes.md).

pub mod adapters;
pub mod adapters_more;
pub mod campaign;
pub mod campaign_cache;
pub mod campaign_run;
pub mod clock;
pub mod fixture;
#[cfg(feature = "simulation")]
pub mod fixture_farm;
mod http;
pub mod monitor;

pub use http::{Blocked, Failure, FetchConfig, Fetcher, Outcome, Page, is_internal};
pub use pucha_extract::{
    Decoded, FoundDate, ListItem, ListPage, MAX_UNPACKED_BYTES, PageLink, Robots, decode_page, extract_items,
    find_dates, first_date, normalize_width, page_links, profile, profile_from_xlsx, visible_text,
};
pub use pucha_extract::{directory, table};
