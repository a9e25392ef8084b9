//! The OpenAPI document matches the router (every documented operation is
//! served, every served route is documented, no method is served that the
//! document leaves out), keeps its shape (snapshot), and `/docs` renders it
//! with the renderer embedded in the binary.

use crate::support;

use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use support::Db;

/// Every route the routers register, method and path as the document spells it.
const SERVED: &[(&str, &str)] = &[
    ("post", "/data/v1/auth"),
    ("post", "/data/v1/auth/refresh"),
    ("post", "/data/v1/links"),
    ("get", "/data/v1/links/institutions"),
    ("get", "/data/v1/links/renewal"),
    ("post", "/data/v1/links/renewal"),
    ("get", "/data/v1/links/{linkId}"),
    ("post", "/data/v1/consents"),
    ("get", "/data/v1/consents/{consentId}"),
    ("delete", "/data/v1/consents/{consentId}"),
    ("post", "/data/v1/consents/{consentId}/renew"),
    ("get", "/data/v1/consents/{consentId}/extensions"),
    ("get", "/data/v1/consents/{consentId}/quota"),
    ("get", "/data/v1/consents/{consentId}/transactions/sync"),
    ("post", "/data/v1/consents/{consentId}/refresh"),
    ("post", "/data/personal/institution-data"),
    ("post", "/data/business/institution-data"),
    ("get", "/data/v1/requests/{requestId}"),
    ("get", "/data/v1/reports/{reportId}"),
    ("get", "/data/v1/reports/{reportId}/download"),
    ("get", "/data/v1/reports/{reportId}/pdf"),
    ("get", "/data/v1/webhooks/messages"),
    ("get", "/data/v1/webhooks/messages/{messageId}"),
    ("post", "/data/v1/webhooks/messages/{messageId}/replay"),
    ("post", "/data/v1/webhooks/replay"),
    ("post", "/data/v1/webhooks/secret/rotate"),
    ("post", "/data/v1/webhooks/endpoints/enable"),
    ("post", "/sandbox/v1/consents/{consentId}/authorise"),
    (
        "post",
        "/sandbox/v1/consents/{consentId}/revoke-at-institution",
    ),
    ("get", "/sandbox/v1/clock"),
    ("post", "/sandbox/v1/clock/advance"),
    ("post", "/v1/server/auth_ticket/request"),
    ("post", "/v1/client/auth/access_token/request"),
    ("post", "/v1/client/auth/access_token/refresh"),
    ("post", "/v1/client/auth/logout"),
    ("get", "/v1/client/connections"),
    ("post", "/v1/client/connections/link"),
    ("delete", "/v1/client/connections/{consentId}"),
    ("post", "/api/token"),
    ("get", "/api/institutions"),
    ("post", "/api/connections"),
    ("get", "/api/retrievals/current"),
    ("get", "/api/retrievals/{id}"),
    ("get", "/api/retrievals/{id}/refresh"),
    ("put", "/api/retrievals/{id}/refresh"),
    ("delete", "/api/users/{taiki_user_id}"),
    ("get", "/files/{fileId}"),
    ("get", "/callback/documents"),
    ("post", "/sandbox/v1/documents/connect"),
    ("get", "/me"),
    ("get", "/me/connections/{consentId}/revoke"),
    ("post", "/me/connections/{consentId}/revoke"),
    ("post", "/me/connections/new"),
    ("post", "/me/connections/{consentId}/renew"),
    ("get", "/link"),
    ("get", "/callback/open-finance"),
    ("post", "/callback/open-finance"),
    ("get", "/ofb/jwks.json"),
    ("get", "/demo"),
    ("post", "/demo/link"),
    ("post", "/demo/reports"),
    ("get", "/demo/events"),
    ("post", "/demo/webhooks"),
    ("get", "/app"),
    ("get", "/app/session"),
    ("get", "/app/progress"),
    ("get", "/"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/.well-known/jwks.json"),
    ("get", "/openapi.json"),
    ("get", "/docs"),
    ("get", "/docs/redoc-3.0.1.js"),
];

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect()
}

/// True when the router itself refused: no such route, or not this method.
async fn router_refuses(ts: &support::TestServer, method: &str, path: &str) -> bool {
    let concrete = regex::Regex::new(r"\{[^}]+\}")
        .unwrap()
        .replace_all(path, "x");
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let resp = ts
        .http
        .request(method, ts.url(&concrete))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap();
    status == 405 || (status == 404 && body.contains("there is no"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_and_the_router_agree() {
    let ts = support::spawn(Db::Sqlite).await;
    let (status, doc) = ts.get("/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );

    let documented = operations(&doc);
    let served: BTreeSet<(String, String)> = SERVED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        documented.difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not in the served list"
    );
    assert_eq!(
        served.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "served but not documented"
    );

    let paths: BTreeSet<&String> = documented.iter().map(|(_, p)| p).collect();
    for path in paths {
        for method in METHODS {
            let is_documented = documented.contains(&(method.to_string(), path.clone()));
            let refused = router_refuses(&ts, method, path).await;
            assert_eq!(
                refused,
                !is_documented,
                "{method} {path}: documented {is_documented}, but the router {}",
                if refused { "refuses it" } else { "serves it" }
            );
        }
    }

    // Which token each endpoint takes is stated.
    let op = &doc["paths"]["/data/v1/links/institutions"]["get"];
    assert_eq!(
        op["security"],
        serde_json::json!([{"linkToken": []}]),
        "{op}"
    );
    let op = &doc["paths"]["/data/v1/auth"]["post"];
    assert_eq!(op["security"], serde_json::json!([{}]), "{op}");
    // Webhook payloads are described.
    for event in ["CONSENT_STATUS_CHANGED", "REPORT_READY"] {
        assert!(
            doc["webhooks"][event]["post"]["requestBody"].is_object(),
            "{event}"
        );
    }
}

#[test]
fn the_document_keeps_its_shape() {
    let doc = ponte_server::http::openapi::document();
    // The file keeps the name it had when this was a test binary of its own
    // (`openapi`), so the snapshot and its history stay where they were.
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(
        || insta::assert_json_snapshot!("openapi__openapi", doc, {".info.version" => "[version]"}),
    );
    // Served in the order written: the Data API's paths as an integrator meets them.
    let served = ponte_server::http::openapi::document_json();
    let at = |path: &str| served.find(&format!("\"{path}\":{{")).expect(path);
    assert!(
        at("/data/v1/auth") < at("/data/v1/links")
            && at("/data/v1/links") < at("/data/v1/consents")
    );
    assert!(at("/data/v1/consents") < at("/data/personal/institution-data"));
    assert!(at("/data/v1/requests/{requestId}") < at("/data/v1/reports/{reportId}"));
    assert!(at("/data/v1/reports/{reportId}") < at("/data/v1/webhooks/messages"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_render_from_the_binary() {
    let ts = support::spawn(Db::Sqlite).await;
    let page = ts.http.get(ts.url("/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(!html.contains("https://"), "nothing from a CDN: {html}");
    let script = regex::Regex::new(r#"from "(/docs/[^"]+\.js)""#)
        .unwrap()
        .captures(&html)
        .expect("the page imports the renderer")[1]
        .to_string();
    let bundle = ts.http.get(ts.url(&script)).send().await.unwrap();
    assert_eq!(bundle.status(), 200);
    assert!(bundle.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(bundle.headers()[CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let js = bundle.text().await.unwrap();
    assert!(
        js.contains("Redocly") && js.len() > 1_000_000,
        "the Redoc bundle"
    );
}

/// The refusals the document states are the ones the server sends: the
/// Server API's 400/40001 for a missing header, in its envelope; the
/// Documents API's error body; a page's documented bounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_refusals_are_served() {
    let ts = support::spawn(Db::Sqlite).await;
    let (_, doc) = ts.get("/openapi.json", None).await;
    let schema_of =
        |answer: &Value| answer["content"]["application/json"]["schema"]["$ref"].clone();

    let server_api: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(_, p)| p.starts_with("/v1/"))
        .collect();
    assert_eq!(server_api.len(), 7, "{server_api:?}");
    for (method, path) in &server_api {
        let answer = &doc["paths"][path][method]["responses"]["400"];
        assert_eq!(
            schema_of(answer),
            "#/components/schemas/Envelope",
            "{method} {path}"
        );
        assert!(
            answer["description"].as_str().unwrap().contains("`40001`"),
            "{method} {path}: {answer}"
        );
        let concrete = path.replace("{consentId}", "x");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let (status, body) = ts
            .call(method.clone(), &concrete, None, Some(json!({})))
            .await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (400, &json!("40001")),
            "{method} {path} without its header: {body}"
        );
    }

    // Every refusal of the Documents API is documented with its body, and
    // that is the body sent.
    let retrieval = &doc["paths"]["/api/retrievals/current"]["get"]["responses"]["4XX"];
    assert_eq!(schema_of(retrieval), "#/components/schemas/DocumentsError");
    let detail = &doc["components"]["schemas"]["DocumentsErrorDetail"]["properties"];
    let (status, body) = ts.get("/api/retrievals/current", None).await;
    assert_eq!(status, 401);
    let sent: BTreeSet<&String> = body["error"].as_object().unwrap().keys().collect();
    let documented: BTreeSet<&String> = detail.as_object().unwrap().keys().collect();
    assert_eq!(sent, documented, "{body}");
    assert_eq!(body["error"]["code"], "invalid_token", "{body}");

    // The webhook log's page: its documented bounds are enforced, and a
    // refusal names `limit` in the Data API's envelope.
    let limit = doc["paths"]["/data/v1/webhooks/messages"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .expect("limit is documented")
        .clone();
    let min = limit["schema"]["minimum"].as_i64().unwrap();
    let max = limit["schema"]["maximum"].as_i64().unwrap();
    let access = ts.access_token().await;
    for inside in [min, max] {
        let (status, body) = ts
            .get(
                &format!("/data/v1/webhooks/messages?limit={inside}"),
                Some(&access),
            )
            .await;
        assert_eq!(status, 200, "limit={inside}: {body}");
    }
    for outside in [
        (min - 1).to_string(),
        (max + 1).to_string(),
        "ten".into(),
        String::new(),
    ] {
        let (status, body) = ts
            .get(
                &format!("/data/v1/webhooks/messages?limit={outside}"),
                Some(&access),
            )
            .await;
        assert_eq!(status, 400, "limit={outside}: {body}");
        assert_eq!(body["error"]["field"], "limit", "limit={outside}: {body}");
    }
}
