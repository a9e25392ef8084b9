//! Ponte's side: the connector set up for the independent provider as a
//! FAPI-BR institution (transport certificate, signing and decryption keys),
//! and the steps of a consent driven through its public API.

use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ponte_connect::{
    AuthorisationResponse, BankTokens, Completed, ConnectError, DataSession, FapiProfile,
    FapiSettings, OpenFinanceClient, OpenFinanceEndpoint, PendingAuthorisation, SigningKey,
    StartedAuthorisation, Trust,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{authorise_in_browser, fragment, Op, Options, CA, ENC, SIG, SIG_KID};

pub const CLIENT: &str = "ponte-op";
pub const REDIRECT: &str = "https://ponte.example/callback/open-finance";
pub const CPF: &str = "76109277673";
pub const TRANSPORT: &str = include_str!("../../fixtures/client.pem");
pub const TRANSPORT_KEY: &str = include_str!("../../fixtures/client_key.pem");
/// A certificate that is not Ponte's (self-signed, another subject).
pub const OTHER: &str = include_str!("../../fixtures/other_client.pem");
pub const OTHER_KEY: &str = include_str!("../../fixtures/other_client_key.pem");

/// A software statement shaped like the directory's, naming the keystore the
/// provider serves. oidc-provider does not read software statements (see
/// docs/fapi-br.md); this one makes Ponte's side of the registration real.
pub fn software_statement(issuer: &str) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = serde_json::json!({
        "iss": "https://directory.sandbox.example",
        "iat": now,
        "software_id": "c4d2b8f1-0000-4000-8000-000000000001",
        "software_jwks_uri": format!("{issuer}/keystore/ponte.jwks"),
        "software_redirect_uris": [REDIRECT],
        "software_roles": ["DADOS"],
    });
    SigningKey::from_pem(SIG, "directory-1")
        .unwrap()
        .sign("JWT", &claims)
        .unwrap()
}

pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

pub struct Setup {
    pub op: Op,
    pub client: OpenFinanceClient,
    pub ep: OpenFinanceEndpoint,
}

pub fn setup(options: Options) -> Setup {
    let op = super::start(CLIENT, REDIRECT, options);
    let profile = FapiProfile::build(&FapiSettings {
        signing_key_pem: SIG.into(),
        signing_kid: SIG_KID.into(),
        transport_cert_pem: TRANSPORT.into(),
        transport_key_pem: TRANSPORT_KEY.into(),
        trust_anchors_pem: Some(CA.into()),
        trust: Trust::Bundle,
        id_token_decryption_key_pem: Some(ENC.into()),
        ..Default::default()
    })
    .unwrap();
    // The consents API sits on the mTLS listener, like an OFB resource server.
    let ep = OpenFinanceEndpoint::fapi(
        op.issuer.clone(),
        op.mtls.clone(),
        CLIENT,
        REDIRECT,
        Arc::new(profile),
    );
    Setup {
        op,
        client: OpenFinanceClient::new().unwrap(),
        ep,
    }
}

pub fn permissions() -> Vec<String> {
    ["RESOURCES_READ", "ACCOUNTS_READ", "ACCOUNTS_BALANCES_READ"]
        .map(String::from)
        .to_vec()
}

pub fn expiry() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(90))
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

/// An HTTP client presenting `cert` (or none), trusting the test CA.
pub fn http_with(cert: Option<(&str, &str)>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(CA.as_bytes()).unwrap())
        .tls_built_in_root_certs(false);
    if let Some((cert, key)) = cert {
        b = b.identity(reqwest::Identity::from_pem(format!("{cert}\n{key}").as_bytes()).unwrap());
    }
    b.build().unwrap()
}

/// `x5t#S256` of a PEM certificate (RFC 8705 §3.1).
pub fn thumbprint(pem: &str) -> String {
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    URL_SAFE_NO_PAD.encode(Sha256::digest(STANDARD.decode(b64).unwrap()))
}

impl Setup {
    pub async fn discovery(&self) -> Value {
        let url = format!("{}/.well-known/openid-configuration", self.op.issuer);
        http_with(None)
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn start(&self) -> StartedAuthorisation {
        self.client
            .start_authorisation(&self.ep, CPF, None, &permissions(), &expiry(), None)
            .await
            .unwrap()
    }

    /// The end user approves at the provider; the answer from the fragment.
    pub async fn approve(&self, started: &StartedAuthorisation) -> AuthorisationResponse {
        let url = url::Url::parse(&started.authorization_url).unwrap();
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(
            names,
            ["client_id", "request_uri"],
            "the browser sees nothing else"
        );
        let back = authorise_in_browser(url.as_str(), REDIRECT).await;
        serde_json::from_value(fragment(&back)).unwrap()
    }

    pub async fn complete(
        &self,
        started: &StartedAuthorisation,
        response: &AuthorisationResponse,
    ) -> Result<Completed, ConnectError> {
        let pending = PendingAuthorisation {
            bank_consent_id: &started.bank_consent_id,
            state: &started.state,
            nonce: &started.nonce,
            pkce_verifier: &started.pkce_verifier,
        };
        self.client
            .complete_authorisation(&self.ep, response, &pending, now_ms())
            .await
    }

    pub async fn authorised(&self) -> (StartedAuthorisation, Completed) {
        let started = self.start().await;
        let response = self.approve(&started).await;
        let completed = self.complete(&started, &response).await.unwrap();
        (started, completed)
    }

    pub async fn userinfo_url(&self) -> String {
        let d = self.discovery().await;
        d["mtls_endpoint_aliases"]["userinfo_endpoint"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The provider's userinfo, a protected resource that enforces the
    /// certificate binding, read through the connector's data session.
    pub async fn userinfo(
        &self,
        consent: &str,
        tokens: &BankTokens,
    ) -> Result<Value, ConnectError> {
        let url = self.userinfo_url().await;
        DataSession::new(&self.client, &self.ep, consent, tokens.clone())
            .get(&url)
            .await
    }
}
