//! Sandbox mode reaches its banks as a real Open Finance Brasil institution
//! is reached: FAPI-BR (private_key_jwt, PAR with a signed request object,
//! mTLS-bound tokens, the hybrid flow's ID tokens checked). A bank whose
//! answer fails a check gets the consent `REJECTED` with
//! `INTERNAL_SECURITY_REASON`, and its code is never redeemed.

use crate::support;

use serde_json::{json, Value};
use support::{Db, TestServer};

async fn misbehave(ts: &TestServer, mode: &str) {
    let resp = ts
        .http
        .post(format!("{}/sandbox/banks/_test/misbehaviour", ts.base))
        .json(&json!({ "mode": mode }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "mode {mode}");
}

/// A new consent driven through the bank's pages by `user_good`; the
/// consent as the driver answers it, and its link's id.
async fn drive(ts: &TestServer) -> (Value, String) {
    let access = ts.access_token().await;
    let (link_id, link_token) = ts.link(&access, json!({})).await;
    let (consent_id, redirect) = ts.consent(&link_token, json!({})).await;
    let url = url::Url::parse(&redirect).unwrap();
    let query: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    assert_eq!(
        query,
        ["client_id", "request_uri"],
        "PAR: the browser carries only the client and the pushed request"
    );
    let (status, body) = ts
        .authorise(
            &link_token,
            &consent_id,
            json!({"username": "user_good", "password": "pass_good"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (body, link_id)
}

both!(
    a_bank_answer_failing_a_fapi_check_rejects_the_consent,
    |db: Db| async move {
        let ts = support::spawn(db).await;
        // The discovery Ponte reads is the strict profile's.
        let access = ts.access_token().await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let bank = ts.institution(&link_token).await;
        let d: Value = ts
            .http
            .get(format!(
                "{}/sandbox/banks/{bank}/.well-known/openid-configuration",
                ts.base
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            d["token_endpoint_auth_methods_supported"],
            json!(["private_key_jwt"])
        );
        assert!(d["mtls_endpoint_aliases"]["token_endpoint"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:"));

        // Every front-channel case of the conformance suite's Brazil client
        // plan, and a token endpoint ID token with a bad signature.
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
            "alg_none",
            "invalid_signature",
            "expired_id_token",
            "missing_exp",
            "iat_week_ago",
            "missing_iat",
            "rs256",
            "encrypted_rsa1_5",
            "token_id_token_invalid_signature",
        ] {
            misbehave(&ts, mode).await;
            let (body, link_id) = drive(&ts).await;
            assert_eq!(body["status"], "REJECTED", "{mode}: {body}");
            assert_eq!(
                body["statusReason"], "INTERNAL_SECURITY_REASON",
                "{mode}: {body}"
            );
            // Ponte refused the answer, and says which check failed.
            assert_eq!(body["rejectedBy"], "TPP", "{mode}: {body}");
            let check = body["rejectionCheck"].as_str().unwrap_or_default();
            let expected = match mode {
                "invalid_s_hash" | "missing_s_hash" => "id_token.s_hash",
                "invalid_c_hash" | "missing_c_hash" => "id_token.c_hash",
                "invalid_nonce" | "missing_nonce" => "id_token.nonce",
                "invalid_aud" | "missing_aud" | "invalid_secondary_aud" => "id_token.aud",
                "encrypted_rsa1_5" => "id_token.jwe",
                _ => "",
            };
            assert!(
                check.starts_with(expected)
                    && (check.starts_with("id_token.") || check.starts_with("token.")),
                "{mode}: the check named is {check:?}: {body}"
            );
            // Nothing can be fetched for it.
            let (status, answer) = ts
                .post(
                    "/data/personal/institution-data",
                    Some(&access),
                    json!({"taxId": "529.982.247-25", "linkId": link_id,
                        "consentId": [body["consentId"]], "products": ["accounts"]}),
                )
                .await;
            assert_eq!(
                (status, answer["error"]["code"].as_str()),
                (409, Some("CONSENT_NOT_AUTHORISED")),
                "{mode}: {answer}"
            );
        }
        // An answer whose `iss` is another issuer's is a mix-up: refused, and
        // the consent keeps waiting for its real answer.
        misbehave(&ts, "response_iss_mismatch").await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let (consent_id, _) = ts.consent(&link_token, json!({})).await;
        let (status, body) = ts
            .authorise(
                &link_token,
                &consent_id,
                json!({"username": "user_good", "password": "pass_good"}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (400, Some("iss")),
            "{body}"
        );
        let (_, c) = ts
            .get(&format!("/data/v1/consents/{consent_id}"), Some(&access))
            .await;
        assert_eq!(c["status"], "AWAITING_AUTHORISATION", "{c}");
        // A bank that does not echo x-fapi-interaction-id is not trusted with a consent.
        misbehave(&ts, "interaction_id_mismatch").await;
        let (_, link_token) = ts.link(&access, json!({})).await;
        let code = ts.institution(&link_token).await;
        let (status, body) = ts
            .post(
                "/data/v1/consents",
                Some(&link_token),
                json!({"institutionCode": code}),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (502, Some("INSTITUTION_ERROR")),
            "{body}"
        );
        // What the profile allows is accepted.
        for mode in ["aud_array", "token_response_without_scope", "none"] {
            misbehave(&ts, mode).await;
            let (body, _) = drive(&ts).await;
            assert_eq!(body["status"], "AUTHORISED", "{mode}: {body}");
        }
    }
);
