//! `/demo`: a tiny integrator, acting for the sandbox client, so a newcomer
//! can complete a link from the browser alone (sandbox mode only).

use crate::error::Error;
use crate::http::widget::page;
use crate::services::{clients, consents, links};
use crate::App;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

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
    let request = links::LinkRequest {
        personal_tax_id: Some(form.cpf),
        redirect_url: Some(format!("{}/demo/done", app.public_url)),
        ..Default::default()
    };
    let created = match links::validate(&request) {
        Ok(valid) => links::create(&app, &client, valid).await,
        Err(e) => Err(Error::Field(e)),
    };
    match created {
        Ok(link) => Redirect::to(&link.link_url).into_response(),
        Err(Error::Field(e)) => failure(StatusCode::BAD_REQUEST, &format!("CPF {}", e.message)),
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    #[serde(rename = "consentId")]
    consent_id: String,
}

async fn done(State(app): State<App>, Query(q): Query<DoneQuery>) -> Response {
    let Ok(Some(client)) = clients::sandbox_client_id(&app).await else {
        return failure(
            StatusCode::NOT_FOUND,
            "This database has no sandbox client.",
        );
    };
    let bearer = crate::tokens::Bearer::client(client, 0);
    let view = match consents::load_for(&app, &bearer, &q.consent_id).await {
        Ok(row) => consents::view_of(&app, &row).await,
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
