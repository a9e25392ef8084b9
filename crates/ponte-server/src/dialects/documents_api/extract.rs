//! The request parts the Documents API's handlers take, each refused in the
//! dialect's `{"error":{"code","message","field"}}`: the app's bearer
//! session, the backend's HTTP Basic pair, and JSON bodies.

use super::errors::ApiError;
use crate::error::Error;
use crate::http::extract::Body;
use crate::http::listener::Peer;
use crate::services::documents;
use crate::App;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ponte_core::ClientId;

/// A JSON body, parsed as every dialect parses one (`invalid_field` naming
/// the member at fault).
pub type JsonBody<T> = Body<T, ApiError>;

/// The end user's session of `Authorization: Bearer <access_token>` (the
/// token of `POST /api/token`).
pub struct AppSession(pub documents::Session);

impl FromRequestParts<App> for AppSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers)?;
        Ok(AppSession(documents::session(app, token).await?))
    }
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::from(crate::tokens::TokenError::Missing))
}

/// The client of `Authorization: Basic base64(api_key:api_secret)`, checked
/// as every dialect checks the pair (a wrong secret counts against the
/// caller's address).
pub struct BasicClient(pub ClientId);

impl FromRequestParts<App> for BasicClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let Ok(Peer(from)) = Peer::from_request_parts(parts, app).await;
        let (key, secret) = basic_pair(&parts.headers)?;
        let row = crate::services::clients::authenticate(app, from, &key, &secret).await?;
        Ok(BasicClient(ClientId::from_trusted(row.id)))
    }
}

/// The pair of `Authorization: Basic …`; a Bearer token there is the app's,
/// and the answer says so.
fn basic_pair(headers: &HeaderMap) -> Result<(String, String), ApiError> {
    let refused = || ApiError::from(Error::InvalidCredentials);
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if given.is_some_and(|v| {
        v.get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
    }) {
        return Err(ApiError::with_message(
            Error::InvalidCredentials,
            "this endpoint takes no Bearer token: use HTTP Basic with api_key:api_secret",
        ));
    }
    let raw = given
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        })
        .ok_or_else(refused)?;
    let text = STANDARD
        .decode(raw.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(refused)?;
    let (key, secret) = text.split_once(':').ok_or_else(refused)?;
    Ok((key.to_string(), secret.to_string()))
}

#[cfg(test)]
mod tests {
    use super::basic_pair;
    use axum::http::{header, HeaderMap, HeaderValue};

    fn with(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn the_basic_pair_is_read_and_anything_else_refused() {
        // base64("key:se:cret"): the secret may hold a colon.
        assert_eq!(
            basic_pair(&with("Basic a2V5OnNlOmNyZXQ=")).ok(),
            Some(("key".into(), "se:cret".into()))
        );
        for refused in ["Bearer abc", "Basic !!!", "Basic a2V5", "Digest x"] {
            assert!(basic_pair(&with(refused)).is_err(), "{refused}");
        }
        assert!(basic_pair(&HeaderMap::new()).is_err());
    }
}
