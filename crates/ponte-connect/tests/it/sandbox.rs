//! The connector against a live sandbox bank over HTTP: token refresh (on 401, ahead of
//! expiry, and when a sibling session already rotated the refresh token), `429` with
//! `Retry-After`, and a consent the customer revoked in their bank.

use crate::support;
use ponte_connect::products::{self, Window};
use ponte_connect::session::BoxFuture;
use ponte_connect::{
    BankTokens, ConnectError, DataSession, OpenFinanceClient, OpenFinanceEndpoint, TokenStore,
};
use ponte_core::Product;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::approve_at_bank;

const BANK: &str = "itau";
const REDIRECT: &str = "http://127.0.0.1:9/callback";
const CPF: &str = "76109277673";

struct Bank {
    ep: OpenFinanceEndpoint,
    http: reqwest::Client,
    origin: String,
    _dir: tempfile::TempDir,
}

async fn bank() -> Bank {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let base = format!("{origin}/sandbox/banks");
    let config = ponte_sandbox::SandboxConfig {
        base_url: base.clone(),
        database_url: format!("sqlite://{}?mode=rwc", dir.path().join("sb.db").display()),
        clients: vec![ponte_sandbox::SandboxClient {
            client_id: "ponte".into(),
            client_secret: "s3cret".into(),
            redirect_uris: vec![REDIRECT.into()],
            ..Default::default()
        }],
        ..Default::default()
    };
    let app = axum::Router::new().nest(
        "/sandbox/banks",
        ponte_sandbox::router(config).await.unwrap(),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let issuer = format!("{base}/{BANK}");
    Bank {
        ep: OpenFinanceEndpoint::legacy(issuer.clone(), issuer, "ponte", "s3cret", REDIRECT),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        origin,
        _dir: dir,
    }
}

impl Bank {
    /// A consent for the accounts product, approved by `user` as a person would
    /// in the browser: (the bank's consent id, tokens).
    async fn consent(&self, client: &OpenFinanceClient, user: &str) -> (String, BankTokens) {
        let permissions: Vec<String> = [
            "RESOURCES_READ",
            "ACCOUNTS_READ",
            "ACCOUNTS_BALANCES_READ",
            "ACCOUNTS_TRANSACTIONS_READ",
            "ACCOUNTS_OVERDRAFT_LIMITS_READ",
        ]
        .map(String::from)
        .to_vec();
        let expiry = (time::OffsetDateTime::now_utc() + time::Duration::days(90))
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .unwrap();
        let started = client
            .start_authorisation(&self.ep, CPF, None, &permissions, &expiry, None)
            .await
            .unwrap();
        let location =
            approve_at_bank(&self.http, &self.origin, &started.authorization_url, user).await;
        let url = url::Url::parse(&location).unwrap();
        let code = url
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no code in {location}"));
        let tokens = client
            .exchange_code(&self.ep, &code, &started.pkce_verifier, now_ms())
            .await
            .unwrap();
        (started.bank_consent_id, tokens)
    }

    /// The customer's view of the consent in the bank: its activity counters.
    async fn activity(&self, consent: &str, user: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/customer/consents/{consent}", self.ep.issuer))
            .basic_auth(user, Some("pass_good"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["activity"].clone()
    }

    async fn revoke_as_customer(&self, consent: &str, user: &str) {
        let r = self
            .http
            .post(format!(
                "{}/customer/consents/{consent}/revoke",
                self.ep.issuer
            ))
            .basic_auth(user, Some("pass_good"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
}

fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp() * 1000
}

/// Tokens kept in memory, as Ponte keeps them in its database.
#[derive(Default)]
struct Stored {
    tokens: Mutex<Option<BankTokens>>,
    saves: Mutex<usize>,
}

impl TokenStore for Stored {
    fn save<'s>(&'s self, tokens: &'s BankTokens) -> BoxFuture<'s, ()> {
        *self.tokens.lock().unwrap() = Some(tokens.clone());
        *self.saves.lock().unwrap() += 1;
        Box::pin(async {})
    }

    fn load(&self) -> BoxFuture<'_, Option<BankTokens>> {
        let t = self.tokens.lock().unwrap().clone();
        Box::pin(async move { t })
    }
}

async fn accounts(s: &mut DataSession<'_>) -> Result<Value, ConnectError> {
    let raw = products::fetch(s, Product::Accounts, false, &Window::ending(now_ms())).await?;
    Ok(serde_json::from_str(raw.get()).expect("the report is JSON"))
}

fn transactions(data: &Value) -> usize {
    data["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["transactions"].as_array().unwrap().len())
        .sum()
}

#[tokio::test]
async fn tokens_that_die_early_are_refreshed_and_each_rotation_is_saved() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().expect("http client");
    let (consent, tokens) = bank.consent(&client, "user_expiring").await;
    let store = Stored::default();
    *store.tokens.lock().unwrap() = Some(tokens.clone());
    let mut s =
        DataSession::new(&client, &bank.ep, &consent, tokens.clone()).with_token_store(&store);
    let data = accounts(&mut s).await.expect("retrieved despite the 401s");
    assert!(transactions(&data) > 100);

    let activity = bank.activity(&consent, "user_expiring").await;
    let refreshes = activity["tokenRefreshes"].as_u64().unwrap();
    // Nine calls (the list, then four per account), three per token.
    assert!(refreshes >= 2, "{activity}");
    assert_eq!(*store.saves.lock().unwrap() as u64, refreshes);
    let latest = store.tokens.lock().unwrap().clone().unwrap();
    assert_ne!(latest.refresh_token, tokens.refresh_token, "rotated");
    assert_eq!(s.refreshed_tokens(), Some(&latest));

    // The saved pair carries on where this session stopped; the first one is spent.
    let mut next = DataSession::new(&client, &bank.ep, &consent, latest);
    accounts(&mut next)
        .await
        .expect("the saved tokens still work");
    let mut stale = DataSession::new(&client, &bank.ep, &consent, tokens);
    match accounts(&mut stale).await {
        Err(ConnectError::TokensRefused(_)) => {}
        other => panic!("spent tokens must be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn tokens_about_to_expire_are_refreshed_before_use() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().expect("http client");
    let (consent, mut tokens) = bank.consent(&client, "user_good").await;
    tokens.expires_at = now_ms() + 5_000;
    let mut s = DataSession::new(&client, &bank.ep, &consent, tokens.clone());
    s.get(&format!(
        "{}/open-banking/accounts/v2/accounts",
        bank.ep.api_base
    ))
    .await
    .unwrap();
    let fresh = s.refreshed_tokens().expect("refreshed ahead of expiry");
    assert!(fresh.expires_at > now_ms() + 60_000);
    assert_ne!(fresh.refresh_token, tokens.refresh_token);
    assert_eq!(
        bank.activity(&consent, "user_good").await["tokenRefreshes"],
        1
    );
}

#[tokio::test]
async fn sessions_sharing_a_consent_take_over_each_others_rotations() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().expect("http client");
    let (consent, tokens) = bank.consent(&client, "user_expiring").await;
    let store = Arc::new(Stored::default());
    *store.tokens.lock().unwrap() = Some(tokens.clone());
    let run = || {
        let (client, ep, consent, tokens, store) = (
            client.clone(),
            bank.ep.clone(),
            consent.clone(),
            tokens.clone(),
            store.clone(),
        );
        async move {
            let mut s =
                DataSession::new(&client, &ep, consent, tokens).with_token_store(store.as_ref());
            accounts(&mut s).await.map(|d| transactions(&d))
        }
    };
    let (a, b) = tokio::join!(run(), run());
    let (a, b) = (a.expect("first session"), b.expect("second session"));
    assert_eq!(a, b);
    let refreshes = bank.activity(&consent, "user_expiring").await["tokenRefreshes"]
        .as_u64()
        .unwrap();
    assert_eq!(*store.saves.lock().unwrap() as u64, refreshes);
}

#[tokio::test]
async fn a_throttled_session_waits_as_told_and_gets_everything() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().expect("http client");
    let (consent, tokens) = bank.consent(&client, "user_throttled").await;
    let (good_consent, good) = bank.consent(&client, "user_good").await;
    let started = Instant::now();
    let mut s = DataSession::new(&client, &bank.ep, &consent, tokens);
    let data = accounts(&mut s).await.expect("retrieved despite the 429s");
    // The account list, then each account, its balances, overdraft limits and
    // transactions: five resources, each throttled once with `Retry-After: 1`.
    let throttled = bank.activity(&consent, "user_throttled").await["throttledCalls"]
        .as_u64()
        .unwrap();
    assert_eq!(throttled, 5);
    assert!(started.elapsed() >= Duration::from_secs(throttled));
    assert!(s.refreshed_tokens().is_none());

    // The same data as an unthrottled user's retrieval would have, in shape.
    let mut g = DataSession::new(&client, &bank.ep, good_consent, good);
    let plain = accounts(&mut g).await.unwrap();
    assert_eq!(
        data["accounts"].as_array().unwrap().len(),
        plain["accounts"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn a_consent_revoked_by_the_customer_is_reported_as_such() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().expect("http client");
    let (consent, tokens) = bank.consent(&client, "user_good").await;
    let url = format!("{}/open-banking/accounts/v2/accounts", bank.ep.api_base);
    let mut s = DataSession::new(&client, &bank.ep, &consent, tokens);
    s.get(&url).await.unwrap();

    // A permission the consent lacks is a refusal, not a revocation.
    let cards = format!(
        "{}/open-banking/credit-cards-accounts/v2/accounts",
        bank.ep.api_base
    );
    match s.get(&cards).await {
        Err(ConnectError::Refused(why)) => assert!(why.starts_with("403"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    bank.revoke_as_customer(&consent, "user_good").await;
    match s.get(&url).await {
        Err(ConnectError::ConsentRevoked(reason)) => {
            assert_eq!(reason, "CUSTOMER_MANUALLY_REVOKED")
        }
        other => panic!("expected ConsentRevoked, got {other:?}"),
    }
}

fn ofb_in_days(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

#[tokio::test]
async fn a_consent_is_renewed_without_redirect_and_its_history_read_back() {
    use ponte_connect::{EndUser, Renewal, RenewalOutcome};
    let bank = bank().await;
    let client = OpenFinanceClient::new().unwrap();
    let (consent, tokens) = bank.consent(&client, "user_good").await;
    let user = EndUser {
        auth_date: None,
        ip_address: Some("198.51.100.4".into()),
        user_agent: Some("integration-test/1.0".into()),
    };
    let later = ofb_in_days(180);
    let renewal = Renewal {
        person_document: CPF,
        business_document: None,
        expiration: Some(&later),
    };

    // Without the end user's headers the connector does not even ask.
    let err = client
        .extend(
            &bank.ep,
            &consent,
            &tokens.access_token,
            &renewal,
            &EndUser::default(),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("x-fapi-customer-ip-address"),
        "{err}"
    );

    let renewed = client
        .extend(&bank.ep, &consent, &tokens.access_token, &renewal, &user)
        .await
        .unwrap();
    assert_eq!(
        renewed,
        RenewalOutcome::Renewed {
            status: "AUTHORISED".into(),
            expiration: Some(later.clone()),
        }
    );
    // An earlier date is the institution's business refusal, with its code.
    let earlier = ofb_in_days(100);
    let refused = client
        .extend(
            &bank.ep,
            &consent,
            &tokens.access_token,
            &Renewal {
                expiration: Some(&earlier),
                ..renewal.clone()
            },
            &user,
        )
        .await
        .unwrap();
    assert!(
        matches!(&refused, RenewalOutcome::Refused { code, .. } if code == "DATA_EXPIRACAO_INVALIDA"),
        "{refused:?}"
    );

    let history = client.extensions(&bank.ep, &consent).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].expiration.as_deref(), Some(later.as_str()));
    assert_eq!(history[0].logged_user_document.as_deref(), Some(CPF));
    assert!(history[0].previous_expiration.is_some());
}

#[tokio::test]
async fn a_report_streamed_into_a_writer_is_counted_as_it_goes_and_a_failing_writer_fails_it() {
    let bank = bank().await;
    let client = OpenFinanceClient::new().unwrap();
    let (consent, tokens) = bank.consent(&client, "user_good").await;
    let window = Window::ending(now_ms());
    let mut s = DataSession::new(&client, &bank.ep, &consent, tokens);
    let whole = products::fetch(&mut s, Product::Accounts, false, &window)
        .await
        .unwrap();
    let mut streamed = Vec::new();
    let counts = products::fetch_into(&mut s, Product::Accounts, false, &window, &mut streamed)
        .await
        .unwrap();
    // The same text, but for the balances' "as of now" stamps: the two reads
    // may straddle a second.
    assert_eq!(
        without_update_times(&String::from_utf8_lossy(&streamed)),
        without_update_times(whole.get())
    );
    let data: Value = serde_json::from_slice(&streamed).unwrap();
    assert_eq!(counts.records, data["accounts"].as_array().unwrap().len());
    assert_eq!(counts.transactions, transactions(&data));
    assert!(counts.transactions > 100, "{counts:?}");
    assert_eq!(
        counts.summary(Product::Accounts),
        json!({"accounts": counts.records, "transactions": counts.transactions})
    );

    // A writer that fails fails the fetch, naming it; nothing is taken for a report.
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    match products::fetch_into(&mut s, Product::Accounts, false, &window, &mut Full).await {
        Err(ConnectError::Protocol(why)) => assert!(why.contains("disk full"), "{why}"),
        other => panic!("expected the write's failure, got {other:?}"),
    }
}

/// `text` with every `"updateDateTime":"…"` value emptied.
fn without_update_times(text: &str) -> String {
    const KEY: &str = "\"updateDateTime\":\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        out.push_str(&rest[..at + KEY.len()]);
        rest = &rest[at + KEY.len()..];
        rest = rest.find('"').map_or("", |end| &rest[end..]);
    }
    out.push_str(rest);
    out
}
