//! "Add a bank" on `/me`: the end user opens the widget for themselves and
//! comes back to `/me`. Open Finance needs the account holder's CPF and the
//! Server API carries none, so the page's form asks for it (check digits
//! verified here, before any link exists); the link is the same as
//! `POST /v1/client/connections/link` makes, returning to `/me`. The CPF is
//! remembered (sealed in the end user's profile) after the first bank, and
//! the link carries the page's language so the widget speaks it too.

use super::me::{self, fields, form_user, problem};
use crate::error::Error;
use crate::services::{end_users, links};
use crate::web::me_pages::{Notice, Problem};
use crate::App;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Default, Deserialize)]
pub struct AddForm {
    cpf: Option<String>,
    csrf: Option<String>,
    lang: Option<String>,
}

#[utoipa::path(post, path = "/me/connections/new", tag = "Server API: Connections",
    summary = "Add a bank from `/me` (the page's form)",
    description = "Takes the end user's CPF (the bank needs the account holder; the Server API carries none), opens a link of their own that returns to `/me`, and sends the browser to it. An invalid CPF shows the page again with the field marked.",
    security(()),
    responses((status = 303, description = "On to the widget"), (status = 400, description = "The CPF is not valid: the page again, saying so", content_type = "text/html", body = String), (status = 403, description = "The form did not come from the page", content_type = "text/html", body = String), (status = 401, description = "No session (no cookie and no valid ticket): a page asking the app to open `/me` again", content_type = "text/html", body = String)))]
pub async fn add(
    State(app): State<App>,
    headers: HeaderMap,
    form: Result<Form<AddForm>, FormRejection>,
) -> Response {
    let form = fields(form);
    let (who, lang) = match form_user(&app, &headers, form.csrf, form.lang.as_deref()).await {
        Ok(signed_in) => signed_in,
        Err(page) => return page,
    };
    let Some(end_user) = who.end_user_id.as_ref() else {
        return problem(&app, lang, StatusCode::UNAUTHORIZED, Problem::SessionEnded);
    };
    let typed = form
        .cpf
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    // The page asks for the CPF only until the end user has given it once.
    let cpf = match typed.clone() {
        Some(cpf) => cpf,
        None => end_users::find(&app, &who.client_id, end_user.as_str())
            .await
            .ok()
            .and_then(|u| u.profile.personal_tax_id)
            .unwrap_or_default(),
    };
    let request = links::LinkInput {
        personal_tax_id: Some(cpf.clone()),
        redirect_url: Some(format!("{}/me", app.public_url)),
        external_info: Some(serde_json::json!({"locale": lang.locale.tag()})),
        ..Default::default()
    };
    let valid = match links::validate(&request) {
        Ok(valid) => valid,
        Err(_) => {
            return me::list_page(
                &app,
                &headers,
                form.lang.as_deref(),
                Notice::BadCpf,
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    };
    match links::create_for_end_user(&app, &who, end_user, valid).await {
        Ok(link) => {
            tracing::info!(link_id = %link.link_id, end_user_id = %end_user.as_str(), "the end user adds a bank from /me");
            if typed.is_some() {
                if let Err(e) =
                    end_users::remember_personal_tax_id(&app, &who.client_id, end_user, &cpf).await
                {
                    // The link works either way; the page will ask again.
                    tracing::warn!(error = %e, "the end user's CPF could not be remembered");
                }
            }
            let mut resp = Redirect::to(&link.link_url).into_response();
            crate::web::lang::remember(
                lang,
                app.public_url.starts_with("https://"),
                resp.headers_mut(),
            );
            resp
        }
        Err(Error::Internal(err)) => {
            tracing::error!(error = ?err, "opening a link from /me failed");
            problem(
                &app,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                Problem::Refused,
            )
        }
        Err(_) => problem(&app, lang, StatusCode::BAD_REQUEST, Problem::Refused),
    }
}
