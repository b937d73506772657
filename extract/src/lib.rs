#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod charset;
mod dates;
#[cfg(feature = "xlsx")]
pub mod directory;
mod examine;
pub mod facts;
mod guides;
mod items;
mod links;
pub mod profile;
#[cfg(feature = "xlsx")]
mod profile_xlsx;
mod robots;
mod screen;
#[cfg(feature = "xlsx")]
mod sheet;
#[cfg(feature = "xlsx")]
pub mod table;

pub use charset::{Decoded, decode_page};
pub use dates::{FoundDate, find_dates, first_date, normalize_width};
pub use examine::examine;
pub use guides::{GUIDE_ELEMENTS, GuideReading, anchor_texts, is_attachment, named_forms, read_guide};
pub use items::{ListItem, ListPage, PageLink, extract_items, page_links, printable, visible_text};
pub use links::{BOT_WALL_MARKERS, host_of, link_kind, throttled_or_walled};
#[cfg(feature = "xlsx")]
pub use profile_xlsx::profile_from_xlsx;
pub use robots::Robots;
pub use screen::{Term, TermFile, TextFinding, default_terms, screen_text};
#[cfg(feature = "xlsx")]
pub use sheet::MAX_UNPACKED_BYTES;
