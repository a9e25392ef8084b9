//! `POST /sandbox/v1/consents/{id}/authorise`: for integrators without a
//! browser, drives the very same institution pages a person would, over HTTP:
//! login, one-time code, approval, then Ponte's own callback. And
//! `revoke_at_institution`: the end user withdraws the consent in their bank's
//! app, which Ponte only learns of when the bank next refuses its tokens.

use crate::error::{Error, Result};
use crate::services::authorisation;
use crate::services::authorisation_answer::CallbackParams;
use crate::services::consents;
use crate::tokens::Bearer;
use crate::App;
use ponte_core::{ConsentStatus, FieldError};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Default, Deserialize)]
pub struct Credentials {
    pub username: Option<String>,
    pub password: Option<String>,
    pub otp: Option<String>,
}

/// Longest values passed on to the bank: far above any real login, low
/// enough that an oversized one is the caller's mistake (a 400), never a
/// page the bank refuses (a 502).
const MAX_USERNAME: usize = 256;
const MAX_PASSWORD: usize = 1024;
const MAX_OTP: usize = 32;

fn bounded<'a>(field: &'static str, value: &'a str, max: usize) -> Result<&'a str, FieldError> {
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value)
}

impl Credentials {
    /// The username and password, both required, and the optional one-time
    /// code, each within its size.
    fn login(&self) -> Result<(&str, &str), FieldError> {
        let username = self
            .username
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| FieldError::new("username", "is required"))?;
        let password = self
            .password
            .as_deref()
            .ok_or_else(|| FieldError::new("password", "is required"))?;
        if let Some(otp) = self.otp.as_deref() {
            bounded("otp", otp, MAX_OTP)?;
        }
        Ok((
            bounded("username", username, MAX_USERNAME)?,
            bounded("password", password, MAX_PASSWORD)?,
        ))
    }
}

/// A form found on an institution page.
#[derive(Debug, PartialEq)]
pub(crate) struct Form {
    pub(crate) step: String,
    pub(crate) action: String,
    pub(crate) fields: BTreeMap<String, String>,
    /// Values of the submit buttons named `decision`, in page order.
    pub(crate) decisions: Vec<String>,
}

static FORM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<form\b([^>]*)>(.*?)</form>").expect("static regex"));
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<(input|button)\b([^>]*)>").expect("static regex"));
static ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)([a-z-]+)\s*=\s*"([^"]*)""#).expect("static regex"));
static ERROR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?is)data-error\s*=\s*"([^"]*)""#).expect("static regex"));

fn attrs(raw: &str) -> BTreeMap<String, String> {
    ATTR.captures_iter(raw)
        .map(|c| {
            (
                c[1].to_ascii_lowercase(),
                html_escape::decode_html_entities(&c[2]).into_owned(),
            )
        })
        .collect()
}

pub(crate) fn forms(html: &str) -> Vec<Form> {
    FORM.captures_iter(html)
        .filter_map(|c| {
            let form = attrs(&c[1]);
            let step = form.get("data-step")?.clone();
            let mut fields = BTreeMap::new();
            let mut decisions = Vec::new();
            for t in TAG.captures_iter(&c[2]) {
                let a = attrs(&t[2]);
                match (
                    &t[1].to_ascii_lowercase()[..],
                    a.get("name"),
                    a.get("value"),
                ) {
                    ("input", Some(n), Some(v))
                        if a.get("type").map(String::as_str) == Some("hidden") =>
                    {
                        fields.insert(n.clone(), v.clone());
                    }
                    ("button", Some(n), Some(v)) if n == "decision" => decisions.push(v.clone()),
                    _ => {}
                }
            }
            Some(Form {
                step,
                action: form.get("action").cloned().unwrap_or_default(),
                fields,
                decisions,
            })
        })
        .collect()
}

pub(crate) fn institution_error(html: &str) -> Option<String> {
    ERROR.captures(html).map(|c| c[1].to_string())
}

enum Page {
    Html(url::Url, String),
    Redirect(url::Url),
}

async fn fetch(at: url::Url, req: reqwest::RequestBuilder) -> Result<Page> {
    let resp = req.send().await.map_err(driver_error)?;
    if resp.status().is_redirection() {
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        return Ok(Page::Redirect(
            at.join(location)
                .map_err(|e| anyhow::anyhow!("redirect: {e}"))?,
        ));
    }
    Ok(Page::Html(at, resp.text().await.map_err(driver_error)?))
}

pub async fn authorise(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
    creds: Credentials,
) -> Result<ConsentStatus> {
    // An update-mode link's token authorises the consent it renews: the end
    // user approves the institution's new consent, as in the widget.
    if let Some(renewal) = crate::services::update_mode::of_link(app, bearer).await? {
        if renewal.consent_id != consent_id {
            return Err(Error::NotFound("consent"));
        }
        let started = crate::services::update_mode::start(app, bearer, None, None).await?;
        let start = url::Url::parse(&started.authorization_url)
            .map_err(|e| anyhow::anyhow!("authorization url: {e}"))?;
        let target = drive(app, start, &creds).await?;
        let outcome = authorisation::complete_authorisation(app, callback_params(&target)).await?;
        return Ok(outcome.status);
    }
    let row = consents::load_for(app, bearer, consent_id).await?;
    if row.status != ConsentStatus::AwaitingAuthorisation {
        return Err(Error::Conflict(format!(
            "the consent is {}, not AWAITING_AUTHORISATION",
            row.status
        )));
    }
    // Each drive is a new attempt, as a person opening the bank again makes one.
    let start = authorisation::restart_authorisation(app, &row).await?;
    let start = url::Url::parse(&start).map_err(|e| anyhow::anyhow!("authorization url: {e}"))?;
    let target = drive(app, start, &creds).await?;
    finish(app, &row.id, target).await
}

/// The end user at the institution's pages from `start`: logs in, gives the
/// code if asked, decides; returns where the institution sent them back.
async fn drive(app: &App, start: url::Url, creds: &Credentials) -> Result<url::Url> {
    let (username, password) = creds.login()?;

    let mut page = fetch(start.clone(), app.http.get(start)).await?;
    let mut done: Vec<String> = Vec::new();
    for _ in 0..8 {
        let (at, html) = match page {
            Page::Redirect(target) => return Ok(target),
            Page::Html(at, html) => (at, html),
        };
        let Some(form) = forms(&html).into_iter().next() else {
            let why = institution_error(&html).unwrap_or_else(|| "an unexpected page".into());
            return Err(Error::Institution(format!(
                "the institution showed no form ({why})"
            )));
        };
        let mut fields = form.fields.clone();
        let again = done.contains(&form.step);
        match form.step.as_str() {
            "login" if again => {
                return Err(login_refused(
                    institution_error(&html).as_deref().unwrap_or("credentials"),
                ))
            }
            "login" => {
                fields.insert("username".into(), username.into());
                fields.insert("password".into(), password.into());
            }
            "otp" if again => {
                return Err(
                    FieldError::new("otp", "the institution refused the one-time code").into(),
                )
            }
            "otp" => {
                let otp = creds
                    .otp
                    .as_deref()
                    .ok_or_else(|| FieldError::new("otp", "this user needs a one-time code"))?;
                fields.insert("otp".into(), otp.into());
            }
            "approve" => {
                // A person approves when offered; some test users can only reject.
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
                    "unexpected step {other:?} at the institution"
                )))
            }
        }
        done.push(form.step.clone());
        let target = at
            .join(&form.action)
            .map_err(|e| anyhow::anyhow!("form action: {e}"))?;
        page = fetch(target.clone(), app.http.post(target).form(&fields)).await?;
    }
    Err(Error::Institution(
        "the institution's pages did not finish the authorisation".into(),
    ))
}

fn login_refused(kind: &str) -> Error {
    match kind {
        "locked" => {
            Error::Institution("login refused by the institution: the account is locked".into())
        }
        _ => FieldError::new(
            "password",
            "login refused by the institution: wrong username or password",
        )
        .into(),
    }
}

fn driver_error(e: reqwest::Error) -> Error {
    Error::Institution(format!("could not reach the institution: {e}"))
}

/// The institution redirected to our callback: complete it as the browser would have.
/// A FAPI-BR institution answers in the fragment (hybrid flow), which the
/// callback page posts back; a legacy one in the query.
async fn finish(app: &App, consent_id: &str, target: url::Url) -> Result<ConsentStatus> {
    let outcome = authorisation::complete_authorisation(app, callback_params(&target)).await?;
    debug_assert_eq!(outcome.consent_id, consent_id);
    Ok(outcome.status)
}

/// The authorisation answer in a redirect to our callback: the fragment's
/// parameters when it has any, else the query's.
pub(crate) fn callback_params(target: &url::Url) -> CallbackParams {
    let params: BTreeMap<String, String> = match target.fragment().filter(|f| !f.is_empty()) {
        Some(fragment) => url::form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect(),
        None => target.query_pairs().into_owned().collect(),
    };
    CallbackParams {
        code: params.get("code").cloned(),
        id_token: params.get("id_token").cloned(),
        state: params.get("state").cloned(),
        iss: params.get("iss").cloned(),
        error: params.get("error").cloned(),
        error_description: params.get("error_description").cloned(),
    }
}

/// The end user revokes the consent in the sandbox bank's own app (its
/// customer API), logged in as the user who authorised it. Ponte's consent is
/// untouched: like a real bank, the sandbox tells no one, and Ponte finds out
/// at its next retrieval, when the bank refuses the consent's tokens.
pub async fn revoke_at_institution(
    app: &App,
    bearer: &Bearer,
    consent_id: &str,
    creds: Credentials,
) -> Result<()> {
    let (username, password) = creds.login()?;
    let row = consents::load_for(app, bearer, consent_id).await?;
    let institution = app
        .directory
        .get(&row.institution_code)
        .ok_or(Error::NotFound("institution"))?;
    let bank_consent_id = row
        .bank_consent_id
        .as_deref()
        .ok_or_else(|| Error::Conflict("the consent has no consent at the institution".into()))?;
    let id: String = url::form_urlencoded::byte_serialize(bank_consent_id.as_bytes()).collect();
    let resp = app
        .http
        .post(format!(
            "{}/customer/consents/{id}/revoke",
            institution.endpoint.issuer
        ))
        .basic_auth(username, Some(password))
        .send()
        .await
        .map_err(driver_error)?;
    match resp.status().as_u16() {
        200..=299 => Ok(()),
        401 => Err(login_refused("credentials")),
        404 => Err(FieldError::new(
            "username",
            "this user did not authorise the consent at the institution",
        )
        .into()),
        422 => Err(Error::Conflict(
            "the consent is not AUTHORISED at the institution".into(),
        )),
        status => Err(Error::Institution(format!(
            "the institution answered {status} to the revocation"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_forms_hidden_fields_and_decisions() {
        let html = r#"<p data-error="credentials">Wrong</p>
            <form method="post" action="/b/341/auth/login?x=1&amp;y=2" data-step="login">
              <input type="hidden" name="txn" value="abc&amp;d"><input name="username">
              <button type="submit">Go</button></form>
            <form data-step="approve" action="/d" method="post"><input type="hidden" value="t1" name="txn">
              <button name="decision" value="reject">No</button><button name="decision" value="approve">Yes</button></form>"#;
        let f = forms(html);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].step, "login");
        assert_eq!(f[0].action, "/b/341/auth/login?x=1&y=2");
        assert_eq!(f[0].fields.get("txn").map(String::as_str), Some("abc&d"));
        assert_eq!(f[1].decisions, ["reject", "approve"]);
        assert_eq!(institution_error(html).as_deref(), Some("credentials"));
    }

    #[test]
    fn reads_the_answer_from_the_fragment_before_the_query() {
        let hybrid = url::Url::parse(
            "https://p.example/callback/open-finance?state=q#code=c1&id_token=a.b.c&state=s1&iss=https%3A%2F%2Fbank",
        )
        .unwrap();
        let p = callback_params(&hybrid);
        assert_eq!(p.code.as_deref(), Some("c1"));
        assert_eq!(p.id_token.as_deref(), Some("a.b.c"));
        assert_eq!(p.state.as_deref(), Some("s1"));
        assert_eq!(p.iss.as_deref(), Some("https://bank"));
        let legacy =
            url::Url::parse("https://p.example/callback/open-finance?code=c2&state=s2").unwrap();
        let p = callback_params(&legacy);
        assert_eq!((p.code.as_deref(), p.id_token), (Some("c2"), None));
    }
}
