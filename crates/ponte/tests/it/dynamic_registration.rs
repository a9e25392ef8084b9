//! A real Open Finance Brasil institution, configured the way an operator
//! configures one: a `PONTE_INSTITUTIONS` entry with Ponte's FAPI-BR
//! credentials and `registration = "dynamic"`. The institution here is the
//! sandbox's own bank `itau`, reached by URL like any other bank; the
//! directory is the sandbox directory. `ponte institutions register` fetches
//! a software statement over mTLS and registers at the bank (RFC 7591);
//! after a restart Ponte authorises a consent there with the client id it
//! was issued; `unregister` deletes the registration (RFC 7592), and the
//! next start registers again by itself. The sandbox banks themselves are
//! registered dynamically by the first start and reused after a restart.

use crate::support;

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};
use support::{free_port, Node, PONTE};

fn cli(dir: &Path, vars: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    let out = Command::new(PONTE)
        .args(args)
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn institutions_toml(dir: &Path, base: &str, mtls: &str, kid: &str) -> String {
    let files = dir.join("sandbox-directory/ponte");
    let f = |name: &str| files.join(name).display().to_string();
    format!(
        r#"[[institution]]
code = "itau-dcr"
name = "Itaú (registered dynamically)"
kind = "open_finance"
base_url = "{base}/sandbox/banks/itau"
api_base = "{mtls}/sandbox/banks/itau"
registration = "dynamic"
directory_url = "{mtls}/sandbox/directory"
org_id = "7f3b6c2e-0d4a-4e8b-9a61-5c2d8e1f4b07"
software_id = "ponte-sandbox"
signing_key = "{}"
signing_kid = "{kid}"
transport_certificate = "{}"
transport_key = "{}"
trust_anchors = "{}"
id_token_decryption_key = "{}"
products = ["accounts"]
"#,
        f("signing.key"),
        f("transport.pem"),
        f("transport.key"),
        f("directory-ca.pem"),
        f("encryption.key"),
    )
}

async fn token(http: &reqwest::Client, base: &str, creds: &Value) -> String {
    let auth: Value = http
        .post(format!("{base}/data/v1/auth"))
        .json(&json!({"accessKey": creds["apiKey"], "secretKey": creds["apiSecret"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    auth["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_institution_registered_dynamically_takes_consents() {
    let dir = tempfile::tempdir().unwrap();
    let (port, mtls_port) = (free_port(), free_port());
    let listen = format!("127.0.0.1:{port}");
    let mtls_listen = format!("127.0.0.1:{mtls_port}");
    let base = format!("http://{listen}");
    let mtls = format!("https://{mtls_listen}");
    let vars = [
        ("PONTE_LISTEN", listen.as_str()),
        ("PONTE_SANDBOX_MTLS_LISTEN", mtls_listen.as_str()),
    ];
    // The first start makes the sandbox directory and Ponte's credentials.
    let node = Node::start(dir.path(), &vars, "first");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let jwks: Value = http
        .get(format!("{base}/ofb/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["use"] == "enc"),
        "the encryption key is published: {jwks}"
    );
    let kid = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["use"] == "sig")
        .and_then(|k| k["kid"].as_str())
        .expect("a signing key")
        .to_string();
    let toml = dir.path().join("institutions.toml");
    std::fs::write(&toml, institutions_toml(dir.path(), &base, &mtls, &kid)).unwrap();
    let toml = toml.display().to_string();
    let with_toml = [vars[0], vars[1], ("PONTE_INSTITUTIONS", toml.as_str())];

    let (ok, out, err) = cli(dir.path(), &with_toml, &["institutions", "show", "--json"]);
    assert!(ok, "{err}");
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown[0]["code"], "itau-dcr");
    assert!(shown[0]["clientId"].is_null(), "not registered yet: {out}");
    assert_eq!(shown[0]["state"], "not registered", "{out}");
    // The first start registered Ponte at every sandbox bank by itself.
    let sandbox_clients = sandbox_registrations(&shown);
    assert_eq!(sandbox_clients.len(), ponte_sandbox::banks().len(), "{out}");
    let nubank = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "nubank")
        .unwrap();
    assert!(
        nubank["certificateNotAfter"]
            .as_str()
            .is_some_and(|at| at.starts_with("20")),
        "{nubank}"
    );
    // A sandbox bank is not the CLI's to register.
    let (ok, _, err) = cli(
        dir.path(),
        &with_toml,
        &["institutions", "register", "--code", "nubank"],
    );
    assert!(!ok && err.contains("ponte serve"), "{err}");

    let (ok, out, err) = cli(
        dir.path(),
        &with_toml,
        &["institutions", "register", "--code", "itau-dcr", "--json"],
    );
    assert!(ok, "register: {err}");
    let registered: Value = serde_json::from_str(&out).unwrap();
    let client_id = registered["clientId"].as_str().unwrap().to_string();
    assert!(!client_id.is_empty() && client_id != "ponte", "{out}");
    let (ok, out, _) = cli(dir.path(), &with_toml, &["institutions", "show", "--json"]);
    assert!(ok);
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown[0]["clientId"], client_id.as_str(), "{shown}");
    assert!(
        shown[0]["certificateNotAfter"]
            .as_str()
            .unwrap()
            .starts_with("20"),
        "{shown}"
    );
    // After a rotation, updating the registrations (RFC 7592): same client.
    let (ok, out, err) = cli(
        dir.path(),
        &with_toml,
        &["institutions", "update-registration", "--json"],
    );
    assert!(ok, "update: {err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["clientId"],
        client_id.as_str()
    );

    // From the next start, Ponte reaches the bank as that client; the
    // sandbox banks' registrations are reused, not made again.
    drop(node);
    let node = Node::start(dir.path(), &with_toml, "second");
    let (ok, out, _) = cli(dir.path(), &with_toml, &["institutions", "show", "--json"]);
    assert!(ok);
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sandbox_registrations(&shown), sandbox_clients, "{out}");
    let creds: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("sandbox-client.json")).unwrap(),
    )
    .unwrap();
    let access = token(&http, &node.url, &creds).await;
    let link: Value = http
        .post(format!("{}/data/v1/links", node.url))
        .bearer_auth(&access)
        .json(&json!({"personalTaxId": "52998224725"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link_token = link["linkToken"].as_str().unwrap();
    let consent: Value = http
        .post(format!("{}/data/v1/consents", node.url))
        .bearer_auth(link_token)
        .json(&json!({"institutionCode": "itau-dcr"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let redirect = consent["consentRedirectUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("{consent}"));
    assert!(
        redirect.contains(&format!("client_id={client_id}")),
        "the registered client: {redirect}"
    );
    let consent_id = consent["consentId"].as_str().unwrap();
    let authorised: Value = http
        .post(format!(
            "{}/sandbox/v1/consents/{consent_id}/authorise",
            node.url
        ))
        .bearer_auth(link_token)
        .json(&json!({"username": "user_good", "password": "pass_good"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(authorised["status"], "AUTHORISED", "{authorised}");

    // A sandbox bank takes consents as the client Ponte registered there.
    let consent: Value = http
        .post(format!("{}/data/v1/consents", node.url))
        .bearer_auth(link_token)
        .json(&json!({"institutionCode": "nubank"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let redirect = consent["consentRedirectUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("{consent}"));
    let nubank_client = &sandbox_clients["nubank"];
    assert!(
        redirect.contains(&format!("client_id={nubank_client}")),
        "{redirect}"
    );
    let consent_id = consent["consentId"].as_str().unwrap();
    let authorised: Value = http
        .post(format!(
            "{}/sandbox/v1/consents/{consent_id}/authorise",
            node.url
        ))
        .bearer_auth(link_token)
        .json(&json!({"username": "user_good", "password": "pass_good"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(authorised["status"], "AUTHORISED", "{authorised}");

    // Unregistering deletes it at the bank: registering the same way works again.
    let (ok, _, err) = cli(
        dir.path(),
        &with_toml,
        &["institutions", "unregister", "--code", "itau-dcr"],
    );
    assert!(ok, "unregister: {err}");
    let (ok, out, _) = cli(dir.path(), &with_toml, &["institutions", "show", "--json"]);
    assert!(ok);
    assert!(serde_json::from_str::<Value>(&out).unwrap()[0]["clientId"].is_null());
    // With nothing registered, there is nothing to update.
    let (ok, _, err) = cli(
        dir.path(),
        &with_toml,
        &["institutions", "update-registration", "--code", "itau-dcr"],
    );
    assert!(!ok && err.contains("not registered yet"), "{err}");

    // `ponte serve` registers a dynamic entry that has no registration
    // when it starts.
    drop(node);
    let _node = Node::start(dir.path(), &with_toml, "third");
    let (ok, out, _) = cli(dir.path(), &with_toml, &["institutions", "show", "--json"]);
    assert!(ok);
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown[0]["state"], "registered", "{out}");
    let again = shown[0]["clientId"].as_str().unwrap();
    assert!(
        !again.is_empty() && again != client_id,
        "a new client: {out}"
    );
}

/// The sandbox banks' client ids in `ponte institutions show --json`.
fn sandbox_registrations(shown: &Value) -> std::collections::BTreeMap<String, String> {
    shown
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["sandbox"] == true)
        .map(|s| {
            assert_eq!(s["state"], "registered", "{s}");
            (
                s["code"].as_str().unwrap().to_string(),
                s["clientId"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
