//! The document-portal connector against the sandbox portals served on a
//! random loopback port, reached over HTTP only, as a real portal would be.

use ponte_connect::{ConnectError, DocumentPortalClient, OpenFinanceEndpoint, PortalSession};
use reqwest::StatusCode;

const REDIRECT: &str = "http://127.0.0.1:9/callback/documents";

struct Portals {
    origin: String,
    base: String,
    browser: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn portals() -> Portals {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let base = format!("{origin}/sandbox/banks");
    let database_url = std::env::var("PONTE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display()));
    let config = ponte_sandbox::SandboxConfig {
        base_url: base.clone(),
        database_url,
        clients: vec![ponte_sandbox::SandboxClient {
            client_id: "ponte".into(),
            client_secret: "s3cret".into(),
            // The banks' callback: the portals accept any path on its origin.
            redirect_uris: vec!["http://127.0.0.1:9/callback/open-finance".into()],
            ..Default::default()
        }],
        ..Default::default()
    };
    let app = axum::Router::new().nest(
        "/sandbox/banks",
        ponte_sandbox::router(config).await.unwrap(),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Portals {
        origin,
        base,
        browser: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        _dir: dir,
    }
}

fn endpoint(p: &Portals, code: &str) -> OpenFinanceEndpoint {
    let base = format!("{}/portals/{code}", p.base);
    OpenFinanceEndpoint::legacy(base.clone(), base, "ponte", "s3cret", REDIRECT)
}

/// (action, txn) of the page's `<form data-step="{step}">`.
fn form(html: &str, step: &str) -> (String, String) {
    let at = html
        .find(&format!("data-step=\"{step}\""))
        .unwrap_or_else(|| panic!("no {step} form"));
    let start = html[..at].rfind("<form").unwrap();
    let value = |s: &str, name: &str| {
        let i = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[i..i + s[i..].find('"').unwrap()].to_string()
    };
    let action = value(&html[start..], "action");
    let txn_at = start + html[start..].find("name=\"txn\"").unwrap();
    (action, value(&html[txn_at..], "value"))
}

/// The end user's browser: signs in and shares; returns the code sent back.
async fn sign_in(p: &Portals, login_url: &str, user: &str) -> String {
    let page = p
        .browser
        .get(login_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (action, txn) = form(&page, "login");
    let r = p
        .browser
        .post(format!("{}{action}", p.origin))
        .form(&[
            ("txn", txn.as_str()),
            ("username", user),
            ("password", "pass_good"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let (action, txn) = form(&page, "approve");
    let r = p
        .browser
        .post(format!("{}{action}", p.origin))
        .form(&[("txn", txn.as_str()), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = url::Url::parse(r.headers()["location"].to_str().unwrap()).unwrap();
    assert!(back.as_str().starts_with(REDIRECT), "{back}");
    assert_eq!(
        back.query_pairs().find(|(k, _)| k == "state").unwrap().1,
        "st-1"
    );
    back.query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned()
}

async fn session(
    p: &Portals,
    client: &DocumentPortalClient,
    ep: &OpenFinanceEndpoint,
    user: &str,
) -> PortalSession {
    let url = client.login_url(ep, "st-1").unwrap();
    let code = sign_in(p, &url, user).await;
    let s = client.exchange_code(ep, &code).await.unwrap();
    assert!(
        !format!("{s:?}").contains(&s.access_token),
        "the token stays out of logs"
    );
    // The code was single-use.
    assert!(matches!(
        client.exchange_code(ep, &code).await,
        Err(ConnectError::InvalidGrant(_))
    ));
    s
}

#[tokio::test]
async fn lists_and_streams_every_document_of_a_portal() {
    let p = portals().await;
    let client = DocumentPortalClient::new().unwrap();
    for code in ["harborline", "summitridge", "lumen"] {
        let ep = endpoint(&p, code);
        let s = session(&p, &client, &ep, "user_good").await;
        let docs = client.list(&ep, &s).await.unwrap();
        assert!(docs.len() >= 4, "{code}: {docs:?}");
        for doc in docs
            .iter()
            .filter(|d| d.kind != "bank_statement" || d.period.ends_with("-12"))
        {
            let mut file = Vec::new();
            let n = client.download(&ep, &s, doc, &mut file).await.unwrap();
            assert_eq!(n, doc.size);
            assert_eq!(file.len() as u64, doc.size);
            assert!(file.starts_with(b"%PDF-"), "{}", doc.id);
            assert_eq!(doc.content_type, "application/pdf");
            assert!(doc.file_name.ends_with(".pdf"));
        }
    }
}

#[tokio::test]
async fn failures_come_back_as_errors_a_retrier_can_tell_apart() {
    let p = portals().await;
    let client = DocumentPortalClient::new().unwrap();
    let ep = endpoint(&p, "harborline");
    let s = session(&p, &client, &ep, "user_flaky").await;
    let docs = client.list(&ep, &s).await.unwrap();
    let doc = &docs[0];
    for _ in 0..2 {
        let mut file = Vec::new();
        let e = client.download(&ep, &s, doc, &mut file).await.unwrap_err();
        assert!(matches!(e, ConnectError::Unavailable(_)), "{e:?}");
    }
    let mut file = Vec::new();
    assert_eq!(
        client.download(&ep, &s, doc, &mut file).await.unwrap(),
        doc.size
    );

    // A document whose listed size is wrong is refused, not half-stored.
    let mut liar = doc.clone();
    liar.size -= 1;
    let e = client
        .download(&ep, &s, &liar, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(e, ConnectError::Protocol(_)), "{e:?}");

    let stale = PortalSession {
        access_token: "nope".into(),
        expires_in: 0,
    };
    assert!(matches!(
        client.list(&ep, &stale).await,
        Err(ConnectError::TokensRefused(_))
    ));
}
