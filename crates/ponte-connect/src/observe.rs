//! Every call Ponte makes to an institution's data APIs, reported to an
//! observer the caller gives the session: the connector keeps no state of
//! its own (no database), and the caller decides what to count, persist
//! and refuse. Institutions count calls against the Open Finance Brasil
//! operational limits per endpoint and resource, so the observer also gets
//! a say before each counted call is sent: spending a call the bank would
//! refuse with 429 helps no one.

/// One call as it happened: what OFB metrics reporting (PCM) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// The path template, ids replaced (`/open-banking/accounts/v2/accounts/{accountId}/balances`).
    pub endpoint: String,
    /// The most specific resource id the path names (`""` for a list).
    pub resource: String,
    /// Whether the call counts against the operational limit: pages after
    /// the first of one listing do not.
    pub counted: bool,
    /// The answer's status; `None` when no answer came (transport error).
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// The `x-fapi-interaction-id` sent (and echoed).
    pub interaction_id: String,
    /// When the call was sent, unix milliseconds.
    pub started_at_ms: i64,
}

/// Told about each call; `permit` runs before a counted call is sent.
pub trait CallObserver: Send + Sync {
    /// `Err(reason)` stops the call before it is sent: the budget is spent.
    fn permit(&self, endpoint: &str, resource: &str) -> Result<(), String> {
        let _ = (endpoint, resource);
        Ok(())
    }
    /// The call happened (whatever its answer).
    fn record(&self, call: CallRecord);
}

/// Listings inside a record, and the consents API, whose next path segment
/// is an id, with the name the OFB specifications give it. The products'
/// own listings (`products::plan::record_ids`) come first: credit-card
/// accounts name theirs `{creditCardAccountId}`, not `{accountId}`.
const ID_AFTER: &[(&str, &str)] = &[("bills", "{billId}"), ("consents", "{consentId}")];

fn id_after(listing: &str, segment: &str) -> Option<&'static str> {
    crate::products::plan::record_ids()
        .find(|(list, _)| *list == listing)
        .map(|(_, name)| name)
        .or_else(|| {
            ID_AFTER
                .iter()
                .find(|(collection, _)| *collection == segment)
                .map(|(_, name)| *name)
        })
}

/// The endpoint template and resource id of an API path (no query):
/// `/open-banking/accounts/v2/accounts/a1/balances` is
/// (`/open-banking/accounts/v2/accounts/{accountId}/balances`, `a1`).
/// Whatever the API root puts before `/open-banking/` is left out.
pub fn endpoint_of(path: &str) -> (String, String) {
    let path = path.find("/open-banking/").map_or(path, |at| &path[at..]);
    let mut out = Vec::new();
    let mut resource = String::new();
    let mut id_name: Option<&str> = None;
    // `/open-banking/{api}/{version}/…`: ids follow collections only after the version.
    for (i, segment) in path.split('/').enumerate() {
        if i < 4 {
            out.push(segment.to_string());
            continue;
        }
        if let Some(name) = id_name.take() {
            if !segment.is_empty() {
                out.push(name.to_string());
                resource = percent_decode(segment);
                continue;
            }
        }
        out.push(segment.to_string());
        id_name = id_after(&out.join("/"), segment);
    }
    (out.join("/"), resource)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// Whether a call to `url` counts: every call but the pages after the
/// first of a listing (`page` above 1).
pub fn counted(url: &url::Url) -> bool {
    !url.query_pairs()
        .any(|(k, v)| k == "page" && v.parse::<u32>().is_ok_and(|n| n > 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_the_spec_names_and_the_resource_is_the_most_specific() {
        assert_eq!(
            endpoint_of("/open-banking/accounts/v2/accounts/a%2F1/balances"),
            (
                "/open-banking/accounts/v2/accounts/{accountId}/balances".into(),
                "a/1".into()
            )
        );
        assert_eq!(
            endpoint_of("/open-banking/credit-cards-accounts/v2/accounts/c1/bills/b2/transactions"),
            (
                "/open-banking/credit-cards-accounts/v2/accounts/{creditCardAccountId}/bills/{billId}/transactions".into(),
                "b2".into()
            )
        );
        assert_eq!(
            endpoint_of("/open-banking/loans/v2/contracts/k1/payments"),
            (
                "/open-banking/loans/v2/contracts/{contractId}/payments".into(),
                "k1".into()
            )
        );
        assert_eq!(
            endpoint_of("/open-banking/consents/v3/consents/urn:b:1"),
            (
                "/open-banking/consents/v3/consents/{consentId}".into(),
                "urn:b:1".into()
            )
        );
        assert_eq!(
            endpoint_of("/sandbox/banks/itau/open-banking/accounts/v2/accounts"),
            ("/open-banking/accounts/v2/accounts".into(), "".into())
        );
    }

    #[test]
    fn only_first_pages_count() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert!(counted(&u("https://b/x?page-size=1000&page=1")));
        assert!(counted(&u("https://b/x")));
        assert!(!counted(&u("https://b/x?page=2")));
    }
}
