//! The Server API dialect (TapTalk's server auth tickets): the integrator's
//! backend asks for a single-use ticket for its logged-in user
//! (`Server-Key`), the user's app trades it for that user's own session, and
//! with it the user sees and revokes their own bank connections. Every answer
//! is the `{"status","error":{"code","message","field"},"data"}` envelope,
//! with parameters named by the seed's numbers (`101` … `112`).

pub mod auth;
pub mod connections;
pub mod docs;
pub mod envelope;
pub mod extract;
pub mod me;
mod me_add;
mod me_renew;
pub mod params;
pub mod ticket;
pub mod wire;

use crate::services::{end_users, links, sessions};
use crate::App;
use axum::extract::State;
use axum::response::Response;
pub use envelope::failure_response;
use envelope::{ok, ApiError, Credential};
use extract::{AuthTicket, EndUser, JsonBody, RefreshToken, ServerClient};
use wire::*;

pub static SPEC: super::Dialect = super::Dialect {
    name: "server_api",
    title: "Server API",
    routes,
    sandbox_routes: None,
    failures: &[
        ("/v1", failure_response),
        // The end user's own page of connections.
        ("/me", crate::http::failure::html_page),
    ],
    docs: || api().split_for_parts().1,
    tags: docs::TAGS,
    // Its events reach integrators through the Data API's webhooks.
    webhooks: &[],
    renderer: None,
};

api_and_router! {
    /// Every route with its operation, in the order the document presents
    /// them: the router and the document are both made from this list.
    pub fn api() = utoipa_axum::router::OpenApiRouter::with_openapi(docs::components());
    pub fn routes();
    [request_ticket]
    [access_token]
    [refresh_token]
    [logout]
    [list_connections]
    [open_link]
    [revoke_connection]
    [me::page]
    [me::confirm, me::revoke]
    [me_renew::renew]
    [me_add::add]
}

type ApiResult = Result<Response, ApiError>;

/// What every operation of the dialect can also answer, besides its own
/// refusals: the rest of the envelope's codes.
const OTHER_REFUSALS: &str = "Other refusals, in the envelope: `40301` a token of another kind, `40901` conflict, `41301` body too large, `42901` too many requests (`Retry-After`)";

#[utoipa::path(post, path = "/v1/server/auth_ticket/request", tag = "Server API: Auth",
    summary = "Request an auth ticket on behalf of your logged-in user",
    description = "Creates the user on first sight of their `xcUserID`, or updates what you tell us about them, records the device, and returns a ticket valid one hour and usable once. Parameters failing validation answer `40002` with the parameter's number in `field`.",
    request_body = params::TicketRequestBody, security(("serverKey" = [])),
    responses((status = 200, description = "The user's ID and the ticket", body = TicketIssued),
        (status = 400, description = "`40001` Server-Key missing or malformed (not base64 of `apiKey:apiSecret`), `40002` a parameter failed (`field` = its number) or the body is not a JSON object", body = Envelope),
        (status = 401, description = "`40101` unknown Server Key ID or wrong secret", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn request_ticket(
    State(app): State<App>,
    ServerClient(client): ServerClient,
    body: JsonBody<params::TicketRequestBody>,
) -> ApiResult {
    let req = params::parse(&body.0)?;
    let issued = ticket::issue(&app, &client, &req).await?;
    Ok(ok(TicketIssued {
        user_id: issued.end_user_id.to_string(),
        ticket: issued.ticket,
    }))
}

#[utoipa::path(post, path = "/v1/client/auth/access_token/request", tag = "Server API: Auth",
    summary = "Trade an auth ticket for the user's session",
    description = "Send the ticket as `Authorization: Bearer <ticket>`. A ticket works once: of two requests with it, one gets the session and the other `40102`.",
    security(("authTicket" = [])),
    responses((status = 200, description = "The user's tokens and profile", body = SessionTokens),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <ticket>`", body = Envelope),
        (status = 401, description = "`40102` ticket expired, already used or unknown", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn access_token(State(app): State<App>, AuthTicket(ticket): AuthTicket) -> ApiResult {
    let session = sessions::open_with_ticket(&app, &ticket)
        .await
        .map_err(|e| token_error(Credential::Ticket, e))?;
    session_answer(&app, session).await
}

#[utoipa::path(post, path = "/v1/client/auth/access_token/refresh", tag = "Server API: Auth",
    summary = "Trade the refresh token for a new pair",
    description = "Send the refresh token as `Authorization: Bearer <refreshToken>`. Each refresh token works once; one presented again ends the whole session (it was copied).",
    security(("refreshToken" = [])),
    responses((status = 200, description = "New tokens", body = SessionTokens),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <refreshToken>`", body = Envelope),
        (status = 401, description = "`40104` refresh token invalid, expired or reused", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn refresh_token(State(app): State<App>, RefreshToken(refresh): RefreshToken) -> ApiResult {
    let session = sessions::refresh(&app, &refresh)
        .await
        .map_err(|e| token_error(Credential::RefreshToken, e))?;
    session_answer(&app, session).await
}

#[utoipa::path(post, path = "/v1/client/auth/logout", tag = "Server API: Auth",
    summary = "End the user's session",
    description = "Its access tokens and refresh token stop working at once.",
    security(("userAccessToken" = [])),
    responses((status = 200, description = "Ended", body = LoggedOut),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <accessToken>`", body = Envelope),
        (status = 401, description = "`40103` access token invalid or expired", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn logout(State(app): State<App>, EndUser(who): EndUser) -> ApiResult {
    if let Some(session) = who.session_id.as_deref() {
        sessions::end(&app, session).await?;
    }
    Ok(ok(LoggedOut {
        success: true,
        message: "Logged out".into(),
    }))
}

#[utoipa::path(get, path = "/v1/client/connections", tag = "Server API: Connections",
    summary = "The user's own bank connections",
    description = "Every consent the user gave through your app, at any institution: its status, what it shares and until when.",
    security(("userAccessToken" = [])),
    responses((status = 200, description = "The connections, oldest first", body = Connections),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <accessToken>`", body = Envelope),
        (status = 401, description = "`40103` access token invalid or expired", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn list_connections(State(app): State<App>, EndUser(who): EndUser) -> ApiResult {
    let connections = connections::list(&app, &who).await?;
    Ok(ok(Connections { connections }))
}

#[utoipa::path(delete, path = "/v1/client/connections/{consentId}", tag = "Server API: Connections",
    summary = "Revoke one of the user's connections",
    description = "Exactly as the Data API's `DELETE /data/v1/consents/{consentId}`: revoked here and at the institution, its data erased; your event webhook gets `CONSENT_STATUS_CHANGED` with reason `END_USER_REVOKED`. Another user's consent answers `40401`.",
    params(("consentId" = String, Path, description = "`consentID` from the connections list")),
    security(("userAccessToken" = [])),
    responses((status = 200, description = "The connection, revoked", body = Connection),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <accessToken>` (HTTP 400, as the seed answers)", body = Envelope),
        (status = 401, description = "`40103` access token invalid or expired", body = Envelope),
        (status = 404, description = "`40401` no such connection, or another user's", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn revoke_connection(
    State(app): State<App>,
    EndUser(who): EndUser,
    crate::http::extract::Path(consent_id): crate::http::extract::Path<String>,
) -> ApiResult {
    Ok(ok(connections::revoke(&app, &who, &consent_id).await?))
}

#[utoipa::path(post, path = "/v1/client/connections/link", tag = "Server API: Connections",
    summary = "Open the widget for the user to add a connection",
    description = "A link of the user's own: send them to `linkURL`. Consents made through it are theirs (listed above) and reach your backend through the Data API as usual. The body takes the Data API link's members (`personalTaxId`, `email`, `phone`, `redirectUrl`, …); a CPF or CNPJ is required, as Open Finance needs the person who logs in.",
    request_body = OpenLink, security(("userAccessToken" = [])),
    responses((status = 200, description = "The link", body = LinkOpened),
        (status = 400, description = "`40001` no Authorization header, or not `Bearer <accessToken>` (HTTP 400, as the seed answers); `40002` a member invalid (named in the message)", body = Envelope),
        (status = 401, description = "`40103` access token invalid or expired", body = Envelope),
        (status = "4XX", description = OTHER_REFUSALS, body = Envelope)))]
async fn open_link(
    State(app): State<App>,
    EndUser(who): EndUser,
    body: JsonBody<OpenLink>,
) -> ApiResult {
    let end_user = who.end_user_id.as_ref().ok_or(ApiError::Token(
        Credential::AccessToken,
        crate::tokens::TokenError::Invalid,
    ))?;
    let OpenLink(req) = body.0;
    let valid = links::validate(&req.into()).map_err(|e| {
        crate::error::Error::from(crate::dialects::data_api::errors::wire_field_error(e))
    })?;
    let created = links::create_for_end_user(&app, &who, end_user, valid).await?;
    Ok(ok(LinkOpened {
        link_id: created.link_id,
        link_url: created.link_url,
        link_token: created.link_token,
        expire_in: created.expire_in,
    }))
}

fn token_error(credential: Credential, e: crate::error::Error) -> ApiError {
    match e {
        crate::error::Error::Token(t) => ApiError::Token(credential, t),
        other => other.into(),
    }
}

async fn session_answer(app: &App, session: sessions::Session) -> ApiResult {
    let user = end_users::find(app, &session.client_id, session.end_user_id.as_str()).await?;
    let p = user.profile;
    let text = |v: Option<String>| v.unwrap_or_default();
    Ok(ok(SessionTokens {
        access_token: session.access_token,
        access_token_expiry: session.access_expires_at,
        refresh_token: session.refresh_token,
        refresh_token_expiry: session.refresh_expires_at,
        user: User {
            user_id: user.id.to_string(),
            full_name: text(p.full_name),
            email: text(p.email),
            phone: text(p.phone),
            username: text(p.username),
            image_url: ImageUrl {
                thumbnail: text(p.photo_thumbnail_url),
                fullsize: text(p.photo_fullsize_url),
            },
            user_role: UserRole {
                code: text(p.role_code),
            },
            created: user.created_at,
        },
    }))
}
