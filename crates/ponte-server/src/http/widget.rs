//! The hosted link page and the institutions' return path. The page talks to
//! Ponte only through the public API, with the link token.

use crate::clock::rfc3339;
use crate::dialects::data_api::errors::ApiError;
use crate::error::Error;
use crate::http::extract::bearer;
use crate::services::authorisation;
use crate::services::authorisation_answer::CallbackParams;
use crate::services::directory::CALLBACK_PATH;
use crate::services::{client_locale, clients, consents, duplicates, links, update_mode};
use crate::tokens::{TokenError, TokenKind};
use crate::web;
use crate::web::callback_pages::{self, Failed};
use crate::web::pages::Brand;
use crate::App;
use axum::extract::{Path as AxumPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/link", get(link_page))
        .route("/link/session", get(link_session))
        .route(
            "/ponte-link.js",
            get(|| async { web::sdk_file("ponte-link.js") }),
        )
        .route(
            "/ponte-link.d.ts",
            get(|| async { web::sdk_file("ponte-link.d.ts") }),
        )
        .route(
            &format!("{}/{{version}}/{{*file}}", web::ASSETS_PATH),
            get(link_asset),
        )
        .route(CALLBACK_PATH, get(callback).post(callback_answer))
}

/// The widget's page; everything it shows comes from the API, with the link
/// token the page reads from its own URL. Only that token's client decides
/// who may frame the page.
async fn link_page(State(app): State<App>, Query(q): Query<LinkQuery>) -> Response {
    let client = match (q.v.as_deref(), q.consent_id.as_deref()) {
        (Some(token), _) => app
            .tokens
            .verify(token, &[TokenKind::Link])
            .await
            .ok()
            .map(|who| who.client_id.to_string()),
        // Back from the bank (the token stays in the page's storage): the
        // consent names the client, whose page may be framing this one.
        (None, Some(consent_id)) => consent_client(&app, consent_id).await,
        (None, None) => None,
    };
    let frame = match client {
        Some(client) => web::FrameAncestors::for_client(&app, &client).await,
        // A token Ponte refuses, in the SDK's modal (`embed`): the page
        // says only that, framable anywhere, so the modal hears why instead
        // of facing a silent refused frame. Elsewhere it stays unframable.
        None if q.v.is_some() && q.embed.is_some() => web::FrameAncestors::anyone(),
        None => web::FrameAncestors::default(),
    };
    web::page(&frame)
}

async fn consent_client(app: &App, consent_id: &str) -> Option<String> {
    let mut conn = app.store.read().await.ok()?;
    let row = ponte_store::consent_by_id(&mut conn, consent_id)
        .await
        .ok()??;
    Some(row.client_id)
}

#[derive(Deserialize)]
struct LinkQuery {
    v: Option<String>,
    #[serde(rename = "consentId")]
    consent_id: Option<String>,
    /// Set by `ponte-link.js`: the origin of the page whose modal frames this one.
    embed: Option<String>,
}

async fn link_asset(AxumPath((version, file)): AxumPath<(String, String)>) -> Response {
    web::asset(&version, &file)
}

/// What the widget needs before any institution is chosen and that no Data
/// API call tells a link token: who asks for the data, where to send the end
/// user when they finish or leave, and how long a consent would last.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LinkSession {
    /// The display name when the client set one.
    client_name: String,
    logo_url: Option<String>,
    /// Darkened when too light for white text.
    primary_color: Option<String>,
    privacy_policy_url: Option<String>,
    redirect_url: Option<String>,
    link_expire_at: String,
    consent_validity_days: i64,
    /// The link's language (`pt-BR` or `en`) when its creator set one, else
    /// the client's (`ponte clients update --locale`): the widget speaks it
    /// unless the end user chose otherwise, before the browser's.
    locale: Option<&'static str>,
    /// Update mode: the connection the end user renews (the widget skips
    /// the institution list); its progress is `GET /data/v1/links/renewal`.
    renewal: Option<SessionRenewal>,
    /// The banks this link's end user already connected for the client, when
    /// the client warns about or refuses a second connection (else null).
    already_connected: Option<SessionAlreadyConnected>,
    /// What a consent can share, each with its sentence by language: the
    /// consent screen lists those the institutions offer.
    products: Vec<web::products::SharedProduct>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionAlreadyConnected {
    /// `warn` or `refuse`.
    policy: &'static str,
    institution_codes: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionRenewal {
    consent_id: String,
    institution_code: String,
    institution_name: String,
    avatar: String,
}

async fn link_session(State(app): State<App>, headers: HeaderMap) -> Result<Response, ApiError> {
    let who = bearer(&app, &headers, &[TokenKind::Link]).await?;
    let link_id = who
        .link_id
        .as_ref()
        .ok_or(Error::Token(TokenError::WrongKind))?;
    let (link, details) = links::load(&app, &who.client_id, link_id.as_str()).await?;
    let mut conn = app.store.read().await?;
    let client = ponte_store::client_by_id(&mut conn, who.client_id.as_str())
        .await?
        .ok_or(Error::NotFound("client"))?;
    let branding = clients::branding(&app, &client.id).await?;
    drop(conn);
    let renewal = update_mode::of_link(&app, &who)
        .await?
        .map(|r| SessionRenewal {
            consent_id: r.consent_id,
            institution_code: r.institution_code,
            institution_name: r.institution_name,
            avatar: r.avatar,
        });
    let locale = match web::lang::link_locale(&link.external_info) {
        Some(l) => Some(l),
        None => client_locale::of(&app, who.client_id.as_str()).await?,
    };
    let already_connected = duplicates::already_connected(&app, &who.client_id, &details)
        .await?
        .map(|a| SessionAlreadyConnected {
            policy: a.policy.as_str(),
            institution_codes: a.institution_codes,
        });
    let mut resp = Json(LinkSession {
        client_name: branding.display_name.clone().unwrap_or(client.name),
        logo_url: branding.logo_url.clone(),
        primary_color: branding.readable_color(),
        privacy_policy_url: branding.privacy_policy_url.clone(),
        redirect_url: link.redirect_url,
        locale: locale.map(|l| l.tag()),
        link_expire_at: rfc3339(who.expires_at),
        consent_validity_days: consents::CONSENT_VALIDITY_MS / (24 * 3600 * 1000),
        renewal,
        already_connected,
        products: web::products::shared_products(),
    })
    .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Where the bank sends the browser back. A legacy institution puts its
/// answer in the query; a FAPI-BR one (the hybrid flow) in the fragment,
/// which never reaches a server: this page reads it and posts it back to
/// [`callback_answer`].
async fn callback(
    State(app): State<App>,
    headers: HeaderMap,
    Query(params): Query<CallbackParams>,
) -> Response {
    let lang = web::lang::resolve(None, &headers, None);
    let secure = app.public_url.starts_with("https://");
    if params.state.is_none() && params.code.is_none() && params.error.is_none() {
        return callback_pages::fragment_reader(lang, secure, CALLBACK_PATH, FRAGMENT_SCRIPT);
    }
    finish_callback(app, &headers, params).await
}

/// The fragment of a hybrid-flow answer, posted by [`fragment_reader`]'s
/// script (a form, so it works without `fetch` and keeps the browser on a
/// normal navigation to the consent's `redirectUrl`).
async fn callback_answer(
    State(app): State<App>,
    headers: HeaderMap,
    axum::Form(params): axum::Form<CallbackParams>,
) -> Response {
    finish_callback(app, &headers, params).await
}

/// The script that posts the fragment: only the answer's own parameters,
/// and the fragment is dropped from the address bar and history first.
const FRAGMENT_SCRIPT: &str = r#"(function(){var h=location.hash.slice(1);history.replaceState(null,"",location.pathname);var f=document.getElementById("answer");var keys=["code","id_token","state","iss","error","error_description"];var p=new URLSearchParams(h);var any=false;keys.forEach(function(k){var v=p.get(k);if(v===null)return;any=true;var i=document.createElement("input");i.type="hidden";i.name=k;i.value=v;f.appendChild(i);});if(!any){document.getElementById("wait").hidden=true;document.getElementById("none").hidden=false;return;}f.submit();})();"#;

/// Completes the authorisation and answers the end user: with a
/// `redirectUrl` (the widget's own, or the integrator's) it passes the
/// outcome on; without one it says how it went, in the end user's language
/// (`callback_pages::outcome_lang`: their choice on any Ponte page, else the
/// link's or client's, else their browser's).
async fn finish_callback(app: App, headers: &HeaderMap, params: CallbackParams) -> Response {
    let secure = app.public_url.starts_with("https://");
    let lang = web::lang::resolve(None, headers, None);
    match authorisation::complete_authorisation(&app, params).await {
        Ok(outcome) => match outcome.redirect {
            Some(to) => Redirect::to(&to).into_response(),
            None => {
                let lang = callback_pages::outcome_lang(&app, headers, &outcome.consent_id).await;
                let brand = outcome_brand(&app, &outcome.consent_id).await;
                callback_pages::outcome(lang, secure, &brand, &outcome.consent_id, outcome.status)
            }
        },
        Err(e) => {
            // Plain words only: the end user cannot act on an API message.
            let (status, why) = match &e {
                Error::NotFound(_) => (StatusCode::BAD_REQUEST, Failed::Unknown),
                Error::Field(_) | Error::Malformed { .. } => {
                    (StatusCode::BAD_REQUEST, Failed::Unreadable)
                }
                Error::Internal(err) => {
                    tracing::error!(error = ?err, "callback failed");
                    (StatusCode::INTERNAL_SERVER_ERROR, Failed::Ours)
                }
                other => {
                    tracing::warn!(error = %other, "the institution did not complete an authorisation");
                    (StatusCode::BAD_GATEWAY, Failed::Bank)
                }
            };
            callback_pages::failed(lang, secure, why, status)
        }
    }
}

/// The consent's client's brand; Ponte's own when it cannot be read.
async fn outcome_brand(app: &App, consent_id: &str) -> Brand {
    let Some(client_id) = consent_client(app, consent_id).await else {
        return Brand::unknown();
    };
    match crate::services::documents_progress::recipient(app, &client_id).await {
        Ok(r) => Brand::new(r.name, r.logo_url, r.primary_color, r.privacy_policy_url),
        Err(e) => {
            tracing::warn!(error = %e, "the callback page could not read the client's brand");
            Brand::unknown()
        }
    }
}
