//! The FAPI-BR authorisation: a PS256 request object pushed (PAR) with a
//! client assertion, the hybrid response (`code id_token`) validated as FAPI
//! 1.0 Advanced requires, the code exchanged over mTLS, and what the
//! institution actually granted read back.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::discovery::{Discovery, Endpoint};
use crate::id_token::{CheckFailed, Expected};
use crate::jose::{self, Jwks, SigningKey};
use crate::open_finance::{
    json_of, random_token, tokens, BankTokens, ConnectError, OpenFinanceClient,
    OpenFinanceEndpoint, StartedAuthorisation, RECIPIENT_NAME_PARAM,
};
use crate::security::FapiProfile;

/// Client assertions and request objects live this long (the profile allows ≤ 5 min).
const ASSERTION_LIFETIME_SECS: i64 = 300;

fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The claims of a `private_key_jwt` client assertion (RFC 7523): `aud` is
/// the issuer, which every endpoint accepts (RFC 9126 §2 for PAR).
pub fn assertion_claims(client_id: &str, issuer: &str, now: i64) -> Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": issuer,
        "jti": uuid::Uuid::new_v4().to_string(),
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECS,
    })
}

pub(crate) fn client_assertion(
    key: &SigningKey,
    client_id: &str,
    issuer: &str,
) -> Result<String, ConnectError> {
    key.sign("JWT", &assertion_claims(client_id, issuer, now_secs()))
        .map_err(ConnectError::Protocol)
}

/// The OAuth scopes the consent's permissions need, besides `openid` and
/// `consent:{id}` (OFB: one scope per API family).
pub fn product_scopes(permissions: &[String]) -> Vec<&'static str> {
    const FAMILIES: [(&str, &str); 6] = [
        ("RESOURCES_", "resources"),
        ("ACCOUNTS_", "accounts"),
        ("CREDIT_CARDS_ACCOUNTS_", "credit-cards-accounts"),
        ("CUSTOMERS_", "customers"),
        ("LOANS_", "loans"),
        ("BANK_FIXED_INCOMES_", "bank-fixed-incomes"),
    ];
    FAMILIES
        .iter()
        .filter(|(prefix, _)| permissions.iter().any(|p| p.starts_with(prefix)))
        .map(|(_, scope)| *scope)
        .collect()
}

/// What one authorisation request says; signed into the request object.
#[derive(Debug, Clone)]
pub struct AuthorisationRequest<'a> {
    pub client_id: &'a str,
    pub issuer: &'a str,
    pub redirect_uri: &'a str,
    pub scope: &'a str,
    pub state: &'a str,
    pub nonce: &'a str,
    pub code_challenge: &'a str,
    pub recipient_name: Option<&'a str>,
}

/// The request object's claims (RFC 9101, FAPI 1.0 Advanced §5.2.2, OFB):
/// `acr` essential **without** values (the OFB profile forbids requiring
/// values), `nbf` now and `exp` five minutes on (≤ 60 min allowed).
pub fn request_object_claims(r: &AuthorisationRequest<'_>, now: i64) -> Value {
    let mut claims = json!({
        "iss": r.client_id,
        "aud": r.issuer,
        "client_id": r.client_id,
        "response_type": "code id_token",
        "redirect_uri": r.redirect_uri,
        "scope": r.scope,
        "state": r.state,
        "nonce": r.nonce,
        "code_challenge": r.code_challenge,
        "code_challenge_method": "S256",
        "claims": {"id_token": {"acr": {"essential": true}}},
        "jti": uuid::Uuid::new_v4().to_string(),
        "iat": now,
        "nbf": now,
        "exp": now + ASSERTION_LIFETIME_SECS,
    });
    if let Some(name) = r.recipient_name.map(str::trim).filter(|n| !n.is_empty()) {
        claims[RECIPIENT_NAME_PARAM] = json!(name);
    }
    claims
}

/// The token answer's `scope`: absent is accepted (the request was
/// integrity-protected, FAPI 1.0 Part 1 §5.2.2-14, granted as asked); present,
/// it must hold `openid` and the consent's scope.
pub fn check_scope(scope: Option<&str>, bank_consent_id: &str) -> Result<(), CheckFailed> {
    let Some(scope) = scope else {
        return Ok(());
    };
    let granted: Vec<&str> = scope.split_whitespace().collect();
    let consent = format!("consent:{bank_consent_id}");
    if granted.contains(&"openid") && granted.contains(&consent.as_str()) {
        return Ok(());
    }
    Err(CheckFailed::new(
        "token.scope",
        &format!("scope {scope:?} lacks openid or {consent}"),
    ))
}

/// The recipient name to put in the request object: only for an
/// institution configured to read it (`send_recipient_name`).
pub(crate) fn recipient_for<'a>(p: &FapiProfile, name: Option<&'a str>) -> Option<&'a str> {
    name.filter(|_| p.send_recipient_name)
}

fn profile(ep: &OpenFinanceEndpoint) -> Result<&FapiProfile, ConnectError> {
    ep.profile().ok_or_else(|| {
        ConnectError::Protocol("the institution is not configured for the FAPI profile".into())
    })
}

/// Pushes a signed request object and gives the browser's URL (`client_id`
/// and `request_uri` only).
pub(crate) async fn push_signed(
    client: &OpenFinanceClient,
    ep: &OpenFinanceEndpoint,
    d: &Discovery,
    bank_consent_id: String,
    permissions: Option<Vec<String>>,
    recipient_name: Option<&str>,
) -> Result<StartedAuthorisation, ConnectError> {
    let p = profile(ep)?;
    // The scopes follow the consent's permissions: a re-authorisation reads
    // them from the institution.
    let permissions = match permissions {
        Some(p) => p,
        None => client.granted(ep, &bank_consent_id).await?.permissions,
    };
    let mut scope = format!("openid consent:{bank_consent_id}");
    for s in product_scopes(&permissions) {
        scope.push(' ');
        scope.push_str(s);
    }
    let state = random_token();
    let nonce = random_token();
    let pkce_verifier = random_token();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(pkce_verifier.as_bytes()));
    let request = AuthorisationRequest {
        client_id: &ep.client_id,
        issuer: &d.issuer,
        redirect_uri: &ep.redirect_uri,
        scope: &scope,
        state: &state,
        nonce: &nonce,
        code_challenge: &challenge,
        recipient_name: recipient_for(p, recipient_name),
    };
    let object = p
        .signing
        .sign(
            "oauth-authz-req+jwt",
            &request_object_claims(&request, now_secs()),
        )
        .map_err(ConnectError::Protocol)?;
    #[derive(Deserialize)]
    struct Par {
        request_uri: String,
    }
    let resp = client
        .post_authenticated(ep, d, Endpoint::Par, &[("request", object.as_str())])
        .await?;
    let pushed: Par = json_of(resp).await?;
    let mut url = url::Url::parse(&d.authorization_endpoint)
        .map_err(|e| ConnectError::Protocol(format!("authorization_endpoint: {e}")))?;
    url.query_pairs_mut()
        .append_pair("client_id", &ep.client_id)
        .append_pair("request_uri", &pushed.request_uri);
    Ok(StartedAuthorisation {
        bank_consent_id,
        authorization_url: url.into(),
        state,
        pkce_verifier,
        nonce,
    })
}

/// The parameters of the authorisation response (the callback's fragment or query).
/// `Debug` hides the code, ID token and state (see `redact.rs`).
#[derive(Clone, Default, Deserialize)]
pub struct AuthorisationResponse {
    pub code: Option<String>,
    pub id_token: Option<String>,
    pub state: Option<String>,
    pub iss: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// What Ponte kept when it started the authorisation.
/// `Debug` hides the state, nonce and PKCE verifier (see `redact.rs`).
#[derive(Clone)]
pub struct PendingAuthorisation<'a> {
    pub bank_consent_id: &'a str,
    pub state: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
}

/// A validated authorisation: the tokens and who the institution says authorised.
/// `Debug` hides the tokens (see `redact.rs`).
#[derive(Clone)]
pub struct Completed {
    pub tokens: BankTokens,
    /// The ID token's `sub`.
    pub sub: String,
    pub acr: Option<String>,
    /// The token answer's `scope`; `None` when it had none (granted as asked).
    pub scope: Option<String>,
}

/// The consent as the institution holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantedConsent {
    pub status: String,
    /// The permissions actually granted (an institution may drop some).
    pub permissions: Vec<String>,
    pub expiration: Option<String>,
    pub rejection_reason: Option<String>,
}

impl OpenFinanceClient {
    /// Validates the authorisation response and trades its code for tokens:
    /// `state`, the RFC 9207 `iss` (required where discovery advertises it),
    /// the front-channel ID token (signature, claims, `c_hash`, `s_hash`),
    /// then the token answer's ID token (same `sub`) and `scope`. A failed
    /// check is [`ConnectError::Check`], naming it; an `error` answer is
    /// [`ConnectError::Refused`] with the institution's words.
    pub async fn complete_authorisation(
        &self,
        ep: &OpenFinanceEndpoint,
        response: &AuthorisationResponse,
        pending: &PendingAuthorisation<'_>,
        now_ms: i64,
    ) -> Result<Completed, ConnectError> {
        let outcome = self.complete(ep, response, pending, now_ms).await;
        if let Err(ConnectError::Check(failed)) = &outcome {
            // Names the check, never the token or the code.
            tracing::warn!(issuer = %ep.issuer, check = %failed.check, why = %failed.description,
                "the institution's authorisation response failed a check");
        }
        outcome
    }

    async fn complete(
        &self,
        ep: &OpenFinanceEndpoint,
        response: &AuthorisationResponse,
        pending: &PendingAuthorisation<'_>,
        now_ms: i64,
    ) -> Result<Completed, ConnectError> {
        let p = profile(ep)?;
        let d = self.discover(ep).await?;
        let fail = |check: &str, why: &str| ConnectError::Check(CheckFailed::new(check, why));
        if response.state.as_deref() != Some(pending.state) {
            return Err(fail(
                "authorization.state",
                "state missing or not the one sent",
            ));
        }
        match &response.iss {
            Some(iss) if *iss != d.issuer => {
                return Err(fail(
                    "authorization.iss",
                    &format!("iss {iss:?} is not the issuer"),
                ))
            }
            None if d.authorization_response_iss_parameter_supported => {
                return Err(fail(
                    "authorization.iss",
                    "no iss although the institution advertises it",
                ))
            }
            _ => {}
        }
        if let Some(error) = &response.error {
            let said = response.error_description.as_deref().unwrap_or_default();
            return Err(ConnectError::Refused(format!(
                "{error}: {}",
                said.chars().take(300).collect::<String>()
            )));
        }
        let code = response
            .code
            .as_deref()
            .ok_or_else(|| fail("authorization.code", "no code"))?;
        let raw = response
            .id_token
            .as_deref()
            .ok_or_else(|| fail("authorization.id_token", "no id_token"))?;
        let now = now_ms / 1000;
        let front = Expected {
            source: "id_token",
            issuer: &d.issuer,
            client_id: &ep.client_id,
            nonce: pending.nonce,
            now,
            code: Some(code),
            state: Some(pending.state),
            acr_values: &p.acr_values,
            require_acr: true,
            sub: None,
        };
        let front_claims = self.verified_id_token(ep, p, &d, raw, "id_token").await?;
        let sub = front.check(&front_claims)?;

        let t = self
            .token(
                ep,
                &d,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", &ep.redirect_uri),
                    ("code_verifier", pending.pkce_verifier),
                ],
            )
            .await?;
        let raw = t
            .id_token
            .as_deref()
            .ok_or_else(|| fail("token.id_token", "the token answer has no id_token"))?;
        let back_claims = self
            .verified_id_token(ep, p, &d, raw, "token.id_token")
            .await?;
        let back = Expected {
            source: "token.id_token",
            code: None,
            state: None,
            require_acr: false,
            sub: Some(&sub),
            ..front
        };
        back.check(&back_claims)?;
        let scope = t.scope.clone();
        check_scope(scope.as_deref(), pending.bank_consent_id)?;
        let acr = front_claims["acr"].as_str().map(str::to_string);
        Ok(Completed {
            tokens: tokens(t, None, now_ms),
            sub,
            acr,
            scope,
        })
    }

    /// An ID token opened (decrypted when a JWE) and its PS256 signature
    /// verified with the institution's JWKS, fetched again once when the
    /// token names a key the cached set lacks.
    async fn verified_id_token(
        &self,
        ep: &OpenFinanceEndpoint,
        p: &FapiProfile,
        d: &Discovery,
        raw: &str,
        source: &str,
    ) -> Result<Value, ConnectError> {
        let renamed = |mut e: CheckFailed| {
            e.check = e.check.replacen("id_token", source, 1);
            ConnectError::Check(e)
        };
        let jws = jose::open_id_token(raw, p.decryption.as_ref()).map_err(renamed)?;
        let header = jose::jws_header(&jws).map_err(renamed)?;
        let kid = header["kid"].as_str();
        let jwks = self.bank_jwks(ep, d, kid).await?;
        jose::verify_ps256(&jws, &jwks).map_err(renamed)
    }

    async fn bank_jwks(
        &self,
        ep: &OpenFinanceEndpoint,
        d: &Discovery,
        kid: Option<&str>,
    ) -> Result<Jwks, ConnectError> {
        let uri = d
            .jwks_uri
            .as_deref()
            .ok_or_else(|| ConnectError::Protocol("discovery names no jwks_uri".into()))?;
        if let Some(jwks) = self.cache.jwks(uri, kid) {
            return Ok(jwks);
        }
        let doc: Value = json_of(self.http_for(ep).get(uri).send().await?).await?;
        Ok(self.cache.keep_jwks(uri, &doc))
    }

    /// The consent as the institution holds it now: status and the
    /// permissions it actually granted.
    pub async fn granted(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
    ) -> Result<GrantedConsent, ConnectError> {
        let body: Value = json_of(
            self.consent_request(ep, reqwest::Method::GET, bank_consent_id)
                .await?,
        )
        .await?;
        let data = &body["data"];
        let status = data["status"]
            .as_str()
            .ok_or_else(|| ConnectError::Protocol("consent without data.status".into()))?;
        let permissions = data["permissions"]
            .as_array()
            .ok_or_else(|| ConnectError::Protocol("consent without data.permissions".into()))?
            .iter()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        Ok(GrantedConsent {
            status: status.to_string(),
            permissions,
            expiration: data["expirationDateTime"].as_str().map(str::to_string),
            rejection_reason: data["rejection"]["reason"]["code"]
                .as_str()
                .map(str::to_string),
        })
    }

    /// Revokes a token at the institution's revocation endpoint (RFC 7009).
    pub async fn revoke_token(
        &self,
        ep: &OpenFinanceEndpoint,
        token: &str,
        hint: &str,
    ) -> Result<(), ConnectError> {
        let d = self.discover(ep).await?;
        let form = [("token", token), ("token_type_hint", hint)];
        let resp = self
            .post_authenticated(ep, &d, Endpoint::Revocation, &form)
            .await?;
        if resp.status().is_success() {
            return Ok(());
        }
        Err(crate::open_finance::error_of(resp).await)
    }

    /// The institution's view of a token (RFC 7662).
    pub async fn introspect(
        &self,
        ep: &OpenFinanceEndpoint,
        token: &str,
    ) -> Result<Value, ConnectError> {
        let d = self.discover(ep).await?;
        let resp = self
            .post_authenticated(ep, &d, Endpoint::Introspection, &[("token", token)])
            .await?;
        json_of(resp).await
    }
}

#[cfg(test)]
#[path = "fapi_tests.rs"]
mod tests;
