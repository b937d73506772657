//! Who may do what: one pure function over the unit tree, used by every route and tested on its own.
//!
//! A role held at a unit reaches that unit's whole subtree and nothing above or beside it. Reviewers act only on
//! the filings in their own unit's queue (level by level); everyone with a role may read their subtree; the
//! public reaches only the public directory and the feedback form.

use serde::{Deserialize, Serialize};

/// A unit's place in the tree: the ids from the root, `/1/4/9/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitPath(String);

impl UnitPath {
    /// The root's path (`/ID/`).
    pub fn root(id: i64) -> UnitPath {
        UnitPath(format!("/{id}/"))
    }

    /// The path of a child `id` of this unit.
    pub fn child(&self, id: i64) -> UnitPath {
        UnitPath(format!("{}{id}/", self.0))
    }

    /// A path as stored; `None` unless it is `/`-separated positive ids with leading and trailing slashes.
    pub fn parse(s: &str) -> Option<UnitPath> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty() || !inner.split('/').all(|p| p.parse::<u64>().is_ok_and(|n| n > 0)) {
            return None;
        }
        Some(UnitPath(s.to_owned()))
    }

    /// The path text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this unit or one below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The unit's own id.
    pub fn id(&self) -> i64 {
        self.ids().last().unwrap_or(0)
    }

    /// The ids from the root down to this unit.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = i64> + '_ {
        self.0
            .split('/')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
    }

    /// Levels below the root (the root is 0).
    pub fn depth(&self) -> usize {
        self.ids().count().saturating_sub(1)
    }

    /// The parent's path; `None` for the root.
    pub fn parent(&self) -> Option<UnitPath> {
        let trimmed = self.0.strip_suffix('/')?;
        let cut = trimmed.rfind('/')?;
        (cut > 0).then(|| UnitPath(self.0[..=cut].to_owned()))
    }
}

/// A role at a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 填报: files the unit's sites.
    Filer,
    /// 审核: reviews the filings in the unit's queue.
    Reviewer,
    /// 管理: manages the subtree's units, accounts, sites and 校验码.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Filer, Role::Reviewer, Role::Admin];

    /// The key stored and sent (`filer`, `reviewer`, `admin`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Filer => "filer",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// A role from its key.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == s)
    }

    /// 填报 / 审核 / 管理.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Filer => "填报",
            Role::Reviewer => "审核",
            Role::Admin => "管理",
        }
    }
}

/// One role held at one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// Where it is held.
    pub unit: UnitPath,
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    /// The account, `None` for the public.
    pub account: Option<i64>,
    /// Its roles.
    pub grants: Vec<Grant>,
    /// Sites it claimed with their 校验码 (by id): it may file for them wherever they sit.
    pub claims: Vec<i64>,
}

impl Actor {
    /// The public: no account.
    pub fn public() -> Actor {
        Actor::default()
    }

    /// Whether some role of this actor is held at `unit` or above it.
    pub fn reaches(&self, unit: &UnitPath) -> bool {
        self.grants.iter().any(|g| g.unit.contains(unit))
    }

    fn holds(&self, role: Role, over: &UnitPath) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && g.unit.contains(over))
    }
}

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read a unit: its page, queue, roll-up, workbook, exports, audit log and 公众留言.
    ReadUnit,
    /// Manage a unit: child units, accounts and roles, sites, 校验码, publishing verdicts.
    ManageUnit,
    /// Read a site with its contacts and filings.
    ReadSite,
    /// File for a site: create, edit and submit its filings.
    FileSite,
    /// Read a filing and its history.
    ReadFiling,
    /// Review a filing in a queue: return, approve, resolve suspected serious errors.
    ReviewFiling,
    /// Read the public directory and leave a 公众留言.
    ReadPublic,
}

/// What an action is about.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The unit (for a site or filing: the unit that owns the site).
    pub unit: &'a UnitPath,
    /// The site, when the action is about one.
    pub site: Option<i64>,
    /// The unit whose queue holds the filing, when it sits in one.
    pub queue: Option<&'a UnitPath>,
}

impl<'a> Target<'a> {
    /// A unit.
    pub fn unit(unit: &'a UnitPath) -> Target<'a> {
        Target {
            unit,
            site: None,
            queue: None,
        }
    }

    /// A site owned by `unit`.
    pub fn site(unit: &'a UnitPath, site: i64) -> Target<'a> {
        Target {
            unit,
            site: Some(site),
            queue: None,
        }
    }
}

/// Whether `actor` may do `action` on `target`.
pub fn allows(actor: &Actor, action: Action, target: Target<'_>) -> bool {
    let claimed = target
        .site
        .is_some_and(|s| actor.account.is_some() && actor.claims.contains(&s));
    match action {
        Action::ReadPublic => true,
        Action::ReadUnit => actor.reaches(target.unit),
        Action::ManageUnit => actor.holds(Role::Admin, target.unit),
        Action::ReadSite | Action::ReadFiling => actor.reaches(target.unit) || claimed,
        Action::FileSite => actor.holds(Role::Filer, target.unit) || claimed,
        Action::ReviewFiling => target.queue.is_some_and(|q| {
            actor
                .grants
                .iter()
                .any(|g| g.role == Role::Reviewer && &g.unit == q)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_know_their_family() {
        let root = UnitPath::root(1);
        let city = root.child(4);
        let county = city.child(9);
        assert_eq!(county.as_str(), "/1/4/9/");
        assert!(root.contains(&county) && city.contains(&county) && county.contains(&county));
        assert!(!county.contains(&city));
        assert!(!UnitPath::root(1).child(40).contains(&UnitPath::root(1).child(4)));
        assert!(!UnitPath::root(1).child(4).contains(&UnitPath::root(1).child(40)));
        assert_eq!(county.parent(), Some(city.clone()));
        assert_eq!(root.parent(), None);
        assert_eq!((county.depth(), county.id()), (2, 9));
        assert_eq!(UnitPath::parse("/1/4/"), Some(city));
        for bad in ["", "/", "1/4/", "/1/4", "/1//4/", "/a/", "/0/"] {
            assert_eq!(UnitPath::parse(bad), None, "{bad}");
        }
    }
}
