//! End-to-end OAuth journeys over HTTP against a live sandbox.

use crate::support;

use reqwest::StatusCode;
use serde_json::Value;
use support::ofb_schema::consents;
use support::*;

#[tokio::test]
async fn discovery_avatar_and_catalogue() {
    let sb = Sandbox::start().await;
    let banks = ponte_sandbox::banks();
    assert!(banks.len() >= 12);
    assert_eq!(banks.iter().filter(|b| b.is_outage).count(), 1);
    assert_eq!(
        banks.iter().find(|b| b.is_outage).unwrap().code,
        OUTAGE_BANK
    );

    for bank in [BANK, OUTAGE_BANK] {
        let r = sb
            .http
            .get(sb.url(bank, "/.well-known/openid-configuration"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let d: Value = r.json().await.unwrap();
        let iss = sb.url(bank, "");
        assert_eq!(d["issuer"], iss.as_str());
        assert_eq!(d["authorization_endpoint"], format!("{iss}/auth/authorize"));
        assert_eq!(d["token_endpoint"], format!("{iss}/auth/token"));
        assert_eq!(
            d["pushed_authorization_request_endpoint"],
            format!("{iss}/auth/par")
        );
        assert_eq!(
            d["code_challenge_methods_supported"],
            serde_json::json!(["S256"])
        );
        assert_eq!(d["authorization_response_iss_parameter_supported"], true);
        let jwks = sb
            .http
            .get(d["jwks_uri"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(jwks.status(), StatusCode::OK);
    }

    let r = sb
        .http
        .get(sb.url("nubank", "/avatar.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age"));
    let svg = r.text().await.unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("#820AD1") && svg.contains(">NU<"),
        "{svg}"
    );

    let r = sb
        .http
        .get(sb.url("nope", "/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    consents().assert_valid("ResponseError", &r.json().await.unwrap());
}

#[tokio::test]
async fn user_good_full_flow_with_refresh_and_code_replay() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    assert!(consent_id.starts_with("urn:itau:"), "{consent_id}");

    let uri = sb.par(BANK, &consent_id).await;
    let (status, login) = sb.authorize(BANK, &uri).await;
    assert_eq!(status, StatusCode::OK);
    assert!(login.contains("Itaú Unibanco") && login.contains("#EC7000"));
    assert!(login.contains(r#"name="viewport""#));

    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_good"), ("password", "pass_good")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let approve = r.text().await.unwrap();
    // One language per page: Portuguese unless the request or browser asks.
    assert!(approve.contains("Saldos das contas") && approve.contains(r#"<html lang="pt-BR">"#));
    let exp = sb.get_consent(BANK, &cc, &consent_id).await["data"]["expirationDateTime"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        approve.contains(&format!(r#"data-expiration="{exp}""#)),
        "expiration shown"
    );
    let day_first = format!("{}/{}/{}", &exp[8..10], &exp[5..7], &exp[0..4]);
    assert!(approve.contains(&day_first), "human date {day_first}");
    assert!(approve.contains(r#"value="approve""#) && approve.contains(r#"value="reject""#));

    let r = sb
        .submit(&approve, "approve", &[("decision", "approve")])
        .await;
    let cb = sb.callback(&r);
    assert_eq!(cb.param("state").as_deref(), Some("st-123"));
    assert_eq!(cb.param("iss"), Some(sb.url(BANK, "")));
    let code = cb.param("code").unwrap();

    // The same transaction cannot decide twice.
    let r = sb
        .submit(&approve, "approve", &[("decision", "approve")])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains(r#"data-error="txn""#));

    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(c["data"]["status"], "AUTHORISED");

    let r = sb.exchange(BANK, &code, VERIFIER, REDIRECT).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["expires_in"], 900);
    assert_eq!(t["scope"], format!("openid consent:{consent_id}"));
    let rt1 = t["refresh_token"].as_str().unwrap().to_string();

    // Refresh rotates: the new pair works, the old refresh token does not.
    let r = sb.refresh(BANK, &rt1).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t2: Value = r.json().await.unwrap();
    assert_eq!(t2["scope"], format!("openid consent:{consent_id}"));
    assert_ne!(t2["access_token"], t["access_token"]);
    let rt2 = t2["refresh_token"].as_str().unwrap().to_string();
    assert_oauth_error(
        sb.refresh(BANK, &rt1).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    // A replayed code is refused and revokes everything issued from it.
    assert_oauth_error(
        sb.exchange(BANK, &code, VERIFIER, REDIRECT).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert_oauth_error(
        sb.refresh(BANK, &rt2).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    // The code is bank-bound too.
    assert_oauth_error(
        sb.exchange("nubank", &code, VERIFIER, REDIRECT).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn user_deny_always_rejects() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let page = sb.to_approval(BANK, &consent_id, "user_deny").await;
    assert!(page.contains("sempre rejeita"));
    assert!(!page.contains(r#"value="approve""#), "only a Reject button");
    assert_eq!(page.matches(r#"name="decision""#).count(), 1);

    // Even a forged approve is a rejection for this user.
    let r = sb
        .submit(&page, "approve", &[("decision", "approve")])
        .await;
    let cb = sb.callback(&r);
    assert_eq!(cb.param("error").as_deref(), Some("access_denied"));
    assert!(cb.param("error_description").is_some());
    assert_eq!(cb.param("state").as_deref(), Some("st-123"));
    assert_eq!(cb.param("iss"), Some(sb.url(BANK, "")));
    assert!(cb.param("code").is_none());

    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(c["data"]["status"], "REJECTED");
    assert_eq!(c["data"]["rejection"]["rejectedBy"], "USER");
    assert_eq!(
        c["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REJECTED"
    );
}

#[tokio::test]
async fn user_mfa_wrong_then_right_code() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent_id).await;
    let (_, login) = sb.authorize(BANK, &uri).await;
    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_mfa"), ("password", "pass_good")],
        )
        .await;
    let otp = r.text().await.unwrap();
    assert!(form(&otp, "otp").is_some(), "{otp}");
    assert!(form(&otp, "approve").is_none());

    let r = sb.submit(&otp, "otp", &[("otp", "000000")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let otp2 = r.text().await.unwrap();
    assert!(otp2.contains(r#"data-error="otp""#), "{otp2}");

    let r = sb.submit(&otp2, "otp", &[("otp", "123456")]).await;
    let approve = r.text().await.unwrap();
    assert!(form(&approve, "approve").is_some());
    let r = sb
        .submit(&approve, "approve", &[("decision", "approve")])
        .await;
    let code = sb.callback(&r).param("code").unwrap();
    let r = sb.exchange(BANK, &code, VERIFIER, REDIRECT).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn user_mfa_three_wrong_codes_fail_the_transaction() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent_id).await;
    let (_, login) = sb.authorize(BANK, &uri).await;
    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_mfa"), ("password", "pass_good")],
        )
        .await;
    let mut page = r.text().await.unwrap();
    for _ in 0..2 {
        let r = sb.submit(&page, "otp", &[("otp", "111111")]).await;
        assert_eq!(r.status(), StatusCode::OK);
        page = r.text().await.unwrap();
        assert!(page.contains(r#"data-error="otp""#));
    }
    let r = sb.submit(&page, "otp", &[("otp", "111111")]).await;
    let cb = sb.callback(&r);
    assert_eq!(cb.param("error").as_deref(), Some("access_denied"));
    // The right code is useless now.
    let r = sb.submit(&page, "otp", &[("otp", "123456")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(c["data"]["status"], "REJECTED");
}

#[tokio::test]
async fn locked_and_wrong_password_are_refused_then_good_user_can_log_in() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent_id).await;
    let (_, login) = sb.authorize(BANK, &uri).await;

    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_locked"), ("password", "pass_good")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"data-error="locked""#) && form(&page, "login").is_some());

    let r = sb
        .submit(
            &page,
            "login",
            &[("username", "user_good"), ("password", "wrong")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"data-error="credentials""#));

    let r = sb
        .submit(
            &page,
            "login",
            &[("username", "mallory"), ("password", "pass_good")],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"data-error="credentials""#));

    let r = sb
        .submit(
            &page,
            "login",
            &[("username", "user_good"), ("password", "pass_good")],
        )
        .await;
    assert!(form(&r.text().await.unwrap(), "approve").is_some());
    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(c["data"]["status"], "AWAITING_AUTHORISATION");
}

#[tokio::test]
async fn cancel_rejects_the_consent() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let uri = sb.par(BANK, &consent_id).await;
    let (_, login) = sb.authorize(BANK, &uri).await;
    let (_, txn) = form(&login, "login").unwrap();
    let href = format!("/sandbox/banks/{BANK}/auth/cancel?txn={txn}");
    assert!(login.contains(&href), "cancel link present");
    let r = sb
        .http
        .get(format!("{}{href}", sb.origin))
        .send()
        .await
        .unwrap();
    let cb = sb.callback(&r);
    assert_eq!(cb.param("error").as_deref(), Some("access_denied"));
    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(
        c["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REJECTED"
    );
    // Logging in on the cancelled transaction is refused.
    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_good"), ("password", "pass_good")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn token_exchange_checks_pkce_and_redirect_uri() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;

    let c1 = sb.create_consent(BANK, &cc).await;
    let code = sb.approved_code(BANK, &c1, "user_good").await;
    let other_verifier = "another-verifier-that-is-long-enough-to-be-valid-0000000";
    assert_oauth_error(
        sb.exchange(BANK, &code, other_verifier, REDIRECT).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    let c2 = sb.create_consent(BANK, &cc).await;
    let code = sb.approved_code(BANK, &c2, "user_big").await;
    assert_oauth_error(
        sb.exchange(BANK, &code, VERIFIER, "http://127.0.0.1:9/elsewhere")
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    let v = assert_oauth_error(
        sb.exchange(BANK, "not-a-code", VERIFIER, REDIRECT).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(v["error_description"].as_str().unwrap().contains("code"));

    let v = assert_oauth_error(
        sb.token_form(
            BANK,
            &[
                ("grant_type", "authorization_code"),
                ("code", "x"),
                ("redirect_uri", REDIRECT),
            ],
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    assert!(v["error_description"]
        .as_str()
        .unwrap()
        .contains("code_verifier"));
}

#[tokio::test]
async fn par_validates_parameters() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let scope = format!("openid consent:{consent_id}");
    let ch = challenge(VERIFIER);
    let base = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("scope", scope.as_str()),
        ("state", "s"),
        ("code_challenge", ch.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let cases: &[(&str, Option<&str>, &str)] = &[
        (
            "redirect_uri",
            Some("http://evil.example/cb"),
            "redirect_uri",
        ),
        ("state", None, "state"),
        ("code_challenge", None, "code_challenge"),
        (
            "code_challenge_method",
            Some("plain"),
            "code_challenge_method",
        ),
        ("scope", Some("openid"), "consent:"),
        ("scope", Some("openid consent:urn:itau:nope"), "not found"),
    ];
    for (key, value, needle) in cases {
        let form: Vec<(&str, &str)> = base
            .iter()
            .filter(|(k, _)| k != key)
            .copied()
            .chain(value.map(|v| (*key, v)))
            .collect();
        let v = assert_oauth_error(
            sb.par_raw(BANK, &form).await,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
        assert!(
            v["error_description"].as_str().unwrap().contains(needle),
            "{key}: {v}"
        );
    }

    // Another client cannot start a journey on our consent.
    let r = sb
        .http
        .post(sb.url(BANK, "/auth/par"))
        .basic_auth(OTHER_CLIENT, Some(OTHER_SECRET))
        .form(&[
            ("response_type", "code"),
            ("redirect_uri", "http://127.0.0.1:9/other"),
            ("scope", scope.as_str()),
            ("state", "s"),
            ("code_challenge", ch.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    assert_oauth_error(r, StatusCode::BAD_REQUEST, "invalid_request").await;

    // request_uri is single-use; unknown ones give an HTML error page.
    let uri = sb.par(BANK, &consent_id).await;
    assert_eq!(sb.authorize(BANK, &uri).await.0, StatusCode::OK);
    let (status, page) = sb.authorize(BANK, &uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains(r#"data-error="request_uri""#) && page.starts_with("<!doctype html>"));
    let (status, _) = sb
        .authorize(BANK, "urn:ietf:params:oauth:request_uri:bogus")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn plain_authorize_request_works_and_is_validated() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let scope = format!("openid consent:{consent_id}");
    let ch = challenge(VERIFIER);
    let q = [
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("scope", scope.as_str()),
        ("state", "st-123"),
        ("code_challenge", ch.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let r = sb
        .http
        .get(sb.url(BANK, "/auth/authorize"))
        .query(&q[..6])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("code_challenge_method"));

    let r = sb
        .http
        .get(sb.url(BANK, "/auth/authorize"))
        .query(&q)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let login = r.text().await.unwrap();
    let r = sb
        .submit(
            &login,
            "login",
            &[("username", "user_flaky"), ("password", "pass_good")],
        )
        .await;
    let approve = r.text().await.unwrap();
    let r = sb
        .submit(&approve, "approve", &[("decision", "approve")])
        .await;
    let code = sb.callback(&r).param("code").unwrap();
    assert_eq!(
        sb.exchange(BANK, &code, VERIFIER, REDIRECT).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn client_authentication_failures() {
    let sb = Sandbox::start().await;
    let cc = [("grant_type", "client_credentials"), ("scope", "consents")];
    let url = sb.url(BANK, "/auth/token");

    let r = sb
        .http
        .post(&url)
        .basic_auth("nobody", Some("x"))
        .form(&cc)
        .send()
        .await
        .unwrap();
    assert_oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let r = sb
        .http
        .post(&url)
        .basic_auth(CLIENT_ID, Some("wrong"))
        .form(&cc)
        .send()
        .await
        .unwrap();
    assert_oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let mut post = cc.to_vec();
    post.extend([("client_id", CLIENT_ID), ("client_secret", "wrong")]);
    let r = sb.http.post(&url).form(&post).send().await.unwrap();
    assert_oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let r = sb.http.post(&url).form(&cc).send().await.unwrap();
    assert_oauth_error(r, StatusCode::UNAUTHORIZED, "invalid_client").await;

    // client_secret_post with the right secret works.
    let mut post = cc.to_vec();
    post.extend([("client_id", CLIENT_ID), ("client_secret", CLIENT_SECRET)]);
    let r = sb.http.post(&url).form(&post).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let r = sb.token_form(BANK, &[("grant_type", "password")]).await;
    assert_oauth_error(r, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;
    let r = sb
        .token_form(
            BANK,
            &[("grant_type", "client_credentials"), ("scope", "accounts")],
        )
        .await;
    assert_oauth_error(r, StatusCode::BAD_REQUEST, "invalid_scope").await;
}

#[tokio::test]
async fn outage_bank_answers_503() {
    let sb = Sandbox::start().await;
    let r = sb
        .token_form(
            OUTAGE_BANK,
            &[("grant_type", "client_credentials"), ("scope", "consents")],
        )
        .await;
    assert_oauth_error(
        r,
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
    )
    .await;
    let r = sb.par_raw(OUTAGE_BANK, &[("response_type", "code")]).await;
    assert_oauth_error(
        r,
        StatusCode::SERVICE_UNAVAILABLE,
        "temporarily_unavailable",
    )
    .await;
    let (status, page) = sb
        .authorize(OUTAGE_BANK, "urn:ietf:params:oauth:request_uri:x")
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.contains(r#"data-error="outage""#));
    let r = sb
        .post_consent(OUTAGE_BANK, "whatever", &good_consent_body())
        .await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    consents().assert_valid("ResponseError", &r.json().await.unwrap());
    let r = sb
        .http
        .get(sb.url(OUTAGE_BANK, "/avatar.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoking_the_consent_kills_its_tokens() {
    let sb = Sandbox::start().await;
    let cc = sb.cc_token(BANK).await;
    let consent_id = sb.create_consent(BANK, &cc).await;
    let code = sb.approved_code(BANK, &consent_id, "user_good").await;
    let t: Value = sb
        .exchange(BANK, &code, VERIFIER, REDIRECT)
        .await
        .json()
        .await
        .unwrap();
    let rt = t["refresh_token"].as_str().unwrap();

    let consent_url = sb.url(
        BANK,
        &format!("/open-banking/consents/v3/consents/{consent_id}"),
    );
    let r = sb
        .http
        .delete(&consent_url)
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    let v = assert_oauth_error(
        sb.refresh(BANK, rt).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;
    assert!(v["error_description"].is_string());
    let c = sb.get_consent(BANK, &cc, &consent_id).await;
    assert_eq!(c["data"]["status"], "REJECTED");
    assert_eq!(c["data"]["rejection"]["rejectedBy"], "USER");
    assert_eq!(
        c["data"]["rejection"]["reason"]["code"],
        "CUSTOMER_MANUALLY_REVOKED"
    );

    let r = sb
        .http
        .delete(&consent_url)
        .bearer_auth(&cc)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    consents().assert_valid("ResponseErrorUnprocessableEntityDelete", &body);
    assert_eq!(
        body["errors"][0]["code"],
        "CONSENTIMENTO_EM_STATUS_REJEITADO"
    );
}
