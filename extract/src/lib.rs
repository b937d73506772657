#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod charset;
mod dates;
mod items;
pub mod profile;
#[cfg(feature = "xlsx")]
mod profile_xlsx;
mod robots;
#[cfg(feature = "xlsx")]
mod sheet;

pub use charset::{Decoded, decode_page};
pub use dates::{FoundDate, find_dates, first_date, normalize_width};
pub use items::{ListItem, ListPage, PageLink, extract_items, page_links, printable, visible_text};
#[cfg(feature = "xlsx")]
pub use profile_xlsx::profile_from_xlsx;
pub use robots::Robots;
#[cfg(feature = "xlsx")]
pub use sheet::MAX_UNPACKED_BYTES;
