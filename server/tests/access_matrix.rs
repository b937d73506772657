//! The authorisation matrix: every role × every endpoint × the actor's own unit, a unit below it, a sibling and
//! the parent, plus the public → the expected allow or deny, through the HTTP routes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::{Client, Tree};
use pucha_server::access::Role;
use pucha_server::units::Unit;
use pucha_server::workflow::Move;
use serde_json::{Value, json};

/// Where the target sits, seen from the actor's unit (city A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rel {
    /// City A itself.
    Own,
    /// County A1, below it.
    Below,
    /// City B, beside it.
    Sibling,
    /// Province P, above it.
    Above,
}

const RELS: [Rel; 4] = [Rel::Own, Rel::Below, Rel::Sibling, Rel::Above];

/// One row: the endpoint, and for filer, reviewer and admin at city A which relations are allowed (`Y`/`N` in
/// [`RELS`] order); then the public's status.
struct Row {
    name: &'static str,
    filer: &'static str,
    reviewer: &'static str,
    admin: &'static str,
    public: u16,
}

const TABLE: &[Row] = &[
    row("GET unit", "YYNN", "YYNN", "YYNN", 401),
    row("POST unit.units", "NNNN", "NNNN", "YYNN", 401),
    row("POST unit.accounts", "NNNN", "NNNN", "YYNN", 401),
    row("GET unit.sites", "YYNN", "YYNN", "YYNN", 401),
    row("POST unit.sites", "NNNN", "NNNN", "YYNN", 401),
    row("POST unit.publish", "NNNN", "NNNN", "YYNN", 401),
    row("GET unit.queue", "YYNN", "YYNN", "YYNN", 401),
    row("GET unit.filings", "YYNN", "YYNN", "YYNN", 401),
    row("GET unit.audit", "YYNN", "YYNN", "YYNN", 401),
    row("GET unit.feedback", "YYNN", "YYNN", "YYNN", 401),
    row("GET unit.rollup", "YYNN", "YYNN", "YYNN", 401),
    row("GET unit.workbook", "YYNN", "YYNN", "YYNN", 401),
    row("POST account.password", "NNNN", "NNNN", "YYNN", 401),
    row("POST account.grants", "NNNN", "NNNN", "YYNN", 401),
    row("GET site", "YYNN", "YYNN", "YYNN", 401),
    row("POST site.check-code", "NNNN", "NNNN", "YYNN", 401),
    row("POST site.profile", "YYNN", "NNNN", "NNNN", 401),
    row("GET site.filings", "YYNN", "YYNN", "YYNN", 401),
    row("POST claims", "YYYY", "YYYY", "YYYY", 401),
    row("POST filings", "YYNN", "NNNN", "NNNN", 401),
    row("POST filings.import", "YYNN", "NNNN", "NNNN", 401),
    row("GET filing", "YYNN", "YYNN", "YYNN", 401),
    row("GET filing.history", "YYNN", "YYNN", "YYNN", 401),
    row("POST filing.observation", "YYNN", "NNNN", "NNNN", 401),
    row("POST filing.submit", "YYNN", "NNNN", "NNNN", 401),
    // Review: "own" is a filing in city A's queue (a county's), "below" one in county A1's queue (its
    // department's), "sibling" one in city B's, "above" one in the province's (city A's own site): a reviewer
    // acts on its own queue only, level by level.
    row("POST filing.return", "NNNN", "YNNN", "NNNN", 401),
    row("POST filing.approve", "NNNN", "YNNN", "NNNN", 401),
    row("POST filing.resolve", "NNNN", "YNNN", "NNNN", 401),
    row("POST filings.batch", "NNNN", "YNNN", "NNNN", 401),
    row("GET me", "YYYY", "YYYY", "YYYY", 401),
    row("GET public.sites", "YYYY", "YYYY", "YYYY", 200),
    row("POST public.feedback", "YYYY", "YYYY", "YYYY", 200),
];

const fn row(
    name: &'static str,
    filer: &'static str,
    reviewer: &'static str,
    admin: &'static str,
    public: u16,
) -> Row {
    Row {
        name,
        filer,
        reviewer,
        admin,
        public,
    }
}

fn unit_of(t: &Tree, rel: Rel) -> &Unit {
    match rel {
        Rel::Own => &t.a,
        Rel::Below => &t.a1,
        Rel::Sibling => &t.b,
        Rel::Above => &t.p,
    }
}

/// The unit whose site's filing sits, once submitted, in the queue of `rel`'s unit.
fn filer_below(t: &Tree, rel: Rel) -> &Unit {
    match rel {
        Rel::Own => &t.a1,
        Rel::Below => &t.a1d,
        Rel::Sibling => &t.b1,
        Rel::Above => &t.a,
    }
}

/// Make the target and send the request; the status.
async fn call(t: &Tree, r: &Router, c: &Client, name: &str, rel: Rel, n: usize) -> (StatusCode, Value) {
    let u = unit_of(t, rel);
    let id = u.id;
    match name {
        "GET unit" => c.get(r, &format!("/api/units/{id}")).await,
        "POST unit.units" => {
            c.post(
                r,
                &format!("/api/units/{id}/units"),
                &json!({"name": format!("U{n}"), "level": "department"}),
            )
            .await
        }
        "POST unit.accounts" => {
            let body = json!({"login": format!("new{n}"), "display_name": "新", "password": "password-123", "role": "filer"});
            c.post(r, &format!("/api/units/{id}/accounts"), &body).await
        }
        "GET unit.sites" => c.get(r, &format!("/api/units/{id}/sites")).await,
        "POST unit.sites" => {
            let body = json!({"code": format!("bm{:08}", 10_000_000 + n), "name": "新网站"});
            c.post(r, &format!("/api/units/{id}/sites"), &body).await
        }
        "POST unit.publish" => {
            c.post(
                r,
                &format!("/api/units/{id}/publish"),
                &json!({"publishes": true}),
            )
            .await
        }
        "GET unit.queue" => c.get(r, &format!("/api/units/{id}/queue")).await,
        "GET unit.filings" => c.get(r, &format!("/api/units/{id}/filings")).await,
        "GET unit.audit" => c.get(r, &format!("/api/units/{id}/audit")).await,
        "GET unit.feedback" => c.get(r, &format!("/api/units/{id}/feedback")).await,
        "GET unit.rollup" => c.get(r, &format!("/api/units/{id}/rollup")).await,
        "GET unit.workbook" => {
            let (s, _, v) = c
                .raw(
                    r,
                    axum::http::Method::GET,
                    &format!("/api/units/{id}/workbook.xlsx"),
                    None,
                )
                .await;
            (s, v)
        }
        "POST account.password" => {
            let target = t.account(&format!("pw{n}"), Role::Filer, u);
            c.post(
                r,
                &format!("/api/accounts/{target}/password"),
                &json!({"password": "another-password"}),
            )
            .await
        }
        "POST account.grants" => {
            let target = t.account(&format!("gr{n}"), Role::Filer, &t.a1);
            c.post(
                r,
                &format!("/api/accounts/{target}/grants"),
                &json!({"unit_id": id, "role": "reviewer"}),
            )
            .await
        }
        "GET site" => c.get(r, &format!("/api/sites/{}", t.site(u).0)).await,
        "POST site.check-code" => {
            c.post(r, &format!("/api/sites/{}/check-code", t.site(u).0), &json!({}))
                .await
        }
        "POST site.profile" => {
            let code = t.site(u).0;
            c.post(r, &format!("/api/sites/{code}/profile"), &common::profile(&code))
                .await
        }
        "GET site.filings" => c.get(r, &format!("/api/sites/{}/filings", t.site(u).0)).await,
        "POST claims" => {
            let (code, check) = t.site(u);
            c.post(r, "/api/claims", &json!({"site": code, "check_code": check}))
                .await
        }
        "POST filings" => {
            let body = json!({"site": t.site(u).0, "observation": common::observation()});
            c.post(r, "/api/filings", &body).await
        }
        "POST filings.import" => {
            let mut obs = common::observation();
            obs["site"] = json!({"id": t.site(u).0});
            let (s, _, v) = c.raw_text(r, "/api/filings/import", &obs.to_string()).await;
            if s != StatusCode::OK {
                return (s, v);
            }
            let one = &v["results"][0];
            if one["ok"] == true {
                (StatusCode::OK, v)
            } else {
                assert_eq!(one["code"], "forbidden", "{v}");
                (StatusCode::FORBIDDEN, v)
            }
        }
        "GET filing" => c.get(r, &format!("/api/filings/{}", t.filing(u, &[]).0)).await,
        "GET filing.history" => {
            c.get(r, &format!("/api/filings/{}/history", t.filing(u, &[]).0))
                .await
        }
        "POST filing.observation" => {
            let f = t.filing(u, &[]).0;
            c.post(
                r,
                &format!("/api/filings/{f}/observation"),
                &json!({"observation": common::observation()}),
            )
            .await
        }
        "POST filing.submit" => {
            c.post(
                r,
                &format!("/api/filings/{}/submit", t.filing(u, &[]).0),
                &json!({}),
            )
            .await
        }
        "POST filing.return" | "POST filing.approve" | "POST filing.resolve" | "POST filings.batch" => {
            let f = t.filing(filer_below(t, rel), &[Move::Submit]).0;
            match name {
                "POST filing.return" => {
                    c.post(
                        r,
                        &format!("/api/filings/{f}/return"),
                        &json!({"reason": "数据不符"}),
                    )
                    .await
                }
                "POST filing.approve" => c.post(r, &format!("/api/filings/{f}/approve"), &json!({})).await,
                "POST filing.resolve" => {
                    let body = json!({"pointer": "/content_findings/0", "confirm": true});
                    c.post(r, &format!("/api/filings/{f}/resolve"), &body).await
                }
                _ => {
                    let (s, v) = c
                        .post(r, "/api/filings/batch", &json!({"ids": [f], "action": "approve"}))
                        .await;
                    if s != StatusCode::OK {
                        return (s, v);
                    }
                    // A batch answers for each filing on its own: an allowed one is ok, a refused one forbidden.
                    let one = &v["results"][0];
                    if one["ok"] == true {
                        (StatusCode::OK, v)
                    } else {
                        assert_eq!(one["code"], "forbidden", "{v}");
                        (StatusCode::FORBIDDEN, v)
                    }
                }
            }
        }
        "GET me" => c.get(r, "/api/me").await,
        "GET public.sites" => c.get(r, &format!("/api/public/sites?q={}", t.site(u).0)).await,
        "POST public.feedback" => {
            c.post(
                r,
                "/api/public/feedback",
                &json!({"site": t.site(u).0, "body": "首页链接打不开"}),
            )
            .await
        }
        other => panic!("no request for `{other}`"),
    }
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(160).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_reaches_its_subtree_and_nothing_else() {
    let t = Tree::new("matrix");
    let r = t.router();
    let mut clients = Vec::new();
    for role in Role::ALL {
        t.account(role.key(), role, &t.a);
        clients.push((role, Client::login(&r, role.key(), "password-123").await));
    }
    let mut n = 0;
    let mut checked = 0;
    let mut wrong = Vec::new();
    for row in TABLE {
        for (role, client) in &clients {
            let expect = match role {
                Role::Filer => row.filer,
                Role::Reviewer => row.reviewer,
                Role::Admin => row.admin,
            };
            for (rel, want) in RELS.iter().zip(expect.chars()) {
                n += 1;
                let (status, body) = call(&t, &r, client, row.name, *rel, n).await;
                let allowed = status.is_success();
                if allowed != (want == 'Y') || (!allowed && status != StatusCode::FORBIDDEN) {
                    wrong.push(format!(
                        "{} as {:?} on {rel:?}: {status} {}",
                        row.name,
                        role,
                        short(&body)
                    ));
                }
                checked += 1;
            }
        }
        for rel in RELS {
            n += 1;
            let (status, body) = call(&t, &r, &Client::public(), row.name, rel, n).await;
            if status.as_u16() != row.public {
                wrong.push(format!(
                    "{} as the public on {rel:?}: {status} {}",
                    row.name,
                    short(&body)
                ));
            }
            checked += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(checked, TABLE.len() * 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_directory_shows_public_fields_only() {
    let t = Tree::new("public");
    let r = t.router();
    let (code, _) = t.site(&t.a1);
    let (s, v) = Client::public()
        .get(&r, &format!("/api/public/sites?q={code}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let site = &v["sites"][0];
    let mut keys: Vec<&str> = site.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["authority", "code", "homepage", "name", "region", "verdict"]
    );
    assert!(v.to_string().find("check_code").is_none() && v.to_string().find("profile").is_none());
}
