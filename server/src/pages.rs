//! The web pages: server-rendered HTML (minijinja, every value HTML-escaped), forms that work without
//! JavaScript, Chinese first with an English toggle. Every state change is a POST carrying the session's CSRF
//! token in a hidden field; the pages' own script files only enhance (no inline script: the CSP forbids it).

mod public;
mod work;

use crate::accounts;
use crate::error::ServerError;
use crate::http::{self, App, Session};
use crate::units;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::{Environment, State, Value, context};
use serde::Serialize;
use std::sync::OnceLock;

/// The templates, compiled into the binary.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("message.html", include_str!("../templates/message.html")),
    ("unit.html", include_str!("../templates/unit.html")),
    ("site.html", include_str!("../templates/site.html")),
    ("file.html", include_str!("../templates/file.html")),
    ("filing.html", include_str!("../templates/filing.html")),
    ("feedback.html", include_str!("../templates/feedback.html")),
    ("public.html", include_str!("../templates/public.html")),
    ("public_site.html", include_str!("../templates/public_site.html")),
];

/// The pages' stylesheet and script.
const CSS: &str = include_str!("../static/pucha.css");
const FILING_JS: &str = include_str!("../static/filing.js");

/// `t(zh, en)`: the text in the page's language.
fn t(state: &State<'_, '_>, zh: String, en: String) -> String {
    if state.lookup("en").is_some_and(|v| v.is_true()) {
        en
    } else {
        zh
    }
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            // The templates are part of the program; one that does not parse fails the page tests.
            let _ = env.add_template(name, source);
        }
        env.add_function("t", t);
        env
    })
}

/// The routes of the pages and their static files.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route(
            "/static/pucha.css",
            get(|| async { static_file("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/filing.js",
            get(|| async { static_file("text/javascript; charset=utf-8", FILING_JS) }),
        )
        .route("/static/widget/{file}", get(widget_file))
        .route("/lang/{lang}", get(set_lang))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .merge(public::routes())
        .merge(work::routes())
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// The self-check widget's files, from the built WebAssembly package (`--widget DIR`).
async fn widget_file(
    axum::extract::State(app): axum::extract::State<App>,
    Path(file): Path<String>,
) -> Response {
    let Some(dir) = app.settings.widget.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ok = file.len() < 80
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let content_type = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if !ok || file.starts_with('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(dir.join(&file)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// One of the signed-in account's roles, as the header lists them.
#[derive(Debug, Clone, Serialize)]
struct MyGrant {
    unit_id: i64,
    unit_name: String,
    role: &'static str,
    role_zh: &'static str,
}

/// The signed-in account, as the pages show it.
#[derive(Debug, Clone, Serialize)]
struct Me {
    id: i64,
    login: String,
    display_name: String,
    grants: Vec<MyGrant>,
}

/// What every page knows: the language, the session, the path.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// English pages.
    pub en: bool,
    /// Who asks.
    pub session: Session,
    me: Option<Me>,
    path: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx
where
    App: axum::extract::FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Ctx, Response> {
        let app = <App as axum::extract::FromRef<S>>::from_ref(state);
        let en = http::cookie(&parts.headers, "lang").as_deref() == Some("en");
        let session = Session::from_request_parts(parts, &app)
            .await
            .map_err(|e| error_page(e, en))?;
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let me = match session.actor.account {
            None => None,
            Some(id) => Some(
                app.db(move |s| s.read(|c| me(c, id)))
                    .await
                    .map_err(|e| error_page(e, en))?,
            ),
        };
        Ok(Ctx {
            en,
            session,
            me,
            path,
        })
    }
}

fn me(c: &rusqlite::Connection, id: i64) -> crate::error::Result<Me> {
    let a = accounts::get(c, id)?;
    let mut grants = Vec::new();
    for g in &a.grants {
        let u = units::by_id(c, g.unit.id())?;
        grants.push(MyGrant {
            unit_id: u.id,
            unit_name: u.name,
            role: g.role.key(),
            role_zh: g.role.zh(),
        });
    }
    Ok(Me {
        id,
        login: a.login,
        display_name: a.display_name,
        grants,
    })
}

impl Ctx {
    /// The account, or a redirect to the login page.
    ///
    /// # Errors
    /// The redirect, for the public.
    pub fn account(&self) -> Result<i64, Box<Response>> {
        self.session.actor.account.ok_or_else(|| {
            let back = urlencode(&self.path);
            Box::new(Redirect::to(&format!("/login?back={back}")).into_response())
        })
    }

    /// Render `template` with `extra` beside the page's common values.
    pub fn render(&self, template: &str, extra: Value) -> Response {
        self.render_status(StatusCode::OK, template, extra)
    }

    /// [`Ctx::render`] with a status.
    pub fn render_status(&self, status: StatusCode, template: &str, extra: Value) -> Response {
        let base = context! {
            en => self.en,
            me => self.me,
            csrf => self.session.csrf.clone().unwrap_or_default(),
            path => self.path,
        };
        let ctx = context! { ..extra, ..base };
        match env().get_template(template).and_then(|t| t.render(ctx)) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("页面生成失败 / page failed to render: {e}"),
            )
                .into_response(),
        }
    }

    /// A page saying something (an error, a result, a secret shown once).
    pub fn message(
        &self,
        status: StatusCode,
        heading: &str,
        text: &str,
        secret: Option<&str>,
        back: Option<&str>,
    ) -> Response {
        let kind = if status.is_success() { "flash" } else { "error" };
        self.render_status(
            status,
            "message.html",
            context! { heading, text, secret, back, kind },
        )
    }

    /// A server error as a page (a redirect to the login page for the public).
    pub fn fail(&self, e: ServerError) -> Response {
        if matches!(e, ServerError::Unauthenticated) {
            return self
                .account()
                .err()
                .map_or_else(|| error_page(e, self.en), |r| *r);
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let heading = if self.en { "Not done" } else { "未能完成" };
        self.message(status, heading, &e.to_string(), None, None)
    }
}

/// An error page without the session (when even that could not be read).
fn error_page(e: ServerError, en: bool) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let heading = if en { "Not done" } else { "未能完成" };
    let ctx = context! { en, heading, text => e.to_string(), kind => "error", csrf => "", path => "/" };
    match env().get_template("message.html").and_then(|t| t.render(ctx)) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, e.to_string()).into_response(),
    }
}

/// `s` percent-encoded for a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A local path to go back to: only `/…`, never `//host` or a scheme.
pub fn local(back: Option<&str>) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A posted form: its fields, after the CSRF check (a request carrying a session must carry its token).
#[derive(Debug, Clone)]
pub struct Posted {
    /// The page context.
    pub ctx: Ctx,
    fields: Vec<(String, String)>,
}

impl Posted {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty text.
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// Every value of `name` (checkboxes).
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromRequest<App> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Posted, Response> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, app).await?;
        let bytes = axum::body::to_bytes(body, http::MAX_BODY_BYTES)
            .await
            .map_err(|_| ctx.fail(ServerError::TooLarge(http::MAX_BODY_BYTES)))?;
        let fields: Vec<(String, String)> = form_pairs(&bytes);
        if let Some(expected) = &ctx.session.csrf {
            let sent = fields
                .iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            if !crate::secret::same(sent.as_bytes(), expected.as_bytes()) {
                return Err(ctx.fail(ServerError::Csrf));
            }
        }
        Ok(Posted { ctx, fields })
    }
}

/// `application/x-www-form-urlencoded` pairs.
fn form_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &[u8]) -> String {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < s.len() => {
                    let hex = std::str::from_utf8(&s[i + 1..i + 3])
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    match hex {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    bytes
        .split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.iter().position(|b| *b == b'=') {
            Some(i) => (decode(&p[..i]), decode(&p[i + 1..])),
            None => (decode(p), String::new()),
        })
        .collect()
}

async fn home(ctx: Ctx) -> Response {
    match ctx.me.as_ref().and_then(|m| m.grants.first()) {
        Some(g) => Redirect::to(&format!("/units/{}", g.unit_id)).into_response(),
        None if ctx.me.is_some() => Redirect::to("/public").into_response(),
        None => Redirect::to("/public").into_response(),
    }
}

#[derive(Debug, serde::Deserialize)]
struct Back {
    #[serde(default)]
    back: Option<String>,
}

async fn set_lang(Path(lang): Path<String>, Query(q): Query<Back>) -> Response {
    let value = if lang == "en" { "en" } else { "zh" };
    let mut headers = HeaderMap::new();
    if let Ok(v) = format!("lang={value}; Path=/; SameSite=Lax; Max-Age=31536000").parse() {
        headers.insert(header::SET_COOKIE, v);
    }
    (headers, Redirect::to(&local(q.back.as_deref()))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        for (name, _) in TEMPLATES {
            assert!(env().get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn forms_decode_and_back_links_stay_local() {
        let f = form_pairs(b"a=1&b=%E4%B8%AD+x&ids=1&ids=2&bad=%zz&empty");
        assert_eq!(f[1], ("b".into(), "中 x".into()));
        assert_eq!(f.iter().filter(|(k, _)| k == "ids").count(), 2);
        assert_eq!(f[4].1, "%zz");
        assert_eq!(f[5], ("empty".into(), String::new()));
        assert_eq!(local(Some("//evil.example/")), "/");
        assert_eq!(local(Some("https://evil.example/")), "/");
        assert_eq!(local(Some("/units/3")), "/units/3");
        assert_eq!(urlencode("/a b?c=中"), "/a%20b%3Fc%3D%E4%B8%AD");
    }
}
