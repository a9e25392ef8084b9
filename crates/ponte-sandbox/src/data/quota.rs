//! The banks' monthly operational limits (Open Finance Brasil "Limites
//! Operacionais"): each consent may call each endpoint so many times a
//! calendar month (Brasília time) per resource it names; past that the bank
//! answers `429` with the OFB error body and `Retry-After` until the month
//! ends. Pages after the first of one listing do not count, and neither do
//! calls the bank did not serve. The month is the consent's, on its test
//! clock (`/_test/consents/{id}/clock`) when Ponte's test clock moved it.
//!
//! The figures are the OFB table's (the same ones Ponte budgets with; see
//! `ponte-services`' `quota_limits` for the source). The sandbox depends on
//! no Ponte crate, so the table is written here again.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::ApiError;
use crate::errors::OfbError;
use crate::store::counter;
use crate::util::now_ms;
use crate::AppState;

/// Calls a month per consent and resource, by endpoint template.
const LIMITS: &[(&str, u32)] = &[
    ("/open-banking/customers/v2/personal/identifications", 4),
    ("/open-banking/customers/v2/personal/qualifications", 4),
    ("/open-banking/customers/v2/personal/financial-relations", 4),
    ("/open-banking/customers/v2/business/identifications", 4),
    ("/open-banking/customers/v2/business/qualifications", 4),
    ("/open-banking/customers/v2/business/financial-relations", 4),
    ("/open-banking/accounts/v2/accounts", 4),
    ("/open-banking/accounts/v2/accounts/{accountId}", 4),
    ("/open-banking/accounts/v2/accounts/{accountId}/balances", 420),
    ("/open-banking/accounts/v2/accounts/{accountId}/transactions", 4),
    ("/open-banking/accounts/v2/accounts/{accountId}/transactions-current", 240),
    ("/open-banking/accounts/v2/accounts/{accountId}/overdraft-limits", 420),
    ("/open-banking/credit-cards-accounts/v2/accounts", 4),
    ("/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}", 4),
    ("/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills", 30),
    (
        "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills/{billId}/transactions",
        30,
    ),
    ("/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/limits", 240),
    ("/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/transactions", 4),
];

/// Brasília time: UTC-3 all year since 2019.
const BRASILIA: UtcOffset = match UtcOffset::from_hms(-3, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

fn limit_of(endpoint: &str) -> Option<u32> {
    LIMITS.iter().find(|(e, _)| *e == endpoint).map(|(_, n)| *n)
}

/// (`YYYY-MM`, unix ms at which the next month begins) in Brasília time.
fn month_and_reset(ms: i64) -> (String, i64) {
    let t = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(BRASILIA);
    let (year, month) = match t.month() {
        Month::December => (t.year() + 1, Month::January),
        m => (t.year(), m.next()),
    };
    let reset = Date::from_calendar_date(year, month, 1)
        .map(|d| {
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_offset(BRASILIA)
                .unix_timestamp()
                * 1000
        })
        .unwrap_or(i64::MAX);
    (format!("{:04}-{:02}", t.year(), u8::from(t.month())), reset)
}

/// `…/{code}/open-banking/…` → (bank code, endpoint template, resource id).
fn classify(path: &str) -> Option<(&str, String, String)> {
    let at = path.find("/open-banking/")?;
    let code = path[..at].rsplit('/').next().filter(|c| !c.is_empty())?;
    let api = &path[at + 1..];
    let cards = api.contains("credit-cards-accounts/");
    let mut out = Vec::new();
    let mut resource = String::new();
    let mut id_name: Option<&str> = None;
    // `open-banking/{api}/{version}/…`: ids follow collections only after the version.
    for (i, segment) in api.split('/').enumerate() {
        if i < 3 {
            out.push(segment.to_string());
            continue;
        }
        if let Some(name) = id_name.take() {
            out.push(name.to_string());
            resource = segment.to_string();
            continue;
        }
        id_name = match segment {
            "accounts" if cards => Some("{creditCardAccountId}"),
            "accounts" => Some("{accountId}"),
            "bills" => Some("{billId}"),
            _ => None,
        };
        out.push(segment.to_string());
    }
    Some((code, format!("/{}", out.join("/")), resource))
}

fn first_page(query: Option<&str>) -> bool {
    !query.unwrap_or_default().split('&').any(|pair| {
        pair.split_once('=')
            .is_some_and(|(k, v)| k == "page" && v.parse::<u32>().is_ok_and(|n| n > 1))
    })
}

/// Middleware over the data APIs: refuses a call past the month's limit
/// and counts each one served. Calls it cannot tie to a consent (no or a bad
/// token) go on to the handler, which refuses them.
pub async fn enforce(State(st): State<crate::AppState>, req: Request, next: Next) -> Response {
    let Some((code, endpoint, resource)) = classify(req.uri().path()) else {
        return next.run(req).await;
    };
    let Some(limit) = limit_of(&endpoint) else {
        return next.run(req).await;
    };
    if !first_page(req.uri().query()) {
        return next.run(req).await;
    }
    let code = code.to_string();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let consent = match consent_of(&st, &code, bearer.as_deref()).await {
        Ok(Some(c)) => c,
        Ok(None) => return next.run(req).await,
        Err(e) => return e.into_response(),
    };
    // The month is the consent's, on its test clock (Ponte's sandbox test
    // clocks move it), so a spent budget resets when that clock passes month end.
    let now = match st.store.consent_clock_offset(&consent).await {
        Ok(offset) => now_ms() + offset,
        Err(e) => return ApiError(OfbError::internal(e)).into_response(),
    };
    let (month, resets_at) = month_and_reset(now);
    let key = format!("#quota:{month}:{endpoint}:{resource}");
    let used = match st.store.counter(&consent, &key).await {
        Ok(n) => n,
        Err(e) => return ApiError(OfbError::internal(e)).into_response(),
    };
    if used >= i64::from(limit) {
        if let Err(e) = st.store.count_call(&consent, counter::THROTTLED).await {
            return ApiError(OfbError::internal(e)).into_response();
        }
        return exhausted(&endpoint, limit, resets_at, now);
    }
    let resp = next.run(req).await;
    if resp.status().is_success() {
        if let Err(e) = st.store.count_call(&consent, &key).await {
            tracing::warn!(error = %e, "sandbox: could not count a call");
        }
    }
    resp
}

/// The consent behind the request's bearer token, if it names one.
async fn consent_of(
    st: &AppState,
    code: &str,
    bearer: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(raw) = bearer else {
        return Ok(None);
    };
    let token = st
        .store
        .token(code, "access", raw)
        .await
        .map_err(OfbError::internal)?;
    Ok(token.and_then(|t| t.consent_id))
}

/// 429 with the OFB error body and `Retry-After` (seconds) until the month
/// ends, on the consent's clock (`now_ms`).
fn exhausted(endpoint: &str, limit: u32, resets_at_ms: i64, now_ms: i64) -> Response {
    let detail = format!(
        "Limite operacional mensal de {limit} chamadas atingido para {endpoint} neste consentimento e recurso."
    );
    let mut resp = ApiError(OfbError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_REQUESTS",
        "Muitas requisições",
        &detail,
    ))
    .into_response();
    let secs = ((resets_at_ms - now_ms) / 1000).max(1);
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_templates_with_their_resource() {
        assert_eq!(
            classify("/itau/open-banking/accounts/v2/accounts/a1/transactions"),
            Some((
                "itau",
                "/open-banking/accounts/v2/accounts/{accountId}/transactions".to_string(),
                "a1".to_string()
            ))
        );
        let (_, e, r) = classify(
            "/nubank/open-banking/credit-cards-accounts/v2/accounts/c/bills/b/transactions",
        )
        .unwrap();
        assert_eq!(limit_of(&e), Some(30));
        assert_eq!(r, "b");
        assert_eq!(classify("/itau/customer/consents/x"), None);
        let (code, e, _) =
            classify("/sandbox/banks/itau/open-banking/accounts/v2/accounts").unwrap();
        assert_eq!(
            (code, e.as_str()),
            ("itau", "/open-banking/accounts/v2/accounts")
        );
        assert!(first_page(Some("page-size=1000&page=1")));
        assert!(!first_page(Some("page=3")));
    }

    #[test]
    fn the_month_ends_at_midnight_in_brasilia() {
        // 2026-12-01T02:59:59Z is still November there.
        let (m, reset) = month_and_reset(1_796_093_999_000);
        assert_eq!((m.as_str(), reset), ("2026-11", 1_796_094_000_000));
        assert_eq!(month_and_reset(1_796_094_000_000).0, "2026-12");
    }
}
