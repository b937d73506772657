//! What every request goes through: the Host and Origin check (a server on 127.0.0.1 is otherwise open to DNS
//! rebinding), a time limit, the security headers, sessions from the cookie, CSRF on every state change, and
//! errors as JSON `{code, message, field?}`.

use crate::access::Actor;
use crate::accounts;
use crate::error::{Result, ServerError};
use crate::scoring::Scorer;
use crate::store::Store;
use crate::throttle::Throttle;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// The largest request body (an observation with raw evidence, a profile workbook).
pub const MAX_BODY_BYTES: usize = 8 << 20;
/// The longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Content-Security-Policy of every page: scripts only from this server (and WebAssembly compiled by them),
/// styles from this server or set by them (the widget builds its own styles in its shadow root), nothing framed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The `Host` values accepted (`127.0.0.1:8080`, `localhost:8080`, a public name).
    pub hosts: Vec<String>,
    /// Cookies marked `Secure` with the `__Host-` prefix, and HSTS sent (behind TLS).
    pub secure: bool,
    /// The built WebAssembly package (`bindings/wasm/pkg`) whose `<pucha-self-check>` the filing page embeds;
    /// without it the page takes pasted or uploaded observation JSON only.
    pub widget: Option<std::path::PathBuf>,
}

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct App {
    /// The database.
    pub store: Arc<Store>,
    /// The engines.
    pub scorer: Arc<Scorer>,
    /// Login and public-side throttling.
    pub throttle: Arc<Throttle>,
    /// How it was started.
    pub settings: Arc<Settings>,
}

impl App {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.settings.secure {
            "__Host-pucha_session"
        } else {
            "pucha_session"
        }
    }

    /// Run blocking database work off the async threads.
    ///
    /// # Errors
    /// `f`'s errors; `storage` if the worker failed.
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| ServerError::Storage(format!("worker failed: {e}")))?
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({"code": self.code(), "message": self.to_string()});
        if let ServerError::BadInput { field, .. } = &self {
            body["field"] = serde_json::Value::String(field.clone());
        }
        let mut resp = (status, axum::Json(body)).into_response();
        if let ServerError::Throttled(secs) = self
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// The TCP peer's address (0.0.0.0 when served without one, as in tests).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Peer, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        Ok(Peer(ip))
    }
}

/// The cookie's value, if the request carries the session cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Who is asking: the actor, and for a signed-in browser the session's cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    /// What the requester may do.
    pub actor: Actor,
    /// The session cookie's value.
    pub cookie: Option<String>,
    /// The session's CSRF token.
    pub csrf: Option<String>,
}

impl Session {
    /// The account, or `unauthenticated`.
    ///
    /// # Errors
    /// `unauthenticated` for the public.
    pub fn account(&self) -> Result<i64> {
        self.actor.account.ok_or(ServerError::Unauthenticated)
    }
}

impl FromRequestParts<App> for Session {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Session> {
        let Some(value) = cookie(&parts.headers, app.cookie_name()) else {
            // A script's bearer token, on the API only; it carries no cookie, so no CSRF token is needed.
            let bearer = parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_owned);
            if let Some(bearer) = bearer.filter(|_| parts.uri.path().starts_with("/api/")) {
                let found = app
                    .db(move |s| {
                        let found = s.read(|c| crate::tokens::actor(c, &bearer))?;
                        if let Some((actor, id, true)) = &found
                            && let Some(account) = actor.account
                        {
                            s.write(|tx| crate::tokens::used(tx, *id, account))?;
                        }
                        Ok(found)
                    })
                    .await?;
                return match found {
                    Some((actor, _, _)) => Ok(Session {
                        actor,
                        cookie: None,
                        csrf: None,
                    }),
                    None => Err(ServerError::Unauthenticated),
                };
            }
            return Ok(Session {
                actor: Actor::public(),
                cookie: None,
                csrf: None,
            });
        };
        let v = value.clone();
        let found = app
            .db(move |s| {
                let Some((account, csrf, stale)) = s.read(|c| accounts::session(c, &v))? else {
                    return Ok(None);
                };
                if stale {
                    s.write(|tx| accounts::touch_session(tx, &v))?;
                }
                Ok(Some((s.read(|c| accounts::actor(c, account))?, csrf)))
            })
            .await?;
        let Some((actor, csrf)) = found else {
            return Ok(Session {
                actor: Actor::public(),
                cookie: None,
                csrf: None,
            });
        };
        // The API takes the token in a header; the pages' forms carry it as a field, checked by `pages::Posted`.
        let api = parts.uri.path().starts_with("/api/");
        if api && parts.method != Method::GET && parts.method != Method::HEAD {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
            if !sent.is_some_and(|t| crate::secret::same(t.as_bytes(), csrf.as_bytes())) {
                return Err(ServerError::Csrf);
            }
        }
        Ok(Session {
            actor,
            cookie: Some(value),
            csrf: Some(csrf),
        })
    }
}

/// Refuse a request whose `Host` is not this server's, or whose `Origin` (on a state change) is another site's.
pub async fn check_origin(State(app): State<App>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Requests without a Host (HTTP/1.0, in-process tests) are not from a browser; browsers always send one.
    if !host.is_empty() && !app.settings.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return ServerError::Origin.into_response();
    }
    let changes = req.method() != Method::GET && req.method() != Method::HEAD;
    if changes && let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let bare = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        if !app.settings.hosts.iter().any(|h| h.eq_ignore_ascii_case(bare)) {
            return ServerError::Origin.into_response();
        }
    }
    next.run(req).await
}

/// The time limit and the security headers on every response.
pub async fn harden(State(app): State<App>, req: Request, next: Next) -> Response {
    let mut resp = match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "请求超时 / request timed out").into_response(),
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if app.settings.secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(app: &App, value: &str) -> String {
    let secure = if app.settings.secure { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        app.cookie_name(),
        accounts::ABSOLUTE_SECS
    )
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(app: &App) -> String {
    let secure = if app.settings.secure { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
        app.cookie_name()
    )
}

/// A JSON request body; a body that does not read is a `bad_input` error naming what is wrong, in the same
/// `{code, message, field}` shape as every other error.
#[derive(Debug, Clone)]
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Body<T>> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ServerError::TooLarge(MAX_BODY_BYTES))
            }
            Err(e) => Err(ServerError::bad("body", e.body_text())),
        }
    }
}

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::OptionalFromRequest<S> for Body<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Body<T>>> {
        let empty = req.headers().get(header::CONTENT_TYPE).is_none()
            && req.headers().get(header::CONTENT_LENGTH).is_none_or(|v| v == "0");
        if empty {
            return Ok(None);
        }
        <Body<T> as axum::extract::FromRequest<S>>::from_request(req, state)
            .await
            .map(Some)
    }
}

/// A session opened by [`sign_in`]: the account, the cookie's value and the CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub account: i64,
    /// The session cookie's value.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// Sign in from `ip`, for the API and the login page alike: back off after failures per login and per address,
/// log the attempt, and open a session; `None` for a wrong login or password (one answer for both).
///
/// # Errors
/// `throttled` while a back-off runs; `storage`.
pub async fn sign_in(app: &App, login: String, password: String, ip: IpAddr) -> Result<Option<SignedIn>> {
    let (by_login, by_ip) = (format!("login:{login}"), format!("ip:{ip}"));
    let wait = app.throttle.wait(&by_login).max(app.throttle.wait(&by_ip));
    if wait > 0 {
        return Err(ServerError::Throttled(wait));
    }
    let opened = app
        .db(move |s| {
            let id = s.read(|c| accounts::verify(c, &login, &password))?;
            s.write(|tx| match id {
                Some(id) => {
                    let about = crate::audit::About::none();
                    crate::audit::append(tx, Some(id), "login", about, Some(&ip.to_string()))?;
                    let (cookie, csrf) = accounts::open_session(tx, id)?;
                    Ok(Some(SignedIn {
                        account: id,
                        cookie,
                        csrf,
                    }))
                }
                None => {
                    let detail = format!("{login} from {ip}");
                    crate::audit::append(
                        tx,
                        None,
                        "login_failed",
                        crate::audit::About::none(),
                        Some(&detail),
                    )?;
                    Ok(None)
                }
            })
        })
        .await?;
    match &opened {
        Some(_) => app.throttle.clear(&by_login),
        None => {
            app.throttle.fail(&by_login);
            app.throttle.fail(&by_ip);
        }
    }
    Ok(opened)
}
