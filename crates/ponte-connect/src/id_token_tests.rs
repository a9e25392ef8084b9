//! Every ID-token check, on tokens signed (or not) with test keys the way a
//! broken or hostile institution would send them: the conformance suite's
//! FAPI 1.0 Advanced client modules for Brazil, one case each.

use super::*;
use crate::jose::{open_id_token, verify_ps256, DecryptionKey};
use crate::testkit::{
    bank_jwks, encrypt, sign, unsigned, BANK_ALT, BANK_KID, BANK_SIG, CLIENT_ENC,
};
use jsonwebtoken::Algorithm;
use serde_json::json;

const ISSUER: &str = "https://bank.example/";
const CLIENT: &str = "ponte-client";
const NONCE: &str = "n-0S6_WzA2Mj";
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";
const STATE: &str = "af0ifjsldkj";
const NOW: i64 = 1_800_000_000;

fn acr() -> Vec<String> {
    crate::security::default_acr_values()
}

fn claims() -> Value {
    json!({
        "iss": ISSUER,
        "sub": "user-1",
        "aud": CLIENT,
        "exp": NOW + 300,
        "iat": NOW,
        "auth_time": NOW - 10,
        "nonce": NONCE,
        "acr": "urn:brasil:openbanking:loa3",
        "c_hash": half_hash(CODE),
        "s_hash": half_hash(STATE),
    })
}

fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut c = claims();
    change(&mut c);
    c
}

fn ps256(claims: &Value) -> String {
    sign(Algorithm::PS256, BANK_KID, claims, BANK_SIG)
}

/// The front-channel validation as the connector runs it: open (decrypt),
/// verify the signature with the bank's JWKS, check the claims.
fn front(raw: &str, acr_values: &[String]) -> Result<String, CheckFailed> {
    let key = DecryptionKey::from_pem(CLIENT_ENC).unwrap();
    let jws = open_id_token(raw, Some(&key))?;
    let verified = verify_ps256(&jws, &bank_jwks())?;
    Expected {
        source: "id_token",
        issuer: ISSUER,
        client_id: CLIENT,
        nonce: NONCE,
        now: NOW,
        code: Some(CODE),
        state: Some(STATE),
        acr_values,
        require_acr: true,
        sub: None,
    }
    .check(&verified)
}

fn refused_with(raw: &str) -> String {
    front(raw, &acr()).expect_err("must be refused").check
}

#[test]
fn a_valid_id_token_is_accepted_and_gives_its_subject() {
    assert_eq!(front(&ps256(&claims()), &acr()).unwrap(), "user-1");
}

#[test]
fn an_audience_array_of_only_the_client_is_accepted() {
    let token = ps256(&with(|c| c["aud"] = json!([CLIENT])));
    assert_eq!(front(&token, &acr()).unwrap(), "user-1");
    let with_azp = with(|c| {
        c["aud"] = json!([CLIENT]);
        c["azp"] = json!(CLIENT);
    });
    assert!(front(&ps256(&with_azp), &acr()).is_ok());
}

#[test]
fn a_token_without_at_hash_is_accepted() {
    assert!(claims().get("at_hash").is_none());
    assert!(front(&ps256(&claims()), &acr()).is_ok());
}

#[test]
fn unsigned_rs256_and_forged_signatures_are_refused() {
    assert_eq!(refused_with(&unsigned(&claims())), "id_token.alg");
    let rs256 = sign(Algorithm::RS256, BANK_KID, &claims(), BANK_SIG);
    assert_eq!(refused_with(&rs256), "id_token.alg");
    let forged = sign(Algorithm::PS256, BANK_KID, &claims(), BANK_ALT);
    assert_eq!(refused_with(&forged), "id_token.signature");
    // A valid token whose claims were swapped after signing.
    let good = ps256(&claims());
    let other = ps256(&with(|c| c["sub"] = json!("someone-else")));
    let spliced: Vec<&str> = good.split('.').collect();
    let body = other.split('.').nth(1).unwrap();
    assert_eq!(
        refused_with(&format!("{}.{body}.{}", spliced[0], spliced[2])),
        "id_token.signature"
    );
    let unknown_kid = sign(Algorithm::PS256, "rotated", &claims(), BANK_SIG);
    assert_eq!(refused_with(&unknown_kid), "id_token.kid");
}

#[test]
fn a_wrong_or_missing_issuer_is_refused() {
    let wrong = with(|c| c["iss"] = json!(format!("{ISSUER}1")));
    assert_eq!(refused_with(&ps256(&wrong)), "id_token.iss");
    let missing = with(|c| drop(c.as_object_mut().unwrap().remove("iss")));
    assert_eq!(refused_with(&ps256(&missing)), "id_token.iss");
}

#[test]
fn a_wrong_missing_or_untrusted_second_audience_is_refused() {
    let wrong = with(|c| c["aud"] = json!("someone-else"));
    assert_eq!(refused_with(&ps256(&wrong)), "id_token.aud");
    let missing = with(|c| drop(c.as_object_mut().unwrap().remove("aud")));
    assert_eq!(refused_with(&ps256(&missing)), "id_token.aud");
    let second = with(|c| c["aud"] = json!([CLIENT, format!("{CLIENT}1")]));
    assert_eq!(refused_with(&ps256(&second)), "id_token.aud");
    // An azp naming the client does not make another audience trusted.
    let second_with_azp = with(|c| {
        c["aud"] = json!([CLIENT, "other"]);
        c["azp"] = json!(CLIENT);
    });
    assert_eq!(refused_with(&ps256(&second_with_azp)), "id_token.aud");
    let not_a_string = with(|c| c["aud"] = json!([CLIENT, 7]));
    assert_eq!(refused_with(&ps256(&not_a_string)), "id_token.aud");
    let other_azp = with(|c| c["azp"] = json!("someone-else"));
    assert_eq!(refused_with(&ps256(&other_azp)), "id_token.azp");
}

#[test]
fn an_expired_or_endless_token_is_refused() {
    let expired = with(|c| c["exp"] = json!(NOW - 360));
    assert_eq!(refused_with(&ps256(&expired)), "id_token.exp");
    let missing = with(|c| drop(c.as_object_mut().unwrap().remove("exp")));
    assert_eq!(refused_with(&ps256(&missing)), "id_token.exp");
    // Within the clock skew it still counts as valid.
    let just = with(|c| c["exp"] = json!(NOW - 60));
    assert!(front(&ps256(&just), &acr()).is_ok());
}

#[test]
fn a_token_issued_a_week_ago_or_in_the_future_is_refused() {
    let week = with(|c| c["iat"] = json!(NOW - 7 * 86_400));
    assert_eq!(refused_with(&ps256(&week)), "id_token.iat");
    let future = with(|c| c["iat"] = json!(NOW + 3600));
    assert_eq!(refused_with(&ps256(&future)), "id_token.iat");
    let missing = with(|c| drop(c.as_object_mut().unwrap().remove("iat")));
    assert_eq!(refused_with(&ps256(&missing)), "id_token.iat");
}

#[test]
fn a_wrong_or_missing_nonce_is_refused() {
    let wrong = with(|c| c["nonce"] = json!("replayed"));
    assert_eq!(refused_with(&ps256(&wrong)), "id_token.nonce");
    let missing = with(|c| drop(c.as_object_mut().unwrap().remove("nonce")));
    assert_eq!(refused_with(&ps256(&missing)), "id_token.nonce");
}

#[test]
fn a_wrong_or_missing_c_hash_or_s_hash_is_refused() {
    let c_hash = with(|c| c["c_hash"] = json!(half_hash("another code")));
    assert_eq!(refused_with(&ps256(&c_hash)), "id_token.c_hash");
    let s_hash = with(|c| c["s_hash"] = json!(half_hash("another state")));
    assert_eq!(refused_with(&ps256(&s_hash)), "id_token.s_hash");
    let no_s_hash = with(|c| drop(c.as_object_mut().unwrap().remove("s_hash")));
    assert_eq!(refused_with(&ps256(&no_s_hash)), "id_token.s_hash");
    let no_c_hash = with(|c| drop(c.as_object_mut().unwrap().remove("c_hash")));
    assert_eq!(refused_with(&ps256(&no_c_hash)), "id_token.c_hash");
}

#[test]
fn an_acr_outside_the_accepted_ones_is_refused() {
    let loa1 = with(|c| c["acr"] = json!("urn:brasil:openbanking:loa1"));
    assert_eq!(refused_with(&ps256(&loa1)), "id_token.acr");
    let loa2 = with(|c| c["acr"] = json!("urn:brasil:openbanking:loa2"));
    assert!(front(&ps256(&loa2), &acr()).is_ok());
    let only_loa3 = ["urn:brasil:openbanking:loa3".to_string()];
    assert_eq!(
        front(&ps256(&loa2), &only_loa3).unwrap_err().check,
        "id_token.acr"
    );
}

#[test]
fn an_id_token_encrypted_rsa_oaep_a256gcm_is_decrypted_and_checked() {
    let jwe = encrypt(&ps256(&claims()), "RSA-OAEP");
    assert_eq!(jwe.split('.').count(), 5);
    assert_eq!(front(&jwe, &acr()).unwrap(), "user-1");
    // The JWE is only an envelope: the signed claims inside are still checked.
    let bad_nonce = encrypt(&ps256(&with(|c| c["nonce"] = json!("x"))), "RSA-OAEP");
    assert_eq!(refused_with(&bad_nonce), "id_token.nonce");
}

#[test]
fn an_id_token_encrypted_with_rsa1_5_is_refused() {
    let jwe = encrypt(&ps256(&claims()), "RSA1_5");
    assert_eq!(refused_with(&jwe), "id_token.jwe.alg");
}

#[test]
fn a_tampered_jwe_or_one_without_a_key_is_refused() {
    let jwe = encrypt(&ps256(&claims()), "RSA-OAEP");
    let mut parts: Vec<String> = jwe.split('.').map(str::to_string).collect();
    parts[3] = crate::testkit::encrypt("x", "RSA-OAEP")
        .split('.')
        .nth(3)
        .unwrap()
        .to_string();
    assert_eq!(refused_with(&parts.join(".")), "id_token.jwe");
    assert_eq!(open_id_token(&jwe, None).unwrap_err().check, "id_token.jwe");
}

#[test]
fn the_token_endpoint_id_token_needs_no_hashes_but_the_same_subject() {
    fn back(sub: &str) -> Expected<'_> {
        Expected {
            source: "token.id_token",
            issuer: ISSUER,
            client_id: CLIENT,
            nonce: NONCE,
            now: NOW,
            code: None,
            state: None,
            acr_values: &[],
            require_acr: false,
            sub: Some(sub),
        }
    }
    let plain = with(|c| {
        let c = c.as_object_mut().unwrap();
        c.remove("c_hash");
        c.remove("s_hash");
        c.remove("acr");
    });
    let verified = verify_ps256(&ps256(&plain), &bank_jwks()).unwrap();
    assert_eq!(back("user-1").check(&verified).unwrap(), "user-1");
    let err = back("user-2").check(&verified).unwrap_err();
    assert_eq!(err.check, "token.id_token.sub");
}
