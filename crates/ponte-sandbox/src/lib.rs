//! Synthetic Open Finance Brasil institutions.
//!
//! Each bank of [`banks()`] is an OAuth 2.0 authorization server (PAR, PKCE S256,
//! authorization code + refresh + client credentials) plus the OFB consents API v3.
//! Ponte talks to it over HTTP only, exactly as it would to a real institution, so this
//! crate depends on no other ponte crate.
//!
//! Layout: `catalogue` (the banks), `store` (sqlx Any state), `oauth` (token/PAR/discovery),
//! `flow` + `pages` (the login/consent web journey), `consents_api`, `errors`, and
//! `customer`, the customer's own side of the bank (sandbox only): see a consent and
//! revoke it, as the person would in their bank's app.
//! `data` serves the OFB data APIs (resources, customers, accounts, credit cards, loans,
//! bank fixed incomes) behind the access tokens of the authorization-code grant, with
//! synthetic data derived deterministically from (bank, user, CPF) and the calendar date.
//!
//! `portals` are the document portals (a bank, a brokerage, a crypto platform) at
//! `{base_url}/portals/{code}`: their own sign-in pages and code-for-token hand-off,
//! and a documents API serving the PDFs `documents` renders (statements, 1099-INT,
//! 1099-DIV, 1099-B, year-end summaries), a pure function of (portal, user, year).

mod catalogue;
mod consents_api;
mod customer;
mod data;
pub mod directory;
mod documents;
mod errors;
mod flow;
mod oauth;
mod pages;
mod permissions;
mod portals;
mod store;
mod util;

pub use documents::ScannedArchive;

use std::future::Future;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use catalogue::{banks, BankInfo};
pub use directory::{Directory, DirectoryTrust};
pub use portals::catalogue::{portals, PortalInfo, PortalKind};
pub use portals::document_pdf;

/// How the sandbox is mounted and where it keeps its state.
pub struct SandboxConfig {
    /// Absolute URL where `router()` is mounted, no trailing slash, e.g.
    /// "http://127.0.0.1:8080/sandbox/banks". Bank `{code}` lives at "{base_url}/{code}"
    /// and that is its OAuth issuer; document portal `{code}` at "{base_url}/portals/{code}".
    pub base_url: String,
    /// sqlx URL for the sandbox's own state: "sqlite://<path>?mode=rwc" or "postgres://…".
    /// Tables are prefixed `sandbox_` so the database may be shared with Ponte.
    pub database_url: String,
    /// OAuth clients allowed to use every bank.
    pub clients: Vec<SandboxClient>,
}

/// A registered OAuth client (the same registration is valid at every bank).
#[derive(Clone)]
pub struct SandboxClient {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
}

impl std::fmt::Debug for SandboxClient {
    // The secret must never end up in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxClient")
            .field("client_id", &self.client_id)
            .field("redirect_uris", &self.redirect_uris)
            .finish_non_exhaustive()
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub base_url: Arc<str>,
    /// Path part of `base_url`, used for root-relative form actions so pages keep working
    /// whatever host name the browser used.
    pub base_path: Arc<str>,
    pub clients: Arc<Vec<SandboxClient>>,
    pub store: store::Store,
}

impl AppState {
    pub fn issuer(&self, bank: &BankInfo) -> String {
        format!("{}/{}", self.base_url, bank.code)
    }

    pub fn bank_path(&self, bank: &BankInfo) -> String {
        format!("{}/{}", self.base_path, bank.code)
    }

    pub fn client(&self, client_id: &str) -> Option<&SandboxClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }
}

/// Builds the sandbox router (state applied), ready to be nested by the host application.
pub async fn router(config: SandboxConfig) -> anyhow::Result<Router> {
    let base_url = config.base_url.trim_end_matches('/').to_string();
    let parsed = url::Url::parse(&base_url)
        .map_err(|e| anyhow::anyhow!("SandboxConfig.base_url {base_url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        anyhow::bail!("SandboxConfig.base_url must be http(s), got {base_url:?}");
    }
    let base_path = parsed.path().trim_end_matches('/').to_string();
    let store = store::Store::connect(&config.database_url).await?;
    let state = AppState {
        base_url: base_url.into(),
        base_path: base_path.into(),
        clients: Arc::new(config.clients),
        store,
    };

    let portals = portals::router(portals::PortalState {
        base_url: state.base_url.clone(),
        base_path: state.base_path.clone(),
        clients: state.clients.clone(),
        store: portals::PortalStore::connect(&config.database_url).await?,
    });

    let consents = "/{code}/open-banking/consents/v3/consents";
    let r = Router::new()
        .route(
            "/{code}/.well-known/openid-configuration",
            get(oauth::discovery),
        )
        .route("/{code}/avatar.svg", get(catalogue::avatar))
        .route("/{code}/auth/jwks", get(oauth::jwks))
        .route("/{code}/auth/token", post(oauth::token))
        .route("/{code}/auth/par", post(oauth::par))
        .route("/{code}/auth/authorize", get(flow::authorize))
        .route("/{code}/auth/login", post(flow::login))
        .route("/{code}/auth/otp", post(flow::otp))
        .route("/{code}/auth/decision", post(flow::decision))
        .route("/{code}/auth/cancel", get(flow::cancel).post(flow::cancel))
        .route(consents, post(consents_api::create))
        .route(
            &format!("{consents}/{{consent_id}}"),
            get(consents_api::read).delete(consents_api::revoke),
        )
        .route(
            "/{code}/customer/consents/{consent_id}",
            get(customer::read),
        )
        .route(
            "/{code}/customer/consents/{consent_id}/revoke",
            post(customer::revoke),
        )
        .merge(data::routes())
        .fallback(errors::not_found)
        .layer(axum::middleware::from_fn(errors::interaction_id))
        .with_state(state)
        .nest("/portals", portals);
    Ok(r)
}

/// The sandbox as its own process: the banks at the root of `config.base_url`
/// (`{base_url}/{code}`, reached exactly as when mounted inside Ponte), plus
/// `GET /healthz`. Serve it with [`serve`].
pub async fn standalone_router(config: SandboxConfig) -> anyhow::Result<Router> {
    for client in &config.clients {
        if client.client_id.trim().is_empty() || client.client_secret.is_empty() {
            anyhow::bail!("a client needs a client id and a secret");
        }
        for uri in &client.redirect_uris {
            let ok = url::Url::parse(uri)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.fragment().is_none());
            if !ok {
                anyhow::bail!("redirect URI {uri:?} is not an absolute http(s) URL");
            }
        }
    }
    Ok(Router::new()
        .route(
            "/healthz",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .merge(router(config).await?))
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
