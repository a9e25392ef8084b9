//! The real `ponte` binary: first start, the sandbox credentials, and client
//! management while a server runs on the same database.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const PONTE: &str = env!("CARGO_BIN_EXE_ponte");

struct Running {
    child: Child,
    url: String,
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &std::path::Path) -> Running {
    let mut child = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_LISTEN", "127.0.0.1:0")
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ponte starts");
    let mut banner = String::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("ponte prints its address").unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if let Some(url) = line.strip_prefix("ponte listening on ") {
            break url.trim().to_string();
        }
    };
    Running { child, url, banner }
}

fn ponte(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(PONTE)
        .args(args)
        .env("PONTE_DATA_DIR", dir)
        .env("PONTE_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn auth(url: &str, key: &str, secret: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/data/v1/auth"))
        .json(&json!({"accessKey": key, "secretKey": secret}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn first_start_and_client_management_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let file = dir.path().join("sandbox-client.json");
    assert!(
        server.banner.contains("apiSecret")
            && server.banner.contains("/demo")
            && server.banner.contains("/docs"),
        "{}",
        server.banner
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let sandbox: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        auth(
            &server.url,
            sandbox["apiKey"].as_str().unwrap(),
            sandbox["apiSecret"].as_str().unwrap()
        )
        .await,
        200
    );
    assert!(server
        .banner
        .contains(sandbox["apiSecret"].as_str().unwrap()));

    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "clients",
            "create",
            "--name",
            "Acme",
            "--webhook-url",
            "https://hooks.example.com/x",
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let created: Value = serde_json::from_str(&out).unwrap();
    for field in ["clientId", "apiKey", "apiSecret", "webhookSecret"] {
        assert!(created[field].is_string(), "{field} in {out}");
    }
    assert!(created["webhookSecret"]
        .as_str()
        .unwrap()
        .starts_with("whsec_"));
    let (key, old) = (
        created["apiKey"].as_str().unwrap(),
        created["apiSecret"].as_str().unwrap(),
    );
    assert_eq!(
        auth(&server.url, key, old).await,
        200,
        "a client made by the CLI works on the running server"
    );

    let (ok, out, err) = ponte(
        dir.path(),
        &[
            "clients",
            "rotate-secret",
            "--client",
            created["clientId"].as_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{err}");
    let rotated: Value = serde_json::from_str(&out).unwrap();
    let new = rotated["apiSecret"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(auth(&server.url, key, new).await, 200);
    assert_eq!(
        auth(&server.url, key, old).await,
        200,
        "the old secret works during its 24-hour grace"
    );

    let (ok, _, err) = ponte(
        dir.path(),
        &[
            "clients",
            "create",
            "--name",
            "Bad",
            "--webhook-url",
            "ftp://x",
            "--json",
        ],
    );
    assert!(!ok && err.contains("--webhook-url"), "{err}");
    let (ok, _, err) = ponte(
        dir.path(),
        &["clients", "rotate-secret", "--client", "nobody", "--json"],
    );
    assert!(!ok && err.contains("--client"), "{err}");

    // A second start on the same data dir creates no second sandbox client.
    drop(server);
    let again = serve(dir.path());
    assert!(!again.banner.contains("apiSecret"), "{}", again.banner);
}

#[test]
fn a_bad_setting_stops_the_start_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_SANDBOX", "maybe")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PONTE_SANDBOX"));
    let out = Command::new(PONTE)
        .arg("serve")
        .env("PONTE_DATA_DIR", dir.path())
        .env("PONTE_LISTEN", "nowhere")
        .output()
        .unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PONTE_LISTEN"));

    // The same checks apply to ponte.toml.
    std::fs::write(dir.path().join("ponte.toml"), "sandbox = \"maybe\"\n").unwrap();
    let out = Command::new(PONTE)
        .arg("serve")
        .current_dir(dir.path())
        .env("PONTE_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PONTE_SANDBOX"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
