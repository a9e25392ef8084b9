//! The request parts the Server API's handlers take, each refused in the
//! dialect's envelope: a missing or malformed header is `40001` with HTTP
//! 400 (as the seed answers), a body member at fault `40002` with its
//! parameter's number.

use super::auth;
use super::envelope::ApiError;
use crate::http::extract::Body;
use crate::http::listener::Peer;
use crate::tokens::Bearer;
use crate::App;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use ponte_core::ClientId;

/// A JSON body, parsed as every dialect parses one, refused in the envelope.
pub type JsonBody<T> = Body<T, ApiError>;

/// The client the `Server-Key` header names, its secret checked (a wrong
/// one counts against the caller's address, as `/data/v1/auth` does).
pub struct ServerClient(pub ClientId);

impl FromRequestParts<App> for ServerClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let Ok(Peer(from)) = Peer::from_request_parts(parts, app).await;
        auth::client(app, from, &parts.headers)
            .await
            .map(ServerClient)
    }
}

/// The auth ticket of `Authorization: Bearer <ticket>`, as presented:
/// trading it is the operation itself (single use), so the handler's
/// service checks it, not the extractor.
pub struct AuthTicket(pub String);

impl<S: Send + Sync> FromRequestParts<S> for AuthTicket {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        auth::bearer_token(&parts.headers).map(|t| AuthTicket(t.to_string()))
    }
}

/// The refresh token of `Authorization: Bearer <refreshToken>`, as
/// presented (single use, like the ticket: the refresh checks it).
pub struct RefreshToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RefreshToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        auth::bearer_token(&parts.headers).map(|t| RefreshToken(t.to_string()))
    }
}

/// The signed-in end user: a valid access token of a live session
/// (`40103` otherwise, `40301` for a token of another kind).
pub struct EndUser(pub Bearer);

impl FromRequestParts<App> for EndUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        auth::end_user(app, &parts.headers).await.map(EndUser)
    }
}
