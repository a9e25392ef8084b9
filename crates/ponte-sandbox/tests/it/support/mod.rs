//! Shared test harness: a live sandbox on a loopback port and a tiny "browser".

pub mod fapi;
pub mod ofb_schema;

use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_sandbox::{router, SandboxClient, SandboxConfig};
use reqwest::header::LOCATION;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

pub const CLIENT_ID: &str = "ponte";
pub const CLIENT_SECRET: &str = "s3cret-ponte";
pub const OTHER_CLIENT: &str = "other-app";
pub const OTHER_SECRET: &str = "other-secret";
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";
pub const BANK: &str = "itau";
pub const OUTAGE_BANK: &str = "original";
pub const VERIFIER: &str = "a-very-long-code-verifier-of-at-least-43-characters-0123456789";

pub struct Sandbox {
    /// e.g. http://127.0.0.1:1234
    pub origin: String,
    /// e.g. http://127.0.0.1:1234/sandbox/banks
    pub base: String,
    /// `SandboxConfig.base_url`: the public base the banks name themselves by (issuer,
    /// links); equal to `base` unless started with [`Sandbox::start_public`].
    pub public_base: String,
    pub http: reqwest::Client,
    /// The sandbox's sqlx database URL (for tests that must age state directly).
    pub database_url: String,
    _dir: TempDir,
}

pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The outcome of a browser journey that ended with a redirect to the client.
#[derive(Debug)]
pub struct Callback {
    pub url: url::Url,
}

impl Callback {
    pub fn param(&self, k: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
    }
}

/// Extracts (action, txn) of the `<form data-step="{step}">` in `html`.
pub fn form(html: &str, step: &str) -> Option<(String, String)> {
    let at = html.find(&format!("data-step=\"{step}\""))?;
    let start = html[..at].rfind("<form")?;
    let end = start + html[start..].find("</form>")?;
    let form = &html[start..end];
    let tag_end = form.find('>')?;
    let action = attr(&form[..tag_end], "action")?;
    let txn_at = form.find("name=\"txn\"")?;
    let txn = attr(&form[txn_at..], "value")?;
    Some((action, txn))
}

fn attr(s: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let i = s.find(&pat)? + pat.len();
    let j = i + s[i..].find('"')?;
    Some(s[i..j].replace("&amp;", "&"))
}

pub fn good_consent_body() -> Value {
    json!({"data": {
        "loggedUser": {"document": {"identification": "76109277673", "rel": "CPF"}},
        "permissions": ["ACCOUNTS_READ", "ACCOUNTS_BALANCES_READ", "RESOURCES_READ",
                        "CUSTOMERS_PERSONAL_IDENTIFICATIONS_READ"],
        "expirationDateTime": expiry_in_days(90),
    }})
}

pub fn expiry_in_days(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(fmt).unwrap()
}

impl Sandbox {
    pub async fn start() -> Sandbox {
        Self::start_with(None).await
    }

    /// A sandbox that believes it is published at `public_origin` (e.g.
    /// "https://ponte.example.com") while listening on loopback, as behind a reverse proxy.
    /// Some OFB link patterns only accept `https://` URLs with a dotted host name.
    pub async fn start_public(public_origin: &str) -> Sandbox {
        Self::start_with(Some(public_origin)).await
    }

    async fn start_with(public_origin: Option<&str>) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let base = format!("{origin}/sandbox/banks");
        let public_base = format!("{}/sandbox/banks", public_origin.unwrap_or(&origin));
        let database_url = std::env::var("PONTE_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display())
        });
        let config = SandboxConfig {
            base_url: public_base.clone(),
            // Set PONTE_TEST_POSTGRES_URL=postgres://… to run the same suite on Postgres.
            database_url: database_url.clone(),
            clients: vec![
                SandboxClient {
                    client_id: CLIENT_ID.into(),
                    client_secret: CLIENT_SECRET.into(),
                    redirect_uris: vec![REDIRECT.into()],
                    ..Default::default()
                },
                SandboxClient {
                    client_id: OTHER_CLIENT.into(),
                    client_secret: OTHER_SECRET.into(),
                    redirect_uris: vec!["http://127.0.0.1:9/other".into()],
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        // Mounted exactly as Ponte mounts it.
        let app = Router::new().nest("/sandbox/banks", router(config).await.unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Sandbox {
            origin,
            base,
            public_base,
            http,
            database_url,
            _dir: dir,
        }
    }

    pub fn url(&self, bank: &str, path: &str) -> String {
        format!("{}/{bank}{path}", self.base)
    }

    pub async fn token_form(&self, bank: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(bank, "/auth/token"))
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// client_credentials token for the consents API.
    pub async fn cc_token(&self, bank: &str) -> String {
        let r = self
            .token_form(
                bank,
                &[("grant_type", "client_credentials"), ("scope", "consents")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["token_type"], "Bearer");
        assert_eq!(v["expires_in"], 900);
        assert_eq!(v["scope"], "consents");
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn post_consent(&self, bank: &str, token: &str, body: &Value) -> Response {
        self.http
            .post(self.url(bank, "/open-banking/consents/v3/consents"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates a consent (validated against the spec) and returns its id.
    pub async fn create_consent(&self, bank: &str, token: &str) -> String {
        let r = self.post_consent(bank, token, &good_consent_body()).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        ofb_schema::consents().assert_valid("ResponseConsent", &v);
        assert_eq!(v["data"]["status"], "AWAITING_AUTHORISATION");
        v["data"]["consentId"].as_str().unwrap().to_string()
    }

    pub async fn get_consent(&self, bank: &str, token: &str, id: &str) -> Value {
        let r = self
            .http
            .get(self.url(bank, &format!("/open-banking/consents/v3/consents/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        ofb_schema::consents().assert_valid("ResponseConsentRead", &v);
        v
    }

    pub async fn par_raw(&self, bank: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url(bank, "/auth/par"))
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn par(&self, bank: &str, consent_id: &str) -> String {
        let scope = format!("openid consent:{consent_id}");
        let ch = challenge(VERIFIER);
        let r = self
            .par_raw(
                bank,
                &[
                    ("response_type", "code"),
                    ("client_id", CLIENT_ID),
                    ("redirect_uri", REDIRECT),
                    ("scope", &scope),
                    ("state", "st-123"),
                    ("nonce", "n-1"),
                    ("code_challenge", &ch),
                    ("code_challenge_method", "S256"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["expires_in"], 90);
        let uri = v["request_uri"].as_str().unwrap().to_string();
        assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
        uri
    }

    /// Opens the authorize page for a PAR request_uri: (status, html).
    pub async fn authorize(&self, bank: &str, request_uri: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(self.url(bank, "/auth/authorize"))
            .query(&[("client_id", CLIENT_ID), ("request_uri", request_uri)])
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Submits the `data-step` form found in `html` with `fields` (txn is added).
    pub async fn submit(&self, html: &str, step: &str, fields: &[(&str, &str)]) -> Response {
        let (action, txn) =
            form(html, step).unwrap_or_else(|| panic!("no {step} form in:\n{html}"));
        assert!(
            action.starts_with('/'),
            "action must be root-relative: {action}"
        );
        let mut all = vec![("txn", txn.as_str())];
        all.extend_from_slice(fields);
        self.http
            .post(format!("{}{action}", self.origin))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Full journey up to the approval page for `user` (which must reach it).
    pub async fn to_approval(&self, bank: &str, consent_id: &str, user: &str) -> String {
        let uri = self.par(bank, consent_id).await;
        let (status, page) = self.authorize(bank, &uri).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let r = self
            .submit(
                &page,
                "login",
                &[("username", user), ("password", "pass_good")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let mut page = r.text().await.unwrap();
        if user == "user_mfa" {
            let r = self.submit(&page, "otp", &[("otp", "123456")]).await;
            assert_eq!(r.status(), StatusCode::OK);
            page = r.text().await.unwrap();
        }
        assert!(
            form(&page, "approve").is_some(),
            "no approval form:\n{page}"
        );
        page
    }

    /// Follows a 303 to the client.
    pub fn callback(&self, r: &Response) -> Callback {
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let loc = r.headers()[LOCATION].to_str().unwrap();
        let url = url::Url::parse(loc).unwrap();
        assert!(loc.starts_with(REDIRECT), "redirected elsewhere: {loc}");
        Callback { url }
    }

    /// Approves as `user` and returns the authorization code.
    pub async fn approved_code(&self, bank: &str, consent_id: &str, user: &str) -> String {
        let page = self.to_approval(bank, consent_id, user).await;
        let r = self
            .submit(&page, "approve", &[("decision", "approve")])
            .await;
        let cb = self.callback(&r);
        assert_eq!(cb.param("state").as_deref(), Some("st-123"));
        assert_eq!(
            cb.param("iss"),
            Some(format!("{}/{bank}", self.public_base))
        );
        cb.param("code").expect("code in callback")
    }

    pub async fn exchange(
        &self,
        bank: &str,
        code: &str,
        verifier: &str,
        redirect: &str,
    ) -> Response {
        self.token_form(
            bank,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ],
        )
        .await
    }

    pub async fn refresh(&self, bank: &str, refresh_token: &str) -> Response {
        self.token_form(
            bank,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        )
        .await
    }
}

/// Asserts an RFC 6749 error response.
pub async fn assert_oauth_error(r: Response, status: StatusCode, error: &str) -> Value {
    assert_eq!(r.status(), status);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], error, "{v}");
    assert!(v["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    v
}
