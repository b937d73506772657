//! The JSON API under `/api`: everything the pages do, for scripts and provinces' own systems.
//! `docs/server.md` lists every route with its role.

use crate::access::Role;
use crate::accounts::{self, NewAccount};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::feedback::{self, NewMessage};
use crate::filings::{self, NewFiling};
use crate::http::{self, App, Body, Peer, Session};
use crate::sites::{self, NewSite};
use crate::units::{self, NewUnit};
use crate::workflow::{Move, State};
use crate::{exports, tokens};
use axum::extract::{Path, Query, State as Ext};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Public requests per address per minute.
pub const PUBLIC_PER_MINUTE: u32 = 120;
/// 公众留言 per address per minute.
pub const MESSAGES_PER_MINUTE: u32 = 5;

/// The API's routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/units/{id}", get(unit))
        .route("/api/units/{id}/units", post(create_unit))
        .route("/api/units/{id}/accounts", post(create_account))
        .route("/api/units/{id}/sites", get(unit_sites).post(create_site))
        .route("/api/units/{id}/publish", post(publish))
        .route("/api/units/{id}/queue", get(queue))
        .route("/api/units/{id}/filings", get(unit_filings))
        .route("/api/units/{id}/audit", get(unit_audit))
        .route("/api/units/{id}/feedback", get(unit_feedback))
        .route("/api/units/{id}/rollup", get(rollup))
        .route("/api/units/{id}/workbook.xlsx", get(workbook))
        .route("/api/accounts/{id}/password", post(set_password))
        .route("/api/accounts/{id}/grants", post(add_grant))
        .route("/api/sites/{code}", get(site))
        .route("/api/sites/{code}/check-code", post(reset_check_code))
        .route("/api/sites/{code}/profile", post(set_profile))
        .route("/api/sites/{code}/filings", get(site_filings))
        .route("/api/claims", post(claim))
        .route("/api/filings", post(create_filing))
        .route("/api/filings/batch", post(batch))
        .route("/api/filings/import", post(import))
        .route("/api/filings/{id}", get(filing))
        .route("/api/filings/{id}/history", get(history))
        .route("/api/filings/{id}/observation", post(edit))
        .route("/api/filings/{id}/resolve", post(resolve))
        .route("/api/filings/{id}/{action}", post(act))
        .route("/api/tokens", get(list_tokens).post(create_token))
        .route("/api/tokens/{id}/revoke", post(revoke_token))
        .route("/api/public/sites", get(public_sites))
        .route("/api/public/feedback", post(leave_feedback))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    login: String,
    password: String,
}

async fn login(Ext(app): Ext<App>, Peer(ip): Peer, Body(body): Body<Login>) -> Result<Response> {
    let Some(done) = http::sign_in(&app, body.login, body.password, ip).await? else {
        return Err(ServerError::bad(
            "login",
            "登录名或密码不正确 / wrong login or password",
        ));
    };
    let id = done.account;
    let account = app.db(move |s| s.read(|c| accounts::get(c, id))).await?;
    let set = http::session_cookie(&app, &done.cookie);
    Ok((
        [(header::SET_COOKIE, set)],
        Json(json!({"account": account, "csrf": done.csrf})),
    )
        .into_response())
}

async fn logout(Ext(app): Ext<App>, session: Session) -> Result<Response> {
    if let Some(cookie) = session.cookie.clone() {
        app.db(move |s| s.write(|tx| accounts::close_session(tx, &cookie)))
            .await?;
    }
    Ok((
        [(header::SET_COOKIE, http::clear_cookie(&app))],
        Json(json!({"ok": true})),
    )
        .into_response())
}

async fn me(Ext(app): Ext<App>, session: Session) -> Result<Json<Value>> {
    let id = session.account()?;
    let account = app.db(move |s| s.read(|c| accounts::get(c, id))).await?;
    Ok(Json(json!({"account": account, "csrf": session.csrf})))
}

async fn unit(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    app.db(move |s| {
        s.read(|c| {
            let u = units::get(c, &a, id)?;
            let children = units::children(c, &a, id)?;
            Ok(Json(
                json!({"unit": u, "children": children, "lineage": units::lineage(c, id)?}),
            ))
        })
    })
    .await
}

async fn create_unit(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(new): Body<NewUnit>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let u = app
        .db(move |s| s.write(|tx| units::create_child(tx, &a, id, &new)))
        .await?;
    Ok(Json(json!({"unit": u})))
}

async fn create_account(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(new): Body<NewAccount>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let acc = app
        .db(move |s| s.write(|tx| accounts::create(tx, &a, id, &new)))
        .await?;
    Ok(Json(json!({"account": acc})))
}

async fn unit_sites(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let list = app.db(move |s| s.read(|c| sites::in_subtree(c, &a, id))).await?;
    Ok(Json(json!({"sites": list})))
}

async fn create_site(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(new): Body<NewSite>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let (site, code) = app
        .db(move |s| s.write(|tx| sites::create(tx, &a, id, &new)))
        .await?;
    Ok(Json(json!({"site": site, "check_code": code})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Publish {
    publishes: bool,
}

async fn publish(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(body): Body<Publish>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let u = app
        .db(move |s| s.write(|tx| units::set_publishes(tx, &a, id, body.publishes)))
        .await?;
    Ok(Json(json!({"unit": u})))
}

async fn queue(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let list = app.db(move |s| s.read(|c| filings::queue(c, &a, id))).await?;
    Ok(Json(json!({"filings": list})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listing {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

async fn unit_filings(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Query(q): Query<Listing>,
) -> Result<Json<Value>> {
    session.account()?;
    let state = match q.state.as_deref() {
        None | Some("") => None,
        Some(k) => {
            Some(State::parse(k).ok_or_else(|| ServerError::bad("state", format!("unknown state `{k}`")))?)
        }
    };
    let limit = q.limit.unwrap_or(200).min(5000);
    let a = session.actor;
    let list = app
        .db(move |s| s.read(|c| filings::in_subtree(c, &a, id, state, limit)))
        .await?;
    Ok(Json(json!({"filings": list})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Format {
    #[serde(default)]
    format: Option<String>,
}

async fn unit_audit(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Query(f): Query<Format>,
) -> Result<Response> {
    session.account()?;
    let a = session.actor;
    let entries = app
        .db(move |s| {
            let u = s.read(|c| units::get(c, &a, id))?;
            s.read(|c| audit::of_subtree(c, &u.path))
        })
        .await?;
    match f.format.as_deref() {
        Some("csv") => Ok(exports::attachment(
            "text/csv; charset=utf-8",
            "audit.csv",
            audit::csv(&entries).into_bytes(),
        )),
        None | Some("json") => Ok(Json(json!({"audit": entries})).into_response()),
        Some(other) => Err(ServerError::bad(
            "format",
            format!("`{other}`: 应为 json 或 csv / expected json or csv"),
        )),
    }
}

async fn unit_feedback(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    let account = session.account()?;
    let a = session.actor;
    let list = app
        .db(move |s| {
            let list = s.read(|c| feedback::of_subtree(c, &a, id))?;
            // Messages carry the public's contact details: reading them is logged.
            s.write(|tx| audit::append(tx, Some(account), "feedback_read", audit::About::unit(id), None))?;
            Ok(list)
        })
        .await?;
    Ok(Json(json!({"feedback": list})))
}

async fn rollup(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Query(f): Query<Format>,
) -> Result<Response> {
    session.account()?;
    let a = session.actor;
    let scorer = Arc::clone(&app.scorer);
    let r = app.db(move |s| exports::rollup_of(s, &scorer, &a, id)).await?;
    exports::rollup(&r, f.format.as_deref().unwrap_or("json"))
}

async fn workbook(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Response> {
    let account = session.account()?;
    let a = session.actor;
    let reports = app
        .db(move |s| {
            let r = s.read(|c| filings::rollup_reports(c, &a, id))?;
            s.write(|tx| audit::append(tx, Some(account), "export_workbook", audit::About::unit(id), None))?;
            Ok(r)
        })
        .await?;
    exports::workbook(&reports)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Password {
    password: String,
}

async fn set_password(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(body): Body<Password>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    app.db(move |s| s.write(|tx| accounts::set_password(tx, &a, id, &body.password)))
        .await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewGrant {
    unit_id: i64,
    role: Role,
}

async fn add_grant(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(body): Body<NewGrant>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let acc = app
        .db(move |s| s.write(|tx| accounts::add_grant(tx, &a, id, body.unit_id, body.role)))
        .await?;
    Ok(Json(json!({"account": acc})))
}

async fn site(Ext(app): Ext<App>, session: Session, Path(code): Path<String>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let s = app.db(move |s| s.read(|c| sites::get(c, &a, &code))).await?;
    Ok(Json(json!({"site": s})))
}

async fn reset_check_code(
    Ext(app): Ext<App>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let new = app
        .db(move |s| s.write(|tx| sites::reset_check_code(tx, &a, &code)))
        .await?;
    Ok(Json(json!({"check_code": new})))
}

async fn set_profile(
    Ext(app): Ext<App>,
    session: Session,
    Path(code): Path<String>,
    Body(profile): Body<Value>,
) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let s = app
        .db(move |s| s.write(|tx| sites::set_profile(tx, &a, &code, &profile)))
        .await?;
    Ok(Json(json!({"site": s})))
}

async fn site_filings(Ext(app): Ext<App>, session: Session, Path(code): Path<String>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let list = app
        .db(move |s| s.read(|c| filings::of_site(c, &a, &code)))
        .await?;
    Ok(Json(json!({"filings": list})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Claim {
    site: String,
    check_code: String,
}

async fn claim(
    Ext(app): Ext<App>,
    session: Session,
    Peer(ip): Peer,
    Body(body): Body<Claim>,
) -> Result<Json<Value>> {
    let account = session.account()?;
    let (by_account, by_ip) = (format!("claim:{account}"), format!("claim-ip:{ip}"));
    let wait = app.throttle.wait(&by_account).max(app.throttle.wait(&by_ip));
    if wait > 0 {
        return Err(ServerError::Throttled(wait));
    }
    let a = session.actor;
    match app
        .db(move |s| s.write(|tx| sites::claim(tx, &a, &body.site, &body.check_code)))
        .await
    {
        Ok(site) => Ok(Json(json!({"site": site}))),
        Err(e) => {
            app.throttle.fail(&by_account);
            app.throttle.fail(&by_ip);
            Err(e)
        }
    }
}

async fn create_filing(Ext(app): Ext<App>, session: Session, Body(new): Body<NewFiling>) -> Result<Response> {
    session.account()?;
    let (a, scorer) = (session.actor, Arc::clone(&app.scorer));
    let (f, replayed) = app
        .db(move |s| s.write(|tx| filings::create(tx, &a, &scorer, &new)))
        .await?;
    let status = if replayed {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::CREATED
    };
    Ok((status, Json(json!({"filing": f, "replayed": replayed}))).into_response())
}

async fn filing(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let f = app.db(move |s| s.read(|c| filings::get(c, &a, id))).await?;
    Ok(Json(json!({"filing": f})))
}

async fn history(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let h = app.db(move |s| s.read(|c| filings::history(c, &a, id))).await?;
    Ok(Json(json!({"history": h})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    observation: Value,
}

async fn edit(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(body): Body<Edit>,
) -> Result<Json<Value>> {
    session.account()?;
    let (a, scorer) = (session.actor, Arc::clone(&app.scorer));
    let f = app
        .db(move |s| s.write(|tx| filings::edit(tx, &a, &scorer, id, &body.observation)))
        .await?;
    Ok(Json(json!({"filing": f})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Resolve {
    pointer: String,
    confirm: bool,
}

async fn resolve(
    Ext(app): Ext<App>,
    session: Session,
    Path(id): Path<i64>,
    Body(body): Body<Resolve>,
) -> Result<Json<Value>> {
    session.account()?;
    let (a, scorer) = (session.actor, Arc::clone(&app.scorer));
    let f = app
        .db(move |s| s.write(|tx| filings::resolve(tx, &a, &scorer, id, &body.pointer, body.confirm)))
        .await?;
    Ok(Json(json!({"filing": f})))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reason {
    #[serde(default)]
    reason: Option<String>,
}

fn workflow_move(action: &str) -> Result<Move> {
    match Move::parse(action) {
        Some(m @ (Move::Submit | Move::Return | Move::Approve)) => Ok(m),
        _ => Err(ServerError::NotFound(format!("`{action}`"))),
    }
}

async fn act(
    Ext(app): Ext<App>,
    session: Session,
    Path((id, action)): Path<(i64, String)>,
    body: Option<Body<Reason>>,
) -> Result<Json<Value>> {
    session.account()?;
    let mv = workflow_move(&action)?;
    let reason = body.and_then(|Body(r)| r.reason);
    let a = session.actor;
    let f = app
        .db(move |s| s.write(|tx| filings::act(tx, &a, id, mv, reason.as_deref())))
        .await?;
    Ok(Json(json!({"filing": f})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    ids: Vec<i64>,
    action: String,
    #[serde(default)]
    reason: Option<String>,
}

/// One move over many filings: each succeeds or fails on its own (one refused filing does not stop the rest).
async fn batch(Ext(app): Ext<App>, session: Session, Body(body): Body<Batch>) -> Result<Json<Value>> {
    session.account()?;
    if body.ids.len() > 1000 {
        return Err(ServerError::bad(
            "ids",
            "一次至多 1000 份 / at most 1000 filings at once",
        ));
    }
    let mv = workflow_move(&body.action)?;
    let a = session.actor;
    let results = app
        .db(move |s| {
            let mut out = Vec::new();
            for id in body.ids {
                out.push(
                    match s.write(|tx| filings::act(tx, &a, id, mv, body.reason.as_deref())) {
                        Ok(f) => json!({"id": id, "ok": true, "state": f.state}),
                        Err(e) => json!({"id": id, "ok": false, "code": e.code(), "message": e.to_string()}),
                    },
                );
            }
            Ok(out)
        })
        .await?;
    Ok(Json(json!({"results": results})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
}

fn public_budget(app: &App, ip: std::net::IpAddr, key: &str, limit: u32) -> Result<()> {
    app.throttle
        .hit(&format!("{key}:{ip}"), limit)
        .map_err(ServerError::Throttled)
}

async fn public_sites(Ext(app): Ext<App>, Peer(ip): Peer, Query(q): Query<Search>) -> Result<Json<Value>> {
    public_budget(&app, ip, "public", PUBLIC_PER_MINUTE)?;
    let list = app
        .db(move |s| s.read(|c| sites::public_search(c, &q.q, &q.region, 100)))
        .await?;
    Ok(Json(json!({"sites": list})))
}

async fn leave_feedback(
    Ext(app): Ext<App>,
    Peer(ip): Peer,
    Body(new): Body<NewMessage>,
) -> Result<Json<Value>> {
    public_budget(&app, ip, "feedback", MESSAGES_PER_MINUTE)?;
    let id = app.db(move |s| s.write(|tx| feedback::leave(tx, &new))).await?;
    Ok(Json(json!({"id": id})))
}

async fn list_tokens(Ext(app): Ext<App>, session: Session) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let list = app.db(move |s| s.read(|c| tokens::list(c, &a))).await?;
    Ok(Json(json!({"tokens": list})))
}

/// Tokens are made by a signed-in person (a session), never by another token.
async fn create_token(
    Ext(app): Ext<App>,
    session: Session,
    Body(new): Body<tokens::NewToken>,
) -> Result<Json<Value>> {
    session.account()?;
    if session.cookie.is_none() {
        return Err(ServerError::Forbidden);
    }
    let a = session.actor;
    let (token, secret) = app
        .db(move |s| s.write(|tx| tokens::create(tx, &a, &new)))
        .await?;
    Ok(Json(json!({"token": token, "secret": secret})))
}

async fn revoke_token(Ext(app): Ext<App>, session: Session, Path(id): Path<i64>) -> Result<Json<Value>> {
    session.account()?;
    let a = session.actor;
    let token = app.db(move |s| s.write(|tx| tokens::revoke(tx, &a, id))).await?;
    Ok(Json(json!({"token": token})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportOptions {
    #[serde(default)]
    submit: bool,
    #[serde(default)]
    pack: Option<String>,
}

/// Observations from a `pucha campaign` (its `observations.jsonl`, one per line, each naming its site by
/// `site.id`): a filing for each, drafted or submitted; each line succeeds or fails on its own, with its line
/// number. A line sent again (a retried upload) returns the filing it made the first time.
async fn import(
    Ext(app): Ext<App>,
    session: Session,
    Query(opts): Query<ImportOptions>,
    text: String,
) -> Result<Json<Value>> {
    session.account()?;
    let (a, scorer) = (session.actor, Arc::clone(&app.scorer));
    let results = app
        .db(move |s| {
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let line_no = i + 1;
                let made = serde_json::from_str::<Value>(line)
                    .map_err(|e| ServerError::bad("observation", format!("不是有效的 JSON / not valid JSON: {e}")))
                    .and_then(|observation| {
                        let site = observation["site"]["id"].as_str().map(str::to_owned).ok_or_else(|| {
                            ServerError::bad("observation.site.id", "缺少网站标识码 / the line names no site (site.id)")
                        })?;
                        let key = format!("import:{}", hex(&crate::secret::sha256(line)));
                        let new = NewFiling {
                            site,
                            observation,
                            pack: opts.pack.clone(),
                            submit: opts.submit,
                            idempotency_key: Some(key.chars().take(100).collect()),
                        };
                        s.write(|tx| filings::create(tx, &a, &scorer, &new))
                    });
                out.push(match made {
                    Ok((f, replayed)) => json!({"line": line_no, "ok": true, "id": f.id, "site": f.site_code,
                        "state": f.state, "verdict": f.verdict, "replayed": replayed}),
                    Err(e) => {
                        let field = match &e {
                            ServerError::BadInput { field, .. } => Some(field.clone()),
                            _ => None,
                        };
                        json!({"line": line_no, "ok": false, "code": e.code(), "field": field, "message": e.to_string()})
                    }
                });
            }
            Ok(out)
        })
        .await?;
    let filed = results.iter().filter(|r| r["ok"] == true).count();
    Ok(Json(
        json!({"filed": filed, "failed": results.len() - filed, "results": results}),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
