//! The independent authorization server: panva's `oidc-provider` (OpenID
//! Certified for FAPI 1.0 Advanced) run by `tests/fapi-op/server.mjs` as a
//! child process over real TLS on loopback, and the browser that walks its
//! pages.

pub mod ponte;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use ponte_connect::jose::public_jwk;
use serde_json::{json, Value};

pub const CA: &str = include_str!("../../fixtures/ca.pem");
const SERVER: &str = include_str!("../../fixtures/server.pem");
const SERVER_KEY: &str = include_str!("../../fixtures/server_key.pem");
pub const SIG: &str = include_str!("../../../../src/testdata/client_sig.pem");
pub const ENC: &str = include_str!("../../../../src/testdata/client_enc.pem");
pub const SIG_KID: &str = "ponte-sig-1";

/// A running `oidc-provider`; the process is killed when this is dropped.
pub struct Op {
    child: Child,
    /// The issuer, on the listener that asks for no client certificate.
    pub issuer: String,
    /// The listener that asks for one (discovery's `mtls_endpoint_aliases`).
    pub mtls: String,
    _dir: tempfile::TempDir,
}

impl Drop for Op {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fapi_op_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fapi-op")
}

/// How the provider is set up beyond the profile.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub rotate_refresh_tokens: bool,
    /// Add RFC 9207's `iss` to answers that carry an ID token, which
    /// oidc-provider leaves out (see tests/fapi-op/server.mjs).
    pub iss_with_id_token: bool,
    /// Encrypt ID tokens to Ponte's key (RSA-OAEP/A256GCM), as OFB has it.
    pub encrypt_id_tokens: bool,
    /// The ID tokens' `alg`: PS256 (OFB) or ES256 (FAPI 1.0 Advanced, not OFB).
    pub id_token_alg: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            rotate_refresh_tokens: false,
            iss_with_id_token: true,
            encrypt_id_tokens: true,
            id_token_alg: "PS256",
        }
    }
}

/// Starts the provider with Ponte registered as `client_id` (its public
/// signing and encryption keys, `redirect_uri`).
pub fn start(client_id: &str, redirect_uri: &str, options: Options) -> Op {
    let dir = fapi_op_dir();
    assert!(
        dir.join("node_modules/oidc-provider").is_dir(),
        "tests/fapi-op/node_modules is missing: run `cd tests/fapi-op && npm ci --no-audit --no-fund` \
         (.ci/run does it)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let config = json!({
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "jwks": {"keys": [
            public_jwk(SIG, SIG_KID, "sig", "PS256").unwrap(),
            public_jwk(ENC, "ponte-enc-1", "enc", "RSA-OAEP").unwrap(),
        ]},
        "tls": {"cert": SERVER, "key": SERVER_KEY, "ca": CA},
        "rotate_refresh_tokens": options.rotate_refresh_tokens,
        "iss_with_id_token": options.iss_with_id_token,
        "encrypt_id_tokens": options.encrypt_id_tokens,
        "id_token_alg": options.id_token_alg,
    });
    let path = tmp.path().join("op.json");
    std::fs::write(&path, config.to_string()).unwrap();
    // The provider fetches a registered `jwks_uri` from the issuer's listener.
    let ca = tmp.path().join("ca.pem");
    std::fs::write(&ca, CA).unwrap();
    let mut child = Command::new("node")
        .arg(dir.join("server.mjs"))
        .arg(&path)
        .env("NODE_EXTRA_CA_CERTS", &ca)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node must be installed to run tests/fapi-op/server.mjs");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut line).unwrap();
    // Whatever it prints later goes to the test's output, and the pipe stays
    // open (a closed one would end the process at its next write).
    std::thread::spawn(move || {
        for l in stdout.lines().map_while(Result::ok) {
            eprintln!("fapi-op: {l}");
        }
    });
    let Ok(ready) = serde_json::from_str::<Value>(&line) else {
        let _ = child.kill();
        panic!("tests/fapi-op/server.mjs did not start (printed {line:?}); see its stderr above");
    };
    Op {
        child,
        issuer: ready["issuer"].as_str().unwrap().to_string(),
        mtls: ready["mtls"].as_str().unwrap().to_string(),
        _dir: tmp,
    }
}

/// The end user's browser: trusts the test CA, presents no certificate,
/// follows redirects itself (keeping cookies) until the provider sends it to
/// `redirect_uri`, and returns that URL (the answer is in its fragment).
pub async fn authorise_in_browser(authorization_url: &str, redirect_uri: &str) -> String {
    let browser = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(CA.as_bytes()).unwrap())
        .tls_built_in_root_certs(false)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut cookies: Vec<(String, String)> = Vec::new();
    let mut url = url::Url::parse(authorization_url).unwrap();
    for _ in 0..10 {
        let cookie_header = cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let resp = browser
            .get(url.clone())
            .header("cookie", cookie_header)
            .send()
            .await
            .unwrap();
        for set in resp.headers().get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            cookies.retain(|(k, _)| k != name);
            cookies.push((name.to_string(), value.to_string()));
        }
        let status = resp.status();
        let Some(location) = resp.headers().get("location") else {
            let body = resp.text().await.unwrap_or_default();
            panic!("the provider answered {status} without a redirect: {body}");
        };
        let next = url.join(location.to_str().unwrap()).unwrap();
        if next.as_str().starts_with(redirect_uri) {
            return next.into();
        }
        url = next;
    }
    panic!("the provider never sent the browser back")
}

/// The parameters of a URL's fragment.
pub fn fragment(url: &str) -> Value {
    let url = url::Url::parse(url).unwrap();
    let fragment = url.fragment().unwrap_or_default();
    let pairs: serde_json::Map<String, Value> = url::form_urlencoded::parse(fragment.as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect();
    Value::Object(pairs)
}
