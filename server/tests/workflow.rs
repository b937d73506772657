//! The workflow through the API: the whole climb from a county to the root, every illegal move refused, a
//! returned filing keeping its history, suspected serious errors resolved and re-scored on the spot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

mod common;

use axum::http::StatusCode;
use common::{Client, Tree};
use pucha_server::access::Role;
use serde_json::{Value, json};

async fn state(r: &axum::Router, c: &Client, id: i64) -> (String, Value) {
    let (s, v) = c.get(r, &format!("/api/filings/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (
        v["filing"]["state"].as_str().unwrap().to_owned(),
        v["filing"].clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_county_filing_is_returned_fixed_and_approved_level_by_level() {
    let t = Tree::new("workflow");
    let r = t.router();
    let (code, _) = t.site(&t.a1);
    t.account("county-filer", Role::Filer, &t.a1);
    t.account("city-reviewer", Role::Reviewer, &t.a);
    t.account("province-reviewer", Role::Reviewer, &t.p);
    let filer = Client::login(&r, "county-filer", "password-123").await;
    let city = Client::login(&r, "city-reviewer", "password-123").await;
    let province = Client::login(&r, "province-reviewer", "password-123").await;

    let (s, v) = filer
        .post(
            &r,
            "/api/filings",
            &json!({"site": code, "observation": common::observation()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["filing"]["id"].as_i64().unwrap();
    assert_eq!(v["filing"]["state"], "draft");
    assert_eq!(v["filing"]["report"]["schema"], "pucha.report/1");
    assert_eq!(
        v["filing"]["report"]["site"]["id"],
        code.as_str(),
        "the registered code is filled in"
    );

    // Illegal moves from a draft: no review, no approval.
    for action in ["approve", "return"] {
        let (s, v) = city
            .post(
                &r,
                &format!("/api/filings/{id}/{action}"),
                &json!({"reason": "x"}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "{action} a draft outside any queue: {v}"
        );
    }
    let (s, _) = filer
        .post(&r, &format!("/api/filings/{id}/submit"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (st, f) = state(&r, &filer, id).await;
    assert_eq!(
        (st.as_str(), f["queue"].as_str()),
        ("submitted", Some(t.a.path.as_str()))
    );

    // Submitted: the filer can neither submit again nor edit; the province cannot jump the city.
    let (s, v) = filer
        .post(&r, &format!("/api/filings/{id}/submit"), &json!({}))
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("illegal_move"))
    );
    let (s, v) = filer
        .post(
            &r,
            &format!("/api/filings/{id}/observation"),
            &json!({"observation": common::observation()}),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("illegal_move"))
    );
    let (s, _) = province
        .post(&r, &format!("/api/filings/{id}/approve"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // A return needs a reason, which the filer then sees.
    let (s, v) = city
        .post(&r, &format!("/api/filings/{id}/return"), &json!({}))
        .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason"))
    );
    let reason = "首页错链数与监测不符，请核实";
    let (s, _) = city
        .post(
            &r,
            &format!("/api/filings/{id}/return"),
            &json!({"reason": reason}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (st, f) = state(&r, &filer, id).await;
    assert_eq!(
        (st.as_str(), f["return_reason"].as_str()),
        ("returned", Some(reason))
    );

    // Fixed and resubmitted: it starts again at the first level.
    let mut fixed = common::observation();
    fixed["links"]["homepage_broken"] = json!(0);
    let (s, v) = filer
        .post(
            &r,
            &format!("/api/filings/{id}/observation"),
            &json!({"observation": fixed}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    filer
        .post(&r, &format!("/api/filings/{id}/submit"), &json!({}))
        .await;
    let (st, f) = state(&r, &city, id).await;
    assert_eq!(
        (st.as_str(), f["queue"].as_str()),
        ("resubmitted", Some(t.a.path.as_str()))
    );

    // The city reviewer resolves the suspected error (rejects it) and the report changes on the spot.
    assert_eq!(f["suspects"].as_array().unwrap().len(), 1);
    assert_eq!(
        f["report"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "serious-error")
            .unwrap()["status"],
        "needs_review"
    );
    let body = json!({"pointer": "/content_findings/0", "confirm": false});
    let (s, v) = city.post(&r, &format!("/api/filings/{id}/resolve"), &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let rule = v["filing"]["report"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "serious-error")
        .unwrap()
        .clone();
    assert_eq!(rule["status"], "passed");

    // City approves: to the province's queue; the province approves: approved at the root.
    let (s, _) = city
        .post(&r, &format!("/api/filings/{id}/approve"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (st, f) = state(&r, &province, id).await;
    assert_eq!(
        (st.as_str(), f["queue"].as_str()),
        ("resubmitted", Some(t.p.path.as_str()))
    );
    let (s, v) = province.get(&r, &format!("/api/units/{}/queue", t.p.id)).await;
    assert_eq!((s, v["filings"].as_array().unwrap().len()), (StatusCode::OK, 1));
    let (s, _) = province
        .post(&r, &format!("/api/filings/{id}/approve"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (st, f) = state(&r, &province, id).await;
    assert_eq!((st.as_str(), f["queue"].is_null()), ("approved", true));

    // Approved is final.
    for (who, action) in [(&province, "approve"), (&province, "return"), (&filer, "submit")] {
        let (s, v) = who
            .post(
                &r,
                &format!("/api/filings/{id}/{action}"),
                &json!({"reason": "x"}),
            )
            .await;
        assert!(
            s == StatusCode::CONFLICT || s == StatusCode::FORBIDDEN,
            "{action} after approval: {s} {v}"
        );
    }

    // The history keeps every step, with who, from, to and the reason.
    let (_, h) = filer.get(&r, &format!("/api/filings/{id}/history")).await;
    let steps: Vec<(String, String, String)> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_owned();
            (s("action"), s("who"), s("to_state"))
        })
        .collect();
    let want = [
        ("create", "county-filer", "draft"),
        ("submit", "county-filer", "submitted"),
        ("return", "city-reviewer", "returned"),
        ("edit", "county-filer", "returned"),
        ("submit", "county-filer", "resubmitted"),
        ("resolve", "city-reviewer", "resubmitted"),
        ("approve", "city-reviewer", "resubmitted"),
        ("approve", "province-reviewer", "approved"),
    ];
    let got: Vec<(&str, &str, &str)> = steps
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(h["history"][2]["reason"], reason);

    // The province's roll-up and workbook now hold it; the city's roll-up too.
    let (_, roll) = province.get(&r, &format!("/api/units/{}/rollup", t.p.id)).await;
    assert_eq!(roll["overall"]["sites"], 1, "{roll}");
    let (s, headers, _) = province
        .raw(
            &r,
            axum::http::Method::GET,
            &format!("/api/units/{}/workbook.xlsx", t.p.id),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_acts_on_each_filing_alone() {
    let t = Tree::new("batch");
    let r = t.router();
    t.account("rev", Role::Reviewer, &t.a);
    let rev = Client::login(&r, "rev", "password-123").await;
    let queued = t.filing(&t.a1, &[pucha_server::workflow::Move::Submit]).0;
    let draft = t.filing(&t.a1, &[]).0;
    let elsewhere = t.filing(&t.b1, &[pucha_server::workflow::Move::Submit]).0;
    let body = json!({"ids": [queued, draft, elsewhere, 999_999], "action": "approve"});
    let (s, v) = rev.post(&r, "/api/filings/batch", &body).await;
    assert_eq!(s, StatusCode::OK);
    let codes: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(codes, ["ok", "forbidden", "forbidden", "not_found"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_observations_are_refused_with_the_field_named() {
    let t = Tree::new("badobs");
    let r = t.router();
    let (code, _) = t.site(&t.a1);
    t.account("filer", Role::Filer, &t.a1);
    let filer = Client::login(&r, "filer", "password-123").await;
    let cases = [
        (
            json!({"monitoring_point": "2015-02-30"}),
            "observation.monitoring_point",
        ),
        (
            json!({"monitoring_point": "2015-06-30", "links": {"homepage_broken": -1}}),
            "observation.links.homepage_broken",
        ),
        (
            json!({"monitoring_point": "2015-06-30", "site": {"id": "9999999999"}}),
            "observation.site.id",
        ),
        (json!([1, 2]), "observation"),
    ];
    for (obs, field) in cases {
        let (s, v) = filer
            .post(&r, "/api/filings", &json!({"site": code, "observation": obs}))
            .await;
        assert_eq!(
            (s, v["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("bad_input")),
            "{v}"
        );
        assert_eq!(v["field"], field, "{v}");
    }
    let (s, v) = filer
        .post(
            &r,
            "/api/filings",
            &json!({"site": code, "observation": {}, "extra": 1}),
        )
        .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("extra"), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_stores_a_submission_once() {
    let t = Tree::new("idem");
    let r = t.router();
    let (code, _) = t.site(&t.a1);
    t.account("filer", Role::Filer, &t.a1);
    let filer = Client::login(&r, "filer", "password-123").await;
    let body =
        json!({"site": code, "observation": common::observation(), "submit": true, "idempotency_key": "k-1"});
    let (s1, v1) = filer.post(&r, "/api/filings", &body).await;
    let (s2, v2) = filer.post(&r, "/api/filings", &body).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(v1["filing"]["id"], v2["filing"]["id"]);
    assert_eq!(v2["replayed"], true);
    let mut other = body.clone();
    other["observation"]["links"]["other_broken"] = json!(99);
    let (s3, v3) = filer.post(&r, "/api/filings", &other).await;
    assert_eq!(
        (s3, v3["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let (_, list) = filer.get(&r, &format!("/api/sites/{code}/filings")).await;
    assert_eq!(list["filings"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaigns_observations_are_imported_line_by_line() {
    let t = Tree::new("import");
    let r = t.router();
    let (mine, _) = t.site(&t.a1);
    let (theirs, _) = t.site(&t.b1);
    t.account("filer", Role::Filer, &t.a);
    let filer = Client::login(&r, "filer", "password-123").await;
    let mut ok = common::observation();
    ok["site"] = json!({"id": mine, "name": "x"});
    let mut other = common::observation();
    other["site"] = json!({"id": theirs, "name": "y"});
    let body = format!(
        "{}\n\n{{not json\n{}\n{}\n",
        ok,
        json!({"monitoring_point": "2026-11-30"}),
        other
    );
    let (s, _, v) = filer.raw_text(&r, "/api/filings/import?submit=true", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let lines: Vec<(i64, bool, String)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_i64().unwrap(),
                x["ok"] == true,
                x["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (1, true, String::new()),
            (3, false, "bad_input".into()),
            (4, false, "bad_input".into()),
            (5, false, "forbidden".into())
        ]
    );
    assert_eq!(v["results"][0]["state"], "submitted");
    assert_eq!(v["results"][2]["field"], "observation.site.id");
    // Sent again, the good line returns the filing it made.
    let (_, _, again) = filer.raw_text(&r, "/api/filings/import?submit=true", &body).await;
    assert_eq!(again["results"][0]["id"], v["results"][0]["id"]);
    assert_eq!(again["results"][0]["replayed"], true);
}
