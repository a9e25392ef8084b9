//! The Server API's credentials: the integrator's backend sends
//! `Server-Key: base64(apiKey:apiSecret)` (the same pair as every dialect);
//! the end user's app sends `Authorization: Bearer <ticket or token>`.

use super::envelope::{ApiError, Credential};
use crate::services::{clients, sessions};
use crate::tokens::{Bearer, TokenKind};
use crate::App;
use axum::http::HeaderMap;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use ponte_core::ClientId;

pub const SERVER_KEY: &str = "Server-Key";

/// The Server Key ID and Secret a `Server-Key` header carries.
#[derive(Debug, PartialEq, Eq)]
pub struct ServerKey {
    pub key: String,
    pub secret: String,
}

/// Parses `Server-Key`: base64 (padded or not) of `apiKey:apiSecret`, the
/// colon required and neither side empty.
pub fn server_key(headers: &HeaderMap) -> Result<ServerKey, ApiError> {
    let malformed = || {
        ApiError::Header(format!(
            "Request header {SERVER_KEY} must be base64 of SERVER_KEY_ID:SERVER_KEY_SECRET (with the colon)"
        ))
    };
    let raw = headers
        .get(SERVER_KEY)
        .ok_or_else(|| ApiError::Header(format!("Request headers are required ({SERVER_KEY})")))?
        .to_str()
        .map_err(|_| malformed())?
        .trim();
    if raw.is_empty() {
        return Err(ApiError::Header(format!(
            "Request headers are required ({SERVER_KEY})"
        )));
    }
    let decoded = STANDARD
        .decode(raw)
        .or_else(|_| STANDARD_NO_PAD.decode(raw))
        .map_err(|_| malformed())?;
    let text = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (key, secret) = text.split_once(':').ok_or_else(malformed)?;
    if key.is_empty() || secret.is_empty() {
        return Err(malformed());
    }
    Ok(ServerKey {
        key: key.to_string(),
        secret: secret.to_string(),
    })
}

/// The client the `Server-Key` header names, checked as `/data/v1/auth`
/// checks it (a rotated-out secret works through its grace period; repeated
/// failures from `from` are throttled).
pub async fn client(
    app: &App,
    from: Option<std::net::IpAddr>,
    headers: &HeaderMap,
) -> Result<ClientId, ApiError> {
    let creds = server_key(headers)?;
    let row = clients::authenticate(app, from, &creds.key, &creds.secret).await?;
    Ok(ClientId::from_trusted(row.id))
}

/// The token of `Authorization: Bearer …`.
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Header("Request headers are required (Authorization)".into()))?;
    value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Header("Request header Authorization must be 'Bearer <token>'".into())
        })
}

/// The signed-in end user: a valid end-user access token whose session was
/// not ended (logout, or a reused refresh token).
pub async fn end_user(app: &App, headers: &HeaderMap) -> Result<Bearer, ApiError> {
    end_user_token(app, bearer_token(headers)?).await
}

/// [`end_user`] for a token that came another way (the `/me` page's cookie).
pub async fn end_user_token(app: &App, token: &str) -> Result<Bearer, ApiError> {
    let refused = |e| ApiError::Token(Credential::AccessToken, e);
    let bearer = app
        .tokens
        .verify(token, &[TokenKind::EndUserSession])
        .await
        .map_err(refused)?;
    let session = bearer
        .session_id
        .as_deref()
        .ok_or(refused(crate::tokens::TokenError::Invalid))?;
    sessions::ensure_live(app, session)
        .await
        .map_err(|e| match e {
            crate::error::Error::Token(t) => refused(t),
            other => other.into(),
        })?;
    Ok(bearer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(SERVER_KEY, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn the_server_key_is_base64_of_key_colon_secret() {
        let good = STANDARD.encode("pk_1:sk_2:with-colon");
        assert_eq!(
            server_key(&headers(&good)).unwrap(),
            ServerKey {
                key: "pk_1".into(),
                secret: "sk_2:with-colon".into()
            }
        );
        for bad in [
            "",
            "not base64!",
            &STANDARD.encode("no-colon"),
            &STANDARD.encode(":secret"),
            &STANDARD.encode("key:"),
        ] {
            let err = server_key(&headers(bad)).unwrap_err();
            assert!(
                matches!(&err, ApiError::Header(m) if m.contains(SERVER_KEY)),
                "{bad}: {err:?}"
            );
        }
        assert!(matches!(
            server_key(&HeaderMap::new()),
            Err(ApiError::Header(m)) if m == "Request headers are required (Server-Key)"
        ));
    }
}
