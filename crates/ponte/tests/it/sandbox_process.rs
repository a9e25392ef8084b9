//! The sandbox as its own process: `ponte sandbox serve` on one port, `ponte
//! serve` (sandbox mode off, nothing mounted) on another, wired only by the
//! `PONTE_INSTITUTIONS` file `ponte sandbox directory` writes: for the legacy
//! secret client, or (`--out-dir`) with Ponte's FAPI-BR credentials and a
//! dynamic registration at each bank. The end user's part is done as a
//! browser does it: the bank's pages, then Ponte's callback.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support;

use support::{free_port, SANDBOX_SECRET as SECRET, SANDBOX_SECRET_VAR as SECRET_VAR};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ponte args…` and returns once it prints the line starting with
/// `prefix`, with the rest of that line. Stdout keeps being read so later
/// prints never meet a closed pipe.
fn start(args: &[&str], vars: &[(&str, &str)], prefix: &'static str) -> (Running, String) {
    let mut child = Command::new(PONTE)
        .args(args)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("ponte starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (found, wait) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix(prefix) {
                let _ = found.send(rest.trim().to_string());
            }
        }
    });
    let running = Running(child);
    let url = wait
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("`ponte {}` never printed {prefix:?}", args.join(" ")));
    (running, url)
}

fn ponte(args: &[&str], vars: &[(&str, &str)]) -> String {
    let out = Command::new(PONTE)
        .args(args)
        .env("PONTE_LOG", "warn")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("ponte runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ponte {}: {stderr}", args.join(" "));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The form of the bank page's current step.
struct Form {
    step: String,
    action: String,
    hidden: Vec<(String, String)>,
}

fn form(html: &str) -> Option<Form> {
    let form = regex::Regex::new(r#"(?s)<form\b([^>]*)>(.*?)</form>"#).unwrap();
    let attr = |tag: &str, name: &str| {
        regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(tag)
            .map(|c| c[1].replace("&amp;", "&"))
    };
    let input = regex::Regex::new(r#"<input\b[^>]*>"#).unwrap();
    let found = form.captures(html)?;
    let step = attr(&found[1], "data-step")?;
    let action = attr(&found[1], "action")?;
    let hidden = input
        .find_iter(&found[2])
        .map(|m| m.as_str())
        .filter(|tag| tag.contains(r#"type="hidden""#))
        .filter_map(|tag| Some((attr(tag, "name")?, attr(tag, "value")?)))
        .collect();
    Some(Form {
        step,
        action,
        hidden,
    })
}

/// What a person does in a browser: open the bank's authorization URL, log
/// in, approve, and land on Ponte's callback. Returns the callback's page.
async fn log_in_and_approve(start: &str, ponte: &str, username: &str) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut at = reqwest::Url::parse(start).unwrap();
    let mut resp = browser.get(at.clone()).send().await.unwrap();
    for _ in 0..10 {
        if resp.status().is_redirection() {
            let location = resp.headers()["location"].to_str().unwrap().to_string();
            at = at.join(&location).unwrap();
            resp = browser.get(at.clone()).send().await.unwrap();
            if at
                .as_str()
                .starts_with(&format!("{ponte}/callback/open-finance"))
            {
                if let Some(fragment) = at.fragment() {
                    // FAPI-BR's hybrid answer is in the fragment, which the
                    // callback page's script posts back: do what it does.
                    let answer: Vec<(String, String)> =
                        url::form_urlencoded::parse(fragment.as_bytes())
                            .into_owned()
                            .collect();
                    let resp = browser
                        .post(format!("{ponte}/callback/open-finance"))
                        .form(&answer)
                        .send()
                        .await
                        .unwrap();
                    let status = resp.status();
                    let page = resp.text().await.unwrap();
                    assert!(status.is_success(), "{status} {page}");
                    return page;
                }
                let status = resp.status();
                let page = resp.text().await.unwrap();
                assert_eq!(status, 200, "{page}");
                return page;
            }
            continue;
        }
        let page = resp.text().await.unwrap();
        let Form {
            step,
            action,
            hidden: mut fields,
        } = form(&page).unwrap_or_else(|| panic!("{page}"));
        match step.as_str() {
            "login" => {
                fields.push(("username".into(), username.into()));
                fields.push(("password".into(), "pass_good".into()));
            }
            "approve" => fields.push(("decision".into(), "approve".into())),
            other => panic!("unexpected step {other}: {page}"),
        }
        at = at.join(&action).unwrap();
        resp = browser.post(at.clone()).form(&fields).send().await.unwrap();
    }
    panic!("the bank's pages never sent the browser back to Ponte");
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "POST" => self.http.post(url).json(&body.unwrap_or(json!({}))),
            _ => self.http.get(url),
        };
        let resp = req.bearer_auth(token).send().await.unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        body
    }
}

/// Ponte and the sandbox as two processes, wired by `PONTE_INSTITUTIONS` only.
struct Pair {
    _sandbox: support::Node,
    _ponte: Running,
    sandbox_url: String,
    url: String,
    data_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// `ponte sandbox serve` on a port of its own choosing, its directory printed by
/// `ponte sandbox directory` into a file, then `ponte serve` with `sandbox_mode`.
fn external_sandbox_and_ponte(sandbox_mode: bool) -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let ponte_port = free_port();
    let ponte_url = format!("http://127.0.0.1:{ponte_port}");
    let (sandbox, institutions) = support::external_sandbox(dir.path(), &ponte_url);
    let sandbox_url = sandbox.url.clone();
    assert!(
        sandbox_url.starts_with("http://127.0.0.1:") && !sandbox_url.ends_with(":0"),
        "{sandbox_url}"
    );
    let directory = std::fs::read_to_string(&institutions).unwrap();
    assert!(
        !directory.contains(SECRET) && directory.contains(SECRET_VAR),
        "{directory}"
    );

    let data_dir = dir.path().join("ponte");
    let institutions = institutions.display().to_string();
    let data = data_dir.display().to_string();
    let listen = format!("127.0.0.1:{ponte_port}");
    let vars = [
        (SECRET_VAR, SECRET),
        ("PONTE_DATA_DIR", data.as_str()),
        ("PONTE_SANDBOX", if sandbox_mode { "true" } else { "false" }),
        ("PONTE_INSTITUTIONS", institutions.as_str()),
        ("PONTE_LISTEN", listen.as_str()),
    ];
    let (ponte, url) = start(&["serve"], &vars, "ponte listening on ");
    assert_eq!(url, ponte_url);
    Pair {
        _sandbox: sandbox,
        _ponte: ponte,
        sandbox_url,
        url,
        data_dir,
        _dir: dir,
    }
}

#[tokio::test]
async fn the_whole_consent_flow_against_a_separately_started_sandbox() {
    let pair = external_sandbox_and_ponte(false);
    let (url, sandbox_url) = (pair.url.clone(), pair.sandbox_url.clone());
    let data = pair.data_dir.display().to_string();
    let client: Value = serde_json::from_str(&ponte(
        &["clients", "create", "--name", "Acme", "--json"],
        &[
            ("PONTE_DATA_DIR", data.as_str()),
            ("PONTE_SANDBOX", "false"),
        ],
    ))
    .unwrap();

    let api = Api {
        http: reqwest::Client::new(),
        base: url.clone(),
    };
    let auth = api
        .http
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": client["apiKey"], "secretKey": client["apiSecret"]}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let access = auth["accessToken"]
        .as_str()
        .expect("an access token")
        .to_string();
    let link = api
        .call(
            "POST",
            "/data/v1/links",
            &access,
            Some(json!({"personalTaxId": "529.982.247-25"})),
        )
        .await;
    let (link_id, link_token) = (
        link["linkId"].as_str().unwrap().to_string(),
        link["linkToken"].as_str().unwrap().to_string(),
    );

    // The directory is the external sandbox's banks, nothing mounted in Ponte.
    let listed = api
        .call("GET", "/data/v1/links/institutions", &link_token, None)
        .await;
    let listed = listed.as_array().unwrap();
    assert!(listed.len() >= 12, "{listed:?}");
    assert_eq!(listed.iter().filter(|i| i["isOutage"] == true).count(), 1);
    let itau = listed
        .iter()
        .find(|i| i["institutionCode"] == "itau")
        .expect("itau is listed");
    assert_eq!(itau["avatar"], format!("{sandbox_url}/itau/avatar.svg"));
    assert!(itau["availableResources"]
        .as_array()
        .unwrap()
        .contains(&json!("insights")));
    let avatar = api
        .http
        .get(itau["avatar"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(avatar.status(), 200);
    let mounted = api
        .http
        .get(format!(
            "{url}/sandbox/banks/itau/.well-known/openid-configuration"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(mounted.status(), 404, "PONTE_SANDBOX=false mounts no bank");

    let consent = api
        .call(
            "POST",
            "/data/v1/consents",
            &link_token,
            Some(json!({"institutionCode": "itau", "externalTrackId": "order-42"})),
        )
        .await;
    let consent_id = consent["consentId"].as_str().unwrap().to_string();
    let redirect = consent["consentRedirectUrl"].as_str().unwrap();
    assert!(
        redirect.starts_with(&format!("{sandbox_url}/itau/")),
        "the end user is sent to the separate sandbox: {redirect}"
    );

    let page = log_in_and_approve(redirect, &url, "user_good").await;
    assert!(page.contains(r#"data-status="AUTHORISED""#), "{page}");
    let seen = api
        .call(
            "GET",
            &format!("/data/v1/consents/{consent_id}"),
            &access,
            None,
        )
        .await;
    assert_eq!(seen["status"], "AUTHORISED", "{seen}");

    let request = api
        .call(
            "POST",
            "/data/personal/institution-data",
            &access,
            Some(json!({"taxId": "52998224725", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]})),
        )
        .await;
    let request_id = request["requestId"].as_str().unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let done = loop {
        let req = api
            .call(
                "GET",
                &format!("/data/v1/requests/{request_id}"),
                &access,
                None,
            )
            .await;
        if req["status"] == "COMPLETED" {
            break req;
        }
        assert!(
            Instant::now() < deadline,
            "the request never completed: {req}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let accounts = done["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == "accounts")
        .unwrap_or_else(|| panic!("{done}"));
    assert_eq!(accounts["status"], "SUCCESS", "{done}");
    let report = api
        .call(
            "GET",
            &format!(
                "/data/v1/reports/{}",
                accounts["reportId"].as_str().unwrap()
            ),
            &access,
            None,
        )
        .await;
    assert_eq!(
        (
            report["institutionCode"].as_str(),
            report["status"].as_str()
        ),
        (Some("itau"), Some("SUCCESS")),
        "{report}"
    );
    assert!(
        report["data"].as_object().is_some_and(|d| !d.is_empty()),
        "the accounts came from the sandbox: {report}"
    );
}

/// The sandbox process as an Open Finance ecosystem: its directory enrolled
/// Ponte; `ponte sandbox directory --out-dir` writes Ponte's credentials
/// (0600) and an institutions file whose banks take a dynamic registration;
/// a separate `ponte serve` registers at every bank when it starts, and a
/// consent completes through the bank's pages as the client it was issued,
/// its data fetched over mTLS.
#[tokio::test]
async fn a_separate_ponte_registers_at_the_sandbox_process_and_completes_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ponte_port = free_port();
    let listen = format!("127.0.0.1:{ponte_port}");
    let callback = format!("http://{listen}/callback/open-finance");
    let sandbox_data = dir.path().join("sandbox").display().to_string();
    let (_sandbox, sandbox_url) = start(
        &[
            "sandbox",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            &sandbox_data,
            "--client-id",
            "ponte-external",
            "--client-secret-env",
            SECRET_VAR,
            "--redirect-uri",
            &callback,
        ],
        &[(SECRET_VAR, SECRET)],
        "ponte sandbox listening on ",
    );
    let creds = dir.path().join("creds");
    let written = ponte(
        &[
            "sandbox",
            "directory",
            "--base-url",
            &sandbox_url,
            "--client-id",
            "ponte-external",
            "--client-secret-env",
            SECRET_VAR,
            "--data-dir",
            &sandbox_data,
            "--out-dir",
            &creds.display().to_string(),
        ],
        &[],
    );
    let institutions = written.trim().to_string();
    assert!(institutions.ends_with("institutions.toml"), "{written}");
    let text = std::fs::read_to_string(&institutions).unwrap();
    assert!(
        text.contains(r#"registration = "dynamic""#) && !text.contains(SECRET),
        "{text}"
    );
    for file in std::fs::read_dir(&creds).unwrap() {
        let file = file.unwrap();
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.path().display());
    }

    let data = dir.path().join("ponte").display().to_string();
    let vars = [
        (SECRET_VAR, SECRET),
        ("PONTE_DATA_DIR", data.as_str()),
        ("PONTE_SANDBOX", "false"),
        ("PONTE_INSTITUTIONS", institutions.as_str()),
        ("PONTE_LISTEN", listen.as_str()),
    ];
    let (_ponte, url) = start(&["serve"], &vars, "ponte listening on ");
    let shown: Value =
        serde_json::from_str(&ponte(&["institutions", "show", "--json"], &vars)).unwrap();
    let shown = shown.as_array().unwrap();
    assert_eq!(shown.len(), ponte_sandbox::banks().len(), "{shown:?}");
    assert!(
        shown.iter().all(|s| s["state"] == "registered"),
        "every bank registered at start: {shown:?}"
    );
    let itau_client = shown.iter().find(|s| s["code"] == "itau").unwrap()["clientId"]
        .as_str()
        .unwrap()
        .to_string();

    let client: Value = serde_json::from_str(&ponte(
        &["clients", "create", "--name", "Acme", "--json"],
        &vars,
    ))
    .unwrap();
    let api = Api {
        http: reqwest::Client::new(),
        base: url.clone(),
    };
    let auth: Value = api
        .http
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": client["apiKey"], "secretKey": client["apiSecret"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = auth["accessToken"].as_str().expect("an access token");
    let link = api
        .call(
            "POST",
            "/data/v1/links",
            access,
            Some(json!({"personalTaxId": "529.982.247-25"})),
        )
        .await;
    let (link_id, link_token) = (
        link["linkId"].as_str().unwrap(),
        link["linkToken"].as_str().unwrap(),
    );
    let consent = api
        .call(
            "POST",
            "/data/v1/consents",
            link_token,
            Some(json!({"institutionCode": "itau"})),
        )
        .await;
    let consent_id = consent["consentId"].as_str().unwrap();
    let redirect = consent["consentRedirectUrl"].as_str().unwrap();
    assert!(
        redirect.starts_with(&format!("{sandbox_url}/itau/"))
            && redirect.contains(&format!("client_id={itau_client}")),
        "the bank, as the registered client: {redirect}"
    );
    log_in_and_approve(redirect, &url, "user_good").await;
    let seen = api
        .call(
            "GET",
            &format!("/data/v1/consents/{consent_id}"),
            access,
            None,
        )
        .await;
    assert_eq!(seen["status"], "AUTHORISED", "{seen}");

    let request = api
        .call(
            "POST",
            "/data/personal/institution-data",
            access,
            Some(json!({"taxId": "52998224725", "linkId": link_id, "consentId": [consent_id], "products": ["accounts"]})),
        )
        .await;
    let request_id = request["requestId"].as_str().unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let req = api
            .call(
                "GET",
                &format!("/data/v1/requests/{request_id}"),
                access,
                None,
            )
            .await;
        if req["status"] == "COMPLETED" {
            let accounts = req["reports"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["product"] == "accounts")
                .unwrap_or_else(|| panic!("{req}"));
            assert_eq!(accounts["status"], "SUCCESS", "{req}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the request never completed: {req}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// In sandbox mode the configured entries replace the built-in banks: the
/// headless helper then drives the separate sandbox's pages.
#[tokio::test]
async fn sandbox_mode_helpers_drive_the_separate_sandbox() {
    let pair = external_sandbox_and_ponte(true);
    let url = pair.url.clone();
    let sandbox: Value = serde_json::from_str(
        &std::fs::read_to_string(pair.data_dir.join("sandbox-client.json")).unwrap(),
    )
    .unwrap();
    let api = Api {
        http: reqwest::Client::new(),
        base: url.clone(),
    };
    let auth = api
        .http
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": sandbox["apiKey"], "secretKey": sandbox["apiSecret"]}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let access = auth["accessToken"].as_str().expect("an access token");
    let link = api
        .call(
            "POST",
            "/data/v1/links",
            access,
            Some(json!({"personalTaxId": "529.982.247-25"})),
        )
        .await;
    let link_token = link["linkToken"].as_str().unwrap();
    let listed = api
        .call("GET", "/data/v1/links/institutions", link_token, None)
        .await;
    let nubank = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["institutionCode"] == "nubank")
        .expect("nubank is listed");
    assert_eq!(
        nubank["avatar"],
        format!("{}/nubank/avatar.svg", pair.sandbox_url),
        "the configured entry replaced the mounted bank"
    );
    let consent = api
        .call(
            "POST",
            "/data/v1/consents",
            link_token,
            Some(json!({"institutionCode": "nubank"})),
        )
        .await;
    assert!(consent["consentRedirectUrl"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/nubank/", pair.sandbox_url)));
    let consent_id = consent["consentId"].as_str().unwrap();
    let authorised = api
        .call(
            "POST",
            &format!("/sandbox/v1/consents/{consent_id}/authorise"),
            link_token,
            Some(json!({"username": "user_good", "password": "pass_good"})),
        )
        .await;
    assert_eq!(authorised["status"], "AUTHORISED", "{authorised}");
    let seen = api
        .call(
            "GET",
            &format!("/data/v1/consents/{consent_id}"),
            access,
            None,
        )
        .await;
    assert_eq!(seen["status"], "AUTHORISED", "{seen}");
}

#[test]
fn bad_sandbox_flags_and_directory_entries_are_named() {
    let run = |args: &[&str], vars: &[(&str, &str)]| {
        let out = Command::new(PONTE)
            .args(args)
            .env("PONTE_LOG", "warn")
            .env_remove(SECRET_VAR)
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let serve = |secret_env: &str, redirect: &str| {
        vec![
            "sandbox".to_string(),
            "serve".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--client-id".into(),
            "ponte".into(),
            "--client-secret-env".into(),
            secret_env.into(),
            "--redirect-uri".into(),
            redirect.into(),
        ]
    };
    let args = serve(SECRET_VAR, "http://127.0.0.1:1/callback/open-finance");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, err) = run(&args, &[]);
    assert!(
        !ok && err.contains("--client-secret-env") && err.contains(SECRET_VAR),
        "{err}"
    );
    let args = serve(SECRET_VAR, "not a url");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, err) = run(&args, &[(SECRET_VAR, SECRET)]);
    assert!(!ok && err.contains("--redirect-uri"), "{err}");
    let (ok, err) = run(
        &[
            "sandbox",
            "directory",
            "--base-url",
            "ftp://x",
            "--client-id",
            "p",
            "--client-secret-env",
            "V",
        ],
        &[],
    );
    assert!(!ok && err.contains("--base-url"), "{err}");

    // A bad PONTE_INSTITUTIONS entry stops `ponte serve` before it listens.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("institutions.toml");
    std::fs::write(
        &file,
        "[[institution]]\ncode = \"banco\"\nname = \"Banco\"\nkind = \"open_finance\"\nbase_url = \"https://banco.example\"\nclient_id = \"p\"\nclient_secret_env = \"PONTE_TEST_UNSET_SECRET\"\nproducts = [\"accounts\"]\n",
    )
    .unwrap();
    let data = dir.path().display().to_string();
    let file = file.display().to_string();
    let (ok, err) = run(
        &["serve"],
        &[
            ("PONTE_DATA_DIR", data.as_str()),
            ("PONTE_LISTEN", "127.0.0.1:0"),
            ("PONTE_INSTITUTIONS", file.as_str()),
        ],
    );
    assert!(
        !ok && err.contains("PONTE_INSTITUTIONS")
            && err.contains("institution 1 (\"banco\")")
            && err.contains("client_secret_env")
            && err.contains("PONTE_TEST_UNSET_SECRET"),
        "{err}"
    );
}
