//! `/demo`: a tiny integrator, acting for the sandbox client, so a newcomer
//! can complete a link from the browser alone (sandbox mode only).
//!
//! Like a real integrator it keeps its own session: the link token it opened
//! rides in an `HttpOnly` cookie, and `/demo/done` shows only that link's
//! consents, so a sandbox exposed by mistake does not list anyone's consent
//! by id.

use crate::error::Error;
use crate::http::widget::page;
use crate::services::{clients, consents, links};
use crate::tokens::TokenKind;
use crate::App;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

const COOKIE: &str = "ponte_demo_link";

pub fn routes() -> Router<App> {
    Router::new()
        .route("/demo", get(demo).post(start))
        .route("/demo/done", get(done))
}

async fn demo() -> Html<String> {
    Html(page(
        "Ponte demo",
        r#"<h1>Acme Lending <small style="color:#6b7280;font-weight:400">(demo)</small></h1>
<p class="lead">This page plays an integrator using the sandbox client. It opens a link for the CPF below; pick a bank, log in with <code>user_good</code> / <code>pass_good</code> and approve.</p>
<form method="post" action="/demo"><label>CPF<br><input type="search" name="cpf" value="529.982.247-25" aria-label="CPF"></label>
<button class="inst" type="submit" style="justify-content:center;background:var(--accent);color:#fff;border:0">Connect a bank account</button></form>"#,
    ))
}

#[derive(Deserialize)]
struct StartForm {
    cpf: String,
}

fn failure(status: StatusCode, text: &str) -> Response {
    let body = format!(
        r#"<h1>Demo</h1><div class="msg">{}</div><p><a href="/demo">Back</a></p>"#,
        html_escape::encode_text(text)
    );
    (status, Html(page("Ponte demo", &body))).into_response()
}

async fn start(State(app): State<App>, Form(form): Form<StartForm>) -> Response {
    let Ok(Some(client)) = clients::sandbox_client_id(&app).await else {
        return failure(
            StatusCode::NOT_FOUND,
            "This database has no sandbox client.",
        );
    };
    let request = links::LinkInput {
        personal_tax_id: Some(form.cpf),
        redirect_url: Some(format!("{}/demo/done", app.public_url)),
        ..Default::default()
    };
    let created = match links::validate(&request) {
        Ok(valid) => links::create(&app, &client, valid).await,
        Err(e) => Err(Error::Field(
            crate::dialects::data_api::errors::wire_field_error(e),
        )),
    };
    match created {
        Ok(link) => {
            let secure = if app.public_url.starts_with("https:") {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{COOKIE}={}; Path=/demo; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                link.link_token,
                crate::tokens::LINK_TOKEN_TTL_SECS
            );
            let mut response = Redirect::to(&link.link_url).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(Error::Field(e)) => failure(StatusCode::BAD_REQUEST, &format!("CPF {}", e.message)),
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    #[serde(rename = "consentId")]
    consent_id: String,
}

/// The link token this browser's demo session opened, if any.
fn session_link_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

async fn done(State(app): State<App>, headers: HeaderMap, Query(q): Query<DoneQuery>) -> Response {
    let bearer = match session_link_token(&headers) {
        Some(token) => app.tokens.verify(token, &[TokenKind::Link]).await.ok(),
        None => None,
    };
    let Some(bearer) = bearer else {
        return failure(
            StatusCode::FORBIDDEN,
            "This page shows the consent of a link opened from this browser's demo, and this browser's demo session has ended. Start again.",
        );
    };
    let view = match consents::load_for(&app, &bearer, &q.consent_id).await {
        Ok(row) => (consents::view_of(&app, &row).await)
            .map(crate::dialects::data_api::views::ConsentView::from),
        Err(e) => Err(e),
    };
    match view {
        Ok(v) => {
            let json = serde_json::to_string_pretty(&v).unwrap_or_default();
            let class = if v.status == ponte_core::ConsentStatus::Authorised {
                "msg ok"
            } else {
                "msg"
            };
            let body = format!(
                r#"<h1>Back at Acme Lending</h1><div class="{class}" data-status="{s}">Consent status: <b>{s}</b></div><p class="lead">This is what <code>GET /data/v1/consents/{id}</code> returns:</p><pre style="white-space:pre-wrap;font-size:.8rem;background:#f9fafb;padding:.75rem;border-radius:8px">{json}</pre><p><a href="/demo">Start again</a> · <a href="/docs">API reference</a></p>"#,
                s = v.status,
                id = html_escape::encode_text(&v.consent_id),
                json = html_escape::encode_text(&json),
            );
            Html(page("Ponte demo", &body)).into_response()
        }
        Err(_) => failure(StatusCode::NOT_FOUND, "Unknown consent."),
    }
}
