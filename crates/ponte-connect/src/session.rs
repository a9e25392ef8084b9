//! Reading an institution's data APIs with the consent's tokens: pages joined
//! in order, transient failures retried with backoff, `429 Retry-After`
//! honoured, tokens refreshed when they expire or are refused, and a consent
//! the customer revoked at the institution told apart from other refusals.

use crate::bounds::{redirect_not_followed, unreadable};
use crate::headers::{self, EndUser};
use crate::observe::{self, CallObserver, CallRecord};
use crate::open_finance::{BankTokens, ConnectError, OpenFinanceClient, OpenFinanceEndpoint};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

const MAX_TRIES: u32 = 6;
const MAX_PAGES: u32 = 10_000;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Token renewals one GET may make: tokens taken over from another session may
/// themselves be about to die.
const MAX_RENEWALS: u32 = 3;
/// How long a session whose refresh token was refused waits for a sibling's
/// rotation to be saved.
const SIBLING_WAITS: u32 = 10;
const SIBLING_WAIT: Duration = Duration::from_millis(100);
/// Tokens this close to their expiry are renewed before use.
const EXPIRY_MARGIN_MS: i64 = 10_000;

/// Waits before the next attempt. After the last there is none: the error
/// goes back at once, not after a backoff (up to `MAX_RETRY_AFTER`) that
/// would only hold the worker.
async fn pause_unless_last(attempt: u32, wait: Duration) {
    if attempt + 1 < MAX_TRIES {
        tokio::time::sleep(wait).await;
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a consent's tokens live between sessions. Institutions rotate refresh
/// tokens and honour each one once, so a session that refreshes saves the new
/// pair at once, and a session whose refresh token is refused looks here for
/// the pair another session of the same consent (a sibling job) rotated to.
pub trait TokenStore: Send + Sync {
    /// Keeps the tokens the session just obtained.
    fn save<'s>(&'s self, tokens: &'s BankTokens) -> BoxFuture<'s, ()>;
    /// The tokens stored now, if the consent still has any.
    fn load(&self) -> BoxFuture<'_, Option<BankTokens>>;
}

pub struct DataSession<'a> {
    client: &'a OpenFinanceClient,
    ep: &'a OpenFinanceEndpoint,
    bank_consent_id: String,
    tokens: BankTokens,
    refreshed: bool,
    store: Option<&'a dyn TokenStore>,
    now_ms: fn() -> i64,
    end_user: Option<EndUser>,
    observer: Option<&'a dyn CallObserver>,
}

fn system_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl<'a> DataSession<'a> {
    /// A session on the consent `bank_consent_id` (the institution's id, which
    /// its consents API answers for) with its current tokens.
    pub fn new(
        client: &'a OpenFinanceClient,
        ep: &'a OpenFinanceEndpoint,
        bank_consent_id: impl Into<String>,
        tokens: BankTokens,
    ) -> Self {
        Self {
            client,
            ep,
            bank_consent_id: bank_consent_id.into(),
            tokens,
            refreshed: false,
            store: None,
            now_ms: system_now_ms,
            end_user: None,
            observer: None,
        }
    }

    /// Saves every refresh to `store` as it happens and picks up tokens other
    /// sessions saved there.
    pub fn with_token_store(mut self, store: &'a dyn TokenStore) -> Self {
        self.store = Some(store);
        self
    }

    /// Reports every call to `observer`, which may refuse a counted call
    /// before it is sent (the operational limit is spent).
    pub fn with_observer(mut self, observer: &'a dyn CallObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Sends the end user's FAPI headers with every call (they are present).
    pub fn with_end_user(mut self, user: EndUser) -> Self {
        self.end_user = Some(user);
        self
    }

    /// The resources the consent covers (OFB resources API), every page.
    pub async fn resources(&mut self) -> Result<Vec<Value>, ConnectError> {
        self.get_all("/open-banking/resources/v3/resources", &[])
            .await
    }

    /// The tokens, if this session refreshed them: without a [`TokenStore`] the
    /// caller must store them, since institutions rotate refresh tokens.
    pub fn refreshed_tokens(&self) -> Option<&BankTokens> {
        self.refreshed.then_some(&self.tokens)
    }

    /// Fresh tokens: a refresh or, when the institution refuses our refresh
    /// token, the pair a sibling session stored after rotating it. Fails with
    /// `ConsentRevoked` when the institution no longer authorises the consent.
    async fn renew(&mut self) -> Result<(), ConnectError> {
        let Some(refresh) = self.tokens.refresh_token.clone() else {
            if self.adopt_stored().await {
                return Ok(());
            }
            let why = "the access token expired and there is no refresh token";
            return Err(self.unless_revoked(ConnectError::Refused(why.into())).await);
        };
        match self
            .client
            .refresh(self.ep, &refresh, (self.now_ms)())
            .await
        {
            Ok(tokens) => {
                self.tokens = tokens;
                self.refreshed = true;
                if let Some(store) = self.store {
                    store.save(&self.tokens).await;
                }
                Ok(())
            }
            Err(ConnectError::InvalidGrant(why)) => {
                if self.adopt_stored().await {
                    return Ok(());
                }
                let refused = ConnectError::TokensRefused(format!("refresh token refused: {why}"));
                let err = self.unless_revoked(refused).await;
                if matches!(err, ConnectError::ConsentRevoked(_)) || self.store.is_none() {
                    return Err(err);
                }
                // The consent stands, so a sibling session most likely won the race to
                // the same refresh token and is about to save the pair it got.
                for _ in 0..SIBLING_WAITS {
                    tokio::time::sleep(SIBLING_WAIT).await;
                    if self.adopt_stored().await {
                        return Ok(());
                    }
                }
                Err(err)
            }
            Err(e) => Err(e),
        }
    }

    /// Takes the stored tokens if another session replaced the ones we hold.
    async fn adopt_stored(&mut self) -> bool {
        let Some(store) = self.store else {
            return false;
        };
        match store.load().await {
            Some(stored) if stored != self.tokens => {
                tracing::debug!("taking over tokens another session rotated");
                self.tokens = stored;
                true
            }
            _ => false,
        }
    }

    /// The institution refused the consent's tokens: `ConsentRevoked` when its
    /// consents API says the consent is `REJECTED`, `otherwise` when it still
    /// stands or cannot be read.
    async fn unless_revoked(&self, otherwise: ConnectError) -> ConnectError {
        match self
            .client
            .consent_status(self.ep, &self.bank_consent_id)
            .await
        {
            Ok((status, reason)) if status == "REJECTED" => {
                ConnectError::ConsentRevoked(reason.unwrap_or(status))
            }
            Ok(_) => otherwise,
            Err(e) => {
                tracing::debug!(error = %e, "could not read the consent's status at the institution");
                otherwise
            }
        }
    }

    /// One GET of `url`, retried as the error calls for.
    pub async fn get(&mut self, url: &str) -> Result<Value, ConnectError> {
        self.get_as(url).await
    }

    /// One GET of `url` read as `T`, retried as the error calls for.
    async fn get_as<T: DeserializeOwned>(&mut self, url: &str) -> Result<T, ConnectError> {
        let mut renewals = 0;
        let mut last = None;
        let parsed = url::Url::parse(url).ok();
        let (endpoint, resource) = parsed
            .as_ref()
            .map(|u| observe::endpoint_of(u.path()))
            .unwrap_or_default();
        let counted = parsed.as_ref().is_some_and(observe::counted);
        for attempt in 0..MAX_TRIES {
            if self.tokens.expires_at <= (self.now_ms)() + EXPIRY_MARGIN_MS
                && renewals < MAX_RENEWALS
            {
                renewals += 1;
                self.renew().await?;
            }
            if let (Some(observer), true) = (self.observer, counted) {
                observer.permit(&endpoint, &resource).map_err(|reason| {
                    ConnectError::QuotaExhausted {
                        endpoint: endpoint.clone(),
                        reason,
                    }
                })?;
            }
            let request = self
                .client
                .http_for(self.ep)
                .get(url)
                .bearer_auth(&self.tokens.access_token)
                .header("accept", "application/json");
            let started_at_ms = (self.now_ms)();
            let clock = std::time::Instant::now();
            let sent = headers::send_raw(request, self.end_user.as_ref()).await;
            if let Some(observer) = self.observer {
                let (status, interaction_id) = match &sent {
                    Ok((r, id)) => (Some(r.status().as_u16()), id.clone()),
                    Err(_) => (None, String::new()),
                };
                observer.record(CallRecord {
                    endpoint: endpoint.clone(),
                    resource: resource.clone(),
                    counted,
                    status,
                    latency_ms: clock.elapsed().as_millis() as u64,
                    interaction_id,
                    started_at_ms,
                });
            }
            let backoff = Duration::from_millis(100 * 2u64.pow(attempt));
            let resp = match sent {
                Ok((r, id)) => {
                    headers::check_echo(&r, &id)?;
                    r
                }
                Err(e) => {
                    tracing::debug!(url, attempt, error = %e, "transport error; retrying");
                    last = Some(ConnectError::Transport(e));
                    pause_unless_last(attempt, backoff).await;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            match status {
                200..=299 => {
                    return resp.json().await.map_err(|e| unreadable(url, e));
                }
                401 if renewals < MAX_RENEWALS => {
                    tracing::debug!(url, "access token refused; renewing");
                    renewals += 1;
                    self.renew().await?;
                }
                401 => {
                    let refused = ConnectError::TokensRefused(format!(
                        "401 from {url} even with renewed tokens"
                    ));
                    return Err(self.unless_revoked(refused).await);
                }
                // 529 is OFB's "site is overloaded"; both may say when to come back.
                429 | 529 => {
                    let asked = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    // Waiting longer would only hold the worker (a spent monthly
                    // limit says "weeks"): the error says when, and the caller's
                    // job retries on its own schedule.
                    if let Some(asked) = asked.filter(|a| *a > MAX_RETRY_AFTER) {
                        return Err(ConnectError::Unavailable(format!(
                            "{status} from {url}: retry after {} s",
                            asked.as_secs()
                        )));
                    }
                    let wait = asked.unwrap_or(backoff);
                    tracing::debug!(url, status, ?wait, "rate limited by the institution");
                    last = Some(ConnectError::Unavailable(format!("{status} from {url}")));
                    pause_unless_last(attempt, wait).await;
                }
                500..=599 => {
                    tracing::debug!(url, status, attempt, "institution error; retrying");
                    last = Some(ConnectError::Unavailable(format!("{status} from {url}")));
                    pause_unless_last(attempt, backoff).await;
                }
                300..=399 => {
                    return Err(ConnectError::Refused(redirect_not_followed(&resp)));
                }
                _ => {
                    let body: String = resp
                        .text()
                        .await
                        .unwrap_or_default()
                        .chars()
                        .take(300)
                        .collect();
                    let refused = ConnectError::Refused(format!("{status} from {url}: {body}"));
                    // A 403 may mean the consent behind the token is gone.
                    return Err(if status == 403 {
                        self.unless_revoked(refused).await
                    } else {
                        refused
                    });
                }
            }
        }
        Err(last.unwrap_or_else(|| ConnectError::Unavailable(format!("no answer from {url}"))))
    }

    /// Every page of a paginated resource, `data` items joined in order.
    pub async fn get_all(
        &mut self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<Value>, ConnectError> {
        let mut items = Vec::new();
        let mut bad = None;
        self.for_each_item(
            path,
            query,
            &mut |item| match serde_json::from_str(item.get()) {
                Ok(v) => items.push(v),
                Err(e) => bad = Some(ConnectError::Protocol(format!("{path}: {e}"))),
            },
        )
        .await?;
        bad.map_or(Ok(items), Err)
    }

    /// Every item of a paginated resource, in order, handed to `each` as
    /// the institution's JSON text, one page in memory at a time.
    pub async fn for_each_item(
        &mut self,
        path: &str,
        query: &[(&str, String)],
        each: &mut (dyn FnMut(&RawValue) + Send),
    ) -> Result<(), ConnectError> {
        let mut url = url::Url::parse(&format!("{}{path}", self.ep.api_root()))
            .map_err(|e| ConnectError::Protocol(format!("{path}: {e}")))?;
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
            .append_pair("page-size", "1000")
            .append_pair("page", "1");
        // `links.next` is followed only on the API's own origin: the request
        // carries the bearer token and the client certificate.
        let origin = url.origin();
        for page in 1..=MAX_PAGES {
            let body: Page = self.get_as(url.as_str()).await?;
            let data = body
                .data
                .ok_or_else(|| ConnectError::Protocol(format!("{path}: answer without data")))?;
            if data.get().starts_with('[') {
                let list: Vec<&RawValue> = serde_json::from_str(data.get())
                    .map_err(|e| ConnectError::Protocol(format!("{path}: {e}")))?;
                list.into_iter().for_each(&mut *each);
            } else {
                each(&data);
            }
            // Open Finance pages by `links.next` (transactions carry no page
            // count); `meta.totalPages` is the fallback.
            let next = body
                .links
                .and_then(|l| l.next)
                .and_then(|n| n.as_str().map(str::to_string))
                .filter(|n| !n.is_empty());
            if let Some(next) = next {
                let next = url
                    .join(&next)
                    .map_err(|e| ConnectError::Protocol(format!("{path}: links.next: {e}")))?;
                if next.origin() != origin {
                    return Err(ConnectError::Protocol(format!(
                        "{path}: links.next {next} is not on the API's origin"
                    )));
                }
                if next == url {
                    return Err(ConnectError::Protocol(format!(
                        "{path}: links.next points at the same page"
                    )));
                }
                url = next;
                continue;
            }
            let total_pages = body
                .meta
                .and_then(|m| m.total_pages)
                .and_then(|t| t.as_u64())
                .unwrap_or(1);
            if u64::from(page) >= total_pages {
                break;
            }
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .chain([("page".to_string(), (page + 1).to_string())])
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        Ok(())
    }

    /// The `data` of a single (non-paginated) resource.
    pub async fn get_data(&mut self, path: &str) -> Result<Value, ConnectError> {
        let body = self.get(&format!("{}{path}", self.ep.api_root())).await?;
        body.get("data")
            .cloned()
            .ok_or_else(|| ConnectError::Protocol(format!("{path}: answer without data")))
    }
}

/// One page of an Open Finance list, its items left unparsed.
#[derive(Deserialize)]
struct Page {
    data: Option<Box<RawValue>>,
    links: Option<PageLinks>,
    meta: Option<PageMeta>,
}

/// Paging members are read as values: an odd one reads as absent.
#[derive(Deserialize)]
struct PageLinks {
    next: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageMeta {
    total_pages: Option<Value>,
}
