//! Synthetic Open Finance Brasil institutions.
//!
//! Each bank of [`banks()`] is an OAuth 2.0 authorization server (PAR, PKCE S256,
//! authorization code + refresh + client credentials) plus the OFB consents API v3.
//! Ponte talks to it over HTTP only, exactly as it would to a real institution, so this
//! crate depends on no other ponte crate.
//!
//! Layout: `catalogue` (the banks), `store` (sqlx Any state), `oauth` (token/PAR/discovery),
//! `flow` + `pages` (the login/consent web journey; `templates/*.html` rendered by
//! `templates`, words from the sandbox's one catalogue `locales/*.ftl` through
//! `messages`, in the language `lang` chooses), `consents_api`, `errors`, and
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
mod clients;
mod consent_extensions;
mod consents_api;
mod customer;
mod data;
pub mod directory;
mod documents;
mod errors;
mod fapi;
mod flow;
pub mod jose;
mod lang;
mod logos;
mod messages;
mod oauth;
mod pages;
mod permissions;
mod portals;
mod presence;
mod state;
mod store;
mod templates;
pub mod tls;
mod util;

pub use documents::ScannedArchive;

use std::future::Future;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

pub use catalogue::{banks, BankInfo, PRODUCTS};
pub use clients::{CertificateRule, ClientJwks, FapiClient, SandboxClient};
pub use data::product_of as api_product;
pub use directory::{Directory, DirectoryTrust};
pub use permissions::family as permission_product;
pub use portals::catalogue::{portals, PortalInfo, PortalKind};
pub use portals::{document_pdf, documents_listed_at};
pub(crate) use state::AppState;
pub use state::SandboxConfig;
pub use tls::{serve_mtls, ClientCertificate, MtlsServerConfig};

/// Builds the sandbox router (state applied), ready to be nested by the host application.
pub async fn router(config: SandboxConfig) -> anyhow::Result<Router> {
    let base_url = config.base_url.trim_end_matches('/').to_string();
    let parsed = url::Url::parse(&base_url)
        .map_err(|e| anyhow::anyhow!("SandboxConfig.base_url {base_url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        anyhow::bail!("SandboxConfig.base_url must be http(s), got {base_url:?}");
    }
    let base_path = parsed.path().trim_end_matches('/').to_string();
    let mtls_base_url = match config.mtls_base_url.as_deref() {
        Some(m) => {
            let m = m.trim_end_matches('/');
            url::Url::parse(m).map_err(|e| {
                anyhow::anyhow!("SandboxConfig.mtls_base_url {m:?} is not a URL: {e}")
            })?;
            Some(Arc::from(m))
        }
        None => None,
    };
    check_clients(&config.clients)?;
    let store = store::Store::connect(&config.database_url).await?;
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let state = AppState {
        base_url: base_url.into(),
        base_path: base_path.into(),
        mtls_base_url,
        directory: config.directory.map(Arc::new),
        clients: Arc::new(config.clients),
        store,
        bank_key: Arc::default(),
        jwks_cache: clients::JwksCache::default(),
        http,
        presence: presence::Presence::default(),
    };

    let portals = portals::router(portals::PortalState {
        base_url: state.base_url.clone(),
        base_path: state.base_path.clone(),
        clients: state.clients.clone(),
        store: portals::PortalStore::open(&config.database_url, state.store.pool().clone()).await?,
    });

    let consents = "/{code}/open-banking/consents/v3/consents";
    let r = Router::new()
        .route(
            "/{code}/.well-known/openid-configuration",
            get(oauth::discovery),
        )
        .route("/{code}/avatar.svg", get(logos::avatar))
        .route("/{code}/auth/jwks", get(oauth::jwks))
        .route("/{code}/auth/token", post(oauth::token))
        .route("/{code}/auth/par", post(oauth::par))
        .route("/{code}/auth/revoke", post(oauth::revoke))
        .route("/{code}/auth/introspect", post(oauth::introspect))
        .route("/{code}/register", post(fapi::dcr::register))
        .route(
            "/{code}/register/{client_id}",
            get(fapi::dcr::read)
                .put(fapi::dcr::update)
                .delete(fapi::dcr::delete),
        )
        .route(
            "/_test/misbehaviour",
            get(fapi::misbehaviour::show).post(fapi::misbehaviour::set),
        )
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
            &format!("{consents}/{{consent_id}}/extends"),
            post(consent_extensions::extend),
        )
        .route(
            &format!("{consents}/{{consent_id}}/extensions"),
            get(consent_extensions::extensions),
        )
        .route(
            "/{code}/_test/consents/{consent_id}/clock",
            axum::routing::put(consent_extensions::set_clock),
        )
        .route(
            "/{code}/_test/consents/{consent_id}/presence",
            get(presence::show),
        )
        .route(
            "/{code}/customer/consents/{consent_id}",
            get(customer::read),
        )
        .route(
            "/{code}/customer/consents/{consent_id}/revoke",
            post(customer::revoke),
        )
        .merge(data::routes().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            data::quota::enforce,
        )))
        .fallback(errors::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            fapi::interaction::interaction_id,
        ))
        .layer(axum::middleware::from_fn(tls::expose_certificate))
        .with_state(state)
        .nest("/portals", portals);
    Ok(r)
}

/// The sandbox as its own process: the banks at the root of `config.base_url`
/// (`{base_url}/{code}`, reached exactly as when mounted inside Ponte), plus
/// `GET /healthz`. Serve it with [`serve`].
pub async fn standalone_router(config: SandboxConfig) -> anyhow::Result<Router> {
    for client in &config.clients {
        if client.client_id.trim().is_empty()
            || (client.client_secret.is_empty() && client.fapi.is_none())
        {
            anyhow::bail!("a client needs a client id and a secret (or FAPI registration)");
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

/// Configured clients: FAPI ones carry no secret and a usable key set.
fn check_clients(clients: &[SandboxClient]) -> anyhow::Result<()> {
    for c in clients {
        let Some(f) = &c.fapi else { continue };
        let id = &c.client_id;
        if !c.client_secret.is_empty() {
            anyhow::bail!("client {id:?}: a FAPI client has no client_secret");
        }
        if let ClientJwks::Jwks(v) = &f.keys {
            if !v["keys"].is_array() {
                anyhow::bail!("client {id:?}: fapi.keys is not a JWK Set (no keys array)");
            }
        }
        match (
            f.id_token_encrypted_response_alg.as_deref(),
            f.id_token_encrypted_response_enc.as_deref(),
        ) {
            (None, None) | (Some("RSA-OAEP"), Some("A256GCM")) => {}
            _ => anyhow::bail!(
                "client {id:?}: id_token_encrypted_response_alg/enc must be RSA-OAEP/A256GCM or both absent"
            ),
        }
    }
    Ok(())
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
