//! Request parts every dialect needs: JSON bodies, path and query parameters
//! whose errors name the field, and bearer tokens.

use crate::error::Error;
use crate::http::failure::{Failure, FailureKind};
use crate::tokens::{Bearer, TokenError, TokenKind};
use crate::App;
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use ponte_core::FieldError;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::error::Category;
use std::marker::PhantomData;

/// Parses a JSON body. A value of the wrong type names its JSON path; a
/// document that is not JSON says where it breaks (line and column), with
/// the path reached so far when there is one.
pub fn json_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, Error> {
    let Some(first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Ok(T::default());
    };
    // serde reads a struct from an array too; nobody means that.
    if *first != b'{' && serde_json::from_slice::<IgnoredAny>(bytes).is_ok() {
        return Err(Error::Malformed {
            field: None,
            message: "the body must be a JSON object".into(),
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        // serde_path_to_error writes `?` for a place it cannot name.
        let path = Some(e.path().to_string()).filter(|p| p != "." && !p.contains('?'));
        let inner = e.into_inner();
        let at = format!("at line {}, column {}", inner.line(), inner.column());
        match (inner.classify(), path) {
            (Category::Data, Some(path)) => {
                FieldError::new(path, plain_words(&reason(&inner))).into()
            }
            (Category::Data, None) => Error::Malformed {
                field: None,
                message: format!(
                    "the body does not fit this endpoint: {} {at}",
                    plain_words(&reason(&inner))
                ),
            },
            // Broken JSON is the body's fault, not the member the parser
            // happened to be reading: no field is named.
            _ => Error::Malformed {
                field: None,
                message: format!("the body is not valid JSON {at}: {}", reason(&inner)),
            },
        }
    })
}

/// serde's "invalid type: integer `5`, expected a sequence" in an
/// integrator's words: "must be a JSON array, not a number". Other messages
/// (an unknown enum value, a missing member) are already plain.
fn plain_words(reason: &str) -> String {
    let Some(rest) = reason.strip_prefix("invalid type: ") else {
        return reason.to_string();
    };
    let Some((got, expected)) = rest.split_once(", expected ") else {
        return reason.to_string();
    };
    format!("must be {}, not {}", json_kind(expected), json_kind(got))
}

/// The JSON kind serde names in its own terms (`a sequence`, `struct X`,
/// `integer \`5\``, `i64`).
fn json_kind(serde: &str) -> String {
    let word = serde.trim_start_matches("a ").trim_start_matches("an ");
    let head = word.split([' ', '`']).next().unwrap_or(word);
    match head {
        "sequence" | "tuple" | "array" => "a JSON array",
        "map" | "struct" | "object" => "a JSON object",
        "string" | "char" => "a string",
        "boolean" | "bool" => "true or false",
        "integer" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize"
        | "isize" => "an integer",
        "floating" | "f32" | "f64" | "number" => "a number",
        "null" | "unit" => "null",
        _ => return serde.to_string(),
    }
    .to_string()
}

/// serde_json's message without its own " at line L column C" suffix, which
/// the caller words once.
fn reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

/// `axum::extract::Path` whose rejection names the parameter, in the
/// route's own spelling (`{consentId}`), as a [`Failure`].
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let field = match e.kind() {
                    ErrorKind::ParseErrorAtKey { key, .. }
                    | ErrorKind::InvalidUtf8InPathParam { key }
                    | ErrorKind::DeserializeError { key, .. } => Some(key.clone()),
                    _ => None,
                };
                if e.status().is_server_error() {
                    tracing::error!(error = %e.body_text(), "route and path extractor disagree");
                    return Err(Failure::new(FailureKind::Internal, "internal error"));
                }
                Err(Failure::invalid(field, e.body_text()))
            }
            Err(other) => {
                tracing::error!(error = %other.body_text(), "path parameters missing");
                Err(Failure::new(FailureKind::Internal, "internal error"))
            }
        }
    }
}

/// `axum::extract::Query` whose rejection names the parameter when it can,
/// as a [`Failure`].
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Failure> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let field = Some(e.path().to_string()).filter(|p| p != ".");
                Failure::invalid(field, format!("the query string is invalid: {}", e.inner()))
            })
    }
}

/// A query whose repeated parameter counts once, its last value winning:
/// for what a browser brings back (a portal's redirect, a signed download
/// URL) rather than what an integrator writes, where a duplicate is not the
/// caller's to fix. Its values are text; a rejection is a [`Failure`].
pub struct LastWinsQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for LastWinsQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Failure> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: std::collections::BTreeMap<String, String> =
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
        let value = serde_json::to_value(pairs)
            .map_err(|e| Failure::invalid(None, format!("the query string is invalid: {e}")))?;
        serde_json::from_value(value)
            .map(LastWinsQuery)
            .map_err(|e| Failure::invalid(None, format!("the query string is invalid: {e}")))
    }
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
    let who = app.tokens.verify(token, accepted).await?;
    // Every authenticated call counts against its client's request rate.
    app.client_requests
        .admit(who.client_id.as_str(), app.clock.now_ms())
        .map_err(Error::RateLimited)?;
    Ok(who)
}

/// A JSON body, parsed by [`json_body`], whose rejection is the dialect's
/// own error `R` (`R: From<Error>`): a handler names the type it reads and
/// never sees bytes. An empty body is `T::default()`, as `json_body` has it.
/// A body the limit refuses keeps axum's answer, which the failure layer
/// renders in the dialect's envelope.
pub struct Body<T, R>(pub T, pub PhantomData<fn() -> R>);

impl<T, R, S> FromRequest<S> for Body<T, R>
where
    T: DeserializeOwned + Default,
    R: From<Error> + IntoResponse,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&bytes)
            .map(|value| Body(value, PhantomData))
            .map_err(|e| R::from(e).into_response())
    }
}

/// The token kinds an endpoint accepts, as a type, so that the bearer
/// extractor can say which in the handler's signature.
pub trait Accepts {
    const KINDS: &'static [TokenKind];
}

/// The backend's access token.
pub struct AccessOnly;
impl Accepts for AccessOnly {
    const KINDS: &'static [TokenKind] = &[TokenKind::Access];
}

/// One link's widget token.
pub struct LinkOnly;
impl Accepts for LinkOnly {
    const KINDS: &'static [TokenKind] = &[TokenKind::Link];
}

/// Either of them.
pub struct AccessOrLink;
impl Accepts for AccessOrLink {
    const KINDS: &'static [TokenKind] = &[TokenKind::Access, TokenKind::Link];
}

/// The verified bearer of `Authorization: Bearer …` of one of `K`'s kinds
/// (see [`bearer`]), rejected as the dialect's own error `R`.
pub struct Token<K, R>(pub Bearer, pub PhantomData<fn() -> (K, R)>);

impl<K, R> FromRequestParts<App> for Token<K, R>
where
    K: Accepts,
    R: From<Error> + IntoResponse,
{
    type Rejection = R;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, R> {
        let who = bearer(app, &parts.headers, K::KINDS).await?;
        Ok(Token(who, PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::json_body;
    use crate::error::Error;

    #[derive(serde::Deserialize, Default, Debug)]
    #[allow(dead_code)]
    struct Body {
        products: Option<Vec<String>>,
        name: Option<String>,
    }

    #[test]
    fn a_wrong_type_names_the_member_and_the_json_kind_without_serde_internals() {
        let Err(Error::Field(f)) = json_body::<Body>(br#"{"name": "a", "products": "accounts"}"#)
        else {
            panic!("a field error")
        };
        assert_eq!(f.field, "products");
        assert_eq!(f.message, "must be a JSON array, not a string");
        let Err(Error::Field(f)) = json_body::<Body>(br#"{"name": 5}"#) else {
            panic!("a field error")
        };
        assert_eq!(
            (f.field.as_ref(), f.message.as_str()),
            ("name", "must be a string, not an integer")
        );
    }

    #[test]
    fn broken_json_names_the_body_not_the_member_being_read() {
        for broken in [
            &br#"{"name": "a","#[..],
            br#"{"name": }"#,
            br#"{"products": ["a",]}"#,
        ] {
            match json_body::<Body>(broken) {
                Err(Error::Malformed { field, message }) => {
                    assert_eq!(field, None, "{message}");
                    assert!(
                        message.starts_with("the body is not valid JSON at line 1"),
                        "{message}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
