//! Consents API v3 behaviour, every body checked against consents-3.3.1.yml.

use crate::support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::ofb_schema::{consents, openapi_to_json_schema};
use support::*;

const PATH: &str = "/open-banking/consents/v3/consents";

async fn error_body(r: reqwest::Response, status: StatusCode, schema: &str) -> Value {
    assert_eq!(r.status(), status);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: Value = r.json().await.unwrap();
    consents().assert_valid(schema, &v);
    v
}

#[tokio::test]
async fn created_consent_matches_spec_and_can_be_read() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    // One body: building it twice could straddle a second boundary.
    let body = good_consent_body();
    let r = sb.post_consent(BANK, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseConsent", &created);
    let data = &created["data"];
    assert_eq!(data["permissions"], body["data"]["permissions"]);
    assert_eq!(
        data["expirationDateTime"],
        body["data"]["expirationDateTime"]
    );
    let id = data["consentId"].as_str().unwrap();
    assert_eq!(
        created["links"]["self"],
        sb.url(BANK, &format!("{PATH}/{id}"))
    );

    let read = sb.get_consent(BANK, &cc, id).await;
    assert_eq!(read["data"]["consentId"], id);
    assert_eq!(read["data"]["creationDateTime"], data["creationDateTime"]);
    assert!(read["data"].get("rejection").is_none());
}

#[tokio::test]
async fn interaction_id_is_echoed_or_generated() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let fixed = "4a7b2c1d-0000-4000-8000-123456789abc";
    let r = sb
        .http
        .post(sb.url(BANK, PATH))
        .bearer_auth(&cc)
        .header("x-fapi-interaction-id", fixed)
        .json(&good_consent_body())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-fapi-interaction-id"], fixed);
    let r = sb.post_consent(BANK, &cc, &good_consent_body()).await;
    let generated = r.headers()["x-fapi-interaction-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");
}

#[tokio::test]
async fn authentication_is_required() {
    let sb = Sandbox::start().await;
    let body = good_consent_body();
    let r = sb
        .http
        .post(sb.url(BANK, PATH))
        .json(&body)
        .send()
        .await
        .unwrap();
    error_body(r, StatusCode::UNAUTHORIZED, "ResponseError").await;
    let r = sb.post_consent(BANK, "made-up-token", &body).await;
    error_body(r, StatusCode::UNAUTHORIZED, "ResponseError").await;

    // A token of another bank is worthless here.
    let nubank = sb.cc_token("nubank").await;
    let r = sb.post_consent(BANK, &nubank, &body).await;
    error_body(r, StatusCode::UNAUTHORIZED, "ResponseError").await;

    // A consent-bound user token is not a consents-API token.
    let cc = sb.cc_token(BANK).await;
    let id = sb.create_consent(BANK, &cc).await;
    let code = sb.approved_code(BANK, &id, "user_good").await;
    let t: Value = sb
        .exchange(BANK, &code, VERIFIER, REDIRECT)
        .await
        .json()
        .await
        .unwrap();
    let r = sb
        .post_consent(BANK, t["access_token"].as_str().unwrap(), &body)
        .await;
    error_body(r, StatusCode::FORBIDDEN, "ResponseError").await;
}

#[tokio::test]
async fn other_clients_cannot_see_or_revoke_a_consent() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let id = sb.create_consent(BANK, &cc).await;
    let r = sb
        .http
        .post(sb.url(BANK, "/auth/token"))
        .basic_auth(OTHER_CLIENT, Some(OTHER_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let other: Value = r.json().await.unwrap();
    let other = other["access_token"].as_str().unwrap();
    let url = sb.url(BANK, &format!("{PATH}/{id}"));
    let r = sb.http.get(&url).bearer_auth(other).send().await.unwrap();
    error_body(r, StatusCode::NOT_FOUND, "ResponseError").await;
    let r = sb
        .http
        .delete(&url)
        .bearer_auth(other)
        .send()
        .await
        .unwrap();
    error_body(r, StatusCode::NOT_FOUND, "ResponseError").await;
    let r = sb
        .http
        .get(sb.url(BANK, &format!("{PATH}/urn:itau:missing")))
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    error_body(r, StatusCode::NOT_FOUND, "ResponseError").await;
}

#[tokio::test]
async fn malformed_requests_get_400_naming_the_field() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut b = good_consent_body();
    b["data"]["permissions"] = json!(["ACCOUNTS_READ", "RESOURCES_READ", "TELEPATHY_READ"]);
    cases.push((b, "TELEPATHY_READ"));
    let mut b = good_consent_body();
    b["data"]["loggedUser"]["document"]["identification"] = json!("123");
    cases.push((b, "data.loggedUser.document.identification"));
    let mut b = good_consent_body();
    b["data"].as_object_mut().unwrap().remove("loggedUser");
    cases.push((b, "data.loggedUser"));
    let mut b = good_consent_body();
    b["data"]["expirationDateTime"] = json!("2030-01-01T00:00:00.000Z");
    cases.push((b, "data.expirationDateTime"));
    cases.push((json!({"permissions": []}), "data"));
    for (body, needle) in cases {
        let r = sb.post_consent(BANK, &cc, &body).await;
        let v = error_body(r, StatusCode::BAD_REQUEST, "ResponseError").await;
        assert!(
            v["errors"][0]["detail"].as_str().unwrap().contains(needle),
            "{needle}: {v}"
        );
    }
    let r = sb
        .http
        .post(sb.url(BANK, PATH))
        .bearer_auth(&cc)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    error_body(r, StatusCode::BAD_REQUEST, "ResponseError").await;
}

#[tokio::test]
async fn business_rules_get_422() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!(["ACCOUNTS_BALANCES_READ", "RESOURCES_READ"]),
            "COMBINACAO_PERMISSOES_INCORRETA",
        ),
        (json!(["ACCOUNTS_READ"]), "COMBINACAO_PERMISSOES_INCORRETA"),
        (
            json!(["CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ", "RESOURCES_READ"]),
            "INFORMACOES_PJ_NAO_INFORMADAS",
        ),
    ];
    for (perms, code) in cases {
        let mut b = good_consent_body();
        b["data"]["permissions"] = perms;
        let r = sb.post_consent(BANK, &cc, &b).await;
        let v = error_body(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ResponseErrorUnprocessableEntity",
        )
        .await;
        assert_eq!(v["errors"][0]["code"], code);
    }
    let mut b = good_consent_body();
    b["data"]["expirationDateTime"] = json!("2020-01-01T00:00:00Z");
    let v = error_body(
        sb.post_consent(BANK, &cc, &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ResponseErrorUnprocessableEntity",
    )
    .await;
    assert_eq!(v["errors"][0]["code"], "DATA_EXPIRACAO_INVALIDA");
    b["data"]["expirationDateTime"] = json!(expiry_in_days(400));
    let v = error_body(
        sb.post_consent(BANK, &cc, &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ResponseErrorUnprocessableEntity",
    )
    .await;
    assert_eq!(v["errors"][0]["code"], "DATA_EXPIRACAO_INVALIDA");

    // Business data with the company identified is fine.
    let mut b = good_consent_body();
    b["data"]["permissions"] = json!(["CUSTOMERS_BUSINESS_IDENTIFICATIONS_READ", "RESOURCES_READ"]);
    b["data"]["businessEntity"] =
        json!({"document": {"identification": "11222333000181", "rel": "CNPJ"}});
    let r = sb.post_consent(BANK, &cc, &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    consents().assert_valid("ResponseConsent", &r.json().await.unwrap());
}

#[tokio::test]
async fn unsupported_products_are_dropped_and_indefinite_consents_have_no_expiry() {
    let sb = Sandbox::start().await;
    // Sicoob offers no credit cards.
    let bank = "sicoob";
    assert!(!ponte_sandbox::banks()
        .iter()
        .find(|b| b.code == bank)
        .unwrap()
        .available_resources
        .contains(&"creditCards"));
    let cc = sb.cc_token(bank).await;
    let body = json!({"data": {
        "loggedUser": {"document": {"identification": "76109277673", "rel": "CPF"}},
        "permissions": ["ACCOUNTS_READ", "CREDIT_CARDS_ACCOUNTS_READ", "RESOURCES_READ"],
    }});
    let r = sb.post_consent(bank, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseConsent", &v);
    assert_eq!(
        v["data"]["permissions"],
        json!(["ACCOUNTS_READ", "RESOURCES_READ"])
    );
    assert!(v["data"].get("expirationDateTime").is_none());
    assert!(v["data"]["consentId"]
        .as_str()
        .unwrap()
        .starts_with("urn:sicoob:"));

    let only_cards = json!({"data": {
        "loggedUser": {"document": {"identification": "76109277673", "rel": "CPF"}},
        "permissions": ["CREDIT_CARDS_ACCOUNTS_READ", "RESOURCES_READ"],
    }});
    let r = sb.post_consent(bank, &cc, &only_cards).await;
    let v = error_body(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ResponseErrorUnprocessableEntity",
    )
    .await;
    assert_eq!(
        v["errors"][0]["code"],
        "SEM_PERMISSOES_FUNCIONAIS_RESTANTES"
    );
}

#[tokio::test]
async fn deleting_an_awaiting_consent_rejects_it() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let id = sb.create_consent(BANK, &cc).await;
    let r = sb
        .http
        .delete(sb.url(BANK, &format!("{PATH}/{id}")))
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let v = sb.get_consent(BANK, &cc, &id).await;
    assert_eq!(v["data"]["status"], "REJECTED");
    assert_eq!(
        v["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REJECTED"
    );
    // The journey can no longer start.
    let scope = format!("openid consent:{id}");
    let ch = challenge(VERIFIER);
    let r = sb
        .par_raw(
            BANK,
            &[
                ("response_type", "code"),
                ("redirect_uri", REDIRECT),
                ("scope", &scope),
                ("state", "s"),
                ("code_challenge", &ch),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
    let e = assert_oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(e["error_description"]
        .as_str()
        .unwrap()
        .contains("REJECTED"));
}

#[test]
fn the_schema_validator_rejects_broken_bodies() {
    let good = json!({
        "data": {
            "consentId": "urn:itau:1b2c3d",
            "creationDateTime": "2024-05-21T08:30:00Z",
            "status": "AWAITING_AUTHORISATION",
            "statusUpdateDateTime": "2024-05-21T08:30:00Z",
            "permissions": ["ACCOUNTS_READ", "RESOURCES_READ"]
        },
        "links": {"self": "https://bank.example/open-banking/consents/v3/consents/urn:itau:1b2c3d"},
        "meta": {"requestDateTime": "2024-05-21T08:30:00Z"}
    });
    consents().assert_valid("ResponseConsent", &good);

    let breakages: &[(&str, Value)] = &[
        ("/data/creationDateTime", json!("2024-05-21T08:30:00.123Z")),
        ("/data/status", json!("PENDING")),
        ("/data/permissions", json!([])),
        ("/data/permissions", json!(["NOT_A_PERMISSION"])),
        ("/data/consentId", json!("itau-1b2c3d")),
        // Only reachable through $ref to LinksConsents / Meta.
        ("/links", json!({})),
        ("/meta/requestDateTime", json!("yesterday")),
    ];
    for (ptr, bad) in breakages {
        let mut body = good.clone();
        *body.pointer_mut(ptr).unwrap() = bad.clone();
        assert!(
            !consents().errors("ResponseConsent", &body).is_empty(),
            "{ptr} = {bad} accepted"
        );
    }
    let mut missing = good.clone();
    missing["data"].as_object_mut().unwrap().remove("consentId");
    assert!(!consents().errors("ResponseConsent", &missing).is_empty());
    assert!(!consents()
        .errors("ResponseError", &json!({"errors": []}))
        .is_empty());

    let mut rejected = good.clone();
    rejected["data"]["status"] = json!("REJECTED");
    rejected["data"]["rejection"] =
        json!({"rejectedBy": "USER", "reason": {"code": "CUSTOMER_MANUALLY_REVOKED"}});
    consents().assert_valid("ResponseConsentRead", &rejected);
    rejected["data"]["rejection"]["rejectedBy"] = json!("BANK");
    assert!(!consents()
        .errors("ResponseConsentRead", &rejected)
        .is_empty());
}

#[test]
fn nullable_is_mapped_to_json_schema() {
    let mut doc = json!({"type": "object", "properties": {
        "a": {"type": "string", "nullable": true},
        "b": {"type": "string", "enum": ["X"], "nullable": true},
        "c": {"$ref": "#/defs/x", "nullable": true},
        "d": {"type": "string"}
    }});
    openapi_to_json_schema(&mut doc);
    let p = &doc["properties"];
    assert_eq!(p["a"]["type"], json!(["string", "null"]));
    assert_eq!(p["b"]["enum"], json!(["X", null]));
    assert_eq!(p["c"]["anyOf"][1], json!({"type": "null"}));
    assert_eq!(p["d"]["type"], "string");
    assert!(p["a"].get("nullable").is_none());
}
