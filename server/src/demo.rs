//! `pucha serve --demo`: a province with two cities, four counties, thirty sites, an account for each role at
//! each level, and filings at every stage, so a newcomer can walk the whole workflow at once.

use crate::access::{Actor, Role};
use crate::accounts::{self, NewAccount};
use crate::error::Result;
use crate::filings::{self, NewFiling};
use crate::scoring::Scorer;
use crate::secret;
use crate::sites::{self, NewSite};
use crate::store::Store;
use crate::units::{self, Level, NewUnit, Unit};
use crate::workflow::Move;
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};

/// A login the demo made, printed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// 登录名.
    pub login: String,
    /// The random password.
    pub password: String,
    /// The role.
    pub role: Role,
    /// The unit it is held at.
    pub unit: String,
}

/// The units: (name, level, region, parent's index).
const UNITS: &[(&str, Level, &str, Option<usize>)] = &[
    ("示例省人民政府办公厅", Level::Province, "示例省", None),
    ("甲市人民政府办公室", Level::City, "示例省甲市", Some(0)),
    ("乙市人民政府办公室", Level::City, "示例省乙市", Some(0)),
    ("甲市东县人民政府办公室", Level::County, "示例省甲市东县", Some(1)),
    ("甲市西县人民政府办公室", Level::County, "示例省甲市西县", Some(1)),
    ("乙市南县人民政府办公室", Level::County, "示例省乙市南县", Some(2)),
    ("乙市北县人民政府办公室", Level::County, "示例省乙市北县", Some(2)),
];

/// The accounts: (login, name, role, unit index).
const ACCOUNTS: &[(&str, &str, Role, usize)] = &[
    ("admin", "省管理员", Role::Admin, 0),
    ("sheng-shenhe", "省审核员", Role::Reviewer, 0),
    ("sheng-tianbao", "省填报员", Role::Filer, 0),
    ("jia-shenhe", "甲市审核员", Role::Reviewer, 1),
    ("jia-tianbao", "甲市填报员", Role::Filer, 1),
    ("yi-shenhe", "乙市审核员", Role::Reviewer, 2),
    ("yi-tianbao", "乙市填报员", Role::Filer, 2),
    ("dong-tianbao", "东县填报员", Role::Filer, 3),
    ("xi-tianbao", "西县填报员", Role::Filer, 4),
    ("nan-tianbao", "南县填报员", Role::Filer, 5),
    ("bei-tianbao", "北县填报员", Role::Filer, 6),
];

/// Sites per unit, in [`UNITS`] order: 4 + 5 + 5 + 4 × 4 = 30.
const SITES_PER_UNIT: [usize; 7] = [4, 5, 5, 4, 4, 4, 4];

/// A week-long observation of demo site `i` at `point`: the numbers vary so the roll-up has passes, fails and
/// an undetermined site.
pub fn observation(i: usize, point: NaiveDate) -> Value {
    let back = |d: u64| point.checked_sub_days(Days::new(d)).unwrap_or(point).to_string();
    let failures = [0, 3, 9, 40, 1][i % 5];
    let updates = [14, 3, 22, 9, 0][i % 5];
    let mut obs = json!({
        "schema": "pucha.observation/1",
        "monitoring_point": point.to_string(),
        "availability": {"visits": 672, "failures": failures, "days": 7},
        "links": {"homepage_broken": i % 4, "other_broken": (i * 7) % 40},
        "homepage": {"updates_in_window": updates},
        "columns": [
            {"name": "工作动态", "category": "dynamics", "on_homepage": true, "last_published": back(3 + (i % 3) as u64)},
            {"name": "通知公告", "category": "notice", "on_homepage": true, "last_published": back(16 + (i % 4) as u64 * 10)},
            {"name": "政策文件", "category": "policy", "last_published": back(120 + (i % 6) as u64 * 60)},
            {"name": "规划计划", "category": "plan", "item_count": i % 3}
        ],
        "interaction": {
            "consultation": {"exists": true, "valid_messages": 30 + i, "overdue_messages": i % 3},
            "survey": {"exists": true, "activities": i % 5},
            "interview": if i.is_multiple_of(4) { json!({"exists": false}) } else { json!({"exists": true, "activities": i % 3}) }
        },
        "services": {"missing_element_categories": i % 4, "attachments_not_offered": i % 3,
                     "attachments_broken": 0, "online_systems_unreachable": 0},
        "content_findings": []
    });
    if i % 7 == 3 {
        // An undetermined site: the links were not counted.
        obs["links"] = json!({});
    }
    if i % 9 == 4 {
        obs["content_findings"] = json!([{"kind": "serious_typo", "url": "/xxgk/2015/notice-17.html",
            "excerpt": "国务院办公厅关于印发〈政府网站发展指引〉的通知（错字：发屏）", "confirmed": false}]);
    }
    obs
}

/// The seeding's own actor: the root's 管理 role, no account (the audit log shows the system).
fn admin_of(root: &Unit) -> Actor {
    Actor {
        account: None,
        grants: vec![crate::access::Grant {
            role: Role::Admin,
            unit: root.path.clone(),
        }],
        claims: Vec::new(),
    }
}

/// Seed the demo into an empty database, in one transaction; `None` when it already has a tree (the passwords were printed when it
/// was made).
///
/// # Errors
/// `storage`, or a demo record the checks refuse (a bug).
pub fn seed(store: &Store, scorer: &Scorer, point: NaiveDate) -> Result<Option<Vec<DemoLogin>>> {
    if store.read(units::root)?.is_some() {
        return Ok(None);
    }
    let mut made: Vec<Unit> = Vec::new();
    let mut logins = Vec::new();
    let mut account_ids = Vec::new();
    store.write(|tx| {
        for (name, level, region, parent) in UNITS {
            let new = NewUnit {
                name: (*name).into(),
                level: *level,
                region: (*region).into(),
            };
            let unit = match parent.and_then(|p| made.get(p)) {
                None => units::create_root(tx, &new)?,
                Some(p) => {
                    let admin = admin_of(&made[0]);
                    units::create_child(tx, &admin, p.id, &new)?
                }
            };
            made.push(unit);
        }
        // Every demo unit publishes its sites' approved verdicts in the public directory.
        tx.execute("UPDATE units SET publishes = 1", [])?;
        let root_admin = admin_of(&made[0]);
        for (login, name, role, unit) in ACCOUNTS {
            let password = secret::random_hex(8);
            let new = NewAccount {
                login: (*login).into(),
                display_name: (*name).into(),
                password: password.clone(),
                role: *role,
            };
            let acc = accounts::create(tx, &root_admin, made[*unit].id, &new)?;
            account_ids.push((acc.id, *role, *unit));
            logins.push(DemoLogin {
                login: (*login).into(),
                password,
                role: *role,
                unit: made[*unit].name.clone(),
            });
        }
        let mut n = 0;
        for (u, count) in SITES_PER_UNIT.iter().enumerate() {
            for k in 0..*count {
                n += 1;
                let short = made[u]
                    .name
                    .trim_end_matches("人民政府办公厅")
                    .trim_end_matches("人民政府办公室");
                let name = if k == 0 {
                    format!("{short}人民政府门户网站")
                } else {
                    format!("{short}第{k}部门网站")
                };
                let new = NewSite {
                    code: format!("51000000{n:02}"),
                    name,
                    homepage: format!("http://www{n}.demo.example.gov.cn/"),
                    kind: Some(if k == 0 { "portal" } else { "other" }.into()),
                    region: String::new(),
                    department: if k == 0 {
                        String::new()
                    } else {
                        format!("第{k}部门")
                    },
                    authority: String::new(),
                };
                sites::create(tx, &root_admin, made[u].id, &new)?;
            }
        }
        file_demo_filings(tx, scorer, point, &account_ids)
    })?;
    Ok(Some(logins))
}

/// Filings at every stage: county sites filed by their county's filer; most submitted; the first city's
/// reviewer passed some up, the province approved a few; one returned with a reason.
fn file_demo_filings(
    tx: &rusqlite::Connection,
    scorer: &Scorer,
    point: NaiveDate,
    accounts: &[(i64, Role, usize)],
) -> Result<()> {
    let actor = |role: Role, unit: usize| -> Result<Actor> {
        let id = accounts
            .iter()
            .find(|(_, r, u)| *r == role && *u == unit)
            .map_or(0, |a| a.0);
        accounts::actor(tx, id)
    };
    let mut n = 0;
    for (u, count) in SITES_PER_UNIT.iter().enumerate() {
        for k in 0..*count {
            n += 1;
            if u < 3 {
                continue;
            }
            let filer = actor(Role::Filer, u)?;
            let city = UNITS[u].3.unwrap_or(0);
            let new = NewFiling {
                site: format!("51000000{n:02}"),
                observation: observation(n, point),
                pack: None,
                submit: k != 3,
                idempotency_key: None,
            };
            let (f, _) = filings::create(tx, &filer, scorer, &new)?;
            // 乙市 keeps its counties' filings in its queue, and so does 甲市 one of 西县's.
            if k == 3 || city != 1 || (u == 4 && k == 1) {
                continue;
            }
            let reviewer = actor(Role::Reviewer, city)?;
            if k == 2 {
                let reason = "首页信息更新数量与报送数据不符，请核实后重新报送";
                filings::act(tx, &reviewer, f.id, Move::Return, Some(reason))?;
                continue;
            }
            filings::act(tx, &reviewer, f.id, Move::Approve, None)?;
            if k == 0 {
                let province = actor(Role::Reviewer, 0)?;
                filings::act(tx, &province, f.id, Move::Approve, None)?;
            }
        }
    }
    Ok(())
}
