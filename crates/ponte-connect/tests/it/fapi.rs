//! The connector as an OFB data receiver against the strict sandbox bank over
//! real mutual TLS: the whole journey (consent, signed PAR, the bank's login
//! pages, the fragment, the validated completion, a data call), and each
//! misbehaviour of the conformance suite's client plan refused by name, or
//! accepted where it is legal.

use crate::support;
use std::sync::Arc;
use support::approve_at_bank;

use ponte_connect::dcr::fetch_ssa;
use ponte_connect::jose::public_jwk;
use ponte_connect::{
    AuthorisationResponse, ClientMetadata, ConnectError, DataSession, FapiProfile, FapiSettings,
    OpenFinanceClient, OpenFinanceEndpoint, PendingAuthorisation, StartedAuthorisation, Trust,
};
use ponte_sandbox::{
    CertificateRule, ClientJwks, DirectoryTrust, FapiClient, MtlsServerConfig, SandboxClient,
    SandboxConfig,
};
use serde_json::{json, Value};

const BANK: &str = "itau";
const CLIENT: &str = "ponte-fapi";
const REDIRECT: &str = "https://ponte.example/callback";
const ORG_ID: &str = "b961c4eb-509d-4edf-afeb-35642b38185d";
const SOFTWARE_ID: &str = "c4d2b8f1-0000-4000-8000-000000000001";
const CPF: &str = "76109277673";

// Static fixtures: a test CA, the bank's server certificate, Ponte's OFB
// transport certificate (organizationIdentifier OFBBR-<org>, UID software),
// and Ponte's signing and ID-token encryption keys.
const CA: &str = include_str!("fixtures/ca.pem");
const SERVER: &str = include_str!("fixtures/server.pem");
const SERVER_KEY: &str = include_str!("fixtures/server_key.pem");
const TRANSPORT: &str = include_str!("fixtures/client.pem");
const TRANSPORT_KEY: &str = include_str!("fixtures/client_key.pem");
const SIG: &str = include_str!("../../src/testdata/client_sig.pem");
const ENC: &str = include_str!("../../src/testdata/client_enc.pem");
/// The directory's SSA signing key.
const DIRECTORY_KEY: &str = include_str!("../../src/testdata/bank_alt.pem");
const DIRECTORY_ISS: &str = "https://directory.sandbox.example";

struct Bank {
    client: OpenFinanceClient,
    profile: Arc<FapiProfile>,
    ep: OpenFinanceEndpoint,
    /// The browser: plain HTTP, no redirects followed.
    browser: reqwest::Client,
    origin: String,
    base: String,
    _dir: tempfile::TempDir,
}

fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

async fn bank() -> Bank {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mtls_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let base = format!("{origin}/sandbox/banks");
    let mtls_base = format!(
        "https://{}/sandbox/banks",
        mtls_listener.local_addr().unwrap()
    );
    let jwks = json!({"keys": [
        public_jwk(SIG, "ponte-sig-1", "sig", "PS256").unwrap(),
        public_jwk(ENC, "ponte-enc-1", "enc", "RSA-OAEP").unwrap(),
    ]});
    let config = SandboxConfig {
        base_url: base.clone(),
        database_url: format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display()),
        clients: vec![SandboxClient {
            client_id: CLIENT.into(),
            client_secret: String::new(),
            redirect_uris: vec![REDIRECT.into()],
            fapi: Some(FapiClient {
                keys: ClientJwks::Jwks(jwks),
                id_token_encrypted_response_alg: Some("RSA-OAEP".into()),
                id_token_encrypted_response_enc: Some("A256GCM".into()),
                certificate: CertificateRule::Ofb {
                    org_id: ORG_ID.into(),
                    software_id: SOFTWARE_ID.into(),
                },
            }),
        }],
        mtls_base_url: Some(mtls_base.clone()),
        directory: Some(DirectoryTrust {
            issuer: DIRECTORY_ISS.into(),
            jwks: json!({"keys": [public_jwk(DIRECTORY_KEY, "dir-1", "sig", "PS256").unwrap()]}),
        }),
    };
    let app = axum::Router::new().nest(
        "/sandbox/banks",
        ponte_sandbox::router(config).await.unwrap(),
    );
    let tls = MtlsServerConfig {
        cert_chain_pem: SERVER.into(),
        key_pem: SERVER_KEY.into(),
        client_ca_pem: CA.into(),
    };
    let plain = app.clone();
    tokio::spawn(async move { axum::serve(listener, plain).await.unwrap() });
    tokio::spawn(async move {
        ponte_sandbox::serve_mtls(mtls_listener, app, tls)
            .await
            .unwrap()
    });

    let profile = FapiProfile::build(&FapiSettings {
        signing_key_pem: SIG.into(),
        signing_kid: "ponte-sig-1".into(),
        transport_cert_pem: TRANSPORT.into(),
        transport_key_pem: TRANSPORT_KEY.into(),
        trust_anchors_pem: Some(CA.into()),
        trust: Trust::Bundle,
        id_token_decryption_key_pem: Some(ENC.into()),
        ..Default::default()
    })
    .unwrap();
    let profile = Arc::new(profile);
    let ep = OpenFinanceEndpoint::fapi(
        format!("{base}/{BANK}"),
        format!("{mtls_base}/{BANK}"),
        CLIENT,
        REDIRECT,
        profile.clone(),
    );
    Bank {
        client: OpenFinanceClient::new().unwrap(),
        profile,
        ep,
        browser: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        origin,
        base,
        _dir: dir,
    }
}

fn permissions() -> Vec<String> {
    [
        "RESOURCES_READ",
        "ACCOUNTS_READ",
        "ACCOUNTS_BALANCES_READ",
        "ACCOUNTS_TRANSACTIONS_READ",
        "ACCOUNTS_OVERDRAFT_LIMITS_READ",
    ]
    .map(String::from)
    .to_vec()
}

impl Bank {
    async fn set_mode(&self, mode: &str) {
        let r = self
            .browser
            .post(format!("{}/_test/misbehaviour", self.base))
            .json(&json!({"bank": BANK, "mode": mode}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    async fn start(&self) -> Result<StartedAuthorisation, ConnectError> {
        let expiry = (time::OffsetDateTime::now_utc() + time::Duration::days(90))
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .unwrap();
        self.client
            .start_authorisation(&self.ep, CPF, None, &permissions(), &expiry, None)
            .await
    }

    /// The customer logs in and approves in the browser; the fragment Ponte's
    /// callback page would post back.
    async fn approve(&self, started: &StartedAuthorisation) -> AuthorisationResponse {
        let url = url::Url::parse(&started.authorization_url).unwrap();
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(
            names,
            ["client_id", "request_uri"],
            "the browser sees nothing else"
        );
        let location =
            approve_at_bank(&self.browser, &self.origin, url.as_str(), "user_good").await;
        let url = url::Url::parse(&location).unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        serde_urlencoded_fragment(url.fragment().unwrap_or_default())
    }

    async fn complete(
        &self,
        started: &StartedAuthorisation,
        response: &AuthorisationResponse,
    ) -> Result<ponte_connect::Completed, ConnectError> {
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
}

fn serde_urlencoded_fragment(fragment: &str) -> AuthorisationResponse {
    let pairs: serde_json::Map<String, Value> = url::form_urlencoded::parse(fragment.as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    serde_json::from_value(Value::Object(pairs)).unwrap()
}

#[tokio::test]
async fn the_whole_journey_over_mtls_ends_in_validated_tokens_and_data() {
    let b = bank().await;
    let started = b.start().await.unwrap();
    assert!(!started.nonce.is_empty());
    let response = b.approve(&started).await;
    assert!(
        response.id_token.as_deref().unwrap().split('.').count() == 5,
        "encrypted"
    );
    let done = b.complete(&started, &response).await.unwrap();
    assert!(!done.sub.is_empty());
    assert_eq!(done.acr.as_deref(), Some("urn:brasil:openbanking:loa2"));

    // What the bank actually granted, read back.
    let granted = b
        .client
        .granted(&b.ep, &started.bank_consent_id)
        .await
        .unwrap();
    assert_eq!(granted.status, "AUTHORISED");
    assert!(granted.permissions.contains(&"ACCOUNTS_READ".to_string()));

    // Data over mTLS with the certificate-bound token.
    let mut session = DataSession::new(&b.client, &b.ep, &started.bank_consent_id, done.tokens);
    let accounts = session
        .get_all("/open-banking/accounts/v2/accounts", &[])
        .await
        .unwrap();
    assert!(!accounts.is_empty());
    let resources = session.resources().await.unwrap();
    assert!(!resources.is_empty());
}

#[tokio::test]
async fn a_refused_authorisation_comes_back_as_refused_not_as_tokens() {
    let b = bank().await;
    let started = b.start().await.unwrap();
    let response = AuthorisationResponse {
        error: Some("access_denied".into()),
        error_description: Some("the customer said no".into()),
        state: Some(started.state.clone()),
        iss: Some(b.ep.issuer.clone()),
        ..Default::default()
    };
    let err = b.complete(&started, &response).await.unwrap_err();
    assert!(
        matches!(err, ConnectError::Refused(ref s) if s.starts_with("access_denied")),
        "{err}"
    );
}

/// Each front-channel misbehaviour is refused by name, and the code is never
/// redeemed (the connector stops before the token endpoint: the code still
/// works afterwards).
#[tokio::test]
async fn every_front_channel_misbehaviour_is_refused_by_name_before_the_token_endpoint() {
    let b = bank().await;
    for (mode, check) in [
        ("invalid_s_hash", "id_token.s_hash"),
        ("missing_s_hash", "id_token.s_hash"),
        ("invalid_c_hash", "id_token.c_hash"),
        ("missing_c_hash", "id_token.c_hash"),
        ("invalid_nonce", "id_token.nonce"),
        ("missing_nonce", "id_token.nonce"),
        ("invalid_iss", "id_token.iss"),
        ("missing_iss", "id_token.iss"),
        ("invalid_aud", "id_token.aud"),
        ("missing_aud", "id_token.aud"),
        ("invalid_secondary_aud", "id_token.aud"),
        ("alg_none", "id_token.alg"),
        ("invalid_signature", "id_token.signature"),
        ("rs256", "id_token.alg"),
        ("expired_id_token", "id_token.exp"),
        ("missing_exp", "id_token.exp"),
        ("iat_week_ago", "id_token.iat"),
        ("missing_iat", "id_token.iat"),
        ("encrypted_rsa1_5", "id_token.jwe.alg"),
        ("response_iss_mismatch", "authorization.iss"),
    ] {
        b.set_mode(mode).await;
        let started = b.start().await.unwrap();
        let response = b.approve(&started).await;
        match b.complete(&started, &response).await {
            Err(ConnectError::Check(failed)) => assert_eq!(failed.check, check, "{mode}: {failed}"),
            other => panic!("{mode}: expected the check {check}, got {other:?}"),
        }
        let code = response.code.as_deref().unwrap();
        b.client
            .exchange_code(&b.ep, code, &started.pkce_verifier, now_ms())
            .await
            .unwrap_or_else(|e| panic!("{mode}: the code was redeemed by the connector: {e}"));
    }
}

#[tokio::test]
async fn a_bad_token_endpoint_id_token_and_a_wrong_interaction_id_echo_are_refused() {
    let b = bank().await;
    b.set_mode("token_id_token_invalid_signature").await;
    let started = b.start().await.unwrap();
    let response = b.approve(&started).await;
    match b.complete(&started, &response).await {
        Err(ConnectError::Check(f)) => assert_eq!(f.check, "token.id_token.signature"),
        other => panic!("expected token.id_token.signature, got {other:?}"),
    }

    b.set_mode("interaction_id_mismatch").await;
    match b.start().await {
        Err(ConnectError::Protocol(why)) => assert!(why.contains("x-fapi-interaction-id"), "{why}"),
        other => panic!("expected a Protocol error naming the header, got {other:?}"),
    }
}

#[tokio::test]
async fn the_legal_variations_are_accepted() {
    let b = bank().await;
    for mode in ["aud_array", "token_response_without_scope"] {
        b.set_mode(mode).await;
        let started = b.start().await.unwrap();
        let response = b.approve(&started).await;
        let done = b
            .complete(&started, &response)
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e}"));
        if mode == "token_response_without_scope" {
            assert_eq!(done.scope, None);
        }
        let mut session = DataSession::new(&b.client, &b.ep, &started.bank_consent_id, done.tokens);
        session
            .get_all("/open-banking/accounts/v2/accounts", &[])
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e}"));
    }
}

/// A directory like the OFB one, served over mTLS with the test CA: a fresh
/// SSA (PS256, the directory's key) for Ponte's organisation and software.
/// Ponte's JWKS (`software_jwks_uri`) is on plain HTTP, where the bank fetches it.
async fn directory() -> String {
    let jwks_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jwks_uri = format!("http://{}/jwks.json", jwks_listener.local_addr().unwrap());
    let jwks = json!({"keys": [
        public_jwk(SIG, "ponte-sig-1", "sig", "PS256").unwrap(),
        public_jwk(ENC, "ponte-enc-1", "enc", "RSA-OAEP").unwrap(),
    ]});
    let keys = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || async move { axum::Json(jwks) }),
    );
    tokio::spawn(async move { axum::serve(jwks_listener, keys).await.unwrap() });
    let ssa = move || {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let claims = json!({
            "iss": DIRECTORY_ISS, "iat": now, "software_id": SOFTWARE_ID, "org_id": ORG_ID,
            "software_client_id": SOFTWARE_ID, "software_client_name": "Ponte",
            "software_jwks_uri": jwks_uri, "software_redirect_uris": [REDIRECT],
            "software_roles": ["DADOS"], "org_name": "Ponte Ltda", "org_number": "12345678000190",
        });
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::PS256);
        header.kid = Some("dir-1".into());
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(DIRECTORY_KEY.as_bytes()).unwrap();
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    };
    let app = axum::Router::new().route(
        "/organisations/{org}/softwarestatements/{software}/assertion",
        axum::routing::get(move || {
            let ssa = ssa.clone();
            async move { ([("content-type", "application/jwt")], ssa()) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let tls = MtlsServerConfig {
        cert_chain_pem: SERVER.into(),
        key_pem: SERVER_KEY.into(),
        client_ca_pem: CA.into(),
    };
    tokio::spawn(async move { ponte_sandbox::serve_mtls(listener, app, tls).await.unwrap() });
    url
}

#[tokio::test]
async fn ponte_registers_uses_reads_updates_and_deletes_its_registration() {
    let b = bank().await;
    let dir = directory().await;
    let ssa = fetch_ssa(&b.profile, &dir, ORG_ID, SOFTWARE_ID)
        .await
        .unwrap();
    let meta = ClientMetadata {
        redirect_uris: vec![REDIRECT.into()],
    };
    let reg = b
        .client
        .register(&b.ep.issuer, &b.profile, &ssa, &meta)
        .await
        .unwrap();
    assert_ne!(reg.client_id, CLIENT);
    assert!(!format!("{reg:?}").contains(reg.registration_access_token.expose()));
    assert!(reg.metadata["jwks_uri"]
        .as_str()
        .unwrap()
        .ends_with("/jwks.json"));
    assert!(reg.metadata.get("jwks").is_none());

    // The registered client goes through the whole journey.
    let registered = bank_as(&b, &reg.client_id);
    let started = registered.start().await.unwrap();
    let response = registered.approve(&started).await;
    registered.complete(&started, &response).await.unwrap();

    let read = b.client.read_registration(&b.profile, &reg).await.unwrap();
    assert_eq!(read.client_id, reg.client_id);
    let fresh = fetch_ssa(&b.profile, &dir, ORG_ID, SOFTWARE_ID)
        .await
        .unwrap();
    let updated = b
        .client
        .update_registration(&b.profile, &read, &fresh, &meta)
        .await
        .unwrap();
    assert_eq!(
        updated.metadata["id_token_encrypted_response_alg"],
        "RSA-OAEP"
    );
    b.client
        .delete_registration(&b.profile, &updated)
        .await
        .unwrap();
    assert!(b
        .client
        .read_registration(&b.profile, &updated)
        .await
        .is_err());
}

/// The same bank, reached as another client id (a dynamic registration).
fn bank_as(b: &Bank, client_id: &str) -> Bank {
    Bank {
        client: b.client.clone(),
        profile: b.profile.clone(),
        ep: OpenFinanceEndpoint::fapi(
            b.ep.issuer.clone(),
            b.ep.api_base.clone(),
            client_id,
            REDIRECT,
            b.profile.clone(),
        ),
        browser: b.browser.clone(),
        origin: b.origin.clone(),
        base: b.base.clone(),
        _dir: tempfile::tempdir().unwrap(),
    }
}

/// The conformance suite's refresh module: the bank rotates refresh tokens,
/// and each refresh must use the newest one; the data call then works.
#[tokio::test]
async fn rotated_refresh_tokens_are_followed_over_mtls() {
    let b = bank().await;
    let started = b.start().await.unwrap();
    let response = b.approve(&started).await;
    let first = b.complete(&started, &response).await.unwrap().tokens;
    let old = first.refresh_token.clone().unwrap();
    let second = b.client.refresh(&b.ep, &old, now_ms()).await.unwrap();
    let newest = second.refresh_token.clone().unwrap();
    assert_ne!(newest, old, "the sandbox rotates");
    let third = b.client.refresh(&b.ep, &newest, now_ms()).await.unwrap();
    assert!(matches!(
        b.client.refresh(&b.ep, &old, now_ms()).await,
        Err(ConnectError::InvalidGrant(_))
    ));
    let mut session = DataSession::new(&b.client, &b.ep, &started.bank_consent_id, third);
    session
        .get_all("/open-banking/accounts/v2/accounts", &[])
        .await
        .unwrap();
}
