//! Each misbehaviour mode makes the bank send what it says (the OpenID conformance suite's
//! FAPI 1.0 Advanced client modules), shown by decoding what a client receives.

use crate::support;

use reqwest::StatusCode;
use serde_json::Value;
use support::fapi::*;

// Each test bends its own bank: on PostgreSQL every test shares one store, and no other
// test uses these banks, so the modes never leak into another test.
const FRONT_BANK: &str = "santander";
const TOKEN_BANK: &str = "btg";
const API_BANK: &str = "caixa";

/// Sets `mode` at BANK, authorises, and returns (fragment params, JWS header, claims,
/// signature verification result) of the front-channel ID token.
async fn front(
    sb: &FapiSandbox,
    mode: &str,
) -> (Vec<(String, String)>, Value, Value, Result<Value, String>) {
    const BANK: &str = FRONT_BANK;
    sb.set_mode(Some(BANK), mode).await;
    let params = sb.authorise(BANK).await;
    let raw = param(&params, "id_token").unwrap().to_string();
    let (jwe_header, jws) = decrypt(&raw);
    assert_eq!(jwe_header["alg"], "RSA-OAEP", "{mode}");
    let (h, c) = jws_parts(&jws);
    let verified = verify_bank(&jws, &sb.bank_jwks(BANK).await);
    (params, h, c, verified)
}

#[tokio::test]
async fn every_front_channel_mode_bends_the_id_token_as_named() {
    let sb = FapiSandbox::start().await;
    let iss = sb.issuer(FRONT_BANK);
    let n = now();
    for mode in [
        "invalid_s_hash",
        "missing_s_hash",
        "invalid_c_hash",
        "missing_c_hash",
        "invalid_nonce",
        "missing_nonce",
        "invalid_iss",
        "missing_iss",
        "invalid_aud",
        "missing_aud",
        "invalid_secondary_aud",
        "aud_array",
        "alg_none",
        "invalid_signature",
        "expired_id_token",
        "missing_exp",
        "iat_week_ago",
        "missing_iat",
        "rs256",
        "response_iss_mismatch",
    ] {
        let (params, h, c, verified) = front(&sb, mode).await;
        let code = param(&params, "code").unwrap();
        let ok_sig = verified.is_ok();
        let good_c = c["c_hash"] == half_hash(code);
        let good_s = c["s_hash"] == half_hash("st-fapi");
        let shown = match mode {
            "invalid_s_hash" => ok_sig && c["s_hash"].is_string() && !good_s,
            "missing_s_hash" => ok_sig && c.get("s_hash").is_none() && good_c,
            "invalid_c_hash" => ok_sig && c["c_hash"].is_string() && !good_c,
            "missing_c_hash" => ok_sig && c.get("c_hash").is_none() && good_s,
            "invalid_nonce" => ok_sig && c["nonce"].is_string() && c["nonce"] != "n-fapi",
            "missing_nonce" => ok_sig && c.get("nonce").is_none(),
            "invalid_iss" => ok_sig && c["iss"] == format!("{iss}1"),
            "missing_iss" => ok_sig && c.get("iss").is_none(),
            "invalid_aud" => ok_sig && c["aud"].is_string() && c["aud"] != FAPI_CLIENT,
            "missing_aud" => ok_sig && c.get("aud").is_none(),
            "invalid_secondary_aud" => {
                ok_sig
                    && c["aud"]
                        .as_array()
                        .is_some_and(|a| a.len() == 2 && a[0] == FAPI_CLIENT)
                    && c.get("azp").is_none()
            }
            "aud_array" => ok_sig && c["aud"] == serde_json::json!([FAPI_CLIENT]) && good_c,
            "alg_none" => h["alg"] == "none" && !ok_sig,
            "invalid_signature" => h["alg"] == "PS256" && !ok_sig && good_c && good_s,
            "expired_id_token" => ok_sig && c["exp"].as_i64().unwrap() < n - 300,
            "missing_exp" => ok_sig && c.get("exp").is_none(),
            "iat_week_ago" => {
                ok_sig
                    && c["iat"].as_i64().unwrap() < n - 6 * 24 * 3600
                    && c["exp"].as_i64().unwrap() > n
            }
            "missing_iat" => ok_sig && c.get("iat").is_none(),
            "rs256" => h["alg"] == "RS256" && !ok_sig,
            "response_iss_mismatch" => {
                ok_sig && good_c && param(&params, "iss") != Some(iss.as_str())
            }
            _ => unreachable!(),
        };
        assert!(shown, "{mode}: header {h} claims {c} verified {verified:?}");
    }
    sb.set_mode(Some(FRONT_BANK), "none").await;
}

#[tokio::test]
async fn rsa1_5_encryption_and_token_endpoint_modes() {
    const BANK: &str = TOKEN_BANK;
    let sb = FapiSandbox::start().await;
    sb.set_mode(Some(BANK), "encrypted_rsa1_5").await;
    let params = sb.authorise(BANK).await;
    let raw = param(&params, "id_token").unwrap();
    use base64::Engine;
    let h: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(raw.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(h["alg"], "RSA1_5");
    assert_eq!(h["enc"], "A256GCM");
    assert_eq!(raw.split('.').count(), 5);

    let jwks = sb.bank_jwks(BANK).await;
    sb.set_mode(Some(BANK), "token_id_token_invalid_signature")
        .await;
    let params = sb.authorise(BANK).await;
    let t: Value = sb
        .exchange(&sb.mtls, BANK, param(&params, "code").unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert!(verify_bank(t["id_token"].as_str().unwrap(), &jwks).is_err());
    assert!(t["scope"].is_string());

    sb.set_mode(Some(BANK), "token_response_without_scope")
        .await;
    let params = sb.authorise(BANK).await;
    let r = sb
        .exchange(&sb.mtls, BANK, param(&params, "code").unwrap())
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert!(
        t.get("scope").is_none() && t.get("expires_in").is_none(),
        "{t}"
    );
    assert!(verify_bank(t["id_token"].as_str().unwrap(), &jwks).is_ok());
}

#[tokio::test]
async fn interaction_id_mismatch_and_reset() {
    const BANK: &str = API_BANK;
    let sb = FapiSandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let send = || {
        sb.mtls
            .post(sb.mtls_url(BANK, "/open-banking/consents/v3/consents"))
            .bearer_auth(&cc)
            .header(
                "x-fapi-interaction-id",
                "0b8f7a4e-8f0e-4c1e-9a57-2b0d9c3f5e11",
            )
            .json(&support::good_consent_body())
            .send()
    };
    sb.set_mode(Some(BANK), "interaction_id_mismatch").await;
    let r = send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_ne!(
        r.headers()["x-fapi-interaction-id"],
        "0b8f7a4e-8f0e-4c1e-9a57-2b0d9c3f5e11"
    );
    let shown: Value = sb
        .http
        .get(format!("{}/_test/misbehaviour", sb.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["current"][BANK], "interaction_id_mismatch");
    assert!(shown["modes"]["aud_array"].is_string());

    sb.set_mode(Some(BANK), "none").await;
    let r = send().await.unwrap();
    assert_eq!(
        r.headers()["x-fapi-interaction-id"],
        "0b8f7a4e-8f0e-4c1e-9a57-2b0d9c3f5e11"
    );
    let r = sb
        .http
        .post(format!("{}/_test/misbehaviour", sb.base))
        .json(&serde_json::json!({"mode": "no_such_mode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
