//! `POST /sandbox/v1/documents/connect`: for tests and headless integrators,
//! drives the very same portal pages a person would (login, one-time code,
//! sharing), then completes the portal's return as the browser would have.

use crate::error::{Error, Result};
use crate::services::documents::{self, Session};
use crate::services::sandbox_driver::{forms, institution_error};
use crate::App;
use ponte_core::FieldError;
use ponte_store::{RetrievalId, RetrievalStatus};
use std::collections::BTreeMap;

/// Longest values passed on to the portal (as the bank helper's).
const MAX_USERNAME: usize = 256;
const MAX_PASSWORD: usize = 1024;
const MAX_OTP: usize = 32;

pub struct Login<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub otp: Option<&'a str>,
}

fn bounded(field: &'static str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// Returns the retrieval id once its job is queued. A refused login ends the
/// retrieval as failed (its webhook says so) and answers why.
pub async fn connect(
    app: &App,
    s: &Session,
    institution_code: &str,
    login: Login<'_>,
) -> Result<RetrievalId> {
    if login.username.is_empty() {
        return Err(FieldError::new("username", "is required").into());
    }
    bounded("username", login.username, MAX_USERNAME)?;
    bounded("password", login.password, MAX_PASSWORD)?;
    if let Some(otp) = login.otp {
        bounded("otp", otp, MAX_OTP)?;
    }
    let started = documents::connect(app, s, institution_code, None).await?;
    let id = started.retrieval_id;
    match drive(app, &started.login_url, &login).await {
        Ok(back) => {
            let params: BTreeMap<String, String> = back.query_pairs().into_owned().collect();
            documents::complete(
                app,
                params.get("state").map(String::as_str),
                params.get("code").map(String::as_str),
                params.get("error").map(String::as_str),
                params.get("error_description").map(String::as_str),
            )
            .await?;
            Ok(id)
        }
        Err(e) => {
            let mut conn = app.store.read().await?;
            if let Some(row) = ponte_store::retrieval(&mut conn, id).await? {
                drop(conn);
                documents::fail(app, &row, RetrievalStatus::AwaitingLogin, &e.to_string()).await?;
            }
            Err(e)
        }
    }
}

/// Walks the portal's pages until it sends the browser back; returns that URL.
async fn drive(app: &App, start: &str, login: &Login<'_>) -> Result<url::Url> {
    let unreachable =
        |e: reqwest::Error| Error::Institution(format!("could not reach the portal: {e}"));
    let mut at = url::Url::parse(start).map_err(|e| anyhow::anyhow!("login url: {e}"))?;
    let mut resp = app.http.get(at.clone()).send().await.map_err(unreachable)?;
    let mut done: Vec<String> = Vec::new();
    for _ in 0..8 {
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            return at
                .join(location)
                .map_err(|e| anyhow::anyhow!("redirect: {e}").into());
        }
        let html = resp.text().await.map_err(unreachable)?;
        let Some(form) = forms(&html).into_iter().next() else {
            let why = institution_error(&html).unwrap_or_else(|| "an unexpected page".into());
            return Err(Error::Institution(format!(
                "the portal showed no form ({why})"
            )));
        };
        let mut fields = form.fields.clone();
        let again = done.contains(&form.step);
        match form.step.as_str() {
            "login" if again => {
                return Err(match institution_error(&html).as_deref() {
                    Some("locked") => Error::Institution(
                        "login refused by the portal: the account is locked".into(),
                    ),
                    _ => FieldError::new(
                        "password",
                        "login refused by the portal: wrong username or password",
                    )
                    .into(),
                })
            }
            "login" => {
                fields.insert("username".into(), login.username.into());
                fields.insert("password".into(), login.password.into());
            }
            "otp" if again => {
                return Err(FieldError::new("otp", "the portal refused the one-time code").into())
            }
            "otp" => {
                let otp = login
                    .otp
                    .ok_or_else(|| FieldError::new("otp", "this user needs a one-time code"))?;
                fields.insert("otp".into(), otp.into());
            }
            "approve" => {
                let pick = form
                    .decisions
                    .iter()
                    .find(|d| *d == "approve")
                    .or(form.decisions.first());
                fields.insert(
                    "decision".into(),
                    pick.cloned().unwrap_or_else(|| "approve".into()),
                );
            }
            other => {
                return Err(Error::Institution(format!(
                    "unexpected step {other:?} at the portal"
                )))
            }
        }
        done.push(form.step.clone());
        at = at
            .join(&form.action)
            .map_err(|e| anyhow::anyhow!("form action: {e}"))?;
        resp = app
            .http
            .post(at.clone())
            .form(&fields)
            .send()
            .await
            .map_err(unreachable)?;
    }
    Err(Error::Institution(
        "the portal's pages did not finish the sign-in".into(),
    ))
}
