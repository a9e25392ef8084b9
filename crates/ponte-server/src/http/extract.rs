//! Request parts every dialect needs: JSON bodies whose errors name the field,
//! and bearer tokens.

use crate::error::Error;
use crate::tokens::{Bearer, TokenError, TokenKind};
use crate::App;
use axum::http::HeaderMap;
use ponte_core::FieldError;
use serde::de::DeserializeOwned;

/// Parses a JSON body; a wrong type or a malformed document names the field.
pub fn json_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, FieldError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if inner.is_syntax() || inner.is_eof() {
            format!("the body is not valid JSON: {inner}")
        } else {
            inner.to_string()
        };
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        FieldError::new(field, message)
    })
}

/// The bearer of `Authorization: Bearer …`, if it is one of the `accepted` kinds.
pub async fn bearer(
    app: &App,
    headers: &HeaderMap,
    accepted: &[TokenKind],
) -> Result<Bearer, Error> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(Error::Token(TokenError::Missing))?;
    Ok(app.tokens.verify(token, accepted).await?)
}
