//! Over random unit trees, accounts and filings: no account reads or changes anything outside its subtree (or
//! the sites it claimed), and every store function agrees with an oracle that walks parent links instead of the
//! stored paths. The public reaches nothing behind a login.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

mod common;

use common::TempDir;
use proptest::prelude::*;
use pucha_server::access::{Actor, Role};
use pucha_server::error::ServerError;
use pucha_server::filings::{self, NewFiling};
use pucha_server::scoring::Scorer;
use pucha_server::sites::{self, NewSite};
use pucha_server::store::Store;
use pucha_server::units::{self, Level, NewUnit, Unit};
use pucha_server::workflow::Move;
use pucha_server::{accounts, feedback};
use rusqlite::Connection;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
struct Case {
    /// parents[i] is the parent of unit i + 1 (an index below it); unit 0 is the root.
    parents: Vec<usize>,
    /// (unit, role) held by the account; empty for the public.
    grants: Vec<(usize, Role)>,
    /// Sites (one per unit) the account claimed.
    claims: Vec<usize>,
    /// For each unit's site's filing: how many moves it has had (0 draft, 1 submitted, 2+ approved upward).
    moves: Vec<usize>,
    public: bool,
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![Just(Role::Filer), Just(Role::Reviewer), Just(Role::Admin)]
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..9).prop_flat_map(|n| {
        let parents = (1..n).map(|i| 0..i).collect::<Vec<_>>();
        (
            parents,
            prop::collection::vec((0..n, role()), 1..4),
            prop::collection::vec(0..n, 0..2),
            prop::collection::vec(0usize..4, n),
            prop::bool::weighted(0.15),
        )
            .prop_map(|(parents, grants, claims, moves, public)| Case {
                parents,
                grants,
                claims,
                moves,
                public,
            })
    })
}

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(|| Scorer::new().unwrap())
}

struct World {
    _dir: TempDir,
    path: std::path::PathBuf,
    store: Store,
    units: Vec<Unit>,
    codes: Vec<String>,
    filings: Vec<i64>,
    actor: Actor,
    parents: Vec<Option<usize>>,
}

impl World {
    /// Whether unit `a` is unit `b` or above it, by parent links.
    fn above(&self, a: usize, b: usize) -> bool {
        let mut at = Some(b);
        while let Some(u) = at {
            if u == a {
                return true;
            }
            at = self.parents[u];
        }
        false
    }

    fn holds(&self, case: &Case, role: Option<Role>, u: usize) -> bool {
        !case.public
            && case
                .grants
                .iter()
                .any(|(g, r)| role.is_none_or(|want| *r == want) && self.above(*g, u))
    }

    fn claimed(&self, case: &Case, u: usize) -> bool {
        !case.public && case.claims.contains(&u)
    }

    /// A transaction rolled back after `f`, so each check starts from the same world.
    fn trial<T>(&self, f: impl FnOnce(&Connection) -> Result<T, ServerError>) -> Result<T, ServerError> {
        let mut c = Connection::open(&self.path).unwrap();
        c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let tx = c.transaction().unwrap();
        f(&tx)
    }
}

fn build(case: &Case) -> World {
    let dir = TempDir::new("prop");
    let path = dir.path().join("p.sqlite");
    let store = Store::open(&path).unwrap();
    let mut made: Vec<Unit> = Vec::new();
    let mut parents = vec![None];
    parents.extend(case.parents.iter().map(|p| Some(*p)));
    store
        .write(|tx| {
            for (i, parent) in parents.iter().enumerate() {
                let new = NewUnit {
                    name: format!("U{i}"),
                    level: if i == 0 {
                        Level::Province
                    } else {
                        Level::Department
                    },
                    region: String::new(),
                };
                let u = match parent {
                    None => units::create_root(tx, &new)?,
                    Some(p) => units::create_child(tx, &common::system(&made[0]), made[*p].id, &new)?,
                };
                made.push(u);
            }
            Ok(())
        })
        .unwrap();
    let sys = common::system(&made[0]);
    let mut codes = Vec::new();
    for (i, u) in made.iter().enumerate() {
        let new = NewSite {
            code: format!("{:010}", 1_000_000_000 + i),
            name: format!("S{i}"),
            homepage: String::new(),
            kind: None,
            region: String::new(),
            department: String::new(),
            authority: String::new(),
        };
        store.write(|tx| sites::create(tx, &sys, u.id, &new)).unwrap();
        codes.push(new.code);
    }
    // Filings made by a filer at the root (who reaches every site), moved by reviewers made where needed.
    let root_filer = store
        .write(|tx| {
            let a = accounts::create(
                tx,
                &sys,
                made[0].id,
                &accounts::NewAccount {
                    login: "root-filer".into(),
                    display_name: "f".into(),
                    password: "password-123".into(),
                    role: Role::Filer,
                },
            )?;
            accounts::actor(tx, a.id)
        })
        .unwrap();
    let mut filings_made = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let new = NewFiling {
            site: code.clone(),
            observation: common::observation(),
            pack: None,
            submit: case.moves[i] > 0,
            idempotency_key: None,
        };
        let (mut f, _) = store
            .write(|tx| filings::create(tx, &root_filer, scorer(), &new))
            .unwrap();
        for _ in 1..case.moves[i] {
            let Some(q) = f.queue.clone() else { break };
            let reviewer = Actor {
                account: root_filer.account,
                grants: vec![pucha_server::access::Grant {
                    role: Role::Reviewer,
                    unit: q,
                }],
                claims: vec![],
            };
            f = store
                .write(|tx| filings::act(tx, &reviewer, f.id, Move::Approve, None))
                .unwrap();
        }
        filings_made.push(f.id);
    }
    // The account under test: made directly, with its grants and claims.
    let actor = if case.public {
        Actor::public()
    } else {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO accounts (login, display_name, password_hash, created_at) VALUES ('who', 'w', 'x', 'now')",
                    [],
                )?;
                let id = tx.last_insert_rowid();
                for (u, role) in &case.grants {
                    tx.execute(
                        "INSERT OR IGNORE INTO grants (account_id, unit_id, role) VALUES (?1, ?2, ?3)",
                        rusqlite::params![id, made[*u].id, role.key()],
                    )?;
                }
                for u in &case.claims {
                    tx.execute(
                        "INSERT OR IGNORE INTO claims (account_id, site_id, claimed_at) SELECT ?1, id, 'now' FROM sites WHERE code = ?2",
                        rusqlite::params![id, codes[*u]],
                    )?;
                }
                accounts::actor(tx, id)
            })
            .unwrap()
    };
    World {
        _dir: dir,
        path,
        store,
        units: made,
        codes,
        filings: filings_made,
        actor,
        parents,
    }
}

/// A refusal: forbidden for an account, unauthenticated or forbidden for the public.
fn refused<T: std::fmt::Debug>(r: &Result<T, ServerError>) -> bool {
    matches!(r, Err(ServerError::Forbidden | ServerError::Unauthenticated))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn nothing_outside_the_subtree_is_read_or_changed(case in case()) {
        let w = build(&case);
        let a = &w.actor;
        for (u, unit) in w.units.iter().enumerate() {
            let reach = w.holds(&case, None, u);
            let site_reach = reach || w.claimed(&case, u);
            let code = &w.codes[u];
            let fid = w.filings[u];

            // Reads.
            let got = w.store.read(|c| units::get(c, a, unit.id));
            prop_assert_eq!(got.is_ok(), reach, "read unit {}", u);
            prop_assert_eq!(refused(&got), !reach);
            prop_assert_eq!(w.store.read(|c| sites::get(c, a, code)).is_ok(), site_reach, "read site {}", u);
            prop_assert_eq!(w.store.read(|c| filings::get(c, a, fid)).is_ok(), site_reach, "read filing {}", u);
            prop_assert_eq!(w.store.read(|c| filings::history(c, a, fid)).is_ok(), site_reach);
            prop_assert_eq!(w.store.read(|c| feedback::of_subtree(c, a, unit.id)).is_ok(), reach);
            match w.store.read(|c| sites::in_subtree(c, a, unit.id)) {
                Ok(list) => {
                    prop_assert!(reach);
                    let want: Vec<&String> =
                        (0..w.units.len()).filter(|v| w.above(u, *v)).map(|v| &w.codes[v]).collect();
                    let got: Vec<&String> = list.iter().map(|s| &s.code).collect();
                    prop_assert_eq!(got, want, "the subtree of {}", u);
                }
                Err(e) => prop_assert!(!reach && matches!(e, ServerError::Forbidden), "{e}"),
            }
            match w.store.read(|c| filings::rollup_reports(c, a, unit.id)) {
                Ok(reports) => {
                    prop_assert!(reach);
                    // The roll-up page (digests, read on every core) counts the same filings as the workbook.
                    let r = pucha_server::exports::rollup_of(&w.store, scorer(), a, unit.id).unwrap();
                    prop_assert_eq!(r.overall.sites, reports.len() as u64, "roll-up of {}", u);
                    for r in reports {
                        let v: serde_json::Value = serde_json::from_str(&r).unwrap();
                        let site = v["site"]["id"].as_str().unwrap();
                        let i = w.codes.iter().position(|c| c == site).unwrap();
                        prop_assert!(w.above(u, i), "roll-up of {} holds site {}", u, i);
                    }
                }
                Err(e) => prop_assert!(!reach && matches!(e, ServerError::Forbidden), "{e}"),
            }

            // Changes (each tried in a transaction that is rolled back).
            let admin = w.holds(&case, Some(Role::Admin), u);
            let new_unit = NewUnit { name: "N".into(), level: Level::Department, region: String::new() };
            let r = w.trial(|tx| units::create_child(tx, a, unit.id, &new_unit));
            prop_assert_eq!(r.is_ok(), admin, "create under {}", u);
            prop_assert_eq!(refused(&r), !admin);
            let new_account = accounts::NewAccount {
                login: "newbie".into(), display_name: "n".into(), password: "password-123".into(), role: Role::Filer,
            };
            prop_assert_eq!(w.trial(|tx| accounts::create(tx, a, unit.id, &new_account)).is_ok(), admin);
            prop_assert_eq!(w.trial(|tx| sites::reset_check_code(tx, a, code)).is_ok(), admin);
            prop_assert_eq!(w.trial(|tx| units::set_publishes(tx, a, unit.id, true)).is_ok(), admin);

            let files = w.holds(&case, Some(Role::Filer), u) || w.claimed(&case, u);
            let new_filing = NewFiling {
                site: code.clone(), observation: common::observation(), pack: None, submit: false, idempotency_key: None,
            };
            let r = w.trial(|tx| filings::create(tx, a, scorer(), &new_filing));
            prop_assert_eq!(r.is_ok(), files, "file for {}", u);
            prop_assert_eq!(refused(&r), !files);
            let r = w.trial(|tx| filings::act(tx, a, fid, Move::Submit, None));
            prop_assert_eq!(refused(&r), !files, "submit {}", u);
            if files {
                prop_assert_eq!(r.is_ok(), case.moves[u] == 0, "submit only a draft");
            }

            // Review: only a reviewer at exactly the unit whose queue holds the filing.
            let f = w.store.read(|c| filings::get(c, &common::system(&w.units[0]), fid)).unwrap();
            let reviews = !case.public
                && f.queue.as_ref().is_some_and(|q| {
                    case.grants.iter().any(|(g, r)| *r == Role::Reviewer && w.units[*g].path == *q)
                });
            for mv in [Move::Approve, Move::Return] {
                let r = w.trial(|tx| filings::act(tx, a, fid, mv, Some("理由")));
                prop_assert_eq!(r.is_ok(), reviews, "{:?} filing of {} in queue {:?}", mv, u, f.queue);
                prop_assert_eq!(refused(&r), !reviews);
            }
        }
    }
}
