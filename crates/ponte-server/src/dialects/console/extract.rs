//! The request parts the console's handlers take, each rejected in the
//! console's envelope: the JSON body, the signed-in session
//! ([`super::session::Console`]), a sign-in's origin and sandbox mode.

use super::errors::ConsoleError;
use crate::error::Error;
use crate::http::extract::Body;
use crate::App;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// A JSON body parsed by `http::extract::json_body`: a wrong type names
/// its member, broken JSON its line and column, in the console's envelope.
pub type JsonBody<T> = Body<T, ConsoleError>;

/// A sign-in from the console's own page: a browser names the site that
/// sent the request (`Sec-Fetch-Site`), and another site may not sign
/// anyone in. Checked before the body is read, so a cross-site sign-in is
/// refused whatever it sends.
pub struct SameSite;

impl<S: Send + Sync> FromRequestParts<S> for SameSite {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ConsoleError> {
        match parts
            .headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
        {
            Some("cross-site") | Some("same-site") => Err(ConsoleError::Csrf),
            _ => Ok(SameSite),
        }
    }
}

/// Sandbox mode. Outside it the sandbox tools do not exist: 404 in the
/// console's envelope, after the session is checked and before the body is
/// read.
pub struct SandboxMode;

impl FromRequestParts<App> for SandboxMode {
    type Rejection = ConsoleError;

    async fn from_request_parts(_: &mut Parts, app: &App) -> Result<Self, ConsoleError> {
        if app.config.sandbox {
            Ok(SandboxMode)
        } else {
            Err(Error::NotFound("sandbox tool").into())
        }
    }
}
