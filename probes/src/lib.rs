//! Probes: collecting observations of government websites.
//!
//! This first part holds the pure pieces every adapter needs: decoding pages in the charsets real sites use
//! (UTF-8, GBK, GB2312, GB18030 …, [`decode_page`]), reading the dates they print (`2015-03-29`, `2015年3月29日`,
//! `2015/3/29`, `2015.03.29`, `[03-29]`, full-width digits: [`find_dates`]), and listing the items of a column's list
//! page ([`extract_items`]). They do no I/O. The shared HTTP client ([`Fetcher`]) is bounded against hostile sites
//! and refuses internal addresses by default. The adapters, the monitor and `pucha probe` build on them (see
//! docs/probes.md for what is done and what is next).

pub mod adapters;
pub mod adapters_more;
mod charset;
mod dates;
pub mod fixture;
mod http;
mod items;
pub mod monitor;
pub mod profile;
mod profile_xlsx;
mod robots;
mod sheet;

pub use charset::{Decoded, decode_page};
pub use dates::{FoundDate, find_dates, first_date, normalize_width};
pub use http::{Blocked, Failure, FetchConfig, Fetcher, Outcome, Page, is_internal};
pub use items::{ListItem, ListPage, PageLink, extract_items, page_links, visible_text};
pub use profile_xlsx::profile_from_xlsx;
pub use robots::Robots;
pub use sheet::MAX_UNPACKED_BYTES;
