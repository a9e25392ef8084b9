//! Open Finance Brasil: consent creation, FAPI-style authorisation (PAR +
//! PKCE S256), token exchange and refresh, consent status and revocation.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use crate::bounds::{redirect_not_followed, unreadable};
use crate::discovery::{Cache, Discovery, Endpoint};
use crate::headers::{self, EndUser};
use crate::id_token::CheckFailed;
use crate::security::ClientAuth;
use crate::Timeouts;

pub(crate) use crate::endpoint::TokenResponse;
pub use crate::endpoint::{
    BankTokens, ConnectError, OpenFinanceEndpoint, Security, StartedAuthorisation,
};

/// An authorization-request parameter (Ponte's extension, in the pushed
/// request or the query) naming the party the end user shares data with:
/// Ponte's client, the integrator, whom the institution's consent page names
/// ("<recipient> is asking for access to …"). The sandbox institutions show
/// it; a real institution ignores a parameter it does not know, and names
/// the registered OAuth client (Ponte) instead. Under the FAPI profile it
/// goes in the request object only when the institution's settings say
/// `send_recipient_name`.
pub const RECIPIENT_NAME_PARAM: &str = "recipient_name";

#[derive(Clone)]
pub struct OpenFinanceClient {
    http: reqwest::Client,
    pub(crate) cache: Arc<Cache>,
}

impl OpenFinanceClient {
    /// One HTTP client for every institution, built once at start: bounded
    /// waits, and redirects never followed (an institution's 3xx is an
    /// answer to read, not a place to send tokens). Failing to build it
    /// fails the start rather than falling back to a client without them.
    pub fn new() -> Result<Self, ConnectError> {
        Self::with_timeouts(Timeouts::default())
    }

    /// [`OpenFinanceClient::new`] with other bounds (tests use short ones).
    pub fn with_timeouts(timeouts: Timeouts) -> Result<Self, ConnectError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.answer)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ponte/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            cache: Arc::default(),
        })
    }

    /// The institution's own client (mTLS, its anchors) or the shared one.
    pub fn http_for<'a>(&'a self, ep: &'a OpenFinanceEndpoint) -> &'a reqwest::Client {
        ep.profile().map_or(&self.http, |p| &p.http)
    }

    /// The institution's discovery document, cached for [`crate::discovery::DISCOVERY_TTL`].
    /// A document naming another issuer is refused (OIDC Discovery §4.3).
    pub(crate) async fn discover(
        &self,
        ep: &OpenFinanceEndpoint,
    ) -> Result<Arc<Discovery>, ConnectError> {
        // Keyed by where it was fetched: two entries naming one issuer may
        // reach it by different routes. A hit still names the issuer asked for.
        let url = ep.discovery_location();
        if let Some(d) = self.cache.discovery(&url).filter(|d| d.issuer == ep.issuer) {
            return Ok(d);
        }
        let d: Discovery = json_of(self.http_for(ep).get(&url).send().await?).await?;
        if d.issuer != ep.issuer {
            return Err(ConnectError::Check(CheckFailed::new(
                "discovery.issuer",
                &format!(
                    "discovery names issuer {:?}, expected {:?}",
                    d.issuer, ep.issuer
                ),
            )));
        }
        let d = Arc::new(d);
        self.cache.keep_discovery(&url, d.clone());
        Ok(d)
    }

    /// A POST to one of the institution's OAuth endpoints (its mTLS alias
    /// under the FAPI profile), authenticated as the institution expects.
    pub(crate) async fn post_authenticated(
        &self,
        ep: &OpenFinanceEndpoint,
        d: &Discovery,
        which: Endpoint,
        form: &[(&str, &str)],
    ) -> Result<reqwest::Response, ConnectError> {
        let url = d.endpoint(which, ep.profile().is_some()).ok_or_else(|| {
            ConnectError::Protocol(format!("discovery names no {which:?} endpoint"))
        })?;
        let mut form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let mut request = self.http_for(ep).post(url);
        let auth = match &ep.security {
            Security::Legacy { client_secret } => {
                ClientAuth::ClientSecretBasic(client_secret.clone())
            }
            Security::Fapi(p) => p.auth.clone(),
        };
        match auth {
            ClientAuth::ClientSecretBasic(secret) => {
                request = request.basic_auth(&ep.client_id, Some(secret.expose()));
            }
            ClientAuth::ClientSecretPost(secret) => {
                form.push(("client_id", ep.client_id.clone()));
                form.push(("client_secret", secret.expose().to_string()));
            }
            ClientAuth::PrivateKeyJwt(key) => {
                let assertion = crate::fapi::client_assertion(&key, &ep.client_id, &d.issuer)?;
                form.push(("client_id", ep.client_id.clone()));
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into(),
                ));
                form.push(("client_assertion", assertion));
            }
        }
        headers::send_oauth(request.form(&form)).await
    }

    pub(crate) async fn token(
        &self,
        ep: &OpenFinanceEndpoint,
        d: &Discovery,
        form: &[(&str, &str)],
    ) -> Result<TokenResponse, ConnectError> {
        let resp = self
            .post_authenticated(ep, d, Endpoint::Token, form)
            .await?;
        if resp.status().as_u16() == 400 {
            let path = resp.url().path().to_string();
            let body: Value = resp.json().await.unwrap_or_default();
            let description: String = body["error_description"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            return Err(match body["error"].as_str() {
                Some("invalid_grant") => ConnectError::InvalidGrant(description),
                error => ConnectError::Refused(format!(
                    "400 from {path}: {} {description}",
                    error.unwrap_or("(no error code)")
                )),
            });
        }
        json_of(resp).await
    }

    /// Creates the consent at the institution and prepares the browser's
    /// authorisation request (pushed, when the institution supports PAR).
    /// `recipient_name` is who the end user shares with (the integrator):
    /// see [`RECIPIENT_NAME_PARAM`].
    pub async fn start_authorisation(
        &self,
        ep: &OpenFinanceEndpoint,
        person_document: &str,
        business_document: Option<&str>,
        permissions: &[String],
        expiration: &str,
        recipient_name: Option<&str>,
    ) -> Result<StartedAuthorisation, ConnectError> {
        self.start_authorisation_as(
            ep,
            person_document,
            business_document,
            permissions,
            expiration,
            recipient_name,
            None,
        )
        .await
    }

    /// [`OpenFinanceClient::start_authorisation`] with the end user present:
    /// the consent is created with their FAPI headers.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_authorisation_as(
        &self,
        ep: &OpenFinanceEndpoint,
        person_document: &str,
        business_document: Option<&str>,
        permissions: &[String],
        expiration: &str,
        recipient_name: Option<&str>,
        user: Option<&EndUser>,
    ) -> Result<StartedAuthorisation, ConnectError> {
        let d = self.discover(ep).await?;
        let cc = self
            .token(
                ep,
                &d,
                &[("grant_type", "client_credentials"), ("scope", "consents")],
            )
            .await?;
        let mut data = json!({
            "loggedUser": {"document": {"identification": person_document, "rel": "CPF"}},
            "permissions": permissions,
            "expirationDateTime": expiration,
        });
        if let Some(cnpj) = business_document {
            data["businessEntity"] = json!({"document": {"identification": cnpj, "rel": "CNPJ"}});
        }
        let request = self
            .http_for(ep)
            .post(format!(
                "{}/open-banking/consents/v3/consents",
                ep.api_root()
            ))
            .bearer_auth(&cc.access_token)
            .json(&json!({ "data": data }));
        let resp = headers::send(request, user).await?;
        let created: Value = json_of(resp).await?;
        let bank_consent_id = created["data"]["consentId"]
            .as_str()
            .ok_or_else(|| {
                ConnectError::Protocol("consent response without data.consentId".into())
            })?
            .to_string();

        // What the institution kept of the permissions asked (it may drop some).
        let kept: Option<Vec<String>> = created["data"]["permissions"].as_array().map(|list| {
            list.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        });
        self.push_authorisation(ep, &d, bank_consent_id, kept, recipient_name)
            .await
    }

    /// A fresh authorisation request for a consent that exists at the
    /// institution: new `state` and PKCE pair, pushed when PAR is offered.
    /// Pushed request URIs are single-use, so each attempt needs its own.
    pub async fn reauthorise(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
        recipient_name: Option<&str>,
    ) -> Result<StartedAuthorisation, ConnectError> {
        let d = self.discover(ep).await?;
        self.push_authorisation(ep, &d, bank_consent_id.to_string(), None, recipient_name)
            .await
    }

    async fn push_authorisation(
        &self,
        ep: &OpenFinanceEndpoint,
        d: &Discovery,
        bank_consent_id: String,
        permissions: Option<Vec<String>>,
        recipient_name: Option<&str>,
    ) -> Result<StartedAuthorisation, ConnectError> {
        if ep.profile().is_some() {
            let s =
                crate::fapi::push_signed(self, ep, d, bank_consent_id, permissions, recipient_name);
            return s.await;
        }
        let state = random_token();
        let pkce_verifier = random_token();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(pkce_verifier.as_bytes()));
        let scope = format!("openid consent:{bank_consent_id}");
        let nonce = random_token();
        let params = [
            ("response_type", "code"),
            ("client_id", ep.client_id.as_str()),
            ("redirect_uri", ep.redirect_uri.as_str()),
            ("scope", scope.as_str()),
            ("state", state.as_str()),
            ("nonce", nonce.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        let mut params = params.to_vec();
        if let Some(name) = recipient_name.map(str::trim).filter(|n| !n.is_empty()) {
            params.push((RECIPIENT_NAME_PARAM, name));
        }
        let mut url = url::Url::parse(&d.authorization_endpoint)
            .map_err(|e| ConnectError::Protocol(format!("authorization_endpoint: {e}")))?;
        match &d.pushed_authorization_request_endpoint {
            Some(_) => {
                #[derive(Deserialize)]
                struct Par {
                    request_uri: String,
                }
                let resp = self
                    .post_authenticated(ep, d, Endpoint::Par, &params)
                    .await?;
                let pushed: Par = json_of(resp).await?;
                url.query_pairs_mut()
                    .append_pair("client_id", &ep.client_id)
                    .append_pair("request_uri", &pushed.request_uri);
            }
            None => {
                url.query_pairs_mut().extend_pairs(&params);
            }
        }
        Ok(StartedAuthorisation {
            bank_consent_id,
            authorization_url: url.into(),
            state,
            pkce_verifier,
            nonce,
        })
    }

    /// Whether the institution's authorisation responses always carry `iss`
    /// (it advertises `authorization_response_iss_parameter_supported`).
    pub async fn iss_required(&self, ep: &OpenFinanceEndpoint) -> Result<bool, ConnectError> {
        Ok(self
            .discover(ep)
            .await?
            .authorization_response_iss_parameter_supported)
    }

    /// Trades the authorisation code for tokens (PKCE proves we started the flow).
    pub async fn exchange_code(
        &self,
        ep: &OpenFinanceEndpoint,
        code: &str,
        pkce_verifier: &str,
        now_ms: i64,
    ) -> Result<BankTokens, ConnectError> {
        let d = self.discover(ep).await?;
        let t = self
            .token(
                ep,
                &d,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", &ep.redirect_uri),
                    ("code_verifier", pkce_verifier),
                ],
            )
            .await?;
        Ok(tokens(t, None, now_ms))
    }

    pub async fn refresh(
        &self,
        ep: &OpenFinanceEndpoint,
        refresh_token: &str,
        now_ms: i64,
    ) -> Result<BankTokens, ConnectError> {
        let d = self.discover(ep).await?;
        let t = self
            .token(
                ep,
                &d,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                ],
            )
            .await?;
        Ok(tokens(t, Some(refresh_token), now_ms))
    }

    /// A request to one consent of the consents API, with a client-credentials token.
    pub(crate) async fn consent_request(
        &self,
        ep: &OpenFinanceEndpoint,
        method: reqwest::Method,
        bank_consent_id: &str,
    ) -> Result<reqwest::Response, ConnectError> {
        self.consent_request_at(ep, method, bank_consent_id, "")
            .await
    }

    /// [`Self::consent_request`] to a sub-resource (`suffix`, e.g. "/extensions").
    pub(crate) async fn consent_request_at(
        &self,
        ep: &OpenFinanceEndpoint,
        method: reqwest::Method,
        bank_consent_id: &str,
        suffix: &str,
    ) -> Result<reqwest::Response, ConnectError> {
        let d = self.discover(ep).await?;
        let cc = self
            .token(
                ep,
                &d,
                &[("grant_type", "client_credentials"), ("scope", "consents")],
            )
            .await?;
        let url = format!(
            "{}/open-banking/consents/v3/consents/{}{suffix}",
            ep.api_root(),
            urlencode(bank_consent_id)
        );
        let request = self
            .http_for(ep)
            .request(method, url)
            .bearer_auth(&cc.access_token);
        headers::send(request, None).await
    }

    /// The consent's status at the institution (`AUTHORISED`, `REJECTED`, …) and its rejection reason code.
    pub async fn consent_status(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
    ) -> Result<(String, Option<String>), ConnectError> {
        let body: Value = json_of(
            self.consent_request(ep, reqwest::Method::GET, bank_consent_id)
                .await?,
        )
        .await?;
        let status = body["data"]["status"]
            .as_str()
            .ok_or_else(|| ConnectError::Protocol("consent without data.status".into()))?
            .to_string();
        let reason = body["data"]["rejection"]["reason"]["code"]
            .as_str()
            .map(str::to_string);
        Ok((status, reason))
    }

    /// Revokes the consent at the institution; an already finished consent counts as revoked.
    pub async fn revoke(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
    ) -> Result<(), ConnectError> {
        let resp = self
            .consent_request(ep, reqwest::Method::DELETE, bank_consent_id)
            .await?;
        let status = resp.status();
        if status.is_success() || status.as_u16() == 422 {
            return Ok(());
        }
        Err(error_of(resp).await)
    }
}

impl OpenFinanceClient {
    /// The pooled HTTP client (no redirects followed).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

pub(crate) fn tokens(t: TokenResponse, previous_refresh: Option<&str>, now_ms: i64) -> BankTokens {
    BankTokens {
        access_token: t.access_token,
        refresh_token: t
            .refresh_token
            .or_else(|| previous_refresh.map(str::to_string)),
        expires_at: now_ms + t.expires_in.unwrap_or(300).max(0) * 1000,
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// 32 random bytes, URL-safe: for `state`, `nonce` and the PKCE verifier.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) async fn json_of<T: serde::de::DeserializeOwned>(
    resp: reqwest::Response,
) -> Result<T, ConnectError> {
    if !resp.status().is_success() {
        return Err(error_of(resp).await);
    }
    let url = resp.url().path().to_string();
    resp.json().await.map_err(|e| unreadable(&url, e))
}

pub(crate) async fn error_of(resp: reqwest::Response) -> ConnectError {
    let status = resp.status();
    if status.is_redirection() {
        return ConnectError::Refused(redirect_not_followed(&resp));
    }
    let path = resp.url().path().to_string();
    let body = resp.text().await.unwrap_or_default();
    let detail: String = body.chars().take(300).collect();
    if status.as_u16() == 503 || status.as_u16() == 502 || status.as_u16() == 504 {
        ConnectError::Unavailable(format!("{status} from {path}"))
    } else if status.is_client_error() {
        ConnectError::Refused(format!("{status} from {path}: {detail}"))
    } else {
        ConnectError::Protocol(format!("{status} from {path}: {detail}"))
    }
}
