//! Sessions, CSRF, Host and Origin checks, headers, throttling, 校验码 and size limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests")]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{Client, Tree};
use pucha_server::access::Role;
use serde_json::json;
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_login_and_a_wrong_password_look_the_same_and_back_off() {
    let t = Tree::new("login");
    let r = t.router();
    t.account("someone", Role::Filer, &t.a1);
    let c = Client::public();
    let (s1, v1) = c
        .post(
            &r,
            "/api/login",
            &json!({"login": "someone", "password": "wrong-password"}),
        )
        .await;
    let (s2, v2) = c
        .post(
            &r,
            "/api/login",
            &json!({"login": "nobody", "password": "wrong-password"}),
        )
        .await;
    assert_eq!((s1, &v1), (s2, &v2));
    assert_eq!(s1, StatusCode::BAD_REQUEST);
    for _ in 0..4 {
        c.post(
            &r,
            "/api/login",
            &json!({"login": "someone", "password": "wrong-password"}),
        )
        .await;
    }
    let (s, headers, v) = c
        .raw(
            &r,
            Method::POST,
            "/api/login",
            Some(&json!({"login": "someone", "password": "password-123"})),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("throttled")),
        "{v}"
    );
    assert!(headers.contains_key("retry-after"));
    // From another address, another account still signs in: no one can lock reviewers out.
    t.account("other", Role::Reviewer, &t.a);
    Client::login(&r, "other", "password-123").await;
    // The audit log has the failures.
    let root = t
        .store()
        .read(|c| pucha_server::accounts::verify(c, "someone", "password-123"))
        .unwrap();
    assert!(root.is_some());
    let failed: i64 = t
        .store()
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit WHERE action = 'login_failed'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(failed, 5, "the sixth try was held back before checking");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_new_at_login_and_end_at_logout_password_and_role_changes() {
    let t = Tree::new("sessions");
    let r = t.router();
    let id = t.account("filer", Role::Filer, &t.a1);
    t.account("boss", Role::Admin, &t.a);
    let one = Client::login(&r, "filer", "password-123").await;
    let two = Client::login(&r, "filer", "password-123").await;
    assert_ne!(one.cookie, two.cookie);
    assert_eq!(one.get(&r, "/api/me").await.0, StatusCode::OK);
    let (s, _) = one.post(&r, "/api/logout", &json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(one.get(&r, "/api/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        two.get(&r, "/api/me").await.0,
        StatusCode::OK,
        "logout ends one session only"
    );

    // A role change ends the account's sessions.
    let boss = Client::login(&r, "boss", "password-123").await;
    let (s, v) = boss
        .post(
            &r,
            &format!("/api/accounts/{id}/grants"),
            &json!({"unit_id": t.a1.id, "role": "reviewer"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(two.get(&r, "/api/me").await.0, StatusCode::UNAUTHORIZED);

    // So does a password change, and a short password is refused.
    let three = Client::login(&r, "filer", "password-123").await;
    let (s, v) = three
        .post(
            &r,
            &format!("/api/accounts/{id}/password"),
            &json!({"password": "short"}),
        )
        .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("password"))
    );
    let (s, _) = three
        .post(
            &r,
            &format!("/api/accounts/{id}/password"),
            &json!({"password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(three.get(&r, "/api/me").await.0, StatusCode::UNAUTHORIZED);
    Client::login(&r, "filer", "a-new-long-password").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changes_need_the_csrf_token_and_this_origin() {
    let t = Tree::new("csrf");
    let r = t.router();
    t.account("admin", Role::Admin, &t.a);
    let admin = Client::login(&r, "admin", "password-123").await;
    let body = json!({"name": "新部门", "level": "department"});
    let no_token = Client {
        csrf: None,
        ..admin.clone()
    };
    let (s, v) = no_token
        .post(&r, &format!("/api/units/{}/units", t.a.id), &body)
        .await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::FORBIDDEN, Some("csrf")));
    let wrong = Client {
        csrf: Some("0".repeat(64)),
        ..admin.clone()
    };
    assert_eq!(
        wrong
            .post(&r, &format!("/api/units/{}/units", t.a.id), &body)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin
            .post(&r, &format!("/api/units/{}/units", t.a.id), &body)
            .await
            .0,
        StatusCode::OK
    );

    // Another Host (DNS rebinding) and another Origin are refused before anything else.
    let req = |host: &str, origin: Option<&str>| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri("/api/public/feedback")
            .header("host", host)
            .header("content-type", "application/json");
        if let Some(o) = origin {
            b = b.header("origin", o);
        }
        b.body(Body::from(json!({"site": "x", "body": "y"}).to_string()))
            .unwrap()
    };
    let status = |req: Request<Body>| async { r.clone().oneshot(req).await.unwrap().status() };
    assert_eq!(status(req("evil.example", None)).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status(req("127.0.0.1:1", Some("http://evil.example"))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(req("127.0.0.1:1", Some("http://127.0.0.1:1"))).await,
        StatusCode::NOT_FOUND,
        "no site `x`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_cookies_are_strict() {
    let t = Tree::new("headers");
    let r = t.router();
    t.account("someone", Role::Filer, &t.a1);
    let (_, headers, _) = Client::public()
        .raw(
            &r,
            Method::POST,
            "/api/login",
            Some(&json!({"login": "someone", "password": "password-123"})),
        )
        .await;
    let cookie = headers["set-cookie"].to_str().unwrap();
    for part in ["pucha_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let csp = headers["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(!headers.contains_key("strict-transport-security"));

    // Behind TLS: the __Host- prefix, Secure, HSTS.
    let dir = common::TempDir::new("secure");
    let store = pucha_server::store::Store::open(dir.path().join("s.sqlite")).unwrap();
    let settings = pucha_server::http::Settings {
        hosts: vec![],
        secure: true,
        widget: None,
    };
    let app = pucha_server::app(store, settings).unwrap();
    let (_, h, _) = Client::public()
        .raw(&pucha_server::router(app.clone()), Method::GET, "/api/me", None)
        .await;
    assert!(h.contains_key("strict-transport-security"));
    assert_eq!(app.cookie_name(), "__Host-pucha_session");
    assert!(pucha_server::http::session_cookie(&app, "v").contains("; Secure"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_codes_are_one_time_secrets_that_a_reset_revokes() {
    let t = Tree::new("claims");
    let r = t.router();
    let (code, check) = t.site(&t.b1);
    t.account("filer", Role::Filer, &t.a1);
    t.account("b-admin", Role::Admin, &t.b);
    let filer = Client::login(&r, "filer", "password-123").await;
    let obs = json!({"site": code, "observation": common::observation()});
    assert_eq!(
        filer.post(&r, "/api/filings", &obs).await.0,
        StatusCode::FORBIDDEN
    );
    let (s1, v1) = filer
        .post(
            &r,
            "/api/claims",
            &json!({"site": code, "check_code": "WRONGWRONGWRONG2"}),
        )
        .await;
    let (s2, v2) = filer
        .post(
            &r,
            "/api/claims",
            &json!({"site": "5999999999", "check_code": "WRONGWRONGWRONG2"}),
        )
        .await;
    assert_eq!(
        (s1, &v1),
        (s2, &v2),
        "an unknown site and a wrong code answer alike"
    );
    let (s, v) = filer
        .post(&r, "/api/claims", &json!({"site": code, "check_code": check}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // The claim lets the filer file for the site, though it sits in another city.
    assert_eq!(filer.post(&r, "/api/filings", &obs).await.0, StatusCode::CREATED);
    // A reset revokes the old code and the claims made with it.
    let admin = Client::login(&r, "b-admin", "password-123").await;
    let (s, v) = admin
        .post(&r, &format!("/api/sites/{code}/check-code"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_ne!(v["check_code"].as_str().unwrap(), check);
    let again = Client::login(&r, "filer", "password-123").await;
    assert_eq!(
        again.post(&r, "/api/filings", &obs).await.0,
        StatusCode::FORBIDDEN
    );
    let stored: Vec<u8> = t
        .store()
        .read(|c| {
            Ok(c.query_row(
                "SELECT check_code_hash FROM sites WHERE code = ?1",
                [&code],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(stored.len(), 32, "only a SHA-256 is stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_capped_and_the_public_side_is_rate_limited() {
    let t = Tree::new("limits");
    let r = t.router();
    let (code, _) = t.site(&t.a1);
    let big = json!({"site": code, "body": "x".repeat(9 << 20)});
    let (s, _) = Client::public().post(&r, "/api/public/feedback", &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "over the body limit");
    let c = Client::public();
    for i in 0..pucha_server::api::MESSAGES_PER_MINUTE {
        let (s, v) = c
            .post(
                &r,
                "/api/public/feedback",
                &json!({"site": code, "body": format!("留言 {i}")}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, v) = c
        .post(
            &r,
            "/api/public/feedback",
            &json!({"site": code, "body": "再一条"}),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("throttled"))
    );
    // The messages land in the owning unit's subtree and nowhere else.
    t.account("a-reader", Role::Reviewer, &t.a);
    t.account("b-reader", Role::Reviewer, &t.b);
    let a = Client::login(&r, "a-reader", "password-123").await;
    let (_, v) = a.get(&r, &format!("/api/units/{}/feedback", t.a.id)).await;
    assert_eq!(
        v["feedback"].as_array().unwrap().len(),
        pucha_server::api::MESSAGES_PER_MINUTE as usize
    );
    let b = Client::login(&r, "b-reader", "password-123").await;
    let (_, v) = b.get(&r, &format!("/api/units/{}/feedback", t.b.id)).await;
    assert_eq!(v["feedback"].as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_forms_need_the_session_token_as_a_field() {
    let t = Tree::new("forms");
    let r = t.router();
    t.account("admin", Role::Admin, &t.a);
    let admin = Client::login(&r, "admin", "password-123").await;
    let post = |body: String| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(format!("/units/{}/units", t.a.id))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = &admin.cookie {
            b = b.header("cookie", c);
        }
        b.body(Body::from(body)).unwrap()
    };
    let csrf = admin.csrf.clone().unwrap();
    let without = r
        .clone()
        .oneshot(post("name=x&level=department".into()))
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let with = r
        .clone()
        .oneshot(post(format!("name=x&level=department&csrf={csrf}")))
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::SEE_OTHER, "created, then shown");
    // Pages for the public: the directory renders; a signed-in page sends the public to the login page.
    let public = Client::public();
    let (_, h, _) = public
        .raw(&r, Method::GET, &format!("/units/{}", t.a.id), None)
        .await;
    assert!(h["location"].to_str().unwrap().starts_with("/login?back=/units/"));
    let (s, h, _) = public.raw(&r, Method::GET, "/public?q=%3Cscript%3E", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_changes_only_accounts_wholly_in_reach_and_login_returns_where_it_was_asked() {
    let t = Tree::new("grants");
    let r = t.router();
    let filer = t.account("a1-filer", Role::Filer, &t.a1);
    t.account("b-admin", Role::Admin, &t.b);
    let b = Client::login(&r, "b-admin", "password-123").await;
    // A role at B for A1's filer would end the filer's sessions from another city: refused.
    let (s, _) = b
        .post(
            &r,
            &format!("/api/accounts/{filer}/grants"),
            &json!({"unit_id": t.b.id, "role": "filer"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let a1 = Client::login(&r, "a1-filer", "password-123").await;
    assert_eq!(a1.get(&r, "/api/me").await.0, StatusCode::OK);

    let form = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "login=a1-filer&password=password-123&back=%2Funits%2F{}",
            t.a1.id
        )))
        .unwrap();
    let resp = r.clone().oneshot(form).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], format!("/units/{}", t.a1.id).as_str());
    let evil = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            "login=a1-filer&password=password-123&back=%2F%2Fevil.example%2F",
        ))
        .unwrap();
    assert_eq!(r.clone().oneshot(evil).await.unwrap().headers()["location"], "/");
}
