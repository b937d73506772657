//! The server's tests share a tree, a way to call the router in-process and fixtures made without HTTP.
#![allow(dead_code, reason = "each test file uses part of the helpers")]

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use pucha_server::access::{Actor, Grant, Role};
use pucha_server::filings::{self, NewFiling};
use pucha_server::http::{App, Settings};
use pucha_server::sites::{self, NewSite};
use pucha_server::store::Store;
use pucha_server::units::{self, Level, NewUnit, Unit};
use pucha_server::workflow::Move;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// A folder removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "pucha-server-test-{tag}-{}-{}",
            std::process::id(),
            pucha_server::secret::random_hex(4)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The system's own actor: 管理 at the root, no account.
pub fn system(root: &Unit) -> Actor {
    Actor {
        account: None,
        grants: vec![Grant {
            role: Role::Admin,
            unit: root.path.clone(),
        }],
        claims: vec![],
    }
}

/// A counts-only observation that scores without complaint.
pub fn observation() -> Value {
    json!({
        "monitoring_point": "2026-11-30",
        "availability": {"visits": 672, "failures": 1, "days": 7},
        "links": {"homepage_broken": 1, "other_broken": 3},
        "homepage": {"updates_in_window": 12},
        "content_findings": [{"kind": "serious_typo", "url": "/a.html", "excerpt": "发屏", "confirmed": false}]
    })
}

/// A profile that passes the forms' checks, for site `code`.
pub fn profile(code: &str) -> Value {
    json!({
        "site": {"region": "示例省", "name": "示例网站", "icp": "示ICP备12345678号", "homepage": "http://www.example.gov.cn/",
                 "authority": "示例省人民政府办公厅", "address": "示例路1号", "kind": "portal", "id": code},
        "head": {"name": "张三", "title": "主任", "office_phone": "010-12345678", "mobile": "13800000000", "email": "a@example.gov.cn"},
        "contact": {"name": "李四", "office_phone": "010-12345679", "mobile": "13800000001", "email": "b@example.gov.cn"},
        "columns": []
    })
}

/// The tree the tests use: province P → cities A, B → counties A1 (with a department A1d), B1.
pub struct Tree {
    pub dir: TempDir,
    pub app: App,
    pub p: Unit,
    pub a: Unit,
    pub b: Unit,
    pub a1: Unit,
    pub a1d: Unit,
    pub b1: Unit,
    codes: AtomicU32,
}

impl Tree {
    pub fn new(tag: &str) -> Tree {
        let dir = TempDir::new(tag);
        let store = Store::open(dir.path().join("t.sqlite")).unwrap();
        let unit = |name: &str, level| NewUnit {
            name: name.into(),
            level,
            region: name.into(),
        };
        let (p, a, b, a1, a1d, b1) = store
            .write(|tx| {
                let p = units::create_root(tx, &unit("P", Level::Province))?;
                let sys = system(&p);
                let a = units::create_child(tx, &sys, p.id, &unit("A", Level::City))?;
                let b = units::create_child(tx, &sys, p.id, &unit("B", Level::City))?;
                let a1 = units::create_child(tx, &sys, a.id, &unit("A1", Level::County))?;
                let a1d = units::create_child(tx, &sys, a1.id, &unit("A1d", Level::Department))?;
                let b1 = units::create_child(tx, &sys, b.id, &unit("B1", Level::County))?;
                Ok((p, a, b, a1, a1d, b1))
            })
            .unwrap();
        let settings = Settings {
            hosts: vec!["127.0.0.1:1".into()],
            secure: false,
            widget: None,
        };
        let app = pucha_server::app(store, settings).unwrap();
        Tree {
            dir,
            app,
            p,
            a,
            b,
            a1,
            a1d,
            b1,
            codes: AtomicU32::new(0),
        }
    }

    pub fn router(&self) -> Router {
        pucha_server::router(self.app.clone())
    }

    pub fn store(&self) -> &Store {
        &self.app.store
    }

    /// A new site under `unit`, with its 校验码.
    pub fn site(&self, unit: &Unit) -> (String, String) {
        let n = self.codes.fetch_add(1, Ordering::Relaxed);
        let code = format!("{:010}", 1_000_000_000 + u64::from(n));
        let sys = system(&self.p);
        let new = NewSite {
            code: code.clone(),
            name: format!("网站 {n}"),
            homepage: format!("http://s{n}.example.gov.cn/"),
            kind: None,
            region: String::new(),
            department: String::new(),
            authority: String::new(),
        };
        let (_, check) = self
            .store()
            .write(|tx| sites::create(tx, &sys, unit.id, &new))
            .unwrap();
        (code, check)
    }

    /// An account with `role` at `unit` (password `password-123`), made directly in the store.
    pub fn account(&self, login: &str, role: Role, unit: &Unit) -> i64 {
        let sys = system(&self.p);
        let new = pucha_server::accounts::NewAccount {
            login: login.into(),
            display_name: login.into(),
            password: "password-123".into(),
            role,
        };
        self.store()
            .write(|tx| pucha_server::accounts::create(tx, &sys, unit.id, &new))
            .unwrap()
            .id
    }

    /// A filing for a new site under `owner`, by a filer made for it, moved by `moves` (reviewed by reviewers
    /// made at each queue).
    pub fn filing(&self, owner: &Unit, moves: &[Move]) -> (i64, String) {
        let (code, _) = self.site(owner);
        let n = self.codes.fetch_add(1, Ordering::Relaxed);
        let filer = self.account(&format!("filer-{n}"), Role::Filer, owner);
        let filer = self
            .store()
            .read(|c| pucha_server::accounts::actor(c, filer))
            .unwrap();
        let new = NewFiling {
            site: code.clone(),
            observation: observation(),
            pack: None,
            submit: false,
            idempotency_key: None,
        };
        let scorer = self.app.scorer.clone();
        let (mut f, _) = self
            .store()
            .write(|tx| filings::create(tx, &filer, &scorer, &new))
            .unwrap();
        for (i, mv) in moves.iter().enumerate() {
            let actor = match mv {
                Move::Submit | Move::Edit => filer.clone(),
                _ => {
                    let q = f.queue.clone().unwrap();
                    let unit = self.store().read(|c| units::by_id(c, q.id())).unwrap();
                    let id = self.account(&format!("reviewer-{n}-{i}"), Role::Reviewer, &unit);
                    self.store()
                        .read(|c| pucha_server::accounts::actor(c, id))
                        .unwrap()
                }
            };
            let reason = (*mv == Move::Return).then_some("请核实");
            f = self
                .store()
                .write(|tx| filings::act(tx, &actor, f.id, *mv, reason))
                .unwrap();
        }
        (f.id, code)
    }
}

/// A signed-in client (or the public, without a cookie), calling the router in-process from its own address.
#[derive(Clone)]
pub struct Client {
    pub bearer: Option<String>,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub ip: [u8; 4],
}

static NEXT_IP: AtomicU32 = AtomicU32::new(1);

fn fresh_ip() -> [u8; 4] {
    let n = NEXT_IP.fetch_add(1, Ordering::Relaxed);
    let [_, a, b, c] = n.to_be_bytes();
    [10, a, b, c]
}

impl Client {
    pub fn public() -> Client {
        Client {
            bearer: None,
            cookie: None,
            csrf: None,
            ip: fresh_ip(),
        }
    }

    pub async fn login(router: &Router, login: &str, password: &str) -> Client {
        let c = Client::public();
        let body = json!({"login": login, "password": password});
        let (status, headers, v) = c.raw(router, Method::POST, "/api/login", Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "login {login}: {v}");
        let set = headers.get("set-cookie").unwrap().to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_owned();
        Client {
            bearer: None,
            cookie: Some(cookie),
            csrf: v["csrf"].as_str().map(str::to_owned),
            ip: fresh_ip(),
        }
    }

    pub async fn raw(
        &self,
        router: &Router,
        method: Method,
        uri: &str,
        body: Option<&Value>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let Some(b) = &self.bearer {
            req = req.header("authorization", format!("Bearer {b}"));
        }
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        };
        let mut req = req.unwrap();
        let addr = SocketAddr::from((self.ip, 40000));
        req.extensions_mut().insert(ConnectInfo(addr));
        let resp = router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20).await.unwrap();
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, v)
    }

    /// A POST of plain text (JSON Lines).
    pub async fn raw_text(
        &self,
        router: &Router,
        uri: &str,
        body: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("content-type", "text/plain; charset=utf-8");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        let mut req = req.body(Body::from(body.to_owned())).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((self.ip, 40000))));
        let resp = router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20).await.unwrap();
        (
            status,
            headers,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn get(&self, router: &Router, uri: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.raw(router, Method::GET, uri, None).await;
        (s, v)
    }

    pub async fn post(&self, router: &Router, uri: &str, body: &Value) -> (StatusCode, Value) {
        let (s, _, v) = self.raw(router, Method::POST, uri, Some(body)).await;
        (s, v)
    }
}
