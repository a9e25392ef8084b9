//! Fresh reports for auto-delivery: a client that asked for reports without
//! requesting them also gets new ones when a refresh finds new or changed
//! transactions, through the same report path (a request, its retrieval jobs,
//! `REPORT_READY` in each dialect's shape).
//!
//! What "fresh" means here:
//! - only after a refresh that recorded changes: nothing new, nothing sent;
//!   the first pull sends none (authorisation's auto-delivery just did);
//! - only the products the refresh concerns, among those the link asked for:
//!   the changed accounts and cards, and insights when the accounts changed
//!   (they are computed from them); registration, loans and investments do
//!   not change with a transaction and would spend calls for nothing;
//! - within the budget: a product goes only if each endpoint it calls keeps
//!   the calls left for on-demand requests (`SCHEDULED_RESERVE`), so with the
//!   OFB limits (accounts `/transactions` 4 a month) the reports stop before
//!   an integrator's own request would meet `QUOTA_EXHAUSTED`; the cursor and
//!   its webhook still carry every change;
//! - once per refresh: the request is written in the transaction that
//!   records the changes, so a crash leaves both or neither, and a job run
//!   again finds nothing new to diff and requests nothing.

use crate::error::Result;
use crate::services::consent_products;
use crate::services::quota;
use crate::services::retrieval::{self, Kind};
use crate::services::sync_items::SCHEDULED_RESERVE;
use crate::App;
use ponte_core::{ClientId, Product};
use ponte_store::{Conn, ConsentRow};
use std::collections::HashMap;

/// The products a refresh's fresh report covers: `changed` are the synced
/// products the refresh recorded changes for. Empty when the client has no
/// auto-delivery or nothing fits the budget.
pub(crate) async fn plan(
    app: &App,
    consent: &ConsentRow,
    changed: &[Product],
    first: bool,
) -> Result<Vec<Product>> {
    if first || changed.is_empty() {
        return Ok(Vec::new());
    }
    let auto = {
        let mut conn = app.store.read().await?;
        ponte_store::client_by_id(&mut conn, &consent.client_id)
            .await?
            .is_some_and(|c| c.auto_delivery)
    };
    if !auto {
        return Ok(Vec::new());
    }
    let allowed = consent_products::allowed_products(
        &consent_products::consent_permissions(consent),
        consent.business,
    );
    let remaining: HashMap<String, u32> = quota::usage(app, consent)
        .await?
        .into_iter()
        .map(|q| (q.endpoint, q.remaining))
        .collect();
    let wanted = wanted(changed, &allowed);
    let calls = |p: Product| {
        app.config
            .quota_limits
            .endpoints_of(p, consent.business)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    };
    let (fits, left_out) = within_budget(&wanted, calls, remaining);
    for p in &left_out {
        metrics::counter!("ponte_fresh_reports_skipped_total", "product" => p.as_str())
            .increment(1);
        tracing::info!(consent_id = %consent.id, product = %p, "fresh report left out: it would spend the calls kept for requests this month");
    }
    Ok(fits)
}

/// The changed synced products the link asked for (those with a
/// transaction listing), then each product derived from one of them
/// (insights from accounts) when it was asked for.
fn wanted(changed: &[Product], allowed: &[Product]) -> Vec<Product> {
    let synced = |p: &Product| ponte_connect::products::transaction_listing(*p).is_some();
    let mut out: Vec<Product> = Product::ALL
        .into_iter()
        .filter(|p| synced(p) && changed.contains(p) && allowed.contains(p))
        .collect();
    let derived: Vec<Product> = Product::ALL
        .into_iter()
        .filter(|p| p.derived_from().is_some_and(|source| out.contains(&source)))
        .filter(|p| allowed.contains(p))
        .collect();
    out.extend(derived);
    out
}

/// Splits `wanted` (in order) into the products whose calls fit, each
/// endpoint keeping `SCHEDULED_RESERVE` calls, and those left out.
/// `remaining` holds only limited endpoints: another one is unlimited.
fn within_budget(
    wanted: &[Product],
    calls: impl Fn(Product) -> Vec<String>,
    mut remaining: HashMap<String, u32>,
) -> (Vec<Product>, Vec<Product>) {
    let (mut fits, mut left_out) = (Vec::new(), Vec::new());
    for &p in wanted {
        let endpoints = calls(p);
        let affordable = endpoints.iter().all(|e| {
            remaining
                .get(e)
                .is_none_or(|&left| left > SCHEDULED_RESERVE)
        });
        if !affordable {
            left_out.push(p);
            continue;
        }
        for e in &endpoints {
            if let Some(left) = remaining.get_mut(e) {
                *left -= 1;
            }
        }
        fits.push(p);
    }
    (fits, left_out)
}

/// Requests `products` of the consent as auto-delivery does, in the caller's
/// transaction (the refresh's); answers the request id.
pub(crate) async fn request(
    app: &App,
    conn: &mut Conn,
    consent: &ConsentRow,
    products: &[Product],
) -> Result<Option<String>> {
    if products.is_empty() {
        return Ok(None);
    }
    let Some(link) =
        ponte_store::link_for_client(conn, &consent.client_id, &consent.link_id).await?
    else {
        return Ok(None);
    };
    let callbacks = serde_json::from_str(&link.products_callback_url).unwrap_or_default();
    let kind = if consent.business {
        Kind::Business
    } else {
        Kind::Personal
    };
    let id = retrieval::enqueue(
        app,
        conn,
        &ClientId::from_trusted(consent.client_id.clone()),
        &consent.link_id,
        kind,
        std::slice::from_ref(consent),
        products,
        callbacks,
    )
    .await?;
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Product::*;

    #[test]
    fn only_the_changed_products_and_their_insights_are_fresh() {
        let all = Product::ALL.to_vec();
        assert_eq!(wanted(&[Accounts], &all), vec![Accounts, Insights]);
        assert_eq!(wanted(&[CreditCards], &all), vec![CreditCards]);
        assert_eq!(
            wanted(&[CreditCards, Accounts], &all),
            vec![Accounts, CreditCards, Insights]
        );
        assert_eq!(wanted(&[Accounts], &[Accounts]), vec![Accounts]);
        assert!(wanted(&[Accounts], &[Registration]).is_empty());
    }

    #[test]
    fn a_fresh_report_keeps_the_calls_left_for_requests() {
        let calls = |p: Product| match p {
            Accounts | Insights => vec!["/accounts".to_string(), "/tx".to_string()],
            _ => vec!["/cards".to_string()],
        };
        let left = |pairs: &[(&str, u32)]| {
            pairs
                .iter()
                .map(|(e, n)| (e.to_string(), *n))
                .collect::<HashMap<_, _>>()
        };
        // Two left on /tx: one report may spend one, the reserve keeps the other.
        let (fits, out) = within_budget(
            &[Accounts, CreditCards, Insights],
            calls,
            left(&[("/accounts", 4), ("/tx", 2), ("/cards", 3)]),
        );
        assert_eq!((fits, out), (vec![Accounts, CreditCards], vec![Insights]));
        let (fits, out) = within_budget(&[Accounts], calls, left(&[("/tx", 1)]));
        assert_eq!((fits, out), (vec![], vec![Accounts]));
        // An endpoint without a limit never stops one.
        let (fits, _) = within_budget(&[CreditCards], calls, HashMap::new());
        assert_eq!(fits, vec![CreditCards]);
    }
}
