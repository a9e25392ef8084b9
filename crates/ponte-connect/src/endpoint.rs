//! What the connector's callers hold and get back: where an institution is
//! and how Ponte talks to it, the tokens of a consent, a started
//! authorisation, and the errors every call can end with.

use std::sync::Arc;

use serde::Deserialize;

use crate::bounds::with_causes;
use crate::id_token::CheckFailed;
use crate::security::{ClientAuth, FapiProfile, Secret};

/// Where and how Ponte reaches one institution: from the directory.
#[derive(Debug, Clone)]
pub struct OpenFinanceEndpoint {
    /// OAuth issuer; its discovery document is at `/.well-known/openid-configuration`
    /// under it unless `discovery_url` says otherwise.
    pub issuer: String,
    /// Where the discovery document is fetched when not under the issuer: a
    /// deployment that reaches the institution's authorisation server by
    /// another route than its public name (several nodes each reaching their
    /// own sandbox listener). The document must still name `issuer` verbatim.
    pub discovery_url: Option<String>,
    /// Base of the Open Finance APIs (`…/open-banking/consents/v3` lives under it).
    pub api_base: String,
    pub client_id: String,
    /// Ponte's callback, registered at the institution.
    pub redirect_uri: String,
    pub security: Security,
}

/// How Ponte talks to the institution.
#[derive(Debug, Clone)]
pub enum Security {
    /// Plain OAuth with a client secret (HTTP Basic), an unsigned pushed
    /// request, no ID token: the sandbox banks' legacy mode.
    Legacy { client_secret: Secret },
    /// The Open Finance Brasil profile (FAPI 1.0 Advanced): mTLS, the
    /// configured client authentication, signed request objects, validated
    /// ID tokens.
    Fapi(Arc<FapiProfile>),
}

impl OpenFinanceEndpoint {
    /// An institution reached the legacy way (client secret, no mTLS).
    pub fn legacy(
        issuer: impl Into<String>,
        api_base: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            discovery_url: None,
            api_base: api_base.into(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            security: Security::Legacy {
                client_secret: Secret::new(client_secret),
            },
        }
    }

    /// An institution reached with the FAPI-BR profile.
    pub fn fapi(
        issuer: impl Into<String>,
        api_base: impl Into<String>,
        client_id: impl Into<String>,
        redirect_uri: impl Into<String>,
        profile: Arc<FapiProfile>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            discovery_url: None,
            api_base: api_base.into(),
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            security: Security::Fapi(profile),
        }
    }

    /// The same institution, its discovery document fetched from `url`
    /// instead of under the issuer (whose name the document must still give).
    pub fn with_discovery_url(mut self, url: impl Into<String>) -> Self {
        self.discovery_url = Some(url.into());
        self
    }

    /// The client secret, for institutions that authenticate Ponte with one
    /// (the legacy mode, document portals, a FAPI entry configured so).
    pub fn client_secret(&self) -> Option<&str> {
        match &self.security {
            Security::Legacy { client_secret } => Some(client_secret.expose()),
            Security::Fapi(p) => match &p.auth {
                ClientAuth::ClientSecretBasic(s) | ClientAuth::ClientSecretPost(s) => {
                    Some(s.expose())
                }
                ClientAuth::PrivateKeyJwt(_) => None,
            },
        }
    }

    /// Whether the institution is reached with the FAPI-BR profile: its
    /// authorisation answers come back in the URL fragment (hybrid flow) and
    /// are finished with `complete_authorisation`.
    pub fn is_fapi(&self) -> bool {
        matches!(self.security, Security::Fapi(_))
    }

    /// `api_base` without a terminating `/`, ready for `/open-banking/…` to
    /// be appended (a directory may list the base with one; a `//` path is
    /// refused by strict servers or routed elsewhere).
    pub(crate) fn api_root(&self) -> &str {
        self.api_base.trim_end_matches('/')
    }

    /// Where the discovery document is: `discovery_url` when configured,
    /// else under the issuer, any terminating `/` of which is removed before
    /// appending (OIDC Discovery §4); the issuer itself is still compared
    /// verbatim with the document's either way.
    pub(crate) fn discovery_location(&self) -> String {
        match &self.discovery_url {
            Some(url) => url.clone(),
            None => format!(
                "{}/.well-known/openid-configuration",
                self.issuer.trim_end_matches('/')
            ),
        }
    }

    pub(crate) fn profile(&self) -> Option<&FapiProfile> {
        match &self.security {
            Security::Fapi(p) => Some(p),
            Security::Legacy { .. } => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the institution is unavailable ({0})")]
    Unavailable(String),
    #[error("the institution refused the request: {0}")]
    Refused(String),
    #[error("unexpected answer from the institution: {0}")]
    Protocol(String),
    /// Not a `#[source]`: the text already carries the causes (timed out,
    /// refused), and a reporter walking sources would print them twice.
    #[error("could not reach the institution: {}", with_causes(.0))]
    Transport(reqwest::Error),
    /// The token endpoint refused a code or refresh token (`invalid_grant`): spent,
    /// expired or revoked.
    #[error("the institution refused the grant: {0}")]
    InvalidGrant(String),
    /// The institution refused the consent's tokens and no longer authorises it: the
    /// customer revoked it there (or it ended there). Carries the institution's
    /// rejection reason code, e.g. `CUSTOMER_MANUALLY_REVOKED`.
    #[error("the consent was revoked at the institution ({0})")]
    ConsentRevoked(String),
    /// The institution refused the consent's tokens while still reporting the consent
    /// authorised; fresher tokens (another worker's refresh) may still work.
    #[error("the institution refused the consent's tokens: {0}")]
    TokensRefused(String),
    /// An answer failed a check of the security profile (an ID token's
    /// `s_hash`, the response's `iss`…): the consent ends `REJECTED` with it.
    #[error("the institution's answer failed the check {0}")]
    Check(CheckFailed),
    /// The call was not sent: the observer said the endpoint's operational
    /// limit is spent (see [`crate::observe::CallObserver::permit`]).
    #[error("the monthly limit of {endpoint} is spent: {reason}")]
    QuotaExhausted { endpoint: String, reason: String },
}

impl From<CheckFailed> for ConnectError {
    fn from(e: CheckFailed) -> Self {
        ConnectError::Check(e)
    }
}

impl From<reqwest::Error> for ConnectError {
    fn from(e: reqwest::Error) -> Self {
        ConnectError::Transport(e)
    }
}

/// `Debug` hides the state, nonce, PKCE verifier and the URL's query (see `redact.rs`).
#[derive(Clone)]
pub struct StartedAuthorisation {
    pub bank_consent_id: String,
    /// Where the end user's browser goes to log in and approve.
    pub authorization_url: String,
    pub state: String,
    pub pkce_verifier: String,
    /// The `nonce` the ID tokens must repeat (FAPI institutions); keep it
    /// with the state for [`OpenFinanceClient::complete_authorisation`].
    pub nonce: String,
}

/// `Debug` hides both tokens (see `redact.rs`).
#[derive(Clone, serde::Serialize, Deserialize, PartialEq)]
pub struct BankTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Unix milliseconds.
    pub expires_at: i64,
}

#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: String,
    pub(crate) refresh_token: Option<String>,
    pub(crate) expires_in: Option<i64>,
    pub(crate) id_token: Option<String>,
    pub(crate) scope: Option<String>,
}
