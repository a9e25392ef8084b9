//! The banks' monthly operational limits: a consent's fifth full
//! transaction history of one account in a month is refused with `429`,
//! the OFB error body and a `Retry-After` that runs to the month's end;
//! later pages, other accounts and other endpoints are not held back.

use crate::support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use support::ofb_schema::spec;
use support::*;

const CPF: &str = "76109277673";

/// An access token of a fresh consent, and the consent's id.
async fn token(sb: &Sandbox) -> (String, String) {
    let cc = sb.cc_token(BANK).await;
    let body = json!({"data": {
        "loggedUser": {"document": {"identification": CPF, "rel": "CPF"}},
        "permissions": ["RESOURCES_READ", "ACCOUNTS_READ", "ACCOUNTS_BALANCES_READ", "ACCOUNTS_TRANSACTIONS_READ"],
        "expirationDateTime": expiry_in_days(90),
    }});
    let r = sb.post_consent(BANK, &cc, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let consent = v["data"]["consentId"].as_str().unwrap().to_string();
    let code = sb.approved_code(BANK, &consent, "user_good").await;
    let r = sb.exchange(BANK, &code, VERIFIER, REDIRECT).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    (t["access_token"].as_str().unwrap().to_string(), consent)
}

async fn get(sb: &Sandbox, token: &str, path: &str) -> (StatusCode, Option<u64>, Value) {
    let r = sb
        .http
        .get(sb.url(BANK, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, retry_after, r.json().await.unwrap())
}

/// Seconds from now to the first instant of next month in Brasília (UTC-3).
fn seconds_to_month_end() -> i64 {
    seconds_to_month_end_after(0)
}

/// The same, `ahead_s` seconds from now.
fn seconds_to_month_end_after(ahead_s: i64) -> i64 {
    let now = (time::OffsetDateTime::now_utc() + time::Duration::seconds(ahead_s))
        .to_offset(time::macros::offset!(-3));
    let (y, m) = match now.month() {
        time::Month::December => (now.year() + 1, time::Month::January),
        m => (now.year(), m.next()),
    };
    let next = time::Date::from_calendar_date(y, m, 1)
        .unwrap()
        .with_hms(0, 0, 0)
        .unwrap()
        .assume_offset(time::macros::offset!(-3));
    (next - now).whole_seconds()
}

#[tokio::test]
async fn the_fifth_transaction_history_of_an_account_in_a_month_is_refused() {
    let sb = Sandbox::start().await;
    let (t, _) = token(&sb).await;
    let (status, _, list) = get(&sb, &t, "/open-banking/accounts/v2/accounts").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ids: Vec<String> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["accountId"].as_str().unwrap().to_string())
        .collect();
    let first = format!("/open-banking/accounts/v2/accounts/{}/transactions", ids[0]);
    for n in 1..=4 {
        let (status, _, body) = get(&sb, &t, &first).await;
        assert_eq!(status, StatusCode::OK, "call {n}: {body}");
    }
    // Later pages are the same reading, not a new one.
    let (status, _, body) = get(&sb, &t, &format!("{first}?page=2&page-size=1")).await;
    assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");

    let (status, retry_after, body) = get(&sb, &t, &first).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    spec("accounts-2.4.2.yml").assert_valid("ResponseError", &body);
    let detail = body["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("{accountId}/transactions"), "{detail}");
    let retry_after = retry_after.expect("Retry-After") as i64;
    let expected = seconds_to_month_end();
    assert!(
        (retry_after - expected).abs() <= 5,
        "Retry-After {retry_after} s, the month ends in {expected} s"
    );

    // Balances have their own budget (420), and so does every other account.
    let balances = format!("/open-banking/accounts/v2/accounts/{}/balances", ids[0]);
    assert_eq!(get(&sb, &t, &balances).await.0, StatusCode::OK);
    if let Some(other) = ids.get(1) {
        let path = format!("/open-banking/accounts/v2/accounts/{other}/transactions");
        assert_eq!(get(&sb, &t, &path).await.0, StatusCode::OK);
    }
}

async fn set_clock(sb: &Sandbox, consent: &str, offset_ms: i64) {
    let r = sb
        .http
        .put(sb.url(BANK, &format!("/_test/consents/{consent}/clock")))
        .json(&json!({"offsetMs": offset_ms}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
}

/// The month is the consent's test clock's: a budget spent near its month's
/// end answers `Retry-After` to that end, and is whole again once the clock
/// passes it.
#[tokio::test]
async fn a_spent_budget_resets_when_the_consents_test_clock_passes_month_end() {
    let sb = Sandbox::start().await;
    let (t, consent) = token(&sb).await;
    let list = "/open-banking/accounts/v2/accounts";
    // A known point on the consent's clock: an hour before next month ends.
    let to_end = seconds_to_month_end();
    let ahead_s = to_end + 3600; // an hour into next month
    let next_end = seconds_to_month_end_after(ahead_s);
    let offset_s = ahead_s + next_end - 3600; // an hour before that month ends
    set_clock(&sb, &consent, offset_s * 1000).await;
    for n in 1..=4 {
        let (status, _, body) = get(&sb, &t, list).await;
        assert_eq!(status, StatusCode::OK, "call {n}: {body}");
    }
    let (status, retry_after, body) = get(&sb, &t, list).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let retry_after = retry_after.expect("Retry-After") as i64;
    assert!(
        (retry_after - 3600).abs() <= 5,
        "an hour left on the consent's clock, Retry-After {retry_after} s"
    );
    // Two hours on: a new month there, a whole budget.
    set_clock(&sb, &consent, (offset_s + 7200) * 1000).await;
    for n in 1..=4 {
        let (status, _, body) = get(&sb, &t, list).await;
        assert_eq!(status, StatusCode::OK, "new month, call {n}: {body}");
    }
    assert_eq!(get(&sb, &t, list).await.0, StatusCode::TOO_MANY_REQUESTS);
}
