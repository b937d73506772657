//! API tokens: shown once, stored hashed, scoped to one role at one unit, no CSRF without a cookie, expiry and
//! revocation, and no more than the account still holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

mod common;

use axum::http::StatusCode;
use common::{Client, Tree};
use pucha_server::access::Role;
use serde_json::json;

fn bearer(secret: &str) -> Client {
    let mut c = Client::public();
    c.bearer = Some(secret.to_owned());
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_acts_with_its_one_role_until_revoked() {
    let t = Tree::new("tokens");
    let r = t.router();
    let id = t.account("province", Role::Reviewer, &t.a);
    t.store()
        .write(|tx| pucha_server::accounts::add_grant(tx, &common::system(&t.p), id, t.a.id, Role::Admin))
        .unwrap();
    let me = Client::login(&r, "province", "password-123").await;

    // Only a role the account holds there, for 1–366 days.
    let (s, _) = me
        .post(
            &r,
            "/api/tokens",
            &json!({"name": "sync", "unit_id": t.p.id, "role": "reviewer", "days": 30}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no role at the province");
    let (s, v) = me
        .post(
            &r,
            "/api/tokens",
            &json!({"name": "sync", "unit_id": t.a1.id, "role": "reviewer", "days": 0}),
        )
        .await;
    assert_eq!((s, v["field"].as_str()), (StatusCode::BAD_REQUEST, Some("days")));
    let (s, v) = me
        .post(
            &r,
            "/api/tokens",
            &json!({"name": "省平台同步", "unit_id": t.a.id, "role": "reviewer", "days": 30}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let secret = v["secret"].as_str().unwrap().to_owned();
    let token_id = v["token"]["id"].as_i64().unwrap();
    assert!(secret.starts_with("pucha_") && secret.len() > 60);
    let (_, listed) = me.get(&r, "/api/tokens").await;
    assert!(!listed.to_string().contains(&secret), "never shown again");
    let stored: Vec<u8> = t
        .store()
        .read(|c| Ok(c.query_row("SELECT hash FROM tokens WHERE id = ?1", [token_id], |r| r.get(0))?))
        .unwrap();
    assert_eq!(stored.len(), 32);

    // The script: reads its subtree and reviews its queue, with no CSRF token, but cannot act as an admin
    // (the account is one, the token is not) nor make tokens.
    let script = bearer(&secret);
    assert_eq!(
        script.get(&r, &format!("/api/units/{}/queue", t.a.id)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        script.get(&r, &format!("/api/units/{}", t.b.id)).await.0,
        StatusCode::FORBIDDEN
    );
    let f = t.filing(&t.a1, &[pucha_server::workflow::Move::Submit]).0;
    let (s, v) = script
        .post(&r, &format!("/api/filings/{f}/approve"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = script
        .post(
            &r,
            &format!("/api/units/{}/units", t.a.id),
            &json!({"name": "x", "level": "department"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the token holds the reviewer role only");
    let (s, _) = script
        .post(
            &r,
            "/api/tokens",
            &json!({"name": "n", "unit_id": t.a.id, "role": "reviewer", "days": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "tokens do not make tokens");
    assert_eq!(
        bearer("pucha_0000").get(&r, "/api/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    // Pages never take a token.
    let (s, h, _) = script
        .raw(&r, axum::http::Method::GET, &format!("/units/{}", t.a.id), None)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{h:?}");

    // Revoked, it stops at once; the use was logged.
    let (s, _) = me
        .post(&r, &format!("/api/tokens/{token_id}/revoke"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        script.get(&r, &format!("/api/units/{}/queue", t.a.id)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let uses: i64 = t
        .store()
        .read(|c| {
            Ok(
                c.query_row("SELECT count(*) FROM audit WHERE action = 'token_use'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(uses, 1, "logged once an hour at most");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_ends_with_its_role_and_its_expiry() {
    let t = Tree::new("token-expiry");
    let r = t.router();
    t.account("rev", Role::Reviewer, &t.a);
    let me = Client::login(&r, "rev", "password-123").await;
    let (_, v) = me
        .post(
            &r,
            "/api/tokens",
            &json!({"name": "a", "unit_id": t.a.id, "role": "reviewer", "days": 1}),
        )
        .await;
    let script = bearer(v["secret"].as_str().unwrap());
    assert_eq!(script.get(&r, "/api/me").await.0, StatusCode::OK);
    t.store()
        .write(|tx| Ok(tx.execute("UPDATE tokens SET expires_at = 0", [])?))
        .unwrap();
    assert_eq!(
        script.get(&r, "/api/me").await.0,
        StatusCode::UNAUTHORIZED,
        "expired"
    );
    t.store()
        .write(|tx| Ok(tx.execute("UPDATE tokens SET expires_at = 99999999999", [])?))
        .unwrap();
    assert_eq!(script.get(&r, "/api/me").await.0, StatusCode::OK);
    t.store()
        .write(|tx| Ok(tx.execute("DELETE FROM grants", [])?))
        .unwrap();
    assert_eq!(
        script.get(&r, "/api/me").await.0,
        StatusCode::UNAUTHORIZED,
        "the account lost the role"
    );
}
