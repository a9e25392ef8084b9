//! Reading an institution's data APIs with the consent's tokens: pages joined
//! in order, transient failures retried with backoff, `429 Retry-After`
//! honoured, tokens refreshed when they expire.

use crate::open_finance::{BankTokens, ConnectError, OpenFinanceClient, OpenFinanceEndpoint};
use serde_json::Value;
use std::time::Duration;

const MAX_TRIES: u32 = 6;
const MAX_PAGES: u32 = 10_000;
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

pub struct DataSession<'a> {
    client: &'a OpenFinanceClient,
    ep: &'a OpenFinanceEndpoint,
    tokens: BankTokens,
    refreshed: bool,
    now_ms: fn() -> i64,
}

fn system_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl<'a> DataSession<'a> {
    pub fn new(
        client: &'a OpenFinanceClient,
        ep: &'a OpenFinanceEndpoint,
        tokens: BankTokens,
    ) -> Self {
        Self {
            client,
            ep,
            tokens,
            refreshed: false,
            now_ms: system_now_ms,
        }
    }

    /// The tokens, if they changed since the session began: the caller must
    /// store them, since institutions rotate refresh tokens.
    pub fn refreshed_tokens(&self) -> Option<&BankTokens> {
        self.refreshed.then_some(&self.tokens)
    }

    async fn refresh(&mut self) -> Result<(), ConnectError> {
        let refresh = self.tokens.refresh_token.clone().ok_or_else(|| {
            ConnectError::Refused("the access token expired and there is no refresh token".into())
        })?;
        self.tokens = self
            .client
            .refresh(self.ep, &refresh, (self.now_ms)())
            .await?;
        self.refreshed = true;
        Ok(())
    }

    /// One GET of `url`, retried as the error calls for.
    pub async fn get(&mut self, url: &str) -> Result<Value, ConnectError> {
        let mut refreshed_for_401 = false;
        let mut last = None;
        for attempt in 0..MAX_TRIES {
            if self.tokens.expires_at <= (self.now_ms)() + 10_000 {
                self.refresh().await?;
            }
            let sent = self
                .client
                .http()
                .get(url)
                .bearer_auth(&self.tokens.access_token)
                .header("x-fapi-interaction-id", uuid::Uuid::new_v4().to_string())
                .header("accept", "application/json")
                .send()
                .await;
            let backoff = Duration::from_millis(100 * 2u64.pow(attempt));
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    tracing::debug!(url, attempt, error = %e, "transport error; retrying");
                    last = Some(ConnectError::Transport(e));
                    tokio::time::sleep(backoff).await;
                    continue;
                }
            };
            let status = resp.status().as_u16();
            match status {
                200..=299 => {
                    return resp
                        .json()
                        .await
                        .map_err(|e| ConnectError::Protocol(format!("{url}: {e}")));
                }
                401 if !refreshed_for_401 && self.tokens.refresh_token.is_some() => {
                    refreshed_for_401 = true;
                    self.refresh().await?;
                }
                429 => {
                    let wait = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs)
                        .unwrap_or(backoff)
                        .min(MAX_RETRY_AFTER);
                    tracing::debug!(url, ?wait, "rate limited by the institution");
                    last = Some(ConnectError::Unavailable(format!("429 from {url}")));
                    tokio::time::sleep(wait).await;
                }
                500..=599 => {
                    tracing::debug!(url, status, attempt, "institution error; retrying");
                    last = Some(ConnectError::Unavailable(format!("{status} from {url}")));
                    tokio::time::sleep(backoff).await;
                }
                _ => {
                    let body: String = resp
                        .text()
                        .await
                        .unwrap_or_default()
                        .chars()
                        .take(300)
                        .collect();
                    return Err(ConnectError::Refused(format!(
                        "{status} from {url}: {body}"
                    )));
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
        let mut url = url::Url::parse(&format!("{}{path}", self.ep.api_base))
            .map_err(|e| ConnectError::Protocol(format!("{path}: {e}")))?;
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
            .append_pair("page-size", "1000")
            .append_pair("page", "1");
        let mut items = Vec::new();
        for page in 1..=MAX_PAGES {
            let body = self.get(url.as_str()).await?;
            match body.get("data") {
                Some(Value::Array(list)) => items.extend(list.iter().cloned()),
                Some(other) => items.push(other.clone()),
                None => {
                    return Err(ConnectError::Protocol(format!(
                        "{path}: answer without data"
                    )))
                }
            }
            // Open Finance pages by `links.next` (transactions carry no page
            // count); `meta.totalPages` is the fallback.
            if let Some(next) = body["links"]["next"].as_str().filter(|n| !n.is_empty()) {
                let next = url
                    .join(next)
                    .map_err(|e| ConnectError::Protocol(format!("{path}: links.next: {e}")))?;
                if next == url {
                    return Err(ConnectError::Protocol(format!(
                        "{path}: links.next points at the same page"
                    )));
                }
                url = next;
                continue;
            }
            let total_pages = body["meta"]["totalPages"].as_u64().unwrap_or(1);
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
        Ok(items)
    }

    /// The `data` of a single (non-paginated) resource.
    pub async fn get_data(&mut self, path: &str) -> Result<Value, ConnectError> {
        let body = self.get(&format!("{}{path}", self.ep.api_base)).await?;
        body.get("data")
            .cloned()
            .ok_or_else(|| ConnectError::Protocol(format!("{path}: answer without data")))
    }
}
