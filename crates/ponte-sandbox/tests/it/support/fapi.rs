//! A strict (FAPI) sandbox on loopback: the banks over plain HTTP (browser pages) and over
//! mutual TLS (token, PAR, registration, APIs), a test CA with OFB transport certificates,
//! and a FAPI client (PS256 keys, ID-token encryption key) that signs what it sends.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::OnceLock;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ponte_sandbox::{
    router, serve_mtls, CertificateRule, ClientJwks, DirectoryTrust, FapiClient, MtlsServerConfig,
    SandboxClient, SandboxConfig,
};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    SanType,
};
use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey};
use serde_json::{json, Value};
use tempfile::TempDir;

use super::{challenge, form, good_consent_body, VERIFIER};

pub const FAPI_CLIENT: &str = "ponte-fapi";
pub const FAPI_REDIRECT: &str = "https://ponte.example/callback";
pub const ORG_ID: &str = "b961c4eb-509d-4edf-afeb-35642b38185d";
pub const SOFTWARE_ID: &str = "c4d2b8f1-0000-4000-8000-000000000001";
pub const DIRECTORY_ISS: &str = "https://directory.sandbox.example";

/// An RSA key pair as JWK (public) + signing key.
pub struct RsaKey {
    pub private: RsaPrivateKey,
    pub kid: String,
    pub encoding: EncodingKey,
}

impl RsaKey {
    fn generate(kid: &str) -> RsaKey {
        Self::generate_bits(kid, 2048)
    }

    fn generate_bits(kid: &str, bits: usize) -> RsaKey {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), bits).unwrap();
        let der = private.to_pkcs1_der().unwrap();
        RsaKey {
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            private,
            kid: kid.to_string(),
        }
    }

    pub fn jwk(&self, usage: &str, alg: &str) -> Value {
        let p = self.private.to_public_key();
        json!({"kty": "RSA", "kid": self.kid, "use": usage, "alg": alg,
               "n": B64.encode(p.n().to_bytes_be()), "e": B64.encode(p.e().to_bytes_be())})
    }

    pub fn sign(&self, alg: Algorithm, claims: &Value) -> String {
        let mut h = Header::new(alg);
        h.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&h, claims, &self.encoding).unwrap()
    }
}

/// Keys are slow to make: one set per test binary.
pub struct Keys {
    pub sig: RsaKey,
    pub enc: RsaKey,
    pub other: RsaKey,
    pub directory: RsaKey,
    /// A 1024-bit signature key the client also publishes: FAPI refuses what it signs.
    pub small: RsaKey,
}

pub fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| Keys {
        sig: RsaKey::generate("sig-1"),
        enc: RsaKey::generate("enc-1"),
        other: RsaKey::generate("sig-1"),
        directory: RsaKey::generate("dir-1"),
        small: RsaKey::generate_bits("small-1", 1024),
    })
}

pub fn client_jwks() -> Value {
    let k = keys();
    json!({"keys": [k.sig.jwk("sig", "PS256"), k.enc.jwk("enc", "RSA-OAEP"),
                    k.small.jwk("sig", "PS256")]})
}

/// The test CA and what it issued (PEM).
pub struct Pki {
    pub ca_pem: String,
    pub server_chain: String,
    pub server_key: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A client certificate + key, as PEM.
pub struct ClientCert {
    pub pem: String,
    pub key: String,
}

impl Pki {
    pub fn new() -> Pki {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name
            .push(DnType::CommonName, "Sandbox Test CA");
        let ca = p.self_signed(&key).unwrap();
        let issuer = Issuer::new(p, key);
        let skey = KeyPair::generate().unwrap();
        let mut sp = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        sp.subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        sp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server = sp.signed_by(&skey, &issuer).unwrap();
        Pki {
            ca_pem: ca.pem(),
            server_chain: server.pem(),
            server_key: skey.serialize_pem(),
            issuer,
        }
    }

    /// An OFB transport certificate for (org, software).
    pub fn client(&self, org_id: &str, software_id: &str) -> ClientCert {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        let dn = &mut p.distinguished_name;
        dn.push(DnType::CommonName, "ponte.example");
        dn.push(
            DnType::CustomDnType(vec![2, 5, 4, 97]),
            format!("OFBBR-{org_id}"),
        );
        dn.push(
            DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 1]),
            software_id,
        );
        dn.push(DnType::CustomDnType(vec![2, 5, 4, 5]), "12345678000190");
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        ClientCert {
            pem: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

pub struct FapiSandbox {
    pub origin: String,
    /// Plain HTTP base (browser pages, discovery).
    pub base: String,
    /// mTLS base.
    pub mtls_base: String,
    /// Follows no redirects, no client certificate, plain HTTP.
    pub http: reqwest::Client,
    /// mTLS with the FAPI client's certificate.
    pub mtls: reqwest::Client,
    pub pki: Pki,
    _dir: TempDir,
}

/// An mTLS client sending `x-fapi-interaction-id` (FAPI callers must) on every call.
pub fn mtls_client(pki: &Pki, cert: Option<&ClientCert>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-fapi-interaction-id",
        reqwest::header::HeaderValue::from_static(INTERACTION_ID),
    );
    mtls_client_with(pki, cert, headers)
}

/// The interaction id [`mtls_client`] sends.
pub const INTERACTION_ID: &str = "5d0f3f8e-2c1b-4e7a-9a55-1b2c3d4e5f60";

/// An mTLS client with `headers` on every call (none: a caller forgetting the FAPI ones).
pub fn mtls_client_with(
    pki: &Pki,
    cert: Option<&ClientCert>,
    headers: reqwest::header::HeaderMap,
) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .default_headers(headers)
        .use_rustls_tls()
        .redirect(reqwest::redirect::Policy::none())
        .add_root_certificate(reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap());
    if let Some(c) = cert {
        let pem = format!("{}\n{}", c.pem, c.key);
        b = b.identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap());
    }
    b.build().unwrap()
}

impl FapiSandbox {
    pub async fn start() -> FapiSandbox {
        Self::start_with(true).await
    }

    /// `encrypt`: whether the static FAPI client registered ID-token encryption.
    pub async fn start_with(encrypt: bool) -> FapiSandbox {
        let k = keys();
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mtls_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let base = format!("{origin}/sandbox/banks");
        let mtls_base = format!(
            "https://{}/sandbox/banks",
            mtls_listener.local_addr().unwrap()
        );
        let database_url = std::env::var("PONTE_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display())
        });
        let enc = encrypt.then(|| ("RSA-OAEP".to_string(), "A256GCM".to_string()));
        let config = SandboxConfig {
            base_url: base.clone(),
            database_url,
            clients: vec![
                SandboxClient {
                    client_id: FAPI_CLIENT.into(),
                    client_secret: String::new(),
                    redirect_uris: vec![FAPI_REDIRECT.into()],
                    fapi: Some(FapiClient {
                        keys: ClientJwks::Jwks(client_jwks()),
                        id_token_encrypted_response_alg: enc.as_ref().map(|e| e.0.clone()),
                        id_token_encrypted_response_enc: enc.as_ref().map(|e| e.1.clone()),
                        certificate: CertificateRule::Ofb {
                            org_id: ORG_ID.into(),
                            software_id: SOFTWARE_ID.into(),
                        },
                    }),
                },
                SandboxClient {
                    client_id: super::CLIENT_ID.into(),
                    client_secret: super::CLIENT_SECRET.into(),
                    redirect_uris: vec![super::REDIRECT.into()],
                    fapi: None,
                },
            ],
            mtls_base_url: Some(mtls_base.clone()),
            directory: Some(DirectoryTrust {
                issuer: DIRECTORY_ISS.into(),
                jwks: json!({"keys": [k.directory.jwk("sig", "PS256")]}),
            }),
        };
        let app = Router::new().nest("/sandbox/banks", router(config).await.unwrap());
        let pki = Pki::new();
        let tls = MtlsServerConfig {
            cert_chain_pem: pki.server_chain.clone(),
            key_pem: pki.server_key.clone(),
            client_ca_pem: pki.ca_pem.clone(),
        };
        let app2 = app.clone();
        tokio::spawn(async move { axum::serve(listener, app2).await.unwrap() });
        tokio::spawn(async move { serve_mtls(mtls_listener, app, tls).await.unwrap() });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mtls = mtls_client(&pki, Some(&pki.client(ORG_ID, SOFTWARE_ID)));
        FapiSandbox {
            origin,
            base,
            mtls_base,
            http,
            mtls,
            pki,
            _dir: dir,
        }
    }

    pub fn issuer(&self, bank: &str) -> String {
        format!("{}/{bank}", self.base)
    }

    pub fn mtls_url(&self, bank: &str, path: &str) -> String {
        format!("{}/{bank}{path}", self.mtls_base)
    }

    /// A fresh client assertion for `aud`.
    pub fn assertion(&self, aud: &str) -> String {
        let now = now();
        keys().sig.sign(
            Algorithm::PS256,
            &json!({"iss": FAPI_CLIENT, "sub": FAPI_CLIENT, "aud": aud,
                    "jti": uuid::Uuid::new_v4().to_string(), "iat": now, "exp": now + 120}),
        )
    }

    /// POSTs `form` plus a fresh client assertion to `path` over `client`.
    pub async fn post_auth(
        &self,
        client: &reqwest::Client,
        bank: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Response {
        let a = self.assertion(&self.issuer(bank));
        let mut all: Vec<(&str, &str)> = vec![
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &a),
        ];
        all.extend_from_slice(form);
        client
            .post(self.mtls_url(bank, path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    pub async fn cc_token(&self, bank: &str) -> String {
        let r = self
            .post_auth(
                &self.mtls,
                bank,
                "/auth/token",
                &[("grant_type", "client_credentials"), ("scope", "consents")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn create_consent(&self, bank: &str, token: &str) -> String {
        let r = self
            .mtls
            .post(self.mtls_url(bank, "/open-banking/consents/v3/consents"))
            .bearer_auth(token)
            .json(&good_consent_body())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        v["data"]["consentId"].as_str().unwrap().to_string()
    }

    /// The request object docs/fapi-br.md describes.
    pub fn request_claims(&self, bank: &str, consent_id: &str) -> Value {
        let now = now();
        json!({
            "iss": FAPI_CLIENT, "aud": self.issuer(bank), "client_id": FAPI_CLIENT,
            "response_type": "code id_token", "redirect_uri": FAPI_REDIRECT,
            "scope": format!("openid consent:{consent_id} accounts resources"),
            "state": "st-fapi", "nonce": "n-fapi",
            "code_challenge": challenge(VERIFIER), "code_challenge_method": "S256",
            "claims": {"id_token": {"acr": {"essential": true}}},
            "jti": uuid::Uuid::new_v4().to_string(), "iat": now, "nbf": now, "exp": now + 600,
        })
    }

    pub async fn par_with(&self, bank: &str, request: &str) -> Response {
        self.post_auth(
            &self.mtls,
            bank,
            "/auth/par",
            &[("client_id", FAPI_CLIENT), ("request", request)],
        )
        .await
    }

    pub async fn par(&self, bank: &str, consent_id: &str) -> String {
        let ro = keys()
            .sig
            .sign(Algorithm::PS256, &self.request_claims(bank, consent_id));
        let r = self.par_with(bank, &ro).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        v["request_uri"].as_str().unwrap().to_string()
    }

    /// Browser journey as user_good up to the redirect; returns the fragment's parameters.
    pub async fn journey(&self, bank: &str, request_uri: &str) -> Vec<(String, String)> {
        self.journey_as(bank, request_uri, "user_good").await
    }

    /// Browser journey as `user` (OTP entered for user_mfa), approving.
    pub async fn journey_as(
        &self,
        bank: &str,
        request_uri: &str,
        user: &str,
    ) -> Vec<(String, String)> {
        let r = self
            .http
            .get(format!("{}/{bank}/auth/authorize", self.base))
            .query(&[("client_id", FAPI_CLIENT), ("request_uri", request_uri)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let r = self
            .submit(
                &page,
                "login",
                &[("username", user), ("password", "pass_good")],
            )
            .await;
        let mut page = r.text().await.unwrap();
        if user == "user_mfa" {
            let r = self.submit(&page, "otp", &[("otp", "123456")]).await;
            page = r.text().await.unwrap();
        }
        let r = self
            .submit(&page, "approve", &[("decision", "approve")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let loc = r.headers()[LOCATION].to_str().unwrap().to_string();
        let url = url::Url::parse(&loc).unwrap();
        assert!(loc.starts_with(FAPI_REDIRECT), "{loc}");
        assert_eq!(url.query(), None, "the hybrid response is in the fragment");
        url::form_urlencoded::parse(url.fragment().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    async fn submit(&self, html: &str, step: &str, fields: &[(&str, &str)]) -> Response {
        let (action, txn) = form(html, step).unwrap_or_else(|| panic!("no {step} form:\n{html}"));
        let mut all = vec![("txn", txn.as_str())];
        all.extend_from_slice(fields);
        self.http
            .post(format!("{}{action}", self.origin))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Consent → PAR → journey: the fragment parameters.
    pub async fn authorise(&self, bank: &str) -> Vec<(String, String)> {
        let cc = self.cc_token(bank).await;
        let consent = self.create_consent(bank, &cc).await;
        let uri = self.par(bank, &consent).await;
        self.journey(bank, &uri).await
    }

    pub async fn exchange(&self, client: &reqwest::Client, bank: &str, code: &str) -> Response {
        self.post_auth(
            client,
            bank,
            "/auth/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", FAPI_REDIRECT),
                ("code_verifier", VERIFIER),
            ],
        )
        .await
    }

    pub async fn set_mode(&self, bank: Option<&str>, mode: &str) {
        let mut body = json!({"mode": mode});
        if let Some(b) = bank {
            body["bank"] = json!(b);
        }
        let r = self
            .http
            .post(format!("{}/_test/misbehaviour", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    }

    /// The bank's published JWK Set.
    pub async fn bank_jwks(&self, bank: &str) -> Value {
        self.http
            .get(format!("{}/{bank}/auth/jwks", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

pub fn param<'a>(params: &'a [(String, String)], k: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Decrypts a compact JWE (RSA-OAEP + A256GCM) with the client's enc key; returns
/// (header, plaintext).
pub fn decrypt(jwe: &str) -> (Value, String) {
    let parts: Vec<&str> = jwe.split('.').collect();
    assert_eq!(parts.len(), 5, "not a compact JWE");
    let header: Value = serde_json::from_slice(&B64.decode(parts[0]).unwrap()).unwrap();
    let cek = keys()
        .enc
        .private
        .decrypt(Oaep::new::<sha1::Sha1>(), &B64.decode(parts[1]).unwrap())
        .unwrap();
    let iv = B64.decode(parts[2]).unwrap();
    let mut sealed = B64.decode(parts[3]).unwrap();
    sealed.extend(B64.decode(parts[4]).unwrap());
    let plain = Aes256Gcm::new_from_slice(&cek)
        .unwrap()
        .decrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: &sealed,
                aad: parts[0].as_bytes(),
            },
        )
        .unwrap();
    (header, String::from_utf8(plain).unwrap())
}

/// (header, claims) of a JWS, unverified.
pub fn jws_parts(jws: &str) -> (Value, Value) {
    let mut it = jws.split('.');
    let h = serde_json::from_slice(&B64.decode(it.next().unwrap()).unwrap()).unwrap();
    let c = serde_json::from_slice(&B64.decode(it.next().unwrap()).unwrap()).unwrap();
    (h, c)
}

/// Verifies a PS256 JWS with the bank's JWK Set; returns the claims or the error.
pub fn verify_bank(jws: &str, jwks: &Value) -> Result<Value, String> {
    let (h, _) = jws_parts(jws);
    if h["alg"] != "PS256" {
        return Err(format!("alg {}", h["alg"]));
    }
    let k = &jwks["keys"][0];
    let key = jsonwebtoken::DecodingKey::from_rsa_components(
        k["n"].as_str().unwrap(),
        k["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut v = jsonwebtoken::Validation::new(Algorithm::PS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(jws, &key, &v)
        .map(|d| d.claims)
        .map_err(|e| e.to_string())
}

/// `c_hash`/`s_hash` as a client computes them.
pub fn half_hash(s: &str) -> String {
    use sha2::{Digest, Sha256};
    B64.encode(&Sha256::digest(s.as_bytes())[..16])
}

/// A software statement signed by the test directory.
pub fn ssa(claims_override: Value) -> String {
    let mut c = json!({
        "iss": DIRECTORY_ISS, "iat": now(), "software_id": SOFTWARE_ID, "org_id": ORG_ID,
        "software_client_name": "Ponte", "software_jwks_uri": "http://127.0.0.1:9/jwks.json",
        "software_redirect_uris": [FAPI_REDIRECT], "software_roles": ["DADOS"],
        "org_name": "Ponte Ltda", "org_number": "12345678000190",
    });
    if let (Some(o), Some(extra)) = (c.as_object_mut(), claims_override.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    keys().directory.sign(Algorithm::PS256, &c)
}
