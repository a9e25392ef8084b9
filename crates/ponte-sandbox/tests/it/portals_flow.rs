//! The document portals over HTTP, as Ponte's connector and an end user's
//! browser meet them: sign in, share, code for token, list and download.

use crate::support;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_json::Value;
use support::{form, Callback, Sandbox, CLIENT_ID, CLIENT_SECRET, REDIRECT};

const DAY_MS: i64 = 86_400_000;

/// (year, month, day) of a unix day (Howard Hinnant's civil_from_days).
fn civil(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn today() -> (i64, u32) {
    let (y, m, _) = civil(now_ms().div_euclid(DAY_MS));
    (y, m)
}

fn portal_url(sb: &Sandbox, portal: &str, path: &str) -> String {
    format!("{}/portals/{portal}{path}", sb.base)
}

/// Posts a `data-step` form of `html` with `fields`; (status, body or Location).
async fn submit(
    sb: &Sandbox,
    html: &str,
    step: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (action, txn) = form(html, step).unwrap_or_else(|| panic!("no {step} form in {html}"));
    let mut body = vec![("txn", txn.as_str())];
    body.extend_from_slice(fields);
    let r = sb
        .http
        .post(format!("{}{action}", sb.origin))
        .form(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    if status == StatusCode::SEE_OTHER {
        let loc = r.headers()[LOCATION].to_str().unwrap().to_string();
        return (status, loc);
    }
    (status, r.text().await.unwrap())
}

async fn login_page(sb: &Sandbox, portal: &str) -> String {
    let r = sb
        .http
        .get(portal_url(sb, portal, "/login"))
        .query(&[
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("state", "s-42"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// Walks the browser journey to the redirect back to the client.
async fn journey(sb: &Sandbox, portal: &str, user: &str) -> Callback {
    let page = login_page(sb, portal).await;
    let (status, mut page) = submit(
        sb,
        &page,
        "login",
        &[("username", user), ("password", "pass_good")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    if user == "user_mfa" {
        let (status, again) = submit(sb, &page, "otp", &[("otp", "000000")]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(again.contains(r#"data-error="otp""#));
        let (status, next) = submit(sb, &again, "otp", &[("otp", "123456")]).await;
        assert_eq!(status, StatusCode::OK);
        page = next;
    }
    let (status, location) = submit(sb, &page, "approve", &[("decision", "approve")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    Callback {
        url: url::Url::parse(&location).unwrap(),
    }
}

async fn exchange(sb: &Sandbox, portal: &str, code: &str) -> reqwest::Response {
    sb.http
        .post(portal_url(sb, portal, "/token"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap()
}

async fn session(sb: &Sandbox, portal: &str, user: &str) -> String {
    let cb = journey(sb, portal, user).await;
    assert_eq!(cb.param("state").as_deref(), Some("s-42"));
    let r = exchange(sb, portal, &cb.param("code").expect("a code")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    v["access_token"].as_str().unwrap().to_string()
}

async fn documents(sb: &Sandbox, portal: &str, token: &str) -> Vec<Value> {
    let r = sb
        .http
        .get(portal_url(sb, portal, "/api/documents"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    v["documents"].as_array().unwrap().clone()
}

async fn download(sb: &Sandbox, portal: &str, token: &str, id: &str) -> reqwest::Response {
    sb.http
        .get(portal_url(sb, portal, &format!("/api/documents/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn each_portal_lists_its_documents_and_serves_them_byte_exact() {
    let sb = Sandbox::start().await;
    let r = sb
        .http
        .get(format!("{}/portals", sb.base))
        .send()
        .await
        .unwrap();
    let listed: Value = r.json().await.unwrap();
    let codes: Vec<&str> = listed["portals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["harborline", "summitridge", "lumen"]);
    assert_eq!(
        listed["portals"][0]["login_url"],
        format!("{}/portals/harborline/login", sb.base)
    );

    for (portal, per_year, kinds) in [
        (
            "harborline",
            14,
            &["bank_statement", "1099_int", "year_end_summary"][..],
        ),
        (
            "summitridge",
            3,
            &["1099_div", "1099_b", "year_end_summary"][..],
        ),
        ("lumen", 2, &["1099_b", "year_end_summary"][..]),
    ] {
        let token = session(&sb, portal, "user_good").await;
        let docs = documents(&sb, portal, &token).await;
        let (year, month) = today();
        let this_year = docs.iter().filter(|d| d["year"] == year).count();
        assert_eq!(
            docs.len() - this_year,
            2 * per_year,
            "{portal}: two tax years"
        );
        // A bank also lists this year's statement of every month that ended.
        let ended = if portal == "harborline" { month - 1 } else { 0 };
        assert_eq!(
            this_year, ended as usize,
            "{portal}: this year's statements"
        );
        for kind in kinds {
            assert!(
                docs.iter().any(|d| d["kind"] == *kind),
                "{portal} lacks {kind}"
            );
        }
        // One of each kind, downloaded: the size listed is the size served.
        for kind in kinds {
            let d = docs.iter().find(|d| d["kind"] == *kind).unwrap();
            assert_eq!(d["content_type"], "application/pdf");
            let r = download(&sb, portal, &token, d["id"].as_str().unwrap()).await;
            assert_eq!(r.status(), StatusCode::OK);
            assert_eq!(r.headers()[CONTENT_TYPE], "application/pdf");
            let len: u64 = r.headers()[CONTENT_LENGTH]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            let bytes = r.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF-"));
            assert_eq!(bytes.len() as u64, len);
            assert_eq!(Some(len), d["size"].as_u64(), "{portal} {}", d["id"]);
        }
        // Another portal's document is not this portal's to serve.
        let r = download(&sb, portal, &token, "1099-int-1999").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn codes_are_single_use_and_tokens_stay_at_their_portal() {
    let sb = Sandbox::start().await;
    let cb = journey(&sb, "harborline", "user_good").await;
    let code = cb.param("code").unwrap();
    assert_eq!(
        exchange(&sb, "harborline", &code).await.status(),
        StatusCode::OK
    );
    let replay = exchange(&sb, "harborline", &code).await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    let v: Value = replay.json().await.unwrap();
    assert_eq!(v["error"], "invalid_grant");

    let token = session(&sb, "harborline", "user_good").await;
    let r = sb
        .http
        .get(portal_url(&sb, "lumen", "/api/documents"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = sb
        .http
        .get(portal_url(&sb, "harborline", "/api/documents"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_token");

    // A wrong client secret gets nothing for a good code.
    let cb = journey(&sb, "harborline", "user_good").await;
    let r = sb
        .http
        .post(portal_url(&sb, "harborline", "/token"))
        .basic_auth(CLIENT_ID, Some("wrong"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &cb.param("code").unwrap()),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn test_users_behave_as_the_contract_says() {
    let sb = Sandbox::start().await;
    // user_mfa: the one-time code (checked inside the journey).
    let token = session(&sb, "summitridge", "user_mfa").await;
    assert_eq!(documents(&sb, "summitridge", &token).await.len(), 6);

    // user_locked and wrong passwords are refused at the login page.
    let page = login_page(&sb, "harborline").await;
    let (status, html) = submit(
        &sb,
        &page,
        "login",
        &[("username", "user_locked"), ("password", "pass_good")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains(r#"data-error="locked""#));
    let (status, html) = submit(
        &sb,
        &html,
        "login",
        &[("username", "user_good"), ("password", "nope")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains(r#"data-error="credentials""#));

    // user_deny declines: the client hears access_denied, with its state.
    let page = login_page(&sb, "lumen").await;
    let (_, page) = submit(
        &sb,
        &page,
        "login",
        &[("username", "user_deny"), ("password", "pass_good")],
    )
    .await;
    assert!(page.contains(r#"data-notice="always-rejects""#));
    let (status, location) = submit(&sb, &page, "approve", &[("decision", "approve")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cb = Callback {
        url: url::Url::parse(&location).unwrap(),
    };
    assert_eq!(cb.param("error").as_deref(), Some("access_denied"));
    assert_eq!(cb.param("state").as_deref(), Some("s-42"));
    assert!(cb.param("code").is_none());

    // user_big: five tax years.
    let token = session(&sb, "lumen", "user_big").await;
    assert_eq!(documents(&sb, "lumen", &token).await.len(), 10);
}

#[tokio::test]
async fn user_flaky_meets_transient_and_permanent_download_failures() {
    let sb = Sandbox::start().await;
    let token = session(&sb, "harborline", "user_flaky").await;
    let docs = documents(&sb, "harborline", &token).await;
    let first = docs[0]["id"].as_str().unwrap();
    for _ in 0..2 {
        assert_eq!(
            download(&sb, "harborline", &token, first).await.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    assert_eq!(
        download(&sb, "harborline", &token, first).await.status(),
        StatusCode::OK
    );
    let latest_summary = docs
        .iter()
        .rev()
        .find(|d| d["kind"] == "year_end_summary")
        .unwrap();
    let id = latest_summary["id"].as_str().unwrap();
    for _ in 0..4 {
        assert_eq!(
            download(&sb, "harborline", &token, id).await.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}

#[tokio::test]
async fn a_redirect_uri_off_the_registered_origin_is_refused_on_the_page() {
    let sb = Sandbox::start().await;
    let r = sb
        .http
        .get(portal_url(&sb, "harborline", "/login"))
        .query(&[
            ("client_id", CLIENT_ID),
            ("redirect_uri", "https://evil.example/cb"),
            ("state", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().get(LOCATION).is_none());
    assert!(r.text().await.unwrap().contains("redirect_uri"));

    let r = sb
        .http
        .get(portal_url(&sb, "nowhere", "/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A finished sign-in cannot be submitted again.
    let page = login_page(&sb, "harborline").await;
    let (status, _) = submit(
        &sb,
        &page,
        "login",
        &[("username", "user_good"), ("password", "pass_good")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, html) = submit(
        &sb,
        &page,
        "login",
        &[("username", "user_good"), ("password", "pass_good")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains(r#"data-error="expired""#));
}

/// `PUT {portal}/_test/clock` moves one session's time (Ponte's test clocks):
/// once a month has ended there, its statement is listed and served, to that
/// session only, exactly as `documents_listed_at` says.
#[tokio::test]
async fn a_session_on_a_test_clock_sees_the_statement_of_each_month_that_ended() {
    let sb = Sandbox::start().await;
    let moved = session(&sb, "harborline", "user_good").await;
    let other = session(&sb, "harborline", "user_good").await;
    let before = documents(&sb, "harborline", &moved).await;
    let set = |token: String, body: Value| {
        let http = sb.http.clone();
        let url = portal_url(&sb, "harborline", "/_test/clock");
        async move {
            http.put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        set(moved.clone(), serde_json::json!({"offsetMs": -1})).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        set("nobody".into(), serde_json::json!({"offsetMs": 1})).await,
        StatusCode::UNAUTHORIZED
    );
    // To the 2nd of next month.
    let start = now_ms();
    let (_, m0, _) = civil(start.div_euclid(DAY_MS));
    let days = (1..=40)
        .find(|k| {
            let (_, m, d) = civil(start.div_euclid(DAY_MS) + k);
            m != m0 && d == 2
        })
        .unwrap();
    let offset = days * DAY_MS;
    assert_eq!(
        set(moved.clone(), serde_json::json!({"offsetMs": offset})).await,
        StatusCode::NO_CONTENT
    );
    let after = documents(&sb, "harborline", &moved).await;
    let ids = |docs: &[Value]| -> Vec<String> {
        docs.iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    let expected: Vec<String> =
        ponte_sandbox::documents_listed_at("harborline", "user_good", now_ms() + offset)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
    assert_eq!(ids(&after), expected);
    let (y0, m0, _) = civil(start.div_euclid(DAY_MS));
    let statement = format!("statement-{y0}-{m0:02}");
    assert!(
        !ids(&before).contains(&statement),
        "not before the month ended"
    );
    assert!(ids(&after).contains(&statement), "listed once it ended");
    let r = sb
        .http
        .get(portal_url(
            &sb,
            "harborline",
            &format!("/api/documents/{statement}"),
        ))
        .bearer_auth(&moved)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // Another session keeps real time.
    assert_eq!(
        ids(&documents(&sb, "harborline", &other).await),
        ids(&before)
    );
}
