//! Consents v3 renewal without redirect (`extends`, `extensions`) and consent expiry on
//! the test clock; every body checked against consents-3.3.1.yml.

use crate::support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::ofb_schema::consents;
use support::*;

const PATH: &str = "/open-banking/consents/v3/consents";
const CPF: &str = "76109277673";
const DAY_MS: i64 = 86_400_000;

/// An AUTHORISED consent expiring in 90 days: (consent id, its access token).
async fn authorised(sb: &Sandbox) -> (String, String) {
    let cc = sb.cc_token(BANK).await;
    let id = sb.create_consent(BANK, &cc).await;
    let code = sb.approved_code(BANK, &id, "user_good").await;
    let t: Value = sb
        .exchange(BANK, &code, VERIFIER, REDIRECT)
        .await
        .json()
        .await
        .unwrap();
    (id, t["access_token"].as_str().unwrap().to_string())
}

fn renewal(expiry: Option<String>, cpf: &str) -> Value {
    let mut data = json!({"loggedUser": {"document": {"identification": cpf, "rel": "CPF"}}});
    if let Some(e) = expiry {
        data["expirationDateTime"] = json!(e);
    }
    json!({ "data": data })
}

async fn extend(sb: &Sandbox, id: &str, token: &str, body: &Value) -> reqwest::Response {
    sb.http
        .post(sb.url(BANK, &format!("{PATH}/{id}/extends")))
        .bearer_auth(token)
        .header("x-fapi-customer-ip-address", "203.0.113.7")
        .header("x-customer-user-agent", "Mozilla/5.0 (X11; Linux x86_64)")
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn refusal(r: reqwest::Response, status: StatusCode, schema: &str) -> String {
    assert_eq!(r.status(), status);
    let v: Value = r.json().await.unwrap();
    consents().assert_valid(schema, &v);
    v["errors"][0]["code"].as_str().unwrap().to_string()
}

async fn extensions(sb: &Sandbox, id: &str) -> Value {
    let cc = sb.cc_token(BANK).await;
    let r = sb
        .http
        .get(sb.url(BANK, &format!("{PATH}/{id}/extensions")))
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseConsentReadExtensions", &v);
    v
}

async fn set_clock(sb: &Sandbox, id: &str, days: i64) -> StatusCode {
    sb.http
        .put(sb.url(BANK, &format!("/_test/consents/{id}/clock")))
        .json(&json!({"offsetMs": days * DAY_MS}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn resources(sb: &Sandbox, token: &str) -> StatusCode {
    sb.http
        .get(sb.url(BANK, "/open-banking/resources/v3/resources"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn renewal_moves_the_expiry_keeps_the_tokens_and_is_listed_newest_first() {
    let sb = Sandbox::start().await;
    let (id, token) = authorised(&sb).await;
    let cc = sb.cc_token(BANK).await;
    let before = sb.get_consent(BANK, &cc, &id).await;
    let old_expiry = before["data"]["expirationDateTime"].clone();
    assert!(extensions(&sb, &id).await["data"]
        .as_array()
        .unwrap()
        .is_empty());

    let new_expiry = expiry_in_days(200);
    let r = extend(&sb, &id, &token, &renewal(Some(new_expiry.clone()), CPF)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseConsentExtensions", &v);
    assert_eq!(v["data"]["consentId"], id.as_str());
    assert_eq!(v["data"]["status"], "AUTHORISED");
    assert_eq!(v["data"]["expirationDateTime"], new_expiry.as_str());
    let read = sb.get_consent(BANK, &cc, &id).await;
    assert_eq!(read["data"]["expirationDateTime"], new_expiry.as_str());
    // Same consent, same tokens.
    assert_eq!(resources(&sb, &token).await, StatusCode::OK);

    // Renewed again, to no expiry at all (indefinite).
    let r = extend(&sb, &id, &token, &renewal(None, CPF)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseConsentExtensions", &v);
    assert!(v["data"].get("expirationDateTime").is_none(), "{v}");

    let list = extensions(&sb, &id).await;
    let items = list["data"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items[0].get("expirationDateTime").is_none());
    assert_eq!(items[0]["previousExpirationDateTime"], new_expiry.as_str());
    assert_eq!(items[1]["expirationDateTime"], new_expiry.as_str());
    assert_eq!(items[1]["previousExpirationDateTime"], old_expiry);
    assert_eq!(items[1]["xFapiCustomerIpAddress"], "203.0.113.7");
    assert_eq!(items[1]["loggedUser"]["document"]["identification"], CPF);
    assert_eq!(list["meta"]["totalRecords"], 2);
}

#[tokio::test]
async fn renewal_is_refused_as_ofb_says() {
    let sb = Sandbox::start().await;
    let (id, token) = authorised(&sb).await;
    let later = renewal(Some(expiry_in_days(120)), CPF);

    // The end user's headers are required.
    let r = sb
        .http
        .post(sb.url(BANK, &format!("{PATH}/{id}/extends")))
        .bearer_auth(&token)
        .header("x-customer-user-agent", "ua")
        .json(&later)
        .send()
        .await
        .unwrap();
    let code = refusal(r, StatusCode::BAD_REQUEST, "ResponseError").await;
    assert_eq!(code, "PARAMETRO_NAO_INFORMADO");

    // A client-credentials token is not the consent's token.
    let cc = sb.cc_token(BANK).await;
    let r = extend(&sb, &id, &cc, &later).await;
    refusal(r, StatusCode::FORBIDDEN, "ResponseError").await;

    // An earlier (or equal) expiry, and one more than 12 months away.
    for days in [30, 90 - 1, 400] {
        let r = extend(&sb, &id, &token, &renewal(Some(expiry_in_days(days)), CPF)).await;
        let code = refusal(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "422ResponseErrorCreateConsent",
        )
        .await;
        assert_eq!(code, "DATA_EXPIRACAO_INVALIDA", "{days} days");
    }

    // Only the person who created a personal consent renews it.
    let r = extend(
        &sb,
        &id,
        &token,
        &renewal(Some(expiry_in_days(120)), "11144477735"),
    )
    .await;
    let code = refusal(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "422ResponseErrorCreateConsent",
    )
    .await;
    assert_eq!(code, "ERRO_NAO_MAPEADO");
    assert_eq!(extensions(&sb, &id).await["meta"]["totalRecords"], 0);
}

#[tokio::test]
async fn past_its_expiry_on_the_test_clock_a_consent_is_rejected_and_its_tokens_die() {
    let sb = Sandbox::start().await;
    let (id, token) = authorised(&sb).await;
    assert_eq!(set_clock(&sb, &id, 30).await, StatusCode::OK);
    assert_eq!(resources(&sb, &token).await, StatusCode::OK);
    // The clock never goes back.
    assert_eq!(set_clock(&sb, &id, 10).await, StatusCode::BAD_REQUEST);

    assert_eq!(set_clock(&sb, &id, 91).await, StatusCode::OK);
    // The first look at it (here: a renewal) finds it lapsed.
    let r = extend(&sb, &id, &token, &renewal(Some(expiry_in_days(200)), CPF)).await;
    let code = refusal(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "422ResponseErrorCreateConsent",
    )
    .await;
    assert_eq!(code, "ESTADO_CONSENTIMENTO_INVALIDO");

    let cc = sb.cc_token(BANK).await;
    let read = sb.get_consent(BANK, &cc, &id).await;
    assert_eq!(read["data"]["status"], "REJECTED");
    assert_eq!(
        read["data"]["rejection"]["reason"]["code"],
        "CONSENT_MAX_DATE_REACHED"
    );
    assert_eq!(read["data"]["rejection"]["rejectedBy"], "ASPSP");
    assert_eq!(resources(&sb, &token).await, StatusCode::UNAUTHORIZED);
    let r = extend(&sb, &id, &token, &renewal(Some(expiry_in_days(200)), CPF)).await;
    refusal(r, StatusCode::UNAUTHORIZED, "ResponseError").await;
}

/// A company's consent needs several approvers to be renewed: `extends` answers
/// 422 `DEPENDE_MULTIPLA_ALCADA` (the OFB error body) and the consent is unchanged.
#[tokio::test]
async fn a_business_consent_needs_several_approvers_to_be_renewed() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let mut body = good_consent_body();
    body["data"]["businessEntity"] =
        json!({"document": {"identification": "11222333000181", "rel": "CNPJ"}});
    let r = sb.post_consent(BANK, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v["data"]["consentId"].as_str().unwrap().to_string();
    let code = sb.approved_code(BANK, &id, "user_good").await;
    let t: Value = sb
        .exchange(BANK, &code, VERIFIER, REDIRECT)
        .await
        .json()
        .await
        .unwrap();
    let token = t["access_token"].as_str().unwrap().to_string();
    let before = sb.get_consent(BANK, &cc, &id).await;
    assert_eq!(before["data"]["status"], "AUTHORISED", "{before}");

    let r = extend(&sb, &id, &token, &renewal(None, CPF)).await;
    let code = refusal(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "422ResponseErrorCreateConsent",
    )
    .await;
    assert_eq!(code, "DEPENDE_MULTIPLA_ALCADA");
    let after = sb.get_consent(BANK, &cc, &id).await;
    assert_eq!(
        after["data"]["expirationDateTime"],
        before["data"]["expirationDateTime"]
    );
    assert_eq!(extensions(&sb, &id).await["meta"]["totalRecords"], 0);
}
