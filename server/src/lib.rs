#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub mod access;
pub mod accounts;
pub mod api;
pub mod audit;
pub mod demo;
pub mod digest;
pub mod error;
pub mod exports;
pub mod feedback;
pub mod filings;
pub mod http;
pub mod pages;
pub mod scoring;
pub mod secret;
pub mod sites;
pub mod store;
#[cfg(test)]
mod testing;
pub mod throttle;
pub mod tokens;
pub mod units;
pub mod workflow;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use http::{App, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// How to start the server.
#[derive(Debug, Clone)]
pub struct Options {
    /// The SQLite file.
    pub db: PathBuf,
    /// Where to listen.
    pub bind: SocketAddr,
    /// Extra `Host` names accepted besides the bound address and `localhost` (a public name behind a proxy).
    pub hosts: Vec<String>,
    /// Behind TLS: `Secure` cookies with the `__Host-` prefix, HSTS.
    pub secure: bool,
    /// The built WebAssembly package the filing page's self-check widget is served from.
    pub widget: Option<PathBuf>,
}

/// The app over an open store.
///
/// # Errors
/// A built-in pack that does not load, as a message.
pub fn app(store: store::Store, settings: Settings) -> Result<App, String> {
    Ok(App {
        store: Arc::new(store),
        scorer: Arc::new(scoring::Scorer::new()?),
        throttle: Arc::new(throttle::Throttle::new()),
        settings: Arc::new(settings),
    })
}

/// Every route with the checks every request goes through.
pub fn router(app: App) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .layer(DefaultBodyLimit::max(http::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            http::check_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(app.clone(), http::harden))
        .with_state(app)
}

/// The `Host` values a server bound to `addr` answers to.
pub fn hosts_for(addr: SocketAddr, extra: &[String]) -> Vec<String> {
    let port = addr.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if !addr.ip().is_unspecified() {
        hosts.push(addr.to_string());
    }
    if port == 80 || port == 443 {
        hosts.extend(["127.0.0.1".to_owned(), "localhost".to_owned()]);
    }
    hosts.extend(extra.iter().cloned());
    hosts
}

/// Serve until SIGINT or SIGTERM; `ready` is told the bound address first (port 0 picks a free one).
///
/// # Errors
/// The database, the address or the packs, as a message.
pub async fn serve(opts: Options, ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let store = store::Store::open(&opts.db).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(opts.bind)
        .await
        .map_err(|e| format!("cannot listen on `{}`: {e}", opts.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let settings = Settings {
        hosts: hosts_for(addr, &opts.hosts),
        secure: opts.secure,
        widget: opts.widget.clone(),
    };
    let app = app(store, settings)?;
    ready(addr);
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(stopped())
    .await
    .map_err(|e| e.to_string())
}

async fn stopped() {
    let int = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = int.await;
                return;
            }
        };
        tokio::select! {
            _ = int => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = int.await;
    }
}
