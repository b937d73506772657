//! The public side, no login: the site directory (public fields only, the latest approved verdict where the
//! owning unit publishes it) and 公众留言.

use super::{Ctx, Posted};
use crate::api::{MESSAGES_PER_MINUTE, PUBLIC_PER_MINUTE};
use crate::error::ServerError;
use crate::feedback::{self, NewMessage};
use crate::http::{App, Peer};
use crate::sites;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/public", get(directory))
        .route("/public/sites/{code}", get(site))
        .route("/public/feedback", post(leave))
}

fn verdict_words() -> BTreeMap<&'static str, &'static str> {
    [("pass", "合格"), ("fail", "不合格"), ("undetermined", "未评定")]
        .into_iter()
        .collect()
}

#[derive(Debug, Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
}

async fn directory(State(app): State<App>, Peer(ip): Peer, ctx: Ctx, Query(q): Query<Search>) -> Response {
    if let Err(wait) = app.throttle.hit(&format!("public:{ip}"), PUBLIC_PER_MINUTE) {
        return ctx.fail(ServerError::Throttled(wait));
    }
    let (text, region) = (q.q.clone(), q.region.clone());
    match app
        .db(move |s| s.read(|c| sites::public_search(c, &text, &region, 100)))
        .await
    {
        Ok(list) => ctx.render(
            "public.html",
            context! { sites => list, q => q.q, region => q.region, verdict_zh => verdict_words() },
        ),
        Err(e) => ctx.fail(e),
    }
}

#[derive(Debug, Deserialize)]
struct Sent {
    #[serde(default)]
    sent: Option<String>,
}

async fn site(
    State(app): State<App>,
    Peer(ip): Peer,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(s): Query<Sent>,
) -> Response {
    if let Err(wait) = app.throttle.hit(&format!("public:{ip}"), PUBLIC_PER_MINUTE) {
        return ctx.fail(ServerError::Throttled(wait));
    }
    let c2 = code.clone();
    let found = app
        .db(move |s| s.read(|c| sites::public_search(c, &c2, "", 10)))
        .await;
    match found.map(|list| list.into_iter().find(|x| x.code == code)) {
        Ok(Some(site)) => ctx.render(
            "public_site.html",
            context! { site, sent => s.sent.is_some(), verdict_zh => verdict_words() },
        ),
        Ok(None) => ctx.fail(ServerError::NotFound(format!("网站 site `{code}`"))),
        Err(e) => ctx.fail(e),
    }
}

async fn leave(State(app): State<App>, Peer(ip): Peer, form: Posted) -> Response {
    let ctx = form.ctx.clone();
    if let Err(wait) = app.throttle.hit(&format!("feedback:{ip}"), MESSAGES_PER_MINUTE) {
        return ctx.fail(ServerError::Throttled(wait));
    }
    let new = NewMessage {
        site: form.text("site"),
        body: form.text("body"),
        contact: form.text("contact"),
    };
    let code = new.site.clone();
    match app.db(move |s| s.write(|tx| feedback::leave(tx, &new))).await {
        Ok(_) => Redirect::to(&format!("/public/sites/{}?sent=1", super::urlencode(&code))).into_response(),
        Err(e) => ctx.fail(e),
    }
}
