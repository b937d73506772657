//! What one pass over the raw evidence finds for the measures and their evidence alike: broken links grouped by
//! target, and each column's newest date. Imports the model and the facts vocabulary; `measure` builds these,
//! `evidence` reads them.

use crate::lang::facts::LinkScope;
use crate::model::observation::{Column, LinkKind, StrList};
use chrono::NaiveDate;
use std::sync::Arc;

/// Broken links grouped by target, counted once per score and shared by the homepage and other scopes.
#[derive(Debug)]
pub struct LinkGroup {
    /// The first broken link to this target (index into the observation's list).
    pub(crate) first: u32,
    /// The last one so far (where the chain of same-target links grows).
    pub(crate) last: u32,
    pub(crate) on_home: bool,
    pub(crate) depth: u32,
    pub(crate) home: u64,
    pub(crate) other: u64,
}

/// The link groups of one score, and for each broken link the next one to the same target (`u32::MAX`: none), so
/// that the pages a target was found on are merged only when a report lists it.
#[derive(Debug)]
pub struct LinkGroups {
    pub(crate) groups: Vec<LinkGroup>,
    pub(crate) next: Vec<u32>,
}

impl LinkGroup {
    pub(crate) fn in_scope(&self, scope: LinkScope) -> bool {
        match scope {
            LinkScope::Homepage => self.home > 0,
            LinkScope::Other => self.other > 0,
            LinkScope::All => true,
        }
    }
}

impl LinkGroups {
    /// The groups, in the order their targets first appear.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, LinkGroup> {
        self.groups.iter()
    }

    /// The pages `g`'s target was found on: the first link's, then each later link's new ones, in order.
    pub(crate) fn pages(
        &self,
        g: &LinkGroup,
        broken: &[crate::model::observation::BrokenLink],
    ) -> Option<StrList> {
        let first = broken.get(g.first as usize)?;
        if g.first == g.last {
            return Some(first.found_on.clone());
        }
        let mut merged: Vec<Arc<str>> = first.found_on.0.to_vec();
        let mut i = self.next.get(g.first as usize).copied().unwrap_or(u32::MAX);
        while let Some(b) = broken.get(i as usize) {
            for p in b.found_on.0.iter() {
                if !merged.contains(p) {
                    merged.push(p.clone());
                }
            }
            i = self.next.get(i as usize).copied().unwrap_or(u32::MAX);
        }
        Some(StrList(Arc::from(merged)))
    }
}

pub(crate) use crate::model::seeded::Seeded;

/// Cache key of link groups: counting mode and kind filter.
pub type LinkKey = (bool, Option<Vec<LinkKind>>);

pub(crate) fn link_groups(
    broken: &[crate::model::observation::BrokenLink],
    kinds: Option<&[LinkKind]>,
    nav_only: bool,
    occurrence: bool,
) -> LinkGroups {
    let home_depth = u32::from(nav_only);
    // An open-addressing table of group indices (at most two thirds full), each slot with the upper half
    // of its URL's hash so that a probe compares URLs only when the hashes agree. The hasher is randomly
    // seeded: URLs come from outside, and crafted collisions must not make this quadratic. foldhash (seeded
    // per process and per table, as hashbrown's own default) hashes a URL several times faster than SipHash.
    let hasher = Seeded::default();
    let size = broken
        .len()
        .saturating_add(broken.len() / 2)
        .next_power_of_two()
        .max(8);
    let mask = size - 1;
    let mut slots: Vec<(u32, u32)> = vec![(u32::MAX, 0); size];
    let mut groups: Vec<LinkGroup> = Vec::with_capacity(broken.len());
    let mut next = vec![u32::MAX; broken.len()];
    for (i, b) in broken.iter().enumerate() {
        if kinds.is_some_and(|k| !k.contains(&b.kind)) {
            continue;
        }
        let Ok(i) = u32::try_from(i) else { break };
        let at_home = b.depth <= home_depth;
        let k = (b.found_on.0.len() as u64).max(1);
        let hash = std::hash::BuildHasher::hash_one(&hasher, &*b.url);
        let tag = (hash >> 32) as u32;
        let mut at = hash as usize & mask;
        let existing = loop {
            let Some(slot) = slots.get_mut(at) else { break None };
            if slot.0 == u32::MAX {
                *slot = (u32::try_from(groups.len()).unwrap_or(u32::MAX), tag);
                break None;
            }
            if slot.1 == tag
                && let Some(g) = groups.get(slot.0 as usize)
                && broken.get(g.first as usize).is_some_and(|f| f.url == b.url)
            {
                break groups.get_mut(slot.0 as usize);
            }
            at = (at + 1) & mask;
        };
        match existing {
            Some(g) => {
                g.on_home |= at_home;
                g.depth = g.depth.min(b.depth);
                if let Some(n) = next.get_mut(g.last as usize) {
                    *n = i;
                }
                g.last = i;
                if occurrence {
                    if at_home {
                        g.home += k;
                    } else {
                        g.other += k;
                    }
                }
            }
            None => {
                let (home, other) = match (occurrence, at_home) {
                    (true, true) => (k, 0),
                    (true, false) => (0, k),
                    _ => (0, 0),
                };
                groups.push(LinkGroup {
                    first: i,
                    last: i,
                    on_home: at_home,
                    depth: b.depth,
                    home,
                    other,
                });
            }
        }
    }
    if !occurrence {
        // distinct-url: a target counts once, at the homepage if it was found there at all.
        for g in &mut groups {
            (g.home, g.other) = if g.on_home { (1, 0) } else { (0, 1) };
        }
    }
    LinkGroups { groups, next }
}

/// What a column's content says about its dates, worked out once per score (borrowed from the observation).
#[derive(Debug, Clone, Copy)]
pub enum ColDates<'a> {
    /// The data cannot tell (no items, date, count or blank flag).
    Unknown,
    /// The newest dated item not after the monitoring point (its date and text); `None` if there is none.
    Known(Option<&'a crate::model::date::LocalDate>),
}

/// A column's newest dated item not after `point` (or its last publication date), and how many of its dates are
/// after `point` (items, or 1 for a later last publication date).
pub(crate) fn newest_date(c: &Column, point: NaiveDate) -> (ColDates<'_>, u32) {
    if let Some(items) = &c.items {
        // The first item with the newest date not after the point; the date alone is compared in the loop
        // (`NaiveDate::MIN` is no date a text can give).
        let (mut newest, mut best) = (NaiveDate::MIN, None);
        let mut future = 0u32;
        for it in items {
            let Some(p) = &it.published else { continue };
            if p.date > point {
                future = future.saturating_add(1);
            } else if p.date > newest {
                (newest, best) = (p.date, Some(p));
            }
        }
        (ColDates::Known(best), future)
    } else if let Some(lp) = &c.last_published {
        if lp.date > point {
            // The newest item is after the point; what the column held before it is unknown, unless that item is
            // its only one.
            let state = if c.item_count == Some(1) {
                ColDates::Known(None)
            } else {
                ColDates::Unknown
            };
            (state, 1)
        } else {
            (ColDates::Known(Some(lp)), 0)
        }
    } else if c.blank == Some(true) || c.item_count == Some(0) {
        (ColDates::Known(None), 0)
    } else {
        (ColDates::Unknown, 0)
    }
}
