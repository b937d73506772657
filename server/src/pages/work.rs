//! The signed-in pages: login, a unit (its queue, sites, filings, management), a site, filing and reviewing.

use super::{Ctx, Posted, local};
use crate::access::{Action, Role, Target, allows};
use crate::accounts::{self, NewAccount};
use crate::audit;
use crate::error::{Result, ServerError};
use crate::feedback;
use crate::filings::{self, Filing, NewFiling};
use crate::http::{self, App};
use crate::scoring::DEFAULT_PACK;
use crate::sites::{self, NewSite};
use crate::units::{self, Level, NewUnit};
use crate::workflow::Move;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use pucha_core::Lang;
use pucha_core::stored::StoredReport;
use serde::Serialize;
use std::sync::Arc;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/units/{id}", get(unit))
        .route("/units/{id}/units", post(create_unit))
        .route("/units/{id}/accounts", post(create_account))
        .route("/units/{id}/sites", post(create_site))
        .route("/units/{id}/publish", post(publish))
        .route("/units/{id}/rollup", get(rollup))
        .route("/units/{id}/feedback", get(unit_feedback))
        .route("/sites/{code}", get(site))
        .route("/sites/{code}/profile", post(set_profile))
        .route("/sites/{code}/check-code", post(reset_check_code))
        .route("/sites/{code}/file", get(file_page))
        .route("/filings", post(create_filing))
        .route("/filings/batch", post(batch))
        .route("/filings/{id}", get(filing))
        .route("/filings/{id}/edit", get(edit_page))
        .route("/filings/{id}/observation", post(edit))
        .route("/filings/{id}/resolve", post(resolve))
        .route("/filings/{id}/report.html", get(report_html))
        .route("/filings/{id}/report.xlsx", get(report_xlsx))
        .route("/filings/{id}/{action}", post(act))
}

/// 合格 / 不合格 / 未评定.
pub(super) fn verdict_zh(v: &str) -> &'static str {
    match v {
        "pass" => "合格",
        "fail" => "不合格",
        _ => "未评定",
    }
}

/// A filing as a row of a list.
#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    site_code: String,
    site_name: String,
    monitoring_point: String,
    state: &'static str,
    state_zh: &'static str,
    verdict: String,
    verdict_zh: &'static str,
    score: Option<f64>,
    updated_at: String,
    queue_name: Option<String>,
}

fn row(c: &rusqlite::Connection, f: &Filing) -> Result<Row> {
    let queue_name = match &f.queue {
        Some(q) => Some(units::by_id(c, q.id())?.name),
        None => None,
    };
    Ok(Row {
        id: f.id,
        site_code: f.site_code.clone(),
        site_name: f.site_name.clone(),
        monitoring_point: f.monitoring_point.clone(),
        state: f.state.key(),
        state_zh: f.state.zh(),
        verdict: f.verdict.clone(),
        verdict_zh: verdict_zh(&f.verdict),
        score: f.score,
        updated_at: f.updated_at.clone(),
        queue_name,
    })
}

#[derive(Debug, serde::Deserialize)]
struct Back {
    #[serde(default)]
    back: Option<String>,
}

async fn login_page(ctx: Ctx, axum::extract::Query(q): axum::extract::Query<Back>) -> Response {
    ctx.render(
        "login.html",
        context! { login => "", back => local(q.back.as_deref()) },
    )
}

async fn login(State(app): State<App>, peer: http::Peer, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let login = form.text("login");
    match http::sign_in(&app, login.clone(), form.text("password"), peer.0).await {
        Ok(Some(done)) => {
            let back = local(form.get("back"));
            (
                [(header::SET_COOKIE, http::session_cookie(&app, &done.cookie))],
                Redirect::to(&back),
            )
                .into_response()
        }
        Ok(None) => {
            let error = if ctx.en {
                "Wrong login or password."
            } else {
                "登录名或密码不正确。"
            };
            let back = local(form.get("back"));
            ctx.render_status(
                StatusCode::BAD_REQUEST,
                "login.html",
                context! { error, login, back },
            )
        }
        Err(e) => ctx.fail(e),
    }
}

async fn logout(State(app): State<App>, form: Posted) -> Response {
    if let Some(cookie) = form.ctx.session.cookie.clone() {
        let _ = app
            .db(move |s| s.write(|tx| accounts::close_session(tx, &cookie)))
            .await;
    }
    (
        [(header::SET_COOKIE, http::clear_cookie(&app))],
        Redirect::to("/public"),
    )
        .into_response()
}

async fn unit(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    let page = app
        .db(move |s| {
            s.read(|c| {
                let unit = units::get(c, &actor, id)?;
                let lineage = units::lineage(c, id)?;
                let children = units::children(c, &actor, id)?;
                let queue = filings::queue(c, &actor, id)?.iter().map(|f| row(c, f)).collect::<Result<Vec<_>>>()?;
                let recent =
                    filings::in_subtree(c, &actor, id, None, 50)?.iter().map(|f| row(c, f)).collect::<Result<Vec<_>>>()?;
                let sites: Vec<_> = sites::in_subtree(c, &actor, id)?
                    .into_iter()
                    .map(|s| {
                        let can_file = allows(&actor, Action::FileSite, Target::site(&s.unit_path, s.id));
                        context! { code => s.code, name => s.name, authority => s.authority, can_file }
                    })
                    .collect();
                let can_manage = allows(&actor, Action::ManageUnit, Target::unit(&unit.path));
                let can_review = actor.grants.iter().any(|g| g.role == Role::Reviewer && g.unit == unit.path);
                let lineage: Vec<_> = lineage.iter().map(|u| context! { id => u.id, name => u.name }).collect();
                let children: Vec<_> = children
                    .iter()
                    .map(|u| context! { id => u.id, name => u.name, level => u.level.key(), level_zh => u.level.zh() })
                    .collect();
                Ok(context! {
                    unit => context! { id => unit.id, name => unit.name, level => unit.level.key(),
                        level_zh => unit.level.zh(), region => unit.region, publishes => unit.publishes },
                    lineage, children, queue, filings => recent, sites, can_manage, can_review,
                })
            })
        })
        .await;
    match page {
        Ok(v) => ctx.render("unit.html", v),
        Err(e) => ctx.fail(e),
    }
}

async fn create_unit(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let Some(level) = Level::parse(form.get("level").unwrap_or_default()) else {
        return ctx.fail(ServerError::bad("level", "未知的级别 / unknown level"));
    };
    let new = NewUnit {
        name: form.text("name"),
        level,
        region: form.text("region"),
    };
    let actor = ctx.session.actor.clone();
    match app
        .db(move |s| s.write(|tx| units::create_child(tx, &actor, id, &new)))
        .await
    {
        Ok(u) => Redirect::to(&format!("/units/{}", u.id)).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn create_account(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let Some(role) = Role::parse(form.get("role").unwrap_or_default()) else {
        return ctx.fail(ServerError::bad("role", "未知的角色 / unknown role"));
    };
    let new = NewAccount {
        login: form.text("login"),
        display_name: form.text("display_name"),
        password: form.text("password"),
        role,
    };
    let actor = ctx.session.actor.clone();
    match app
        .db(move |s| s.write(|tx| accounts::create(tx, &actor, id, &new)))
        .await
    {
        Ok(a) => {
            let (h, text) = if ctx.en {
                ("Account created", format!("`{}` can sign in now.", a.login))
            } else {
                ("账号已建立", format!("`{}` 现在可以登录。", a.login))
            };
            ctx.message(StatusCode::OK, h, &text, None, Some(&format!("/units/{id}")))
        }
        Err(e) => ctx.fail(e),
    }
}

async fn create_site(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let new = NewSite {
        code: form.text("code").trim().to_owned(),
        name: form.text("name"),
        homepage: form.text("homepage"),
        kind: form.get("kind").map(str::to_owned),
        region: form.text("region"),
        department: form.text("department"),
        authority: form.text("authority"),
    };
    let actor = ctx.session.actor.clone();
    match app
        .db(move |s| s.write(|tx| sites::create(tx, &actor, id, &new)))
        .await
    {
        Ok((site, check)) => {
            let (h, text) = if ctx.en {
                (
                    "Site registered",
                    format!(
                        "{} ({}). Its check code (校验码), for the filer who claims it:",
                        site.name, site.code
                    ),
                )
            } else {
                (
                    "网站已登记",
                    format!("{}（{}）。网站校验码（供填报人认领网站）：", site.name, site.code),
                )
            };
            ctx.message(
                StatusCode::OK,
                h,
                &text,
                Some(&check),
                Some(&format!("/units/{id}")),
            )
        }
        Err(e) => ctx.fail(e),
    }
}

async fn publish(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let publishes = form.get("publishes") == Some("true");
    let actor = ctx.session.actor.clone();
    match app
        .db(move |s| s.write(|tx| units::set_publishes(tx, &actor, id, publishes)))
        .await
    {
        Ok(_) => Redirect::to(&format!("/units/{id}")).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn rollup(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    let en = ctx.en;
    let scorer = Arc::clone(&app.scorer);
    match app
        .db(move |s| crate::exports::rollup_of(s, &scorer, &actor, id))
        .await
    {
        Ok(r) => Html(pucha_render::html::rollup_html(
            &r,
            if en { Lang::En } else { Lang::Zh },
        ))
        .into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn unit_feedback(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let account = match ctx.account() {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let actor = ctx.session.actor.clone();
    let page = app
        .db(move |s| {
            let unit = s.read(|c| units::get(c, &actor, id))?;
            let messages = s.read(|c| feedback::of_subtree(c, &actor, id))?;
            s.write(|tx| audit::append(tx, Some(account), "feedback_read", audit::About::unit(id), None))?;
            Ok(context! { unit => context! { id => unit.id, name => unit.name }, messages })
        })
        .await;
    match page {
        Ok(v) => ctx.render("feedback.html", v),
        Err(e) => ctx.fail(e),
    }
}

async fn site(State(app): State<App>, ctx: Ctx, Path(code): Path<String>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    let page = app
        .db(move |s| {
            s.read(|c| {
                let site = sites::get(c, &actor, &code)?;
                let unit_name = units::by_id(c, site.unit_id)?.name;
                let list = filings::of_site(c, &actor, &code)?
                    .iter()
                    .map(|f| row(c, f))
                    .collect::<Result<Vec<_>>>()?;
                let can_file = allows(&actor, Action::FileSite, Target::site(&site.unit_path, site.id));
                let can_manage = allows(&actor, Action::ManageUnit, Target::unit(&site.unit_path));
                let profile_json = site
                    .profile
                    .as_ref()
                    .and_then(|p| serde_json::to_string_pretty(p).ok())
                    .unwrap_or_default();
                Ok(context! { site, unit_name, filings => list, can_file, can_manage, profile_json })
            })
        })
        .await;
    match page {
        Ok(v) => ctx.render("site.html", v),
        Err(e) => ctx.fail(e),
    }
}

async fn set_profile(State(app): State<App>, Path(code): Path<String>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let profile: serde_json::Value = match serde_json::from_str(&form.text("profile")) {
        Ok(v) => v,
        Err(e) => {
            return ctx.fail(ServerError::bad(
                "profile",
                format!("不是有效的 JSON / not valid JSON: {e}"),
            ));
        }
    };
    let actor = ctx.session.actor.clone();
    let c2 = code.clone();
    match app
        .db(move |s| s.write(|tx| sites::set_profile(tx, &actor, &c2, &profile)))
        .await
    {
        Ok(_) => Redirect::to(&format!("/sites/{code}")).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn reset_check_code(State(app): State<App>, Path(code): Path<String>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let actor = ctx.session.actor.clone();
    let c2 = code.clone();
    match app
        .db(move |s| s.write(|tx| sites::reset_check_code(tx, &actor, &c2)))
        .await
    {
        Ok(check) => {
            let (h, text) = if ctx.en {
                (
                    "New check code",
                    "The old code no longer works, and claims made with it are withdrawn:",
                )
            } else {
                (
                    "校验码已重置",
                    "原校验码作废，凭它认领的账号需重新认领。新校验码：",
                )
            };
            ctx.message(
                StatusCode::OK,
                h,
                text,
                Some(&check),
                Some(&format!("/sites/{code}")),
            )
        }
        Err(e) => ctx.fail(e),
    }
}

/// The filing form: a new filing (`can_submit`, with the self-check widget when it is served) or a change to
/// a stored observation (the JSON only: the widget would replace it with its own form's).
fn file_context(
    app: &App,
    site: &sites::Site,
    action: String,
    observation: String,
    can_submit: bool,
) -> minijinja::Value {
    context! {
        site => context! { code => site.code, name => site.name },
        action, observation, can_submit,
        key => crate::secret::random_hex(16),
        widget => can_submit && app.settings.widget.is_some(),
        pack => DEFAULT_PACK,
    }
}

async fn file_page(State(app): State<App>, ctx: Ctx, Path(code): Path<String>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    match app.db(move |s| s.read(|c| sites::get(c, &actor, &code))).await {
        Ok(site)
            if allows(
                &ctx.session.actor,
                Action::FileSite,
                Target::site(&site.unit_path, site.id),
            ) =>
        {
            ctx.render(
                "file.html",
                file_context(&app, &site, "/filings".into(), String::new(), true),
            )
        }
        Ok(_) => ctx.fail(ServerError::Forbidden),
        Err(e) => ctx.fail(e),
    }
}

fn parse_observation(text: &str) -> Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| {
        ServerError::bad(
            "observation",
            format!("观测数据不是有效的 JSON / the observation is not valid JSON: {e}"),
        )
    })
}

async fn create_filing(State(app): State<App>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    if let Err(r) = ctx.account() {
        return *r;
    }
    let text = form.text("observation");
    let code = form.text("site");
    let key = form
        .get("idempotency_key")
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    let submit = form.get("then") == Some("submit");
    let (actor, scorer) = (ctx.session.actor.clone(), Arc::clone(&app.scorer));
    let made = match parse_observation(&text) {
        Ok(observation) => {
            let new = NewFiling {
                site: code.clone(),
                observation,
                pack: None,
                submit,
                idempotency_key: key,
            };
            app.db(move |s| s.write(|tx| filings::create(tx, &actor, &scorer, &new)))
                .await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok((f, _)) => Redirect::to(&format!("/filings/{}", f.id)).into_response(),
        Err(e @ ServerError::BadInput { .. }) => {
            let actor = ctx.session.actor.clone();
            match app.db(move |s| s.read(|c| sites::get(c, &actor, &code))).await {
                Ok(site) => {
                    let mut v = file_context(&app, &site, "/filings".into(), text, true);
                    v = context! { ..v, ..context! { error => e.to_string() } };
                    ctx.render_status(StatusCode::BAD_REQUEST, "file.html", v)
                }
                Err(_) => ctx.fail(e),
            }
        }
        Err(e) => ctx.fail(e),
    }
}

async fn filing(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    let en = ctx.en;
    let page = app
        .db(move |s| {
            s.read(|c| {
                let f = filings::get(c, &actor, id)?;
                let history = filings::history(c, &actor, id)?;
                let site = sites::by_code(c, &f.site_code)?;
                let can_file = allows(&actor, Action::FileSite, Target::site(&site.unit_path, site.id));
                let target = crate::access::Target { unit: &f.owner, site: Some(site.id), queue: f.queue.as_ref() };
                let can_review = f.state.in_queue() && allows(&actor, Action::ReviewFiling, target);
                let queue_name = match &f.queue {
                    Some(q) => Some(units::by_id(c, q.id())?.name),
                    None => None,
                };
                let rules = rule_rows(f.report.as_ref(), en);
                let suspects = f.suspects.clone().unwrap_or_default();
                let head = context! {
                    id => f.id, site_code => f.site_code, site_name => f.site_name, monitoring_point => f.monitoring_point,
                    state => f.state.key(), state_zh => f.state.zh(), verdict => f.verdict, verdict_zh => verdict_zh(&f.verdict),
                    score => f.score, return_reason => f.return_reason,
                };
                Ok(context! { f => head, history, can_file, can_review, queue_name, rules, suspects })
            })
        })
        .await;
    match page {
        Ok(v) => ctx.render("filing.html", v),
        Err(e) => ctx.fail(e),
    }
}

/// The report's rules as rows: title, explanation, points (`—` for none).
fn rule_rows(report: Option<&serde_json::Value>, en: bool) -> Vec<minijinja::Value> {
    let lang = if en { "en" } else { "zh" };
    let rules = report
        .and_then(|r| r["rules"].as_array())
        .cloned()
        .unwrap_or_default();
    rules
        .iter()
        .map(|r| {
            let points = match r["points"].as_f64() {
                Some(p) if p > 0.0 => pucha_render::html::pts(p),
                _ if r["kind"] == "veto" && r["status"] == "applied" => {
                    if en { "veto" } else { "否决" }.to_owned()
                }
                _ => "—".to_owned(),
            };
            context! {
                title => r["title"][lang].as_str().unwrap_or_default(),
                explanation => r["explanation"][lang].as_str().unwrap_or_default(),
                status => r["status"].as_str().unwrap_or_default(),
                points,
            }
        })
        .collect()
}

async fn edit_page(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let actor = ctx.session.actor.clone();
    let got = app
        .db(move |s| {
            s.read(|c| {
                let f = filings::get(c, &actor, id)?;
                let site = sites::by_code(c, &f.site_code)?;
                if !allows(&actor, Action::FileSite, Target::site(&site.unit_path, site.id)) {
                    return Err(ServerError::Forbidden);
                }
                Ok((f, site))
            })
        })
        .await;
    match got {
        Ok((f, site)) => {
            let text = f
                .observation
                .as_ref()
                .and_then(|o| serde_json::to_string_pretty(o).ok())
                .unwrap_or_default();
            ctx.render(
                "file.html",
                file_context(&app, &site, format!("/filings/{id}/observation"), text, false),
            )
        }
        Err(e) => ctx.fail(e),
    }
}

async fn edit(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let (actor, scorer) = (ctx.session.actor.clone(), Arc::clone(&app.scorer));
    let done = match parse_observation(&form.text("observation")) {
        Ok(o) => {
            app.db(move |s| s.write(|tx| filings::edit(tx, &actor, &scorer, id, &o)))
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/filings/{id}")).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn act(State(app): State<App>, Path((id, action)): Path<(i64, String)>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let mv = match Move::parse(&action) {
        Some(m @ (Move::Submit | Move::Return | Move::Approve)) => m,
        _ => return ctx.fail(ServerError::NotFound(format!("`{action}`"))),
    };
    let reason = form.get("reason").map(str::to_owned);
    let actor = ctx.session.actor.clone();
    match app
        .db(move |s| s.write(|tx| filings::act(tx, &actor, id, mv, reason.as_deref())))
        .await
    {
        Ok(_) => Redirect::to(&format!("/filings/{id}")).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn resolve(State(app): State<App>, Path(id): Path<i64>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let pointer = form.text("pointer");
    let confirm = form.get("confirm") == Some("true");
    let (actor, scorer) = (ctx.session.actor.clone(), Arc::clone(&app.scorer));
    match app
        .db(move |s| s.write(|tx| filings::resolve(tx, &actor, &scorer, id, &pointer, confirm)))
        .await
    {
        Ok(_) => Redirect::to(&format!("/filings/{id}")).into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn batch(State(app): State<App>, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    let mv = match form.get("action") {
        Some("approve") => Move::Approve,
        Some("return") => Move::Return,
        _ => {
            return ctx.fail(ServerError::bad(
                "action",
                "应为 approve 或 return / expected approve or return",
            ));
        }
    };
    let ids: Vec<i64> = form
        .all("ids")
        .filter_map(|v| v.parse().ok())
        .take(1000)
        .collect();
    let reason = form.get("reason").map(str::to_owned);
    let back = local(form.get("back"));
    let actor = ctx.session.actor.clone();
    let results = app
        .db(move |s| {
            Ok(ids
                .iter()
                .map(|id| {
                    (
                        *id,
                        s.write(|tx| filings::act(tx, &actor, *id, mv, reason.as_deref())),
                    )
                })
                .map(|(id, r)| (id, r.map(|f| f.state).map_err(|e| e.to_string())))
                .collect::<Vec<_>>())
        })
        .await;
    match results {
        Ok(list) => {
            let done = list.iter().filter(|(_, r)| r.is_ok()).count();
            let failed: Vec<String> = list
                .iter()
                .filter_map(|(id, r)| r.as_ref().err().map(|e| format!("#{id}: {e}")))
                .collect();
            let text = if ctx.en {
                format!("{done} of {} done. {}", list.len(), failed.join("; "))
            } else {
                format!("{} 份中 {done} 份已处理。{}", list.len(), failed.join("；"))
            };
            let status = if failed.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            ctx.message(
                status,
                if ctx.en { "Batch" } else { "批量处理" },
                &text,
                None,
                Some(&back),
            )
        }
        Err(e) => ctx.fail(e),
    }
}

async fn stored_report(app: &App, ctx: &Ctx, id: i64) -> Result<StoredReport> {
    let actor = ctx.session.actor.clone();
    let f = app.db(move |s| s.read(|c| filings::get(c, &actor, id))).await?;
    let text = f.report.map(|r| r.to_string()).unwrap_or_default();
    StoredReport::from_json_str(&text).map_err(|e| ServerError::Storage(e.to_string()))
}

async fn report_html(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let lang = if ctx.en { Lang::En } else { Lang::Zh };
    match stored_report(&app, &ctx, id).await {
        Ok(r) => Html(pucha_render::html::report_html(
            &r,
            lang,
            &pucha_render::signing::Signing::default(),
        ))
        .into_response(),
        Err(e) => ctx.fail(e),
    }
}

async fn report_xlsx(State(app): State<App>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    if let Err(r) = ctx.account() {
        return *r;
    }
    let lang = if ctx.en { Lang::En } else { Lang::Zh };
    match stored_report(&app, &ctx, id).await {
        Ok(r) => {
            match pucha_render::xlsx::report_xlsx(&r, lang, &pucha_render::signing::Signing::default()) {
                Ok(book) => crate::exports::attachment(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("filing-{id}.xlsx"),
                    book,
                ),
                Err(e) => ctx.fail(ServerError::Storage(e.to_string())),
            }
        }
        Err(e) => ctx.fail(e),
    }
}
