//! `ponte-link.js` on an integrator's page of another origin, in headless
//! Chromium (`tests/browser/embed.mjs`): a frame Ponte refuses, a token it
//! refuses and an unreachable Ponte each end in `onExit` with an
//! `errorKind` and no modal left; an allowed origin goes from OPEN to
//! onSuccess; Esc and a click outside ask the widget's own confirmation; an
//! exit after a rejection names the consent and its status; the documents
//! app opens the same way. Plus the headers that make it so.

use crate::support;

use ponte_server::services::clients::{self, BrandingChange, NewCredentials};
use serde_json::{json, Value};
use std::time::Duration;
use support::browser::{browser_available, repo_root};
use support::{Db, TestServer};

/// The integrator's page in the journeys: not loopback, so that only the
/// client's own frame origins decide.
const FOREIGN: &str = "https://shop.example.net";

async fn journeys(script: &str, args: Value) {
    support::browser::journeys(script, [args.to_string()], "embed").await
}

/// A client that lets `origins` frame its widget.
async fn client_framed_by(ts: &TestServer, origins: &str) -> NewCredentials {
    let new = clients::parse_new_client("Acme Lending Ltda", None, None, false).expect("valid");
    let creds = clients::create(ts.app(), new).await.expect("client");
    clients::update_branding(
        ts.app(),
        &creds.client_id,
        &BrandingChange {
            display_name: Some("Acme"),
            logo_url: None,
            primary_color: None,
            privacy_policy_url: None,
            frame_origins: Some(origins),
        },
    )
    .await
    .expect("branding");
    creds
}

async fn csp_of(ts: &TestServer, path: &str) -> (String, Option<String>) {
    let resp = ts.http.get(ts.url(path)).send().await.expect("page");
    let h = resp.headers();
    (
        h["content-security-policy"]
            .to_str()
            .unwrap_or_default()
            .to_string(),
        h.get("x-frame-options")
            .map(|v| v.to_str().unwrap_or_default().to_string()),
    )
}

both!(
    a_page_on_localhost_may_frame_the_sandbox_client_out_of_the_box,
    |db: Db| async move {
        let ts = support::demo::spawn_sandbox(db).await;
        let (_, token) = ts.link(&ts.access_token().await, json!({})).await;
        let (csp, xfo) = csp_of(&ts, &format!("/link?v={token}")).await;
        assert!(
            csp.contains("frame-ancestors 'self' http://localhost:* http://127.0.0.1:*"),
            "{csp}"
        );
        assert_eq!(xfo, None);

        // The documents app of the same client, too.
        let (status, got) = ts
            .post(
                "/api/token",
                None,
                json!({"api_key": ts.client.api_key, "api_secret": ts.client.api_secret}),
            )
            .await;
        assert_eq!(status, 200, "{got}");
        let access = got["access_token"].as_str().expect("access_token");
        let (csp, _) = csp_of(&ts, &format!("/app?access_token={access}")).await;
        assert!(csp.contains("http://localhost:*"), "{csp}");

        // Any other client still names its origins itself.
        let other = client_framed_by(&ts, "https://app.acme.example").await;
        let (_, token) = ts.link(&ts.access_token_for(&other).await, json!({})).await;
        let (csp, _) = csp_of(&ts, &format!("/link?v={token}")).await;
        assert!(
            csp.contains("frame-ancestors https://app.acme.example") && !csp.contains("localhost"),
            "{csp}"
        );
    }
);

both!(
    outside_sandbox_mode_loopback_is_not_allowed_and_a_refused_token_is_framable_in_the_modal,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        let (_, token) = ts.link(&ts.access_token().await, json!({})).await;
        let (csp, xfo) = csp_of(&ts, &format!("/link?v={token}")).await;
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(xfo.as_deref(), Some("DENY"));

        // A token Ponte refuses: the page only says so, and says it to the
        // SDK's modal on any page rather than leaving a dead frame.
        let (csp, xfo) = csp_of(
            &ts,
            "/link?v=not-a-token&embed=https%3A%2F%2Fshop.example.net",
        )
        .await;
        assert!(csp.contains("frame-ancestors *"), "{csp}");
        assert_eq!(xfo, None);
        // Outside the SDK's modal, that page and the bare one stay unframable.
        for path in ["/link?v=not-a-token", "/link"] {
            let (csp, xfo) = csp_of(&ts, path).await;
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(xfo.as_deref(), Some("DENY"), "{path}");
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embed_on_a_foreign_origin_in_a_real_browser() {
    if !browser_available("the embed journeys") {
        return;
    }
    let ts = support::spawn(Db::Sqlite).await;
    // The default client allows no origin: its frames are refused.
    let access = ts.access_token().await;
    let allowed = client_framed_by(&ts, FOREIGN).await;
    let allowed_access = ts.access_token_for(&allowed).await;
    let mut args = serde_json::Map::new();
    args.insert("base".into(), json!(ts.base));
    args.insert("site".into(), json!(FOREIGN));
    args.insert("refused".into(), json!(ts.link(&access, json!({})).await.1));
    for name in ["allowed", "esc", "outside", "deny"] {
        args.insert(
            name.into(),
            json!(ts.link(&allowed_access, json!({})).await.1),
        );
    }
    // The documents app of the allowed client.
    for name in ["documents", "documentsExit", "documentsRedirect"] {
        let (status, got) = ts
            .post(
                "/api/token",
                None,
                json!({"api_key": allowed.api_key, "api_secret": allowed.api_secret}),
            )
            .await;
        assert_eq!(status, 200, "{got}");
        args.insert(name.into(), got["access_token"].clone());
    }

    // A page on localhost needs no setting for the sandbox client.
    let sandbox = support::demo::spawn_sandbox(Db::Sqlite).await;
    let (_, token) = sandbox.link(&sandbox.access_token().await, json!({})).await;
    args.insert("sandboxBase".into(), json!(sandbox.base));
    args.insert("sandboxLink".into(), json!(token));

    journeys("embed.mjs", Value::Object(args)).await;
}

/// The README's `<!-- file: embed/NAME -->` blocks: (NAME, the fenced code after it).
fn readme_files(readme: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (at, _) in readme.match_indices("<!-- file: embed/") {
        let rest = &readme[at + "<!-- file: embed/".len()..];
        let Some((name, rest)) = rest.split_once(" -->") else {
            continue;
        };
        let Some(open) = rest.find("```") else {
            continue;
        };
        let body = &rest[open..];
        let body = body.split_once('\n').map(|(_, b)| b).unwrap_or_default();
        let Some(end) = body.find("\n```") else {
            continue;
        };
        files.push((name.to_string(), format!("{}\n", &body[..end])));
    }
    files
}

/// The README's embed, literally: its backend (`node server.mjs`) against a
/// sandbox-mode server with the sandbox client's keys, its page on
/// localhost, from Connect to onSuccess in Chromium.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_embed_runs_as_written() {
    if !browser_available("the README's embed") {
        return;
    }
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let files = readme_files(&readme);
    let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["server.mjs", "index.html"],
        "the README's embed files"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, body) in &files {
        std::fs::write(dir.path().join(name), body).expect("write");
    }
    let ts = support::demo::spawn_sandbox(Db::Sqlite).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut backend = tokio::process::Command::new("node")
        .arg("server.mjs")
        .current_dir(dir.path())
        .env("PONTE_URL", &ts.base)
        .env("PONTE_API_KEY", &ts.client.api_key)
        .env("PONTE_API_SECRET", &ts.client.api_secret)
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node server.mjs");
    // It prints its address once it listens.
    let stdout = backend.stdout.take().expect("stdout");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let url = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("server.mjs started")
        .expect("read")
        .expect("server.mjs printed its address");
    assert_eq!(url, format!("http://localhost:{port}"));
    journeys("embed.mjs", json!({ "readme": url })).await;
    backend.kill().await.ok();
}
