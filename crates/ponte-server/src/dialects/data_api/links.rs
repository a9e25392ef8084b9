//! The link journey: auth, links, institutions, consents, and the sandbox
//! helpers that drive an institution without a browser.

use super::errors::ApiResult;
use super::parts::{Access, AnyToken, JsonBody, LinkToken, DIALECT};
use super::wire::*;
use crate::http::extract::Path;
use crate::http::extract::{Body, Token};
use crate::http::listener::Peer;
use crate::services::duplicates::DuplicatePolicy;
use crate::services::{clients, consents, links, sandbox_driver};
use crate::App;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;

#[utoipa::path(post, path = "/data/v1/auth", tag = "Data API: Auth",
    summary = "Trade the API key and secret for an access token",
    description = "Access tokens last 30 minutes. Repeated wrong secrets are answered `RATE_LIMITED` with `Retry-After`.",
    request_body = AuthRequest, security(()),
    responses((status = 200, description = "A new access token", body = AccessToken), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn auth(
    State(app): State<App>,
    Peer(from): Peer,
    Body(req, _): JsonBody<AuthRequest>,
) -> ApiResult {
    let key = req
        .access_key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ponte_core::FieldError::new("accessKey", "is required"))?;
    let secret = req
        .secret_key
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ponte_core::FieldError::new("secretKey", "is required"))?;
    let (access_token, expire_in) = clients::access_token(&app, from, &key, &secret).await?;
    Ok(Json(AccessToken {
        access_token,
        expire_in,
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/auth/refresh", tag = "Data API: Auth",
    summary = "A new access token for the bearer of a valid one",
    security(("accessToken" = [])),
    responses((status = 200, description = "A new access token", body = AccessToken), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn refresh(State(app): State<App>, Token(who, _): Access) -> ApiResult {
    let (access_token, expire_in) = clients::refresh_access_token(&app, &who).await?;
    Ok(Json(AccessToken {
        access_token,
        expire_in,
    })
    .into_response())
}

#[utoipa::path(post, path = "/data/v1/links", tag = "Data API: Links",
    summary = "Open a link for one end user",
    description = "Returns the hosted widget's URL and the link token it runs with. A link named with `productsCallbackUrl` re-enables a URL that a 410 disabled. Send `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`) with when your end user last logged in with you: the institution hears it while they are in the widget (a malformed or future one is 400 `INVALID_FIELD` naming the header).",
    request_body = super::views::LinkRequest, security(("accessToken" = [])),
    responses((status = 200, description = "The link", body = CreatedLink), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn create_link(
    State(app): State<App>,
    headers: HeaderMap,
    Token(who, _): Access,
    Body(req, _): JsonBody<super::views::LinkRequest>,
) -> ApiResult {
    let signed_in = match headers.get("x-fapi-auth-date") {
        None => None,
        Some(v) => {
            let v = v.to_str().unwrap_or_default();
            Some(super::lifecycle::auth_date(v)?.unix_timestamp() * 1000)
        }
    };
    let valid = links::validate(&req.into())?.signed_in_at(signed_in);
    let created = links::create_for(&app, &who.client_id, valid, DIALECT).await?;
    Ok(Json(CreatedLink {
        link_id: created.link_id,
        link_url: created.link_url,
        link_token: created.link_token,
        expire_in: created.expire_in,
    })
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/links/{linkId}", tag = "Data API: Links",
    summary = "The link, its status and its consents",
    params(("linkId" = String, Path, description = "From POST /data/v1/links")), security(("accessToken" = [])),
    responses((status = 200, description = "The link", body = super::views::LinkView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_link(
    State(app): State<App>,
    Path(link_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let link = links::view(&app, &who.client_id, &link_id).await?;
    Ok(Json(super::views::LinkView::from(link)).into_response())
}

#[utoipa::path(get, path = "/data/v1/links/institutions", tag = "Data API: Institutions",
    summary = "The institutions an end user can connect",
    description = "Called by the widget with the link token.",
    security(("linkToken" = [])),
    responses((status = 200, description = "Institutions", body = Vec<InstitutionView>), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn institutions(State(app): State<App>, _: LinkToken) -> ApiResult {
    let banks = app.directory.open_finance();
    let listed: Vec<InstitutionView> = banks.iter().map(|i| InstitutionView::from(&**i)).collect();
    Ok(Json(listed).into_response())
}

// An institution as this dialect lists it; never its kind, endpoint or
// client credentials.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Institution)]
#[serde(rename_all = "camelCase")]
pub(super) struct InstitutionView<'a> {
    /// A slug: `itau`, `nubank`, …
    #[schema(example = "itau")]
    institution_code: &'a str,
    name: &'a str,
    /// URL of a square logo.
    avatar: &'a str,
    /// An institution in outage refuses consents with `INSTITUTION_OUTAGE`.
    is_outage: bool,
    institution_type: u8,
    business_type: &'a str,
    available_resources: Vec<Product>,
}

impl<'a> From<&'a crate::services::directory::Institution> for InstitutionView<'a> {
    fn from(i: &'a crate::services::directory::Institution) -> Self {
        InstitutionView {
            institution_code: &i.institution_code,
            name: &i.name,
            avatar: &i.avatar,
            is_outage: i.is_outage,
            institution_type: i.institution_type,
            business_type: &i.business_type,
            available_resources: i.available_resources.iter().map(|&p| p.into()).collect(),
        }
    }
}

/// The end user behind a consent request, when Ponte's own widget makes it
/// from their browser (the request's `Origin` is Ponte's): their address
/// and browser go to the institution as FAPI headers. A link token used
/// from an integrator's backend carries no end user (its address is not
/// theirs).
pub(super) fn widget_end_user(
    public_url: &str,
    headers: &HeaderMap,
    from: Option<std::net::IpAddr>,
) -> Option<consents::EndUser> {
    let ours = url::Url::parse(public_url).ok()?.origin();
    let origin = headers.get(axum::http::header::ORIGIN)?.to_str().ok()?;
    if url::Url::parse(origin).ok()?.origin() != ours {
        return None;
    }
    Some(consents::EndUser {
        auth_date: None,
        ip_address: from.map(|ip| ip.to_string()),
        user_agent: headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(512).collect()),
    })
}

#[utoipa::path(post, path = "/data/v1/consents", tag = "Data API: Consents",
    summary = "Create a consent at an institution",
    description = "Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends them to the link's `redirectUrl`. A link token cannot change what the link's creator fixed: a `personalTaxId`, `businessTaxId` or `redirectUrl` that differs from the link's is refused with 400 `INVALID_FIELD` naming it (the same value may be repeated).",
    request_body = ConsentBody, security(("linkToken" = [])),
    responses((status = 200, description = "The consent, awaiting authorisation", body = CreatedConsentBody), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn create_consent(
    State(app): State<App>,
    Peer(from): Peer,
    headers: HeaderMap,
    Token(who, _): LinkToken,
    Body(req, _): JsonBody<ConsentBody>,
) -> ApiResult {
    let input = consents::ConsentInput {
        end_user: widget_end_user(&app.public_url, &headers, from),
        external_track_id: req.external_track_id,
        personal_tax_id: req.personal_tax_id,
        business_tax_id: req.business_tax_id,
        institution_code: req.institution_code,
        redirect_url: req.redirect_url,
        phone: req.phone,
        email: req.email,
    };
    let created = consents::create(&app, &who, input).await?;
    Ok(Json(CreatedConsentBody {
        consent_id: created.consent_id.to_string(),
        consent_redirect_url: created.authorization_url,
        expire_at: crate::clock::rfc3339(created.expire_at_ms),
        duplicate_warning: created
            .duplicate
            .as_ref()
            .filter(|d| d.policy == DuplicatePolicy::Warn)
            .map(|_| format!("You already connected {}.", created.institution_name)),
        duplicate_of: created.duplicate.map(|d| d.of),
    })
    .into_response())
}

#[utoipa::path(get, path = "/data/v1/consents/{consentId}", tag = "Data API: Consents",
    summary = "The consent, with its status history",
    params(("consentId" = String, Path, description = "From POST /data/v1/consents")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent", body = super::views::ConsentView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn get_consent(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): AnyToken,
) -> ApiResult {
    let row = consents::load_for(&app, &who, &consent_id).await?;
    consent_answer(&app, &row).await
}

#[utoipa::path(delete, path = "/data/v1/consents/{consentId}", tag = "Data API: Consents",
    summary = "Revoke the consent here and at the institution",
    description = "The status becomes `REVOKED`, its stored reports are erased (their URLs answer 410) and `CONSENT_STATUS_CHANGED` is sent.",
    params(("consentId" = String, Path, description = "The consent to revoke")), security(("accessToken" = [])),
    responses((status = 200, description = "The revoked consent", body = super::views::ConsentView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn revoke_consent(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): Access,
) -> ApiResult {
    let row = consents::revoke(&app, &who, &consent_id).await?;
    consent_answer(&app, &row).await
}

#[utoipa::path(post, path = "/sandbox/v1/consents/{consentId}/authorise", tag = "Data API: Sandbox",
    summary = "Log in and decide at the sandbox institution without a browser",
    description = "Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the README.",
    request_body = SandboxCredentials, params(("consentId" = String, Path, description = "A consent awaiting authorisation")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent as Ponte now sees it", body = super::views::ConsentView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn sandbox_authorise(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): AnyToken,
    Body(creds, _): JsonBody<SandboxCredentials>,
) -> ApiResult {
    sandbox_step(app, who, consent_id, creds.into(), false).await
}

#[utoipa::path(post, path = "/sandbox/v1/consents/{consentId}/revoke-at-institution", tag = "Data API: Sandbox",
    summary = "The end user revokes the consent in their bank",
    description = "Sandbox mode only. Ponte learns it at the next retrieval: `REVOKED` with reason `INSTITUTION_REVOKED`.",
    request_body = SandboxCredentials, params(("consentId" = String, Path, description = "An authorised consent")),
    security(("accessToken" = []), ("linkToken" = [])),
    responses((status = 200, description = "The consent as Ponte sees it", body = super::views::ConsentView), (status = "4XX", description = "Refused; the envelope names the code and the field", body = ErrorEnvelope)))]
pub(super) async fn sandbox_revoke_at_institution(
    State(app): State<App>,
    Path(consent_id): Path<String>,
    Token(who, _): AnyToken,
    Body(creds, _): JsonBody<SandboxCredentials>,
) -> ApiResult {
    sandbox_step(app, who, consent_id, creds.into(), true).await
}

/// The end user at the sandbox institution, driven over HTTP: authorise the
/// consent, or revoke it there; answers with the consent as Ponte sees it.
async fn sandbox_step(
    app: App,
    who: crate::tokens::Bearer,
    consent_id: String,
    creds: sandbox_driver::Credentials,
    revoke: bool,
) -> ApiResult {
    if revoke {
        sandbox_driver::revoke_at_institution(&app, &who, &consent_id, creds).await?;
    } else {
        sandbox_driver::authorise(&app, &who, &consent_id, creds).await?;
    }
    let row = consents::load_for(&app, &who, &consent_id).await?;
    consent_answer(&app, &row).await
}

// The body of `POST /data/v1/consents`, as sent; `consents::create` checks it.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = ConsentRequest)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConsentBody {
    /// The institution the end user picked.
    #[schema(example = "itau", required = true, nullable = false, min_length = 1)]
    institution_code: Option<String>,
    /// Your own reference, echoed in the consent and its webhooks.
    #[schema(example = "order-42")]
    external_track_id: Option<String>,
    /// Must match the link's, when given.
    personal_tax_id: Option<String>,
    business_tax_id: Option<String>,
    redirect_url: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = CreatedConsent)]
#[serde(rename_all = "camelCase")]
pub(super) struct CreatedConsentBody {
    consent_id: String,
    /// The institution's own authorization URL: send the end user there.
    consent_redirect_url: String,
    expire_at: String,
    /// The AUTHORISED consent of the same person at the same institution that
    /// this one duplicates; `null` when it is the person's only one there.
    duplicate_of: Option<String>,
    /// Set when the client asks for a warning (duplicate policy `warn`): what
    /// the widget tells the end user.
    duplicate_warning: Option<String>,
}

/// The consent as the Data API shows it.
async fn consent_answer(app: &App, row: &ponte_store::ConsentRow) -> ApiResult {
    let consent = consents::view_of(app, row).await?;
    Ok(Json(super::views::ConsentView::from(consent)).into_response())
}

#[cfg(test)]
mod end_user_tests {
    use super::widget_end_user;
    use axum::http::HeaderMap;

    fn headers(origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(o) = origin {
            h.insert("origin", o.parse().unwrap());
        }
        h.insert("user-agent", "Mozilla/5.0 (test)".parse().unwrap());
        h
    }

    #[test]
    fn only_ponte_s_own_widget_speaks_for_the_end_user() {
        let ip = Some("203.0.113.7".parse().unwrap());
        let from_widget = widget_end_user(
            "https://ponte.example/",
            &headers(Some("https://ponte.example")),
            ip,
        )
        .expect("the widget's browser is the end user's");
        assert_eq!(from_widget.ip_address.as_deref(), Some("203.0.113.7"));
        assert_eq!(
            from_widget.user_agent.as_deref(),
            Some("Mozilla/5.0 (test)")
        );
        // An integrator's page or backend is not the end user.
        for origin in [Some("https://shop.example"), Some("null"), None] {
            assert!(
                widget_end_user("https://ponte.example", &headers(origin), ip).is_none(),
                "{origin:?}"
            );
        }
    }
}
